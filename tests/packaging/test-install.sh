#!/bin/sh
# `make install DESTDIR=...` installs what the packages ship: both tools, the
# manual pages, the bash completions, every document of doc/, the
# initramfs-tools hook and script, the dracut module, the udev rule and the
# units with the programs they run; and never a `kexec`
# (only the distribution packages replace kexec-tools' binary).
. "$top_srcdir/tests/common/tap.sh"

command -v make >/dev/null 2>&1 || skip_all "make not found"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-inst.XXXXXX")
trap 'rm -rf "$T"' EXIT

# A make of our own: not the jobserver of the `make check` that runs us.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -s -C "$top_builddir" install DESTDIR="$T/d" > "$T/log" 2>&1
ok $? "make install DESTDIR=... succeeds"
[ $tap_failed -eq 0 ] || sed 's/^/# /' "$T/log"
(cd "$T/d" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) > "$T/files"

# one PATTERN DESCRIPTION: exactly one installed file matches PATTERN (ERE)
one() {
	n=$(grep -cE "$1" "$T/files")
	[ "$n" -eq 1 ]; ok $? "$2 ($(grep -E "$1" "$T/files" | head -1))"
}
one '/sbin/qdh$' "qdh in sbin"
one '/sbin/kexec-qdh$' "kexec-qdh in sbin"
! grep -qE '/s?bin/kexec$' "$T/files"; ok $? "no kexec binary: kexec-tools' stays"
for p in man8/kexec-qdh.8 man8/qdh.8 man5/qdh-policy.5 man7/qdh-abi.7; do
	one "/man/$p\$" "manual page $p"
	f=$(grep -E "/man/$p\$" "$T/files" | head -1)
	cmp -s "$T/d$f" "$top_srcdir/man/${p#*/}"; ok $? "$p installed as written"
done
one '/bash-completion/completions/qdh$' "bash completion for qdh"
one '/bash-completion/completions/kexec-qdh$' "bash completion for kexec-qdh"
for d in $(cd "$top_srcdir" && ls doc/*.md doc/bindings/*); do
	one "/share/doc/kexec-qdh/$d\$" "documentation $d"
done
one '/initramfs-tools/hooks/qdh-apply$' "initramfs-tools hook"
one '/initramfs-tools/scripts/init-top/qdh-apply$' "initramfs-tools init-top script"
one '/lib/dracut/modules.d/99qdh/module-setup.sh$' "dracut module"
one '/udev/rules.d/90-kexec-qdh.rules$' "udev rule"
one '/systemd/system/kexec-qdh-baseline.service$' "baseline unit"
one '/libexec/kexec-qdh/qdh-reload$' "the reloader"
# What the rule and the units run is installed, at the path they name.
for u in $(grep -E '(/systemd/system/|/udev/rules.d/)' "$T/files"); do
	for x in $(sed -n -e 's/^ExecStart=\([^ ]*\).*/\1/p' -e 's/.* \([^ "]*\/libexec\/[^ "]*\)"$/\1/p' "$T/d$u"); do
		[ -x "$T/d$x" ] || { echo "# $u runs $x, not installed"; false; }
	done
done
ok $? "the programs the udev rule and the units run are installed where they say"
for f in $(grep -E '(/sbin/|/hooks/|/init-top/|/modules.d/|/libexec/kexec-qdh/qdh-[a-z-]*$)' "$T/files"); do
	[ -x "$T/d$f" ] || { echo "# not executable: $f"; false; }
done
ok $? "programs, hooks and scripts are executable"

done_testing
