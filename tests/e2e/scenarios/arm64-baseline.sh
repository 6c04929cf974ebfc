# Scenario 4, arm64 baseline: kexec-tools' `kexec -p` with its purgatory's
# SHA-256 checks on, then again with -i; each time a panic must reach the
# crash kernel (/proc/vmcore is an ELF core).  Records the load time and
# panic -> crash kernel first console line for the comparisons; checks on
# twice (first and last), so `timing` compares best with best (kexec-qdh's
# two samples come from arm64-crash and arm64-dma).
SCENARIO_ARCH=arm64
SCENARIO_NEEDS=

baseline_cycle() {	# baseline_cycle on|off [LOG SUFFIX]
	e2e_run_guest "arm64-baseline-checks-$1${2:-}" baseline 300 "qdh.e2e.checks=$1" || return 1
	expect_marker load_rc 0 "kexec -p (checks $1) failed" || return 1
	expect_marker crash_loaded 1 "kexec_crash_loaded is not 1 after kexec -p" || return 1
	expect_marker panic now "the first kernel never panicked" || return 1
	expect_stage_ok crash || return 1
	expect_marker vmcore_magic 7f454c46 "/proc/vmcore is not an ELF core" || return 1
	local load crash
	load=$(e2e_marker "$E2E_LAST_LOG" load_ms)
	crash=$(e2e_panic_to_first_line_ms "$E2E_LAST_LOG") ||
		{ reason "no crash kernel banner after the panic"; return 1; }
	e2e_timing "kexec-tools.checks-$1.load_ms" "$load"
	e2e_timing "kexec-tools.checks-$1.panic_to_first_line_ms" "$crash"
}

scenario_run() {
	baseline_cycle on && baseline_cycle off && baseline_cycle on -2
}
