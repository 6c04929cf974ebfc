#!/bin/sh
# qdh scan on a synthetic sysroot: every verdict, every bad input, both
# modes, dump targets, exit codes.  Expected JSON is compared exactly.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
here=$top_srcdir/tests/scan
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dump" && : > "$tmp/dump/vmcore"
python3 "$here/gen-fixture.py" mixed "$tmp/root" --dtc "${DTC:-dtc}" \
	--dump-path "$tmp/dump/vmcore" || { echo "Bail out! fixture"; exit 1; }
python3 "$here/gen-fixture.py" empty "$tmp/empty"
python3 "$here/gen-fixture.py" multi "$tmp/multi" --dtc "${DTC:-dtc}"

# jq-like: jget FILE EXPR (python expression over d)
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
dev() {	# dev FILE ID FIELD
	python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
for x in d['devices']:
    if x['id']==sys.argv[2]: print(json.dumps(x[sys.argv[3]]))" "$1" "$2" "$3"
}

for mode in crash kexec; do
	"$QDH" scan --sysroot "$tmp/root" --$mode --json > "$tmp/$mode.json" 2> "$tmp/$mode.err"
	ok $? "scan --$mode exits 0 despite bad devices"
	diff -u "$here/expected/mixed-$mode.json" "$tmp/$mode.json"
	ok $? "scan --$mode JSON matches expected/mixed-$mode.json"
done
[ ! -s "$tmp/crash.err" ]
ok $? "nothing on stderr"
"$QDH" scan --sysroot "$tmp/multi" --json > "$tmp/multi.json"
diff -u "$here/expected/multi-crash.json" "$tmp/multi.json"
ok $? "several SMMUs, two segments, MMU-500, iommu-map-mask: expected/multi-crash.json"
[ "$(dev "$tmp/multi.json" 0000:00:01.1 stream_ids) $(dev "$tmp/multi.json" 0001:00:02.0 stream_ids) $(dev "$tmp/multi.json" 0001:00:02.0 iommu)" = '[8] [65552] "smmu3.0x0000000009100000"' ]
ok $? "mask aliases functions; segment 1 maps through its own SMMU with an offset"
"$top_builddir/tests/scan/encode-check" "$tmp/multi"
ok $? "aliased StreamIDs encode and validate"

# The verdict rows of doc/verdicts.md, spot-checked by name.
[ "$(dev "$tmp/crash.json" 0000:00:03.0 state)" = '"active"' ] &&
[ "$(dev "$tmp/kexec.json" 0000:00:03.0 state)" = '"quiesced"' ]
ok $? "e1000e: active for --crash, quiesced (shutdown-driver) for --kexec"
[ "$(dev "$tmp/kexec.json" 0000:00:04.0 state)" = '"active"' ]
ok $? "vfio-pci stays active in --kexec"
[ "$(dev "$tmp/crash.json" 0000:00:01.0 state)" = '"bridge"' ] &&
[ "$(dev "$tmp/crash.json" 0000:01:00.0 parent)" = '"0000:00:01.0"' ]
ok $? "root port is a bridge and the parent of its device"
[ "$(dev "$tmp/crash.json" 0000:00:06.2 physfn)" = '"0000:00:06.0"' ] &&
[ "$(dev "$tmp/crash.json" 0000:00:06.2 vendor)" = '"0x8086"' ]
ok $? "SR-IOV VF: physfn and identity from sysfs (config reads 0xffff)"
[ "$(dev "$tmp/crash.json" 0000:00:05.0 state)" = '"quiesced"' ] &&
[ "$(dev "$tmp/crash.json" 0000:00:05.0 bus_master)" = 'null' ]
ok $? "D3cold: quiesced, config not read"
[ "$(dev "$tmp/crash.json" 0000:01:00.0 stream_ids)" = '[4096]' ]
ok $? "non-identity iommu-map entry gives StreamID 0x1000 for 01:00.0"
[ "$(jget "$tmp/crash.json" "d['skipped']")" = "[{'entry': '0000:00:0F.0', 'problem': 'not a PCI address'}, {'entry': 'garbage', 'problem': 'not a PCI address'}]" ]
ok $? "garbage and a name the kernel never gives (capital hex) are listed as skipped"

# Untrusted strings are escaped like qdh inspect's: a backslash is \x5c.
[ "$(dev "$tmp/crash.json" AMDI8001:00 fw_node)" = '"\\x5c_SB_.ETH1"' ]
ok $? "ACPI platform device: firmware_node path kept"

# Text table: one line per device and the summary.
"$QDH" scan --sysroot "$tmp/root" > "$tmp/text"
ok $? "text output exits 0"
grep -q '^29 devices: 5 quiesced, 10 active, 12 unknown, 2 bridge (crash mode)$' "$tmp/text"
ok $? "text ends with the per-state summary"
grep -q '! config: only 4 bytes' "$tmp/text"
ok $? "text shows a device's problem"

# Exit codes.
"$QDH" scan --sysroot "$tmp/root" --strict --json > /dev/null
ok $(( $? != 1 )) "--strict: unknown devices exit 1"
run_fails 2 "unknown option exits 2" "$QDH" scan --bogus 2>/dev/null
run_fails 2 "missing sysroot exits 2" "$QDH" scan --sysroot "$tmp/nope" 2>/dev/null
"$QDH" scan --sysroot "$tmp/nope" --json > "$tmp/err.json" 2>/dev/null
[ "$(jget "$tmp/err.json" "d['error']['program']")" = "qdh scan" ]
ok $? "--json errors are JSON on stdout"
"$QDH" scan --sysroot "$tmp/empty" --json > "$tmp/empty.json"
ok $? "empty sysroot scans"
[ "$(jget "$tmp/empty.json" "d['summary']['devices'], len(d['iommus'])")" = "0 0" ]
ok $? "empty sysroot: no devices, no IOMMUs"

# Dump targets: block by name, /dev name, MAJ:MIN, whole disk, interface,
# a host path through st_dev, and one that does not exist.
for t in nvme0n1p1 /dev/nvme0n1p1 259:1 259:0 "$tmp/dump/vmcore" 0000:01:00.0; do
	"$QDH" scan --sysroot "$tmp/root" --dump-target "$t" --json > "$tmp/dt.json"
	[ "$(dev "$tmp/dt.json" 0000:01:00.0 dump_target) $(dev "$tmp/dt.json" 0000:01:00.0 action) $(dev "$tmp/dt.json" 0000:00:01.0 dump_target) $(dev "$tmp/dt.json" 0000:00:03.0 dump_target)" = 'true "reset-then-attach" true false' ]
	ok $? "dump target $t -> 01:00.0 reset-then-attach, its root port kept"
done
"$QDH" scan --sysroot "$tmp/root" --dump-target dm-0 --json > "$tmp/dt.json"
[ "$(dev "$tmp/dt.json" 0000:01:00.0 dump_target)" = 'true' ]
ok $? "dump target dm-0 -> its slave nvme0n1p1 -> 01:00.0"
"$QDH" scan --sysroot "$tmp/root" --dump-target bond0 --json > "$tmp/dt.json"
[ "$(dev "$tmp/dt.json" 0000:00:03.0 dump_target) $(dev "$tmp/dt.json" 0000:01:00.0 dump_target)" = 'true false' ]
ok $? "dump target bond0 -> lower eth0 -> 00:03.0"
"$QDH" scan --sysroot "$tmp/root" --dump-target eth0 --json > "$tmp/dt.json"
[ "$(dev "$tmp/dt.json" 0000:00:03.0 dump_target) $(dev "$tmp/dt.json" 0000:00:03.0 action) $(dev "$tmp/dt.json" 0000:01:00.0 dump_target)" = 'true "reset-then-attach" false' ]
ok $? "dump target eth0 -> 00:03.0"
[ "$(dev "$tmp/dt.json" 0000:00:03.0 reasons)" = '["driver-bound", "bus-master-on", "dump-target"]' ]
ok $? "dump target has reason dump-target"
run_fails 1 "absent PCI address as dump target exits 1" \
	"$QDH" scan --sysroot "$tmp/root" --dump-target 0000:7f:00.0 2>/dev/null
run_fails 1 "unknown dump target exits 1" \
	"$QDH" scan --sysroot "$tmp/root" --dump-target wlan9 2>/dev/null

# A replacement shutdown-driver list.
printf '# test\nixgbe\n' > "$tmp/sd.txt"
"$QDH" scan --sysroot "$tmp/root" --kexec --shutdown-drivers "$tmp/sd.txt" --json > "$tmp/sd.json"
[ "$(dev "$tmp/sd.json" 0000:00:06.0 state) $(dev "$tmp/sd.json" 0000:00:03.0 state)" = '"quiesced" "active"' ]
ok $? "--shutdown-drivers replaces the built-in list"
printf 'bad name\n' > "$tmp/sd-bad.txt"
run_fails 1 "a malformed shutdown-driver list exits 1" \
	"$QDH" scan --sysroot "$tmp/root" --kexec --shutdown-drivers "$tmp/sd-bad.txt" 2>/dev/null

# The blob.
"$QDH" scan --sysroot "$tmp/root" --encode "$tmp/blob.qdh" > /dev/null
ok $? "--encode writes a blob"
[ "$(head -c 4 "$tmp/blob.qdh")" = "QDHB" ]
ok $? "blob starts with the QDH magic"
"$top_builddir/tests/scan/encode-check" "$tmp/root"
ok $? "encoded blob validates and agrees with the inventory"

done_testing
