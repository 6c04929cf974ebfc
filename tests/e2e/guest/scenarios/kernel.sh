# Guest side of the arm64-kernel-* scenarios: the crash kernel is the
# patched one (kernel/, doc/kernel.md), or Debian's for the comparison.
# The first kernel sets up crash.sh's three devices:
#   e1000e      active    (driver bound, bus master on)   -> abort
#   virtio-net  quiesced  (unbound, bus master off)       -> attach
#   NVMe        dump target, busy with I/O at the panic   -> reset, attach
# and loads the crash kernel from the command line's qdh.e2e.load:
#   qdh        kexec-qdh -p (kexec_load: purgatory, blob in /chosen)
#   qdh-file   kexec-qdh -p -s (kexec_file_load: blob in the initrd)
#   plain      kexec-tools kexec -p (no handover at all)
#   plain-file kexec-tools kexec -p -s --initrd=/boot/initrd-bad.img
#              (the host appended a corrupted handover to the initrd)
# In the crash kernel: the kernel's SMMU lines, its per-stream view before
# and after the apply step (views/), then crash.sh's crash stage.
VIEW_GLOB='/sys/class/iommu/*/qdh/streams'

stage_first() {
	quiesce $NET_BDF
	mark_devices _load
	extra=$(cmdline_get qdh.e2e.crashargs | tr , ' ')
	case $(cmdline_get qdh.e2e.load) in
	qdh-file)
		kexec-qdh -p -s /boot/Image --initrd=/boot/initrd.img \
			--append="$(crash_append $extra)" --qdh-dump-target=$DUMP_TARGET ;;
	plain)
		kexec -p /boot/Image --initrd=/boot/initrd.img --append="$(crash_append $extra)" ;;
	plain-file)
		kexec -p -s /boot/Image --initrd=/boot/initrd-bad.img --append="$(crash_append $extra)" ;;
	*)
		kexec-qdh -p /boot/Image --initrd=/boot/initrd.img \
			--append="$(crash_append $extra)" --qdh-dump-target=$DUMP_TARGET ;;
	esac
	rc=$?
	mark "load_qdh_rc=$rc"
	[ $rc = 0 ] || fail "loading the crash kernel failed"
	mark "crash_loaded=$(crash_loaded)"
	mark "first_kernel=$(uname -r)"
	kdma_start
	sleep 2
	mark "dma_loop=running"
	crash_now
}

# DMA that outlives the panic: four direct 2 MiB reads at once, 16 NVMe
# commands of 512 KiB in the controller's queue; the host throttles the
# drive (256 KiB/s), so they complete -- completion entries and MSIs
# written through the SMMU -- one by one for half a minute, across the
# crash kernel's SMMU probe.
kdma_start() {
	for i in 1 2 3 4; do
		dd if=$DISK of=/dev/null bs=2M count=1 skip=$i iflag=direct 2>/dev/null &
	done
}

# save_views DIR: every SMMU's view, one file each
save_views() {
	mkdir -p "$1"
	n=0
	for v in $VIEW_GLOB; do
		[ -f "$v" ] || continue
		s=${v%/qdh/streams}
		cp "$v" "$1/${s##*/}"
		n=$((n + 1))
	done
	mark "views_$(basename "$1")=$n"
}

stage_crash() {
	vmcore_check
	mkdir -p $OUT
	dmesg | grep -E 'qdh|arm-smmu-v3' >$OUT/dmesg-smmu.txt
	save_views $OUT/views/before
	collect_handover
	mark_devices _before
	run_apply
	mark "apply_done=1"
	save_views $OUT/views/applied
	mark_devices _applied
	load_modules
	sleep 1
	mark_devices _bound
	dump_to_disk
	save_views $OUT/views/bound
	dmesg >$OUT/dmesg.txt
	send_dir $OUT
}
