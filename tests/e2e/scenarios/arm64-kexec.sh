# Scenario 2, arm64 normal kexec (issue 4 acceptance 2, issue 6 scenario 2):
# `kexec-qdh -l` then `-e`.  The outgoing kernel's shutdown leaves the
# SMMUv3 disabled (bypass); the next kernel boots and its record (`qdh
# inspect --json` on /chosen/kexec-qdh,handover) shows SMMUEN=0 and
# GBPA.ABORT=0 observed, the action gbpa-abort, and GBPA.ABORT=1 after it,
# because an active device was present (virtio-net on virtio-pci, which
# has no .shutdown).  The new kernel also reads GBPA from the SMMU itself.
# Then the same cycle with a policy whose block_bypass is false: the record
# must say "observed" and GBPA must keep ABORT=0, so the checks above
# can fail.
# Needs QEMU >= 8.0 for the register part: QEMU 7.2's SMMUv3 ignores GBPA
# writes (team notes); there only the recorded action is checked.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"

GBPA_ABORT=$((1 << 20))

# kexec_cycle NAME EXTRA_ARGS: one guest run, checks common to both
# policies; leaves the new kernel's files in $E2E_LOGDIR/NAME.out.
kexec_cycle() {
	local name=$1 args=$2 out
	e2e_run_guest "$name" kexec 300 "iomem=relaxed $args" || return 1
	expect_marker load_rc 0 "kexec-qdh -l failed" || return 1
	expect_marker kexec_loaded 1 "kexec_loaded is not 1 after kexec-qdh -l" || return 1
	expect_marker exec now "kexec-qdh -e was not reached" || return 1
	expect_stage_ok second || return 1
	expect_marker inspect_chosen_rc 0 "qdh inspect rejects the /chosen blob" || return 1
	expect_marker inspect_json_rc 0 "qdh inspect --json rejects the /chosen blob" || return 1
	out=$E2E_LOGDIR/$name.out
	rm -rf "$out"
	e2e_extract_files "$E2E_LAST_LOG" "$out" || { reason "the new kernel sent no files back"; return 1; }
	INS=$out/inspect.json REP=$out/report.json
	expect_json "$INS" "'kexec' in d['blob']['header']['flags']" true "the blob is not flagged kexec" || return 1
	expect_json "$INS" "d['blob']['record']['purgatory_ran']" true "no purgatory record" || return 1
	expect_json "$INS" "d['blob']['record']['iommus'][0]['type']" smmuv3 "the record's IOMMU is not the SMMUv3" || return 1
	# before: the outgoing kernel's shutdown disabled the SMMU (bypass)
	expect_json "$INS" "d['blob']['record']['iommus'][0]['before']['decoded']['smmuen_ack']" false \
		"purgatory did not observe the SMMU disabled (CR0ACK.SMMUEN=0)" || return 1
	expect_json "$INS" "d['blob']['record']['iommus'][0]['before']['decoded']['incoming']" bypass \
		"purgatory did not observe bypass (SMMUEN=0, GBPA.ABORT=0)" || return 1
	expect_json "$REP" "d['handover']['record']['iommus'][0]['action']" \
		"$(e2e_json "$INS" "d['blob']['record']['iommus'][0]['action']")" \
		"qdh apply and qdh inspect disagree on the recorded action" || return 1
	# the new kernel's SMMU driver found it disabled: it warns and resets
	# GBPA only when it finds SMMUEN=1 (as after a crash)
	grep -qi 'SMMU currently enabled' "$out/smmu-dmesg.txt" &&
		{ reason "the new kernel's SMMU driver found the SMMU enabled"; return 1; }
	echo "# $name: GBPA in the first kernel $(e2e_marker "$E2E_LAST_LOG" gbpa_first)," \
		"in the new kernel $(e2e_marker "$E2E_LAST_LOG" gbpa_second)"
	echo "# $name: purgatory: $(grep -a 'qdh-purgatory: smmu' "$E2E_LAST_LOG" | sed 's/^[0-9.]* //')"
	return 0
}

# gbpa_abort_bit HEX: 1 when GBPA.ABORT (bit 20) is set in HEX.
gbpa_abort_bit() { case $1 in 0x*) echo $(( ($1 & GBPA_ABORT) != 0 )) ;; *) echo "?" ;; esac; }

scenario_run() {
	local live qv
	qv=$(e2e_qemu_version arm64)
	kexec_cycle arm64-kexec "" || return 1
	expect_json "$INS" "d['blob']['record']['iommus'][0]['action']" gbpa-abort \
		"purgatory did not set GBPA.ABORT with an active device behind a bypassing SMMU" || return 1
	if e2e_qemu_at_least arm64 8.0; then
		expect_json "$INS" "d['blob']['record']['iommus'][0]['after']['decoded']['gbpa_abort']" true \
			"GBPA.ABORT (bit 20) is not set after purgatory's write (QEMU $qv models GBPA)" || return 1
		expect_json "$INS" "d['blob']['record']['iommus'][0]['after']['decoded']['incoming']" abort \
			"the SMMU does not abort incoming DMA after purgatory" || return 1
		live=$(e2e_marker "$E2E_LAST_LOG" gbpa_second)
		[ "$(gbpa_abort_bit "$live")" = 1 ] ||
			{ reason "the new kernel reads GBPA=$live from the SMMU: ABORT not set"; return 1; }
	else
		echo "# QEMU < 8.0: GBPA write not modelled (QEMU $qv): only the recorded action is checked"
	fi

	# policy off: purgatory must observe only, and GBPA keep ABORT=0
	kexec_cycle arm64-kexec-nobb "qdh.policy=nobb" || { E2E_REASON="block_bypass=false: $E2E_REASON"; return 1; }
	expect_marker policy block_bypass-false "the guest did not load with the block_bypass=false policy" || return 1
	expect_json "$INS" "'block-bypass' in d['blob']['header']['flags']" false \
		"block_bypass=false: the blob still asks purgatory to block bypass" || return 1
	expect_json "$INS" "d['blob']['record']['iommus'][0]['action']" observed \
		"block_bypass=false: purgatory did more than observe" || return 1
	if e2e_qemu_at_least arm64 8.0; then
		expect_json "$INS" "d['blob']['record']['iommus'][0]['after']['decoded']['gbpa_abort']" false \
			"block_bypass=false: GBPA.ABORT is set after purgatory" || return 1
		live=$(e2e_marker "$E2E_LAST_LOG" gbpa_second)
		[ "$(gbpa_abort_bit "$live")" = 0 ] ||
			{ reason "block_bypass=false: the new kernel reads GBPA=$live: ABORT set"; return 1; }
	fi
	return 0
}
