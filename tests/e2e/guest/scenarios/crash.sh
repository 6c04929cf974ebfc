# Guest side of arm64-crash (and amd64-file-crash, arm64-dma): three
# devices in three states at load time, the same guest times kexec-tools'
# load (checks on) for the comparison, then `kexec-qdh -p` stays loaded,
# panic, and the crash kernel runs the apply step before any driver binds.
#   e1000e      active    (driver bound, bus master on)
#   virtio-net  quiesced  (unbound, bus master off)
#   NVMe        dump target (qdh.e2e.dma=1: busy with I/O at the panic)
# (e1000e is the one to abort: it is a module on both kernels, while arm64
# has virtio-pci built in, which binds before any initramfs runs.)
# qdh.e2e.loadopt=-s adds -s (kexec_file_load) to the kexec-qdh load.
stage_first() {
	quiesce $NET_BDF
	mark_devices _load
	story "at load time, qdh scan inventories the DMA-capable devices and their IOMMU" \
		qdh scan --crash --dump-target=$DUMP_TARGET
	loadopt=$(cmdline_get qdh.e2e.loadopt)
	extra=$(cmdline_get qdh.e2e.crashargs | tr , ' ')
	# Load times on the same guest, alternating kexec-tools and kexec-qdh
	# twice and keeping each one's best: a single run on a busy 2-core host
	# is noise.  kexec-qdh's last load stays for the panic.
	for round in 1 2; do
		timed kt$round kexec -p /boot/Image --initrd=/boot/initrd.img \
			--append="$(crash_append $extra)" || fail "kexec-tools kexec -p failed"
		kexec -p -u
		[ $round = 1 ] || break
		timed qdh$round kexec-qdh -p $loadopt /boot/Image --initrd=/boot/initrd.img \
			--append="$(crash_append $extra)" --qdh-dump-target=$DUMP_TARGET
		kexec-qdh -p -u
	done
	timed qdh2 kexec-qdh -p $loadopt /boot/Image --initrd=/boot/initrd.img \
		--append="$(crash_append $extra)" --qdh-dump-target=$DUMP_TARGET
	rc=$?
	mark "load_qdh_rc=$rc"
	[ $rc = 0 ] || fail "kexec-qdh -p failed"
	mark "load_kt_ms=$(min $kt1_ms $kt2_ms)"
	mark "load_qdh_ms=$(min $qdh1_ms $qdh2_ms)"
	mark "crash_loaded=$(crash_loaded)"
	if [ "$(cmdline_get qdh.e2e.dma)" = 1 ]; then
		dma_loop_start
		sleep 2
		mark "dma_loop=running"
	fi
	crash_now
}

stage_crash() {
	# the dump target comes from the blob (--qdh-dump-target at load)
	crash_with_apply
}
