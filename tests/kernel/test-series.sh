#!/bin/sh
# The kernel series in kernel/patches (doc/kernel.md):
#  - patch 1 is exactly what kernel/gen-codec-patch.sh writes from lib/ and
#    include/ now: the kernel compiles the codec the tools use, unchanged;
#  - every patch is a `git format-patch` mail numbered k/N with a
#    Signed-off-by, and the cover letter is 0/N;
#  - the freestanding codec files the generator takes are the ones the
#    purgatory build takes (lib/Makefile.inc), minus the builder.
. "$top_srcdir/tests/common/tap.sh"

P=$top_srcdir/kernel/patches
command -v git >/dev/null || skip_all "git needed to generate patch 1"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-series-XXXXXX")
trap 'rm -rf "$T"' EXIT

n=$(ls "$P"/0*.patch | grep -vc '/0000-')
QDH_BUILDDIR=$top_builddir "$top_srcdir/kernel/gen-codec-patch.sh" "$top_srcdir" "$T/0001.patch" "$n"
ok $? "patch 1 generated"
cmp -s "$T/0001.patch" "$P"/0001-*.patch
r=$?
ok $r "patch 1 is the codec of lib/ and include/ as it is now"
[ $r -eq 0 ] || { echo "# lib/ or include/ changed: run kernel/gen-codec-patch.sh . kernel/patches/0001-*.patch $n"; diff "$P"/0001-*.patch "$T/0001.patch" | head -20 | sed 's/^/#   /'; }

for f in "$P"/0*.patch; do
	b=${f##*/}
	k=$(printf '%s' "$b" | sed 's/^0*\([0-9]\)/\1/; s/-.*//')
	grep -q "^Subject: \[PATCH $k/$n\]" "$f"
	ok $? "$b: subject numbered $k/$n"
	if [ "$k" != 0 ]; then
		grep -q '^Signed-off-by: ' "$f" && grep -q '^diff --git ' "$f"
		ok $? "$b: signed off, has a diff"
	fi
done

# the generator copies these, and they must be real files of lib/
for f in $(grep '^+++ b/lib/qdh/[a-z0-9-]*\.c$' "$P"/0001-*.patch | sed 's|^+++ b/lib/qdh/||'); do
	grep -q "lib/$f" "$top_srcdir/lib/Makefile.inc"
	ok $? "patch 1 carries lib/$f, a freestanding source of lib/Makefile.inc"
done
done_testing
