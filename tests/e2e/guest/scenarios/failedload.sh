# Guest side of arm64-failed-load: a good `kexec-qdh -p` (qdh.e2e.gen=1),
# then two loads that must fail (garbage kernel; initrd larger than the
# crash region), each leaving kexec_crash_loaded at 1; the panic must
# reach the first crash kernel (gen=1 on its command line).
stage_first() {
	timed load1 kexec-qdh -p /boot/Image --initrd=/boot/initrd.img \
		--append="$(crash_append qdh.e2e.gen=1)" || fail "the first kexec-qdh -p failed"
	mark "crash_loaded_1=$(crash_loaded)"
	head -c 1048576 /dev/urandom >/tmp/garbage
	kexec-qdh -p /tmp/garbage --initrd=/boot/initrd.img --append="$(crash_append qdh.e2e.gen=2)"
	mark "badkernel_rc=$?"
	mark "crash_loaded_2=$(crash_loaded)"
	# sparse (rootfs is tmpfs): instant to make, still 240 MiB to load
	truncate -s 240M /tmp/big
	kexec-qdh -p /boot/Image --initrd=/tmp/big --append="$(crash_append qdh.e2e.gen=3)"
	mark "bigrd_rc=$?"
	mark "crash_loaded_3=$(crash_loaded)"
	rm -f /tmp/big
	crash_now
}

stage_crash() {
	vmcore_check
	mark "gen=$(cmdline_get qdh.e2e.gen)"
}
