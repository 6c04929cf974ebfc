#!/bin/sh
# Regenerates the golden QDH blobs and compares them byte for byte with the
# committed ones in tests/lib/golden/: a difference means the ABI or the
# builder's canonical layout changed.  If that was intended, regenerate with
#   tests/lib/gen-golden "$top_srcdir/tests/lib/golden"
# and say so in the commit (doc/abi.md's walk-through may need updating).
. "$top_srcdir/tests/common/tap.sh"

gen="$top_builddir/tests/lib/gen-golden"
golden="$top_srcdir/tests/lib/golden"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

run_ok "gen-golden writes the blobs" "$gen" "$tmp"
run_fails 2 "gen-golden without a directory is a usage error" "$gen" 2>/dev/null

n=0
for want in "$golden"/*.qdh; do
	name=$(basename "$want")
	n=$((n + 1))
	cmp "$want" "$tmp/$name" >/dev/null 2>&1
	ok $? "$name is byte-identical to the committed golden blob"
done
[ "$n" -ge 5 ]
ok $? "at least 5 golden blobs committed ($n)"
[ "$(ls "$tmp" | wc -l)" -eq "$n" ]
ok $? "every generated blob has a committed golden copy"

# Generating twice gives the same bytes (no time, address or randomness).
mkdir "$tmp/again"
"$gen" "$tmp/again" && for f in "$tmp"/*.qdh; do
	cmp "$f" "$tmp/again/$(basename "$f")" || exit 1
done
ok $? "a second run produces identical bytes"
done_testing
