#!/bin/sh
# Configure an aarch64 cross build (static binaries) in the current
# directory.  Usage: cross-configure-arm64.sh SRCDIR [configure args...]
# The cross environment (libfdt-dev:arm64 from the build-local prefix
# install-deps.sh made) is scripts/cross-env-arm64.sh.
set -eu
src=$1; shift
. "$src/scripts/cross-env-arm64.sh"
exec "$src/configure" --host=aarch64-linux-gnu --enable-static-binaries \
	LIBFDT_CFLAGS="$LIBFDT_CFLAGS" LIBFDT_LIBS="$LIBFDT_LIBS" "$@"
