#!/bin/sh
# Every shell runner with hostile names (issue 13): the initramfs runner
# (initramfs-tools init-top script, also the dracut runner), the dracut
# pre-udev hook, the /sbin/kexec front end and qdh-reload.  A name holding
# spaces, glob characters, $(...), backquotes, quotes and a newline reaches
# qdh as one unchanged word; lists (the kernel command line,
# QDH_DUMP_TARGET, QDH_ARGS) are split at white space but never globbed;
# nothing is ever evaluated.
. "$top_srcdir/tests/common/tap.sh"

RUNNER=$top_srcdir/initramfs-tools/scripts/init-top/qdh-apply
HOOK=$top_srcdir/dracut/99qdh/qdh-pre-udev.sh
FE=$top_srcdir/packaging/kexec-frontend.sh
RELOAD=$top_srcdir/scripts/qdh-reload
QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-quote.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

# The hostile name: every shell metacharacter that matters, and a newline.
H="$T/sp ace*?[ab] \$(touch $T/PWNED) \`touch $T/PWNED2\` 'q\"
nl"
# A working directory full of names a glob would pick up, one of them
# shaped like a kernel command-line option.
W=$T/cwd
mkdir -p "$W"
: > "$W/a"; : > "$W/b"; : > "$W/qdh.dump_target=GLOBBED"; : > "$W/--qdh-dump-target=GLOBBED"

# A fake qdh / kexec-qdh / kexec-tools: its arguments, NUL-separated.
fake() {	# fake NAME EXIT
	printf '#!/bin/sh\nprintf "%%s\\0" "$@" > "%s/%s.args"\nexit %s\n' "$T" "$1" "$2" > "$T/$1"
	chmod +x "$T/$1"
}
# args_are NAME WORD...: the fake NAME got exactly these words
args_are() {
	n=$1; shift
	printf '%s\0' "$@" > "$T/want"
	cmp -s "$T/want" "$T/$n.args" && return 0
	echo "# got:  $(tr '\0' '|' < "$T/$n.args" 2>/dev/null)"
	echo "# want: $(tr '\0' '|' < "$T/want")"
	return 1
}
nothing_ran() { [ ! -e "$T/PWNED" ] && [ ! -e "$T/PWNED2" ]; }
fake qdh 0
fake kexec-qdh 0
fake kexec-tools 0

# --- the initramfs runner ---------------------------------------------------
mkdir -p "$H/proc" "$H/dev"
: > "$H/proc/vmcore"
(cd "$W" && QDH_SYSROOT=$H QDH_BIN=$T/qdh sh "$RUNNER") > "$T/o1" 2>&1
args_are qdh apply "--sysroot=$H" && nothing_ran
ok $? "runner: a sysroot named with spaces, globs, \$(), quotes, newline is one word"

echo "quiet qdh.dump_target=* qdh.dump_target=nvme0n1" > "$H/proc/cmdline"
(cd "$W" && QDH_SYSROOT=$H QDH_BIN=$T/qdh sh "$RUNNER") > "$T/o2" 2>&1
args_are qdh apply "--sysroot=$H" "--dump-target=*" "--dump-target=nvme0n1"
ok $? "runner: qdh.dump_target=* on the command line is a name, not the files of the cwd"

rm -f "$H/proc/cmdline"
(cd "$W" && QDH_SYSROOT=$H QDH_BIN=$T/qdh \
	QDH_DUMP_TARGET="\$(touch $T/PWNED) * vda" QDH_FAIL_SAFE="x y" sh "$RUNNER") > "$T/o3" 2>&1
args_are qdh apply "--sysroot=$H" "--fail-safe=x y" "--dump-target=\$(touch" "--dump-target=$T/PWNED)" \
	"--dump-target=*" "--dump-target=vda" && nothing_ran
ok $? "runner: QDH_DUMP_TARGET is split, never globbed or evaluated; other settings stay one word"

(cd "$W" && QDH_SYSROOT=$H QDH_BIN=$T/qdh QDH_ARGS="--no-kmsg * \$(touch $T/PWNED)" sh "$RUNNER") > "$T/o4" 2>&1
args_are qdh apply "--sysroot=$H" --no-kmsg "*" "\$(touch" "$T/PWNED)" && nothing_ran
ok $? "runner: QDH_ARGS is split, never globbed or evaluated"

# With the real qdh: QDH_ARGS='--json *' must not leave the devices
# unchecked (qdh refuses a stray argument with exit 2; before, the glob
# made it refuse and nothing was enforced).
if [ -x "$QDH" ] && [ -x "$FX" ]; then
	SR="$T/crash root*"
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$SR" "$FX" > /dev/null 2>&1
	(cd "$W" && QDH_SYSROOT=$SR QDH_BIN=$QDH QDH_ARGS="--json *" sh "$RUNNER") > "$T/o5" 2>&1
	grep -q "<5>qdh: 0000:00:02.0 abort" "$SR/dev/kmsg" &&
		grep -q 'refuses QDH_ARGS (--json \*): running without them' "$T/o5"
	ok $? "runner: QDH_ARGS='--json *' is dropped with a message, and qdh apply still enforces"
	[ $? -eq 0 ] || sed 's/^/# /' "$T/o5"
fi

# --- the dracut hook: sourced by dracut, so it must not change its shell ----
out=$(cd "$W" && sh -c '. "$1"; case $- in *f*) echo noglob-leaked ;; esac; echo after' sh "$HOOK" 2>&1)
[ "$out" = after ]
ok $? "dracut hook: sourced, it keeps set -f to itself and returns (got: $out)"

# --- the /sbin/kexec front end ----------------------------------------------
export QDH_LOADER="$T/kexec-qdh" QDH_KEXEC_TOOLS="$T/kexec-tools" QDH_DEFAULTS="$T/default"
: > "$T/default"
(cd "$W" && sh "$FE" -p "$H/vmlinuz" "--initrd=$H/initrd" --command-line "$H" --qdh-dump-target '*')
args_are kexec-qdh -p "$H/vmlinuz" "--initrd=$H/initrd" --command-line "$H" --qdh-dump-target '*' && nothing_ran
ok $? "front end: crash load with hostile paths reaches kexec-qdh unchanged"
rm -f "$T/kexec-qdh.args"
(cd "$W" && sh "$FE" -l k --append -p) > /dev/null 2>&1
args_are kexec-tools -l k --append -p && [ ! -e "$T/kexec-qdh.args" ]
ok $? "front end: --append -p (value in the next word) is not a crash load"
(cd "$W" && sh "$FE" -l k -t -p) > /dev/null 2>&1
args_are kexec-tools -l k -t -p && [ ! -e "$T/kexec-qdh.args" ]
ok $? "front end: -t -p (type in the next word) is not a crash load"
(cd "$W" && sh "$FE" --initrd "$H" -p k) > /dev/null 2>&1
args_are kexec-qdh --initrd "$H" -p k
ok $? "front end: --initrd VALUE -p is a crash load"
printf "QDH_ARGS='--qdh-dump-target=* \$(touch %s/PWNED)'\n" "$T" > "$T/default"
(cd "$W" && sh "$FE" -p k) > /dev/null 2>&1
args_are kexec-qdh "--qdh-dump-target=*" "\$(touch" "$T/PWNED)" -p k && nothing_ran
ok $? "front end: QDH_ARGS is split, never globbed or evaluated"

# --- qdh-reload ---------------------------------------------------------------
if command -v python3 > /dev/null && command -v flock > /dev/null && [ -x "$QDH" ]; then
	R="$H/root"
	python3 - "$R" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "scan"))
from sysfs_tree import Tree
t = Tree(sys.argv[1])
t.dir("/sys/class/iommu")
t.pci("0000:00:01.0", command=0x0, group=1)
t.file("/sys/kernel/kexec_crash_loaded", "1\n")
PY
	mkdir -p "$R/etc/default"
	cp "$top_srcdir/packaging/default.kexec-qdh" "$R/etc/default/kexec-qdh"
	(cd "$W" && QDH_BIN=$QDH sh "$RELOAD" --sysroot "$R" --record) > "$T/o6" 2>&1
	rc=$?
	[ $rc -eq 0 ] && "$QDH" inspect "$R/run/kexec-qdh/loaded.qdh" > /dev/null 2>&1 && nothing_ran
	ok $? "qdh-reload: --record under a hostile sysroot name saves a valid baseline"
	[ $rc -eq 0 ] || sed 's/^/# /' "$T/o6"
fi

done_testing
