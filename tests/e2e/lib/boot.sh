# Boot a guest under QEMU (TCG) and capture its serial console (bash; source it).
#   e2e_boot ARCH KERNEL INITRD LOG TIMEOUT_S APPEND [EXTRA QEMU ARGS...]
# Runs `timeout -k 5 TIMEOUT_S qemu-system-...` with the notes' flags and
# devices behind the IOMMU, and writes every console line to LOG prefixed
# with the host's wall clock in seconds ("1712345678.123 <line>"), so
# intervals between lines (panic -> crash kernel) are measured outside the
# guest.  Returns QEMU's exit status (124: timed out; 0: guest powered off).
# Environment (optional):
#   E2E_DISK        raw image for the NVMe disk (default: a 64 MiB
#                   sparse file next to LOG)
#   E2E_QEMU_EXTRA  more QEMU arguments (word-split)
#   E2E_QEMU_CMD    the function that prints QEMU's argv (default
#                   e2e_qemu_cmd; the e2e-distro guest has its own)
#   E2E_VERBOSE=1   also copy the console to stderr
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The devices behind the IOMMU, at fixed addresses the guest scripts know
# (guest/lib.sh: NET_BDF, E1000E_BDF, BLK_BDF).  The disk is NVMe behind a
# PCIe root port (00:04.0 -> 01:00.0): it has FLR, so the crash kernel can
# reset it, its driver is a module on both kernels (arm64's virtio-pci is
# built in and binds before any initramfs runs), and a bridge is in the path.
E2E_DEVICES="-device virtio-net-pci,netdev=n0,addr=2,iommu_platform=on,disable-legacy=on,romfile=
	-device e1000e,netdev=n1,addr=3,romfile=
	-device pcie-root-port,id=rp0,bus=pcie.0,addr=4,chassis=1
	-device nvme,drive=d0,bus=rp0,addr=0,serial=qdh-e2e"

e2e_qemu_cmd() {	# e2e_qemu_cmd ARCH KERNEL INITRD APPEND DISK: prints argv, one per line
	local arch=$1 kernel=$2 initrd=$3 append=$4 disk=$5
	case $arch in
	arm64)
		printf '%s\n' qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu cortex-a57 \
			-append "console=ttyAMA0 earlycon crashkernel=256M panic=-1 $append" \
			$E2E_DEVICES
		;;
	amd64)
		# intel-iommu must come before the devices it translates
		printf '%s\n' qemu-system-x86_64 -M q35,kernel-irqchip=split -cpu max \
			-vga none -device intel-iommu,intremap=on,caching-mode=on \
			-append "console=ttyS0 intel_iommu=on crashkernel=256M panic=-1 $append" \
			$E2E_DEVICES
		;;
	esac
	# restrict=on: the NICs exist for the inventory, never reach outside
	printf '%s\n' -smp 2 -m 2048 -accel tcg,thread=single -nographic -no-reboot \
		-kernel "$kernel" -initrd "$initrd" \
		-netdev user,id=n0,restrict=on -netdev user,id=n1,restrict=on \
		-drive "file=$disk,if=none,format=raw,id=d0"
}

# The QEMU that boots ARCH's guest, and its version ("10.0.2").  What the
# SMMUv3 model implements depends on it: GBPA (writes with UPDATE, ABORT
# blocking DMA while SMMUEN=0) came in QEMU 8.0.
e2e_qemu_bin() { case $1 in arm64) echo qemu-system-aarch64 ;; amd64) echo qemu-system-x86_64 ;; esac; }
e2e_qemu_version() {	# e2e_qemu_version ARCH
	"$(e2e_qemu_bin "$1")" --version 2>/dev/null |
		sed -n '1s/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p'
}
# e2e_qemu_at_least ARCH MAJOR.MINOR: the guest's QEMU is that new.
e2e_qemu_at_least() {
	local v
	v=$(e2e_qemu_version "$1")
	[ -n "$v" ] || return 1
	awk -v v="$v" -v w="$2" 'BEGIN {
		split(v, a, "."); split(w, b, ".")
		exit !(a[1] + 0 > b[1] + 0 || (a[1] + 0 == b[1] + 0 && a[2] + 0 >= b[2] + 0)) }'
}

e2e_boot() {
	local arch=$1 kernel=$2 initrd=$3 log=$4 tmo=$5 append=$6 disk rc
	shift 6
	disk=${E2E_DISK:-${log%.*}.disk}
	[ -f "$disk" ] || truncate -s 64M "$disk"
	local -a cmd
	mapfile -t cmd < <("${E2E_QEMU_CMD:-e2e_qemu_cmd}" "$arch" "$kernel" "$initrd" "$append" "$disk")
	# shellcheck disable=SC2206
	cmd+=("$@" ${E2E_QEMU_EXTRA:-})
	printf '%q ' timeout -k 5 "$tmo" "${cmd[@]}" >"${log%.*}.cmd"
	echo >>"${log%.*}.cmd"
	local tee_to=/dev/null
	[ "${E2E_VERBOSE:-0}" = 1 ] && tee_to=/dev/stderr
	timeout -k 5 "$tmo" "${cmd[@]}" </dev/null 2>&1 |
		perl -MTime::HiRes=time -ne '
			BEGIN { $| = 1 }
			s/\r//g; s/\e\[[0-9;?]*[A-Za-z]//g;
			printf "%.3f %s", time, $_;' | tee "$log" >"$tee_to"
	rc=${PIPESTATUS[0]}
	return "$rc"
}

# --- reading a console log ----------------------------------------------

# Last value of marker KEY ("QDH-E2E: KEY=VALUE"); fails when absent.
e2e_marker() {	# e2e_marker LOG KEY
	local v
	v=$(sed -n "s/^[0-9.]* QDH-E2E: $2=//p" "$1" | tail -n1)
	[ -n "$v" ] || return 1
	printf '%s\n' "$v"
}
# All values of marker KEY, one per line.
e2e_markers() { sed -n "s/^[0-9.]* QDH-E2E: $2=//p" "$1"; }

# Host time (s.ms) of the first line matching ERE after line number FROM.
e2e_line_time() {	# e2e_line_time LOG ERE [FROM_LINE] -> "TIME LINENO"
	awk -v re="$2" -v from="${3:-0}" 'NR > from && $0 ~ re { print $1, NR; exit }' "$1"
}

# Milliseconds from the panic to the next kernel's first console line.
# The panic is the sysrq line (or `Kernel panic`); the next kernel's first
# line is its banner: with earlycon on arm64 "Booting Linux on physical
# CPU", on x86 "Linux version".
e2e_panic_to_first_line_ms() {	# e2e_panic_to_first_line_ms LOG
	local p n
	p=$(e2e_line_time "$1" 'sysrq: Trigger a crash|Kernel panic - not syncing') || return 1
	[ -n "$p" ] || return 1
	n=$(e2e_line_time "$1" 'Booting Linux on physical CPU|\] Linux version [0-9]' "${p#* }")
	[ -n "$n" ] || return 1
	awk -v a="${p% *}" -v b="${n% *}" 'BEGIN { printf "%d\n", (b - a) * 1000 + 0.5 }'
}

# Unpack what the guest sent with send_dir into DIR.
e2e_extract_files() {	# e2e_extract_files LOG DIR
	mkdir -p "$2"
	sed -n '/QDH-E2E-FILES-BEGIN$/,/QDH-E2E-FILES-END$/p' "$1" |
		sed -e 's/^[0-9.]* //' -e '/QDH-E2E-FILES-/d' | base64 -d | gzip -dc | tar -C "$2" -xf -
}

# The last N console lines without host timestamps (for failure reports).
e2e_tail() {
	sed -e '/QDH-E2E-FILES-BEGIN$/,/QDH-E2E-FILES-END$/d' "$1" | tail -n "${2:-40}" | sed 's/^[0-9.]* //'
}
