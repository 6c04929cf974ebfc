# Host side of the e2e-distro scenarios (bash; the scenarios source it).
# Boots the Debian image of image.sh under QEMU with the harness's own
# e2e_boot (console log with host timestamps, lib/boot.sh), puts the
# package and the guest step into the disk image and reads results back
# from it with debugfs (no mount, no loop device).  Every boot also gets
# QEMU's CPU time, sampled once a second (LOG.cpu): on a loaded host the
# wall clock says little, and TCG's CPU time is what an idle machine's
# wall time would be.
#
# Per-run files, in $E2E_WORK/distro-ARCH/: disk.img (a fresh copy of the
# cached image, then carried from one boot to the next), vmlinuz and
# initrd.img (the image's own /boot, read before each boot), crash/ (what
# /var/crash held after the last boot), state (what one step leaves for
# the next: the image, the package, the stamp directories seen so far).
# Environment:
#   E2E_DISTRO_DEB   use this kexec-qdh .deb (scripts/test-all.sh passes
#                    the one its package step built); else it is built
#                    with dpkg-buildpackage from the source tree
#   E2E_DISTRO_MEM, E2E_DISTRO_SMP, E2E_DISTRO_CRASHKERNEL, E2E_DISTRO_TCG
#                    guest memory (MiB), CPUs, crashkernel=, TCG threading
. "$(dirname "${BASH_SOURCE[0]}")/image.sh"
. "$E2E_LIBDIR/boot.sh"

: "${DISTRO_ARCH:=amd64}"
DISTRO_DIR=$E2E_WORK/distro-$DISTRO_ARCH
DISTRO_GUEST=$E2E_SRCDIR/tests/e2e/distro/guest
# As little memory as a kdump-tools system works in: makedumpfile's time
# and the dump's size grow with it (doc/e2e.md, "e2e-distro").  arm64's
# crash kernel (a larger kernel image, systemd on the real root) gets the
# 256M the harness's arm64 guests have, and the first kernel keeps about
# what amd64's has beside it.
case $DISTRO_ARCH in
arm64) DISTRO_MEM=${E2E_DISTRO_MEM:-768} DISTRO_CRASHKERNEL=${E2E_DISTRO_CRASHKERNEL:-256M} ;;
*) DISTRO_MEM=${E2E_DISTRO_MEM:-512} DISTRO_CRASHKERNEL=${E2E_DISTRO_CRASHKERNEL:-160M} ;;
esac
# One vCPU: single-threaded TCG runs a second one in turn with the first.
DISTRO_SMP=${E2E_DISTRO_SMP:-1}
DISTRO_TCG=${E2E_DISTRO_TCG:-single}

# QEMU's argv for the Debian guest (E2E_QEMU_CMD of e2e_boot): the
# harness's machine and devices (lib/boot.sh: the NVMe disk behind the
# PCIe root port 00:04.0, both NICs), booted as an installed system
# would be: root=UUID=, crashkernel=, the image's kernel and initrd.
distro_qemu_cmd() {	# ARCH KERNEL INITRD APPEND DISK
	local arch=$1 kernel=$2 initrd=$3 append=$4 disk=$5 con
	con=$(e2e_console "$arch")
	# (no rootdelay=: initramfs-tools sleeps that long before looking
	# for the root device; without it, it waits up to 30 s for it.)
	append="root=UUID=$(cat "$DISTRO_DIR/uuid") ro console=$con crashkernel=$DISTRO_CRASHKERNEL panic=-1 ARCH_ARGS systemd.show_status=0 $append"
	case $arch in
	amd64)
		# intel-iommu before the devices it translates.  noreboot: the
		# ICH9 TCO watchdog (iTCO_wdt, loaded by udev, heartbeat 30 s)
		# keeps counting after the panic, and a kdump that takes more
		# than two heartbeats under TCG was reset by it, silently, in
		# the middle of the crash kernel's boot.
		# no_timer_check: on a loaded host the TCG guest's IO-APIC timer
		# check can miss its window and panic the kernel at boot ("timer
		# doesn't work through Interrupt-remapped IO-APIC"), with one vCPU
		# too; the crash kernel inherits it through kdump-tools.
		printf '%s\n' qemu-system-x86_64 -M q35,kernel-irqchip=split -cpu max \
			-global ICH9-LPC.noreboot=on \
			-vga none -device intel-iommu,intremap=on,caching-mode=on \
			-append "intel_iommu=on ${append/ARCH_ARGS/no_timer_check}" $E2E_DEVICES
		;;
	arm64)
		# the harness's arm64 machine (lib/boot.sh); earlycon: the
		# crash kernel's first line comes at once, not when the PL011
		# driver binds (panic -> crash kernel is timed on it)
		printf '%s\n' qemu-system-aarch64 -M virt,iommu=smmuv3 -cpu cortex-a57 \
			-append "${append/ARCH_ARGS/earlycon}" $E2E_DEVICES
		;;
	esac
	# -nodefaults: no CD-ROM drive, parallel port or monitor (each a
	# driver the guest would probe under TCG); the console on stdio.
	printf '%s\n' -smp "$DISTRO_SMP" -m "$DISTRO_MEM" -accel "tcg,thread=$DISTRO_TCG" \
		-nodefaults -nographic -serial stdio -pidfile "$DISTRO_PIDFILE" \
		-no-reboot -kernel "$kernel" -initrd "$initrd" \
		-netdev user,id=n0,restrict=on -netdev user,id=n1,restrict=on \
		-drive "file=$disk,if=none,format=raw,id=d0"
}

# Binaries of a foreign ARCH (arm64 on an amd64 host) in the image's
# chroot: stage 1 runs the packages' maintainer scripts there, natively
# through qemu-user-static (qemu-aarch64-static) with a binfmt_misc entry
# with the F flag (the interpreter is opened when registered, so the chroot
# needs no copy of it).  An enabled entry for aarch64 ELF with F is used as
# it is (qemu-user-static's own, registered by systemd-binfmt); else one is
# registered here, named $DISTRO_BINFMT_NAME, for the build only
# (distro_binfmt_off removes it: it would change how the whole host runs
# arm64 binaries).  Prints the name of the entry it registered, if any.
DISTRO_BINFMT_NAME=qdh-e2e-aarch64
DISTRO_BINFMT_MAGIC='\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
DISTRO_BINFMT_MASK='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
distro_binfmt_on() {	# ARCH
	local fs=/proc/sys/fs/binfmt_misc e qemu
	[ "$1" = "$(dpkg --print-architecture)" ] && return 0
	[ "$1" = arm64 ] || { echo "no emulation for $1 binaries" >&2; return 1; }
	qemu=$(command -v qemu-aarch64-static) || { echo "qemu-aarch64-static not found (qemu-user-static)" >&2; return 1; }
	[ -e "$fs/register" ] || mount -t binfmt_misc binfmt_misc "$fs" ||
		{ echo "cannot mount binfmt_misc on $fs" >&2; return 1; }
	for e in "$fs"/*; do
		case ${e##*/} in register | status) continue ;; esac
		grep -qx enabled "$e" 2>/dev/null &&
			grep -q '^flags: .*F' "$e" &&
			grep -q '^magic 7f454c460201010000000000000000000200b700$' "$e" && return 0
	done
	# (\xNN as text: the kernel decodes the escapes)
	echo ":$DISTRO_BINFMT_NAME:M::$DISTRO_BINFMT_MAGIC:$DISTRO_BINFMT_MASK:$qemu:F" >"$fs/register" ||
		{ echo "cannot register $qemu with binfmt_misc" >&2; return 1; }
	echo "$DISTRO_BINFMT_NAME"
}
distro_binfmt_off() {	# NAME (what distro_binfmt_on printed; nothing: nothing to do)
	[ -z "$1" ] || echo -1 >"/proc/sys/fs/binfmt_misc/$1"
}

# debugfs on the root file system of DISK (read-only unless -w).
distro_debugfs() {	# [-w] DISK CMD...   (CMDs as debugfs -f lines)
	local w=
	[ "$1" = -w ] && { w=-w; shift; }
	local disk=$1; shift
	printf '%s\n' "$@" | debugfs $w -f - "$disk?offset=$DISTRO_PART_OFFSET" 2>&1 |
		grep -v -e '^debugfs [0-9]' -e '^debugfs: '
}

# The image's /boot/vmlinuz and /boot/initrd.img (the /vmlinuz and
# /initrd.img links of Debian) into DIR: what a boot loader would boot.
distro_boot_files() {	# DISK DIR
	local disk=$1 dir=$2 k i
	k=$(distro_debugfs "$disk" 'stat /vmlinuz' | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')
	i=$(distro_debugfs "$disk" 'stat /initrd.img' | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')
	[ -n "$k" ] && [ -n "$i" ] || return 1
	rm -f "$dir/vmlinuz" "$dir/initrd.img"
	distro_debugfs "$disk" "dump /$k $dir/vmlinuz" "dump /$i $dir/initrd.img" >/dev/null
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/initrd.img" ]
}

# Put the guest step (script and unit, enabled) into DISK.
distro_put_step() {	# DISK
	distro_debugfs -w "$1" \
		'mkdir /usr/local/lib/qdh-e2e' \
		'rm /usr/local/lib/qdh-e2e/distro.sh' \
		"write $DISTRO_GUEST/distro.sh /usr/local/lib/qdh-e2e/distro.sh" \
		'sif /usr/local/lib/qdh-e2e/distro.sh mode 0100755' \
		'rm /etc/systemd/system/qdh-e2e-distro.service' \
		"write $DISTRO_GUEST/qdh-e2e-distro.service /etc/systemd/system/qdh-e2e-distro.service" \
		'mkdir /etc/systemd/system/multi-user.target.wants' \
		'rm /etc/systemd/system/multi-user.target.wants/qdh-e2e-distro.service' \
		'symlink /etc/systemd/system/multi-user.target.wants/qdh-e2e-distro.service /etc/systemd/system/qdh-e2e-distro.service' \
		>/dev/null
	distro_debugfs "$1" 'stat /usr/local/lib/qdh-e2e/distro.sh' | grep -q 'Mode:  0755'
}

# QEMU's CPU time (user + system, ms), sampled once a second while the
# process of PIDFILE lives: "HOST_EPOCH_S CPU_MS" lines into OUT.
distro_cpu_sampler() {	# PIDFILE OUT
	local pf=$1 out=$2 pid= i line hz
	hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
	for ((i = 0; i < 600; i++)); do
		[ -s "$pf" ] && read -r pid <"$pf" && [ -n "$pid" ] && break
		sleep 0.1
	done
	[ -n "$pid" ] || return 0
	while read -r line 2>/dev/null </proc/"$pid"/stat; do
		line=${line##*) }	# after "(comm) ": state is $1, utime $12, stime $13
		# shellcheck disable=SC2086
		set -- $line
		printf '%s %d\n' "$EPOCHREALTIME" $(( (${12} + ${13}) * 1000 / hz ))
		sleep 1
	done >"$out"
}

# CPU ms QEMU spent between host times T0 and T1 (s.ms), interpolated
# between the samples of CPUFILE; fails without samples around them.
distro_cpu_ms() {	# CPUFILE T0 T1
	awk -v a="$2" -v b="$3" '
		function at(t,   i) {
			if (t <= ts[1]) return cs[1]
			for (i = 2; i <= n; i++)
				if (t <= ts[i])
					return cs[i - 1] + (cs[i] - cs[i - 1]) * (t - ts[i - 1]) / (ts[i] - ts[i - 1])
			return cs[n]
		}
		{ n++; ts[n] = $1; cs[n] = $2 }
		END {
			if (n < 2 || b < a) exit 1
			printf "%d\n", at(b) - at(a) + 0.5
		}' "$1" 2>/dev/null
}

# Boot DISK once with distro.stage=STAGE; the console goes to LOG, QEMU's
# CPU samples to LOG.cpu (LOG without .log), wall and CPU of the whole
# run to the state as run_wall_STAGE, run_cpu_STAGE.
distro_boot() {	# STAGE LOG TIMEOUT_S
	local stage=$1 log=$2 tmo=$3 rc t0 t1 sampler cpu
	distro_boot_files "$DISTRO_DIR/disk.img" "$DISTRO_DIR" ||
		{ reason "no /vmlinuz or /initrd.img in the image"; return 1; }
	E2E_LAST_LOG=$log
	# QEMU's own word on resets (a triple fault leaves no console line)
	rm -f "${log%.log}.qemu.log" "${log%.log}.cpu"
	DISTRO_PIDFILE=$DISTRO_DIR/qemu.pid
	rm -f "$DISTRO_PIDFILE"
	distro_cpu_sampler "$DISTRO_PIDFILE" "${log%.log}.cpu" &
	sampler=$!
	t0=$EPOCHREALTIME
	DISTRO_PIDFILE=$DISTRO_PIDFILE E2E_DISK=$DISTRO_DIR/disk.img E2E_QEMU_CMD=distro_qemu_cmd \
	E2E_QEMU_EXTRA="${E2E_QEMU_EXTRA:-} -d cpu_reset,guest_errors -D ${log%.log}.qemu.log" \
		e2e_boot "$DISTRO_ARCH" "$DISTRO_DIR/vmlinuz" "$DISTRO_DIR/initrd.img" "$log" \
		"$tmo" "distro.stage=$stage"
	rc=$?
	t1=$EPOCHREALTIME
	wait "$sampler" 2>/dev/null
	cpu=$(tail -n1 "${log%.log}.cpu" 2>/dev/null | awk '{ print $2 }')
	distro_state_set "run_wall_$stage" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')"
	distro_state_set "run_cpu_$stage" "${cpu:-}"
	echo "# $stage boot: QEMU exit $rc$(grep -q 'Triple fault' "${log%.log}.qemu.log" 2>/dev/null && echo ', after a triple fault'), $(( ${t1%.*} - ${t0%.*} )) s wall, $(( ${cpu:-0} / 1000 )) s QEMU CPU"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		reason "QEMU timed out after ${tmo}s"
		return 1
	fi
	return 0
}

# /var/crash of DISK into DIR (replaced).
distro_get_crash() {	# DISK DIR
	rm -rf "$2"; mkdir -p "$2"
	distro_debugfs "$1" "rdump /var/crash $2" >/dev/null
	[ -d "$2/crash" ]
}

# Does kdump-tools' initramfs of kernel KVER in DISK carry qdh (where the
# package's initramfs-tools hook puts it: /sbin/qdh, usr/sbin/qdh in a
# merged-/usr initramfs)?  Read from the host: debugfs, then the archive
# unpacked by its magic (zstd, gzip, xz or plain cpio: an early
# uncompressed cpio in front of the main one would hide it, and say "no").
# Prints yes or no; fails with the reason on stderr when the file is
# missing or unreadable.
distro_kdump_initrd_qdh() {	# DISK KVER
	local img=/var/lib/kdump/initrd.img-$2 f=$DISTRO_DIR/kdump-initrd.img magic list
	rm -f "$f"
	distro_debugfs "$1" "dump $img $f" >/dev/null
	[ -s "$f" ] || { echo "no $img in the image" >&2; return 1; }
	magic=$(head -c 6 "$f" | od -An -tx1 | tr -d ' \n')
	case $magic in
	28b52ffd*) list=$(zstd -dc <"$f" | cpio -it --quiet) ;;
	1f8b*) list=$(gzip -dc <"$f" | cpio -it --quiet) ;;
	fd377a585a00) list=$(xz -dc <"$f" | cpio -it --quiet) ;;
	303730373031) list=$(cpio -it --quiet <"$f") ;;
	*) echo "$img: not a zstd, gzip, xz or cpio archive (magic $magic)" >&2; return 1 ;;
	esac
	[ -n "$list" ] || { echo "$img: could not be unpacked" >&2; return 1; }
	if grep -Eq '(^|/)s?bin/qdh$' <<<"$list"; then echo yes; else echo no; fi
}

# The stamp directories (/var/crash/YYYYMMDDHHMM) in DIR/crash, one a line.
distro_stamps() { (cd "$1/crash" 2>/dev/null && ls -d 2[0-9]* 2>/dev/null); }

# State between the steps of one run (a scenario runs in a subshell).
distro_state_set() {	# KEY VALUE
	local f=$DISTRO_DIR/state
	touch "$f"
	sed -i "/^$1=/d" "$f"
	printf '%s=%q\n' "$1" "$2" >>"$f"
}
distro_state_get() { (. "$DISTRO_DIR/state" 2>/dev/null; eval "printf '%s\n' \"\${$1:-}\""); }

# Host time (s.ms) of the first console line matching ERE after line FROM.
distro_time_ms() {	# LOG ERE [FROM_LINE] -> "MS LINENO"
	e2e_line_time "$@" | awk 'NF == 2 { printf "%d %d\n", $1 * 1000 + 0.5, $2 }'
}
# Milliseconds between the first lines matching ERE1 and then ERE2.
distro_interval_ms() {	# LOG ERE1 ERE2
	local a b
	a=$(distro_time_ms "$1" "$2") || return 1
	[ -n "$a" ] || return 1
	b=$(distro_time_ms "$1" "$3" "${a#* }") || return 1
	[ -n "$b" ] || return 1
	echo $(( ${b% *} - ${a% *} ))
}

# The kexec-qdh .deb to install: $E2E_DISTRO_DEB, else built here from the
# source tree (tracked and untracked files, as scripts/test-deb.sh does)
# with dpkg-buildpackage, unit tests off (CI runs them elsewhere).  For
# arm64 on another host: a cross build (dpkg-buildpackage -aarm64) of the
# same debian/, with the static binaries of scripts/cross-configure-arm64.sh
# (libfdt-dev is not Multi-Arch: install-deps.sh unpacks the arm64 one
# into a prefix that dpkg does not know, so the build dependencies are
# not checked (-d) and nothing may link it dynamically; a static binary
# also needs no arm64 library that dpkg-shlibdeps would have to find).
distro_deb_cross() {	# TREE: run in the tree, prints nothing
	local site=$1/../config.site
	echo enable_static_binaries=yes >"$site"
	(. "$E2E_SRCDIR/scripts/cross-env-arm64.sh" &&
		{ [ -f "$LIBFDT_LIBS" ] ||
			{ echo "no arm64 libfdt: $LIBFDT_LIBS (scripts/install-deps.sh)"; exit 1; }; } &&
		cd "$1" && CONFIG_SITE=$site \
		DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		dpkg-buildpackage -aarm64 -d -us -uc -b)
}
distro_deb() {	# prints the .deb's path
	local work=$E2E_WORK/distro-deb-$DISTRO_ARCH version tree deb
	if [ -n "${E2E_DISTRO_DEB:-}" ]; then
		[ -f "$E2E_DISTRO_DEB" ] || { e2e_log "E2E_DISTRO_DEB=$E2E_DISTRO_DEB: no such file"; return 1; }
		echo "$E2E_DISTRO_DEB"
		return 0
	fi
	version=$(sed -n '1s/^kexec-qdh (\([^)]*\)).*/\1/p' "$E2E_SRCDIR/debian/changelog")
	rm -rf "$work"
	tree=$work/kexec-qdh-$version
	mkdir -p "$tree"
	(cd "$E2E_SRCDIR" && git ls-files -z -co --exclude-standard |
		xargs -0 cp -a --parents -t "$tree" 2>/dev/null)
	if [ "$DISTRO_ARCH" = "$(dpkg --print-architecture)" ]; then
		(cd "$tree" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
			dpkg-buildpackage -us -uc -b)
	else
		distro_deb_cross "$tree"
	fi >"$work/dpkg-buildpackage.log" 2>&1 ||
		{ e2e_log "dpkg-buildpackage failed: see $work/dpkg-buildpackage.log"; return 1; }
	deb=$(ls "$work"/kexec-qdh_"$version"_"$DISTRO_ARCH".deb 2>/dev/null)
	[ -f "$deb" ] || { e2e_log "no kexec-qdh_${version}_$DISTRO_ARCH.deb in $work"; return 1; }
	echo "$deb"
}
