#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a synthetic sysroot for the scan tests.

Usage: gen-fixture.py NAME ROOT [--dtc DTC] [--dump-path FILE]

NAME  mixed  every verdict and every kind of bad input (see the comments)
      multi  several SMMUs (v3 per PCI segment, MMU-500), iommu-map-mask
      empty  no PCI bus, no platform bus, no firmware
The trees are built at test time so that the symlinks are real.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sysfs_tree import Tree, virt_dts  # noqa: E402

SMMU = "smmu3.0x0000000009050000"
SMMU_DEV = "/sys/devices/platform/9050000.smmuv3/iommu/" + SMMU
R0 = "/sys/devices/pci0000:00"

# bus 0 identity, buses 1.. offset: a non-identity map
DTS = virt_dts("<0x0 &smmu 0x0 0x100>, <0x100 &smmu 0x1000 0xff00>", extra="""\
	ethernet@a003e00 {
		compatible = "fsl,imx-fec";
		reg = <0x0 0x0a003e00 0x0 0x200>;
		iommus = <&smmu 0x20>;
	};
	dma@b000000 {
		compatible = "arm,pl330";
		reg = <0x0 0x0b000000 0x0 0x1000>;
		iommus = <&smmu 0x21>, <&smmu 0x22>;
	};
	serial@c000000 {
		compatible = "arm,pl011";
		reg = <0x0 0x0c000000 0x0 0x1000>;
	};
""")


def mixed(t, dtc, dump_path):
    if dtc:
        t.fdt(dtc, DTS)
    t.smmu(SMMU, "9050000.smmuv3")

    # Bridges: never "active", whatever their Command register says.
    t.pci("0000:00:00.0", vendor=0x1b36, device=0x0008, cls=0x060000)
    t.pci("0000:00:01.0", vendor=0x1b36, device=0x000c, cls=0x060400,
          header=1, secondary=1, subordinate=1, command=0x7, pcie=4,
          driver="pcieport", group=0, iommu=SMMU_DEV)
    # Below the root port: the NVMe disk that holds the dump (block target).
    nvme = t.pci("0000:01:00.0", parent=R0 + "/0000:00:01.0", vendor=0x1b36,
                 device=0x0010, cls=0x010802, command=0x6, driver="nvme",
                 group=1, iommu=SMMU_DEV)
    t.block("nvme0n1", "259:0", nvme + "/nvme/nvme0",
            partitions=[("nvme0n1p1", "259:1")])
    # quiesced: no driver, bus master off
    t.pci("0000:00:02.0", device=0x1041, command=0x0, group=2,
          iommu=SMMU_DEV)
    # active: driver bound, bus master on; --kexec: e1000e has .shutdown
    e1000e = t.pci("0000:00:03.0", vendor=0x8086, device=0x10d3,
                   command=0x6, driver="e1000e", group=3, iommu=SMMU_DEV)
    t.net("eth0", e1000e)
    # VFIO by driver name (group type still DMA)
    t.pci("0000:00:04.0", vendor=0x8086, device=0x1533, command=0x6,
          driver="vfio-pci", group=4, iommu=SMMU_DEV)
    # D3cold: config must not be read (it would wake the device); this one
    # reads all ones to prove it.
    t.pci("0000:00:05.0", vendor=0x144d, device=0xa808, cls=0x010802,
          driver="nvme", power="D3cold", config=b"\xff" * 64, group=5,
          iommu=SMMU_DEV)
    # SR-IOV: PF and two VFs (VF config reads vendor 0xffff)
    pf = t.pci("0000:00:06.0", vendor=0x8086, device=0x10fb, command=0x6,
               driver="ixgbe", group=6, iommu=SMMU_DEV)
    for fn, drv, cmd, grp in ((2, "ixgbevf", 0x4, 7), (3, None, 0x0, 8)):
        bdf = "0000:00:06.%d" % fn
        cfg = Tree.config(0xffff, 0xffff, 0x020000, cmd)
        vf = t.pci(bdf, vendor=0x8086, device=0x10ed, config=cfg,
                   driver=drv, group=grp, iommu=SMMU_DEV, reset="flr")
        t.link(vf + "/physfn", pf)
        t.link(pf + "/virtfn%d" % (fn - 2), vf)
    # unknown: config missing, config short
    t.pci("0000:00:07.0", config=False, driver="virtio-pci", group=9)
    t.pci("0000:00:08.0", config=b"\xf4\x1a\x00\x10", group=10)
    # unknown: garbage power_state; garbage enable
    t.pci("0000:00:09.0", power="D9", group=11)
    t.pci("0000:00:0a.0", enable="banana", group=12, command=0x6,
          driver="virtio-pci")
    # unknown: dangling iommu_group link
    d = t.pci("0000:00:0b.0", command=0x6, driver="virtio-pci")
    t.link(d + "/iommu_group", "../../../kernel/iommu_groups/99", False)
    # unknown: the bus entry is a symlink loop (the device dir is unreachable)
    t.link("/sys/bus/pci/devices/0000:00:0c.0", "0000:00:0c.0", False)
    # unknown: iommu_group link loops onto itself
    d = t.pci("0000:00:0d.0")
    t.link(d + "/iommu_group", "iommu_group", False)
    # active + contradiction: no driver, bus master on
    t.pci("0000:00:0e.0", command=0x4, group=13, iommu=SMMU_DEV)
    # "0F" is no name the kernel gives (it prints lowercase): not a PCI
    # address, so never a second entry for 0000:00:0f.0
    d = t.pci("0000:00:0f.0", group=14)
    t.link("/sys/bus/pci/devices/0000:00:0F.0", d)
    # an iommu link to an IOMMU no firmware describes: verdict kept, no iommu
    t.dir("/sys/devices/virtual/iommu/dmar7")
    t.pci("0000:00:10.0", group=15,
          iommu="/sys/devices/virtual/iommu/dmar7")
    # vanished between listing and reading: dangling bus entry
    t.link("/sys/bus/pci/devices/0000:00:11.0", R0 + "/0000:00:11.0")
    # all-ones config: master abort
    t.pci("0000:00:12.0", config=b"\xff" * 64, group=16)
    # identity domain: DMA untranslated
    t.pci("0000:00:13.0", vendor=0x8086, device=0x2922, cls=0x010601,
          command=0x6, driver="ahci", group=17, group_type="identity",
          iommu=SMMU_DEV)
    # garbage identity attribute where config cannot give it (VF-like)
    t.pci("0000:00:14.0", config=Tree.config(0xffff, 0xffff, 0x020000, 0),
          group=18)
    t.file(R0 + "/0000:00:14.0/vendor", "0xzzzz\n")
    # group owned by a user (type unmanaged), no driver visible
    t.pci("0000:00:15.0", group=19, group_type="unmanaged", command=0x0)
    # a second PCI segment
    t.pci("0001:00:00.0", parent="/sys/devices/pci0001:00", vendor=0x15b3,
          device=0x101b, command=0x6, driver="mlx5_core", group=20)
    # not a PCI address at all
    t.link("/sys/bus/pci/devices/garbage", R0 + "/0000:00:02.0")

    # Platform: DMA-capable by iommu link or DT iommus; the serial is neither.
    t.platform("a003e00.ethernet", driver="fec", iommu=SMMU_DEV,
               of_node="/ethernet@a003e00", group=30)
    t.platform("b000000.dma", of_node="/dma@b000000")
    t.platform("c000000.serial", driver="uart-pl011", of_node="/serial@c000000")
    # ACPI-enumerated: firmware_node/path names it, the iommu link makes it
    # DMA-capable (no IORT here, so no StreamIDs).
    d = t.platform("AMDI8001:00", iommu=SMMU_DEV)
    fw = "/sys/devices/LNXSYSTM:00/LNXSYBUS:00/AMDI8001:00"
    t.file(fw + "/path", "\\_SB_.ETH1\n")
    t.link(d + "/firmware_node", fw)

    # Stacked dump targets: a device-mapper volume on the NVMe partition,
    # a bond over eth0.
    dm = t.block("dm-0", "253:0", "/sys/devices/virtual")
    t.link(dm + "/slaves/nvme0n1p1",
           nvme + "/nvme/nvme0/block/nvme0n1/nvme0n1p1")
    bond = "/sys/devices/virtual/net/bond0"
    t.dir(bond)
    t.link(bond + "/lower_eth0", e1000e + "/net/eth0")
    t.link("/sys/class/net/bond0", bond)

    # A path on the host as dump target: its st_dev must lead to nvme0n1p1.
    if dump_path:
        st = os.stat(dump_path)
        maj, mnr = os.major(st.st_dev), os.minor(st.st_dev)
        if maj:
            t.link("/sys/dev/block/%d:%d" % (maj, mnr),
                   nvme + "/nvme/nvme0/block/nvme0n1/nvme0n1p1")
        t.file("/proc/self/mountinfo",
               "22 1 %d:%d / / rw,relatime shared:1 - ext4 /dev/nvme0n1p1 rw\n"
               % (maj, mnr))


MULTI_DTS = """/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	smmu0: smmuv3@9050000 {
		compatible = "arm,smmu-v3";
		reg = <0x0 0x09050000 0x0 0x20000>;
		#iommu-cells = <1>;
	};
	smmu1: smmuv3@9100000 {
		compatible = "arm,smmu-v3";
		reg = <0x0 0x09100000 0x0 0x20000>;
		#iommu-cells = <1>;
	};
	mmu500: iommu@a000000 {
		compatible = "arm,mmu-500", "arm,smmu-v2";
		reg = <0x0 0x0a000000 0x0 0x10000>;
		#global-interrupts = <1>;
		#iommu-cells = <1>;
	};
	pcie@10000000 {
		compatible = "pci-host-ecam-generic";
		device_type = "pci";
		#address-cells = <3>;
		#size-cells = <2>;
		reg = <0x40 0x10000000 0x0 0x10000000>;
		linux,pci-domain = <0>;
		/* functions of one device share a StreamID */
		iommu-map-mask = <0xfff8>;
		iommu-map = <0x0 &smmu0 0x0 0x10000>;
	};
	pcie@20000000 {
		compatible = "pci-host-ecam-generic";
		device_type = "pci";
		#address-cells = <3>;
		#size-cells = <2>;
		reg = <0x40 0x20000000 0x0 0x10000000>;
		linux,pci-domain = <1>;
		iommu-map = <0x0 &smmu1 0x10000 0x10000>;
	};
	usb@b100000 {
		compatible = "generic-xhci";
		reg = <0x0 0x0b100000 0x0 0x10000>;
		iommus = <&mmu500 0x5>;
	};
};
"""


def multi(t, dtc):
    """Several SMMUs (two SMMUv3 for two PCI segments, an MMU-500 for a
    platform device), iommu-map-mask aliasing, an offset map."""
    t.fdt(dtc, MULTI_DTS)
    s0 = t.smmu("smmu3.0x0000000009050000", "9050000.smmuv3")
    s1 = t.smmu("smmu3.0x0000000009100000", "9100000.smmuv3")
    v2 = t.smmu("smmu.0x000000000a000000", "a000000.iommu")
    for fn, drv in ((0, "mlx5_core"), (1, None)):
        t.pci("0000:00:01.%d" % fn, vendor=0x15b3, device=0x1017,
              command=0x6 if drv else 0, driver=drv, group=fn, iommu=s0)
    t.pci("0001:00:02.0", parent="/sys/devices/pci0001:00", vendor=0x144d,
          device=0xa808, cls=0x010802, command=0x6, driver="nvme", group=5,
          iommu=s1)
    t.platform("b100000.usb", driver="xhci-hcd", iommu=v2,
               of_node="/usb@b100000", group=9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name", choices=["mixed", "multi", "empty"])
    ap.add_argument("root")
    ap.add_argument("--dtc")
    ap.add_argument("--dump-path")
    a = ap.parse_args()
    t = Tree(a.root)
    if a.name == "mixed":
        mixed(t, a.dtc, a.dump_path)
    elif a.name == "multi":
        multi(t, a.dtc or "dtc")
    else:
        t.dir("/sys")


if __name__ == "__main__":
    main()
