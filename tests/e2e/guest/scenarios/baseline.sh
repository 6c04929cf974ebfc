# Guest side of arm64-baseline: kexec-tools `kexec -p` (the peer), panic,
# and the crash kernel checks /proc/vmcore.  qdh.e2e.checks=off adds -i.
stage_first() {
	opt=
	[ "$(cmdline_get qdh.e2e.checks)" = off ] && opt=-i
	timed load kexec -p /boot/Image --initrd=/boot/initrd.img \
		--append="$(crash_append)" $opt || fail "kexec -p failed"
	mark "crash_loaded=$(crash_loaded)"
	crash_now
}

stage_crash() {
	vmcore_check
}

