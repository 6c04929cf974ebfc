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
#   arm64-virt-pcibridge  arm64-virt-dt plus a pcie-pci-bridge 00:06.0 with
#                    a conventional e1000 behind it (DMA aliases): the kernel
#                    logs its iommu-map lookups (dyndbg), the e1000 sends a
#                    packet, and QEMU's smmuv3_translate_success trace gives
#                    the StreamIDs the SMMU saw (smmu-trace.txt)
# Devices (lib/boot.sh plus one here): virtio-net 00:02.0, e1000e 00:03.0,
# root port 00:04.0 with NVMe 01:00.0, and virtio-blk 00:05.0, which the
# guest quiesces.  Needs qemu-system-arm, qemu-system-x86, qemu-efi-aarch64.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$src/tests/scan/captures}
shift || true
guests=${*:-arm64-virt-dt arm64-virt-acpi amd64-q35-dmar arm64-virt-pcibridge}
efi=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
work=$(mktemp -d "${TMPDIR:-/tmp}/capture-guests.XXXXXX")
trap 'rm -rf "$work"' EXIT
truncate -s 16M "$work/blk.img"
blk="-drive file=$work/blk.img,if=none,format=raw,id=qcap1
 -device virtio-blk-pci,drive=qcap1,addr=5,iommu_platform=on,disable-legacy=on,romfile="
cmd=$(cat "$src/tests/scan/captures/guest-view.sh")

for g in $guests; do
	pre= mods="nvme virtio_net e1000e virtio_blk"
	case $g in
	arm64-virt-dt) arch=arm64 extra= kargs= tmo=300 ;;
	arm64-virt-acpi) arch=arm64 extra="-bios $efi" kargs=acpi=force tmo=900 ;;
	amd64-q35-dmar) arch=amd64 extra= kargs= tmo=400 ;;
	arm64-virt-pcibridge)
		arch=arm64 tmo=600 mods="$mods e1000"
		# the trace goes to its own file: on the console it would
		# break the files coming back
		extra="-device pcie-pci-bridge,id=pb,bus=pcie.0,addr=6
		 -device e1000,netdev=n2,bus=pb,addr=1,romfile=
		 -netdev user,id=n2,restrict=on
		 -trace enable=smmuv3_translate_success -D $work/$g.trace"
		kargs='dyndbg="file drivers/of/base.c +p"'
		pre="QDH_DMA_FROM=0000:02:01.0; " ;;
	*) echo "unknown guest $g" >&2; exit 2 ;;
	esac
	[ $arch = amd64 ] && mods="virtio_pci $mods"
	rm -rf "$work/$g" "$work/$g.trace"
	E2E_MODULES=$mods E2E_QEMU_EXTRA="$blk $extra" \
		"$src/tests/e2e/run-cmd.sh" -a $arch -t $tmo -k "$kargs" -o "$work/$g" "$pre$cmd" ||
		{ rc=$?; echo "$g: guest command failed ($rc); console:" >&2
		  sed -e '/QDH-E2E-FILES-BEGIN/,$d' "$work/$g.log" | tail -n 30 >&2; exit 1; }
	sed -e '/^dmesg /d' -e '/^dmaalias /d' "$work/$g/guest-view.txt" |
		diff - "$work/$g/view-after.txt" ||
		{ echo "$g: the guest's view changed during the capture" >&2; exit 1; }
	mkdir -p "$out/$g"
	gzip -9nc "$work/$g/cap.tar" >"$out/$g/cap.tar.gz"
	cp "$work/$g/guest-view.txt" "$out/$g/guest-view.txt"
	if [ -f "$work/$g.trace" ]; then
		# what the SMMU model translated, per StreamID (the host's view)
		{ echo "# QEMU $(qemu-system-aarch64 --version | sed -n '1s/.*version //p'):" \
			"smmuv3_translate_success events per StreamID during the capture run"
		  sed -n 's/^.*smmuv3_translate_success .* sid=\(0x[0-9a-f]*\) .*$/\1/p' \
			"$work/$g.trace" | sort | uniq -c |
			awk '{ printf "translate sid=%s count=%d\n", $2, $1 }'
		} >"$out/$g/smmu-trace.txt"
		grep -q '^translate ' "$out/$g/smmu-trace.txt" ||
			{ echo "$g: no translation in the SMMU trace" >&2; exit 1; }
	fi
	echo "$g: $(grep -c '^pci ' "$out/$g/guest-view.txt") PCI functions," \
		"$(stat -c %s "$out/$g/cap.tar.gz") bytes of capture"
done
