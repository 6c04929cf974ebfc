#!/bin/sh
# Rewrite kernel/patches/ from a kernel git tree holding the series as
# commits on top of BASE (the unpatched Debian source), the way the series
# is maintained (doc/kernel.md, "Changing the series"):
#   kernel/refresh-series.sh GITDIR BASE
# The cover letter's text is kernel/cover-letter.txt (its first line the
# subject); patch 1 is regenerated from lib/ and include/ so that it is
# byte for byte what kernel/gen-codec-patch.sh writes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
git=$1 base=$2
out=$here/patches
branch=$(git -C "$git" symbolic-ref --short HEAD)
git -C "$git" config "branch.$branch.description" "$(cat "$here/cover-letter.txt")"
rm -f "$out"/0*.patch
git -C "$git" format-patch -q --cover-letter --cover-from-description=auto \
	--zero-commit --no-signature -o "$out" "$base..HEAD"
n=$(ls "$out"/0*.patch | grep -vc '/0000-')
rm -f "$out"/0001-*.patch
"$here/gen-codec-patch.sh" "$here/.." "$out/0001-lib-qdh-import-the-QDH-handover-codec.patch" "$n"
ls "$out"
