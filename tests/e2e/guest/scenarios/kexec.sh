# Guest side of arm64-kexec: `kexec-qdh -l` with an active device, then
# `kexec-qdh -e`.  On a normal kexec the kernel runs every driver's
# .shutdown, so e1000e and nvme count as quiet; virtio-net stays bound to
# virtio-pci, which has none: it is the active device.  The outgoing
# kernel's shutdown disables the SMMU (bypass); purgatory must see that
# and set GBPA.ABORT.  The next kernel (qdh.stage=second) reports what it
# got: the /chosen blob with purgatory's record, read by `qdh apply -n`.
stage_first() {
	mark_devices _load
	story "at load time, qdh scan (kexec mode)" qdh scan --kexec
	timed load kexec-qdh -l /boot/Image --initrd=/boot/initrd.img \
		--append="console=$(console_dev) earlycon panic=-1 qdh.scenario=$SCENARIO qdh.stage=second" ||
		fail "kexec-qdh -l failed"
	mark "kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	mark "exec=now"
	kexec-qdh -e
	fail "kexec-qdh -e returned $?"
}

stage_second() {
	mkdir -p $OUT
	chosen=/proc/device-tree/chosen/kexec-qdh,handover
	[ -f "$chosen" ] || fail "no /chosen/kexec-qdh,handover after kexec -e"
	mark "chosen_qdh=present"
	cp "$chosen" $OUT/chosen.qdh
	qdh inspect $OUT/chosen.qdh
	mark "inspect_chosen_rc=$?"
	# a normal boot: report only, enforce nothing
	qdh apply -n --force --no-kmsg --json >$OUT/report.json
	mark "apply_rc=$?"
	send_dir $OUT
}
