#!/bin/sh
# The throttled reload on device changes (scripts/qdh-reload, driven by
# udev/90-kexec-qdh.rules): on a sysroot, with --dry-run and for real
# (the "recorded command line" is a script that leaves a mark).
. "$top_srcdir/tests/common/tap.sh"
RELOAD=$top_srcdir/scripts/qdh-reload
export QDH_BIN="$top_builddir/qdh"
command -v python3 > /dev/null || skip_all "python3 needed for the fixture"
command -v flock > /dev/null || skip_all "flock (util-linux) needed"
tmp=$(mktemp -d) || exit 2
holder=
trap '[ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$tmp"' EXIT
r=$tmp/root
python3 - "$r" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "scan"))
from sysfs_tree import Tree
t = Tree(sys.argv[1])
t.dir("/sys/class/iommu")
t.pci("0000:00:01.0", command=0x0, group=1)
t.pci("0000:00:02.0", command=0x6, driver="e1000e", group=2)
t.file("/sys/kernel/kexec_crash_loaded", "0\n")
# kdump-tools records its load command in $KDUMP_COREDIR/kexec_cmd.
t.file("/var/crash/kexec_cmd", 'echo reloaded >> "$(dirname "$0")/../../reloads"\n')
PY
run() {	# run NAME ARGS...: qdh-reload on the sysroot, output in $tmp/NAME
	n=$1; shift
	sh "$RELOAD" --sysroot "$r" "$@" > "$tmp/$n" 2>&1
}
has() { grep -q -- "$2" "$tmp/$1" || { sed 's/^/# /' "$tmp/$1"; return 1; }; }
hasnt() { ! grep -q -- "$2" "$tmp/$1" || { sed 's/^/# /' "$tmp/$1"; return 1; }; }
reloads() { [ -f "$r/reloads" ] && wc -l < "$r/reloads" || echo 0; }

run none --dry-run
ok $? "no crash kernel loaded: exit 0"
has none "no crash kernel loaded: nothing to reload" && hasnt none "would run: sh"
ok $? "...and nothing would be reloaded"

echo 1 > "$r/sys/kernel/kexec_crash_loaded"
run nobase --dry-run
ok $? "loaded, no baseline: exit 0"
has nobase "no baseline" && has nobase "would run: sh $r/var/crash/kexec_cmd"
ok $? "...reloads to be sure, with the recorded command line"
[ ! -f "$r/run/kexec-qdh/loaded.qdh" ] && [ "$(reloads)" = 0 ]
ok $? "--dry-run changed nothing"

run record --record
ok $? "--record saves the baseline"
"$QDH_BIN" inspect "$r/run/kexec-qdh/loaded.qdh" > /dev/null
ok $? "...a valid blob"
cp "$r/run/kexec-qdh/loaded.qdh" "$tmp/base.qdh"

run same --dry-run
ok $? "unchanged inventory: exit 0"
has same "inventory unchanged" && hasnt same "would run"
ok $? "...no reload"
"$QDH_BIN" scan --sysroot "$r" --encode "$tmp/again.qdh" > /dev/null
g1=$("$QDH_BIN" inspect --json "$tmp/base.qdh" | grep '"generation"')
g2=$("$QDH_BIN" inspect --json "$tmp/again.qdh" | grep '"generation"')
[ -n "$g1" ] && [ "$g1" != "$g2" ]
ok $? "...although every scan has a new generation (and crc32)"

# A driver binds to the idle function and it starts mastering.
mkdir -p "$r/sys/bus/pci/drivers/virtio-pci"
ln -s ../../../bus/pci/drivers/virtio-pci "$r/sys/devices/pci0000:00/0000:00:01.0/driver"
python3 -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[4] = 6
open(p, 'wb').write(b)" "$r/sys/devices/pci0000:00/0000:00:01.0/config"
run changed --dry-run
ok $? "changed inventory, --dry-run: exit 0"
has changed "inventory changed" && has changed '"active"' &&
	has changed "would run: sh $r/var/crash/kexec_cmd" && has changed "would save the baseline"
ok $? "...shows the difference and the reload it would run"
cmp -s "$r/run/kexec-qdh/loaded.qdh" "$tmp/base.qdh" && [ "$(reloads)" = 0 ]
ok $? "...and changes nothing"

run real
ok $? "changed inventory: reload exits 0"
[ "$(reloads)" = 1 ] && ! cmp -s "$r/run/kexec-qdh/loaded.qdh" "$tmp/base.qdh"
ok $? "...ran the recorded command line once and saved the new baseline"
run again
has again "inventory unchanged" && [ "$(reloads)" = 1 ]
ok $? "a second event with no change: no reload"

# A failing reload keeps the old baseline, so the next event retries.
rm "$r/sys/devices/pci0000:00/0000:00:01.0/driver"
cp "$r/run/kexec-qdh/loaded.qdh" "$tmp/base2.qdh"
# ...here also from a KDUMP_COREDIR set in /etc/default/kdump-tools.
mkdir -p "$r/etc/default" "$r/srv/dumps"
echo 'KDUMP_COREDIR="/srv/dumps"' > "$r/etc/default/kdump-tools"
echo 'exit 3' > "$r/srv/dumps/kexec_cmd"
run fail
[ $? -eq 1 ] && has fail "reload failed (exit 3); baseline kept" &&
	cmp -s "$r/run/kexec-qdh/loaded.qdh" "$tmp/base2.qdh"
ok $? "failed reload (command from KDUMP_COREDIR): exit 1, baseline kept"

# Serialised: a second reloader waits for the lock, then gives up cleanly.
flock "$r/run/kexec-qdh/reload.lock" sleep 30 &
holder=$!
sleep 0.5
run locked --dry-run --lock-timeout 1
[ $? -eq 1 ] && has locked "another reload holds"
ok $? "lock held elsewhere: waits, then exit 1 with a clear message"
kill "$holder"; wait "$holder" 2>/dev/null; holder=

sh "$RELOAD" --bogus > /dev/null 2>&1
[ $? -eq 2 ]
ok $? "unknown option: exit 2"

# The udev rule: PCI add/remove/bind/unbind, throttled through a fixed
# transient unit name with systemd-run --on-active.
rule=$top_builddir/udev/90-kexec-qdh.rules
grep -q 'SUBSYSTEM!="pci"' "$rule" && grep -q 'ACTION!="add|remove|bind|unbind"' "$rule" &&
	grep -Eq 'RUN\+="/bin/systemd-run --quiet --no-block --collect --on-active=3 --unit=kexec-qdh-reload .*/libexec/kexec-qdh/qdh-reload"' "$rule"
ok $? "udev rule matches PCI add/remove/bind/unbind and throttles via systemd-run"
if command -v udevadm > /dev/null && udevadm verify --help > /dev/null 2>&1; then
	udevadm verify "$rule" > /dev/null 2>&1
	ok $? "udevadm verify accepts the rule"
fi
done_testing
