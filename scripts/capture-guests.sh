#!/bin/bash
# Regenerate tests/scan/captures/: boot three real kernels under QEMU with
# the e2e harness (tests/e2e/run-cmd.sh), quiesce one device in each, and
# bring back `qdh capture` plus the guest kernel's own view of every PCI
# function (tests/scan/captures/guest-view.sh).  Not run in CI (minutes of
# TCG); the committed captures are replayed by test-captures.sh.
#   cd BUILDDIR && ../main/scripts/capture-guests.sh [OUTDIR] [GUEST...]
# OUTDIR defaults to the source tree's tests/scan/captures.  Guests:
#   arm64-virt-dt    virt,iommu=smmuv3 booted with -kernel: DT
#   arm64-virt-acpi  the same machine through UEFI (QEMU_EFI.fd), acpi=force: IORT
#   amd64-q35-dmar   q35 + intel-iommu: DMAR
# Devices (lib/boot.sh plus one here): virtio-net 00:02.0, e1000e 00:03.0,
# root port 00:04.0 with NVMe 01:00.0, and virtio-blk 00:05.0, which the
# guest quiesces.  Needs qemu-system-arm, qemu-system-x86, qemu-efi-aarch64.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/tests/scan/captures}
shift || true
guests=${*:-arm64-virt-dt arm64-virt-acpi amd64-q35-dmar}
efi=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
work=$(mktemp -d "${TMPDIR:-/tmp}/capture-guests.XXXXXX")
trap 'rm -rf "$work"' EXIT
truncate -s 16M "$work/blk.img"
blk="-drive file=$work/blk.img,if=none,format=raw,id=qcap1
 -device virtio-blk-pci,drive=qcap1,addr=5,iommu_platform=on,disable-legacy=on,romfile="
cmd=$(cat "$src/tests/scan/captures/guest-view.sh")

for g in $guests; do
	case $g in
	arm64-virt-dt) arch=arm64 extra= kargs= tmo=300 ;;
	arm64-virt-acpi) arch=arm64 extra="-bios $efi" kargs=acpi=force tmo=900 ;;
	amd64-q35-dmar) arch=amd64 extra= kargs= tmo=400 ;;
	*) echo "unknown guest $g" >&2; exit 2 ;;
	esac
	mods="nvme virtio_net e1000e virtio_blk"
	[ $arch = amd64 ] && mods="virtio_pci $mods"
	rm -rf "$work/$g"
	E2E_MODULES=$mods E2E_QEMU_EXTRA="$blk $extra" \
		"$src/tests/e2e/run-cmd.sh" -a $arch -t $tmo -k "$kargs" -o "$work/$g" "$cmd" ||
		{ rc=$?; echo "$g: guest command failed ($rc); console:" >&2
		  sed -e '/QDH-E2E-FILES-BEGIN/,$d' "$work/$g.log" | tail -n 30 >&2; exit 1; }
	sed '/^dmesg /d' "$work/$g/guest-view.txt" | diff - "$work/$g/view-after.txt" ||
		{ echo "$g: the guest's view changed during the capture" >&2; exit 1; }
	mkdir -p "$out/$g"
	gzip -9nc "$work/$g/cap.tar" >"$out/$g/cap.tar.gz"
	cp "$work/$g/guest-view.txt" "$out/$g/guest-view.txt"
	echo "$g: $(grep -c '^pci ' "$out/$g/guest-view.txt") PCI functions," \
		"$(stat -c %s "$out/$g/cap.tar.gz") bytes of capture"
done
