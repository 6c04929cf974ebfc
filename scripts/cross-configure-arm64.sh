#!/bin/sh
# Configure an aarch64 cross build (static binaries) in the current
# directory.  Usage: cross-configure-arm64.sh SRCDIR [configure args...]
# libfdt-dev:arm64 comes from the build-local prefix install-deps.sh made.
set -eu
src=$1; shift
prefix=${QDH_ARM64_PREFIX:-/opt/qdh-arm64}
PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
export PKG_CONFIG_LIBDIR
exec "$src/configure" --host=aarch64-linux-gnu --enable-static-binaries \
	LIBFDT_CFLAGS="-I$prefix/usr/include" \
	LIBFDT_LIBS="$prefix/usr/lib/aarch64-linux-gnu/libfdt.a" \
	"$@"
