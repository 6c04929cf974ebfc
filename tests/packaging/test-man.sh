#!/bin/sh
# Manual pages: each renders with man -l and groff without a warning, names
# the package version, and agrees with --help both ways: every long option of
# `qdh CMD --help` and `kexec-qdh --help` is a tag in the page, and every
# option tagged in the page is in --help.  A command whose --help says "not
# implemented yet" (or a binary not built) is skipped, not passed.
. "$top_srcdir/tests/common/tap.sh"

MAN=$top_srcdir/man
QDH=$top_builddir/qdh
KQ=$top_builddir/kexec-qdh
PAGES="kexec-qdh.8 qdh.8 qdh-policy.5 qdh-abi.7"

T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-man.XXXXXX")
trap 'rm -rf "$T"' EXIT
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# --- rendering ---------------------------------------------------------------
version=$(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' "$top_builddir/config.h")
for p in $PAGES; do
	f=$MAN/$p
	test -s "$f"; ok $? "$p exists"
	if command -v man >/dev/null 2>&1; then
		(cd "$T" && LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null) > "$T/w"
		[ ! -s "$T/w" ]; ok $? "$p: man --warnings -l is silent"
		sed 's/^/# /' "$T/w"
		LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$f" 2>/dev/null | grep -q '^NAME'
		ok $? "$p: man -l renders a NAME section"
	else
		skip "man not installed"
		skip "man not installed"
	fi
	if command -v groff >/dev/null 2>&1; then
		groff -man -ww -z "$f" > "$T/w" 2>&1
		[ ! -s "$T/w" ]; ok $? "$p: groff -man -ww is silent"
		sed 's/^/# /' "$T/w"
	else
		skip "groff not installed"
	fi
	grep -q "^\.TH .* \"kexec-qdh $version\"" "$f"
	ok $? "$p: .TH names kexec-qdh $version"
	sec=${p##*.}
	grep -q "^\.TH [A-Z-]* $sec " "$f"; ok $? "$p: .TH section is $sec"
done

# --- the options, both ways -------------------------------------------------
# man_opts PAGE START STOP: long options on the tag lines (the line after
# .TP, and the lines it continues with \c) from the line equal to START up
# to the next line matching STOP.
man_opts() {
	awk -v start="$2" -v stop="$3" '
		$0 == start { insec = 1; next }
		insec && $0 ~ stop { insec = 0 }
		insec && tag { print; tag = /\\c$/; next }
		{ tag = insec && /^\.TP/ }' "$1" |
	sed 's/\\-/-/g' | grep -oE -- '--[[:alnum:]][[:alnum:]-]*' | sort -u
}
help_opts() {
	grep -oE -- '--[[:alnum:]][[:alnum:]-]*' "$1" | sort -u
}
# compare NAME HELP-FILE MAN-FILE
compare() {
	comm -23 "$2" "$3" > "$T/missing"
	[ ! -s "$T/missing" ]
	ok $? "$1: every option of --help is in the man page"
	sed 's/^/#   not in the man page: /' "$T/missing"
	comm -13 "$2" "$3" > "$T/extra"
	[ ! -s "$T/extra" ]
	ok $? "$1: every option in the man page is in --help"
	sed 's/^/#   not in --help: /' "$T/extra"
	[ -s "$3" ]; ok $? "$1: the man page documents options ($(wc -l < "$3"))"
}

if [ -x "$KQ" ] && "$KQ" --help > "$T/kq.help" 2>&1 &&
   ! grep -q "not implemented yet" "$T/kq.help"; then
	help_opts "$T/kq.help" > "$T/h"
	man_opts "$MAN/kexec-qdh.8" ".SH OPTIONS" '^\.SH ' > "$T/m"
	compare "kexec-qdh" "$T/h" "$T/m"
else
	skip "kexec-qdh not built or not implemented yet"
fi

if [ -x "$QDH" ]; then
	"$QDH" --help > "$T/qdh.help" 2>&1
	ok $? "qdh --help exits 0"
	sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$T/qdh.help" > "$T/cmds"
	sed -n 's/^\.SS "qdh \([a-z-]*\)"$/\1/p' "$MAN/qdh.8" | sort > "$T/mcmds"
	for cmd in $(cat "$T/cmds"); do
		"$QDH" "$cmd" --help > "$T/$cmd.help" 2>&1
		rc=$?
		if grep -q "not implemented yet" "$T/$cmd.help"; then
			skip "qdh $cmd: not implemented yet"
			continue
		fi
		[ $rc -eq 0 ]; ok $? "qdh $cmd --help exits 0"
		grep -qx "$cmd" "$T/mcmds"; ok $? "qdh.8 has a section for qdh $cmd"
		help_opts "$T/$cmd.help" > "$T/h"
		man_opts "$MAN/qdh.8" ".SS \"qdh $cmd\"" '^\.S[HS] ' > "$T/m"
		compare "qdh $cmd" "$T/h" "$T/m"
	done
	for cmd in $(cat "$T/mcmds"); do
		grep -qx "$cmd" "$T/cmds"
		ok $? "qdh $cmd, documented in qdh.8, is a command of qdh --help"
	done
	"$QDH" --version > "$T/v" 2>&1
	ok $? "qdh --version (documented in qdh.8) exits 0"
	grep -q "$version" "$T/v"; ok $? "qdh --version says $version"
else
	skip "qdh not built"
fi

done_testing
