# Issue 14 (2, 7): no handover, or a corrupted one, means stock behaviour.
#  a. Debian's first kernel loads the patched crash kernel with kexec-tools
#     (no handover anywhere): the patched kernel says so and resets the SMMU;
#  b. the patched first kernel loads it with kexec-tools `kexec -p -s` and an
#     initrd whose appended handover has one byte flipped: rejected by the
#     codec (checksum), stock reset.
# In both the view says "mode stock no-handover" and no stream is adopted.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"
. "$E2E_LIBDIR/kernel.sh"

stock_checks() {	# stock_checks NAME
	expect_marker panic now "the first kernel never panicked" || return 1
	expect_stage_ok crash || return 1
	expect_line 'SMMU currently enabled! Resetting' "the SMMU was not reset" || return 1
	expect_line 'arm-smmu-v3 9050000\.smmuv3: qdh: stock reset: no trusted handover' \
		"the patched kernel did not log its stock reset" || return 1
	no_line 'qdh: adopted' "a stream was adopted" || return 1
	grep -q '^mode stock no-handover$' "$E2E_LOGDIR/$1.out/views/before/smmu3.0x0000000009050000" ||
		{ reason "the view does not say 'mode stock no-handover'"; return 1; }
}

scenario_run() {
	e2e_kernel_prepare || return 1
	E2E_IMGDIR=$E2E_KIMGDIR
	e2e_run_guest arm64-kernel-noblob kernel 400 "qdh.e2e.load=plain" || return 1
	e2e_extract_files "$E2E_LAST_LOG" "$E2E_LOGDIR/arm64-kernel-noblob.out" ||
		{ reason "the crash kernel sent no files back"; return 1; }
	expect_line 'qdh: no trusted handover in /chosen/kexec-qdh,handover or /qdh/handover\.qdh' \
		"the patched kernel did not say it found no handover" || return 1
	stock_checks arm64-kernel-noblob || return 1

	E2E_KERNEL=$QDH_KERNEL_IMAGE
	e2e_run_guest arm64-kernel-badblob kernel 400 "qdh.e2e.load=plain-file" || return 1
	e2e_extract_files "$E2E_LAST_LOG" "$E2E_LOGDIR/arm64-kernel-badblob.out" ||
		{ reason "the crash kernel sent no files back"; return 1; }
	expect_line 'qdh: /qdh/handover\.qdh rejected: .* at offset [0-9]+; stock behaviour' \
		"the patched kernel did not reject the corrupted handover" || return 1
	stock_checks arm64-kernel-badblob || return 1
}
