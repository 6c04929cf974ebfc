#!/bin/sh
# Runs every test kexec-qdh has, the way CI does:
#   1. native build with -Werror, `make check`
#   2. the same suite under ASan+UBSan
#   3. the aarch64 cross build (static), its unit tests under qemu-user
#   3b. a clang build with -Werror of everything (tools, tests, bench)
#   4. `make distcheck`
#   5. a short libFuzzer run of every fuzz target (QDH_SKIP_FUZZ=1 skips)
#   6. the Debian package in a debootstrap root, and the RPM
#      (QDH_SKIP_PACKAGES=1 skips)
#   7. the QEMU end-to-end scenarios (`make e2e`), unless QDH_SKIP_E2E=1
#   8. the Debian system scenarios (`make e2e-distro`: debootstrap image,
#      kdump-tools, the package of step 6), unless QDH_SKIP_E2E_DISTRO=1
# Build trees go under $QDH_BUILD (default ./_build).  Needs the packages of
# scripts/install-deps.sh.
set -eu
# A scenario that skips proves nothing: here every e2e scenario must run.
export E2E_NO_SKIP=${E2E_NO_SKIP:-1}
src=$(cd "$(dirname "$0")/.." && pwd)
out=${QDH_BUILD:-$src/_build}
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p "$out"

step() { printf '\n=== %s\n' "$*"; }

step "bootstrap"
# configure.ac must stay free of warnings: autoreconf prints none.
(cd "$src" && autoreconf -fi) 2> "$out/autoreconf.err" || { cat "$out/autoreconf.err"; exit 1; }
if grep -qi warning "$out/autoreconf.err"; then
	cat "$out/autoreconf.err"; echo "autoreconf warns" >&2; exit 1
fi

# The patched arm64 kernel of the e2e scenarios (kernel/build.sh,
# doc/kernel.md): some 20 minutes of CPU, started now beside the steps
# below (niced; QEMU and the package roots leave a core idle).  Cached
# by its inputs in $QDH_KERNEL_CACHE (default
# $E2E_CACHE/kernel, else $out/kernel-cache); a fresh machine builds it.
# The arm64-kernel-* scenarios of `make e2e` call kernel/build.sh again:
# it waits on the cache's lock for this build, then reuses it.
kpid=
if [ "${QDH_SKIP_E2E:-0}" != 1 ]; then
	QDH_KERNEL_CACHE=${QDH_KERNEL_CACHE:-${E2E_CACHE:+$E2E_CACHE/kernel}}
	export QDH_KERNEL_CACHE="${QDH_KERNEL_CACHE:-$out/kernel-cache}"
	"$src/kernel/build.sh" >/dev/null 2>"$out/kernel-build.log" &
	kpid=$!
fi

step "native build, -Werror, make check"
mkdir -p "$out/native"
(cd "$out/native" && "$src/configure" -q --enable-werror &&
	make -s -j"$jobs" && make -s -j"$jobs" check)

step "ASan+UBSan build, make check"
mkdir -p "$out/asan"
(cd "$out/asan" && "$src/configure" -q --enable-werror --enable-sanitizers &&
	make -s -j"$jobs" && ASAN_OPTIONS=detect_leaks=1 make -s -j"$jobs" check)

step "aarch64 cross build (static)"
mkdir -p "$out/arm64"
(cd "$out/arm64" && "$src/scripts/cross-configure-arm64.sh" "$src" -q --enable-werror &&
	make -s -j"$jobs" &&
	file qdh | grep -q 'ARM aarch64.*statically linked' &&
	echo "arm64 static binaries built")

step "clang build, -Werror: tools, check programs, bench"
mkdir -p "$out/clang"
(cd "$out/clang" && CC=clang "$src/configure" -q --enable-werror &&
	make -s -j"$jobs" && make -s -j"$jobs" check TESTS= &&
	echo "clang build clean")

step "make distcheck"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$out/native" && make -s dist) || exit 1
	tarball=$(cd "$out/native" && ls -t kexec-qdh-*.tar.gz | head -1)
	(cd "$src" && scripts/check-dist.sh "$out/native/$tarball") || exit 1
fi
(cd "$out/native" && make -s distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror)

if [ "${QDH_SKIP_FUZZ:-0}" != 1 ]; then
	step "libFuzzer smoke run (FUZZ_SECONDS=${FUZZ_SECONDS:=10} per target)"
	FUZZ_SECONDS=$FUZZ_SECONDS "$src/scripts/fuzz-smoke.sh" "$out/fuzz"
fi

if [ "${QDH_SKIP_PACKAGES:-0}" != 1 ]; then
	step "Debian package in a bookworm root, and the RPM"
	rc=0
	"$src/scripts/test-deb.sh" "$out/deb" > "$out/packages.log" 2>&1 || rc=$?
	"$src/scripts/test-rpm.sh" "$out/rpm" >> "$out/packages.log" 2>&1 || rc=$?
	cat "$out/packages.log"
	[ "$rc" -eq 0 ] || { echo "package tests failed" >&2; exit 1; }
fi

if [ "${QDH_SKIP_E2E:-0}" != 1 ]; then
	step "QEMU end-to-end (make e2e)"
	# the arm64-kernel-* scenarios come last: kernel/build.sh waits for
	# the build started above (a lock on the cache) and reuses it
	(cd "$out/native" && make -s e2e)
	wait "$kpid" 2>/dev/null || true
	cat "$out/kernel-build.log"
fi

if [ "${QDH_SKIP_E2E_DISTRO:-0}" != 1 ]; then
	step "Debian system end-to-end (make e2e-distro)"
	# the .deb step 6 built from this tree (else make e2e-distro builds one)
	deb=$(ls "$out"/deb/build/kexec-qdh_*_amd64.deb 2>/dev/null | head -n1)
	(cd "$out/native" && E2E_DISTRO_DEB=$deb make -s e2e-distro)
fi
# One closing line over every TAP result of every suite that ran.
pass=0 fail=0 skip=0
for log in "$out"/native/test-suite.log "$out"/asan/test-suite.log "$out"/native/tests/e2e/e2e.log \
	"$out"/native/tests/e2e/e2e-distro.log; do
	[ -f "$log" ] || continue
	p=$(awk '/^# PASS:/ {n += $3} END {print n + 0}' "$log")
	f=$(awk '/^# (FAIL|ERROR|XPASS):/ {n += $3} END {print n + 0}' "$log")
	s=$(awk '/^# SKIP:/ {n += $3} END {print n + 0}' "$log")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done
if [ -f "$out/packages.log" ]; then
	# awk, not grep -c: grep exits 1 on a zero count and set -e would stop here.
	p=$(awk '/^ok / {n++} END {print n + 0}' "$out/packages.log")
	f=$(awk '/^not ok / {n++} END {print n + 0}' "$out/packages.log")
	pass=$((pass + p)) fail=$((fail + f))
fi
step "all tests passed"
echo "$pass passed, $fail failed, $skip skipped"
