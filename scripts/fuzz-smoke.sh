#!/bin/sh
# CI smoke run of the libFuzzer targets: configure a clang build with
# --enable-fuzzing, build fuzz/fuzz-*, run each for FUZZ_SECONDS (default
# 20) from its seed corpus and regression inputs.  Fails on the first
# crash, leak, timeout or sanitizer report; the reproducer is left under
# $out/fuzz/crashes/ (turn it into tests/fuzz/regress/NAME/ + a fix).
#   scripts/fuzz-smoke.sh [BUILD_DIR]       (default ./_build/fuzz)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-${QDH_BUILD:-$src/_build}/fuzz}
secs=${FUZZ_SECONDS:-20}
jobs=$(nproc 2>/dev/null || echo 2)
command -v clang > /dev/null || { echo "fuzz-smoke: clang not installed" >&2; exit 1; }
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi)
mkdir -p "$out"
cd "$out"
[ -f Makefile ] || "$src/configure" -q --enable-fuzzing CC=clang
make -s -j"$jobs" fuzz-build
make -s fuzz FUZZ_SECONDS="$secs" FUZZ_ARGS="${FUZZ_ARGS:-}"
