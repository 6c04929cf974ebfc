#!/bin/sh
# The purgatory's SHA-2 instruction path (aarch64 binary) under
# qemu-aarch64-static -cpu max: vectors and random buffers vs generic.
# Set QDH_BENCH_MB=40 to also print generic vs CE throughput.
. "$top_srcdir/tests/common/tap.sh"
bin="$top_builddir/tests/purgatory/sha256-ce-test"
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64) ||
	skip_all "qemu-aarch64-static not installed (package qemu-user-static)"
[ -x "$bin" ] || { echo "1..1"; echo "not ok 1 - $bin not built"; exit 1; }
"$qemu" -cpu max "$bin"
rc=$?
if [ -n "${QDH_BENCH_MB:-}" ]; then
	echo "# $("$qemu" -cpu max "$bin" --bench "$QDH_BENCH_MB")"
fi
exit $rc
