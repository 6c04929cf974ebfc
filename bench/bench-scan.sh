#!/bin/sh
# bench-scan: time `qdh scan --json` against lspci on the same synthetic
# sysroots of 10,000 and 100,000 PCI functions, in the same run.
#   target: qdh <= 0.5x lspci, and 10k -> 100k growth ~10x (linear)
#
# Usage: bench/bench-scan.sh [N1 N2]   (default 10000 100000)
# Env:   QDH (default ./qdh), CC, BENCH_DIR (default /dev/shm if present),
#        BENCH_RUNS (best of, default 3)
# Times are wall-clock seconds, best of BENCH_RUNS, plus CPU (user+sys) of
# the best run: on a shared machine CPU time is the steadier of the two.
set -eu

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
QDH=${QDH:-./qdh}
CC=${CC:-cc}
runs=${BENCH_RUNS:-3}
n1=${1:-10000}
n2=${2:-100000}
base=${BENCH_DIR:-}
[ -n "$base" ] || { [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm || base=${TMPDIR:-/tmp}; }

[ -x /usr/bin/time ] || { echo "bench-scan: GNU time (package time) not installed" >&2; exit 2; }
command -v lspci >/dev/null || { echo "bench-scan: lspci (pciutils) not installed" >&2; exit 2; }
[ -x "$QDH" ] || { echo "bench-scan: $QDH not built" >&2; exit 2; }

work=$(mktemp -d "$base/qdh-bench-scan.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
$CC -O2 -o "$work/gen-sysroot" "$top_srcdir/bench/gen-sysroot.c"

# best_of CMD...: prints "WALL CPU" of the fastest of $runs runs.
best_of() {
	best=
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -o "$work/time" -f "%e %U %S" "$@" > /dev/null 2>&1 || true
		t=$(tail -n 1 "$work/time")
		w=${t%% *}
		c=$(echo "$t" | awk '{ printf "%.2f", $2 + $3 }')
		if [ -z "$best" ] || awk "BEGIN { exit !($w < ${best%% *}) }"; then
			best="$w $c"
		fi
		i=$((i + 1))
	done
	echo "$best"
}

ratio() { awk "BEGIN { if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }

printf '%-9s %-22s %-22s %s\n' functions "qdh scan --json" "lspci -D -k" "qdh/lspci (wall, cpu)"
for n in $n1 $n2; do
	root=$work/root-$n
	"$work/gen-sysroot" "$root" "$n"
	# both must see every function
	got=$("$QDH" scan --sysroot "$root" --json | grep -c '"bus":"pci"' || true)
	[ "$got" -eq "$n" ] || { echo "bench-scan: qdh saw $got of $n functions" >&2; exit 1; }
	q=$(best_of "$QDH" scan --sysroot "$root" --json)
	l=$(best_of lspci -D -k -A linux-sysfs -O "sysfs.path=$root/sys/bus/pci")
	rw=$(ratio "${q%% *}" "${l%% *}")
	rc=$(ratio "${q##* }" "${l##* }")
	printf '%-9s %-22s %-22s %s, %s\n' "$n" "${q%% *} s (cpu ${q##* } s)" \
		"${l%% *} s (cpu ${l##* } s)" "$rw" "$rc"
	eval "qw_$n=${q%% *} qc_$n=${q##* } lw_$n=${l%% *}"
	rm -rf "$root"
done
eval "a=\$qw_$n1 b=\$qw_$n2 c=\$qc_$n1 d=\$qc_$n2"
echo "qdh growth $n1 -> $n2: wall $(ratio "$b" "$a")x, cpu $(ratio "$d" "$c")x (linear: $(ratio "$n2" "$n1")x)"
echo "target: qdh/lspci <= 0.50, growth ~ $(ratio "$n2" "$n1")x"
