# Scenario 3, arm64 DMA in flight at the crash: the dump target (NVMe)
# runs a read/write loop when the kernel panics.  The crash kernel must
# still come up, get the handover, reset the busy disk before attaching it
# and write the vmcore head to it; the active e1000e is aborted.
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="qdh kexec-qdh"

scenario_run() {
	e2e_run_guest arm64-dma crash 400 "qdh.e2e.dma=1" || return 1
	expect_marker dma_loop running "the I/O loop was not running at the panic" || return 1
	qdh_crash_checks arm64-dma purgatory || return 1
	# the second checks-on sample for `timing` (the loop dies with the
	# first kernel: purgatory's work is the same as in arm64-crash)
	local crash
	crash=$(e2e_panic_to_first_line_ms "$E2E_LAST_LOG") ||
		{ reason "no crash kernel banner after the panic"; return 1; }
	e2e_timing kexec-qdh.checks-on.panic_to_first_line_ms "$crash"
}
