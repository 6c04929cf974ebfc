# Issue 14 (2, 7): kexec_file_load.  The patched kernel is the first kernel
# too (it has KEXEC_FILE); `kexec-qdh -p -s` puts the handover in a cpio
# appended to the initrd and no purgatory of ours runs.  The patched crash
# kernel waits for the initramfs, takes the handover from
# /qdh/handover.qdh (QDH_F_NO_PURGATORY), adopts the busy NVMe's and the
# e1000e's streams: no abort for the NVMe before qdh apply releases it.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"
. "$E2E_LIBDIR/kernel.sh"

scenario_run() {
	local n ok_n out
	e2e_kernel_prepare || return 1
	E2E_IMGDIR=$E2E_KIMGDIR
	E2E_KERNEL=$QDH_KERNEL_IMAGE
	E2E_QEMU_EXTRA="-d guest_errors -trace smmuv3_translate_abort -trace smmuv3_translate_success -set drive.d0.throttling.bps-total=262144 ${E2E_QEMU_EXTRA:-}" \
		e2e_run_guest arm64-kernel-file kernel 500 "qdh.e2e.load=qdh-file" || return 1
	expect_marker first_kernel "$QDH_KERNEL_KVER" "the first kernel is not the patched one" || return 1
	qdh_crash_checks arm64-kernel-file file || return 1
	expect_line 'qdh: handover from /qdh/handover\.qdh: .*no purgatory \(kexec_file_load\)' \
		"the patched kernel did not take the handover from the initrd" || return 1
	expect_line 'arm-smmu-v3 9050000\.smmuv3: qdh: adopted 2 streams' \
		"the patched kernel did not adopt the active devices' streams" || return 1
	n=$(e2e_kernel_count "$E2E_LAST_LOG" faults 0x100 smmuv3-iommu-memory-region-0-0 'arm-smmu-v3 9050000\.smmuv3: qdh: ' 'QDH-E2E: apply_done=1')
	ok_n=$(e2e_kernel_count "$E2E_LAST_LOG" success 0x100 smmuv3-iommu-memory-region-0-0 'arm-smmu-v3 9050000\.smmuv3: qdh: ' 'QDH-E2E: apply_done=1')
	echo "# kexec_file_load: NVMe DMA aborted or faulted before qdh apply released it: $n ($ok_n translations into the crashed kernel's memory)"
	[ "$n" -eq 0 ] || { reason "$n NVMe translations aborted before the release"; return 1; }
	out=$E2E_LOGDIR/arm64-kernel-file.out
	grep -q '^stream 0x100 released ' "$out/views/applied/smmu3.0x0000000009050000" ||
		{ reason "qdh apply did not release the NVMe's stream"; return 1; }
}
