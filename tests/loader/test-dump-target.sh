#!/bin/sh
# A crash load finds its dump targets with no option (doc/verdicts.md, "Dump
# targets"): root= of the command line kexec-qdh loads, through every way
# kdump-tools and people hand it over (--command-line, --append,
# --reuse-cmdline; the arm64 build, kexec_file_load's initrd and the
# hand-off to kexec-tools), and the blob's no-dump-target flag when nothing
# is found.  Fixture: tests/scan/gen-dump-fixture.py plus the loader's.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

QDH=$top_builddir/qdh
command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
R=$T/root
python3 "$top_srcdir/tests/scan/gen-dump-fixture.py" "$R" || { echo "Bail out! fixture"; exit 1; }
make_sysroot "$R"
echo "BOOT_IMAGE=/boot/vmlinuz console=ttyAMA0 crashkernel=256M quiet" > "$R/proc/cmdline"
make_image "$T/Image"
head -c 4096 /dev/urandom > "$T/bzImage"	# not an arm64 Image: handed off
printf 'initrd-bytes' | gzip > "$T/initrd"	# qdh inspect finds the appendix after it
export QDH_TEST_FAIL_SYSCALL="kexec_load,kexec_file_load,reboot"
cat > "$T/fake-kexec" <<'EOS'
#!/bin/sh
for a in "$@"; do
	case $a in --initrd=*) cp "${a#--initrd=}" "$FAKE_DIR/handed" ;; esac
done
exit 0
EOS
chmod +x "$T/fake-kexec"
export QDH_KEXEC_TOOLS="$T/fake-kexec" FAKE_DIR="$T"

UUID_ROOT=0a1b2c3d-1111-4222-8333-444455556666
NVME0=0000:01:00.0 ETH1=0000:07:00.0
# kdump-config's KDUMP_CMDLINE_APPEND default
APPEND="reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"

# targets BLOB: "flag" if no-dump-target is set, then the non-bridge dump
# targets of the blob (qdh inspect reads any container).
targets() {
	"$QDH" inspect --json "$1" > "$T/i.json" 2>/dev/null || { echo "inspect failed"; return; }
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
b = d.get('blob', d)
while 'devices' not in b:
    b = next(v for v in b.values() if isinstance(v, dict) and ('devices' in v or 'blob' in v))
    b = b.get('blob', b)
out = ['flag'] if 'no-dump-target' in b['header']['flags'] else []
out += [x['id'] for x in b['devices'] if 'dump-target' in x['flags'] and x['state'] != 'bridge']
print(' '.join(out))" "$T/i.json"
}
check() {	# check DESC WANT FILE
	got=$(targets "$3")
	[ "$got" = "$2" ]; r=$?
	ok $r "$1"
	if [ $r != 0 ]; then echo "# want: $2"; echo "# got:  $got"; sed 's/^/# /' "$T/err"; fi
}

# kdump-tools' own invocation (kdump-config kdump_load), arm64 kexec_load build.
"$KQ" --dry-run "$T/a" -p --command-line="console=ttyAMA0 root=UUID=$UUID_ROOT ro $APPEND" \
	--initrd="$T/initrd" "$T/Image" --sysroot "$R" 2> "$T/err"
ok $? "kdump-tools' kexec -p --command-line=... --initrd=... kernel loads"
check "it finds the root disk with no option" "$NVME0" "$T/a/dtb.bin"
[ ! -s "$T/err" ]; ok $? "and says nothing"
"$KQ" --dry-run "$T/b" -p --append "root=/dev/nvme0n1p1" "$T/Image" --sysroot "$R" 2> "$T/err"
check "--append" "$NVME0" "$T/b/dtb.bin"
echo "BOOT_IMAGE=/boot/vmlinuz console=ttyAMA0 crashkernel=256M root=PARTLABEL=rootfs" \
	> "$R/proc/cmdline"
"$KQ" --dry-run "$T/c" -p --reuse-cmdline --append "$APPEND" "$T/Image" --sysroot "$R" 2> "$T/err"
check "--reuse-cmdline: root= of the running kernel's line" "$NVME0" "$T/c/dtb.bin"
"$KQ" --dry-run "$T/d" -p "$T/Image" --sysroot "$R" 2> "$T/err"
check "no command line at all: the running one's (the DT keeps it)" "$NVME0" "$T/d/dtb.bin"
echo "BOOT_IMAGE=/boot/vmlinuz console=ttyAMA0 crashkernel=256M quiet" > "$R/proc/cmdline"
"$KQ" --dry-run "$T/e" -p --command-line="root=UUID=$UUID_ROOT" --qdh-dump-target eth1 \
	"$T/Image" --sysroot "$R" 2> "$T/err"
check "--qdh-dump-target replaces detection" "$ETH1" "$T/e/dtb.bin"
"$KQ" --dry-run "$T/f" -l --command-line="root=UUID=$UUID_ROOT" "$T/Image" --sysroot "$R" 2> "$T/err"
check "a normal kexec (-l) marks nothing" "" "$T/f/dtb.bin"

# Nothing to find: the loud warning and the flag.
"$KQ" --dry-run "$T/g" -p --command-line="console=ttyAMA0 $APPEND" "$T/Image" --sysroot "$R" \
	2> "$T/err"
ok $? "a crash load with no dump target still loads"
[ "$(grep -c 'kexec-qdh: warning: NO DUMP TARGET FOUND' "$T/err")" = 1 ]
ok $? "one warning line"
got=$(targets "$T/g/dtb.bin")
case $got in "flag 0000:01:00.0 0000:02:00.0 0000:03:00.0 0000:04:00.0 0000:05:00.0 0000:06:00.0"*) true ;; *) false ;; esac
ok $? "blob: no-dump-target, storage and network controllers marked ($got)"

# kexec_file_load (-s): the blob rides in the initrd.
"$KQ" --dry-run "$T/h" -s -p --command-line="root=UUID=$UUID_ROOT" --initrd "$T/initrd" \
	"$T/Image" --sysroot "$R" 2> "$T/err"
check "-s: detected in the initrd's blob" "$NVME0" "$T/h/initrd.bin"

# A kernel kexec-qdh does not build (x86 bzImage): handed to kexec-tools with
# the blob appended to the initrd, as on Debian amd64 with kdump-tools.
rm -f "$T/handed"
"$KQ" -p --command-line="root=UUID=$UUID_ROOT ro $APPEND" --initrd="$T/initrd" \
	"$T/bzImage" --sysroot "$R" 2> "$T/err"
ok $? "hand-off to kexec-tools exits 0"
check "hand-off: the initrd kexec-tools gets carries the detected root disk" \
	"$NVME0" "$T/handed"

done_testing
