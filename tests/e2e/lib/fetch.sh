# Fetch what a guest needs with `apt-get download` into $E2E_CACHE/ARCH and
# unpack it there; reused as is on later runs (E2E_REFRESH=1 fetches again).
#   e2e_fetch ARCH   (arm64 | amd64) sets and exports:
#     E2E_KERNEL   the kernel image (arm64: raw Image; amd64: bzImage)
#     E2E_KVER     its release, E2E_MODDIR its /lib/modules/KVER
#     E2E_ROOT     the unpacked userspace packages (busybox, kexec-tools, libs)
# Run as a script it fetches the architectures named on its command line.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The kernels the notes measured: arm64 6.12 (6.1's elfcorehdr breaks
# /proc/vmcore reads there), amd64 6.1 (has KEXEC_FILE).  Named through
# Debian's meta packages so the newest build in the archive is used.
e2e_kernel_meta() {
	case $1 in
	arm64) echo linux-image-6.12-arm64:arm64 ;;
	amd64) echo linux-image-amd64:amd64 ;;
	esac
}

# Userspace of the guest.  kexec-tools (the peer we compare with) is
# dynamic and links libxenctrl on both architectures: its library closure
# comes from these packages, checked by e2e_copy_elf at pack time.
E2E_USER_PKGS="busybox-static kexec-tools libc6 zlib1g libxenmisc4.17 libxencall1
	libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1
	libxenhypfs1 libxenstore4 libxentoollog1 libxentoolcore1 libyajl2
	libext2fs2 libfdt1 libuuid1 libcom-err2"

e2e_have_deb() {	# e2e_have_deb DIR PKG ARCH
	compgen -G "$1/$2_*_$3.deb" >/dev/null || compgen -G "$1/$2_*_all.deb" >/dev/null
}

e2e_download() {	# e2e_download DIR PKG:ARCH...
	local dir=$1; shift
	(cd "$dir" && apt-get download -q "$@" 2>&1 |
		grep -v -e 'unsandboxed as root' -e '^Get:' -e '^Fetched' >&2) || true
	local p
	for p in "$@"; do
		e2e_have_deb "$dir" "${p%%:*}" "${p##*:}" ||
			e2e_die "apt-get download $p failed (run scripts/install-deps.sh: it adds the arm64 architecture and runs apt-get update)"
	done
}

e2e_fetch() {
	local arch=$1 dir="$E2E_CACHE/$1"
	e2e_triplet "$arch" >/dev/null
	if [ -f "$dir/env" ] && [ "${E2E_REFRESH:-0}" != 1 ]; then
		. "$dir/env"
		export E2E_KERNEL E2E_KVER E2E_MODDIR E2E_ROOT
		return 0
	fi
	mkdir -p "$dir/debs"
	local meta kpkg pkgs=() p
	if ! compgen -G "$dir/debs/linux-image-*.deb" >/dev/null; then
		meta=$(e2e_kernel_meta "$arch")
		kpkg=$(apt-cache depends "$meta" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ :]*\).*/\1/p' | head -n1)
		[ -n "$kpkg" ] || e2e_die "cannot resolve $meta with apt-cache (apt-get update, and for arm64 dpkg --add-architecture arm64)"
		e2e_log "fetching $kpkg:$arch"
		e2e_download "$dir/debs" "$kpkg:$arch"
	fi
	for p in $E2E_USER_PKGS; do
		e2e_have_deb "$dir/debs" "$p" "$arch" || pkgs+=("$p:$arch")
	done
	if [ ${#pkgs[@]} -gt 0 ]; then
		e2e_log "fetching ${pkgs[*]}"
		e2e_download "$dir/debs" "${pkgs[@]}"
	fi

	rm -rf "$dir/kernel" "$dir/root"
	mkdir -p "$dir/kernel" "$dir/root"
	local deb
	for deb in "$dir"/debs/*.deb; do
		case ${deb##*/} in
		linux-image-*) dpkg-deb -x "$deb" "$dir/kernel" ;;
		*) dpkg-deb -x "$deb" "$dir/root" ;;
		esac
	done
	E2E_KERNEL=$(ls "$dir"/kernel/boot/vmlinuz-* | head -n1)
	[ -f "$E2E_KERNEL" ] || e2e_die "no /boot/vmlinuz-* in the kernel package"
	E2E_KVER=${E2E_KERNEL##*/vmlinuz-}
	E2E_MODDIR=$(ls -d "$dir"/kernel/lib/modules/"$E2E_KVER" 2>/dev/null ||
		ls -d "$dir"/kernel/usr/lib/modules/"$E2E_KVER")
	E2E_ROOT=$dir/root
	cat >"$dir/env" <<EOT
E2E_KERNEL='$E2E_KERNEL'
E2E_KVER='$E2E_KVER'
E2E_MODDIR='$E2E_MODDIR'
E2E_ROOT='$E2E_ROOT'
EOT
	export E2E_KERNEL E2E_KVER E2E_MODDIR E2E_ROOT
	e2e_log "$arch: kernel $E2E_KVER ready in $dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -eu
	for a in "${@:-arm64 amd64}"; do e2e_fetch $a; done
fi
