#!/bin/sh
# Dump-target detection (doc/verdicts.md, "Dump targets"): every root= form,
# every block stack, each kdump service config, the route to a dump server,
# the no-dump-target fallback and hostile inputs, on the synthetic sysroot
# of gen-dump-fixture.py.  Each check names the PCI functions that must be
# marked (bridges above them left out) and nothing else.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
here=$top_srcdir/tests/scan
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
R=$T/root
python3 "$here/gen-dump-fixture.py" "$R" || { echo "Bail out! fixture"; exit 1; }

UUID_ROOT=0a1b2c3d-1111-4222-8333-444455556666
UUID_CRASH=7e57c0de-aaaa-4bbb-8ccc-ddddeeeeffff
UUID_DATA=da7a0000-1234-4567-89ab-cdef01234567
PARTUUID_ROOT=5eed0001-aa01-4b02-8c03-d00000000001
NVME0=0000:01:00.0 NVME1=0000:02:00.0 NVME2=0000:03:00.0
SATA=0000:04:00.0 SATA2=0000:05:00.0
ETH0=0000:06:00.0 ETH1=0000:07:00.0 ETH2=0000:08:00.0 ETH3=0000:09:00.0

# marked FILE: the non-bridge dump targets, then "fallback" if it was used.
marked() {
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
m = sorted(x['id'] for x in d['devices'] if x['dump_target'] and x['state'] != 'bridge')
fb = d.get('dump_detection', {}).get('fallback')
print(' '.join(m + (['fallback'] if fb else [])))" "$1"
}
# errors FILE: the error of every need, one per line
errors() {
	python3 -c "
import json, sys
for n in json.load(open(sys.argv[1]))['dump_detection']['needs']:
    if n['error']: print(n['source'], '|', n['error'])" "$1"
}
scan() {	# scan ROOT ARGS...: JSON to $T/o.json, stderr to $T/o.err
	r=$1; shift
	"$QDH" scan --sysroot "$r" --detect-dump-targets --json "$@" > "$T/o.json" 2> "$T/o.err"
}
# expect DESC WANT ARGS...: detection on $R marks exactly WANT, no fallback
expect() {
	desc=$1 want=$2; shift 2
	scan "$R" "$@"
	got=$(marked "$T/o.json")
	[ "$got" = "$want" ]; r=$?
	ok $r "$desc"
	if [ $r != 0 ]; then
		echo "# want: $want"; echo "# got:  $got"; sed 's/^/# /' "$T/o.err"
	fi
}
conf() { rm -f "$R/etc/default/kdump-tools" "$R/etc/kdump.conf" "$R/etc/fstab"
	 mkdir -p "$R/etc/default"; }

# --- root= of the crash kernel's command line -----------------------------
conf
expect "root=UUID= (by-uuid link) -> the NVMe under the partition" "$NVME0" \
	--cmdline "console=ttyS0 root=UUID=$UUID_ROOT ro"
expect "root=UUID= in upper case finds blkid's lower-case link" "$NVME0" \
	--cmdline "root=UUID=$(echo $UUID_ROOT | tr a-f A-F)"
expect "root=LABEL=" "$NVME0" --cmdline "root=LABEL=root"
expect "root=\"LABEL=my data\" (quoted, udev-encoded link) -> LVM on sda1" "$SATA" \
	--cmdline 'quiet root="LABEL=my data" rw'
expect "root=PARTUUID=" "$NVME0" --cmdline "root=PARTUUID=$PARTUUID_ROOT"
expect "root=PARTUUID=.../PARTNROFF=1 (same disk)" "$NVME0" \
	--cmdline "root=PARTUUID=$PARTUUID_ROOT/PARTNROFF=1"
expect "root=PARTLABEL=" "$NVME0" --cmdline "root=PARTLABEL=rootfs"
expect "root=/dev/nvme0n1p1" "$NVME0" --cmdline "root=/dev/nvme0n1p1"
expect "root=/dev/disk/by-id/... (udev link)" "$NVME0" \
	--cmdline "root=/dev/disk/by-id/nvme-QEMU_NVMe_Ctrl_deadbeef-part1"
expect "root=MAJ:MIN" "$SATA" --cmdline "root=8:1"
expect "root=MAJ:MIN:OFFSET" "$SATA" --cmdline "root=8:1:0"
expect "root=<hex dev_t> (the kernel's 801 = 8:1)" "$SATA" --cmdline "root=801"
expect "the last root= wins, as in the kernel" "$SATA" \
	--cmdline "root=/dev/nvme0n1p1 root=/dev/sda1"
echo "root=UUID=$UUID_ROOT quiet" > "$R/proc/cmdline"
scan "$R"
[ "$(marked "$T/o.json")" = "$NVME0" ] &&
grep -q 'running kernel' "$T/o.json"
ok $? "no --cmdline: root= of the sysroot's /proc/cmdline"
echo "console=ttyS0 quiet" > "$R/proc/cmdline"

# --- block stacks -----------------------------------------------------------
expect "dm-crypt on a partition (/dev/mapper/luks-abc)" "$NVME0" \
	--cmdline "root=/dev/mapper/luks-abc"
expect "LVM on dm-crypt (/dev/mapper/vg0-root -> dm-1 -> dm-0 -> nvme0n1p2)" "$NVME0" \
	--cmdline "root=/dev/mapper/vg0-root"
expect "LVM as /dev/VG/LV" "$NVME0" --cmdline "root=/dev/vg0/root"
rm "$R/dev/vg0/root"
expect "/dev/VG/LV without its udev link: the dm name vg0-root" "$NVME0" \
	--cmdline "root=/dev/vg0/root"
expect "LVM on a partition (UUID of dm-3 on sda1)" "$SATA" --cmdline "root=UUID=$UUID_DATA"
expect "md RAID1 over two NVMe (/dev/md0)" "$NVME1 $NVME2" --cmdline "root=/dev/md0"
expect "a partition of md RAID1 (UUID of md0p1)" "$NVME1 $NVME2" \
	--cmdline "root=UUID=$UUID_CRASH"
expect "/dev/md/NAME (udev link)" "$NVME1 $NVME2" --cmdline "root=/dev/md/crash"

M=$T/mpath
python3 "$here/gen-nvme-mpath.py" "$M" --layout old || { echo "Bail out! mpath fixture"; exit 1; }
mkdir -p "$M/dev/disk/by-uuid" && ln -s ../../nvme0n1p1 "$M/dev/disk/by-uuid/$UUID_ROOT"
: > "$M/dev/nvme0n1p1"
scan "$M" --cmdline "root=UUID=$UUID_ROOT"
[ "$(marked "$T/o.json")" = "0000:01:00.0 0000:02:00.0" ]
ok $? "NVMe multipath head partition: both path controllers, not the third"

# --- kdump-tools ------------------------------------------------------------
conf
cat > "$R/etc/default/kdump-tools" <<'EOF'
# kdump-tools configuration (as Debian ships it)
USE_KDUMP=1
KDUMP_KERNEL=/var/lib/kdump/vmlinuz
KDUMP_INITRD=/var/lib/kdump/initrd.img
KDUMP_COREDIR="/var/crash"
#KDUMP_FAIL_CMD="reboot -f"
#NFS="<nfs mount>"
#NFS_TIMEO="600"
#SSH="<user at server>"
EOF
expect "kdump-tools as shipped: KDUMP_COREDIR=/var/crash on md0p1" "$NVME1 $NVME2"
expect "kdump-tools and root=: both" "$NVME0 $NVME1 $NVME2" \
	--cmdline "root=UUID=$UUID_ROOT reset_devices systemd.unit=kdump-tools-dump.service"
sed -i 's|^KDUMP_COREDIR=.*|#KDUMP_COREDIR=|' "$R/etc/default/kdump-tools"
expect "kdump-tools without KDUMP_COREDIR: its default /var/crash" "$NVME1 $NVME2"
echo 'KDUMP_COREDIR=' >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR empty: the default too" "$NVME1 $NVME2"
echo "export KDUMP_COREDIR='/srv/dumps'  # elsewhere" >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR elsewhere (/srv/dumps on LVM on sda1), last assignment wins" "$SATA"
echo 'KDUMP_COREDIR=/srv/not-made-yet/x' >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR not made yet: the file system of its nearest parent" "$SATA"
echo 'KDUMP_COREDIR=/backup/crash' >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR on a btrfs over two disks: both controllers" "$SATA $SATA2"
echo 'KDUMP_COREDIR="/mnt/my dir"' >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR with a space (mountinfo's \\040)" "$SATA"
echo 'KDUMP_COREDIR=/mnt/nfs' >> "$R/etc/default/kdump-tools"
expect "KDUMP_COREDIR on an NFS mount: the NIC of the route (default: eth0)" "$ETH0"
echo 'SSH="kdump@dumpsrv"' >> "$R/etc/default/kdump-tools"
expect "SSH=user@host (/etc/hosts 10.1.2.50): eth1's /24 beats bond0's /16; no local dir" "$ETH1"
echo 'SSH=' >> "$R/etc/default/kdump-tools"
echo 'NFS="10.1.9.9:/export/crash"' >> "$R/etc/default/kdump-tools"
expect "NFS=host:/path over bond0 (10.1.0.0/16): both slaves" "$ETH2 $ETH3"
echo 'NFS="[2001:db8:1:2::77]:/export"' >> "$R/etc/default/kdump-tools"
expect "NFS=[IPv6]:/path: the longest IPv6 prefix (eth1's /64)" "$ETH1"
echo 'NFS=198.51.100.7:/x' >> "$R/etc/default/kdump-tools"
expect "NFS server off every subnet: the default route (eth0)" "$ETH0"
echo 'NFS=bridged:/x' >> "$R/etc/default/kdump-tools"
expect "bridge over a vlan over a bond: down to both slaves" "$ETH2 $ETH3"
echo 'NFS=dump6:/x' >> "$R/etc/default/kdump-tools"
expect "an IPv6 host from /etc/hosts (bond0's /48)" "$ETH2 $ETH3"
echo 'NFS=203.0.113.5:/x' >> "$R/etc/default/kdump-tools"
expect "a reject route is not a route: the default wins" "$ETH0"

# fstab: kdump-tools boots a full systemd in the crash kernel.
conf
echo 'KDUMP_COREDIR=/var/crash' > "$R/etc/default/kdump-tools"
cat > "$R/etc/fstab" <<EOF
# <file system> <mount point> <type> <options> <dump> <pass>
/dev/mapper/vg0-root /    ext4 errors=remount-ro 0 1
UUID=$UUID_DATA      /srv ext4 defaults 0 2
LABEL=whatever       /mnt/usb ext4 noauto 0 0
/dev/sdz1            /mnt/gone ext4 nofail 0 0
/dev/nvme9n1p9       none swap sw 0 0
tmpfs                /tmp tmpfs defaults 0 0
EOF
expect "kdump-tools: fstab's local mounts come up in its crash boot (noauto, nofail, swap skipped)" \
	"$NVME0 $NVME1 $NVME2 $SATA"

# --- kdump-utils: /etc/kdump.conf -----------------------------------------
conf
echo 'core_collector makedumpfile -l --message-level 7 -d 31' > "$R/etc/kdump.conf"
expect "kdump.conf without path or target: /var/crash" "$NVME1 $NVME2"
printf 'path /srv/dumps # where\ncore_collector makedumpfile -l -d 31\n' > "$R/etc/kdump.conf"
expect "kdump.conf path (no target): the file system holding it" "$SATA"
printf 'ext4 UUID=%s\npath /var/crash\n' "$UUID_DATA" > "$R/etc/kdump.conf"
expect "kdump.conf ext4 UUID=: that device (path relative to it)" "$SATA"
printf 'xfs /dev/md0p1\n' > "$R/etc/kdump.conf"
expect "kdump.conf xfs /dev/...: md RAID1" "$NVME1 $NVME2"
printf 'raw /dev/sda1\n' > "$R/etc/kdump.conf"
expect "kdump.conf raw" "$SATA"
printf 'nfs dumpsrv.example:/export\n' > "$R/etc/kdump.conf"
expect "kdump.conf nfs host:/path (an /etc/hosts alias)" "$ETH1"
printf 'nfs [2001:db8:1::5]:/export\n' > "$R/etc/kdump.conf"
expect "kdump.conf nfs [IPv6]:/path" "$ETH2 $ETH3"
printf 'ssh root@172.16.9.9\nsshkey /root/.ssh/kdump_id_rsa\n' > "$R/etc/kdump.conf"
expect "kdump.conf ssh user@host" "$ETH2 $ETH3"
printf 'ssh kdump@198.51.100.20\n' > "$R/etc/kdump.conf"
expect "kdump.conf ssh, default route" "$ETH0"
printf 'ssh root@2001:db8:1:2::5\n' > "$R/etc/kdump.conf"
expect "kdump.conf ssh user@IPv6 (no brackets: all after the @)" "$ETH1"

# --- explicit targets win ---------------------------------------------------
conf
"$QDH" scan --sysroot "$R" --detect-dump-targets --dump-target eth1 \
	--cmdline "root=UUID=$UUID_ROOT" --json > "$T/o.json" 2> "$T/o.err"
[ "$(marked "$T/o.json")" = "$ETH1" ] && ! grep -q dump_detection "$T/o.json"
ok $? "--dump-target replaces detection (they do not add up)"
"$QDH" scan --sysroot "$R" --cmdline "root=UUID=$UUID_ROOT" --json > "$T/o.json"
[ -z "$(marked "$T/o.json")" ]
ok $? "without --detect-dump-targets, qdh scan detects nothing (as before)"
"$QDH" scan --sysroot "$R" --kexec --detect-dump-targets --cmdline "root=UUID=$UUID_ROOT" \
	--json > "$T/o.json"
[ -z "$(marked "$T/o.json")" ]
ok $? "a normal kexec (--kexec) has no dump: no detection"

# --- nothing determined: the fallback ---------------------------------------
conf
scan "$R" --cmdline "console=ttyS0" --encode "$T/fb.qdh"
[ "$(marked "$T/o.json")" = "$NVME0 $NVME1 $NVME2 $SATA $SATA2 $ETH0 $ETH1 $ETH2 $ETH3 fallback" ]
ok $? "no dump target: every storage (01) and network (02) controller, not USB or GPU"
[ "$(grep -c 'NO DUMP TARGET FOUND' "$T/o.err")" = 1 ] &&
grep -q 'root=: none on the command line' "$T/o.err" &&
grep -q '/etc/default/kdump-tools: absent' "$T/o.err" &&
grep -q '/etc/kdump.conf: absent' "$T/o.err"
ok $? "one loud warning naming what was tried"
sed 's/^/# /' "$T/o.err"
"$QDH" inspect --json "$T/fb.qdh" > "$T/fb.json" 2>&1
grep -q '"no-dump-target"' "$T/fb.json"
ok $? "the blob carries the header flag no-dump-target"
python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
ids = {x['id']: x for x in d['devices']}
for b in ('$NVME0', '$ETH3'):
    assert ids[b]['dump_target'] and 'dump-target' in ids[b]['reasons'], b
assert ids['0000:0b:00.0']['action'] == 'abort'
" "$T/o.json"
ok $? "fallback devices carry reason dump-target; the GPU is still aborted"
scan "$R" --cmdline "root=UUID=$UUID_ROOT"
[ "$(marked "$T/o.json")" = "$NVME0" ] && [ ! -s "$T/o.err" ]
ok $? "found: no fallback, no warning"
"$QDH" scan --sysroot "$R" --detect-dump-targets --cmdline "root=UUID=$UUID_ROOT" \
	--encode "$T/ok.qdh" > /dev/null 2>&1
"$QDH" inspect --json "$T/ok.qdh" > "$T/ok.json" 2>&1
! grep -q '"no-dump-target"' "$T/ok.json" && grep -q '"crash"' "$T/ok.json"
ok $? "found: the blob has no no-dump-target flag"

# --- the crash side: qdh apply never aborts them -----------------------------
: > "$R/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/reset"	# NVMe 0 can reset
decisions() {	# decisions BLOB: "BDF:decision" of every non-bridge function
	"$QDH" apply --sysroot "$R" --blob "$1" --dry-run --json --no-kmsg --no-report \
		2> "$T/a.err" | python3 -c "
import json, sys
d = json.load(sys.stdin)
print(' '.join('%s:%s' % (x['device'][5:], x['decision']) for x in d['devices']
               if not x['bridge']))"
}
got=$(decisions "$T/fb.qdh")
[ "$got" = "01:00.0:reset-then-attach 02:00.0:attach 03:00.0:attach 04:00.0:attach 05:00.0:attach 06:00.0:attach 07:00.0:attach 08:00.0:attach 09:00.0:attach 0a:00.0:abort 0b:00.0:abort" ]
ok $? "apply, no-dump-target blob: storage/net reset-then-attach or attach, never abort; USB and GPU aborted"
echo "# $got"
FX=$top_builddir/tests/apply/fixture
printf 'generation 0x77\nflags crash no-dump-target\npci 0000:00:00.0 bridge 0x060000 bridge\npci 0000:06:00.0 active 0x020000 driver-bound bus-master-on dump-target\n' \
	> "$T/part.spec"
"$FX" blob "$T/part.spec" "$T/part.qdh" || echo "Bail out! fixture blob"
got=$(decisions "$T/part.qdh")
[ "$got" = "01:00.0:reset-then-attach 02:00.0:attach 03:00.0:attach 04:00.0:attach 05:00.0:attach 06:00.0:attach 07:00.0:attach 08:00.0:attach 09:00.0:attach 0a:00.0:abort 0b:00.0:abort" ]
ok $? "apply, no-dump-target blob: present storage/net absent from it treated as dump targets"
echo "# $got"
sed -i 's/ no-dump-target//' "$T/part.spec"
"$FX" blob "$T/part.spec" "$T/part0.qdh"
got=$(decisions "$T/part0.qdh")
case $got in *"01:00.0:abort"*"07:00.0:abort"*) true ;; *) false ;; esac
ok $? "the same blob without the flag: absent ones are hot-plugged, aborted (the default)"

# --- partly determined: fallback as well, and a warning naming the fault -------
conf
echo 'KDUMP_COREDIR=$(touch '"$T"'/pwned)' > "$R/etc/default/kdump-tools"
scan "$R" --cmdline "root=UUID=$UUID_ROOT"
[ "$(marked "$T/o.json")" = "$NVME0 $NVME1 $NVME2 $SATA $SATA2 $ETH0 $ETH1 $ETH2 $ETH3 fallback" ] &&
[ ! -e "$T/pwned" ] && grep -q 'INCOMPLETE.*KDUMP_COREDIR.*expansion' "$T/o.err"
ok $? "KDUMP_COREDIR=\$(...): never run, incomplete, fallback, warned"

hostile() {	# hostile DESC ERRPATTERN: the need fails with ERRPATTERN, fallback
	desc=$1 pat=$2; shift 2
	timeout 20 "$QDH" scan --sysroot "$R" --detect-dump-targets --json "$@" \
		> "$T/o.json" 2> "$T/o.err"
	rc=$?
	[ $rc = 0 ] && marked "$T/o.json" | grep -q 'fallback$' &&
		errors "$T/o.json" | grep -q -- "$pat"
	r=$?
	ok $r "$desc"
	if [ $r != 0 ]; then
		echo "# rc $rc"; errors "$T/o.json" | sed 's/^/# /'; sed 's/^/# /' "$T/o.err"
	fi
}
printf 'KDUMP_COREDIR=`id`\n' > "$R/etc/default/kdump-tools"
hostile "backquotes" "KDUMP_COREDIR.*expansion"
printf 'if [ -d /data ]; then\n  KDUMP_COREDIR=/data\nfi\n' > "$R/etc/default/kdump-tools"
hostile "an assignment inside if ... fi" "inside if/case"
printf 'FOO="a\nKDUMP_COREDIR=/srv\n"\nKDUMP_COREDIR_X=1\n' > "$R/etc/default/kdump-tools"
hostile "a string over several lines hides nothing" "several lines"
printf '[ -n "$X" ] && SSH=a@b\n' > "$R/etc/default/kdump-tools"
hostile "SSH set by a command line: unknown" "SSH"
printf 'KDUMP_COREDIR=/var/crash; rm -rf /\n' > "$R/etc/default/kdump-tools"
hostile "a second command after the value" "shell syntax"
python3 -c "print('KDUMP_COREDIR=/' + 'a' * 100000)" > "$R/etc/default/kdump-tools"
hostile "a 100 kB value" "too long"
python3 -c "
import sys
sys.stdout.write(('# ' + 'x' * 1000 + '\n') * 2100)" > "$R/etc/default/kdump-tools"
hostile "a 2 MB config file is refused, not read whole" "too large"
printf 'KDUMP_COREDIR=/var/crash\n\0\n' > "$R/etc/default/kdump-tools"
hostile "a NUL byte: binary, refused" "binary"
rm -f "$R/etc/default/kdump-tools"; mkfifo "$R/etc/default/kdump-tools"
hostile "a FIFO as config: refused at once, never opened for a writer" "not a regular file"
rm -f "$R/etc/default/kdump-tools"
printf 'KDUMP_COREDIR=/var/cr*\n' > "$R/etc/default/kdump-tools"
hostile "KDUMP_COREDIR with a glob: not matched against the tree, unknown" "glob pattern"
printf 'KDUMP_COREDIR="/var/cra[s]h"\n' > "$R/etc/default/kdump-tools"
hostile "  quoted too (kdump-config uses it unquoted)" "glob pattern"
rm -f "$R/etc/default/kdump-tools"
printf 'path /var/cra?h\n' > "$R/etc/kdump.conf"
hostile "kdump.conf path with a glob" "glob pattern"
printf 'ext4 /dev/sd[ab]1\n' > "$R/etc/kdump.conf"
hostile "kdump.conf target device with a glob" "glob pattern"
python3 -c "print('path /' + 'p' * 100000)" > "$R/etc/kdump.conf"
hostile "kdump.conf: a 100 kB path line" "too long"
python3 -c "print('ssh root@' + 'h' * 100000)" > "$R/etc/kdump.conf"
hostile "kdump.conf: a 100 kB ssh target line" "no host"
printf 'path /srv/dumps\nnfs "dumpsrv\n' > "$R/etc/kdump.conf"
hostile "kdump.conf: an nfs target broken over a newline" "is not a host name"
rm -f "$R/etc/kdump.conf"
echo 'KDUMP_COREDIR=/var/crash' > "$R/etc/default/kdump-tools"
python3 -c "
print('# a long comment is only a comment ' + 'c' * 3000)
print('UUID=$UUID_DATA /srv ext4 ' + 'o' * 3000 + ' 0 2')" > "$R/etc/fstab"
hostile "fstab: a 3 kB mount line is unknown, not skipped (a comment is)" "fstab:2.*longer than"
rm -f "$R/etc/fstab"
printf 'KDUMP_COREDIR="/var/crash\n/srv"\n' > "$R/etc/default/kdump-tools"
hostile "KDUMP_COREDIR with a newline inside its quotes" "several lines"
rm -f "$R/etc/default/kdump-tools"
ln -s /etc/passwd "$R/etc/kdump.conf"
expect "a config symlinked to /etc/passwd reads the sysroot's (\"raw /dev/sda1\")" \
	"$NVME0 $SATA" --cmdline "root=UUID=$UUID_ROOT"
rm -f "$R/etc/kdump.conf"
printf 'KDUMP_COREDIR=relative/dir\n' > "$R/etc/default/kdump-tools"
hostile "a relative KDUMP_COREDIR" "not an absolute path"
conf

ln -s ../../../../../../../../etc/passwd "$R/dev/disk/by-uuid/00000000-e5ca-4e00-8000-000000000000"
hostile "root=UUID whose link climbs out: clamped to the sysroot and refused" \
	"leads to /etc/passwd, not to a device under /dev" \
	--cmdline "root=UUID=00000000-e5ca-4e00-8000-000000000000"
ln -s /etc/shadow "$R/dev/disk/by-uuid/00000000-e5ca-4e00-8000-000000000001"
hostile "root=UUID whose link is absolute outside /dev: refused" \
	"leads to /etc/shadow" --cmdline "root=UUID=00000000-e5ca-4e00-8000-000000000001"
ln -s loop "$R/dev/disk/by-uuid/00000000-e5ca-4e00-8000-000000000002"
ln -s 00000000-e5ca-4e00-8000-000000000002 "$R/dev/disk/by-uuid/loop"
hostile "a link loop" "LINK\|links\|Too many" \
	--cmdline "root=UUID=00000000-e5ca-4e00-8000-000000000002"
hostile "root=UUID=../../x: not a tag value or link name" "no link" \
	--cmdline "root=UUID=../../../etc/passwd"
hostile "root=UUID= naming no link" "no link /dev/disk/by-uuid/" \
	--cmdline "root=UUID=ffffffff-0000-0000-0000-000000000000"
hostile "an unknown root= form" "not a device spec" --cmdline "root=ZFS=rpool/root"
hostile "root=/dev/nfs without a server (DHCP)" "DHCP" --cmdline "root=/dev/nfs ip=dhcp"
hostile "a dump server on a loopback address: no NIC" "loopback" \
	--cmdline "root=/dev/nfs nfsroot=127.0.0.1:/x"
hostile "a block device on no PCI function (loop, zram)" "on no device" \
	--cmdline "root=/dev/loop0"
mv "$R/dev/disk/by-uuid" "$R/dev/disk/by-uuid.gone"
hostile "no /dev/disk/by-uuid in the sysroot: said so, libblkid not asked for a tree" \
	"no /dev/disk/by-uuid in the sysroot (libblkid is asked only on the live system)" \
	--cmdline "root=UUID=$UUID_ROOT"
mv "$R/dev/disk/by-uuid.gone" "$R/dev/disk/by-uuid"
scan "$R" --cmdline "root=/dev/nfs nfsroot=10.1.2.9:/srv/root,vers=4"
[ "$(marked "$T/o.json")" = "$ETH1" ]
ok $? "root=/dev/nfs nfsroot=server:/dir: the NIC of the route to the server"
scan "$R" --cmdline "root=nfs:dumpsrv:/srv/root"
[ "$(marked "$T/o.json")" = "$ETH1" ]
ok $? "dracut's root=nfs:server:/path"

done_testing
