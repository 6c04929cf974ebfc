#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The scanner's fault matrix as one synthetic sysroot: each PCI function
carries one fault that tests/scan's "mixed" fixture does not already have
(doc/security.md lists both).  test-scan-faults.sh holds the expected
verdict for each.  Built with the scanner's own tree helper, so devices
look exactly like the kernel's apart from the fault."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "scan"))
from sysfs_tree import Tree  # noqa: E402

R0 = "/sys/devices/pci0000:00"


def dev(t, fn, **kw):
    """A healthy, idle function 00:FN.0 (no driver, bus master off)."""
    kw.setdefault("group", fn)
    return t.pci("0000:00:%02x.0" % fn, **kw)


def replace(t, path, kind, target=None):
    """Turn an attribute into a directory, FIFO or symlink."""
    p = t.p(path)
    if os.path.lexists(p):
        os.unlink(p)
    if kind == "dir":
        os.makedirs(p)
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "link":
        os.symlink(target, p)


def main():
    t = Tree(sys.argv[1])
    t.dir("/sys/class/iommu")
    # Control: a clean idle device must come out quiesced.
    dev(t, 0x01)
    # Unreadable config: root reads anything 0000, so make the read fail
    # another way -- a directory, a FIFO (must not block), a dangling
    # link, a link loop.
    d = dev(t, 0x02)
    replace(t, d + "/config", "dir")
    d = dev(t, 0x03)
    replace(t, d + "/config", "fifo")
    d = dev(t, 0x04)
    replace(t, d + "/config", "link", "../../gone/config")
    d = dev(t, 0x05)
    replace(t, d + "/config", "link", "config")
    # Missing attributes (config itself: tests/scan mixed 00:07.0).
    d = dev(t, 0x06)
    os.unlink(t.p(d + "/power_state"))
    d = dev(t, 0x07)
    os.unlink(t.p(d + "/enable"))
    d = dev(t, 0x08, config=False)
    for a in ("vendor", "device", "class"):
        os.unlink(t.p(d + "/" + a))
    # Non-numeric values (garbage "enable"/vendor: tests/scan mixed).
    # "enable" is read only for a function that may master, so these have
    # Bus Master on and a driver: active if the value were fine.
    busy = dict(command=0x6, driver="e1000e")
    d = dev(t, 0x09, **busy)
    t.file(d + "/enable", "1junk\n")
    d = dev(t, 0x0a, **busy)
    t.file(d + "/enable", "\n")
    d = dev(t, 0x0b, **busy)
    t.file(d + "/enable", "-1\n")
    # Enormous values.
    d = dev(t, 0x0c, **busy)
    t.file(d + "/enable", "99999999999999999999999999\n")
    d = dev(t, 0x0d, **busy)
    t.file(d + "/enable", "0x" + "0" * 60 + "1\n")
    d = dev(t, 0x0e)
    t.file(d + "/power_state", "D" * 65536 + "\n")
    d = dev(t, 0x0f)
    t.file(d + "/config", Tree.config(0x1af4, 0x1000, 0x020000) + b"\0" * (1 << 20))
    d = dev(t, 0x10)
    t.dir("/sys/kernel/iommu_groups/99999999999999999999/devices")
    t.link(d + "/iommu_group", "/sys/kernel/iommu_groups/99999999999999999999")
    # A driver link whose name cannot fit (kernel names are < 64).
    d = dev(t, 0x11)
    long_drv = "d" * 200
    t.dir("/sys/bus/pci/drivers/" + long_drv)
    t.link(d + "/driver", "/sys/bus/pci/drivers/" + long_drv)
    # Dangling and looping links: driver, iommu.
    d = dev(t, 0x12, command=0x4)
    t.link(d + "/driver", "../../../bus/pci/drivers/gone", False)
    d = dev(t, 0x13)
    t.link(d + "/driver", "driver", False)
    # An IOMMU referenced but absent: the iommu link dangles (an IOMMU
    # dir that no firmware describes: tests/scan mixed 00:10.0).
    d = dev(t, 0x14)
    t.link(d + "/iommu", "../../virtual/iommu/dmar9", False)
    # The bus entry points at a file, not a directory.
    t.file(R0 + "/0000:00:15.0", "not a device\n")
    t.link("/sys/bus/pci/devices/0000:00:15.0", R0 + "/0000:00:15.0")


if __name__ == "__main__":
    main()
