# The Debian system image of the e2e-distro scenarios (bash; source it).
# The image: debootstrap (minbase) of $DISTRO_SUITE from Debian's archive,
# then apt-get install --no-install-recommends of $DISTRO_PKGS in a chroot,
# no documentation; a GPT disk with one ext4 partition made with mkfs.ext4 -d
# (no mount, no loop device).  Everything is built on the host, natively:
# the kernel's own postinst makes the main initramfs (once) and kdump-tools'
# kernel hook its kdump initramfs, as when a kernel is installed on any
# Debian system.  That needs an initramfs configuration that does not look
# at the running system's root device: MODULES=list (distro_stage1 says
# why and what it costs), which kdump-tools honours as it is.
# Cached in $E2E_CACHE/distro/ under a key made of the suite, the
# architecture, the package list, the mirror and this file's hash; the
# debootstrap stage alone under a key of the suite, architecture, package
# list, mirror and distro_stage1 (it is the slow, network-bound part).
# Environment: E2E_DISTRO_MIRROR (default http://deb.debian.org/debian),
# E2E_DISTRO_REBUILD=1 (ignore the cache).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

DISTRO_SUITE=bookworm
DISTRO_MIRROR=${E2E_DISTRO_MIRROR:-http://deb.debian.org/debian}
# What a Debian kdump user installs, and what kexec-qdh's package links
# (the guest has no network: dpkg -i must find its dependencies there).
# zstd and procps are what a standard installation has (initramfs-tools
# recommends zstd, its default compressor; kdump-config sets its sysctls
# with procps' sysctl).  The kernel comes last, in its own apt-get run.
DISTRO_PKGS="systemd-sysv udev initramfs-tools zstd procps kdump-tools
	makedumpfile kexec-tools libelf1 libjson-c5 libfdt1 zlib1g"
DISTRO_KERNEL_PKG=linux-image-ARCH
DISTRO_DISK_SIZE=2G
DISTRO_PART_OFFSET=$((2048 * 512))
# Units a test machine does not need at boot (timers, scrubbing, a login
# prompt on the serial console that would only print over the markers).
DISTRO_MASK="apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer
	e2scrub_all.timer e2scrub_reap.service fstrim.timer
	serial-getty@ttyS0.service serial-getty@ttyAMA0.service getty@tty1.service
	systemd-timesyncd.service"

distro_pkgs() { echo $DISTRO_PKGS $DISTRO_KERNEL_PKG | sed "s/ARCH/$1/g"; }

distro_hash() { sha256sum | cut -c1-16; }
distro_stage1_key() {	# ARCH
	printf '%s\n' "$DISTRO_SUITE" "$1" "$(distro_pkgs "$1")" "$DISTRO_MIRROR" \
		"$(declare -f distro_stage1)" | distro_hash
}
distro_image_key() {	# ARCH
	printf '%s\n' "$(distro_stage1_key "$1")" "$(cat "${BASH_SOURCE[0]}")" | distro_hash
}

# Run CMD in the chroot ROOT with /proc mounted (postinst scripts read it).
distro_chroot() {
	local root=$1 rc; shift
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc" || return 1
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" "$@"
	rc=$?
	umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
	return $rc
}

# Stage 1: debootstrap and the packages, into the tarball OUT.
#
# The initramfs configuration (conf.d/e2e-distro, modules): MODULES=list
# with the root disk's drivers.  Debian's default is MODULES=most for the
# main initramfs, and kdump-tools' hook turns "most" into MODULES=dep for
# its kdump initramfs; dep reads the running system's root device, which a
# chroot on the host does not have, so with the default the kdump
# initramfs could only be made in a first boot of the image under TCG
# (about 320 s of a loaded host's wall time, and again for every dpkg -i
# in the test).  kdump-tools takes "list" as it is ("netboot and list are
# expected to be already small enough"): both initramfs images are built
# here, natively, by their own tools, and stay small.  What is under test
# does not change: kdump-tools' own hook makes its own kdump initramfs,
# and the package makes it make it again.  update_initramfs=no: the main
# initramfs is made once, by the kernel's postinst (update-initramfs -c);
# no trigger makes it again (not under test; under TCG in the guest,
# dpkg -i of any package with initramfs-tools files would remake it,
# for 13+ minutes on a loaded host).  RESUME=none: a chroot sees the
# host's swap.  nvme: see distro_stage2.  force-unsafe-io only while
# building (dpkg's fsyncs); the image keeps Debian's dpkg settings.
distro_stage1() {	# ARCH OUT LOG
	local arch=$1 out=$2 log=$3 root kver
	root=$(mktemp -d "${out%/*}/root.XXXXXX")
	{
		debootstrap --variant=minbase --arch="$arch" "$DISTRO_SUITE" "$root" "$DISTRO_MIRROR" || return 1
		# before any package: no documentation, no recommends, no
		# service started in the chroot
		cat >"$root/etc/dpkg/dpkg.cfg.d/01-e2e-nodoc" <<'EOT'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOT
		echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/02-e2e-unsafe-io"
		echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/01-e2e-norecommends"
		printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
		chmod 755 "$root/usr/sbin/policy-rc.d"
		rm -rf "$root"/usr/share/doc/*/[!c]* "$root"/usr/share/man/* "$root"/usr/share/info/* \
			"$root"/usr/share/locale/*/
		distro_chroot "$root" apt-get -q update || return 1
		# shellcheck disable=SC2046
		distro_chroot "$root" apt-get -q -y install $(echo $DISTRO_PKGS) || return 1
		sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$root/etc/initramfs-tools/update-initramfs.conf"
		printf 'MODULES=list\nRESUME=none\n' >"$root/etc/initramfs-tools/conf.d/e2e-distro"
		printf '%s\n' nvme ext4 >>"$root/etc/initramfs-tools/modules"
		# the kernel: its postinst makes the main initramfs and runs
		# kdump-tools' hook, which makes the kdump initramfs
		distro_chroot "$root" apt-get -q -y install "$(echo $DISTRO_KERNEL_PKG | sed "s/ARCH/$arch/")" || return 1
		kver=$(ls "$root"/boot/vmlinuz-* | sed 's,.*/vmlinuz-,,' | head -n1)
		[ -s "$root/boot/initrd.img-$kver" ] || { echo "no /boot/initrd.img-$kver"; return 1; }
		[ -s "$root/var/lib/kdump/initrd.img-$kver" ] || { echo "kdump-tools' hook made no /var/lib/kdump/initrd.img-$kver"; return 1; }
		distro_chroot "$root" apt-get clean
		rm -f "$root/usr/sbin/policy-rc.d" "$root/etc/dpkg/dpkg.cfg.d/02-e2e-unsafe-io"
		rm -rf "$root"/var/lib/apt/lists/*_Packages "$root"/var/cache/apt/*.bin
		tar -C "$root" -cf "$out.tmp" . && mv "$out.tmp" "$out"
	} >"$log" 2>&1
	local rc=$?
	rm -rf --one-file-system "$root"
	return $rc
}

# Stage 2: the system settings, the disk image and its files for the host.
distro_stage2() {	# ARCH TARBALL DIR LOG
	local arch=$1 tar=$2 dir=$3 log=$4 root uuid u kver
	root=$(mktemp -d "$dir/root.XXXXXX")
	uuid=$(cat /proc/sys/kernel/random/uuid)
	{
		tar -C "$root" -xf "$tar" || return 1
		echo qdh-distro >"$root/etc/hostname"
		printf '127.0.0.1\tlocalhost\n127.0.1.1\tqdh-distro\n' >"$root/etc/hosts"
		printf 'UUID=%s\t/\text4\terrors=remount-ro\t0\t1\n' "$uuid" >"$root/etc/fstab"
		# a machine id, so that the first boot is not systemd's "first
		# boot" (presets applied to every unit)
		tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
		for u in $DISTRO_MASK; do ln -sf /dev/null "$root/etc/systemd/system/$u"; done
		# kdump-config's first load records the kdump sysctls its
		# initramfs was made with (latest_sysctls-VERSION) and, with no
		# record yet, makes the kdump initramfs again first: what the
		# kernel hook made in stage 1 is made with these very sysctls,
		# so record them, as that first load would.  The image is then
		# a system where kdump-tools has loaded before.
		kver=$(ls "$root"/boot/vmlinuz-* | sed 's,.*/vmlinuz-,,' | head -n1)
		cp "$root/etc/kdump/sysctl.conf" "$root/var/lib/kdump/latest_sysctls-$kver" || return 1
		# The journal in memory only: flushing a persistent journal to
		# the disk took 60 s of the crash kernel's boot (TCG, loaded
		# host).  The console keeps what the checks read.
		rm -rf "$root/var/log/journal"
		mkdir -p "$root/etc/systemd/journald.conf.d"
		printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/e2e-distro.conf"
		# (QEMU >= 8 puts each NVMe controller in a subsystem that reports
		# multi-controller, so the root disk is a native-multipath head
		# (/sys/devices/virtual/nvme-subsystem/...) with no PCI parent:
		# initramfs-tools' MODULES=dep, Debian's default for kdump-tools'
		# initramfs, then finds no driver for it and leaves nvme out (the
		# crash kernel never sees its root disk, with kexec-tools alone).
		# With MODULES=list, nvme is named in stage 1.)
		truncate -s "$DISTRO_DISK_SIZE" "$dir/disk.tmp"
		printf 'label: gpt\nlabel-id: 5eb1c0de-0000-4000-8000-000000000001\nstart=2048, type=linux, uuid=5eb1c0de-0000-4000-8000-000000000002, name=root\n' |
			sfdisk -q "$dir/disk.tmp" || return 1
		mkfs.ext4 -q -F -L root -U "$uuid" -E offset=$DISTRO_PART_OFFSET -d "$root" "$dir/disk.tmp" \
			$(( ($(stat -c %s "$dir/disk.tmp") - DISTRO_PART_OFFSET) / 1024 - 1024 ))k || return 1
		ls "$root"/boot/vmlinuz-* | sed 's,.*/vmlinuz-,,' | head -n1 >"$dir/kver"
	} >"$log" 2>&1
	local rc=$?
	rm -rf --one-file-system "$root"
	[ $rc -eq 0 ] || return $rc
	echo "$uuid" >"$dir/uuid"
}
