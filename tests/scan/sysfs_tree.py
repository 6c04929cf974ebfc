# SPDX-License-Identifier: GPL-2.0-or-later
"""Build synthetic sysfs trees shaped like the kernel's: real directories
under /sys/devices, relative symlinks from /sys/bus, /sys/class and the
driver/iommu_group/iommu links.  Shared by the scan fixtures
(tests/scan/gen-fixture.py) and the benchmark generator."""

import os
import struct
import subprocess

# QEMU virt's SMMU and PCIe host bridge, as DT; %-formatted by virt_dts().
VIRT_DTS = """/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	compatible = "linux,dummy-virt";
	smmu: smmuv3@9050000 {
		compatible = "%(smmu)s";
		reg = <0x0 0x09050000 0x0 0x20000>;
		#iommu-cells = <1>;
	};
	pcie@10000000 {
		compatible = "pci-host-ecam-generic";
		device_type = "pci";
		#address-cells = <3>;
		#size-cells = <2>;
		reg = <0x40 0x10000000 0x0 0x10000000>;
		linux,pci-domain = <0>;
		iommu-map = %(iommu_map)s;
	};
%(extra)s};
"""


def virt_dts(iommu_map, smmu="arm,smmu-v3", extra=""):
    return VIRT_DTS % {"smmu": smmu, "iommu_map": iommu_map, "extra": extra}


class Tree:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)

    def p(self, rel):
        return os.path.join(self.root, rel.lstrip("/"))

    def dir(self, rel):
        os.makedirs(self.p(rel), exist_ok=True)

    def file(self, rel, data):
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)

    def link(self, rel, target, absolute_target=True):
        """Symlink at rel; target is sysroot-absolute and made relative."""
        path = self.p(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if absolute_target:
            target = os.path.relpath(self.p(target), os.path.dirname(path))
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(target, path)

    def fdt(self, dtc, dts):
        """Compile dts with dtc into /sys/firmware/fdt."""
        src = self.p("/dts.tmp")
        with open(src, "w") as f:
            f.write(dts)
        self.dir("/sys/firmware")
        subprocess.run([dtc, "-q", "-I", "dts", "-O", "dtb", "-o",
                        self.p("/sys/firmware/fdt"), src], check=True)
        os.unlink(src)

    # --- PCI ---------------------------------------------------------------

    @staticmethod
    def config(vendor, device, cls, command=0, header=0, secondary=0,
               subordinate=0, size=None, pcie=None, pcix=False,
               subsystem=None):
        """Config space; pcie = PCIe port type (0 endpoint, 4 root port,
        7 PCIe-to-PCI bridge...) adds a PCI Express capability at 0x40,
        pcix a PCI-X one; with either the space is 256 bytes, else 64."""
        if size is None:
            size = 256 if pcie is not None or pcix else 64
        cfg = bytearray(size)
        struct.pack_into("<HHHH", cfg, 0, vendor, device, command, 0x10)
        cfg[9] = cls & 0xff
        cfg[10] = (cls >> 8) & 0xff
        cfg[11] = (cls >> 16) & 0xff
        cfg[14] = header
        if header == 1:
            cfg[0x19] = secondary
            cfg[0x1a] = subordinate
        if subsystem is not None and header == 0:
            struct.pack_into("<HH", cfg, 0x2c, subsystem[0], subsystem[1])
        caps = []
        if pcie is not None:
            caps.append((0x10, struct.pack("<H", 0x2 | pcie << 4)))
        if pcix:
            caps.append((0x07, b"\0\0"))
        if subsystem is not None and header == 1:
            caps.append((0x0d, struct.pack("<HHH", 0, subsystem[0], subsystem[1])))
        pos = 0x40
        if caps:
            cfg[0x34] = pos
        for k, (cid, body) in enumerate(caps):
            cfg[pos] = cid
            cfg[pos + 1] = pos + 0x10 if k + 1 < len(caps) else 0
            cfg[pos + 2:pos + 2 + len(body)] = body
            pos += 0x10
        return bytes(cfg)

    def pci(self, bdf, parent="/sys/devices/pci0000:00", vendor=0x1af4,
            device=0x1000, cls=0x020000, command=0x0, header=0, driver=None,
            group=None, group_type="DMA", power="D0", enable=None,
            reset="flr bus", iommu=None, config=None, secondary=0,
            subordinate=0, bus_entry=True, pcie=None, pcix=False,
            subsystem=None):
        d = parent + "/" + bdf
        self.dir(d)
        self.file(d + "/vendor", "0x%04x\n" % vendor)
        self.file(d + "/device", "0x%04x\n" % device)
        self.file(d + "/class", "0x%06x\n" % cls)
        if config is None:
            config = self.config(vendor, device, cls, command, header,
                                 secondary, subordinate, pcie=pcie,
                                 pcix=pcix, subsystem=subsystem)
        if config is not False:
            self.file(d + "/config", config)
        if enable is None:
            enable = 1 if driver else 0
        if enable is not False:
            self.file(d + "/enable", "%s\n" % enable)
        if power is not None:
            self.file(d + "/power_state", power + "\n")
        if reset is not None:
            self.file(d + "/reset_method", reset + "\n")
        self.file(d + "/modalias",
                  "pci:v%08Xd%08Xsv00000000sd00000000bc%02Xsc%02Xi%02X\n" %
                  (vendor, device, cls >> 16, (cls >> 8) & 0xff, cls & 0xff))
        self.file(d + "/irq", "0\n")
        self.file(d + "/resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n")
        if driver:
            self.dir("/sys/bus/pci/drivers/" + driver)
            self.link(d + "/driver", "/sys/bus/pci/drivers/" + driver)
        if group is not None:
            g = "/sys/kernel/iommu_groups/%d" % group
            self.dir(g + "/devices")
            if group_type is not None:
                self.file(g + "/type", group_type + "\n")
            self.link(g + "/devices/" + bdf, d)
            self.link(d + "/iommu_group", g)
        if iommu:
            self.link(d + "/iommu", iommu)
        self.link(d + "/subsystem", "/sys/bus/pci")
        if bus_entry:
            self.link("/sys/bus/pci/devices/" + bdf, d)
        return d

    # --- IOMMUs, platform, block, net ---------------------------------------

    def smmu(self, name, platform_dev):
        """An IOMMU class device registered by platform_dev."""
        d = "/sys/devices/platform/%s/iommu/%s" % (platform_dev, name)
        self.dir(d)
        self.link("/sys/class/iommu/" + name, d)
        self.link("/sys/bus/platform/devices/" + platform_dev,
                  "/sys/devices/platform/" + platform_dev)
        return d

    def platform(self, name, driver=None, iommu=None, of_node=None,
                 group=None, group_type="DMA"):
        d = "/sys/devices/platform/" + name
        self.dir(d)
        if driver:
            self.dir("/sys/bus/platform/drivers/" + driver)
            self.link(d + "/driver", "/sys/bus/platform/drivers/" + driver)
        if iommu:
            self.link(d + "/iommu", iommu)
        if of_node:
            n = "/sys/firmware/devicetree/base" + of_node
            self.dir(n)
            self.link(d + "/of_node", n)
        if group is not None:
            g = "/sys/kernel/iommu_groups/%d" % group
            self.dir(g + "/devices")
            self.file(g + "/type", group_type + "\n")
            self.link(d + "/iommu_group", g)
        self.link("/sys/bus/platform/devices/" + name, d)
        return d

    def block(self, name, devno, under, partitions=()):
        """A disk below device dir `under`, with partitions (name, devno)."""
        d = under + "/block/" + name
        self.file(d + "/dev", devno + "\n")
        self.link("/sys/class/block/" + name, d)
        self.link("/sys/dev/block/" + devno, d)
        for pname, pdev in partitions:
            pd = d + "/" + pname
            self.file(pd + "/dev", pdev + "\n")
            self.file(pd + "/partition", "1\n")
            self.link("/sys/class/block/" + pname, pd)
            self.link("/sys/dev/block/" + pdev, pd)
        return d

    def net(self, ifname, under):
        d = under + "/net/" + ifname
        self.dir(d)
        self.link(d + "/device", under)
        self.link("/sys/class/net/" + ifname, d)
        return d
