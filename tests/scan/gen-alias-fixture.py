#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Synthetic sysroots for the DMA alias rules (tests/scan/test-alias.sh).

Usage: gen-alias-fixture.py NAME ROOT [--dtc DTC]

NAME  the same PCI tree (one function per rule, see TREE below) described by
        dt        DT, identity iommu-map to an SMMUv3
        dt-remap  DT, iommu-map with an offset for bus 2 and a hole at 0x200
        smmu500   DT, identity iommu-map to an MMU-500 (SMMUv2 family)
        iort      ACPI IORT: bus 2 mapped with an offset (0x200 -> 0x8000)
        dmar      ACPI DMAR: a unit naming the PF 00:0d.0 and the tree under
                  root port 00:03.0, and an INCLUDE_PCI_ALL unit
        ivrs      ACPI IVRS: one IVHD for everything, an IVRS alias for 00:0d.0
      vmd   an Intel VMD controller 0000:00:0e.0 (8086:28c0) with an NVMe in
            domain 0x10000, and a root bus below a function that is no VMD
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sysfs_tree import Tree, virt_dts  # noqa: E402

R0 = "/sys/devices/pci0000:00"


def pci_tree(t, iommu=None):
    """One function per rule of pci_for_each_dma_alias() and the quirks."""
    def dev(bdf, parent=R0, **kw):
        kw.setdefault("command", 0x6)
        kw.setdefault("driver", "drv")
        return t.pci(bdf, parent=parent, iommu=iommu, **kw)

    def bridge(bdf, sec, sub, parent=R0, vendor=0x1b36, device=0x000c, **kw):
        return t.pci(bdf, parent=parent, vendor=vendor, device=device,
                     cls=0x060400, header=1, secondary=sec, subordinate=sub,
                     command=0x7, iommu=iommu, **kw)

    t.pci("0000:00:00.0", vendor=0x1b36, device=0x0008, cls=0x060000)
    # PCIe root port -> PCIe-to-PCI bridge (QEMU pcie-pci-bridge) -> bus 2
    rp1 = bridge("0000:00:01.0", 1, 3, pcie=4, driver="pcieport")
    p2p = bridge("0000:01:00.0", 2, 3, parent=rp1, device=0x000e, pcie=7)
    dev("0000:02:01.0", parent=p2p, vendor=0x8086, device=0x100e)   # conventional
    dev("0000:02:02.0", parent=p2p, vendor=0x8086, device=0x10d3, pcie=0)
    cb = bridge("0000:02:03.0", 3, 3, parent=p2p, device=0x0001)     # conventional
    dev("0000:03:04.0", parent=cb, vendor=0x8086, device=0x100e)
    # PCIe-to-PCI-X bridge -> a PCI-X device
    rp2 = bridge("0000:00:02.0", 4, 5, pcie=4, driver="pcieport")
    pxb = bridge("0000:04:00.0", 5, 5, parent=rp2, vendor=0x8086,
                 device=0x0329, pcie=7, pcix=True)
    dev("0000:05:01.0", parent=pxb, vendor=0x1077, device=0x2312,
        cls=0x0c0400, pcix=True)
    # root port 00:03.0: a quirked conventional bridge (ASMedia 1080), a
    # plain one, and a PCI-to-PCIe (reverse) bridge
    rp3 = bridge("0000:00:03.0", 6, 9, pcie=4, driver="pcieport")
    asm = bridge("0000:06:00.0", 7, 7, parent=rp3, vendor=0x1b21, device=0x1080)
    dev("0000:07:02.0", parent=asm)
    plain = bridge("0000:06:01.0", 8, 8, parent=rp3, vendor=0x1234, device=0x5678)
    dev("0000:08:00.0", parent=plain)
    rev = bridge("0000:06:02.0", 9, 9, parent=rp3, vendor=0x1234, device=0x9999, pcie=8)
    dev("0000:09:00.0", parent=rev, pcie=0)
    # function quirks on bus 0
    dev("0000:00:04.0", vendor=0x1b4b, device=0x9123, cls=0x010601, driver="ahci")
    dev("0000:00:05.1", vendor=0x1180, device=0xe832, cls=0x0c0010)
    dev("0000:00:06.0", vendor=0x9005, device=0x0285, cls=0x010400,
        subsystem=(0x9005, 0x02bb), driver="aacraid")
    dev("0000:00:06.1", vendor=0x9005, device=0x0285, cls=0x010400,
        subsystem=(0x9005, 0x0200), driver="aacraid")
    dev("0000:00:07.0", vendor=0x8086, device=0x2260, cls=0x0b4000)
    dev("0000:00:08.0", vendor=0x11f8, device=0x8531, cls=0x068000)
    # a translation root (ThunderX2 root port 14e4:9000) under a
    # PCIe-to-PCI bridge: the walk stops there
    p2q = bridge("0000:00:0a.0", 10, 11, pcie=7)
    tx2 = bridge("0000:0a:00.0", 11, 11, parent=p2q, vendor=0x14e4, device=0x9000, pcie=4)
    dev("0000:0b:00.0", parent=tx2, pcie=0)
    # a bridge whose capabilities were not readable (64 bytes of config,
    # capability pointer 0x40)
    cfg = bytearray(Tree.config(0x1234, 0x0002, 0x060400, 0x7, 1, 12, 12))
    cfg[0x34] = 0x40
    blind = t.pci("0000:00:0c.0", vendor=0x1234, device=0x0002, cls=0x060400,
                  header=1, config=bytes(cfg), iommu=iommu)
    dev("0000:0c:00.0", parent=blind)
    # SR-IOV: PF 00:0d.0 and its VF 00:0d.2 (VT-d looks the VF up by its PF)
    pf = dev("0000:00:0d.0", vendor=0x8086, device=0x10fb, pcie=0, driver="ixgbe")
    vf = t.pci("0000:00:0d.2", vendor=0x8086, device=0x10ed, command=0x4,
               config=Tree.config(0xffff, 0xffff, 0x020000, 0x4, pcie=0),
               driver="ixgbevf", iommu=iommu)
    t.link(vf + "/physfn", pf)
    t.link(pf + "/virtfn0", vf)


def acpi(sig, body, rev=1):
    hdr = struct.pack("<4sIBB6s8sIII", sig, 36 + len(body), rev, 0,
                      b"QDHTST", b"ALIASFIX", 1, 0x51444820, 1)
    tbl = bytearray(hdr + body)
    tbl[9] = (0x100 - sum(tbl) % 256) % 256
    return bytes(tbl)


def iort():
    # node offsets: ITS group 48, SMMUv3 72, root complex 160
    its = struct.pack("<BHBIII", 0, 24, 1, 0, 0, 0) + struct.pack("<II", 1, 0)
    smmu = (struct.pack("<BHBIII", 4, 88, 1, 0, 1, 68) +
            struct.pack("<QIIQI", 0x9050000, 1, 0, 0, 0) + bytes(24) +
            struct.pack("<IIIII", 0, 0, 0x10000, 48, 1))
    maps = [(0x000, 0x1ff, 0x0), (0x200, 0xff, 0x8000), (0x300, 0xfcff, 0x300)]
    rc = struct.pack("<BHBIII", 2, 36 + 20 * len(maps), 1, 0, len(maps), 36)
    rc += bytes(12) + struct.pack("<I", 0) + bytes(4)
    for base, num, out in maps:
        rc += struct.pack("<IIIII", base, num, out, 72, 0)
    body = struct.pack("<III", 3, 48, 0) + its + smmu + rc
    return acpi(b"IORT", body, rev=3)


def dmar():
    def scope(typ, bus, path):
        return struct.pack("<BBHBB", typ, 6 + 2 * len(path), 0, 0, bus) + \
            b"".join(struct.pack("<BB", d, f) for d, f in path)
    scopes = scope(1, 0, [(0x0d, 0)]) + scope(2, 0, [(0x03, 0)])
    drhd0 = struct.pack("<HHBBHQ", 0, 16 + len(scopes), 0, 0, 0, 0xfed90000) + scopes
    drhd1 = struct.pack("<HHBBHQ", 0, 16, 1, 0, 0, 0xfed91000)
    return acpi(b"DMAR", struct.pack("<BB10x", 38, 1) + drhd0 + drhd1)


def ivrs():
    ents = struct.pack("<BHB", 0x01, 0, 0)                    # all
    ents += struct.pack("<BHBBHB", 0x42, 0x0068, 0, 0, 0x00f0, 0)  # 00:0d.0 -> 00:1e.0
    ivhd = struct.pack("<BBHHHQHHI", 0x10, 0xb0, 24 + len(ents), 0x2, 0x40,
                       0xfeb80000, 0, 0, 0) + ents
    return acpi(b"IVRS", struct.pack("<I8x", 0x00203041) + ivhd, rev=2)


def firmware(t, name, dtc):
    smmu3 = "smmu3.0x0000000009050000"
    if name in ("dt", "dt-remap", "smmu500"):
        compat = "arm,mmu-500" if name == "smmu500" else "arm,smmu-v3"
        imap = "<0x0 &smmu 0x0 0x10000>"
        if name == "dt-remap":
            # bus 2 is seen at 0x8000 on; 0x200 itself is mapped nowhere
            imap = ("<0x0 &smmu 0x0 0x200>, <0x201 &smmu 0x8001 0xff>, "
                    "<0x300 &smmu 0x300 0xfd00>")
        t.fdt(dtc, virt_dts(imap, smmu=compat))
        cls = "smmu.0x0000000009050000" if name == "smmu500" else smmu3
        t.smmu(cls, "9050000.iommu")
    elif name == "iort":
        t.file("/sys/firmware/acpi/tables/IORT", iort())
        t.smmu(smmu3, "arm-smmu-v3.0.auto")
    elif name == "dmar":
        t.file("/sys/firmware/acpi/tables/DMAR", dmar())
        for n, a in (("dmar0", "fed90000"), ("dmar1", "fed91000")):
            d = "/sys/devices/virtual/iommu/" + n
            t.file(d + "/intel-iommu/address", a + "\n")
            t.link("/sys/class/iommu/" + n, d)
    elif name == "ivrs":
        t.file("/sys/firmware/acpi/tables/IVRS", ivrs())
        d = "/sys/devices/pci0000:00/0000:00:00.2/iommu/ivhd0"
        t.dir(d)
        t.link("/sys/class/iommu/ivhd0", d)


def vmd(t):
    t.file("/sys/firmware/acpi/tables/DMAR",
           acpi(b"DMAR", struct.pack("<BB10x", 38, 1) +
                struct.pack("<HHBBHQ", 0, 16, 1, 0, 0, 0xfed90000)))
    d = "/sys/devices/virtual/iommu/dmar0"
    t.file(d + "/intel-iommu/address", "fed90000\n")
    t.link("/sys/class/iommu/dmar0", d)
    t.pci("0000:00:00.0", vendor=0x8086, device=0x09a2, cls=0x060000)
    # the VMD endpoint; bus master off: quiet by itself
    v = t.pci("0000:00:0e.0", vendor=0x8086, device=0x28c0, cls=0x010400,
              command=0x2, driver="vmd", group=1, iommu=d, pcie=9)
    dom = v + "/pci10000:e0"
    t.dir(dom)
    t.link(v + "/domain", dom)
    rp = t.pci("10000:e0:00.0", parent=dom, vendor=0x8086, device=0x347a,
               cls=0x060400, header=1, secondary=0xe1, subordinate=0xe1,
               command=0x7, driver="pcieport", pcie=4, group=1, iommu=d)
    nvme = t.pci("10000:e1:00.0", parent=rp, vendor=0x8086, device=0x0a54,
                 cls=0x010802, command=0x6, driver="nvme", pcie=0, group=1,
                 iommu=d)
    t.block("nvme0n1", "259:0", nvme + "/nvme/nvme0")
    # a root bus below a function that is not a VMD controller
    other = t.pci("0000:00:0f.0", vendor=0x1234, device=0x0001, cls=0x0b4000,
                  command=0x6, driver="other")
    t.dir(other + "/pci10001:00")
    t.pci("10001:00:00.0", parent=other + "/pci10001:00", vendor=0x1234,
          device=0x0002, cls=0x020000, command=0x6, driver="drv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", choices=["dt", "dt-remap", "smmu500", "iort",
                                     "dmar", "ivrs", "vmd"])
    ap.add_argument("root")
    ap.add_argument("--dtc", default="dtc")
    a = ap.parse_args()
    t = Tree(a.root)
    t.dir("/sys/bus/pci/devices")
    if a.name == "vmd":
        vmd(t)
    else:
        firmware(t, a.name, a.dtc)
        pci_tree(t)


if __name__ == "__main__":
    main()
