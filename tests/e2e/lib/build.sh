# Build our static binaries for a guest architecture (bash; source it).
#   e2e_build_bindir ARCH   prints the sub-build directory
#     $E2E_BUILDDIR/e2e-ARCH (arm64: scripts/cross-configure-arm64.sh;
#     amd64: configure --enable-static-binaries) after `make all` there;
#     fails when configure or make fails (log: DIR/e2e-build.log).
# E2E_NO_BUILD=1 skips make and takes the directory as it is.
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

e2e_build_bindir() {
	local arch=$1 dir
	dir=$E2E_BUILDDIR/e2e-$arch
	echo "$dir"
	[ "${E2E_NO_BUILD:-0}" = 1 ] && return 0
	mkdir -p "$dir"
	(
		cd "$dir" || exit 1
		if [ ! -f Makefile ]; then
			if [ "$arch" = arm64 ]; then
				"$E2E_SRCDIR/scripts/cross-configure-arm64.sh" "$E2E_SRCDIR" -q
			else
				"$E2E_SRCDIR/configure" -q --enable-static-binaries
			fi || exit 1
		fi
		make -j"$(nproc)" all
	) >"$dir/e2e-build.log" 2>&1
}
