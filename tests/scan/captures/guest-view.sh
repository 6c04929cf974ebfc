# Guest side of scripts/capture-guests.sh (busybox sh, cwd $E2E_OUT).
# 1. Quiesce one device the way an admin would: unbind its driver through
#    sysfs, then clear the Command register's bus-master bit (bit 2, config
#    offset 4) with dd.  $QDH_QUIESCE names it (default the virtio-blk).
# 2. Write the guest kernel's own view, read with plain busybox tools and
#    nothing from qdh, to guest-view.txt.
# 3. `qdh capture -o cap.tar`, then the view again: the host checks both
#    views are identical, so the capture saw the same state.
# With $QDH_DMA_FROM set to a PCI address, its network interface first
# sends a packet, so the host's SMMU trace shows the StreamID its DMA
# really carries.  With the kernel booted with
# dyndbg="file drivers/of/base.c +p", `dmaalias` lines give, per function,
# the requester IDs the kernel itself mapped through iommu-map and what they
# became, in its order (of_map_id()'s debug lines just before the function's
# "Adding to iommu group" or "stream ... already in tree").
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
	[ -z "${QDH_DMA_FROM:-}" ] || echo "dmafrom $QDH_DMA_FROM"
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

dma_from() {
	for n in /sys/class/net/*; do
		[ "$(base "$n/device")" = "$1" ] || continue
		ip link set "${n##*/}" up && sleep 3 &&
			ip addr add 10.0.2.15/24 dev "${n##*/}" &&
			ping -c 1 -W 2 10.0.2.2 >/dev/null
		return 0
	done
	echo "dma_from: no interface on $1" >&2
	return 1
}

# of_map_id() lines ("iommu-map, ... id: 00000208 -> 00000208"), grouped by
# the function whose IOMMU probe follows them; the last probe of each wins.
aliases() {
	dmesg | awk '
	/ iommu-map, .* id: [0-9a-f]+ -> [0-9a-f]+$/ {
		ids = ids (ids == "" ? "" : ",") "0x" $(NF - 2) ":0x" $NF; next }
	/: Adding to iommu group / || / already in tree from dev / {
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9a-f]+:[0-9a-f][0-9a-f]:[0-9a-f][0-9a-f]\.[0-7]:$/) {
				if (ids != "") seen[substr($i, 1, length($i) - 1)] = ids
				break
			}
		ids = ""; next }
	{ if (ids != "" && $0 !~ /OF: /) ids = "" }
	END { for (d in seen) print "dmaalias", d, seen[d] }' |
		sed 's/0x0*\([0-9a-f]\)/0x\1/g' | sort
}

[ -z "${QDH_DMA_FROM:-}" ] || dma_from "$QDH_DMA_FROM" || echo "DMA from $QDH_DMA_FROM failed" >&2
quiesce "$Q" || echo "quiesce of $Q failed" >&2
view >guest-view.txt
aliases >>guest-view.txt
dmesg | grep -i -e smmu -e dmar -e iommu -e iort | sed 's/^/dmesg /' >>guest-view.txt
qdh capture -o cap.tar
rc=$?
view >view-after.txt
exit $rc
