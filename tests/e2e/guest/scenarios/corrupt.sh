# Guest side of arm64-corrupt-blob: the crash.sh setup loaded with
# kexec-qdh, then in the crash kernel every copy of the blob is corrupted
# (4 bytes inside the CRC-covered part) before the apply step runs
# unchanged: bind mounts put corrupted copies over the /chosen property and
# /proc/vmcore, the initrd appendix file is corrupted in place.
stage_first() {
	quiesce $NET_BDF
	kexec-qdh -p /boot/Image --initrd=/boot/initrd.img \
		--append="$(crash_append)" --qdh-dump-target=$DUMP_TARGET ||
		fail "kexec-qdh -p failed"
	mark "load_qdh_rc=0"
	mark "crash_loaded=$(crash_loaded)"
	crash_now
}

# Overwrite 4 bytes at OFFSET of FILE; fails when nothing changed.
corrupt_at() {
	cp "$1" /tmp/orig
	printf '\245\132\245\132' | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
	! cmp -s "$1" /tmp/orig
}

# Past the fixed header and section table (40 + 16 * 6 bytes): blob data.
BLOB_OFF=144

stage_crash() {
	vmcore_check
	mkdir -p $OUT /tmp/bad
	n=0
	chosen=/proc/device-tree/chosen/kexec-qdh,handover
	if [ -f $chosen ]; then
		cp $chosen /tmp/bad/chosen
		corrupt_at /tmp/bad/chosen $BLOB_OFF && mount --bind /tmp/bad/chosen $chosen &&
			! cmp -s $chosen /tmp/orig && n=$((n + 1)) && mark "corrupted=chosen"
	fi
	head -c 262144 /proc/vmcore >/tmp/bad/vmcore
	off=$(strings -t d /tmp/bad/vmcore | awk '$2 == "QDHB" { print $1; exit }')
	if [ -n "$off" ]; then
		corrupt_at /tmp/bad/vmcore $((off + BLOB_OFF)) && mount --bind /tmp/bad/vmcore /proc/vmcore &&
			n=$((n + 1)) && mark "corrupted=vmcore"
	fi
	if [ -f /qdh/handover.qdh ]; then
		corrupt_at /qdh/handover.qdh $BLOB_OFF && n=$((n + 1)) && mark "corrupted=initrd"
	fi
	mark "corrupted_copies=$n"
	mark_devices _before
	run_apply
	mark_devices _applied
	send_dir $OUT
}
