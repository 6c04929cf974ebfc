#!/bin/sh
# The blob's header flags have one owner (issue 12, item 7): the scan
# resolves the whole policy, block_bypass included, and whether a purgatory
# will run; the encoder returns the flags; the loader passes them on and
# tells purgatory what they mean.  A kexec_file_load (-s) or kexec-tools
# hand-off blob never claims block-bypass: no purgatory of ours runs there.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
QDH=$top_builddir/qdh
make_sysroot "$T/root"
make_image "$T/Image"
export QDH_TEST_FAIL_SYSCALL="kexec_load,kexec_file_load,reboot"

# One active function: a bound driver and Bus Master on.
D=sys/devices/pci0000:00/0000:00:01.0
mkdir -p "$T/root/$D" "$T/root/sys/bus/pci/drivers/virtio-pci"
printf '\364\032\101\020\006\000\020\000\001\000\000\002\000\000\000\000' > "$T/root/$D/config"
head -c 48 /dev/zero >> "$T/root/$D/config"
echo 0x1af4 > "$T/root/$D/vendor"
echo 0x1041 > "$T/root/$D/device"
echo 0x020000 > "$T/root/$D/class"
echo 1 > "$T/root/$D/enable"
echo D0 > "$T/root/$D/power_state"
ln -s ../../../bus/pci/drivers/virtio-pci "$T/root/$D/driver"
ln -s ../../../devices/pci0000:00/0000:00:01.0 "$T/root/sys/bus/pci/devices/0000:00:01.0"
"$QDH" scan --sysroot "$T/root" --json > "$T/scan.json" 2>/dev/null
grep -q '"state":"active"' "$T/scan.json"
ok $? "fixture: 0000:00:01.0 is active"

# Crash loads name their dump target: what detection finds, and the
# no-dump-target flag when it finds nothing, is test-dump-target.sh's.
DT="--qdh-dump-target 0000:00:01.0"

# The manifest is pretty-printed: one line first.
flags() {	# flags DIR: the blob's flags as the dry run's manifest says
	tr -d ' \n' < "$1/manifest.json" |
		sed -n 's/.*"blob":{"size":[0-9]*,"flags":"\([^"]*\)".*/\1/p'
}
pflags() {	# pflags DIR: the purgatory parameters' flags
	tr -d ' \n' < "$1/manifest.json" |
		sed -n 's/.*"purgatory":{.*"blob_size":[0-9]*,"flags":"\([^"]*\)".*/\1/p'
}
inspect_flags() {	# inspect_flags FILE: the flags `qdh inspect` reads in the blob
	"$QDH" inspect "$1" 2>/dev/null | sed -n 's/^Header:.*flags \([^ ]*\)$/\1/p'
}

# --- no policy: the default blocks bypass where something is active -------
"$KQ" --dry-run "$T/p" -p "$T/Image" --sysroot "$T/root" $DT 2>/dev/null
ok $? "-p --dry-run"
test "$(flags "$T/p")" = 0x9
ok $? "kexec_load, an active device: crash,block-bypass (0x9; got $(flags "$T/p"))"
test "$(pflags "$T/p")" = 0x7
ok $? "  purgatory told to verify and block bypass (0x7; got $(pflags "$T/p"))"
test "$(inspect_flags "$T/p/blob.qdh")" = crash,block-bypass
ok $? "  the blob itself says so"
"$KQ" --dry-run "$T/s" -p -s "$T/Image" --sysroot "$T/root" $DT 2>/dev/null
ok $? "-p -s --dry-run"
test "$(flags "$T/s")" = 0x5
ok $? "kexec_file_load, an active device: crash,no-purgatory (0x5; got $(flags "$T/s"))"
test "$(inspect_flags "$T/s/initrd.bin")" = crash,no-purgatory
ok $? "  the blob in the initrd says so"
"$KQ" --dry-run "$T/i" -p -i "$T/Image" --sysroot "$T/root" $DT 2>/dev/null
test "$(pflags "$T/i")" = 0x6
ok $? "-i: purgatory blocks bypass without verifying (0x6; got $(pflags "$T/i"))"

# --- policies: root-owned files, as the scanner demands -----------------------
if [ "$(id -u)" -ne 0 ]; then
	for i in 1 2 3 4 5 6 7; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP policy files must be root-owned"; done
	done_testing
	exit
fi
mkdir -m 755 "$T/etc"
echo '{ "version": 1, "block_bypass": true }' > "$T/etc/bb.json"
echo '{ "version": 1, "block_bypass": false }' > "$T/etc/nobb.json"
chmod 644 "$T/etc/bb.json" "$T/etc/nobb.json"

"$KQ" --dry-run "$T/sb" -p -s "$T/Image" --sysroot "$T/root" $DT --qdh-policy "$T/etc/bb.json" 2>/dev/null
ok $? "-p -s with a block_bypass policy"
test "$(flags "$T/sb")" = 0x5 && test "$(inspect_flags "$T/sb/initrd.bin")" = crash,no-purgatory
ok $? "  the blob is crash,no-purgatory, WITHOUT block-bypass (got $(flags "$T/sb"))"
"$KQ" --dry-run "$T/pb" -p "$T/Image" --sysroot "$T/root" $DT --qdh-policy "$T/etc/bb.json" 2>/dev/null
test "$(flags "$T/pb")" = 0x9 && test "$(pflags "$T/pb")" = 0x7
ok $? "-p with the same policy: crash,block-bypass, purgatory blocks"
"$KQ" --dry-run "$T/pn" -p "$T/Image" --sysroot "$T/root" $DT --qdh-policy "$T/etc/nobb.json" 2>/dev/null
test "$(flags "$T/pn")" = 0x1 && test "$(pflags "$T/pn")" = 0x1
ok $? "-p, block_bypass false, an active device: crash only; purgatory only verifies"
"$QDH" scan --sysroot "$T/root" --policy "$T/etc/bb.json" --encode "$T/scan.qdh" > /dev/null 2>&1 &&
	test "$(inspect_flags "$T/scan.qdh")" = crash,block-bypass
ok $? "qdh scan --encode resolves the same flags as the loader's kexec_load"
"$QDH" scan --sysroot "$T/root" --policy "$T/etc/bb.json" --no-purgatory \
	--encode "$T/scan-s.qdh" > /dev/null 2>&1 &&
	test "$(inspect_flags "$T/scan-s.qdh")" = crash,no-purgatory
ok $? "qdh scan --no-purgatory --encode: as the loader's -s"

# kexec-tools loads its own purgatory: the handed-off initrd's blob says so.
cat > "$T/fake-kexec" <<'EOS'
#!/bin/sh
for a in "$@"; do
	case $a in --initrd=*) cp "${a#--initrd=}" "$FAKE_DIR/handed" ;; esac
done
EOS
chmod +x "$T/fake-kexec"
QDH_KEXEC_TOOLS="$T/fake-kexec" FAKE_DIR="$T" "$KQ" -p --load-preserve-context "$T/Image" \
	--sysroot "$T/root" $DT --qdh-policy "$T/etc/bb.json" 2>/dev/null
test "$(inspect_flags "$T/handed")" = crash,no-purgatory
ok $? "hand-off to kexec-tools with a block_bypass policy: crash,no-purgatory (got $(inspect_flags "$T/handed"))"
done_testing
