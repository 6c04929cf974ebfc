#!/bin/sh
# The main job, as a story: on an arm64 QEMU guest (virt + SMMUv3, Debian's
# 6.12 kernel), kexec-tools loads a crash kernel for comparison, then
# kexec-qdh does, the kernel panics, and the crash kernel takes over.  Prints
# what was scanned, what was handed over, what purgatory saw and did, what the
# crash kernel decided, and the timings against kexec-tools.
# Usage: scripts/demo.sh   (after scripts/install-deps.sh; a few minutes)
# Build trees go under $QDH_BUILD (default ./_build), as scripts/test-all.sh.
# Until kexec-qdh exists it shows a sample blob with `qdh inspect` instead.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${QDH_BUILD:-$src/_build}/native
jobs=$(nproc 2>/dev/null || echo 2)

say() { printf '\n== %s\n' "$*"; }

say "building kexec-qdh (native tree $out)"
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi >/dev/null)
mkdir -p "$out"
cd "$out"
[ -f Makefile ] || "$src/configure" -q
make -s -j"$jobs" >build.log 2>&1 || { tail -n 30 build.log; exit 1; }

sample() {
	say "no QEMU run possible ($1): a sample handover blob instead"
	blob=$src/tests/lib/golden/arm64-virt-record.qdh
	echo "qdh inspect $blob"
	./qdh inspect "$blob"
}

command -v qemu-system-aarch64 >/dev/null 2>&1 ||
	{ sample "qemu-system-aarch64 missing: run scripts/install-deps.sh"; exit 0; }

say "booting the arm64 guest: kexec-tools baseline, then kexec-qdh -p and a panic"
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
E2E_SRCDIR=$src E2E_BUILDDIR=$out \
	bash "$src/tests/e2e/run.sh" arm64-baseline arm64-crash timing >"$tap" 2>&1 || true
log=$out/e2e-work/logs/arm64-crash.log
if ! grep -q '^ok [0-9]* - arm64-crash (' "$tap"; then
	grep -E '^(not )?ok|^# [a-z]' "$tap" | grep -v '^# last' || true
	sample "the kexec-qdh scenario did not pass: see above and $out/e2e-work/logs"
	exit 0
fi

# The guest framed each step's output with story markers; kernel messages
# that interleave on the console are left out.
n=0
sed -e 's/^[0-9.]* //' "$log" | awk '
	/^QDH-E2E-STORY-BEGIN: / { n++; printf "\n== %d. %s\n", n, substr($0, 22); on = 1; next }
	/^QDH-E2E-STORY-END/ { on = 0; next }
	on && !/^\[ *[0-9]+\.[0-9]+\]/ && !/^$/ && !/^QDH-E2E:/ { print "   " $0 }'

say "the dump target afterwards"
grep -q 'QDH-E2E: dump_write=ok' "$log" &&
	echo "   the NVMe disk was reset, attached, and took the vmcore head (written and read back)"

say "timings, same run (host clock on the serial console; TCG, no KVM)"
grep -E '^# (panic|load|kexec)' "$tap" | sed 's/^# /   /'
grep -E '^(not )?ok' "$tap" | sed 's/^/   /'
echo
echo "Console logs: $out/e2e-work/logs/"
