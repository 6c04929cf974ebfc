#!/bin/sh
# Dump target on an NVMe native-multipath head (nvme_core multipath=Y with a
# subsystem that reports several controllers: QEMU >= 8, dual-port drives).
# The head nvme0n1 sits under the virtual subsystem device; the dump needs
# every PCI function whose controller carries a path to the namespace.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
gen=$top_srcdir/tests/scan/gen-nvme-mpath.py
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for l in old mpdir nopaths; do
	python3 "$gen" "$tmp/$l" --layout $l || { echo "Bail out! fixture $l"; exit 1; }
done

# marks FILE: "BDF:dump_target:action" for every PCI function, one line.
marks() {
	python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
print(' '.join('%s:%s:%s' % (x['id'][5:], 't' if x['dump_target'] else '-',
      x['action']) for x in d['devices'] if x['dump_target']))" "$1"
}
reasons() {
	python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
print(' '.join(','.join(x['reasons']) for x in d['devices'] if x['id']==sys.argv[2]))" "$1" "$2"
}

# Namespace 1: controllers nvme0 (01:00.0) and nvme1 (02:00.0) and their
# root ports; never nvme2 (03:00.0, only namespace 2) nor the NIC.
both='00:01.0:t:attach 00:02.0:t:attach 01:00.0:t:reset-then-attach 02:00.0:t:reset-then-attach'
for l in old mpdir; do
	for t in nvme0n1 /dev/nvme0n1 259:0 nvme0n1p1 /dev/nvme0n1p1 259:1; do
		"$QDH" scan --sysroot "$tmp/$l" --dump-target "$t" --json \
			> "$tmp/dt.json" 2> "$tmp/dt.err"
		r=$?
		[ $r = 0 ] && [ "$(marks "$tmp/dt.json")" = "$both" ] && [ ! -s "$tmp/dt.err" ]
		ok $? "$l layout: dump target $t -> both path controllers 01:00.0 02:00.0 (reset-then-attach) and their root ports"
	done
done
"$QDH" scan --sysroot "$tmp/old" --dump-target nvme0n1 --json > "$tmp/dt.json"
[ "$(reasons "$tmp/dt.json" 0000:01:00.0) / $(reasons "$tmp/dt.json" 0000:02:00.0)" = \
  'driver-bound,bus-master-on,dump-target / driver-bound,bus-master-on,dump-target' ]
ok $? "both path controllers carry reason dump-target"

# Namespace 2 has one path: only nvme2's function.
for l in old mpdir; do
	"$QDH" scan --sysroot "$tmp/$l" --dump-target nvme0n2 --json > "$tmp/dt.json"
	[ "$(marks "$tmp/dt.json")" = '00:03.0:t:attach 03:00.0:t:reset-then-attach' ]
	ok $? "$l layout: dump target nvme0n2 -> 03:00.0 only (the controllers without a path stay out)"
done

# No path disk visible: every controller of the subsystem, with a warning.
"$QDH" scan --sysroot "$tmp/nopaths" --dump-target nvme0n1 --json > "$tmp/dt.json" 2> "$tmp/dt.err"
r=$?
[ $r = 0 ] && [ "$(marks "$tmp/dt.json")" = '00:01.0:t:attach 00:02.0:t:attach 00:03.0:t:attach 01:00.0:t:reset-then-attach 02:00.0:t:reset-then-attach 03:00.0:t:reset-then-attach' ]
ok $? "no path disk: every controller of nvme-subsys0 kept"
grep -q 'no path disk nvme0c\*n1 found, every controller of nvme-subsys0 kept' "$tmp/dt.err"
ok $? "no path disk: the fallback is announced on stderr"

# A head whose subsystem has no controller at all is on no known device.
rm -f "$tmp/nopaths/sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme"[0-9]
run_fails 1 "head of a subsystem without controllers exits 1" \
	"$QDH" scan --sysroot "$tmp/nopaths" --dump-target nvme0n1 2>/dev/null

done_testing
