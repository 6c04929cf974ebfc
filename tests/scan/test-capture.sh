#!/bin/sh
# qdh capture: the tarball replays to the same scan, symlinks stay relative.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
command -v tar >/dev/null || skip_all "tar needed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$tmp/root" --dtc "${DTC:-dtc}" ||
	{ echo "Bail out! fixture"; exit 1; }

"$QDH" capture --sysroot "$tmp/root" -o "$tmp/cap.tar" 2>/dev/null
ok $? "capture exits 0"
mkdir "$tmp/replay" && tar -xf "$tmp/cap.tar" -C "$tmp/replay"
ok $? "the tarball extracts"
for mode in crash kexec; do
	"$QDH" scan --sysroot "$tmp/root" --$mode --json > "$tmp/a.json"
	"$QDH" scan --sysroot "$tmp/replay" --$mode --json > "$tmp/b.json"
	cmp -s "$tmp/a.json" "$tmp/b.json"
	ok $? "--$mode scan of the replay equals the scan of the original"
done
for t in eth0 nvme0n1p1 259:1 dm-0 bond0; do
	"$QDH" scan --sysroot "$tmp/root" --dump-target $t --json > "$tmp/a.json"
	"$QDH" scan --sysroot "$tmp/replay" --dump-target $t --json > "$tmp/b.json"
	cmp -s "$tmp/a.json" "$tmp/b.json" && grep -q '"dump_target":true' "$tmp/b.json"
	ok $? "dump target $t resolves the same in the replay"
done
l=$(readlink "$tmp/replay/sys/bus/pci/devices/0000:00:03.0")
[ "$l" = "../../../devices/pci0000:00/0000:00:03.0" ]
ok $? "bus links stay relative ($l)"
[ ! -e "$tmp/replay/sys/devices/pci0000:00/0000:00:03.0/modalias" ]
ok $? "files the scanner does not read are not captured"
cmp -s "$tmp/root/sys/firmware/fdt" "$tmp/replay/sys/firmware/fdt"
ok $? "the flattened DT is captured byte for byte"
run_fails 2 "capture without -o exits 2" "$QDH" capture --sysroot "$tmp/root" 2>/dev/null

done_testing
