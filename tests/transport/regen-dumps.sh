#!/bin/sh
# Regenerate tests/transport/dumps/*.gz: what makedumpfile itself writes
# from a synthetic x86_64 vmcore (tests/transport/mkdump vmcore) holding
# tests/lib/golden/x86-q35-vtd.qdh as its QDH note, so that the dump tests
# check real makedumpfile output even where makedumpfile is not installed.
# Made with Debian 12's makedumpfile 1.7.2; the file names say the options.
# Usage (from a build dir): top_srcdir=SRC top_builddir=. SRC/tests/transport/regen-dumps.sh
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
mkdump=$(cd "$top_builddir" && pwd)/tests/transport/mkdump
out=$top_srcdir/tests/transport/dumps
blob=$top_srcdir/tests/lib/golden/x86-q35-vtd.qdh
ver=$(makedumpfile -v | sed -n 's/^makedumpfile: version \([^ ]*\).*/\1/p')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$mkdump" vmcore "$tmp/core" "$blob"
"$mkdump" vmcore "$tmp/core-noqdh"
# kdump-tools 1.8.1 (kdump-config): makedumpfile $MAKEDUMP_ARGS /proc/vmcore
# | compress > dump.<stamp>, MAKEDUMP_ARGS "-F -c -d 31" (-F added if absent)
makedumpfile -F -c -d 31 "$tmp/core" 2>/dev/null > "$tmp/F-c-d31.flat"
makedumpfile -F -c -d 31 "$tmp/core-noqdh" 2>/dev/null > "$tmp/F-c-d31-noqdh.flat"
makedumpfile -F -E -d 31 "$tmp/core" 2>/dev/null > "$tmp/F-E-d31.flat"
# kdump-utils / makedumpfile's own default: the kdump-compressed file
makedumpfile -c -d 31 "$tmp/core" "$tmp/c-d31.kdump" > /dev/null 2>&1
rm -f "$out"/makedumpfile-*.gz
for f in F-c-d31.flat F-c-d31-noqdh.flat F-E-d31.flat c-d31.kdump; do
	gzip -9n < "$tmp/$f" > "$out/makedumpfile-$ver-$f.gz"
done
