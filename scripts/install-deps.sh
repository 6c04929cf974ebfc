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

apt-get update -q

apt-get install -y -q --no-install-recommends \
	build-essential autoconf automake pkg-config \
	libelf-dev zlib1g-dev libjson-c-dev libfdt-dev device-tree-compiler \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu \
	libelf-dev:arm64 zlib1g-dev:arm64 libjson-c-dev:arm64 libzstd-dev:arm64 \
	clang libclang-rt-14-dev llvm \
	qemu-system-arm qemu-system-x86 qemu-user-static \
	cpio xz-utils zstd kmod busybox-static pciutils time kexec-tools \
	binutils file valgrind \
	debhelper dpkg-dev fakeroot lintian rpm debootstrap man-db groff-base \
	bash-completion python3 ca-certificates

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
