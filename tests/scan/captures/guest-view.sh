# Guest side of scripts/capture-guests.sh (busybox sh, cwd $E2E_OUT).
# 1. Quiesce one device the way an admin would: unbind its driver through
#    sysfs, then clear the Command register's bus-master bit (bit 2, config
#    offset 4) with dd.  $QDH_QUIESCE names it (default the virtio-blk).
# 2. Write the guest kernel's own view, read with plain busybox tools and
#    nothing from qdh, to guest-view.txt.
# 3. `qdh capture -o cap.tar`, then the view again: the host checks both
#    views are identical, so the capture saw the same state.
Q=${QDH_QUIESCE:-0000:00:05.0}

cmdreg() { od -An -tx2 -j4 -N2 "$1/config" | tr -d ' \n'; }
base() { l=$(readlink "$1" 2>/dev/null) && echo "${l##*/}" || echo -; }

quiesce() {
	d=/sys/bus/pci/devices/$1
	[ -e "$d" ] || { echo "quiesce: no $1" >&2; return 1; }
	if [ -e "$d/driver" ]; then
		echo "$1" >"$d/driver/unbind" || return 1
	fi
	c=$(cmdreg "$d")
	c=$(( 0x$c & ~4 ))
	# two bytes, little endian, as octal escapes (busybox printf)
	printf "\\$(printf %o $((c & 255)))\\$(printf %o $((c >> 8)))" |
		dd of="$d/config" bs=1 seek=4 count=2 conv=notrunc 2>/dev/null
}

view() {
	echo "# the guest kernel's own view at capture time (busybox sh, not qdh)"
	echo "kernel $(uname -r) $(uname -m)"
	echo "cmdline $(cat /proc/cmdline)"
	echo "quiesced $Q"
	for c in /sys/class/iommu/*; do
		[ -e "$c" ] || continue
		a=-
		[ -f "$c/intel-iommu/address" ] && a=0x$(cat "$c/intel-iommu/address")
		echo "iommu ${c##*/} address=$a"
	done
	for d in /sys/bus/pci/devices/*; do
		g=$(base "$d/iommu_group")
		t=-
		[ "$g" = - ] || t=$(cat "$d/iommu_group/type" 2>/dev/null || echo -)
		c=$(cmdreg "$d")
		echo "pci ${d##*/} vendor=$(cat "$d/vendor") device=$(cat "$d/device")" \
			"class=$(cat "$d/class") driver=$(base "$d/driver") group=$g" \
			"type=$t cmd=0x$c bm=$(( (0x$c >> 2) & 1 ))" \
			"power=$(cat "$d/power_state" 2>/dev/null || echo -)" \
			"iommu=$(base "$d/iommu")"
	done
}

quiesce "$Q" || echo "quiesce of $Q failed" >&2
view >guest-view.txt
dmesg | grep -i -e smmu -e dmar -e iommu -e iort | sed 's/^/dmesg /' >>guest-view.txt
qdh capture -o cap.tar
rc=$?
view >view-after.txt
exit $rc
