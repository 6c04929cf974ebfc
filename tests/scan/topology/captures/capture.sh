#!/bin/bash
# Regenerate the real-kernel captures under QEMU with the e2e harness.
# Run from a configured build tree:  ../main/tests/scan/topology/captures/capture.sh
# Needs qemu-system-arm, qemu-system-x86 and qemu-efi-aarch64 (for ACPI).
#   arm64-virt-dt    virt,iommu=smmuv3, booted with -kernel: DT (fdt, iommu-map)
#   arm64-virt-acpi  same machine through UEFI (QEMU_EFI.fd) with acpi=force: IORT
#   amd64-q35-dmar   q35 + intel-iommu: DMAR, dmar0
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runcmd=$here/../../../e2e/run-cmd.sh
cmd=$(cat "$here/guest-capture.sh")
out=${1:-./topology-captures}
mkdir -p "$out"
"$runcmd" -a arm64 -o "$out/arm64-virt-dt" "$cmd"
E2E_QEMU_EXTRA="-bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd" \
	"$runcmd" -a arm64 -t 600 -k acpi=force -o "$out/arm64-virt-acpi" "$cmd"
"$runcmd" -a amd64 -o "$out/amd64-q35-dmar" "$cmd"
# Store as the tests expect: fdt gzip'd, empty class directories kept.
for d in "$out"/*/; do
	[ -f "$d/sys/firmware/fdt" ] && gzip -9nf "$d/sys/firmware/fdt"
	for c in "$d"/sys/class/iommu/*/; do
		[ -n "$(ls -A "$c")" ] || touch "$c/.keep"
	done
	rm -f "$d/files.txt"
done
echo "captures in $out; copy them over $here to update"
