#!/bin/sh
# Generate a synthetic crash-kernel sysroot for the apply tests.
# Usage: mksysroot.sh ROOT FIXTURE
# Builds ROOT/{sys,proc,dev,qdh} with real relative symlinks like sysfs, the
# blob (with a filled purgatory record) as the /chosen property, and the same
# blob without a record as the QDH note of a fake /proc/vmcore.  Also leaves
# ROOT.spec, ROOT.blob (record) and ROOT.norec (no record) beside ROOT.
#
# Devices (blob state -> what is there now):
#   0000:00:00.0  host bridge, quiesced        -> attach
#   0000:00:01.0  root port, unknown in blob   -> attach (bridge, above dump)
#   0000:01:00.0  active dump target, flr      -> reset-then-attach
#   0000:00:02.0  active (driver, bus master)  -> abort
#   0000:00:03.0  quiesced                     -> attach, untouched
#   0000:00:04.0  not in the blob (hot-plug)   -> policy (abort by default)
#   0000:00:05.0  active, absent now           -> ignore
#   0000:00:06.0  active, built-in driver now  -> abort, skipped (bound)
#   0000:00:07.0  unknown                      -> abort
#   0000:00:08.0  active in blob, bridge now   -> attach (never a bridge)
#   9000000.dma   platform, active             -> abort (driver_override only)
set -eu
R=$1
FX=$2
S=$R/sys
D=$S/devices/pci0000:00

mkdir -p "$D" "$S/bus/pci/devices" "$S/bus/pci/drivers/ahci" \
	"$S/bus/pci/drivers/pcieport" "$S/bus/platform/devices" \
	"$S/devices/platform/9000000.dma" "$S/class/block" "$S/class/net" \
	"$R/proc/device-tree/chosen" "$R/dev" "$R/run"

# dev NAME PARENTDIR CLASS COMMAND HEADER [reset]
dev() {
	p=$2/$1
	mkdir -p "$p"
	"$FX" config "$p/config" 0x1af4 0x1041 "$4" "$3" "$5"
	echo "$3" > "$p/class"
	echo 0x1af4 > "$p/vendor"
	echo '(null)' > "$p/driver_override"
	if [ "${6:-}" = reset ]; then
		echo flr > "$p/reset_method"
		: > "$p/reset"
	fi
	rel=${p#"$S"/}
	ln -s "../../../$rel" "$S/bus/pci/devices/$1"
}

dev 0000:00:00.0 "$D" 0x060000 0x0000 0
dev 0000:00:01.0 "$D" 0x060400 0x0007 1
dev 0000:01:00.0 "$D/0000:00:01.0" 0x010000 0x0007 0 reset
dev 0000:00:02.0 "$D" 0x020000 0x0007 0 reset
dev 0000:00:03.0 "$D" 0x020000 0x0003 0
dev 0000:00:04.0 "$D" 0x020000 0x0007 0
dev 0000:00:06.0 "$D" 0x010601 0x0007 0
dev 0000:00:07.0 "$D" 0x078000 0x0006 0
dev 0000:00:08.0 "$D" 0x060400 0x0007 1
# Built-in drivers already bound when the initramfs starts.
ln -s ../../../../bus/pci/drivers/pcieport "$D/0000:00:01.0/driver"
ln -s ../../../../bus/pci/drivers/ahci "$D/0000:00:06.0/driver"
# The dump target's disk, as a block device below a virtio device.
mkdir -p "$D/0000:00:01.0/0000:01:00.0/virtio1/block/vda"
ln -s ../../../virtio1 "$D/0000:00:01.0/0000:01:00.0/virtio1/block/vda/device"
ln -s ../../devices/pci0000:00/0000:00:01.0/0000:01:00.0/virtio1/block/vda "$S/class/block/vda"
# A platform DMA master.
echo '(null)' > "$S/devices/platform/9000000.dma/driver_override"
ln -s ../../../devices/platform/9000000.dma "$S/bus/platform/devices/9000000.dma"

printf '6,301,2100000,-;arm-smmu-v3 9050000.smmuv3: SMMU currently enabled! Resetting...\n' > "$R/dev/kmsg"
printf '6,302,2200000,-;virtio_blk virtio1: [vda] 2048 512-byte logical blocks\n' >> "$R/dev/kmsg"

cat > "$R.spec" <<EOF
generation 0x5eed000000000001
flags crash
iommu smmuv3 0x9050000 smmu3.0x0000000009050000
pci 0000:00:00.0 quiesced 0x060000 no-driver bus-master-off
pci 0000:00:01.0 unknown 0x060400 driver-bound
pci 0000:01:00.0 active 0x010000 driver-bound bus-master-on dump-target driver-flag
pci 0000:00:02.0 active 0x020000 driver-bound bus-master-on driver-flag
pci 0000:00:03.0 quiesced 0x020000 no-driver bus-master-off
pci 0000:00:05.0 active 0x020000 driver-bound bus-master-on driver-flag
pci 0000:00:06.0 active 0x010601 driver-bound bus-master-on driver-flag
pci 0000:00:07.0 unknown 0x078000 config-unreadable
pci 0000:00:08.0 active 0x060400 driver-bound bus-master-on
platform 9000000.dma active driver-bound
EOF
"$FX" blob "$R.spec" "$R.blob" record
"$FX" blob "$R.spec" "$R.norec"
cp "$R.blob" "$R/proc/device-tree/chosen/kexec-qdh,handover"
"$FX" elf "$R.norec" "$R/proc/vmcore"
