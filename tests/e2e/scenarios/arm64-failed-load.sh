# Scenario 5, arm64: a failed load keeps the previously loaded crash kernel
# (issue 4 "Safety").  Two failing `kexec-qdh -p` (garbage kernel, initrd
# bigger than the crash region) must exit non-zero, leave
# /sys/kernel/kexec_crash_loaded at 1, and the panic must still boot the
# first crash kernel (its command line carries gen=1).
SCENARIO_ARCH=arm64
SCENARIO_NEEDS="kexec-qdh"

scenario_run() {
	local rc
	e2e_run_guest arm64-failed-load failedload 300 || return 1
	expect_marker load1_rc 0 "the first kexec-qdh -p failed" || return 1
	expect_marker crash_loaded_1 1 "kexec_crash_loaded is not 1 after the good load" || return 1
	rc=$(e2e_marker "$E2E_LAST_LOG" badkernel_rc)
	[ -n "$rc" ] && [ "$rc" != 0 ] || { reason "kexec-qdh -p accepted a garbage kernel (rc=$rc)"; return 1; }
	expect_marker crash_loaded_2 1 "the failed load (garbage kernel) unloaded the crash kernel" || return 1
	rc=$(e2e_marker "$E2E_LAST_LOG" bigrd_rc)
	[ -n "$rc" ] && [ "$rc" != 0 ] || { reason "kexec-qdh -p accepted a 240 MiB initrd + 44 MiB kernel in a 256 MiB region (rc=$rc)"; return 1; }
	expect_marker crash_loaded_3 1 "the failed load (initrd too big) unloaded the crash kernel" || return 1
	expect_stage_ok crash || return 1
	expect_marker gen 1 "the panic did not reach the first crash kernel" || return 1
}
