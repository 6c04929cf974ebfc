#!/bin/sh
# Every file git tracks is in the release tarball, except the few listed
# here that only make sense in a git checkout.  distcheck builds and tests
# from the tarball, so a forgotten EXTRA_DIST entry fails there -- after
# ten minutes, and only if a test happens to need the file; this says
# which file at once.
# usage: check-dist.sh TARBALL   (run from the top of a git checkout)
set -eu
tarball=$1
not_shipped='.gitignore
m4/.keep
scripts/check-dist.sh
scripts/cross-configure-arm64.sh
scripts/test-all.sh'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar tzf "$tarball" | sed 's|^[^/]*/||' | sort -u >"$tmp/dist"
git ls-files | sort >"$tmp/git"
printf '%s\n' "$not_shipped" | sort >"$tmp/skip"
comm -13 "$tmp/dist" "$tmp/git" | comm -23 - "$tmp/skip" >"$tmp/missing"
if [ -s "$tmp/missing" ]; then
	echo "check-dist: tracked by git but not in $tarball (add to EXTRA_DIST):" >&2
	sed 's/^/  /' "$tmp/missing" >&2
	exit 1
fi
echo "check-dist: all $(wc -l <"$tmp/git") tracked files shipped or deliberately not"
