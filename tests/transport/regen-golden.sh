#!/bin/sh
# Regenerate tests/transport/golden/*.{json,txt} from tests/lib/golden/*.qdh.
# Usage (from a build dir): top_srcdir=SRC top_builddir=. SRC/tests/transport/regen-golden.sh
set -e
: "${top_srcdir:?}" "${top_builddir:?}"
qdh=$(cd "$top_builddir" && pwd)/qdh
out="$top_srcdir/tests/transport/golden"
cd "$top_srcdir/tests/lib/golden"
for blob in *.qdh; do
	name=${blob%.qdh}
	"$qdh" inspect --json "$blob" >"$out/$name.json"
	"$qdh" inspect "$blob" >"$out/$name.txt"
done
