# Helpers for the guest side of the e2e scenarios (busybox ash).
# Everything the host asserts goes through `mark`: one console line
#   QDH-E2E: KEY=VALUE
# (a newline first, so a kernel message never shares the line).

mark() { printf '\nQDH-E2E: %s\n' "$*"; }

# Value of KEY=... on the kernel command line (empty when absent).
cmdline_get() {
	for w in $(cat /proc/cmdline); do
		case $w in "$1"=*) echo "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# Milliseconds since boot (busybox date has no %N; uptime has 10 ms).
uptime_ms() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	frac=${frac#0}	# "08" would be read as octal
	echo $(( ${up%.*} * 1000 + frac * 10 ))
}

# timed NAME CMD...: run CMD, mark NAME_ms=elapsed (also set as $NAME_ms)
# and NAME_rc=exit code,
# and pass its output to the console.  Returns CMD's exit code.
timed() {
	name=$1; shift
	t0=$(uptime_ms)
	"$@"
	rc=$?
	t1=$(uptime_ms)
	mark "${name}_ms=$((t1 - t0))"
	mark "${name}_rc=$rc"
	eval "${name}_ms=$((t1 - t0))"
	return $rc
}
min() { if [ "$1" -le "$2" ]; then echo "$1"; else echo "$2"; fi; }

# fail REASON: tell the host why, and stop this stage.
fail() { mark "fail=$*"; exit 1; }

# The kernel command line for the next kernel: the crash kernel is the
# notes' working one; `qdh.scenario` lets /init pick the same scenario.
crash_append() {
	echo "console=$(console_dev) earlycon maxcpus=1 reset_devices panic=-1 qdh.scenario=$SCENARIO $*"
}
console_dev() {
	for w in $(cat /proc/cmdline); do
		case $w in console=*) c=${w#console=}; echo "${c%%,*}"; return ;; esac
	done
	echo ttyAMA0
}

# story TITLE CMD...: run CMD with its output framed for the demo
# (scripts/demo.sh prints these sections in order); returns CMD's status.
story() {
	title=$1; shift
	printf '\nQDH-E2E-STORY-BEGIN: %s\n' "$title"
	"$@"
	st=$?
	printf '\nQDH-E2E-STORY-END\n'
	return $st
}

# Send guest file or directory contents back to the host: a tar of $1,
# base64 between markers; the host unpacks it (e2e_extract_files).
send_dir() {
	printf '\nQDH-E2E-FILES-BEGIN\n'
	tar -C "$1" -cf - . | gzip | base64
	printf 'QDH-E2E-FILES-END\n'
}

# Panic now (the sysrq crash is what kdump users hit).
crash_now() {
	mark "panic=now"
	# let the tty drain: a panic drops console output still queued there
	sleep 1
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
	sleep 5
	fail "still alive 5 s after the sysrq crash"
}

# Whether a crash kernel is loaded, as the kernel says.
crash_loaded() { cat /sys/kernel/kexec_crash_loaded; }

# The devices lib/boot.sh puts behind the IOMMU.
NET_BDF=0000:00:02.0	# virtio-net
E1000E_BDF=0000:00:03.0	# e1000e
BLK_BDF=0000:01:00.0	# NVMe (/dev/nvme0n1), behind root port 00:04.0
PORT_BDF=0000:00:04.0
DUMP_TARGET=nvme0n1	# as a kdump config names it: the disk
DISK=/dev/nvme0n1
OUT=/e2e/out

# Module options, as modprobe would take them from /proc/cmdline (busybox
# insmod does not).  None today: nvme_core keeps its default multipath=Y,
# so under QEMU >= 8 (an NVMe subsystem that reports multi-controller)
# /dev/nvme0n1 is the multipath head under /sys/devices/virtual/
# nvme-subsystem and qdh must follow it to the controller's PCI function.
module_opts() {
	case $1 in
	*) ;;
	esac
}

# The modules of the running kernel: /lib/modules/$(uname -r)/ when the
# image carries a second kernel's (the patched one of the arm64-kernel-*
# scenarios), else Debian's in /lib/modules/.
load_modules() {
	d=/lib/modules
	[ -f "$d/$(uname -r)/load-order" ] && d=$d/$(uname -r)
	for m in $(cat $d/load-order 2>/dev/null); do
		insmod $d/$m $(module_opts $m) || mark "insmod_failed=$m"
	done
}

# PCI command register of BDF in hex (bit 2: bus master).
pci_command() { od -An -tx2 -j4 -N2 "/sys/bus/pci/devices/$1/config" | tr -d ' \n'; }
pci_driver() {
	if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
	else
		echo none
	fi
}
# mark dev_<TAG>=driver=<name>,cmd=<hex> for the host to check.
mark_device() {	# mark_device TAG BDF
	mark "dev_$1=driver=$(pci_driver "$2"),cmd=$(pci_command "$2")"
}
mark_devices() {	# mark_devices SUFFIX
	mark_device "net$1" $NET_BDF
	mark_device "e1000e$1" $E1000E_BDF
	mark_device "blk$1" $BLK_BDF
}

# Quiesce a device the way an admin would before a load: unbind its
# driver, and clear bus master if the driver left it on.
quiesce() {	# quiesce BDF
	d=$(pci_driver "$1")
	[ "$d" = none ] || echo "$1" >"/sys/bus/pci/drivers/$d/unbind"
	c=$(pci_command "$1")
	if [ $(( 0x$c & 4 )) -ne 0 ]; then
		c=$(( 0x$c & ~4 ))
		printf "\\$(printf %o $((c & 255)))\\$(printf %o $((c >> 8)))" |
			dd of="/sys/bus/pci/devices/$1/config" bs=1 seek=4 conv=notrunc 2>/dev/null
	fi
}

# Keep the disk busy (DMA in flight): reads and writes in a loop.
dma_loop_start() {
	( while :; do
		dd if=$DISK of=/dev/null bs=1M count=32 2>/dev/null
		dd if=/dev/zero of=$DISK bs=1M count=16 seek=32 conv=fsync 2>/dev/null
	done ) &
	DMA_PID=$!
}

# The crash side as a kdump initramfs does it: the project's
# initramfs-tools early script when it exists, else `qdh apply` directly.
# The report lands in /run/qdh/report.json either way.
run_apply() {
	hook=
	for f in /e2e/initramfs-tools/scripts/init-premount/* /e2e/initramfs-tools/scripts/init-top/*; do
		[ -f "$f" ] && { hook=$f; break; }
	done
	if [ -n "$hook" ]; then
		mark "apply_via=initramfs-tools:${hook#/e2e/initramfs-tools/}"
		story "the crash kernel decides and enforces, before any driver module loads (initramfs-tools/${hook#/e2e/initramfs-tools/})" sh "$hook"
	else
		mark "apply_via=qdh-apply"
		story "the crash kernel decides and enforces, before any driver module loads (qdh apply)" qdh apply "$@"
	fi
	mark "apply_rc=$?"
	if [ -f /run/qdh/report.json ]; then
		cp /run/qdh/report.json $OUT/report.json
		mark "report=present"
	else
		mark "report=absent"
	fi
}

# Everything the host checks about the handover in a crash kernel.
collect_handover() {
	mkdir -p $OUT
	chosen=/proc/device-tree/chosen/kexec-qdh,handover
	if [ -f "$chosen" ]; then
		cp "$chosen" $OUT/chosen.qdh
		mark "chosen_qdh=present"
		story "the crash kernel finds the blob in /chosen/kexec-qdh,handover, with what purgatory saw and did" \
			qdh inspect $OUT/chosen.qdh
		mark "inspect_chosen_rc=$?"
	else
		mark "chosen_qdh=absent"
	fi
	if [ -e /proc/vmcore ]; then
		head -c 262144 /proc/vmcore >$OUT/vmcore.head
		qdh inspect /proc/vmcore
		mark "inspect_vmcore_rc=$?"
	fi
	if [ -f /qdh/handover.qdh ]; then
		cp /qdh/handover.qdh $OUT/initrd.qdh
		mark "initrd_qdh=present"
	else
		mark "initrd_qdh=absent"
	fi
}

# The dump target works after the decisions: write the vmcore head to
# its disk and read it back.
dump_to_disk() {
	dev=$DISK
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -b $dev ] && break; sleep 0.5; done
	[ -b $dev ] || { mark "dump_write=no-disk"; return 1; }
	head -c 65536 /proc/vmcore >/tmp/head
	dd if=/tmp/head of=$dev bs=65536 count=1 conv=fsync 2>/dev/null &&
		echo 3 >/proc/sys/vm/drop_caches &&
		dd if=$dev of=/tmp/back bs=65536 count=1 iflag=direct 2>/dev/null &&
		cmp -s /tmp/head /tmp/back
	if [ $? -eq 0 ]; then mark "dump_write=ok"; else mark "dump_write=failed"; fi
}

# The standard crash stage of the kexec-qdh scenarios.
crash_with_apply() {
	vmcore_check
	collect_handover
	mark_devices _before
	run_apply "$@"
	mark_devices _applied
	load_modules
	sleep 1
	mark_devices _bound
	dump_to_disk
	send_dir $OUT
}

# The crash kernel's proof of life: /proc/vmcore exists and is an ELF core.
vmcore_check() {
	[ -e /proc/vmcore ] || fail "no /proc/vmcore"
	mark "vmcore=present"
	mark "vmcore_magic=$(head -c 4 /proc/vmcore | od -An -tx1 | tr -d ' \n')"
}
