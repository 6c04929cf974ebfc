# Helpers for the loader's shell tests: a fixture sysroot like an arm64
# QEMU virt guest (2 GiB, crashkernel=256M at 0xa8000000), fake kernels.
# Source after tests/common/tap.sh.  Needs top_srcdir/top_builddir.

KQ=$top_builddir/kexec-qdh
CHECK=$top_builddir/tests/loader/loader-check
FIX_SRC=$top_srcdir/tests/loader/fixture
CRASH_LO=0xa8000000
CRASH_HI=0xb7ffffff
DTC=${DTC:-dtc}
READELF=${READELF:-readelf}

T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-loader.XXXXXX")
trap 'rm -rf "$T"' EXIT

# make_sysroot DIR [IOMEM]: the files kexec-qdh reads on a live system.
make_sysroot() {
	d=$1
	mkdir -p "$d/proc" "$d/run" "$d/sys/firmware" "$d/sys/kernel" \
		"$d/sys/bus/pci/devices" "$d/sys/bus/platform/devices" \
		"$d/sys/class/iommu/smmu3.0x0000000009050000" "$d/sys/devices/system/cpu/cpu0" \
		"$d/sys/devices/system/cpu/cpu1"
	cp "${2:-$FIX_SRC/iomem}" "$d/proc/iomem"
	echo "BOOT_IMAGE=/boot/vmlinuz console=ttyAMA0 crashkernel=256M root=/dev/vda" \
		> "$d/proc/cmdline"
	"$DTC" -q -I dts -O dtb -o "$d/sys/firmware/fdt" "$FIX_SRC/virt.dts"
	echo 0-1 > "$d/sys/devices/system/cpu/possible"
	echo bfe0a000 > "$d/sys/devices/system/cpu/cpu0/crash_notes"
	echo 424 > "$d/sys/devices/system/cpu/cpu0/crash_notes_size"
	echo bfe1a000 > "$d/sys/devices/system/cpu/cpu1/crash_notes"
	echo 424 > "$d/sys/devices/system/cpu/cpu1/crash_notes_size"
	echo "0x0000000041f5c000 1000" > "$d/sys/kernel/vmcoreinfo"
	echo 0 > "$d/sys/kernel/kexec_loaded"
	echo 0 > "$d/sys/kernel/kexec_crash_loaded"
	mkdir -p "$d/sys/kernel/security"
	echo "[none] integrity confidentiality" > "$d/sys/kernel/security/lockdown"
}

# le64 VALUE: 8 little-endian bytes as printf octal escapes.
le64() {
	v=$1 i=0 out=
	while [ $i -lt 8 ]; do
		out="$out\\$(printf '%03o' $((v & 255)))"
		v=$((v >> 8)); i=$((i + 1))
	done
	printf "$out"
}

# make_image FILE [IMAGE_SIZE] [FILE_SIZE]: an arm64 Image header (text_offset
# 0, 4 KiB pages, placement anywhere) followed by filler.
make_image() {
	{
		printf '\000\000\000\024\000\000\000\000'
		le64 0; le64 "${2:-3145728}"; le64 10
		le64 0; le64 0; le64 0
		printf 'ARM\144\000\000\000\000'
		head -c "$(( ${3:-1048576} - 64 ))" /dev/zero | tr '\0' '\252'
	} > "$1"
}
