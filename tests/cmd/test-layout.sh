#!/bin/sh
# Library folders hold only what other code links against (issue 12 item 9,
# STYLE.md "Library folders hold library code"): the `qdh` front ends and
# the renderers only they use live in kexec/cmd/ and libqdhcmd.a; library
# code neither includes a header from there nor links against it, and the
# command code reaches the library through its public headers only.
# Checked on the sources and on the built archives (nm), so a file moved
# back, an include added or a symbol pulled across fails here.
. "$top_srcdir/tests/common/tap.sh"
src=$top_srcdir
bld=$top_builddir
NM=${NM:-nm}
# Every folder whose code other code links against.
libdirs="lib kexec/common kexec/scan kexec/transport kexec/apply kexec/loader purgatory"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

libsrc() { for d in $libdirs; do find "$src/$d" -name '*.[ch]'; done; }
libsrc > "$tmp/libsrc"

# 1. No command front end in a library folder, by file name or by entry point.
for d in $libdirs; do find "$src/$d" -name 'cmd_*.c'; done > "$tmp/misplaced"
xargs -r grep -l '^int cmd_[a-z_]*(' < "$tmp/libsrc" >> "$tmp/misplaced"
sort -u -o "$tmp/misplaced" "$tmp/misplaced"
sed 's/^/# misplaced: /' "$tmp/misplaced"
[ ! -s "$tmp/misplaced" ]; ok $? "no cmd_*.c or cmd_*() in a library folder"

# 2. Library code includes no header of kexec/cmd/ (the folder must exist).
[ -d "$src/kexec/cmd" ]; ok $? "kexec/cmd/ holds the command code"
(cd "$src/kexec/cmd" 2>/dev/null && ls *.h 2>/dev/null) > "$tmp/cmdhdrs"
: > "$tmp/badinc"
while IFS= read -r f; do
	dir=${f%/*}
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' "$f" |
	while IFS= read -r inc; do
		case $inc in
		*cmd/*) echo "$f: $inc" ;;
		*) [ -e "$dir/$inc" ] || ! grep -qxF "${inc##*/}" "$tmp/cmdhdrs" ||
			echo "$f: $inc" ;;
		esac
	done
done < "$tmp/libsrc" > "$tmp/badinc"
sed 's/^/# includes command code: /' "$tmp/badinc"
[ ! -s "$tmp/badinc" ]; ok $? "no library source includes a header from kexec/cmd/"

# 3. Command code sees the library through include/qdh/ only: every quoted
#    include is config.h, qdh/..., or a header of kexec/cmd/ by its bare name.
{ find "$src/kexec" -name 'cmd_*.c'; find "$src/kexec/cmd" -name '*.[ch]' 2>/dev/null; } |
	sort -u > "$tmp/cmdsrc"
while IFS= read -r f; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
	while IFS= read -r inc; do
		case $inc in
		config.h|qdh/*) ;;
		*/*) echo "$f: $inc" ;;	# ../apply/x.h is not its own
		*) [ "${f%/*}" = "$src/kexec/cmd" ] && [ -e "$src/kexec/cmd/$inc" ] ||
			echo "$f: $inc" ;;
		esac
	done
done < "$tmp/cmdsrc" > "$tmp/internal"
sed 's/^/# reaches into a library: /' "$tmp/internal"
[ -s "$tmp/cmdsrc" ] && [ ! -s "$tmp/internal" ]
ok $? "command code includes only public headers and its own"

# 4. The archives: libqdhcmd.a holds the cmd_* entry points; no library
#    archive defines one or refers to anything libqdhcmd.a defines.
syms() { "$NM" -g "$@" 2>"$tmp/nm.err" | awk 'NF >= 2 { print $NF }' | sort -u; }
cmdlib=$bld/libqdhcmd.a
if [ -f "$cmdlib" ]; then
	"$NM" -g --defined-only "$cmdlib" 2>"$tmp/nm.err" | awk 'NF == 3 { print $3 }' |
		sort -u > "$tmp/cmddefs"
	grep -q '^cmd_apply$' "$tmp/cmddefs" && grep -q '^cmd_scan$' "$tmp/cmddefs"
	ok $? "libqdhcmd.a defines the cmd_* entry points"
else
	ok 1 "libqdhcmd.a is built"
	: > "$tmp/cmddefs"
fi
for lib in libqdhuser.a libqdhloader.a libqdh.a; do
	a=$bld/$lib
	if [ ! -f "$a" ]; then
		ok 1 "$lib is built"
		continue
	fi
	"$NM" -g --defined-only "$a" > "$tmp/defs" 2>"$tmp/nm.err"
	ok $? "nm reads $lib"
	awk 'NF == 3 { print $3 }' "$tmp/defs" | sort -u > "$tmp/libdefs"
	{ grep '^cmd_' "$tmp/libdefs"; comm -12 "$tmp/libdefs" "$tmp/cmddefs"; } |
		sort -u > "$tmp/dup"
	sed 's/^/# defined: /' "$tmp/dup"
	[ ! -s "$tmp/dup" ]; ok $? "$lib defines no command symbol"
	"$NM" -g --undefined-only "$a" 2>"$tmp/nm.err" | awk 'NF == 2 { print $2 }' |
		sort -u > "$tmp/undef"
	{ grep '^cmd_' "$tmp/undef"; comm -12 "$tmp/undef" "$tmp/cmddefs"; } |
		sort -u > "$tmp/refs"
	sed 's/^/# refers to: /' "$tmp/refs"
	[ ! -s "$tmp/refs" ]; ok $? "$lib refers to no command symbol"
done
done_testing
