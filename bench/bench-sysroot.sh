#!/bin/sh
# bench-sysroot: on the same synthetic server-shaped sysroots (gen-sysroot.c)
# of 10,000 and 100,000 PCI functions, in the same run:
#   scan:  `qdh scan` and `qdh scan --json` against
#          `lspci -D -k -A linux-sysfs -O sysfs.path=...`, wall time and peak
#          memory (targets: <= 0.5x lspci's wall time, <= 2x its memory,
#          10k -> 100k growth ~10x);
#   encode: the blob build (bench-blob: qdh_inventory_encode() of the
#          scanned inventory) against zlib's crc32() over the same blob, and
#          `qdh scan --encode` against lspci when the inventory fits one blob
#          (at most about 87,350 devices, doc/abi.md; past that bench-blob
#          keeps the largest prefix that fits and `qdh scan --encode` must
#          refuse, exit 2);
#   apply: `qdh apply --dry-run --report=FILE` with the tree's own blob
#          against lspci and against `qdh scan` (target: a full segment of
#          65,536 functions decided well under 2 s; memory flat: the report
#          is streamed).
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

	"$BLOB" "$root" "$work/blob-$n" > "$work/blob.out"
	sed -e '$d' -e 's/^/  /' "$work/blob.out"
	# "encode DEVICES ALL BYTES ENCODE_S CRC32_S"
	fit=$(tail -n 1 "$work/blob.out" | awk '{ print $2 }')
	enc=$(tail -n 1 "$work/blob.out" | awk '{ print $5 }')
	crc=$(tail -n 1 "$work/blob.out" | awk '{ print $6 }')
	printf '  encode / zlib crc32:     %s (%s devices)\n' "$(ratio "$enc" "$crc")" "$fit"
	if [ "$fit" -eq "$n" ]; then
		e=$(best_of "$QDH" scan --sysroot "$root" --encode "$work/enc-$n")
		show "qdh scan --encode" "$e"
		printf '  qdh scan --encode / lspci: wall %s, cpu %s, memory %s\n' \
			"$(ratio "$(wall "$e")" "$(wall "$l")")" "$(ratio "$(cpu "$e")" "$(cpu "$l")")" \
			"$(ratio "$(mib "$e")" "$(mib "$l")")"
	else
		rc=0
		"$QDH" scan --sysroot "$root" --encode "$work/enc-$n" > /dev/null 2>&1 || rc=$?
		[ "$rc" -eq 2 ] || { echo "bench-sysroot: qdh scan --encode of $n functions: exit $rc, want 2 (does not fit)" >&2; exit 1; }
		echo "  qdh scan --encode:       refuses $n functions (exit 2: past one blob, as doc/abi.md says)"
	fi

	a=$(best_of "$QDH" apply --sysroot "$root" --blob "$work/blob-$n" --dry-run \
		--report="$work/report-$n.json" --no-kmsg)
	show "qdh apply --dry-run" "$a"
	printf '  qdh apply / lspci:       wall %s, cpu %s, memory %s\n' \
		"$(ratio "$(wall "$a")" "$(wall "$l")")" "$(ratio "$(cpu "$a")" "$(cpu "$l")")" \
		"$(ratio "$(mib "$a")" "$(mib "$l")")"
	printf '  qdh apply / qdh scan:    wall %s, cpu %s, memory %s\n' \
		"$(ratio "$(wall "$a")" "$(wall "$q")")" "$(ratio "$(cpu "$a")" "$(cpu "$q")")" \
		"$(ratio "$(mib "$a")" "$(mib "$q")")"
	echo "  report: $(wc -c < "$work/report-$n.json") bytes, $(grep -c '"decision":' "$work/report-$n.json") devices"
	if [ -z "$first" ]; then
		first=$n fw=$(wall "$q") fc=$(cpu "$q") fe=$enc ff=$fit aw=$(wall "$a") ac=$(cpu "$a")
	else
		lin=$(ratio "$n" "$first")
		echo "  growth $first -> $n (linear: ${lin}x):"
		echo "    qdh scan         wall $(ratio "$(wall "$q")" "$fw")x, cpu $(ratio "$(cpu "$q")" "$fc")x"
		echo "    encode           $(ratio "$enc" "$fe")x for $(ratio "$fit" "$ff")x the devices"
		echo "    qdh apply        wall $(ratio "$(wall "$a")" "$aw")x, cpu $(ratio "$(cpu "$a")" "$ac")x"
	fi
	rm -rf "$root" "$work/report-$n.json" "$work/enc-$n"
done
