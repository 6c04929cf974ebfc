#!/bin/sh
# bash completion: source bash-completion and completion/{qdh,kexec-qdh},
# call the functions as bash would (COMP_WORDS split at "="), and check the
# candidates against the programs' own --help, so neither can drift.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
KQ=$top_builddir/kexec-qdh
BC=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
command -v bash >/dev/null 2>&1 || skip_all "bash not found"
[ -r "$BC" ] || skip_all "bash-completion not installed ($BC)"
[ -x "$QDH" ] || skip_all "qdh not built"

T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-compl.XXXXXX")
trap 'rm -rf "$T"' EXIT
mkdir "$T/dir" && : > "$T/dir/pol.json" && mkdir "$T/dir/sub"

# complete LINE: the candidates, one per line, for the end of LINE, with
# COMP_WORDS split as bash splits them (at blanks, and "=" a word of its own).
complete_line() {
	PATH=$top_builddir:$PATH bash -c '
		. "$1"; . "$2"; . "$3"
		compopt() { :; }	# needs a real completion context
		COMP_LINE=$4; COMP_POINT=${#COMP_LINE}
		read -r -a w <<< "$COMP_LINE"
		[[ $COMP_LINE == *" " ]] && w+=("")
		COMP_WORDS=()
		for x in "${w[@]}"; do
			if [[ $x == *=* ]]; then
				COMP_WORDS+=("${x%%=*}" "=" "${x#*=}")
			else
				COMP_WORDS+=("$x")
			fi
		done
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		f=$(complete -p "${COMP_WORDS[0]}" | sed "s/.*-F \([^ ]*\) .*/\1/")
		prev=; [ $COMP_CWORD -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
		"$f" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "$prev"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$BC" \
		"$top_srcdir/completion/qdh" "$top_srcdir/completion/kexec-qdh" "$1"
}

# has_all FILE WORD...: every WORD is a line of FILE
has_all() {
	f=$1; shift
	missing=
	for w in "$@"; do
		grep -qxF -- "$w" "$f" || missing="$missing $w"
	done
	[ -z "$missing" ] || { echo "# missing:$missing"; return 1; }
}

help_opts() {	# the long options a --help names, without "="
	"$@" --help 2>&1 | grep -oE -- '--[[:alnum:]][[:alnum:]-]*' | sort -u
}

# --- qdh ---------------------------------------------------------------------
complete_line "qdh " > "$T/c"
cmds=$("$QDH" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ]; ok $? "qdh --help lists commands ($(echo $cmds))"
# shellcheck disable=SC2086
has_all "$T/c" $cmds --help --version; ok $? "qdh <TAB> offers every command of qdh --help"

for cmd in $cmds; do
	if "$QDH" "$cmd" --help 2>&1 | grep -q "not implemented yet"; then
		echo "ok $((tap_n += 1)) # SKIP qdh $cmd: not implemented yet"
		continue
	fi
	complete_line "qdh $cmd --" | sed 's/=$//' > "$T/c"
	# shellcheck disable=SC2046
	has_all "$T/c" $(help_opts "$QDH" "$cmd")
	ok $? "qdh $cmd --<TAB> offers every option of qdh $cmd --help"
done

complete_line "qdh scan --st" > "$T/c"
[ "$(cat "$T/c")" = --strict ]; ok $? "qdh scan --st<TAB> completes to --strict"
complete_line "qdh apply --fail" > "$T/c"
[ "$(cat "$T/c")" = --fail-safe= ]; ok $? "qdh apply --fail<TAB> gives --fail-safe= (argument after =)"
complete_line "qdh apply --fail-safe=" > "$T/c"
has_all "$T/c" observe strict; ok $? "qdh apply --fail-safe=<TAB> offers the modes"
complete_line "qdh apply --hotplug=at" > "$T/c"
[ "$(cat "$T/c")" = attach ]; ok $? "qdh apply --hotplug=at<TAB> completes to attach"
complete_line "qdh scan --policy $T/dir/p" > "$T/c"
[ "$(cat "$T/c")" = "$T/dir/pol.json" ]; ok $? "qdh scan --policy completes file names"
complete_line "qdh scan --sysroot $T/dir/" > "$T/c"
[ "$(cat "$T/c")" = "$T/dir/sub" ]; ok $? "qdh scan --sysroot completes directories only"

# --- kexec-qdh ---------------------------------------------------------------
if [ -x "$KQ" ]; then
	complete_line "kexec-qdh --" | sed 's/=$//' > "$T/c"
	# shellcheck disable=SC2046
	has_all "$T/c" $(help_opts "$KQ")
	ok $? "kexec-qdh --<TAB> offers every option of kexec-qdh --help"
	has_all "$T/c" --load-panic --qdh-policy --dry-run --sysroot --initrd
	ok $? "kexec-qdh --<TAB> offers the kdump and QDH options"
	complete_line "kexec-qdh --qdh=" > "$T/c"
	has_all "$T/c" on off require; ok $? "kexec-qdh --qdh=<TAB> offers on off require"
	complete_line "kexec-qdh -p --initrd $T/dir/p" > "$T/c"
	[ "$(cat "$T/c")" = "$T/dir/pol.json" ]; ok $? "kexec-qdh --initrd completes file names"
else
	echo "ok $((tap_n += 1)) # SKIP kexec-qdh not built"
fi

done_testing
