#!/bin/sh
# Inputs are regular files (issue 13 item 4): the kernel, initrd, DTB,
# policy, blob and vmcore a user names are opened without blocking and
# refused, with an error naming the file and what it is, unless they are
# regular files -- a FIFO must not hang a tool (every run here is under
# `timeout`); and kexec-qdh reads none of them while it holds
# /run/kexec-qdh.lock: with the lock held elsewhere, a bad input is reported
# at once, not after the wait.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$FX" ] && [ -x "$KQ" ] || skip_all "tools not built"
command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
command -v mkfifo >/dev/null 2>&1 || skip_all "mkfifo not found"

make_sysroot "$T/root"
make_image "$T/Image"
head -c 4096 /dev/urandom > "$T/initrd"
mkfifo "$T/fifo"
mkdir "$T/dir"
echo '{}' > "$T/policy.json"
chmod 0644 "$T/policy.json"
sh "$top_srcdir/tests/apply/mksysroot.sh" "$T/crash" "$FX" > /dev/null 2>&1 ||
	{ echo "Bail out! mksysroot"; exit 1; }

# fails DESC CODE PATTERN CMD...: CMD ends within 10 s with exit CODE and
# PATTERN (an ERE; "-" for none) on stderr.
fails() {
	desc=$1 code=$2 pat=$3
	shift 3
	timeout -k 2 10 "$@" > "$T/out" 2> "$T/err"
	rc=$?
	r=1
	[ $rc -eq "$code" ] && { [ "$pat" = - ] || grep -Eq -- "$pat" "$T/err"; } && r=0
	ok $r "$desc"
	[ $r -eq 0 ] || { echo "# exit $rc (124: hung), stderr:"; sed 's/^/#   /' "$T/err" | head -5; }
}

KD="$KQ --dry-run"
fails "kexec-qdh: a FIFO kernel is refused, named, without blocking" 255 \
	"kernel $T/fifo: a FIFO, not a regular file" $KD "$T/o1" -p "$T/fifo" --sysroot "$T/root"
fails "kexec-qdh: a FIFO initrd is refused" 255 \
	"initrd $T/fifo: a FIFO, not a regular file" \
	$KD "$T/o2" -p "$T/Image" --initrd "$T/fifo" --sysroot "$T/root"
fails "kexec-qdh: a FIFO device tree is refused" 255 \
	"device tree $T/fifo: a FIFO, not a regular file" \
	$KD "$T/o3" -p "$T/Image" --dtb "$T/fifo" --sysroot "$T/root"
fails "kexec-qdh: a FIFO policy is refused (and --qdh=require does not load)" 255 \
	"$T/fifo: a FIFO, not a regular file" \
	$KD "$T/o4" -p "$T/Image" --qdh-policy "$T/fifo" --qdh=require --sysroot "$T/root"
fails "kexec-qdh: a character device as kernel is refused, named as such" 255 \
	"kernel /dev/null: a character device, not a regular file" \
	$KD "$T/o5" -p /dev/null --sysroot "$T/root"
fails "kexec-qdh: a directory as initrd is refused" 255 \
	"initrd $T/dir: a directory, not a regular file" \
	$KD "$T/o6" -p "$T/Image" --initrd "$T/dir" --sysroot "$T/root"

fails "qdh scan: a FIFO policy is refused" 1 "$T/fifo: a FIFO, not a regular file" \
	"$QDH" scan --sysroot "$T/crash" --policy "$T/fifo"
fails "qdh inspect: a FIFO is refused" 2 "$T/fifo: cannot open: a FIFO, not a regular file" \
	"$QDH" inspect "$T/fifo"
APPLY="$QDH apply --sysroot $T/crash --dry-run --no-report"
fails "qdh apply: a FIFO --blob is refused, the fail-safe applies" 1 - \
	$APPLY --ignore-source=chosen --ignore-source=vmcore --blob "$T/fifo"
grep -q "$T/fifo.*a FIFO, not a regular file" "$T/out"
ok $? "... and the report names the FIFO"
fails "qdh apply: a FIFO --vmcore is refused" 1 - \
	$APPLY --ignore-source=chosen --vmcore "$T/fifo"
grep -q "$T/fifo.*a FIFO, not a regular file" "$T/out"
ok $? "... and the report names the FIFO"
rm -f "$T/crash/proc/vmcore"
mkfifo "$T/crash/proc/vmcore"
fails "qdh apply: a FIFO at the sysroot's /proc/vmcore does not block" 1 - \
	$APPLY --ignore-source=chosen
grep -q "vmcore.*not a regular file" "$T/out"
ok $? "... and it is reported as not a regular file"

# --- the lock: no user file is read while it is held ---------------------------------
if command -v flock >/dev/null 2>&1; then
	flock "$T/root/run/kexec-qdh.lock" sleep 30 &
	holder=$!
	sleep 0.5
	start=$(date +%s)
	QDH_LOCK_TIMEOUT=20 QDH_TEST_FAIL_SYSCALL=kexec_load:EPERM,kexec_file_load:EPERM \
		QDH_TEST_ARCH=aarch64 fails "lock held elsewhere: a FIFO kernel is refused at once" 255 \
		"kernel $T/fifo: a FIFO, not a regular file" \
		"$KQ" -p "$T/fifo" --sysroot "$T/root"
	QDH_LOCK_TIMEOUT=20 QDH_TEST_FAIL_SYSCALL=kexec_load:EPERM,kexec_file_load:EPERM \
		QDH_TEST_ARCH=aarch64 fails "lock held elsewhere: a missing initrd is reported at once" 255 \
		"initrd $T/nope: No such file" \
		"$KQ" -p "$T/Image" --initrd "$T/nope" --sysroot "$T/root"
	[ $(($(date +%s) - start)) -lt 8 ] && ! grep -q "another kexec-qdh" "$T/err"
	ok $? "... both before waiting for the lock ($(($(date +%s) - start)) s)"
	kill "$holder" 2>/dev/null
	wait
else
	for i in 1 2 3; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no flock(1)"; done
fi

done_testing
