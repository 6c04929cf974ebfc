# What a host-side scenario script (tests/e2e/scenarios/NAME.sh) can use
# (bash; run.sh sources it before the scenario).  A scenario sets
#   SCENARIO_ARCH=arm64|amd64
#   SCENARIO_NEEDS="qdh kexec-qdh"   our binaries it cannot run without
# and defines scenario_run, which returns 0 (ok), 77 (skip), 78 (a known
# defect of someone else's software, recognised by its own signature:
# "not ok ... # TODO", an expected failure) or anything else (not ok),
# after setting E2E_REASON to say why (shown in the TAP line).
. "$(dirname "${BASH_SOURCE[0]}")/boot.sh"

E2E_REASON=
E2E_LAST_LOG=

# Boot the first kernel with first.img of SCENARIO_ARCH and run guest
# script GUEST (tests/e2e/guest/scenarios/GUEST.sh) until the guest powers
# off (through any kexec or crash kernel).  LOG goes to $E2E_LOGDIR/NAME.log.
#   e2e_run_guest NAME GUEST TIMEOUT_S [MORE KERNEL ARGS]
e2e_run_guest() {
	local name=$1 guest=$2 tmo=$3 args=${4:-} rc
	E2E_LAST_LOG=$E2E_LOGDIR/$name.log
	e2e_boot "$SCENARIO_ARCH" "$E2E_KERNEL" "$E2E_IMGDIR/first.img" "$E2E_LAST_LOG" \
		"$tmo" "qdh.scenario=$guest $args"
	rc=$?
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		E2E_REASON="QEMU timed out after ${tmo}s"
		return 1
	fi
	return 0
}

# The assertion helpers set E2E_REASON and return 1 when the claim fails.
reason() { E2E_REASON=$*; return 1; }

# expect_marker KEY VALUE WHY: the last KEY marker is VALUE.
expect_marker() {
	local got
	got=$(e2e_marker "$E2E_LAST_LOG" "$1") || { reason "$3 (no '$1' marker)"; return 1; }
	[ "$got" = "$2" ] || { reason "$3 ($1=$got, want $2)"; return 1; }
}
# expect_line ERE WHY: some console line matches ERE.
expect_line() {
	grep -Eq -- "$1" "$E2E_LAST_LOG" || { reason "$2 (no console line matches /$1/)"; return 1; }
}
# no_line ERE WHY: no console line matches ERE.
no_line() {
	! grep -Eq -- "$1" "$E2E_LAST_LOG" || { reason "$2 (console: $(grep -E -m1 -- "$1" "$E2E_LAST_LOG" | sed 's/^[0-9.]* //'))"; return 1; }
}
# The guest ran stage STAGE to the end with exit code 0.
expect_stage_ok() {
	local f
	grep -q "QDH-E2E: stage=$1\$" "$E2E_LAST_LOG" || { reason "stage $1 never started"; return 1; }
	f=$(e2e_marker "$E2E_LAST_LOG" fail) && { reason "guest: $f"; return 1; }
	expect_marker stage_rc 0 "stage $1 did not finish cleanly"
}

# Record a measurement for the run's summary (and the ratio checks).
e2e_timing() {	# e2e_timing KEY VALUE
	echo "$1 $2" >>"$E2E_WORK/timings"
	echo "# $1 = $2"
}
. "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
