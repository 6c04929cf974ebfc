#!/bin/sh
# `qdh inspect` on every golden blob (tests/lib/golden/*.qdh) must print
# exactly tests/transport/golden/NAME.json (--json) and NAME.txt (text).
# A difference is a change of the inspect output schema: if it was meant,
# regenerate with
#   tests/transport/regen-golden.sh
# and document it in doc/inspect-json.md.
. "$top_srcdir/tests/common/tap.sh"

qdh="$top_builddir/qdh"
blobs="$top_srcdir/tests/lib/golden"
want="$top_srcdir/tests/transport/golden"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

n=0
for blob in "$blobs"/*.qdh; do
	name=$(basename "$blob" .qdh)
	n=$((n + 1))
	# Run beside the blob so that "file" is the bare name.
	(cd "$blobs" && "$qdh" inspect --json "$name.qdh") >"$tmp/$name.json"
	ok $? "$name: qdh inspect --json exits 0"
	diff -u "$want/$name.json" "$tmp/$name.json" >"$tmp/diff" 2>&1
	r=$?; ok $r "$name: JSON output matches golden/$name.json"
	[ $r -eq 0 ] || sed 's/^/# /' "$tmp/diff" | head -40
	(cd "$blobs" && "$qdh" inspect "$name.qdh") >"$tmp/$name.txt"
	ok $? "$name: qdh inspect exits 0"
	diff -u "$want/$name.txt" "$tmp/$name.txt" >"$tmp/diff" 2>&1
	r=$?; ok $r "$name: text output matches golden/$name.txt"
	[ $r -eq 0 ] || sed 's/^/# /' "$tmp/diff" | head -40
done
[ "$n" -ge 5 ]
ok $? "golden blobs present ($n)"
# Every expected file belongs to a blob (no stale goldens).
for f in "$want"/*.json "$want"/*.txt; do
	[ -e "$blobs/$(basename "${f%.*}").qdh" ] || { echo "# stale: $f"; false; } || break
done
ok $? "no expected output without its blob"
done_testing
