# Scenario 2, arm64 normal kexec (issue 4 acceptance 2): `kexec-qdh -l`
# then `-e`.  The outgoing kernel's shutdown leaves the SMMUv3 disabled
# (bypass); the next kernel boots and its record shows SMMUEN=0 observed
# and GBPA.ABORT set, because an active device was present (virtio-net on
# virtio-pci, which has no .shutdown).
# QEMU 7.2 ignores GBPA writes (notes): the register's value after the
# write is printed, not asserted.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"

scenario_run() {
	local out rep
	e2e_run_guest arm64-kexec kexec 300 || return 1
	expect_marker load_rc 0 "kexec-qdh -l failed" || return 1
	expect_marker kexec_loaded 1 "kexec_loaded is not 1 after kexec-qdh -l" || return 1
	expect_marker exec now "kexec-qdh -e was not reached" || return 1
	expect_stage_ok second || return 1
	expect_marker inspect_chosen_rc 0 "qdh inspect rejects the /chosen blob" || return 1
	out=$E2E_LOGDIR/arm64-kexec.out
	rm -rf "$out"
	e2e_extract_files "$E2E_LAST_LOG" "$out" || { reason "the new kernel sent no files back"; return 1; }
	rep=$out/report.json
	expect_json "$rep" "'kexec' in d['handover']['flags']" true "the blob is not flagged kexec" || return 1
	expect_json "$rep" "d['handover']['record']['purgatory_ran']" true "no purgatory record" || return 1
	expect_json "$rep" "int(d['handover']['record']['iommus'][0]['before'][0], 16) & 1" 0 \
		"purgatory did not observe the SMMU disabled (SMMUEN=0)" || return 1
	expect_json "$rep" "d['handover']['record']['iommus'][0]['action']" gbpa-abort \
		"purgatory did not set GBPA.ABORT with an active device behind a bypassing SMMU" || return 1
	echo "# purgatory: $(e2e_json "$rep" "d['handover']['record']")"
}
