#!/bin/sh
# bench-sysroot: on the same synthetic server-shaped sysroots (gen-sysroot.c)
# of 10,000 and 100,000 PCI functions, in the same run:
#   scan:  `qdh scan` and `qdh scan --json` against
#          `lspci -D -k -A linux-sysfs -O sysfs.path=...`, wall time and peak
#          memory (targets: <= 0.5x lspci's wall time, <= 2x its memory,
#          10k -> 100k growth ~10x);
#   apply: `qdh apply --dry-run` with the tree's own blob against `qdh scan`
#          (target: a full segment of 65,536 functions decided well under 2 s).
#
# Usage: bench/bench-sysroot.sh [N...]   (default 10000 100000)
# Env:   QDH (default ./qdh), BLOB (default ./bench/bench-blob), CC,
#        BENCH_DIR (default /dev/shm if it has the inodes, else /var/tmp), BENCH_RUNS (best of, 3),
#        BENCH_MIX (gen-sysroot -m, default its realistic server),
#        BENCH_GEN_ARGS (more gen-sysroot options, e.g. "-v 64")
# Times are wall-clock seconds, best of BENCH_RUNS, with the CPU time
# (user+sys) of that run: on a shared machine CPU time is the steadier.
# Memory is the peak RSS (GNU time %M) of that run.
set -eu

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
QDH=${QDH:-./qdh}
BLOB=${BLOB:-./bench/bench-blob}
CC=${CC:-cc}
runs=${BENCH_RUNS:-3}
[ $# -gt 0 ] || set -- 10000 100000
# tmpfs charges an inode for every hard link: about 50 per function here.
max=0
for n in "$@"; do [ "$n" -gt "$max" ] && max=$n; done
base=${BENCH_DIR:-}
if [ -z "$base" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -Pi /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((max * 60)) ]; then
	base=/dev/shm
fi
base=${base:-${TMPDIR:-/var/tmp}}

[ -x /usr/bin/time ] || { echo "bench-sysroot: GNU time (package time) not installed" >&2; exit 2; }
command -v lspci >/dev/null || { echo "bench-sysroot: lspci (pciutils) not installed" >&2; exit 2; }
[ -x "$QDH" ] || { echo "bench-sysroot: $QDH not built" >&2; exit 2; }
[ -x "$BLOB" ] || { echo "bench-sysroot: $BLOB not built" >&2; exit 2; }

work=$(mktemp -d "$base/qdh-bench-sysroot.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
$CC -O2 -o "$work/gen-sysroot" "$top_srcdir/bench/gen-sysroot.c"

# best_of CMD...: prints "WALL CPU MAXRSS_KIB" of the fastest of $runs runs.
best_of() {
	best=
	i=0
	while [ $i -lt "$runs" ]; do
		/usr/bin/time -o "$work/time" -f "%e %U %S %M" "$@" > /dev/null 2>&1 || true
		t=$(tail -n 1 "$work/time")
		w=${t%% *}
		r=$(echo "$t" | awk '{ printf "%.2f %d", $2 + $3, $4 }')
		if [ -z "$best" ] || awk "BEGIN { exit !($w < ${best%% *}) }"; then
			best="$w $r"
		fi
		i=$((i + 1))
	done
	echo "$best"
}
wall() { echo "$1" | awk '{ print $1 }'; }
cpu() { echo "$1" | awk '{ print $2 }'; }
mib() { echo "$1" | awk '{ printf "%.1f", $3 / 1024 }'; }
ratio() { awk "BEGIN { if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"inf\" }"; }
show() {	# show LABEL RESULT
	printf '  %-24s %7s s wall  %6s s cpu  %7s MiB\n' "$1" "$(wall "$2")" "$(cpu "$2")" "$(mib "$2")"
}

first=
for n in "$@"; do
	root=$work/root-$n
	# shellcheck disable=SC2086
	"$work/gen-sysroot" ${BENCH_MIX:+-m "$BENCH_MIX"} ${BENCH_GEN_ARGS:-} "$root" "$n"
	got=$("$QDH" scan --sysroot "$root" --json | grep -c '"bus":"pci"' || true)
	[ "$got" -eq "$n" ] || { echo "bench-sysroot: qdh saw $got of $n functions" >&2; exit 1; }
	echo "== $n functions"
	q=$(best_of "$QDH" scan --sysroot "$root")
	j=$(best_of "$QDH" scan --sysroot "$root" --json)
	l=$(best_of lspci -D -k -A linux-sysfs -O "sysfs.path=$root/sys/bus/pci")
	show "qdh scan" "$q"
	show "qdh scan --json" "$j"
	show "lspci -D -k" "$l"
	printf '  qdh scan / lspci:        wall %s, cpu %s, memory %s   (target <= 0.50, <= 2.00)\n' \
		"$(ratio "$(wall "$q")" "$(wall "$l")")" "$(ratio "$(cpu "$q")" "$(cpu "$l")")" \
		"$(ratio "$(mib "$q")" "$(mib "$l")")"
	printf '  qdh scan --json / lspci: wall %s, cpu %s, memory %s\n' \
		"$(ratio "$(wall "$j")" "$(wall "$l")")" "$(ratio "$(cpu "$j")" "$(cpu "$l")")" \
		"$(ratio "$(mib "$j")" "$(mib "$l")")"
	"$BLOB" "$root" "$work/blob-$n" >&2
	a=$(best_of "$QDH" apply --sysroot "$root" --blob "$work/blob-$n" --dry-run \
		--no-report --no-kmsg)
	show "qdh apply --dry-run" "$a"
	printf '  qdh apply / qdh scan:    wall %s, cpu %s, memory %s\n' \
		"$(ratio "$(wall "$a")" "$(wall "$q")")" "$(ratio "$(cpu "$a")" "$(cpu "$q")")" \
		"$(ratio "$(mib "$a")" "$(mib "$q")")"
	if [ -z "$first" ]; then
		first=$n fw=$(wall "$q") fc=$(cpu "$q")
	else
		echo "  qdh scan growth $first -> $n: wall $(ratio "$(wall "$q")" "$fw")x, cpu $(ratio "$(cpu "$q")" "$fc")x (linear: $(ratio "$n" "$first")x)"
	fi
	rm -rf "$root"
done
