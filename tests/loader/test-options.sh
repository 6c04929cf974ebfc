#!/bin/sh
# kexec-qdh's command line: kexec-tools' options with kexec-tools' exit
# codes, -S/-u/-e against a fixture sysroot (system calls injected to fail:
# nothing here ever reaches the host kernel), and the hand-off of what
# kexec-qdh does not do itself to kexec-tools, checked with a fake kexec
# that records its argv.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
make_sysroot "$T/root"
make_image "$T/Image"
printf 'initrd-bytes' > "$T/initrd"
# Nothing in this file may load, unload or reboot the host.
export QDH_TEST_FAIL_SYSCALL="kexec_load,kexec_file_load,reboot"

cat > "$T/fake-kexec" <<'EOS'
#!/bin/sh
: > "$FAKE_DIR/argv"
for a in "$@"; do
	printf '%s\n' "$a" >> "$FAKE_DIR/argv"
	case $a in --initrd=*) cp "${a#--initrd=}" "$FAKE_DIR/handed" ;; esac
done
exit "${FAKE_RC:-0}"
EOS
chmod +x "$T/fake-kexec"
export QDH_KEXEC_TOOLS="$T/fake-kexec" FAKE_DIR="$T"
argv() { tr '\n' ' ' < "$T/argv" | sed 's/ $//'; }

# --- help, version, usage errors ---------------------------------------------
"$KQ" -h > "$T/out"; r=$?
[ $r -eq 0 ] && grep -q '^Usage: kexec-qdh' "$T/out"; ok $? "-h prints usage, exit 0"
"$KQ" --version > "$T/out"; r=$?
[ $r -eq 0 ] && grep -q '^kexec-qdh [0-9]' "$T/out"; ok $? "-v prints the version, exit 0"
run_fails 1 "--qdh=maybe is a usage error (exit 1)" "$KQ" --qdh=maybe -l "$T/Image" 2>/dev/null
run_fails 1 "-l without a kernel: exit 1" sh -c '"$0" -l >/dev/null 2>&1' "$KQ"
run_fails 1 "two kernels: exit 1" "$KQ" -l "$T/Image" "$T/Image" 2>/dev/null
run_fails 1 "--dry-run with -u: exit 1" "$KQ" -u --dry-run "$T/x" 2>/dev/null
"$KQ" --dry-run "$T/a" -p --args-linux "$T/Image" --sysroot "$T/root" 2>/dev/null
ok $? "--args-linux is accepted for an Image"
"$KQ" --dry-run "$T/q" -p "$T/Image" --qdh-policy /nonexistent --qdh=off \
	--qdh-dump-target 0000:00:03.0 --sysroot="$T/root" 2>/dev/null
ok $? "--qdh=off, --qdh-policy, --qdh-dump-target, --sysroot= parse"

# --- -S --------------------------------------------------------------------------
run_fails 0 "-S: no crash kernel loaded -> exit 0" "$KQ" -S --sysroot "$T/root"
echo 1 > "$T/root/sys/kernel/kexec_crash_loaded"
run_fails 1 "-S: crash kernel loaded -> exit 1 (kexec-tools)" "$KQ" -S --sysroot "$T/root"
run_fails 0 "-S -l looks at kexec_loaded" "$KQ" -S -l --sysroot "$T/root"
echo 1 > "$T/root/sys/kernel/kexec_loaded"
run_fails 1 "-S -l: loaded -> exit 1" "$KQ" -S -l --sysroot "$T/root"
rm "$T/root/sys/kernel/kexec_loaded"
run_fails 255 "-S without the sysfs file -> exit 255" "$KQ" -S -l --sysroot "$T/root" 2>/dev/null
echo 0 > "$T/root/sys/kernel/kexec_loaded"
echo 0 > "$T/root/sys/kernel/kexec_crash_loaded"

# --- -u, -e ------------------------------------------------------------------------
"$KQ" -p -u --sysroot "$T/root" 2> "$T/err"; r=$?
[ $r -eq 255 ] && grep -q 'unload: Operation not permitted' "$T/err"
ok $? "-p -u: a failing unload exits 255 and says why"
"$KQ" -e -x -y --sysroot "$T/root" 2> "$T/err"; r=$?
[ $r -eq 1 ] && grep -q 'Nothing has been loaded!' "$T/err"
ok $? "-e with nothing loaded: exit 1, kexec-tools' message"
echo 1 > "$T/root/sys/kernel/kexec_loaded"
"$KQ" -e -x -y --sysroot "$T/root" 2> "$T/err"; r=$?
[ $r -eq 255 ] && grep -q 'LINUX_REBOOT_CMD_KEXEC' "$T/err"
ok $? "-e: a failing reboot(KEXEC) exits 255"
echo 0 > "$T/root/sys/kernel/kexec_loaded"

# --- hand-off to kexec-tools ----------------------------------------------------
FAKE_RC=3 "$KQ" -l --type=multiboot-x86 "$T/Image" --qdh=off --sysroot "$T/root" \
	--command-line="a b"; r=$?
[ $r -eq 3 ]; ok $? "-t other than Image: kexec-tools' exit code is ours ($r)"
[ "$(argv)" = "-l --type=multiboot-x86 $T/Image --command-line=a b" ]
ok $? "-t: same argv without the QDH options ($(argv))"
"$KQ" -p --mem-min=0x1000 --sysroot "$T/root" --qdh-policy "$T/pol" "$T/Image"
[ "$(argv)" = "-p --mem-min=0x1000 $T/Image" ]
ok $? "--mem-min (kexec-tools only) is handed over"
"$KQ" --frobnicate -S
[ "$(argv)" = "--frobnicate -S" ]; ok $? "an unknown option goes to kexec-tools"
rm -f "$T/argv"
"$KQ" --dry-run "$T/h" -l --mem-min=1 "$T/Image" 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$T/argv" ]; ok $? "--dry-run never hands over"

# A non-arm64 kernel on a non-arm64 host: kexec-tools loads it; with --qdh on
# the blob rides in a temporary initrd that replaces --initrd.
head -c 4096 /dev/zero > "$T/bzImage"
QDH_TEST_ARCH=x86_64 "$KQ" -p "$T/bzImage" --initrd="$T/initrd" --append=x \
	--sysroot "$T/root" --qdh=off 2>/dev/null
[ "$(argv)" = "-p $T/bzImage --initrd=$T/initrd --append=x" ]
ok $? "x86 kernel, --qdh=off: argv unchanged"
QDH_TEST_ARCH=aarch64 "$KQ" -l "$T/bzImage" --sysroot "$T/root" --qdh=off 2>/dev/null
[ "$(argv)" = "-l $T/bzImage" ]; ok $? "not an arm64 Image on arm64: handed over"
rm -f "$T/argv" "$T/initrd.handed"
QDH_TEST_ARCH=x86_64 "$KQ" -p "$T/bzImage" --initrd "$T/initrd" --append=x \
	--sysroot "$T/root" 2> "$T/err"; r=$?
if grep -q 'device inventory failed' "$T/err"; then
	[ $r -eq 0 ] && [ "$(argv)" = "-p $T/bzImage --initrd $T/initrd --append=x" ]
	ok $? "--qdh=on without an inventory: warned, argv unchanged"
	QDH_TEST_ARCH=x86_64 "$KQ" -p "$T/bzImage" --qdh=require --sysroot "$T/root" 2>/dev/null
	[ $? -eq 255 ]; ok $? "--qdh=require without an inventory: not loaded (255)"
else
	a=$(argv)
	case $a in "-p $T/bzImage --append=x --initrd=${TMPDIR:-/tmp}/kexec-qdh-initrd."*) r=0 ;; *) r=1 ;; esac
	ok $r "--qdh=on: --initrd replaced by a temporary copy ($a)"
	head -c 12 "$T/handed" | cmp -s - "$T/initrd" && grep -q "qdh/handover.qdh" "$T/handed"
	ok $? "the copy is the initrd followed by the QDH cpio"
	t=${a##*--initrd=}
	[ ! -e "$t" ]; ok $? "the temporary initrd is removed afterwards"
fi
done_testing
