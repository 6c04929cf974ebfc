#!/bin/sh
# Write patch 1 of the kernel series: the QDH codec of this project's lib/
# and include/, copied byte for byte under lib/qdh/ of the kernel tree, as
# one `git format-patch` file.  Generated, never edited by hand, so the
# kernel compiles exactly the codec the tools, purgatory and tests use
# (tests/kernel/test-series.sh fails when the committed copy drifts).
#   kernel/gen-codec-patch.sh SRCDIR OUT.patch [NPATCHES]
# SRCDIR: the project's source tree (lib/crc32-table.h may also come from
# $QDH_BUILDDIR when the build generates it).  NPATCHES: the series length
# for the "[PATCH 1/N]" subject (default: count of kernel/patches/0*.patch).
# The output depends only on the input files: fixed author, dates and
# commit id (--zero-commit), no git version signature.
set -eu
src=$(cd "$1" && pwd)
out=$2
n=${3:-$(ls "$src"/kernel/patches/0*.patch 2>/dev/null | wc -l)}
[ "$n" -ge 1 ] || n=1

# The freestanding sources of lib/Makefile.inc, without the builder (the
# kernel only reads blobs): whatever else the reader needs comes along.
srcs=$(sed -n '/^QDH_LIB_FREESTANDING_SOURCES *=/,/^$/p' "$src/lib/Makefile.inc" |
	tr -s ' \t\\' '\n' | grep '^lib/.*\.c$' | grep -v -e '^lib/build\.c$' -e '^lib/sort\.c$')
[ -n "$srcs" ] || { echo "gen-codec-patch: no sources in lib/Makefile.inc" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/t/lib/qdh/include/qdh" "$tmp/t/lib/qdh/include/uapi"
for f in $srcs; do cp "$src/$f" "$tmp/t/lib/qdh/"; done
for f in "$src"/lib/*.h; do cp "$f" "$tmp/t/lib/qdh/"; done
if [ ! -f "$tmp/t/lib/qdh/crc32-table.h" ]; then
	f=${QDH_BUILDDIR:-$src}/lib/crc32-table.h
	[ -f "$f" ] || { echo "gen-codec-patch: lib/crc32-table.h not found (build the project first)" >&2; exit 1; }
	cp "$f" "$tmp/t/lib/qdh/"
fi
cp "$src/include/qdh/codec.h" "$src/include/qdh/freestanding.h" "$tmp/t/lib/qdh/include/qdh/"
cp "$src/include/uapi/qdh.h" "$tmp/t/lib/qdh/include/uapi/"

files=$(cd "$tmp/t" && find lib -type f | LC_ALL=C sort | sed 's/^/  /')
cat >"$tmp/msg" <<EOF
lib/qdh: import the QDH handover codec

kexec-qdh hands a kdump kernel a description of the devices of the
crashed kernel: which were quiesced, which may still be doing DMA,
their IOMMU and StreamIDs, and what its purgatory saw of each IOMMU
just before the jump.  The format is a versioned, checksummed blob
(include/uapi/qdh.h below, GPL-2.0 OR BSD-2-Clause); its reader is a
small freestanding codec (no libc, no allocation) written to be shared
by the loader's tools, its purgatory and this kernel.

This patch adds that codec unchanged, generated from the kexec-qdh
sources, so that the kernel validates a blob exactly as the tools do:

$files

Nothing builds these files yet; the next patch adds the Kconfig
symbol, the kernel-side environment headers and the code that finds
the blob.
EOF
# The project signs the generated patch; fixed, so the output never
# depends on who runs the generator.
name=${QDH_PATCH_NAME:-Seed 03469127 maintainers}
email=${QDH_PATCH_EMAIL:-maintainers@users.noreply.r-seed-03469127.example}
sob="Signed-off-by: $name <$email>"
printf '\n%s\n' "$sob" >>"$tmp/msg"

(
	cd "$tmp/t"
	export GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email"
	export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
	export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
	git init -q .
	git add -A
	git -c core.autocrlf=false commit -q -F "$tmp/msg"
	git format-patch -q --stdout --zero-commit --no-signature \
		--subject-prefix="PATCH 1/$n" -1 HEAD
) >"$tmp/out.patch"
# `--subject-prefix` yields "[PATCH 1/N]"; keep the file stable
mv "$tmp/out.patch" "$out"
