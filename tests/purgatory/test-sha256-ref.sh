#!/bin/sh
# lib/sha256.c against an independent implementation (coreutils sha256sum,
# else openssl) on random files of awkward sizes.
. "$top_srcdir/tests/common/tap.sh"
tool="$top_builddir/tests/purgatory/sha256-file"
if command -v sha256sum >/dev/null 2>&1; then
	ref() { sha256sum "$1"; }
elif command -v openssl >/dev/null 2>&1; then
	ref() { echo "$(openssl dgst -sha256 -r "$1" | cut -d' ' -f1)  $1"; }
else
	skip_all "neither sha256sum nor openssl"
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for size in 0 1 55 56 63 64 65 119 120 4095 4096 65537 1000003 3145728; do
	head -c "$size" /dev/urandom >"$tmp/r$size"
	a=$("$tool" "$tmp/r$size")
	b=$(ref "$tmp/r$size")
	[ "$a" = "$b" ]; ok $? "random $size bytes match the reference"
	[ "$a" = "$b" ] || echo "# got '$a', want '$b'"
done
done_testing
