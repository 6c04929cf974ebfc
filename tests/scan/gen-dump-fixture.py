#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Synthetic sysroot for dump-target detection (tests/scan/test-dump-detect.sh).

Usage: gen-dump-fixture.py ROOT

PCI functions (each controller behind its own root port 00:0N.0):
  01:00.0  NVMe nvme0: nvme0n1 p1 (ext4 "root"), p2 (LUKS -> dm-0
           "luks-abc" -> LVM vg0: dm-1 "vg0-root", dm-2 "vg0-var")
  02:00.0  NVMe nvme1: nvme1n1p1 \\ md0 RAID1 -> md0p1 (xfs, /var/crash)
  03:00.0  NVMe nvme2: nvme2n1   /
  04:00.0  AHCI: sda, sda1 (8:1) -> LVM vg1: dm-3 "vg1-data" (LABEL "my data",
           /srv), and a whole-disk btrfs with 05:00.0's sdb (/backup)
  05:00.0  AHCI: sdb (8:16)
  06:00.0  NIC eth0: the default route (IPv4 and IPv6)
  07:00.0  NIC eth1: 10.1.2.0/24, 2001:db8:1:2::/64
  08:00.0  NIC eth2 \\ bond0: 10.1.0.0/16, 2001:db8:1::/48;
  09:00.0  NIC eth3 /  bond0.10 (vlan) -> br0: 172.16.0.0/12
  0a:00.0  xHCI USB (no disk on it), 0b:00.0 GPU: never dump targets
The sysroot also has udev's /dev/disk/by-* links, /dev/mapper links,
/proc/self/mountinfo, /proc/net/route, /proc/net/ipv6_route, /etc/hosts,
/proc/cmdline (no root=) and /sys/fs/btrfs.  No service config: each test
writes the one it needs.
"""

import argparse
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sysfs_tree import Tree  # noqa: E402

R0 = "/sys/devices/pci0000:00"
VIRT = "/sys/devices/virtual"

UUID_ROOT = "0a1b2c3d-1111-4222-8333-444455556666"
UUID_CRASH = "7e57c0de-aaaa-4bbb-8ccc-ddddeeeeffff"
UUID_DATA = "da7a0000-1234-4567-89ab-cdef01234567"
UUID_BTRFS = "b7f5b7f5-0000-4000-8000-000000000001"
PARTUUID_ROOT = "5eed0001-aa01-4b02-8c03-d00000000001"


def port(t, n):
    """Root port 00:0n.0 with bus n below it; returns the bus's parent."""
    p = "0000:00:%02x.0" % n
    t.pci(p, vendor=0x1b36, device=0x000c, cls=0x060400, header=1,
          secondary=n, subordinate=n, command=0x7, driver="pcieport")
    return R0 + "/" + p


def fn(t, n, cls, driver, vendor=0x1b36, device=0x0010):
    return t.pci("0000:%02x:00.0" % n, parent=port(t, n), vendor=vendor,
                 device=device, cls=cls, command=0x6, driver=driver, group=n)


def vblock(t, name, devno, slaves):
    """A virtual block device (dm, md) with its slaves' directories."""
    d = t.block(name, devno, VIRT)
    for s in slaves:
        t.link(d + "/slaves/" + os.path.basename(s), s)
        t.link(s + "/holders/" + name, d)
    return d


def dm(t, n, dmname, slaves):
    d = vblock(t, "dm-%d" % n, "253:%d" % n, slaves)
    t.file(d + "/dm/name", dmname + "\n")
    t.link("/dev/mapper/" + dmname, "/dev/dm-%d" % n)
    return d


def devlink(t, kind, name, dev):
    t.link("/dev/disk/%s/%s" % (kind, name), "/dev/" + dev)


def hex4(ip):
    """/proc/net/route prints the network-order word as a host number."""
    return "%08X" % struct.unpack("=I", socket.inet_aton(ip))[0]


def hex16(ip):
    return socket.inet_pton(socket.AF_INET6, ip).hex()


def build(t):
    t.pci("0000:00:00.0", vendor=0x1b36, device=0x0008, cls=0x060000)
    nv0 = fn(t, 1, 0x010802, "nvme")
    nv1 = fn(t, 2, 0x010802, "nvme")
    nv2 = fn(t, 3, 0x010802, "nvme")
    ahci = fn(t, 4, 0x010601, "ahci", vendor=0x8086, device=0x2922)
    ahci2 = fn(t, 5, 0x010601, "ahci", vendor=0x8086, device=0x2922)
    nics = [fn(t, n, 0x020000, "e1000e", vendor=0x8086, device=0x10d3)
            for n in (6, 7, 8, 9)]
    fn(t, 10, 0x0c0330, "xhci_hcd", vendor=0x1b36, device=0x000d)
    fn(t, 11, 0x030000, "bochs-drm", vendor=0x1234, device=0x1111)

    d0 = t.block("nvme0n1", "259:0", nv0 + "/nvme/nvme0",
                 partitions=[("nvme0n1p1", "259:1"), ("nvme0n1p2", "259:2")])
    d1 = t.block("nvme1n1", "259:4", nv1 + "/nvme/nvme1",
                 partitions=[("nvme1n1p1", "259:5")])
    d2 = t.block("nvme2n1", "259:6", nv2 + "/nvme/nvme2")
    sda = t.block("sda", "8:0", ahci + "/ata1/host0/target0:0:0/0:0:0:0",
                  partitions=[("sda1", "8:1")])
    sdb = t.block("sdb", "8:16", ahci2 + "/ata2/host1/target1:0:0/1:0:0:0")
    for name in ("nvme0n1", "nvme0n1p1", "nvme0n1p2", "nvme1n1", "nvme1n1p1",
                 "nvme2n1", "sda", "sda1", "sdb"):
        t.file("/dev/" + name, "")	# stands for the device node

    # LUKS on nvme0n1p2, LVM on it; LVM on sda1; RAID1 over two NVMe.
    dm(t, 0, "luks-abc", [d0 + "/nvme0n1p2"])
    dm(t, 1, "vg0-root", [VIRT + "/block/dm-0"])
    dm(t, 2, "vg0-var", [VIRT + "/block/dm-0"])
    dm(t, 3, "vg1-data", [sda + "/sda1"])
    md = vblock(t, "md0", "9:0", [d1 + "/nvme1n1p1", d2])
    t.file(md + "/md/level", "raid1\n")
    t.file(md + "/md0p1/dev", "259:9\n")
    t.file(md + "/md0p1/partition", "1\n")
    t.link("/sys/class/block/md0p1", md + "/md0p1")
    t.link("/sys/dev/block/259:9", md + "/md0p1")
    t.link("/dev/md/crash", "/dev/md0")
    # A block device on no controller (loop, zram).
    t.block("loop0", "7:0", VIRT)
    for name in ("dm-0", "dm-1", "dm-2", "dm-3", "md0", "md0p1", "loop0"):
        t.file("/dev/" + name, "")

    devlink(t, "by-uuid", UUID_ROOT, "nvme0n1p1")
    devlink(t, "by-uuid", UUID_CRASH, "md0p1")
    devlink(t, "by-uuid", UUID_DATA, "dm-3")
    devlink(t, "by-uuid", UUID_BTRFS, "sda")
    devlink(t, "by-label", "root", "nvme0n1p1")
    devlink(t, "by-label", "my\\x20data", "dm-3")
    devlink(t, "by-partuuid", PARTUUID_ROOT, "nvme0n1p1")
    devlink(t, "by-partlabel", "rootfs", "nvme0n1p1")
    devlink(t, "by-id", "nvme-QEMU_NVMe_Ctrl_deadbeef-part1", "nvme0n1p1")
    t.link("/dev/vg0/root", "/dev/dm-1")

    # btrfs RAID1 over sda (whole disk... of the other AHCI: sdb) and sdb.
    fs = "/sys/fs/btrfs/" + UUID_BTRFS
    t.link(fs + "/devices/sdb", sdb)
    t.link(fs + "/devices/sda", sda)

    t.file("/proc/self/mountinfo", "".join([
        "21 1 253:1 / / rw,relatime shared:1 - ext4 /dev/mapper/vg0-root rw\n",
        "22 21 259:1 / /boot rw - ext4 /dev/nvme0n1p1 rw\n",
        "23 21 253:2 / /var rw - ext4 /dev/mapper/vg0-var rw\n",
        "24 23 259:9 / /var/crash rw - xfs /dev/md0p1 rw\n",
        "25 21 253:3 / /srv rw - ext4 /dev/mapper/vg1-data rw\n",
        "26 21 0:45 / /backup rw - btrfs /dev/sdb rw\n",
        "27 21 0:50 / /mnt/nfs rw - nfs4 nfshost.example:/export rw\n",
        "28 21 0:51 / /mnt/my\\040dir rw - ext4 /dev/sda1 rw\n",
        "29 21 0:22 / /tmp rw - tmpfs tmpfs rw\n",
    ]))
    for d in ("/var/crash", "/srv/dumps", "/backup", "/mnt/nfs"):
        t.dir(d)

    names = ["eth0", "eth1", "eth2", "eth3"]
    for name, dev in zip(names, nics):
        t.net(name, dev)
    bond = VIRT + "/net/bond0"
    t.dir(bond)
    t.link(bond + "/lower_eth2", nics[2] + "/net/eth2")
    t.link(bond + "/lower_eth3", nics[3] + "/net/eth3")
    t.link("/sys/class/net/bond0", bond)
    vlan = VIRT + "/net/bond0.10"
    t.dir(vlan)
    t.link(vlan + "/lower_bond0", bond)
    t.link("/sys/class/net/bond0.10", vlan)
    br = VIRT + "/net/br0"
    t.dir(br)
    t.link(br + "/lower_bond0.10", vlan)
    t.link("/sys/class/net/br0", br)
    lo = VIRT + "/net/lo"
    t.dir(lo)
    t.link("/sys/class/net/lo", lo)

    hdr = ("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask"
           "\t\tMTU\tWindow\tIRTT\n")
    rows = [("eth0", "0.0.0.0", "192.0.2.1", 3, 100, "0.0.0.0"),
            ("eth0", "192.0.2.0", "0.0.0.0", 1, 100, "255.255.255.0"),
            ("bond0", "10.1.0.0", "0.0.0.0", 1, 0, "255.255.0.0"),
            ("eth1", "10.1.2.0", "0.0.0.0", 1, 0, "255.255.255.0"),
            ("br0", "172.16.0.0", "0.0.0.0", 1, 0, "255.240.0.0"),
            # a worse-metric duplicate and a reject route must lose
            ("eth2", "10.1.2.0", "0.0.0.0", 1, 500, "255.255.255.0"),
            ("eth3", "203.0.113.0", "0.0.0.0", 0x201, 0, "255.255.255.0")]
    t.file("/proc/net/route", hdr + "".join(
        "%s\t%s\t%s\t%04X\t0\t0\t%d\t%s\t0\t0\t0\n" %
        (i, hex4(d), hex4(g), f, m, hex4(k)) for i, d, g, f, m, k in rows))
    z = "0" * 32
    rows6 = [("::", 0, "fe800000000000000000000000000001", 0x00000003, 1024, "eth0"),
             ("2001:db8:1::", 48, z, 0x00000001, 256, "bond0"),
             ("2001:db8:1:2::", 64, z, 0x00000001, 256, "eth1"),
             ("fe80::", 64, z, 0x00000001, 256, "eth0"),
             ("::1", 128, z, 0x80200001, 0, "lo"),
             ("2001:db8:1:2::1", 128, z, 0x80200001, 0, "eth1"),
             ("2001:db8:99::", 48, z, 0x00200201, 0, "lo")]
    t.file("/proc/net/ipv6_route", "".join(
        "%s %02x %s %02x %s %08x 00000001 00000000 %08x %8s\n" %
        (hex16(d), p, z, 0, nh if isinstance(nh, str) else z, m, f, dev)
        for d, p, nh, f, m, dev in rows6))
    t.file("/etc/hosts", "127.0.0.1\tlocalhost\n"
           "10.1.2.50\tdumpsrv dumpsrv.example  # the dump server\n"
           "2001:db8:1::9\tdump6\n"
           "172.16.4.4\tbridged\n"
           "198.51.100.9\tnfshost.example\n")
    t.file("/proc/cmdline", "console=ttyS0 quiet\n")
    # Decoys: what links and configs pointing out of the sysroot reach.
    t.file("/etc/passwd", "raw /dev/sda1\n")
    t.file("/etc/shadow", "raw /dev/sda1\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    a = ap.parse_args()
    build(Tree(a.root))


if __name__ == "__main__":
    main()
