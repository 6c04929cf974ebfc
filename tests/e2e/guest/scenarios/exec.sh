# Guest side of run-cmd.sh: run /e2e/cmd.sh in /e2e/out, then send
# /e2e/out back to the host.  No kexec, no crash.
stage_first() {
	mkdir -p /e2e/out
	cd /e2e/out || fail "no /e2e/out"
	E2E_OUT=/e2e/out sh /e2e/cmd.sh
	mark "cmd_rc=$?"
	cd /
	send_dir /e2e/out
}
