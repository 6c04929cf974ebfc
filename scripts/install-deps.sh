#!/bin/sh
# Installs every Debian package that building, testing and the QEMU end-to-end
# runs of kexec-qdh need. Idempotent: safe to run again; does nothing that is
# already done. Debian 12 (bookworm), run as root.
set -eu

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: must run as root (apt-get)" >&2
		exit 2
	fi
}

need_root
export DEBIAN_FRONTEND=noninteractive

# arm64 userspace for the cross build and the arm64 guest's initramfs.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	dpkg --add-architecture arm64
fi

# QEMU >= 8.0 for the end-to-end runs: Debian 12's QEMU 7.2 SMMUv3 model
# ignores GBPA writes, so the kexec scenario could not see purgatory's
# GBPA.ABORT take effect (doc/e2e.md).  bookworm-backports has QEMU 10:
# add that suite from the same mirror as the bookworm entry, once.
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
qemu_release=
if [ "$codename" = bookworm ]; then
	qemu_release=bookworm-backports
	if ! grep -rqsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		# the URI (and key) of the existing bookworm entry: deb822 stanzas
		# first, then one-line entries; else Debian's default mirror
		uri=$(awk '
			/^[ \t]*$/ { if (s && u != "") { print u, k; f = 1; exit } s = 0; u = ""; k = ""; next }
			/^URIs:/ { u = $2 }
			/^Signed-By:/ { k = $2 }
			/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") s = 1 }
			END { if (!f && s && u != "") print u, k }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
		[ -n "$uri" ] || uri=$(sed -nE 's/^deb[ \t]+(\[[^]]*\][ \t]+)?([^ \t]+)[ \t]+bookworm[ \t].*/\2/p' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
		set -- ${uri:-http://deb.debian.org/debian}
		{
			echo "Types: deb"
			echo "URIs: $1"
			echo "Suites: bookworm-backports"
			echo "Components: main"
			[ -z "${2:-}" ] || echo "Signed-By: $2"
		} >/etc/apt/sources.list.d/bookworm-backports.sources
		echo "install-deps: added bookworm-backports ($1) for QEMU >= 8"
	fi
fi

apt-get update -q

apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libelf-dev zlib1g-dev libjson-c-dev libfdt-dev libblkid-dev device-tree-compiler \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu \
	libelf-dev:arm64 zlib1g-dev:arm64 libjson-c-dev:arm64 libzstd-dev:arm64 \
	libblkid-dev:arm64 \
	clang libclang-rt-14-dev llvm \
	cpio xz-utils zstd kmod busybox-static pciutils time kexec-tools \
	binutils file valgrind \
	debhelper dpkg-dev fakeroot lintian rpm debootstrap fdisk man-db groff-base \
	bash-completion python3 ca-certificates

# qemu-system-arm and -x86 come from one source package, and the newer
# qemu-system-common breaks the older qemu-user-static: take all three
# from the same suite.  After the list above, so that the libraries they
# share with it stay bookworm's (-t prefers backports for anything new).
apt-get install -y -q --no-install-recommends ${qemu_release:+-t "$qemu_release"} \
	qemu-system-arm qemu-system-x86 qemu-user-static

# The patched arm64 kernel of the e2e scenarios (kernel/build.sh,
# doc/kernel.md): what a kernel build needs besides the cross compiler
# above, and python3-ply for checkpatch's SPDX check of the series.
apt-get install -y -q --no-install-recommends \
	bc bison flex libssl-dev python3-ply

# libfdt-dev is not Multi-Arch: unpack the arm64 build into a build-local
# prefix instead of installing it (it would replace the amd64 one).
prefix=${QDH_ARM64_PREFIX:-/opt/qdh-arm64}
if [ ! -f "$prefix/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download libfdt-dev:arm64 libfdt1:arm64)
	mkdir -p "$prefix"
	for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$prefix"; done
	# libfdt.so in the -dev package points at the runtime library by an
	# absolute-looking relative name; keep static linking the only use.
	rm -rf "$tmp"
fi
echo "install-deps: done (arm64 libfdt in $prefix)"
