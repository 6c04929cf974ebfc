#!/bin/sh
# A --sysroot tree cannot be left (issue 13 item 1), through the tools:
# `qdh scan` reads nothing outside the tree through links in it (an
# attribute linked to an absolute path, a bus entry climbing out with "..",
# a device directory that is a link, a sysfs directory that is a link);
# `qdh apply` writes nothing outside it (config space and driver_override
# through links, its report file through a link, a tree whose sys is a link
# to another tree); the report is replaced, never followed; and a tree
# whose /proc is the live procfs counts as live, by identity.  Every case
# runs twice: openat2() and the component-by-component walk
# (QDH_SYSROOT_RESOLVE=walk, the path of kernels before 5.6).
#
# Everything outside the tree that a broken build would touch is a decoy
# under $T/outside; the one case that needs the real /sys mounts it
# read-only in a private mount namespace, so even a regression cannot
# change the host.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$FX" ] || skip_all "qdh or the apply fixture not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-confine-XXXXXX")
trap 'rm -rf "$T"' EXIT
P=/sys/devices/pci0000:00
O=$T/outside

hashes() { (cd "$1" && find . \( -type f -o -type l \) -exec md5sum {} + 2>/dev/null | sort; find . -type l -printf '%p %l\n' | sort); }
jq_dev() {	# jq_dev JSON ID FIELD: one field of one device of `qdh scan --json`
	python3 -c "
import json, sys
for d in json.load(open(sys.argv[1]))['devices']:
    if d['id'] == sys.argv[2]:
        print(d.get(sys.argv[3]))
        break
else:
    print('absent')" "$1" "$2" "$3"
}

jq_apply() {	# jq_apply REPORT DEVICE FIELD: decision, bridge, or now's command
	python3 -c "
import json, sys
for d in json.load(open(sys.argv[1]))['devices']:
    if d['device'] == sys.argv[2]:
        f = sys.argv[3]
        print(d.get('now', {}).get('command') if f == 'command' else d.get(f))
        break
else:
    print('absent')" "$1" "$2" "$3"
}

# The decoys: a device directory, a config space that would make a device
# look quiesced and bridge-less (vendor 0xdead), a group type, victims.
mkdecoys() {
	rm -rf "$O"
	mkdir -p "$O/kernel/iommu_groups/7"
	# named as the devices that point at them, so no name mismatch hides
	# a read (the scanner flags a bus entry pointing at another name)
	for d in 0000:00:0a.0 0000:00:0b.0 0000:00:0c.0; do
		mkdir -p "$O/$d"
		"$FX" config "$O/$d/config" 0xdead 0xbeef 0x0000 0x020000 0
		echo 0xdead > "$O/$d/vendor"
		echo 0x020000 > "$O/$d/class"
	done
	"$FX" config "$O/victim-config" 0xdead 0xbeef 0x0007 0x020000 0
	# a PCI-to-PCI bridge's config: read through a link, it would make a
	# network device of the tree a bridge, which apply never cuts off
	"$FX" config "$O/bridge-config" 0x8086 0x1234 0x0007 0x060400 1
	echo VICTIM > "$O/victim-override"
	echo VICTIM > "$O/victim-report"
	echo VICTIM > "$O/victim-report2"
	echo identity > "$O/kernel/iommu_groups/7/type"
	# a whole second tree, for "sys is a link to another tree"
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$O/tree" "$FX" || { echo "Bail out! mksysroot"; exit 1; }
}

# The hostile tree: mksysroot's devices plus links that try to leave.
mktree() {
	R=$T/$1
	rm -rf "$R" "$R.spec" "$R.blob" "$R.norec"
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$R" "$FX" || { echo "Bail out! mksysroot"; exit 1; }
	S=$R/sys
	# 0a: its config is a link to an absolute path outside
	mkdir -p "$R$P/0000:00:0a.0"
	ln -s "$O/0000:00:0a.0/config" "$R$P/0000:00:0a.0/config"
	echo 0x1af4 > "$R$P/0000:00:0a.0/vendor"
	ln -s "../../../devices/pci0000:00/0000:00:0a.0" "$S/bus/pci/devices/0000:00:0a.0"
	# 0b: the bus entry climbs out of the tree with ".."
	ln -s "../../../../../../../../../../../../../../../..$O/0000:00:0b.0" "$S/bus/pci/devices/0000:00:0b.0"
	# 0c: the device directory itself is a link out
	ln -s "$O/0000:00:0c.0" "$R$P/0000:00:0c.0"
	ln -s "../../../devices/pci0000:00/0000:00:0c.0" "$S/bus/pci/devices/0000:00:0c.0"
	# 0d: its iommu_group is real, but sys/kernel is a link out
	mkdir -p "$R$P/0000:00:0d.0"
	"$FX" config "$R$P/0000:00:0d.0/config" 0x1af4 0x1041 0x0000 0x020000 0
	ln -s "../../../kernel/iommu_groups/7" "$R$P/0000:00:0d.0/iommu_group"
	ln -s "$O/kernel" "$S/kernel"
	ln -s "../../../devices/pci0000:00/0000:00:0d.0" "$S/bus/pci/devices/0000:00:0d.0"
	# 0e: a network device (its class file says so) whose config is an
	# absolute link to a bridge's config outside
	mkdir -p "$R$P/0000:00:0e.0"
	ln -s "$O/bridge-config" "$R$P/0000:00:0e.0/config"
	echo 0x020000 > "$R$P/0000:00:0e.0/class"
	echo 0x8086 > "$R$P/0000:00:0e.0/vendor"
	echo '(null)' > "$R$P/0000:00:0e.0/driver_override"
	ln -s "../../../devices/pci0000:00/0000:00:0e.0" "$S/bus/pci/devices/0000:00:0e.0"
	# 02 (aborted by apply): config and driver_override are links out
	rm -f "$R$P/0000:00:02.0/config" "$R$P/0000:00:02.0/driver_override"
	ln -s "$O/victim-config" "$R$P/0000:00:02.0/config"
	ln -s "../../../../../../../../../../../..$O/victim-override" \
		"$R$P/0000:00:02.0/driver_override"
	# the default report file is a link out
	mkdir -p "$R/run/qdh"
	ln -s "$O/victim-report" "$R/run/qdh/report.json"
}

for mode in openat2 walk; do
	if [ $mode = walk ]; then export QDH_SYSROOT_RESOLVE=walk; else unset QDH_SYSROOT_RESOLVE; fi
	mkdecoys
	mktree $mode
	before=$(hashes "$O")

	# --- the scanner reads nothing outside --------------------------------
	"$QDH" scan --sysroot "$R" --json > "$T/$mode.scan" 2> "$T/$mode.scan.err"
	ok $? "$mode: scan exits 0 on the hostile tree"
	grep -q 0xdead "$T/$mode.scan"
	ok $(( ! $? )) "$mode: no value read from outside the tree (no vendor 0xdead)"
	[ "$(jq_dev "$T/$mode.scan" 0000:00:0a.0 state)" = unknown ]
	ok $? "$mode: config linked to an absolute path outside: unknown, not read"
	[ "$(jq_dev "$T/$mode.scan" 0000:00:0b.0 state)" = unknown ]
	ok $? "$mode: bus entry climbing out with ..: unknown, not read"
	[ "$(jq_dev "$T/$mode.scan" 0000:00:0c.0 state)" = unknown ]
	ok $? "$mode: device directory linked outside: unknown, not read"
	[ "$(jq_dev "$T/$mode.scan" 0000:00:0d.0 group_type)" != identity ]
	ok $? "$mode: group type behind a link out of the tree not read"
	[ "$(jq_dev "$T/$mode.scan" 0000:00:03.0 state)" = quiesced ]
	ok $? "$mode: the tree's own devices still read (00:03.0 quiesced)"

	# --- apply writes nothing outside --------------------------------------
	"$QDH" apply --sysroot "$R" --no-kmsg > "$T/$mode.apply" 2>&1
	[ "$(hashes "$O")" = "$before" ]
	ok $? "$mode: apply changed nothing outside the tree (config, driver_override, report)"
	[ -f "$R/run/qdh/report.json" ] && [ ! -L "$R/run/qdh/report.json" ] &&
		grep -q '"program"' "$R/run/qdh/report.json"
	ok $? "$mode: the report link was replaced by the report, not followed"
	[ "$(cat "$R$P/0000:00:04.0/driver_override")" = qdh-abort ]
	ok $? "$mode: apply still enforces inside the tree (00:04.0 aborted)"

	# --- apply's device model reads nothing outside ------------------------
	rep=$R/run/qdh/report.json
	[ "$(jq_apply "$rep" 0000:00:0e.0 decision)" = abort ] &&
		[ "$(jq_apply "$rep" 0000:00:0e.0 bridge)" = False ]
	ok $? "$mode: apply: a config linked to a bridge's outside does not make a bridge (00:0e.0 aborted)"
	[ "$(cat "$R$P/0000:00:0e.0/driver_override")" = qdh-abort ]
	ok $? "$mode: apply: 00:0e.0 enforced inside the tree"
	r=0
	for d in 0000:00:0a.0 0000:00:0b.0 0000:00:0c.0 0000:00:0e.0; do
		c=$(jq_apply "$rep" $d command)
		[ "$c" = None ] || { r=1; echo "# $d: command $c"; }
	done
	ok $r "$mode: apply: no command word read through a link out (config, bus entry, directory)"
	ls -a "$R/run/qdh" | grep -q '\.tmp$'
	ok $(( ! $? )) "$mode: no temporary report file left behind"

	# --report FILE outside the tree: a link there is replaced too
	ln -s "$O/victim-report2" "$T/$mode.rep"
	"$QDH" apply --sysroot "$R" --dry-run --no-kmsg --report "$T/$mode.rep" > /dev/null 2>&1
	[ "$(cat "$O/victim-report2")" = VICTIM ] && [ ! -L "$T/$mode.rep" ] &&
		grep -q '"program"' "$T/$mode.rep"
	ok $? "$mode: --report through a link: link replaced, its target untouched"

	# a tree whose sys is a link to another tree: that tree is not touched
	R2=$T/$mode-syslink
	rm -rf "$R2"
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$R2" "$FX" || { echo "Bail out! mksysroot"; exit 1; }
	rm -rf "$R2/sys"
	ln -s "$O/tree/sys" "$R2/sys"
	tb=$(hashes "$O/tree")
	"$QDH" apply --sysroot "$R2" --no-kmsg > "$T/$mode.syslink" 2>&1
	[ "$(hashes "$O/tree")" = "$tb" ]
	ok $? "$mode: a tree whose sys links to another tree writes nothing there"
done
unset QDH_SYSROOT_RESOLVE

# --- live by identity ------------------------------------------------------
# A tree whose /proc is the live procfs, or whose /sys is the live sysfs, is
# the live system: apply refuses to enforce without --force, since this host
# has no /proc/vmcore -- also when the tree holds a /proc/vmcore of its own.
# The tree's sys is a read-only bind of the real /sys, so a regression fails
# on EROFS instead of touching the host.
live_case() {
	R3=$T/live
	rm -rf "$R3"
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$R3" "$FX" || return 3
	cat > "$T/live.sh" <<EOF
set -e
mount --bind /sys "$R3/sys"
mount -o remount,bind,ro "$R3/sys"
set +e
test -f "$R3/proc/vmcore" || exit 4
"$QDH" apply --sysroot "$R3" --no-kmsg --no-report > "$T/live1.out" 2>&1
echo \$? > "$T/live1.rc"
mount --bind /proc "$R3/proc" || exit 3
"$QDH" apply --sysroot "$R3" --no-kmsg --no-report > "$T/live2.out" 2>&1
echo \$? > "$T/live2.rc"
EOF
	unshare -m sh "$T/live.sh" 2> "$T/live.err" ||
		unshare -rm sh "$T/live.sh" 2> "$T/live.err" || return 3
	return 0
}
if [ -e /proc/vmcore ]; then
	echo "ok $((tap_n = tap_n + 1)) - live tree refused # SKIP this host is a crash kernel"
elif live_case; then
	[ "$(cat "$T/live1.rc")" = 2 ] && grep -q "not a crash kernel" "$T/live1.out"
	r=$?
	ok $r "a tree whose sys is the live sysfs is live: apply refuses (its own proc/vmcore does not count)"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/live1.out" | head -5
	[ "$(cat "$T/live2.rc")" = 2 ] && grep -q "not a crash kernel" "$T/live2.out"
	r=$?
	ok $r "a tree whose proc is the live procfs is live: apply refuses without --force"
	[ $r -eq 0 ] || sed 's/^/# /' "$T/live2.out" | head -5
else
	echo "ok $((tap_n = tap_n + 1)) - live tree refused # SKIP no private mount namespace"
fi

done_testing
