# The environment of an aarch64 cross build (sourced, POSIX sh): where
# pkg-config looks, and the arm64 libfdt of the build-local prefix that
# scripts/install-deps.sh unpacked (libfdt-dev is not Multi-Arch, Debian
# ships no libfdt.pc).  Used by scripts/cross-configure-arm64.sh and by the
# arm64 package build of tests/e2e/distro/lib.sh (dpkg-buildpackage -aarm64).
QDH_ARM64_PREFIX=${QDH_ARM64_PREFIX:-/opt/qdh-arm64}
PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
LIBFDT_CFLAGS="-I$QDH_ARM64_PREFIX/usr/include"
LIBFDT_LIBS="$QDH_ARM64_PREFIX/usr/lib/aarch64-linux-gnu/libfdt.a"
export QDH_ARM64_PREFIX PKG_CONFIG_LIBDIR LIBFDT_CFLAGS LIBFDT_LIBS
