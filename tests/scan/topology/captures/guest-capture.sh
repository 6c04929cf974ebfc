# Runs inside the guest (busybox sh, cwd $E2E_OUT): copies what the
# topology code reads, plus the kernel's own view (pci-iommu.txt: each
# PCI function and the IOMMU its "iommu" link names) for the tests.
mkdir -p sys/firmware/acpi/tables sys/class/iommu
cp /sys/firmware/fdt sys/firmware/fdt 2>/dev/null
for t in IORT DMAR IVRS; do [ -e /sys/firmware/acpi/tables/$t ] && cp /sys/firmware/acpi/tables/$t sys/firmware/acpi/tables/$t; done
for c in /sys/class/iommu/*; do [ -e "$c" ] || continue; n=${c##*/}; mkdir -p sys/class/iommu/$n
  if [ -f $c/intel-iommu/address ]; then mkdir -p sys/class/iommu/$n/intel-iommu; cat $c/intel-iommu/address > sys/class/iommu/$n/intel-iommu/address; fi; done
for d in /sys/bus/pci/devices/*; do b=${d##*/}; i=$(readlink $d/iommu 2>/dev/null); echo "$b ${i##*/}"; done > pci-iommu.txt
dmesg | grep -iE 'smmu|dmar|iort|iommu|AMD-Vi' > dmesg-iommu.txt
uname -r > uname.txt
find sys -type f | sort > files.txt
