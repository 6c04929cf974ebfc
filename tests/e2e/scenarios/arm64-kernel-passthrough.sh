# Issue 14 (4, 7): a first kernel booted with iommu.passthrough=1 leaves its
# devices' streams in bypass (STE Config bypass: they can reach all of
# memory).  The patched crash kernel never adopts a bypass stream: it
# names them in its view (old=bypass why=bypass) and aborts them -- with no
# stream left to adopt, by the stock reset, logged with that reason.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"
. "$E2E_LIBDIR/kernel.sh"

scenario_run() {
	local out v n
	e2e_kernel_prepare || return 1
	E2E_IMGDIR=$E2E_KIMGDIR
	E2E_QEMU_EXTRA="-d guest_errors -trace smmuv3_translate_abort -trace smmuv3_translate_bypass ${E2E_QEMU_EXTRA:-}" \
		e2e_run_guest arm64-kernel-passthrough kernel 500 "iommu.passthrough=1 qdh.e2e.load=qdh" || return 1
	qdh_crash_checks arm64-kernel-passthrough purgatory || return 1
	n=$(grep -c 'smmuv3_translate_bypass .*sid=0x100 ' "$E2E_LAST_LOG")
	[ "$n" -gt 0 ] || { reason "the first kernel's NVMe DMA did not bypass the SMMU (iommu.passthrough=1 not in effect?)"; return 1; }
	expect_line 'arm-smmu-v3 9050000\.smmuv3: qdh: stock reset: no stream to adopt \([0-9]+ streams named, [1-9][0-9]* in bypass\)' \
		"the patched kernel did not refuse the bypass streams" || return 1
	no_line 'qdh: adopted [1-9]' "the patched kernel adopted a stream" || return 1
	out=$E2E_LOGDIR/arm64-kernel-passthrough.out
	# purgatory recorded the active devices' streams as bypass (issue 14, 4)
	expect_line 'qdh-purgatory: 2 stream\(s\) read: 2 bypass' "purgatory did not record the bypass STEs" || return 1
	expect_recorded "$out/chosen.qdh" 0x100 bypass "busy dump target" || return 1
	expect_recorded "$out/chosen.qdh" 0x18 bypass "active NIC" || return 1
	v=$out/views/before/smmu3.0x0000000009050000
	grep -q '^mode stock nothing$' "$v" || { reason "the view does not say 'mode stock nothing'"; return 1; }
	for sid in 0x100 0x18; do
		grep -Eq "^stream $sid (aborted|attached) old=bypass why=bypass " "$v" ||
			{ reason "active device's stream $sid not recorded as a refused bypass stream: $(grep "^stream $sid " "$v")"; return 1; }
	done
	echo "# bypass streams aborted: $(grep -c 'why=bypass' "$v"); NVMe aborts after the panic: $(e2e_kernel_count "$E2E_LAST_LOG" faults 0x100 smmuv3-iommu-memory-region-0-0 'SMMU currently enabled' 'QDH-E2E: apply_done=1')"
}
