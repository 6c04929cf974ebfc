#!/bin/bash
# Boot a guest, run one shell command in it, get files back.
#   tests/e2e/run-cmd.sh [-a arm64|amd64] [-o OUTDIR] [-t TIMEOUT_S]
#                        [-k 'KERNEL ARGS'] [-f HOSTPATH:GUESTPATH]... 'COMMAND'
# COMMAND runs under busybox sh as root in the first kernel (no kexec),
# with our static qdh/kexec-qdh in /usr/sbin, kexec-tools' /sbin/kexec,
# modules loaded, cwd = $E2E_OUT (/e2e/out).  Everything it leaves in
# $E2E_OUT comes back into OUTDIR (default ./e2e-out); the console log is
# OUTDIR.log.  Exits with COMMAND's exit code (125 if the guest failed).
# Run from a configured build tree (or set E2E_BUILDDIR); reuses the
# package cache and builds the static binaries like `make e2e`.
# Example (sysfs/ACPI capture):
#   run-cmd.sh -a amd64 -o cap 'qdh capture -o $E2E_OUT/sys.tar'
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
. "$E2E_LIBDIR/fetch.sh"
. "$E2E_LIBDIR/mkinitramfs.sh"
. "$E2E_LIBDIR/boot.sh"
. "$E2E_LIBDIR/build.sh"

arch=arm64 outdir=./e2e-out tmo=300 kargs= extra=
while getopts a:o:t:k:f:h opt; do
	case $opt in
	a) arch=$OPTARG ;;
	o) outdir=$OPTARG ;;
	t) tmo=$OPTARG ;;
	k) kargs=$OPTARG ;;
	f) extra="$extra $OPTARG" ;;
	*) sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { sed -n '2,15s/^# \{0,1\}//p' "$0"; exit 2; }

( e2e_fetch "$arch" ) || exit 125
e2e_fetch "$arch"
E2E_BINDIR=$(e2e_build_bindir "$arch") ||
	e2e_log "warning: $arch build failed (see $E2E_BINDIR/e2e-build.log); packing what exists"
img=$(mktemp -d "${TMPDIR:-/tmp}/e2e-cmd.XXXXXX")
trap 'rm -rf "$img"' EXIT
export E2E_BINDIR
E2E_GUEST_CMD=$1 E2E_EXTRA_FILES=$extra e2e_mkinitramfs "$arch" "$img" || exit 125

mkdir -p "$outdir"
log=${outdir%/}.log
e2e_boot "$arch" "$E2E_KERNEL" "$img/first.img" "$log" "$tmo" "qdh.scenario=exec $kargs"
rc=$?
[ $rc -eq 0 ] || { e2e_log "QEMU exited $rc (124: timeout); console in $log"; exit 125; }
e2e_extract_files "$log" "$outdir" || { e2e_log "no files came back; console in $log"; exit 125; }
crc=$(e2e_marker "$log" cmd_rc) || { e2e_log "command did not finish; console in $log"; exit 125; }
exit "$crc"
