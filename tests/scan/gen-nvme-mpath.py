#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Synthetic sysroot: one NVMe subsystem behind Linux's native multipath.

Usage: gen-nvme-mpath.py ROOT [--layout old|mpdir|nopaths]

Three controllers of subsystem nvme-subsys0 on three PCI functions, each
behind its own root port:  nvme0 at 01:00.0, nvme1 at 02:00.0, nvme2 at
03:00.0.  Namespace 1 is reachable through nvme0 and nvme1 (head nvme0n1,
partition nvme0n1p1; hidden path disks nvme0c0n1, nvme0c1n1), namespace 2
only through nvme2 (head nvme0n2, path nvme0c2n2).  The layout is the
kernel's (drivers/nvme/host: the head disk's parent is the subsystem
device, a path disk's parent the controller, the subsystem links each
controller by name):

  old      every kernel with native multipath: no multipath/ directory
  mpdir    Linux >= 6.15's nvme0n1/multipath/ links to the path disks, and
           the subsystem's controller links removed (a stripped capture),
           so only multipath/ can find the paths
  nopaths  no path disk visible anywhere: the scanner can only keep every
           controller of the subsystem
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sysfs_tree import Tree  # noqa: E402

R0 = "/sys/devices/pci0000:00"
SUBSYS = "/sys/devices/virtual/nvme-subsystem/nvme-subsys0"


def disk(t, d, name, devno=None):
    """A block device directory at d (not the Tree.block layout: a head
    sits directly under the subsystem, a path disk under its controller)."""
    t.dir(d)
    if devno:
        t.file(d + "/dev", devno + "\n")
        t.link("/sys/dev/block/" + devno, d)
    t.link("/sys/class/block/" + name, d)


def build(t, layout):
    t.pci("0000:00:00.0", vendor=0x1b36, device=0x0008, cls=0x060000)
    ctrls = []
    for n in range(3):
        port = "0000:00:0%d.0" % (n + 1)
        t.pci(port, vendor=0x1b36, device=0x000c, cls=0x060400, header=1,
              secondary=n + 1, subordinate=n + 1, command=0x7,
              driver="pcieport")
        fn = t.pci("0000:0%d:00.0" % (n + 1), parent=R0 + "/" + port,
                   vendor=0x1b36, device=0x0010, cls=0x010802, command=0x6,
                   driver="nvme", group=n + 1)
        ctrl = fn + "/nvme/nvme%d" % n
        t.dir(ctrl)
        t.link("/sys/class/nvme/nvme%d" % n, ctrl)
        if layout != "mpdir":
            t.link(SUBSYS + "/nvme%d" % n, ctrl)
        ctrls.append(ctrl)
    # An unrelated active device that no NVMe target may mark.
    t.pci("0000:00:04.0", vendor=0x8086, device=0x10d3, command=0x6,
          driver="e1000e", group=9)
    t.file(SUBSYS + "/subsysnqn", "nqn.2019-08.org.qemu:nvme-subsys\n")
    t.link("/sys/class/nvme-subsystem/nvme-subsys0", SUBSYS)

    heads = {1: (SUBSYS + "/nvme0n1", "259:0"),
             2: (SUBSYS + "/nvme0n2", "259:2")}
    for ns, (d, devno) in heads.items():
        disk(t, d, "nvme0n%d" % ns, devno)
        t.link(d + "/device", SUBSYS)
    p = heads[1][0] + "/nvme0n1p1"
    disk(t, p, "nvme0n1p1", "259:1")
    t.file(p + "/partition", "1\n")

    if layout == "nopaths":
        return
    for c, ns in ((0, 1), (1, 1), (2, 2)):
        name = "nvme0c%dn%d" % (c, ns)
        pd = ctrls[c] + "/" + name
        disk(t, pd, name)
        t.link(pd + "/device", ctrls[c])
        if layout == "mpdir":
            t.link(heads[ns][0] + "/multipath/" + name, pd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--layout", choices=["old", "mpdir", "nopaths"],
                    default="old")
    a = ap.parse_args()
    build(Tree(a.root), a.layout)


if __name__ == "__main__":
    main()
