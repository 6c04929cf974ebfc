# Scenario 7, corrupted blob at crash time (issue 5 acceptance 3): every
# copy of the blob the crash kernel can see is corrupted before the apply
# step; it must find no valid handover, say which copy is bad and where,
# apply the fail-safe (default: observe, touch nothing) and report it.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"

scenario_run() {
	local out rep n
	e2e_run_guest arm64-corrupt-blob corrupt 400 || return 1
	expect_marker load_qdh_rc 0 "kexec-qdh -p failed" || return 1
	expect_stage_ok crash || return 1
	n=$(e2e_marker "$E2E_LAST_LOG" corrupted_copies)
	[ "${n:-0}" -ge 1 ] || { reason "the crash kernel had no blob copy to corrupt"; return 1; }
	out=$E2E_LOGDIR/arm64-corrupt-blob.out
	rm -rf "$out"
	e2e_extract_files "$E2E_LAST_LOG" "$out" || { reason "the crash kernel sent no files back"; return 1; }
	rep=$out/report.json
	expect_marker report present "qdh apply wrote no report" || return 1
	expect_json "$rep" "d['handover']['status']" invalid "the corrupted handover was not rejected" || return 1
	expect_json "$rep" "d['fail_safe_applied']" true "the fail-safe was not applied" || return 1
	expect_json "$rep" "len([s for s in d['handover']['sources'] if s['status'] == 'invalid'])" "$n" \
		"not every corrupted copy was reported invalid" || return 1
	expect_json "$rep" "all(s.get('problem') for s in d['handover']['sources'] if s['status'] == 'invalid')" true \
		"an invalid copy is reported without its problem" || return 1
	expect_line 'NO VALID HANDOVER' "the console does not warn about the missing handover" || return 1
	# observe: the devices are as they were
	expect_json "$rep" "sorted(set(x['decision'] for x in d['devices']))" '["observe"]' \
		"fail-safe observe touched a device" || return 1
	local d
	for d in net e1000e blk; do
		[ "$(e2e_marker "$E2E_LAST_LOG" "dev_${d}_before")" = "$(e2e_marker "$E2E_LAST_LOG" "dev_${d}_applied")" ] ||
			{ reason "fail-safe observe changed $d ($(e2e_marker "$E2E_LAST_LOG" "dev_${d}_before") -> $(e2e_marker "$E2E_LAST_LOG" "dev_${d}_applied"))"; return 1; }
	done
	echo "# $(e2e_json "$rep" "[(s['name'], s['status'], s.get('problem'), s.get('offset')) for s in d['handover']['sources']]")"
}
