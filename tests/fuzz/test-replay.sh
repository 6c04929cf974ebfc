#!/bin/sh
# Replays the seed corpus and every regression input of each fuzz target
# through the target's own LLVMFuzzerTestOneInput (tests/fuzz/replay-NAME,
# no libFuzzer), so a crash found once stays fixed in every build: plain,
# ASan+UBSan, and under valgrind when QDH_REPLAY_WRAPPER=valgrind... is set.
. "$top_srcdir/tests/common/tap.sh"
src=$top_srcdir/tests/fuzz
bin=$top_builddir/tests/fuzz
names="blob dtb elfnote initrd policy topo-iort topo-dmar topo-ivrs topo-fdt iommu-map iomem dump dumpconf apply decide"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

for t in $names; do
	n=$(find "$src/corpus/$t" -type f ! -name '.*' 2>/dev/null | wc -l)
	[ "$n" -gt 0 ]
	ok $? "fuzz-$t has a seed corpus ($n files)"
	dirs="$src/corpus/$t"
	[ -d "$src/regress/$t" ] && dirs="$dirs $src/regress/$t"
	# shellcheck disable=SC2086
	${QDH_REPLAY_WRAPPER:-} "$bin/replay-$t" $dirs > "$tmp/out" 2> "$tmp/err"
	rc=$?
	ok $rc "fuzz-$t replays corpus and regressions cleanly"
	if [ $rc -ne 0 ]; then
		sed 's/^/# /' "$tmp/out"
		tail -n 40 "$tmp/err" | sed 's/^/# /'
	fi
done
done_testing
