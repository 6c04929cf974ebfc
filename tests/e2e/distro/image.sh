# The Debian system image of the e2e-distro scenarios (bash; source it).
#   distro_image ARCH   sets and exports DISTRO_IMG (raw disk, cached),
#                       DISTRO_UUID (root file system), DISTRO_PART_OFFSET
#                       (bytes), DISTRO_KVER; builds the image when the
#                       cache has none for these inputs.
# The image: debootstrap (minbase) of $DISTRO_SUITE from Debian's archive,
# then apt-get install --no-install-recommends of $DISTRO_PKGS in a chroot,
# no documentation; a GPT disk with one ext4 partition made with mkfs.ext4 -d
# (no mount, no loop device); then one boot under QEMU ("prepare"), in
# which kdump-tools builds its own kdump initramfs (MODULES=dep needs the
# real root device, which a chroot on the host does not have) and loads the
# crash kernel with kexec-tools, as on any installed Debian system.
# Cached in $E2E_CACHE/distro/ under a key made of the suite, the
# architecture, the package list, the mirror and this file's hash; the
# debootstrap stage alone under a key of the suite, architecture, package
# list and mirror (it is the slow, network-bound part).
# Environment: E2E_DISTRO_MIRROR (default http://deb.debian.org/debian),
# E2E_DISTRO_REBUILD=1 (ignore the cache).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DISTRO_SUITE=bookworm
DISTRO_MIRROR=${E2E_DISTRO_MIRROR:-http://deb.debian.org/debian}
# What a Debian kdump user installs, and what kexec-qdh's package links
# (the guest has no network: dpkg -i must find its dependencies there).
DISTRO_PKGS="linux-image-ARCH systemd-sysv udev initramfs-tools kdump-tools
	makedumpfile kexec-tools libelf1 libjson-c5 libfdt1 zlib1g"
DISTRO_DISK_SIZE=3G
DISTRO_PART_OFFSET=$((2048 * 512))
# Units a test machine does not need at boot (timers, scrubbing, a login
# prompt on the serial console that would only print over the markers).
DISTRO_MASK="apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer
	e2scrub_all.timer e2scrub_reap.service fstrim.timer
	serial-getty@ttyS0.service serial-getty@ttyAMA0.service getty@tty1.service
	systemd-timesyncd.service"

distro_pkgs() { echo $DISTRO_PKGS | sed "s/ARCH/$1/g"; }

distro_hash() { sha256sum | cut -c1-16; }
distro_stage1_key() {	# ARCH
	printf '%s\n' "$DISTRO_SUITE" "$1" "$(distro_pkgs "$1")" "$DISTRO_MIRROR" \
		"$(declare -f distro_stage1)" | distro_hash
}
distro_image_key() {	# ARCH
	printf '%s\n' "$(distro_stage1_key "$1")" "$(cat "${BASH_SOURCE[0]}")" | distro_hash
}

# Run CMD in the chroot ROOT with /proc mounted (postinst scripts read it).
distro_chroot() {
	local root=$1 rc; shift
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc" || return 1
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" "$@"
	rc=$?
	umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
	return $rc
}

# Stage 1: debootstrap and the packages, into the tarball OUT.
distro_stage1() {	# ARCH OUT LOG
	local arch=$1 out=$2 log=$3 root
	root=$(mktemp -d "${out%/*}/root.XXXXXX")
	{
		debootstrap --variant=minbase --arch="$arch" "$DISTRO_SUITE" "$root" "$DISTRO_MIRROR" || return 1
		# before any package: no documentation, no recommends, no
		# service started in the chroot
		cat >"$root/etc/dpkg/dpkg.cfg.d/01-e2e-nodoc" <<'EOT'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOT
		echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/01-e2e-norecommends"
		printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
		chmod 755 "$root/usr/sbin/policy-rc.d"
		rm -rf "$root"/usr/share/doc/*/[!c]* "$root"/usr/share/man/* "$root"/usr/share/info/* \
			"$root"/usr/share/locale/*/
		distro_chroot "$root" apt-get -q update || return 1
		# shellcheck disable=SC2046
		distro_chroot "$root" apt-get -q -y install $(distro_pkgs "$arch") || return 1
		distro_chroot "$root" apt-get clean
		rm -f "$root/usr/sbin/policy-rc.d"
		rm -rf "$root"/var/lib/apt/lists/*_Packages "$root"/var/cache/apt/*.bin
		tar -C "$root" -cf "$out.tmp" . && mv "$out.tmp" "$out"
	} >"$log" 2>&1
	local rc=$?
	rm -rf --one-file-system "$root"
	return $rc
}

# Stage 2: the system settings, the disk image and its files for the host.
distro_stage2() {	# ARCH TARBALL DIR LOG
	local arch=$1 tar=$2 dir=$3 log=$4 root uuid u
	root=$(mktemp -d "$dir/root.XXXXXX")
	uuid=$(cat /proc/sys/kernel/random/uuid)
	{
		tar -C "$root" -xf "$tar" || return 1
		# leftovers of the initramfs builds in the chroot; kdump-tools'
		# own initramfs is built at the first boot (MODULES=dep)
		rm -f "$root"/boot/*.dpkg-bak "$root"/boot/*.new "$root"/var/lib/kdump/initrd.img*
		echo qdh-distro >"$root/etc/hostname"
		printf '127.0.0.1\tlocalhost\n127.0.1.1\tqdh-distro\n' >"$root/etc/hosts"
		printf 'UUID=%s\t/\text4\terrors=remount-ro\t0\t1\n' "$uuid" >"$root/etc/fstab"
		# a machine id is made at the first boot (prepare)
		: >"$root/etc/machine-id"
		for u in $DISTRO_MASK; do ln -sf /dev/null "$root/etc/systemd/system/$u"; done
		# QEMU >= 8 puts each NVMe controller in a subsystem that reports
		# multi-controller, so the root disk is a native-multipath head
		# (/sys/devices/virtual/nvme-subsystem/...) with no PCI parent:
		# initramfs-tools' MODULES=dep, which kdump-tools uses for its
		# initramfs, then finds no driver for it and leaves nvme out (the
		# crash kernel never sees its root disk, with kexec-tools alone).
		# An administrator names the module, as here; kdump-tools copies
		# /etc/initramfs-tools into its own initramfs configuration.
		echo nvme >>"$root/etc/initramfs-tools/modules"
		mkdir -p "$root/var/log/journal"	# keep each boot's journal
		truncate -s "$DISTRO_DISK_SIZE" "$dir/disk.tmp"
		printf 'label: gpt\nlabel-id: 5eb1c0de-0000-4000-8000-000000000001\nstart=2048, type=linux, uuid=5eb1c0de-0000-4000-8000-000000000002, name=root\n' |
			sfdisk -q "$dir/disk.tmp" || return 1
		mkfs.ext4 -q -F -L root -U "$uuid" -E offset=$DISTRO_PART_OFFSET -d "$root" "$dir/disk.tmp" \
			$(( ($(stat -c %s "$dir/disk.tmp") - DISTRO_PART_OFFSET) / 1024 - 1024 ))k || return 1
		ls "$root"/boot/vmlinuz-* | sed 's,.*/vmlinuz-,,' | head -n1 >"$dir/kver"
	} >"$log" 2>&1
	local rc=$?
	rm -rf --one-file-system "$root"
	[ $rc -eq 0 ] || return $rc
	echo "$uuid" >"$dir/uuid"
}
