#!/bin/sh
# kexec-qdh's failures: each one clear, with kexec-tools' exit code, and
# none of them changing anything (system calls are injected to fail; this
# file never reaches the host kernel).
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
make_sysroot "$T/root"
make_image "$T/Image"
export QDH_TEST_FAIL_SYSCALL="kexec_load,kexec_file_load,reboot"
export QDH_KEXEC_TOOLS=/bin/false	# a hand-off would be a bug here

# expect CODE REGEX DESCRIPTION CMD...: exit code and a stderr line
expect() {
	want=$1 re=$2 d=$3; shift 3
	"$@" > "$T/out" 2> "$T/err"; got=$?
	[ $got -eq "$want" ] && grep -qE "$re" "$T/err"; r=$?
	ok $r "$d"
	[ $r -eq 0 ] || { echo "# exit $got, want $want; stderr:"; sed 's/^/#   /' "$T/err"; }
}

# --- inputs ----------------------------------------------------------------------
make_sysroot "$T/nocrash" "$FIX_SRC/iomem-nocrash"
expect 1 'crashkernel=' "no crash region: exit 1, says to add crashkernel=" \
	"$KQ" --dry-run "$T/o1" -p "$T/Image" --sysroot "$T/nocrash"
test ! -e "$T/o1/manifest.json"; ok $? "no crash region: nothing written"
make_image "$T/Huge" $((300 * 1024 * 1024)) 4096
expect 255 'does not fit in the crash kernel region.*crashkernel=' \
	"image larger than the crash region: exit 255, says so" \
	"$KQ" --dry-run "$T/o2" -p "$T/Huge" --sysroot "$T/root"
head -c 4096 /dev/zero > "$T/zeros"
expect 1 'not an arm64 Image' "bad Image magic: exit 1" \
	"$KQ" --dry-run "$T/o3" -p "$T/zeros" --sysroot "$T/root"
{ head -c 56 "$T/Image"; printf 'ARM\144'; } > "$T/short"
make_image "$T/Odd"
printf '\001' | dd of="$T/Odd" bs=1 seek=9 conv=notrunc 2>/dev/null	# text_offset 0x100
expect 255 'text_offset is not 4 KiB aligned' "bad text_offset: exit 255, names the field" \
	"$KQ" --dry-run "$T/o4" -p "$T/Odd" --sysroot "$T/root"
gzip -c "$T/Image" | head -c 100 > "$T/trunc.gz"
expect 255 'corrupt or truncated gzip data \(at byte [0-9]+' \
	"truncated Image.gz: exit 255 with the byte offset" \
	"$KQ" --dry-run "$T/o5" -p "$T/trunc.gz" --sysroot "$T/root"
expect 255 'No such file' "missing kernel file: exit 255" \
	"$KQ" --dry-run "$T/o6" -p "$T/nope" --sysroot "$T/root"
expect 255 "$T/nope" "missing initrd: exit 255, names it" \
	"$KQ" --dry-run "$T/o6" -p "$T/Image" --initrd "$T/nope" --sysroot "$T/root"

# --- untrusted system files ----------------------------------------------------
make_sysroot "$T/badmem"
sed '3s/.*/09000000+09000fff : oops/' "$FIX_SRC/iomem" > "$T/badmem/proc/iomem"
expect 255 'iomem: line 3 ' "malformed /proc/iomem: names the line" \
	"$KQ" --dry-run "$T/o7" -p "$T/Image" --sysroot "$T/badmem"
sed 's/^\( *\)[0-9a-f]*-[0-9a-f]*/\100000000-00000000/' "$FIX_SRC/iomem" > "$T/badmem/proc/iomem"
expect 255 'needs root' "/proc/iomem read without privilege (all zero)" \
	"$KQ" --dry-run "$T/o8" -p "$T/Image" --sysroot "$T/badmem"
make_sysroot "$T/badnotes"
echo zz > "$T/badnotes/sys/devices/system/cpu/cpu1/crash_notes"
expect 255 'cpu1/crash_notes: expected a hex address' "bad crash_notes: names the file" \
	"$KQ" --dry-run "$T/o9" -p "$T/Image" --sysroot "$T/badnotes"
make_sysroot "$T/baddt"
head -c 200 "$T/root/sys/firmware/fdt" > "$T/baddt/sys/firmware/fdt"
expect 255 'fdt: not a valid device tree' "truncated device tree: refused" \
	"$KQ" --dry-run "$T/o10" -p "$T/Image" --sysroot "$T/baddt"
head -c $((2 * 1024 * 1024 + 1)) /dev/zero > "$T/big.dtb"
expect 255 'larger than the 2 MiB arm64 limit' "--dtb over 2 MiB: refused" \
	"$KQ" --dry-run "$T/o11" -p "$T/Image" --dtb "$T/big.dtb" --sysroot "$T/root"

# --- the system call fails: nothing changes ----------------------------------
echo 1 > "$T/root/sys/kernel/kexec_crash_loaded"
mkdir "$T/tmp"
before=$(cd "$T/root" && find . -type f ! -name kexec-qdh.lock | sort | xargs md5sum)
TMPDIR=$T/tmp QDH_TEST_ARCH=aarch64 expect 255 'kexec_load: Operation not permitted: .*CAP_SYS_BOOT' \
	"kexec_load EPERM: exit 255, names CAP_SYS_BOOT" \
	"$KQ" -p "$T/Image" --append x --sysroot "$T/root"
[ "$(cat "$T/root/sys/kernel/kexec_crash_loaded")" = 1 ]
ok $? "failed load: the loaded crash kernel stays loaded"
after=$(cd "$T/root" && find . -type f ! -name kexec-qdh.lock | sort | xargs md5sum)
[ "$before" = "$after" ] && [ -z "$(ls -A "$T/tmp")" ]
ok $? "failed load: no file changed, no temporary file left"
QDH_TEST_FAIL_SYSCALL=kexec_load:EBUSY QDH_TEST_ARCH=aarch64 expect 255 'in progress' \
	"kexec_load EBUSY: explained" "$KQ" -p "$T/Image" --sysroot "$T/root"
make_sysroot "$T/locked"
echo "none [integrity] confidentiality" > "$T/locked/sys/kernel/security/lockdown"
QDH_TEST_FAIL_SYSCALL=kexec_load:EPERM,kexec_file_load:ENOSYS QDH_TEST_ARCH=aarch64 \
	expect 255 'lockdown.*-s' "lockdown: explains -s and retries with kexec_file_load" \
	"$KQ" -p "$T/Image" --sysroot "$T/locked"
grep -q 'kexec_file_load: Function not implemented' "$T/err"
ok $? "lockdown: the kexec_file_load retry happened"

QDH_TEST_FAIL_SYSCALL=kexec_file_load:ENOSYS,kexec_load:EBUSY QDH_TEST_ARCH=aarch64 \
	expect 255 '^kexec-qdh: error: kexec_load: .*in progress' \
	"-a: kexec_file_load ENOSYS falls back to kexec_load" \
	"$KQ" -a -p "$T/Image" --sysroot "$T/root"
! grep -q 'kexec_file_load' "$T/err"; ok $? "-a: the fallback is not reported as an error"

# --- the lock ---------------------------------------------------------------------
if command -v flock >/dev/null 2>&1; then
	flock "$T/root/run/kexec-qdh.lock" sleep 4 &
	sleep 0.5
	QDH_LOCK_TIMEOUT=1 QDH_TEST_ARCH=aarch64 expect 255 'another kexec-qdh has held' \
		"a held lock: waits, then gives up with a clear message" \
		"$KQ" -p "$T/Image" --sysroot "$T/root"
	grep -q 'Operation not permitted' "$T/err"; [ $? -ne 0 ]
	ok $? "a held lock: no system call was tried"
	wait
else
	skip_n=2; while [ $skip_n -gt 0 ]; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no flock(1)"; skip_n=$((skip_n - 1)); done
fi
done_testing
