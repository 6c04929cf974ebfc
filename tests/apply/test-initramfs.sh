#!/bin/sh
# The initramfs runner (initramfs-tools init-top script, also used by dracut
# and the QEMU harness) must never fail a crash kernel's boot.
. "$top_srcdir/tests/common/tap.sh"

S=$top_srcdir/initramfs-tools/scripts/init-top/qdh-apply
QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-initramfs-XXXXXX")
trap 'rm -rf "$T"' EXIT

# Fake qdh binaries: record their arguments, then fail in various ways.
mkfake() {	# mkfake NAME EXIT [sleep]
	cat > "$T/$1" <<EOF
#!/bin/sh
echo "\$@" > "$T/$1.args"
${3:+sleep $3}
exit $2
EOF
	chmod +x "$T/$1"
}
mkfake fail2 2
mkfake fail1 1
mkfake slow 0 5
R=$T/root
mkdir -p "$R/proc" "$R/dev"
: > "$R/dev/kmsg"

out=$(sh "$S" prereqs); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ]
ok $? "'prereqs' prints no prerequisites and exits 0"

QDH_SYSROOT=$R QDH_BIN=$T/fail2 sh "$S" > "$T/o1" 2>&1
ok $? "no /proc/vmcore: exit 0"
test ! -e "$T/fail2.args"
ok $? "no /proc/vmcore: qdh not run (not a crash kernel)"

: > "$R/proc/vmcore"
QDH_SYSROOT=$R QDH_BIN=$T/fail2 sh "$S" > "$T/o2" 2>&1
ok $? "qdh exits 2: the script still exits 0"
grep -q "failed (exit 2): boot continues" "$T/o2"
ok $? "qdh exits 2: reported on the console"
grep -q "<4>qdh-apply: qdh apply failed" "$R/dev/kmsg"
ok $? "qdh exits 2: reported in the kernel log"

QDH_SYSROOT=$R QDH_BIN=$T/missing/qdh PATH=/usr/bin:/bin sh "$S" > "$T/o3" 2>&1
ok $? "qdh binary missing: exit 0"
grep -q "devices were NOT checked" "$T/o3"
ok $? "qdh binary missing: said loudly"

sh -e -c "QDH_SYSROOT=$R QDH_BIN=$T/fail1 . $S" > "$T/o4" 2>&1
ok $? "under 'sh -e', qdh exit 1: still 0"

mkdir -p "$T/path" && cp "$T/fail2" "$T/path/qdh" && rm -f "$T/fail2.args"
QDH_SYSROOT=$R PATH="$T/path:$PATH" sh "$S" > /dev/null 2>&1
test -e "$T/fail2.args" || test -x /sbin/qdh || test -x /usr/sbin/qdh || test -x /bin/qdh || test -x /usr/bin/qdh
ok $? "qdh found through PATH when not in the usual places"

echo "console=ttyAMA0 qdh.fail_safe=strict qdh.dump_target=vda qdh.hotplug=attach qdh.dry_run=1" > "$R/proc/cmdline"
QDH_SYSROOT=$R QDH_BIN=$T/fail1 QDH_ARGS="--no-kmsg" sh "$S" > /dev/null 2>&1
want="apply --sysroot=$R --fail-safe=strict --hotplug=attach --dump-target=vda --dry-run --no-kmsg"
test "$(cat "$T/fail1.args")" = "$want"
ok $? "kernel command line and QDH_ARGS become qdh options"
[ "$(cat "$T/fail1.args")" = "$want" ] || echo "# got: $(cat "$T/fail1.args")"

rm -f "$T/fail1.args"
echo "quiet qdh.apply=0" > "$R/proc/cmdline"
QDH_SYSROOT=$R QDH_BIN=$T/fail1 sh "$S" > /dev/null 2>&1
ok $? "qdh.apply=0: exit 0"
test ! -e "$T/fail1.args"
ok $? "qdh.apply=0: qdh not run"
rm -f "$R/proc/cmdline"

if command -v timeout > /dev/null 2>&1; then
	start=$(date +%s)
	QDH_SYSROOT=$R QDH_BIN=$T/slow QDH_TIMEOUT=1 sh "$S" > "$T/o5" 2>&1
	rc=$?
	end=$(date +%s)
	[ $rc -eq 0 ] && [ $((end - start)) -lt 4 ]
	ok $? "a hanging qdh is cut off by QDH_TIMEOUT and the script exits 0"
fi

if command -v busybox > /dev/null 2>&1; then
	QDH_SYSROOT=$R QDH_BIN=$T/fail2 busybox sh "$S" > /dev/null 2>&1
	ok $? "busybox sh: exit 0 when qdh fails"
fi

# The real qdh on a synthetic crash sysroot, through the script.
if [ -x "$QDH" ] && [ -x "$FX" ]; then
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$T/sr" "$FX"
	QDH_SYSROOT=$T/sr QDH_BIN=$QDH sh "$S" > "$T/o6" 2>&1
	ok $? "real qdh through the script: exit 0"
	grep -q "<5>qdh: 0000:00:02.0 abort" "$T/sr/dev/kmsg"
	ok $? "real qdh through the script: decisions in the kernel log"
	test -s "$T/sr/run/qdh/report.json"
	ok $? "real qdh through the script: report written under the sysroot"
fi

# Ordering: mkinitramfs sorts init-top scripts with tsort; without PREREQ
# relations the order is by name, so ours runs before udev starts.
if command -v tsort > /dev/null 2>&1; then
	first=$(printf 'udev udev\nqdh-apply qdh-apply\nkeymap keymap\nblacklist blacklist\n' | tsort | grep -e '^qdh-apply$' -e '^udev$' | head -1)
	test "$first" = "qdh-apply"
	ok $? "tsort puts init-top/qdh-apply before init-top/udev"
fi

sh -n "$S" && sh -n "$top_srcdir/initramfs-tools/hooks/qdh-apply" &&
	sh -n "$top_srcdir/dracut/99qdh/qdh-pre-udev.sh"
ok $? "scripts parse (sh -n)"
if command -v bash > /dev/null 2>&1; then
	bash -n "$top_srcdir/dracut/99qdh/module-setup.sh"
	ok $? "dracut module-setup.sh parses (bash -n)"
fi

done_testing
