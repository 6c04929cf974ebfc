#!/bin/sh
# -s (kexec_file_load) on any architecture: the kernel file and an initrd
# that carries the QDH blob in an appended cpio marked "no purgatory".
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
make_sysroot "$T/root"
make_image "$T/Image"
# A gzip'd cpio whose length is not a multiple of 4: the appendix needs padding.
mkdir "$T/ir" && echo hello > "$T/ir/hello"
n=0
while :; do
	(cd "$T/ir" && echo hello | cpio -o -H newc 2>/dev/null | gzip -9) > "$T/initrd"
	[ $(( $(wc -c < "$T/initrd") % 4 )) -ne 0 ] && break
	echo x >> "$T/ir/hello"; n=$((n + 1)); [ $n -lt 8 ] || break
done
ilen=$(wc -c < "$T/initrd")
QDH=$top_builddir/qdh

"$KQ" --dry-run "$T/s" -p -s "$T/Image" --initrd "$T/initrd" --append "a=1" \
	--sysroot "$T/root" 2>/dev/null
ok $? "-s -p --dry-run exits 0"
grep -q '"syscall":"kexec_file_load"' "$T/s/manifest.json" &&
	grep -q '"cmdline":"a=1"' "$T/s/manifest.json"
ok $? "manifest: kexec_file_load with the command line"
cmp -s "$T/s/kernel.bin" "$T/Image"; ok $? "the kernel goes to the kernel as it is"
head -c "$ilen" "$T/s/initrd.bin" | cmp -s - "$T/initrd"; ok $? "the initrd starts with the user's initrd"
if grep -q '"blob":{' "$T/s/manifest.json"; then
	pad=$(( (4 - ilen % 4) % 4 ))
	[ "$(od -An -c -j"$ilen" -N"$pad" "$T/s/initrd.bin" | tr -d ' \\0\n')" = "" ] &&
		[ "$(od -An -c -j$((ilen + pad)) -N6 "$T/s/initrd.bin" | tr -d ' ')" = 070701 ]
	ok $? "zero padding to a 4-byte boundary, then the newc appendix"
	"$QDH" inspect "$T/s/initrd.bin" > "$T/insp" 2>&1
	ok $? "qdh inspect finds the blob in the initrd"
	grep -q 'flags crash,no-purgatory\|flags.*no-purgatory' "$T/insp"
	ok $? "the blob says no purgatory ran (QDH_F_NO_PURGATORY)"
else
	for i in 1 2 3; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no inventory"; done
fi

# An x86 bzImage: -s does not look inside, whatever the host.
head -c 8192 /dev/urandom > "$T/bzImage"
QDH_TEST_ARCH=x86_64 "$KQ" --dry-run "$T/x" -p -s "$T/bzImage" --sysroot "$T/root" 2>/dev/null
ok $? "-s with an x86 kernel on an x86 host"
cmp -s "$T/x/kernel.bin" "$T/bzImage"; ok $? "bzImage passed unchanged"
if grep -q '"blob":{' "$T/x/manifest.json"; then
	"$QDH" inspect "$T/x/initrd.bin" >/dev/null 2>&1
	ok $? "no initrd given: the initrd is the QDH cpio alone"
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no inventory"
fi
"$KQ" --dry-run "$T/o" -p -s --qdh=off "$T/Image" --sysroot "$T/root" 2>/dev/null
[ ! -e "$T/o/initrd.bin" ]; ok $? "--qdh=off and no initrd: no initrd at all"
export QDH_TEST_FAIL_SYSCALL=kexec_file_load:ENOSYS
QDH_TEST_ARCH=x86_64 "$KQ" -p -s "$T/bzImage" --sysroot "$T/root" 2> "$T/err"
[ $? -eq 255 ] && grep -q 'no CONFIG_KEXEC_FILE' "$T/err"
ok $? "kexec_file_load ENOSYS: exit 255, explained"
done_testing
