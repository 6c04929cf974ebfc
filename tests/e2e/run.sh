#!/bin/bash
# Run the QEMU end-to-end scenarios; TAP on stdout, one line per scenario.
#   tests/e2e/run.sh [NAME...]     (default: $E2E_SCENARIOS, else all)
# Run from a configured build tree (or set E2E_BUILDDIR); `make e2e` does.
# Environment: see lib/common.sh, lib/boot.sh; and
#   E2E_NO_BUILD=1   use the sub-builds as they are (no make)
#   E2E_KEEP_GOING=0 stop at the first failure
#   E2E_NO_SKIP=1    a skipped scenario fails the run (scripts/test-all.sh:
#                    CI proves the scenarios ran, not that they could not)
#   E2E_SCENARIO_DIR, E2E_TAP_LOG  another family's scenarios and TAP log
#                    (tests/e2e/distro/run.sh: make e2e-distro)
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
. "$E2E_LIBDIR/fetch.sh"
. "$E2E_LIBDIR/mkinitramfs.sh"
. "$E2E_LIBDIR/boot.sh"
. "$E2E_LIBDIR/build.sh"

# Order matters: the baseline runs first so its timings are there for the
# comparisons of the kexec-qdh scenarios.
ALL="arm64-baseline arm64-crash arm64-kexec arm64-dma arm64-failed-load
	arm64-corrupt-blob amd64-file-crash timing
	arm64-kernel-dma arm64-kernel-passthrough arm64-kernel-file arm64-kernel-noblob"

names=${*:-${E2E_SCENARIOS:-$ALL}}
E2E_LOGDIR=$E2E_WORK/logs
mkdir -p "$E2E_LOGDIR"
: >"$E2E_WORK/timings"
export E2E_LOGDIR

declare -A prepared bindir_ok
prepare_arch() {	# prepare_arch ARCH: fetch, build, pack; once per run
	local arch=$1 t0
	[ -n "${prepared[$arch]:-}" ] && return "${prepared[$arch]}"
	t0=$(e2e_now_ms)
	prepared[$arch]=1
	( e2e_fetch "$arch" ) || return 1
	e2e_fetch "$arch"
	E2E_BINDIR=$(e2e_build_bindir "$arch") && bindir_ok[$arch]=1 || {
		bindir_ok[$arch]=0
		e2e_log "$arch build of kexec-qdh failed: see $E2E_BINDIR/e2e-build.log"
	}
	export E2E_BINDIR
	( e2e_mkinitramfs "$arch" "$E2E_WORK/$arch" ) || return 1
	e2e_log "$arch prepared in $(( ($(e2e_now_ms) - t0) / 1000 )) s"
	tap "# $arch guest: $(e2e_qemu_bin "$arch") $(e2e_qemu_version "$arch")"
	prepared[$arch]=0
}

# The TAP stream is also kept in BUILDDIR/tests/e2e/e2e.log, closed with
# automake's summary lines (scripts/test-all.sh adds them to its total).
tap_log=${E2E_TAP_LOG:-$E2E_BUILDDIR/tests/e2e/e2e.log}
mkdir -p "${tap_log%/*}"
: >"$tap_log"
tap() { printf '%s\n' "$*" | tee -a "$tap_log"; }

set -- $names
tap "1..$#"
n=0 passed=0 failed=0 skipped=0 xfailed=0
for name in "$@"; do
	n=$((n + 1))
	script=${E2E_SCENARIO_DIR:-$E2E_SRCDIR/tests/e2e/scenarios}/$name.sh
	if [ ! -f "$script" ]; then
		tap "not ok $n - $name: no such scenario ($script)"
		failed=$((failed + 1)); continue
	fi
	t0=$(e2e_now_ms)
	out=$E2E_LOGDIR/$name.result
	rm -f "$out"
	arch=$(SCENARIO_ARCH=; . "$script" >/dev/null; echo "$SCENARIO_ARCH")
	if [ -n "$arch" ] && ! prepare_arch "$arch"; then
		tap "not ok $n - $name: fetching or packing the $arch guest failed (see the messages above)"
		failed=$((failed + 1)); continue
	fi
	(
		SCENARIO_ARCH= SCENARIO_NEEDS=
		. "$E2E_LIBDIR/scenario.sh"
		. "$script"
		if [ -n "$SCENARIO_ARCH" ]; then
			e2e_fetch "$SCENARIO_ARCH"
			E2E_BINDIR=$E2E_BUILDDIR/e2e-$SCENARIO_ARCH
			E2E_IMGDIR=$E2E_WORK/$SCENARIO_ARCH
			for b in $SCENARIO_NEEDS; do
				if [ "${bindir_ok[$SCENARIO_ARCH]}" = 0 ]; then
					echo "$SCENARIO_ARCH build failed (see $E2E_BINDIR/e2e-build.log)" >"$out"
					exit 1
				fi
				[ -x "$E2E_BINDIR/$b" ] || { echo "$b not built yet" >"$out"; exit 77; }
			done
		fi
		scenario_run
		rc=$?
		echo "$E2E_REASON" >"$out"
		[ $rc -ne 0 ] && [ $rc -ne 77 ] && [ $rc -ne 78 ] && [ -n "$E2E_LAST_LOG" ] && cp "$E2E_LAST_LOG" "$out.log"
		exit $rc
	) | tee -a "$tap_log"
	rc=${PIPESTATUS[0]}
	secs=$(( ($(e2e_now_ms) - t0) / 1000 ))
	why=$(cat "$out" 2>/dev/null)
	case $rc in
	0) tap "ok $n - $name (${secs}s)"; passed=$((passed + 1)) ;;
	77) tap "ok $n - $name # SKIP $why"; skipped=$((skipped + 1)) ;;
	78) tap "not ok $n - $name (${secs}s) # TODO $why"; xfailed=$((xfailed + 1)) ;;
	*)
		tap "not ok $n - $name (${secs}s): ${why:-failed}"
		failed=$((failed + 1))
		if [ -f "$out.log" ]; then
			tap "# last console lines of $out.log:"
			e2e_tail "$out.log" 40 | sed 's/^/#   /' | tee -a "$tap_log"
			rm -f "$out.log"
		fi
		[ "${E2E_KEEP_GOING:-1}" = 0 ] && break
		;;
	esac
done
tap "# logs and images in $E2E_WORK"
printf '# TOTAL: %d\n# PASS:  %d\n# SKIP:  %d\n# XFAIL: %d\n# FAIL:  %d\n# XPASS: 0\n# ERROR: 0\n' \
	$((passed + failed + skipped + xfailed)) "$passed" "$skipped" "$xfailed" "$failed" >>"$tap_log"
echo "$passed passed, $failed failed, $skipped skipped$([ $xfailed -eq 0 ] || echo ", $xfailed expected failures")"
if [ "${E2E_NO_SKIP:-0}" = 1 ] && [ $skipped -gt 0 ]; then
	echo "E2E_NO_SKIP=1: $skipped scenario(s) skipped (see the SKIP lines above)" >&2
	exit 1
fi
[ $failed -eq 0 ]
