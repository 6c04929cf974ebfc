# Guest side of arm64-kexec: `kexec-qdh -l` with an active device, then
# `kexec-qdh -e`.  On a normal kexec the kernel runs every driver's
# .shutdown, so e1000e and nvme count as quiet; virtio-net stays bound to
# virtio-pci, which has none: it is the active device.  The outgoing
# kernel's shutdown disables the SMMU (bypass); purgatory must see that
# and set GBPA.ABORT.  The next kernel (qdh.stage=second) reports what it
# got: the /chosen blob with purgatory's record (`qdh inspect --json`,
# `qdh apply -n`), and GBPA as the SMMU itself holds it now (devmem).
# `qdh.policy=nobb` on the first kernel's command line loads with a policy
# whose "block_bypass" is false: purgatory must then leave GBPA alone (the
# host checks the opposite outcome, so the check above can fail).
# Register reads through /dev/mem need iomem=relaxed (IO_STRICT_DEVMEM:
# the SMMU driver owns the region).

# SMMU_GBPA of the virt machine's SMMUv3 (base from the DT node name).
smmu_gbpa() {
	n=$(ls -d /proc/device-tree/smmuv3@* 2>/dev/null | head -n1)
	[ -n "$n" ] || { echo none; return; }
	devmem $(( 0x${n##*@} + 0x44 )) 32 2>/dev/null || echo unreadable
}

stage_first() {
	mark_devices _load
	mark "gbpa_first=$(smmu_gbpa)"
	pol=
	if [ "$(cmdline_get qdh.policy)" = nobb ]; then
		# the loader refuses a policy its owner could not vouch for:
		# root-owned file and directory, not group/other-writable
		mkdir -p /etc/kexec-qdh
		chmod 755 /etc /etc/kexec-qdh
		echo '{ "version": 1, "block_bypass": false }' >/etc/kexec-qdh/policy.json
		chmod 644 /etc/kexec-qdh/policy.json
		pol=--qdh-policy=/etc/kexec-qdh/policy.json
		mark "policy=block_bypass-false"
	fi
	story "at load time, qdh scan (kexec mode)" qdh scan --kexec
	timed load kexec-qdh -l $pol /boot/Image --initrd=/boot/initrd.img \
		--append="console=$(console_dev) earlycon panic=-1 iomem=relaxed qdh.scenario=$SCENARIO qdh.stage=second" ||
		fail "kexec-qdh -l failed"
	mark "kexec_loaded=$(cat /sys/kernel/kexec_loaded)"
	mark "exec=now"
	kexec-qdh -e
	fail "kexec-qdh -e returned $?"
}

stage_second() {
	mkdir -p $OUT
	# what the SMMU holds now: the driver enabled translation again but
	# leaves GBPA as found (it writes GBPA only when it finds SMMUEN=1)
	mark "gbpa_second=$(smmu_gbpa)"
	dmesg | grep -i 'smmu' >$OUT/smmu-dmesg.txt
	chosen=/proc/device-tree/chosen/kexec-qdh,handover
	[ -f "$chosen" ] || fail "no /chosen/kexec-qdh,handover after kexec -e"
	mark "chosen_qdh=present"
	cp "$chosen" $OUT/chosen.qdh
	qdh inspect $OUT/chosen.qdh
	mark "inspect_chosen_rc=$?"
	qdh inspect --json $OUT/chosen.qdh >$OUT/inspect.json
	mark "inspect_json_rc=$?"
	# a normal boot: report only, enforce nothing
	qdh apply -n --force --no-kmsg --json >$OUT/report.json
	mark "apply_rc=$?"
	send_dir $OUT
}
