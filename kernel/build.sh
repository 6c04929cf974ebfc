#!/bin/bash
# Build the patched arm64 kernel of the e2e scenarios (doc/kernel.md).
#   kernel/build.sh            build (or reuse) it; prints its env file
#   kernel/build.sh --key      print the cache key only
#   kernel/build.sh --series DIR   write the complete series (0000-0NNN) to DIR
#
# 1. fetch: `apt-get download` Debian's linux-source-6.12 (the source with
#    Debian's patches) and linux-config-6.12:arm64 (its configs) into
#    $QDH_KERNEL_CACHE/debs, reused as they are (QDH_KERNEL_REFRESH=1
#    fetches the newest again);
# 2. key: source and config package versions, the series (patch 1
#    regenerated from lib/ and include/ by kernel/gen-codec-patch.sh), the
#    config inputs (kernel/mkconfig.sh, kernel/config/*), this script and
#    the cross compiler's version;
# 3. build, unless $QDH_KERNEL_CACHE/build-KEY/env exists: unpack the
#    source, apply the series with patch(1), write the config
#    (kernel/mkconfig.sh), `make Image modules` with ARCH=arm64
#    CROSS_COMPILE=aarch64-linux-gnu-, install Image, .config and the
#    modules (stripped) under build-KEY/, measure the build, remove the
#    tree (QDH_KERNEL_KEEP_TREE=1 keeps it).
# Environment: QDH_KERNEL_CACHE (default $E2E_CACHE/kernel, else
# ./kernel-cache), QDH_KERNEL_JOBS (default: the CPUs), QDH_KERNEL_NICE
# (default 10), QDH_BUILDDIR (a build tree, for a generated
# lib/crc32-table.h).  The env file sets QDH_KERNEL_IMAGE, QDH_KERNEL_KVER,
# QDH_KERNEL_MODDIR, QDH_KERNEL_CONFIG, QDH_KERNEL_BUILD_S (wall seconds of
# the build), QDH_KERNEL_CPU_S (user + system seconds) and QDH_KERNEL_KEY.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
cache=${QDH_KERNEL_CACHE:-${E2E_CACHE:+$E2E_CACHE/kernel}}
cache=${cache:-$PWD/kernel-cache}
jobs=${QDH_KERNEL_JOBS:-$(nproc)}
niceness=${QDH_KERNEL_NICE:-10}
cross=${CROSS_COMPILE:-aarch64-linux-gnu-}
src_pkg=linux-source-6.12
cfg_pkg=linux-config-6.12
debian_config=config.arm64_none_arm64

log() { printf 'kernel: %s\n' "$*" >&2; }
die() { printf 'kernel: error: %s\n' "$*" >&2; exit 1; }

# The complete series into DIR: the hand-written patches of
# kernel/patches with patch 1 regenerated from the project's codec.
write_series() {	# write_series DIR
	local dir=$1 n
	mkdir -p "$dir"
	rm -f "$dir"/*.patch
	n=$(ls "$here"/patches/0*.patch | grep -vc '/0000-')
	cp "$here"/patches/0*.patch "$dir/"
	rm -f "$dir"/0001-*.patch
	QDH_BUILDDIR=${QDH_BUILDDIR:-} "$here/gen-codec-patch.sh" "$top" \
		"$dir/0001-lib-qdh-import-the-QDH-handover-codec.patch" "$n"
}

newest_deb() {	# newest_deb PKG ARCH: path of the newest cached .deb
	ls "$cache/debs/$1"_*_"$2".deb 2>/dev/null | sort -V | tail -n1
}

fetch() {
	mkdir -p "$cache/debs"
	if [ "${QDH_KERNEL_REFRESH:-0}" = 1 ] || [ -z "$(newest_deb $src_pkg all)" ] ||
		[ -z "$(newest_deb $cfg_pkg arm64)" ]; then
		log "fetching $src_pkg and $cfg_pkg:arm64 with apt-get download"
		(cd "$cache/debs" && apt-get download -q "$src_pkg" "$cfg_pkg:arm64" 2>&1 |
			grep -v -e 'unsandboxed as root' -e '^Get:' -e '^Fetched' >&2) || true
	fi
	src_deb=$(newest_deb $src_pkg all)
	cfg_deb=$(newest_deb $cfg_pkg arm64)
	[ -n "$src_deb" ] || die "apt-get download $src_pkg failed (apt-get update? the bookworm security suite has it)"
	[ -n "$cfg_deb" ] || die "apt-get download $cfg_pkg:arm64 failed (scripts/install-deps.sh adds the arm64 architecture)"
	src_ver=$(dpkg-deb -f "$src_deb" Version)
	cfg_ver=$(dpkg-deb -f "$cfg_deb" Version)
}

compute_key() {
	local series=$1
	{
		echo "source $src_pkg $src_ver"
		echo "config $cfg_pkg $cfg_ver $debian_config"
		"${cross}gcc" --version | head -n1
		cat "$series"/*.patch "$here/mkconfig.sh" "$here"/config/* "$here/build.sh"
	} | sha256sum | cut -c1-16
}

build() {	# build OUT SERIES
	local out=$1 series=$2 tree t0 t1 p kver
	tree=$out/tree
	rm -rf "$tree"
	mkdir -p "$tree/obj"
	log "unpacking $src_pkg $src_ver"
	dpkg-deb --fsys-tarfile "$src_deb" |
		tar -xOf - ./usr/src/linux-source-6.12.tar.xz | xz -dc | tar -xf - -C "$tree"
	[ -d "$tree/linux-source-6.12" ] || die "$src_deb: no linux-source-6.12/ in its tarball"
	for p in "$series"/0*.patch; do
		case ${p##*/} in 0000-*) continue ;; esac
		patch -d "$tree/linux-source-6.12" -p1 -s --batch --forward <"$p" ||
			die "${p##*/} does not apply to $src_pkg $src_ver"
	done
	# checkpatch of the series: a gate (no error, no warning), and the
	# --strict checks recorded (patch 1 is shared C11 code: it uses the
	# C types, which --strict would have be u32 and friends)
	for p in "$series"/0*.patch; do
		case ${p##*/} in 0000-*) continue ;; esac
		for mode in plain strict; do
			printf '%s %s: %s\n' "${p##*/}" "$mode" "$(cd "$tree/linux-source-6.12" &&
				perl scripts/checkpatch.pl --no-color $([ $mode = strict ] && echo --strict) "$p" 2>/dev/null |
				sed -n 's/^total: //p')"
		done
	done >"$out/checkpatch.txt"
	grep ' plain: ' "$out/checkpatch.txt" | grep -v ': 0 errors, 0 warnings, ' >&2 &&
		die "checkpatch finds errors or warnings in the series ($out/checkpatch.txt)"
	dpkg-deb --fsys-tarfile "$cfg_deb" |
		tar -xOf - "./usr/src/linux-config-6.12/$debian_config.xz" | xz -dc >"$out/debian.config"
	CROSS_COMPILE=$cross "$here/mkconfig.sh" "$out/debian.config" \
		"$tree/linux-source-6.12" "$tree/obj" >&2
	log "building Image and modules with -j$jobs (nice $niceness); see $out/build.log"
	t0=$(date +%s)
	/usr/bin/time -f '%e %U %S' -o "$out/time" \
		nice -n "$niceness" make -C "$tree/linux-source-6.12" O="$tree/obj" \
		ARCH=arm64 CROSS_COMPILE="$cross" -j"$jobs" Image modules >"$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" >&2; die "kernel build failed (full log: $out/build.log)"; }
	t1=$(date +%s)
	make -s -C "$tree/linux-source-6.12" O="$tree/obj" ARCH=arm64 CROSS_COMPILE="$cross" \
		INSTALL_MOD_PATH="$out/mod" INSTALL_MOD_STRIP=1 modules_install >>"$out/build.log" 2>&1
	kver=$(cat "$tree/obj/include/config/kernel.release")
	cp "$tree/obj/arch/arm64/boot/Image" "$out/Image"
	cp "$tree/obj/.config" "$out/config"
	cp "$tree/obj/System.map" "$out/System.map"
	read -r wall user sys <"$out/time"
	cat >"$out/env.tmp" <<EOT
QDH_KERNEL_IMAGE='$out/Image'
QDH_KERNEL_KVER='$kver'
QDH_KERNEL_MODDIR='$out/mod/lib/modules/$kver'
QDH_KERNEL_CONFIG='$out/config'
QDH_KERNEL_BUILD_S='$((t1 - t0))'
QDH_KERNEL_CPU_S='$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", u + s + 0.5 }')'
QDH_KERNEL_KEY='${out##*/build-}'
QDH_KERNEL_SOURCE='$src_pkg $src_ver'
EOT
	mv "$out/env.tmp" "$out/env"
	log "built $kver in $((t1 - t0)) s wall, $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%d", u + s }') s CPU"
	[ "${QDH_KERNEL_KEEP_TREE:-0}" = 1 ] || rm -rf "$tree"
}

case ${1:-} in
--series)
	[ -n "${2:-}" ] || die "--series needs a directory"
	write_series "$2"
	exit 0
	;;
--key | "") ;;
*) die "unknown argument '$1' (none, --key or --series DIR)" ;;
esac

command -v "${cross}gcc" >/dev/null || die "${cross}gcc not found (scripts/install-deps.sh)"
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9
fetch
series=$(mktemp -d)
trap 'rm -rf "$series"' EXIT
write_series "$series"
key=$(compute_key "$series")
[ "${1:-}" = --key ] && { echo "$key"; exit 0; }
out=$cache/build-$key
if [ -f "$out/env" ]; then
	log "cached: $out"
else
	mkdir -p "$out"
	build "$out" "$series"
	mkdir -p "$out/series" && cp "$series"/*.patch "$out/series/"
fi
echo "$out/env"
