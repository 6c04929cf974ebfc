# Issue 4 acceptance 3 and 4, from this run's measurements (arm64):
#   panic -> crash kernel first line, integrity checks on, best of the
#   run's samples of each (one sample is at the mercy of the host's
#   scheduler: a 0.45 s interval can double on a busy host):
#     kexec-qdh (arm64-crash, arm64-dma) <= 0.1 x kexec-tools (arm64-baseline)
#   load time on the same guest (arm64-crash): kexec-qdh <= kexec-tools
# Skips when either side was not measured in this run.
SCENARIO_ARCH=
SCENARIO_NEEDS=

timing_get() { awk -v k="$1" '$1 == k { v = $2 } END { if (v != "") print v }' "$E2E_WORK/timings"; }
# The smallest sample of KEY; timing_all: every sample, space-separated.
timing_best() { awk -v k="$1" '$1 == k && (v == "" || $2 + 0 < v + 0) { v = $2 } END { if (v != "") print v }' "$E2E_WORK/timings"; }
timing_all() { awk -v k="$1" '$1 == k { printf "%s%s", s, $2; s = " " }' "$E2E_WORK/timings"; }

scenario_run() {
	local kt_crash qdh_crash kt_load qdh_load bad=
	kt_crash=$(timing_best kexec-tools.checks-on.panic_to_first_line_ms)
	qdh_crash=$(timing_best kexec-qdh.checks-on.panic_to_first_line_ms)
	kt_load=$(timing_get kexec-tools.same-guest.load_ms)
	qdh_load=$(timing_get kexec-qdh.load_ms)
	if [ -z "$kt_crash" ] || [ -z "$qdh_crash" ] || [ -z "$kt_load" ] || [ -z "$qdh_load" ]; then
		E2E_REASON="needs arm64-baseline and arm64-crash measured in this run"
		return 77
	fi
	echo "# panic -> crash kernel first line (checks on) samples: kexec-tools $(timing_all kexec-tools.checks-on.panic_to_first_line_ms) ms, kexec-qdh $(timing_all kexec-qdh.checks-on.panic_to_first_line_ms) ms"
	echo "# panic -> crash kernel first line (checks on), best: kexec-tools ${kt_crash} ms, kexec-qdh ${qdh_crash} ms, ratio $(awk -v a="$qdh_crash" -v b="$kt_crash" 'BEGIN { printf "%.3f", a / b }') (want <= 0.1)"
	echo "# load time, same guest: kexec-tools ${kt_load} ms, kexec-qdh ${qdh_load} ms, ratio $(awk -v a="$qdh_load" -v b="$kt_load" 'BEGIN { printf "%.2f", a / b }') (want <= 1)"
	[ $((qdh_crash * 10)) -le "$kt_crash" ] || bad="crash entry ${qdh_crash} ms > 0.1 x ${kt_crash} ms"
	[ "$qdh_load" -le "$kt_load" ] || bad="${bad:+$bad; }load ${qdh_load} ms > kexec-tools ${kt_load} ms"
	[ -z "$bad" ] || { reason "$bad"; return 1; }
}
