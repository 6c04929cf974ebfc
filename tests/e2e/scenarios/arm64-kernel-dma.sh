# Issue 14 (7): the patched crash kernel keeps the streams of the active
# devices (doc/kernel.md).  Debian's first kernel, kexec-qdh -p (kexec_load,
# purgatory), the dump target NVMe busy at the panic behind a throttled
# QEMU drive (its I/O keeps coming long after the panic), the e1000e
# active, the virtio-net quiesced.  The same run twice, QEMU tracing every
# SMMUv3 translation:
#  - Debian's crash kernel resets the SMMU: the NVMe's DMA is aborted;
#  - the patched crash kernel adopts the NVMe's and the e1000e's streams:
#    no abort for the NVMe's StreamID between its SMMU probe and the end
#    of `qdh apply`, and its DMA completes into the crashed kernel's memory.
#    qdh apply releases both streams after resetting / aborting the
#    devices, the quiesced virtio-net attached normally, the NVMe attaches
#    when its driver binds, and the dump is written.
# The abort counts of both runs are printed side by side.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"
. "$E2E_LIBDIR/kernel.sh"

# every translation traced; the disk slowed so its queue outlives the panic
KDMA_QEMU="-d guest_errors -trace smmuv3_translate_abort -trace smmuv3_translate_success -set drive.d0.throttling.bps-total=262144"
NVME_SID=0x100
NVME_REGION=smmuv3-iommu-memory-region-0-0
E1000E_SID=0x18
NET_SID=0x10
FROM='arm-smmu-v3 9050000\.smmuv3: (qdh: |SMMU currently enabled)'
TO='QDH-E2E: apply_done=1'

# view DIR SID: "state old why" of a stream in the saved view of the SMMU
kview() {
	awk -v sid="$2" '$1 == "stream" && $2 == sid { print $3, $4, $5 }' "$1/smmu3.0x0000000009050000" 2>/dev/null
}
expect_view() {	# expect_view OUT STAGE SID STATE WHY
	local got
	got=$(kview "$1/views/$2" "$3")
	[ "${got%% *}" = "$4" ] || { reason "$5: stream $3 is '${got:-not in the view}' after $2, want $4"; return 1; }
}

kdma_run() {	# kdma_run NAME: one crash cycle with the images of $E2E_IMGDIR
	E2E_QEMU_EXTRA="$KDMA_QEMU ${E2E_QEMU_EXTRA:-}" \
		e2e_run_guest "$1" kernel 500 "qdh.e2e.load=qdh" || return 1
	expect_marker dma_loop running "the I/O loop was not running at the panic" || return 1
	qdh_crash_checks "$1" purgatory || return 1
}

scenario_run() {
	local stock patched ok_n out
	e2e_kernel_prepare || return 1

	# 1. Debian's crash kernel (stock): the images of the other scenarios
	kdma_run arm64-kernel-dma-stock || return 1
	expect_line 'SMMU currently enabled! Resetting' "Debian's crash kernel did not reset the SMMU" || return 1
	stock=$(e2e_kernel_count "$E2E_LAST_LOG" faults $NVME_SID $NVME_REGION "$FROM" "$TO")

	# 2. the patched crash kernel
	E2E_IMGDIR=$E2E_KIMGDIR
	kdma_run arm64-kernel-dma || return 1
	patched=$(e2e_kernel_count "$E2E_LAST_LOG" faults $NVME_SID $NVME_REGION "$FROM" "$TO")
	ok_n=$(e2e_kernel_count "$E2E_LAST_LOG" success $NVME_SID $NVME_REGION "$FROM" "$TO")
	echo "# NVMe (StreamID $NVME_SID) DMA aborted or faulted from the crash kernel's SMMU probe to the end of qdh apply: stock $stock, patched $patched (patched: $ok_n translations into the crashed kernel's memory)"
	e2e_timing kernel.nvme_aborts.stock "$stock"
	e2e_timing kernel.nvme_aborts.patched "$patched"
	[ "$stock" -gt 0 ] || { reason "the stock crash kernel faulted none of the NVMe's DMA: no DMA in flight, the comparison proves nothing"; return 1; }
	[ "$patched" -eq 0 ] || { reason "the patched crash kernel aborted or faulted $patched NVMe transactions before qdh apply released the stream"; return 1; }
	[ "$ok_n" -gt 0 ] || { reason "no NVMe translation succeeded through the adopted stream"; return 1; }

	expect_line "arm-smmu-v3 9050000\.smmuv3: qdh: adopted 2 streams, aborted [0-9]+" \
		"the patched kernel did not adopt the NVMe's and the e1000e's streams" || return 1
	no_line 'SMMU currently enabled! Resetting' "the patched kernel reset the SMMU" || return 1
	expect_line "qdh: handover from /chosen/kexec-qdh,handover" "the patched kernel did not take the handover from /chosen" || return 1
	out=$E2E_LOGDIR/arm64-kernel-dma.out
	expect_marker views_before 1 "no per-stream view in the patched crash kernel" || return 1
	# purgatory read both active devices' STEs into the record (stage 1)
	expect_line 'qdh-purgatory: 2 stream\(s\) read: 2 s1' "purgatory did not read the active devices' STEs" || return 1
	expect_recorded "$out/chosen.qdh" $NVME_SID s1 "busy dump target" || return 1
	expect_recorded "$out/chosen.qdh" $E1000E_SID s1 "active NIC" || return 1
	grep -q '^mode adopt$' "$out/views/before/smmu3.0x0000000009050000" ||
		{ reason "the view does not say adopt"; return 1; }
	# before apply: the active devices' streams kept, the quiesced one attached
	expect_view "$out" before $NVME_SID adopted "busy dump target" || return 1
	expect_view "$out" before $E1000E_SID adopted "active NIC" || return 1
	expect_view "$out" before $NET_SID attached "quiesced virtio-net (built-in virtio-pci)" || return 1
	[ "$(kview "$out/views/before" $NET_SID | awk '{ print $3 }')" = why=quiesced ] ||
		{ reason "the virtio-net stream was not aborted as quiesced before it attached"; return 1; }
	# after apply: both released (the NIC after its bus master was cleared)
	expect_view "$out" applied $NVME_SID released "dump target after its reset" || return 1
	expect_view "$out" applied $E1000E_SID released "active NIC after bus master off" || return 1
	# after the modules: the NVMe's driver attached it; the NIC stays off
	expect_view "$out" bound $NVME_SID attached "dump target after its driver bound" || return 1
	expect_view "$out" bound $E1000E_SID released "aborted NIC" || return 1
	expect_line "qdh: stream $E1000E_SID \(0000:00:03\.0\) released" "the NIC's stream was not released" || return 1
	# apply's order: bus master off, then the release; its report says so
	expect_json "$out/report.json" "[s['op'] for x in d['devices'] if x['device'] == '0000:00:03.0' for s in x['steps']]" \
		'["clear-bus-master", "set-driver-override", "release-stream"]' "apply did not release the NIC's stream after clearing its bus master" || return 1
	expect_json "$out/report.json" "[(s['sid'], s['before'], s['after'], s['released_by_apply']) for s in d['kernel']['iommus'][0]['streams'] if s['sid'] in ('$NVME_SID', '$E1000E_SID')]" \
		"[[\"$E1000E_SID\", \"adopted\", \"released\", true], [\"$NVME_SID\", \"adopted\", \"released\", true]]" \
		"the report's kernel object" || return 1
}
