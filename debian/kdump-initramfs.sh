# --- kexec-qdh and kdump-tools' kdump initramfs ------------------------------
# (debian/kdump-initramfs.sh, put into postinst and postrm by debian/rules;
# tests/packaging/test-kdump-initramfs.sh runs it with stubs.)
#
# What kdump-tools 1.8.1 (Debian 12) does: the kdump initramfs of kernel V is
# /var/lib/kdump/initrd.img-V, made by its kernel hook
# /etc/kernel/postinst.d/kdump-tools V (mkinitramfs -d
# /var/lib/kdump/initramfs-tools, a fresh copy of /etc/initramfs-tools with
# KDUMP=y) when a kernel is installed, or by `kdump-config load` when it is
# missing.  `kdump-config reload` and update-initramfs reuse an existing one,
# so adding or removing our initramfs-tools hook changes nothing in it until
# it is made again: this does that for every kdump initramfs there is, then
# reloads the crash kernel if kdump-tools has one loaded.  It never fails the
# package operation: kdump-tools may be absent or unconfigured.
qdh_kdump_dir=/var/lib/kdump
qdh_kdump_hook=/etc/kernel/postinst.d/kdump-tools
qdh_kdump_config=/usr/sbin/kdump-config
qdh_kdump_loaded=/sys/kernel/kexec_crash_loaded
qdh_systemd=/run/systemd/system

qdh_kdump_rebuild() {
	if [ -n "${DPKG_ROOT:-}" ]; then
		echo "kexec-qdh: DPKG_ROOT is set: kdump-tools' initramfs is not rebuilt"
		return 0
	fi
	if [ ! -x "$qdh_kdump_hook" ] || [ ! -x "$qdh_kdump_config" ]; then
		return 0	# no kdump-tools: no kdump initramfs to rebuild
	fi
	qdh_found=
	for qdh_img in "$qdh_kdump_dir"/initrd.img-*; do
		[ -f "$qdh_img" ] || continue
		qdh_ver=${qdh_img#"$qdh_kdump_dir"/initrd.img-}
		case $qdh_ver in
		*.new|*.dpkg-*|*.bak|*.old|'') continue ;;
		esac
		qdh_found=yes
		echo "kexec-qdh: rebuilding kdump-tools' initramfs $qdh_img"
		# Called by a kernel's postinst, the hook acts only for
		# DEB_MAINT_PARAMS "configure": this is no kernel's postinst.
		if ! env -u DEB_MAINT_PARAMS "$qdh_kdump_hook" "$qdh_ver"; then
			echo "kexec-qdh: warning: $qdh_kdump_hook $qdh_ver failed: $qdh_img may be missing; kdump-config makes it again at its next load" >&2
		fi
	done
	if [ -z "$qdh_found" ]; then
		echo "kexec-qdh: no kdump initramfs in $qdh_kdump_dir yet: kdump-config makes it (with qdh) at its next load"
	fi
	return 0
}

qdh_kdump_reload() {
	[ -z "${DPKG_ROOT:-}" ] || return 0
	[ -x "$qdh_kdump_config" ] || return 0
	# A chroot sees the host's /sys: never reload the host's crash kernel.
	if ischroot > /dev/null 2>&1; then
		echo "kexec-qdh: in a chroot: no crash kernel reloaded"
		return 0
	fi
	if [ -d "$qdh_systemd" ] && ! systemctl is-active --quiet kdump-tools.service; then
		echo "kexec-qdh: kdump-tools.service is not active: no crash kernel reloaded"
		return 0
	fi
	if [ "$(cat "$qdh_kdump_loaded" 2>/dev/null)" != 1 ]; then
		echo "kexec-qdh: no crash kernel loaded: nothing to reload"
		return 0
	fi
	echo "kexec-qdh: reloading the crash kernel (kdump-config try-reload)"
	if ! "$qdh_kdump_config" try-reload; then
		echo "kexec-qdh: warning: kdump-config try-reload failed: run it again, or reboot" >&2
	fi
	return 0
}

qdh_kdump_update() {
	qdh_kdump_rebuild
	qdh_kdump_reload
}
# --- end of debian/kdump-initramfs.sh -----------------------------------------
