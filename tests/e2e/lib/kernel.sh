# The patched kernel of the arm64-kernel-* scenarios (bash; source it).
# doc/kernel.md, doc/e2e.md.
#   e2e_kernel_prepare   build it (kernel/build.sh, cached) and pack the
#                        images in $E2E_WORK/arm64-kernel: first.img carries
#                        the patched kernel as /boot/Image and its modules
#                        under /lib/modules/KVER (the guest's load_modules
#                        takes those on the patched kernel), plus
#                        /boot/initrd-bad.img (crash.img with a corrupted
#                        handover appended); Debian's modules stay for a
#                        Debian first kernel.  Once per run.
# Sets QDH_KERNEL_* (kernel/build.sh's env file) and E2E_KIMGDIR.
. "$(dirname "${BASH_SOURCE[0]}")/mkinitramfs.sh"

e2e_kernel_prepare() {
	local env st dir stamp
	# QDH_KERNEL_ENV: a kernel built elsewhere (its env file), for development
	env=${QDH_KERNEL_ENV:-}
	[ -n "$env" ] || env=$(bash "$E2E_SRCDIR/kernel/build.sh") ||
		{ reason "the patched kernel did not build (kernel/build.sh)"; return 1; }
	[ -f "$env" ] || { reason "no patched kernel: $env"; return 1; }
	. "$env"
	export QDH_KERNEL_IMAGE QDH_KERNEL_KVER QDH_KERNEL_MODDIR QDH_KERNEL_KEY
	E2E_KIMGDIR=$E2E_WORK/arm64-kernel
	stamp=$E2E_KIMGDIR/prepared-$QDH_KERNEL_KEY-$$
	[ -f "$stamp" ] && return 0
	echo "# patched kernel $QDH_KERNEL_KVER ($QDH_KERNEL_SOURCE + kernel/patches, key $QDH_KERNEL_KEY): built in ${QDH_KERNEL_BUILD_S}s wall, ${QDH_KERNEL_CPU_S}s CPU"
	[ -f "${env%/env}/checkpatch.txt" ] && sed 's/^/# checkpatch /' "${env%/env}/checkpatch.txt"
	rm -rf "$E2E_KIMGDIR"
	mkdir -p "$E2E_KIMGDIR"
	# its modules, in load order, as the Debian ones are packed
	st=$E2E_KIMGDIR/mods
	( E2E_MODDIR=$QDH_KERNEL_MODDIR e2e_add_modules "$st" nvme virtio_net e1000e ) ||
		{ reason "the patched kernel's modules are missing"; return 1; }
	# a corrupted handover in an initrd appendix (kexec_file_load's place)
	dir=$E2E_KIMGDIR/bad
	mkdir -p "$dir/qdh"
	e2e_kernel_bad_blob "$dir/qdh/handover.qdh" || { reason "cannot make the corrupted handover"; return 1; }
	( E2E_KERNEL=$QDH_KERNEL_IMAGE \
	  E2E_EXTRA_FILES="$st/lib/modules:/lib/modules/$QDH_KERNEL_KVER ${E2E_EXTRA_FILES:-}" \
	  e2e_mkinitramfs arm64 "$E2E_KIMGDIR" ) || { reason "packing the patched kernel's images failed"; return 1; }
	# first.img = crash.img + /boot; add /boot/initrd-bad.img
	local boot f
	boot=$(mktemp -d "$E2E_KIMGDIR/boot.XXXXXX")
	mkdir -p "$boot/boot"
	{
		cat "$E2E_KIMGDIR/crash.img"
		f=$(stat -c %s "$E2E_KIMGDIR/crash.img")
		head -c $(( (4 - f % 4) % 4 )) /dev/zero
		e2e_cpio "$dir"
	} >"$boot/boot/initrd-bad.img"
	{
		cat "$E2E_KIMGDIR/first.img"
		f=$(stat -c %s "$E2E_KIMGDIR/first.img")
		head -c $(( (4 - f % 4) % 4 )) /dev/zero
		e2e_cpio "$boot"
	} >"$E2E_KIMGDIR/first.img.new"
	mv "$E2E_KIMGDIR/first.img.new" "$E2E_KIMGDIR/first.img"
	rm -rf "$boot" "$dir"
	: >"$stamp"
}

# A handover for this guest's SMMU, valid but for one byte: written with
# the project's fixture tool, then a byte inside the checksummed part flipped.
e2e_kernel_bad_blob() {	# e2e_kernel_bad_blob OUT
	local fx=$E2E_BUILDDIR/tests/apply/fixture spec
	[ -x "$fx" ] || make -s -C "$E2E_BUILDDIR" tests/apply/fixture >/dev/null || return 1
	spec=$(mktemp)
	cat >"$spec" <<'EOF'
generation 0x5eed00000000bad1
flags crash no-purgatory
iommu smmuv3 0x9050000 smmu3.0x0000000009050000
pci 0000:00:02.0 quiesced 0x020000 no-driver bus-master-off
pci 0000:00:03.0 active 0x020000 driver-bound bus-master-on driver-flag
pci 0000:00:04.0 quiesced 0x060400 driver-bound
pci 0000:01:00.0 active 0x010802 driver-bound bus-master-on dump-target driver-flag
EOF
	"$fx" blob "$spec" "$1" && "$fx" flip "$1" 200
	local r=$?
	rm -f "$spec"
	return $r
}

# What QEMU's SMMUv3 model says about StreamID SID's DMA between the first
# console lines matching FROM and TO.  QEMU reports a transaction an STE
# aborts with the trace event smmuv3_translate_abort, one that fails
# translation (a domain without the mapping: what the stock crash kernel's
# fresh default domain gives in-flight DMA) or finds no valid STE with a
# guest error (-d guest_errors): "<region> translation failed ...", whose
# region name is the device's ("...-region-0-0" for the NVMe 01:00.0, bus
# numbers being 0 when QEMU named it), and "invalid sid=<decimal>".
#   e2e_kernel_count LOG faults|success SID REGION FROM_ERE TO_ERE
e2e_kernel_count() {
	awk -v what="$2" -v sid="sid=$3 " -v dec="invalid sid=$(($3)) " \
		-v region="$4 translation failed" -v from="$5" -v to="$6" '
		!on && $0 ~ from { on = 1; next }
		on && $0 ~ to { exit }
		!on { next }
		what == "success" && index($0, "smmuv3_translate_success") && index($0, sid) { n++ }
		what == "faults" && ((index($0, "smmuv3_translate_abort") && index($0, sid)) ||
			index($0, region) || index($0, dec)) { n++ }
		END { print n + 0 }' "$1"
}

# The STE state purgatory recorded for StreamID SID (ABI v1.1 record
# streams) in a blob the crash kernel sent back, as `qdh inspect` shows it:
#   e2e_kernel_recorded BLOB SID   prints s1, bypass, ... or nothing
e2e_kernel_recorded() {
	"$E2E_BUILDDIR/qdh" inspect "$1" 2>/dev/null |
		awk -v sid="$2:" '$1 == "IOMMU" && $3 == "StreamID" && $4 == sid { print $5 }'
}
expect_recorded() {	# expect_recorded BLOB SID STATE WHAT
	local got
	got=$(e2e_kernel_recorded "$1" "$2")
	[ "$got" = "$3" ] || { reason "purgatory recorded stream $2 ($4) as '${got:-nothing}', want $3"; return 1; }
}
