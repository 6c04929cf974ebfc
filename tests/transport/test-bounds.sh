#!/bin/sh
# Bounded containers (issue 13 item 2): crafted files of up to 64 MiB,
# generated here (tests/transport/hostile.c), go through every reader that
# takes them -- `qdh inspect`, `qdh apply --vmcore` (the crash side's ELF
# reader on a file descriptor), the loader's kernel gunzip -- and each run
# must end (refused or read) in under a second of CPU time and under
# 64 MiB of peak RSS (doc/security.md, "Bounds"); wall time is printed and
# held to 10 s (a shared machine).  Under ASan+UBSan the CPU budget is 10 s
# and memory unchecked (the sanitizer's own overhead); the runs must still
# end with a clean exit code.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
KQ=$top_builddir/kexec-qdh
H=$top_builddir/tests/transport/hostile
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$H" ] && [ -x "$FX" ] && [ -x "$KQ" ] || skip_all "tools not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-bounds-XXXXXX")
trap 'rm -rf "$T"' EXIT

MS=1000
WALL=10000
KIB=65536
if grep -q __asan_init "$QDH" 2>/dev/null; then
	MS=10000
	WALL=60000
	KIB=
fi
MIB=1048576

# within DESC EXITS CMD...: run CMD under the budget; EXITS lists the exit
# codes that count as a clean end (no crash, no signal).
within() {
	desc=$1 exits=$2
	shift 2
	set -- $("$H" measure "$@")
	wall=$1 cpu=$2 kib=$3 rc=$4
	r=0
	case " $exits " in *" $rc "*) ;; *) r=1 ;; esac
	[ "$cpu" -lt "$MS" ] && [ "$wall" -lt "$WALL" ] || r=1
	[ -z "$KIB" ] || [ "$kib" -lt "$KIB" ] || r=1
	ok $r "$desc: cpu ${cpu} ms (wall ${wall} ms), ${kib} KiB, exit $rc"
}

gen() {	# gen KIND SIZE -> $T/KIND
	"$H" gen "$1" "$T/$1" "$2" || { echo "Bail out! hostile gen $1"; exit 1; }
}

# A crash-side sysroot whose only handover source is the --vmcore file.
sh "$top_srcdir/tests/apply/mksysroot.sh" "$T/r" "$FX" > /dev/null 2>&1 ||
	{ echo "Bail out! mksysroot"; exit 1; }
# (word-split on purpose: $T has no spaces, mktemp made it)
APPLY="$QDH apply --sysroot $T/r --dry-run --no-report --ignore-source=chosen --ignore-source=initrd --vmcore"

# --- ELF: the note reader -----------------------------------------------
gen elf-note-outside $((16 * MIB))
within "16 MiB core, PT_NOTE outside the file: qdh inspect" "1" "$QDH" inspect "$T/elf-note-outside"
within "16 MiB core, PT_NOTE outside the file: qdh apply --vmcore" "1" $APPLY "$T/elf-note-outside"
rm -f "$T/elf-note-outside"
gen elf-note-outside $((64 * MIB))
within "64 MiB core, PT_NOTE outside the file: qdh apply --vmcore" "1" $APPLY "$T/elf-note-outside"
within "64 MiB core, PT_NOTE outside the file: qdh inspect" "1" "$QDH" inspect "$T/elf-note-outside"
rm -f "$T/elf-note-outside"

gen elf-phdrs $((2 * MIB))
within "2 MiB of PT_NOTE headers over one note area: qdh inspect" "1" "$QDH" inspect "$T/elf-phdrs"
within "2 MiB of PT_NOTE headers over one note area: qdh apply --vmcore" "1" $APPLY "$T/elf-phdrs"
gen elf-phdrs $((64 * MIB))
within "64 MiB of PT_NOTE headers (extended numbering): qdh inspect" "1" "$QDH" inspect "$T/elf-phdrs"
within "64 MiB of PT_NOTE headers (extended numbering): qdh apply --vmcore" "1" $APPLY "$T/elf-phdrs"
rm -f "$T/elf-phdrs"

gen elf-sections $((64 * MIB))
within "64 MiB of SHT_NOTE section headers: qdh inspect" "1" "$QDH" inspect "$T/elf-sections"
rm -f "$T/elf-sections"

gen elf-big-note $((64 * MIB))
within "one 64 MiB PT_NOTE of tiny notes: qdh inspect" "1" "$QDH" inspect "$T/elf-big-note"
within "one 64 MiB PT_NOTE of tiny notes: qdh apply --vmcore" "1" $APPLY "$T/elf-big-note"
rm -f "$T/elf-big-note"

# --- initrd: the cpio scanner ---------------------------------------------
for k in initrd-dense initrd-chain initrd-misaligned; do
	gen $k $((64 * MIB))
	within "64 MiB $k: qdh inspect" "1" "$QDH" inspect "$T/$k"
	rm -f "$T/$k"
done

# --- DTB and raw blobs ------------------------------------------------------
gen dtb-big $((64 * MIB))
within "64 MiB device tree: qdh inspect" "1" "$QDH" inspect "$T/dtb-big"
rm -f "$T/dtb-big"
gen raw-big $((64 * MIB))
within "64 MiB file with the blob magic: qdh inspect" "1" "$QDH" inspect "$T/raw-big"
rm -f "$T/raw-big"

# --- the loader's one decompressor: an Image.gz bomb ---------------------------
# (the kernel is read before anything of the system: an empty sysroot does)
mkdir "$T/ld"
gen gzip-bomb $((1024 * MIB))
within "gzip'd Image of 1 GiB of zeros (header claims 1 GiB): kexec-qdh refuses" "1 2 255" \
	"$KQ" --sysroot "$T/ld" --dry-run "$T/out" -p "$T/gzip-bomb"

done_testing
