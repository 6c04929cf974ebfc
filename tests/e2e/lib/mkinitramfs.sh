# Build the guest initramfs images (bash; source it).
#   e2e_mkinitramfs ARCH OUTDIR
# needs e2e_fetch ARCH first.  Writes:
#   OUTDIR/crash.img   gzip cpio: busybox, kexec-tools + its libraries, our
#                      static binaries, modules, /init and the guest scripts.
#                      The crash (and kexec'd) kernel boots this one.
#   OUTDIR/first.img   crash.img followed by a plain cpio holding
#                      /boot/Image (the kernel itself) and /boot/initrd.img
#                      (= crash.img), so the first kernel can load both.
# Environment (optional):
#   E2E_BINDIR       directory with our static `qdh` and `kexec-qdh` for ARCH
#                    (copied to /usr/sbin when present)
#   E2E_MODULES      modules to load at boot (default: nvme virtio_net
#                    e1000e, plus virtio_pci on amd64); dependencies resolved
#                    from each module's .modinfo
#   E2E_EXTRA_FILES  "HOSTPATH:GUESTPATH ..." more files to put in the image
#   E2E_GUEST_CMD    a shell command the `exec` scenario runs in the guest
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Copy the dynamic ELF SRC to ROOT/DST with every library it needs, found
# in the unpacked packages of $E2E_ROOT (never the host's).
e2e_copy_elf() {	# e2e_copy_elf ARCH STAGING SRC DST
	local arch=$1 st=$2 src=$3 dst=$4 trip interp lib f want
	trip=$(e2e_triplet "$arch")
	mkdir -p "$st/${dst%/*}" "$st/lib/$trip"
	cp -L "$src" "$st/$dst"
	interp=$(readelf -l "$src" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ]; then
		mkdir -p "$st/${interp%/*}"
		for f in "$E2E_ROOT$interp" "$E2E_ROOT/lib/$trip/${interp##*/}" "$E2E_ROOT/usr/lib/$trip/${interp##*/}"; do
			[ -e "$f" ] && { cp -L "$f" "$st$interp"; break; }
		done
		[ -e "$st$interp" ] || e2e_die "$src: interpreter $interp not in the fetched packages"
	fi
	want=$(readelf -d "$src" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	while [ -n "$want" ]; do
		set -- $want; want=
		for lib in "$@"; do
			[ -e "$st/lib/$trip/$lib" ] && continue
			f=
			for f in "$E2E_ROOT/lib/$trip/$lib" "$E2E_ROOT/usr/lib/$trip/$lib"; do
				[ -e "$f" ] && break
			done
			[ -e "$f" ] || e2e_die "$src needs $lib: not in the fetched packages (add its package to E2E_USER_PKGS)"
			cp -L "$f" "$st/lib/$trip/$lib"
			want="$want $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')"
		done
	done
}

# Find a module file by name in $E2E_MODDIR ('-' and '_' are the same).
e2e_module_file() {
	local n=${1//-/_}
	find "$E2E_MODDIR/kernel" -name "$n.ko*" -o -name "${1//_/-}.ko*" | head -n1
}

# Put modules (and their depends=, depth first) into STAGING/lib/modules
# uncompressed, listed in load order in STAGING/lib/modules/load-order.
e2e_add_modules() {	# e2e_add_modules STAGING MODULE...
	local st=$1 m; shift
	mkdir -p "$st/lib/modules"
	: >"$st/lib/modules/load-order"
	for m in "$@"; do e2e_add_module "$st" "$m"; done
}
e2e_add_module() {
	local st=$1 m=${2//-/_} f d
	grep -qx "$m.ko" "$st/lib/modules/load-order" && return 0
	f=$(e2e_module_file "$m")
	[ -n "$f" ] || e2e_die "module $m not found under $E2E_MODDIR"
	for d in $(modinfo -F depends "$f" | tr ',' ' '); do
		e2e_add_module "$st" "$d"
	done
	case $f in
	*.xz) xz -dc "$f" >"$st/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" >"$st/lib/modules/$m.ko" ;;
	*.gz) gzip -dc "$f" >"$st/lib/modules/$m.ko" ;;
	*) cp "$f" "$st/lib/modules/$m.ko" ;;
	esac
	echo "$m.ko" >>"$st/lib/modules/load-order"
}

# A newc cpio of directory DIR on stdout, owned by root, stable order.
e2e_cpio() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet); }

e2e_mkinitramfs() {
	local arch=$1 out=$2 st boot trip f spec mods
	trip=$(e2e_triplet "$arch")
	mkdir -p "$out"
	st=$(mktemp -d "$out/staging.XXXXXX")
	mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,run,tmp,mnt,e2e/scenarios,e2e/out}
	cp "$E2E_ROOT/bin/busybox" "$st/bin/busybox"
	ln -s busybox "$st/bin/sh"	# /init's interpreter, before --install
	e2e_copy_elf "$arch" "$st" "$E2E_ROOT/sbin/kexec" /sbin/kexec
	cp "$E2E_SRCDIR/tests/e2e/guest/init.sh" "$st/init"
	cp "$E2E_SRCDIR/tests/e2e/guest/lib.sh" "$st/e2e/lib.sh"
	for f in "$E2E_SRCDIR"/tests/e2e/guest/scenarios/*.sh; do
		cp "$f" "$st/e2e/scenarios/"
	done
	for f in qdh kexec-qdh; do
		if [ -n "${E2E_BINDIR:-}" ] && [ -x "$E2E_BINDIR/$f" ]; then
			cp "$E2E_BINDIR/$f" "$st/usr/sbin/$f"
			# debug info would only slow down the purgatory's hashing
			"$trip-strip" "$st/usr/sbin/$f" 2>/dev/null || true
		fi
	done
	# The crash-side integration scripts ship in these trees; the guest
	# runs them as kdump-tools or dracut would.
	for f in initramfs-tools dracut; do
		[ -d "$E2E_SRCDIR/$f" ] && cp -r "$E2E_SRCDIR/$f" "$st/e2e/$f"
	done
	mods=${E2E_MODULES:-nvme virtio_net e1000e}
	[ "$arch" = amd64 ] && [ -z "${E2E_MODULES:-}" ] && mods="virtio_pci $mods"
	e2e_add_modules "$st" $mods
	for spec in ${E2E_EXTRA_FILES:-}; do
		mkdir -p "$st/$(dirname "${spec#*:}")"
		cp -r "${spec%%:*}" "$st/${spec#*:}"
	done
	if [ -n "${E2E_GUEST_CMD:-}" ]; then
		printf '%s\n' "$E2E_GUEST_CMD" >"$st/e2e/cmd.sh"
	fi
	chmod 755 "$st/init" "$st/bin/busybox"
	e2e_cpio "$st" | gzip -n -6 >"$out/crash.img"

	# The first kernel also carries the kernel and the crash initramfs.
	boot=$(mktemp -d "$out/boot.XXXXXX")
	mkdir -p "$boot/boot"
	cp "$E2E_KERNEL" "$boot/boot/Image"
	cp "$out/crash.img" "$boot/boot/initrd.img"
	{
		cat "$out/crash.img"
		# an uncompressed cpio after a gzip one is only found at a
		# 4-byte aligned offset
		f=$(stat -c %s "$out/crash.img")
		head -c $(( (4 - f % 4) % 4 )) /dev/zero
		e2e_cpio "$boot"
	} >"$out/first.img"
	rm -rf "$st" "$boot"
}
