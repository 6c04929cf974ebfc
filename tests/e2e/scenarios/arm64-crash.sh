# Scenario 1, arm64 crash with kexec-qdh (issue 4 acceptance 1, issue 5
# acceptance 1): `kexec-qdh -p`, panic, the crash kernel finds the blob in
# /chosen with purgatory's record (SMMUEN=1 observed, digest ok) and in
# the vmcore note (qdh inspect, readelf -n), and `qdh apply` aborts the
# active e1000e, attaches the quiesced virtio-net, resets then attaches
# the dump target NVMe disk, which then writes the vmcore head.
# Also times kexec-tools' and kexec-qdh's loads on the same guest.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"

scenario_run() {
	e2e_run_guest arm64-crash crash 400 || return 1
	local kt qdh crash
	kt=$(e2e_marker "$E2E_LAST_LOG" load_kt_ms) && e2e_timing kexec-tools.same-guest.load_ms "$kt"
	qdh=$(e2e_marker "$E2E_LAST_LOG" load_qdh_ms) && e2e_timing kexec-qdh.load_ms "$qdh"
	qdh_crash_checks arm64-crash purgatory || return 1
	crash=$(e2e_panic_to_first_line_ms "$E2E_LAST_LOG") ||
		{ reason "no crash kernel banner after the panic"; return 1; }
	e2e_timing kexec-qdh.checks-on.panic_to_first_line_ms "$crash"
}
