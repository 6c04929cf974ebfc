#!/bin/sh
# The tools under valgrind on every fixture: `qdh inspect` (text and JSON)
# on every blob and container of the seed corpora and the golden files,
# `qdh scan --json` (and --encode) on every fixture sysroot, and the fuzz
# replay drivers over their corpora.  Each run must be free of invalid
# accesses, uninitialised reads and leaks (--error-exitcode).  Skipped when
# valgrind is missing (unless RUN_VALGRIND=1, which makes that a failure)
# and in sanitizer builds (ASan and valgrind do not mix).
. "$top_srcdir/tests/common/tap.sh"
QDH=$top_builddir/qdh
if ! command -v valgrind > /dev/null; then
	[ "${RUN_VALGRIND:-0}" = 1 ] && { echo "Bail out! RUN_VALGRIND=1 but no valgrind"; exit 1; }
	skip_all "valgrind not installed"
fi
grep -q __asan_init "$QDH" && skip_all "sanitizer build: valgrind cannot run ASan binaries"
command -v python3 > /dev/null || skip_all "python3 needed for the fixture generators"

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
vg() {	# vg LOGNAME CMD...: run under memcheck, exit 99 on any error
	vlog=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--log-file="$tmp/$vlog.vg" "$@"
}
check() {	# check DESCRIPTION LOGNAME ALLOWED-EXIT... -- CMD...
	d=$1 name=$2; shift 2
	allowed=
	while [ "$1" != -- ]; do allowed="$allowed $1"; shift; done
	shift
	vg "$name" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	rc=$?
	case " $allowed " in *" $rc "*) res=0 ;; *) res=1 ;; esac
	ok $res "$d (exit $rc)"
	if [ $res -ne 0 ]; then
		sed 's/^/# /' "$tmp/$name.vg" | head -40
		sed 's/^/# stderr: /' "$tmp/$name.err" | head -5
	fi
}

# inspect: valid blobs (exit 0), containers without a blob and broken
# regression inputs (exit 1) must all be clean.
n=0
for f in "$top_srcdir"/tests/lib/golden/*.qdh \
	 "$top_srcdir"/tests/fuzz/corpus/dtb/* "$top_srcdir"/tests/fuzz/corpus/elfnote/* \
	 "$top_srcdir"/tests/fuzz/corpus/initrd/* "$top_srcdir"/tests/fuzz/regress/dtb/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	b=$(basename "$f")
	check "inspect $b" "i$n" 0 1 -- "$QDH" inspect "$f"
	check "inspect --json $b" "j$n" 0 1 -- "$QDH" inspect --json "$f"
done

# scan: the scanner's fixtures, the fault matrix, the real captures.
python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$tmp/mixed" --dtc "${DTC:-dtc}" 2>/dev/null ||
	python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$tmp/mixed"
python3 "$top_srcdir/tests/scan/gen-fixture.py" empty "$tmp/empty"
python3 "$top_srcdir/tests/hardening/gen-faults.py" "$tmp/faults"
roots="$tmp/mixed $tmp/empty $tmp/faults"
for c in "$top_srcdir"/tests/scan/topology/captures/*/; do
	[ -d "$c/sys" ] || continue
	# Captures keep the FDT gzip'd; the scanner reads it plain.
	r=$tmp/capture-$(basename "$c")
	cp -r "$c" "$r" && chmod -R u+w "$r"
	[ -f "$r/sys/firmware/fdt.gz" ] && gunzip "$r/sys/firmware/fdt.gz"
	roots="$roots $r"
done
for root in $roots; do
	b=$(basename "$root")
	for mode in crash kexec; do
		check "scan --$mode --json --sysroot $b" "s-$b-$mode" 0 -- \
			"$QDH" scan --sysroot "$root" --$mode --json --encode "$tmp/$b.qdh"
	done
	check "scan (text) --sysroot $b" "t-$b" 0 -- "$QDH" scan --sysroot "$root"
	check "inspect the blob scanned from $b" "e-$b" 0 -- "$QDH" inspect --json "$tmp/$b.qdh"
done

# The loader: a crash-kernel and a kexec build with --dry-run on the
# loader's QEMU-virt-like fixture (tests/loader/lib.sh), gzip'd image too.
if command -v "${DTC:-dtc}" > /dev/null; then
	(
		. "$top_srcdir/tests/loader/lib.sh"
		trap - EXIT
		# Devices to inventory first, then the loader's files over them.
		python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$tmp/ld"
		make_sysroot "$tmp/ld"
		make_image "$tmp/Image"
		gzip -c "$tmp/Image" > "$tmp/Image.gz"
		printf 'initrd' > "$tmp/initrd"
		rm -rf "$T"
	)
	KQ=$top_builddir/kexec-qdh
	check "kexec-qdh -p --dry-run (initrd)" "ld-p" 0 -- "$KQ" --dry-run "$tmp/dp" \
		-p "$tmp/Image" --initrd "$tmp/initrd" --sysroot "$tmp/ld"
	check "kexec-qdh -l --dry-run" "ld-l" 0 -- "$KQ" --dry-run "$tmp/dl" \
		-l "$tmp/Image" --sysroot "$tmp/ld"
	check "kexec-qdh -p --dry-run Image.gz" "ld-z" 0 -- "$KQ" --dry-run "$tmp/dz" \
		-p "$tmp/Image.gz" --sysroot "$tmp/ld"
	"$top_builddir/qdh" inspect "$tmp/dp/blob.qdh" 2>/dev/null | grep -q '0000:00:03.0'
	ok $? "the dry-run blob holds the fixture's devices"
fi

# The fuzz targets' own code paths, over their corpora and regressions.
for t in blob dtb elfnote initrd policy topo-iort topo-dmar topo-ivrs topo-fdt iommu-map iomem; do
	dirs=$top_srcdir/tests/fuzz/corpus/$t
	[ -d "$top_srcdir/tests/fuzz/regress/$t" ] && dirs="$dirs $top_srcdir/tests/fuzz/regress/$t"
	# shellcheck disable=SC2086
	check "replay-$t over corpus and regressions" "r-$t" 0 -- "$top_builddir/tests/fuzz/replay-$t" $dirs
done
done_testing
