#!/bin/sh
# `qdh apply` on the paths issue 12 names (items 5, 6, 8):
#  - bridges (class 0x0600, 0x0604, 0x0607, 0x0608, 0x0609, header type 1/2)
#    are never aborted, in the blob or not, under a valid handover with
#    either hotplug policy and under both fail-safes: no Bus Master cleared,
#    no driver_override set;
#  - identity: a platform entry named like a PCI address never decides for
#    the PCI function of that address;
#  - no devices at all is a clean run.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$FX" ] || skip_all "qdh or fixture not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-apply-br-XXXXXX")
trap 'rm -rf "$T"' EXIT
P=/sys/devices/pci0000:00

cmd_word() {	# the PCI Command word of a config file, as 4 hex digits
	od -An -tx1 -j4 -N2 "$1" | awk '{ print $2 $1 }'
}

# dev ROOT NAME CLASS HEADER: a function with Bus Master on (0x0007)
dev() {
	p=$1/sys/devices/pci0000:00/$2
	mkdir -p "$p"
	"$FX" config "$p/config" 0x8086 0x1234 0x0007 "$3" "$4"
	echo "$3" > "$p/class"
	echo '(null)' > "$p/driver_override"
	ln -s "../../../devices/pci0000:00/$2" "$1/sys/bus/pci/devices/$2"
}

# Bridges: BDF CLASS HEADER DESCRIPTION
BRIDGES='0000:00:10.0 0x060000 0 host-bridge-0x0600
0000:00:11.0 0x060400 1 pci-to-pci-0x0604
0000:00:12.0 0x060700 2 cardbus-0x0607
0000:00:13.0 0x060800 0 raceway-0x0608
0000:00:14.0 0x060940 0 semi-transparent-0x0609
0000:00:15.0 0x068000 1 header-type-1
0000:00:16.0 0x068000 2 header-type-2'

# mk ROOT: the bridges above, a NIC 0000:00:02.0 (active in the blob), and a
# spec of which the caller appends more lines; the blob goes to /chosen.
mk() {
	R=$1
	mkdir -p "$R/sys/bus/pci/devices" "$R/sys/bus/platform/devices" \
		"$R/proc/device-tree/chosen" "$R/dev" "$R/run"
	: > "$R/dev/kmsg"
	while read -r bdf cls hdr what; do dev "$R" "$bdf" "$cls" "$hdr"; done <<-EOF
	$BRIDGES
	EOF
	dev "$R" 0000:00:02.0 0x020000 0
	printf 'generation 0x77\nflags crash\npci 0000:00:02.0 active 0x020000 driver-bound bus-master-on\n' > "$R.spec"
}
blob() {	# blob ROOT: encode ROOT.spec into /chosen
	"$FX" blob "$1.spec" "$1/proc/device-tree/chosen/kexec-qdh,handover" record || { echo "Bail out! fixture blob"; exit 1; }
}
# (loops read here-documents, not pipes: ok must count in this shell)
untouched() {	# untouched ROOT CASE: every bridge kept Bus Master and no override
	while read -r bdf cls hdr what; do
		w=$(cmd_word "$1$P/$bdf/config")
		o=$(cat "$1$P/$bdf/driver_override")
		test "$w" = 0007 && test "$o" = '(null)'
		ok $? "$2: $what ($bdf) never cut off (command $w, override $o)"
	done <<-EOF
	$BRIDGES
	EOF
}

# --- 1. not in the blob, valid handover, --hotplug=abort (default) ----------
mk "$T/a"; blob "$T/a"
"$QDH" apply --sysroot "$T/a" > "$T/a.out" 2>&1
ok $? "bridges absent from the blob, hotplug abort: exit 0"
untouched "$T/a" "absent from the blob, hotplug=abort"
test "$(cmd_word "$T/a$P/0000:00:02.0/config")" = 0003
ok $? "hotplug=abort: the active NIC is aborted (the run did act)"

# --- 2. the same with --hotplug=attach ---------------------------------------
mk "$T/b"; blob "$T/b"
"$QDH" apply --sysroot "$T/b" --hotplug=attach > /dev/null 2>&1
untouched "$T/b" "absent from the blob, hotplug=attach"

# --- 3. in the blob as active/unknown (a wrong or hostile blob), valid ------
mk "$T/c"
while read -r bdf cls hdr what; do
	echo "pci $bdf active 0x020000 driver-bound bus-master-on" >> "$T/c.spec"
done <<EOF
$BRIDGES
EOF
blob "$T/c"
"$QDH" apply --sysroot "$T/c" > /dev/null 2>&1
untouched "$T/c" "in the blob as an active NIC, bridge now"

# --- 4. no valid handover, --fail-safe=strict --------------------------------
mk "$T/d"
"$QDH" apply --sysroot "$T/d" --fail-safe=strict > "$T/d.out" 2>&1
ok $(( $? != 1 )) "strict without a handover: exit 1"
untouched "$T/d" "no handover, fail-safe strict"
test "$(cmd_word "$T/d$P/0000:00:02.0/config")" = 0003
ok $? "strict: the NIC is aborted (the fail-safe did act)"

# --- 5. no valid handover, --fail-safe=observe -------------------------------
mk "$T/e"
"$QDH" apply --sysroot "$T/e" --hotplug=abort > /dev/null 2>&1
untouched "$T/e" "no handover, fail-safe observe"

# --- 6. strict, config unreadable now: the class attribute still says bridge -
mk "$T/f"
head -c 64 /dev/zero | tr '\0' '\377' > "$T/f$P/0000:00:10.0/config"
"$QDH" apply --sysroot "$T/f" --fail-safe=strict > /dev/null 2>&1
grep -q "qdh: 0000:00:10.0 attach (bridge" "$T/f/dev/kmsg"
ok $? "strict: a host bridge whose config reads all ones is attached (class attribute)"
test "$(cat "$T/f$P/0000:00:10.0/driver_override")" = '(null)'
ok $? "strict: ... and gets no driver_override"

# --- 7. identity: a platform entry named 0000:00:09.0 -------------------------
mk "$T/g"
dev "$T/g" 0000:00:09.0 0x020000 0
mkdir -p "$T/g/sys/devices/platform/0000:00:09.0"
echo '(null)' > "$T/g/sys/devices/platform/0000:00:09.0/driver_override"
ln -s ../../../devices/platform/0000:00:09.0 "$T/g/sys/bus/platform/devices/0000:00:09.0"
echo "platform 0000:00:09.0 active driver-bound" >> "$T/g.spec"
blob "$T/g"
"$QDH" apply --sysroot "$T/g" --hotplug=attach > /dev/null 2>&1
ok $? "identity: exit 0"
test "$(cmd_word "$T/g$P/0000:00:09.0/config")" = 0007 &&
	test "$(cat "$T/g$P/0000:00:09.0/driver_override")" = '(null)'
ok $? "identity: the platform entry's 'active' does not abort PCI 0000:00:09.0"
grep -q "qdh: 0000:00:09.0 attach (not in the blob" "$T/g/dev/kmsg"
ok $? "identity: PCI 0000:00:09.0 is 'not in the blob' (hot-plug policy attach)"
test "$(cat "$T/g/sys/devices/platform/0000:00:09.0/driver_override")" = qdh-abort
ok $? "identity: the platform device 0000:00:09.0 gets the blob's decision (abort)"

# --- 8. no devices at all -------------------------------------------------------
mkdir -p "$T/h/sys/bus/pci/devices" "$T/h/proc/device-tree/chosen" "$T/h/dev" "$T/h/run"
: > "$T/h/dev/kmsg"
printf 'generation 0x78\nflags crash\n' > "$T/h.spec"
blob "$T/h"
"$QDH" apply --sysroot "$T/h" --json > "$T/h.json" 2> "$T/h.err"
ok $? "no devices, valid empty blob: exit 0 (a clean run)"
grep -q '"devices":\[' "$T/h.json" && ! grep -q '"device":' "$T/h.json" &&
	grep -q '"status":"valid"' "$T/h.json"
ok $? "no devices: an empty device list"
test ! -s "$T/h.err"
ok $? "no devices: nothing on stderr"
mkdir -p "$T/i/dev"
: > "$T/i/dev/kmsg"
"$QDH" apply --sysroot "$T/i" --fail-safe=strict --no-report > "$T/i.out" 2>&1
ok $(( $? != 1 )) "no /sys, no handover, strict: exit 1 (fail-safe), not a crash"

done_testing
