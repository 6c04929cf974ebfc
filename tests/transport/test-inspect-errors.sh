#!/bin/sh
# `qdh inspect` on bad input: every exit code (0 valid, 1 invalid or no
# blob, 2 usage or I/O), one-line messages naming the file, the fault and
# the byte offset in the file (container offset + offset in the blob), and
# JSON errors on stdout with --json.
. "$top_srcdir/tests/common/tap.sh"

qdh="$top_builddir/qdh"
wrap="$top_builddir/tests/transport/qdh-wrap"
golden="$top_srcdir/tests/lib/golden/arm64-virt-record.qdh"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# poke FILE OFFSET OCTAL-ESCAPES: overwrite bytes in place.
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
# expect CODE PATTERN DESCRIPTION ARGS...: exit code, and stderr matching.
expect() {
	want=$1; pat=$2; d=$3; shift 3
	"$qdh" inspect "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	[ "$got" -eq "$want" ] && grep -Eq -- "$pat" "$tmp/err" &&
		[ "$(wc -l <"$tmp/err")" -le 1 ] || [ "$want" -eq 2 -a -z "$pat" ]
	r=$?
	ok $r "$d"
	[ $r -eq 0 ] || { echo "# exit $got, want $want; stderr:"; sed 's/^/#   /' "$tmp/err"; }
}

# --- usage and I/O: 2 ---------------------------------------------------------
"$qdh" inspect >/dev/null 2>&1
ok $(($? != 2)) "no FILE: exit 2"
"$qdh" inspect a b >/dev/null 2>&1
ok $(($? != 2)) "two FILEs: exit 2"
"$qdh" inspect --bogus "$golden" >/dev/null 2>&1
ok $(($? != 2)) "unknown option: exit 2"
"$qdh" inspect --help >"$tmp/out" 2>&1 && grep -q '^Usage: qdh inspect' "$tmp/out"
ok $? "--help: usage on stdout, exit 0"
expect 2 "$tmp/missing: cannot open: No such file" "missing file: exit 2, names the file" \
	"$tmp/missing"
expect 2 "$tmp: cannot open: a directory, not a regular file" "a directory: exit 2, says what it is" "$tmp"
"$qdh" inspect "$golden" >/dev/full 2>/dev/null
ok $(($? != 2)) "write error (stdout is /dev/full): exit 2"

# --- valid: 0 -------------------------------------------------------------------
"$qdh" inspect "$golden" >/dev/null
ok $? "valid raw blob: exit 0"

# --- invalid: 1, with the byte offset in the file ------------------------------
: >"$tmp/empty"
expect 1 "empty: unrecognised format: empty file \(at byte 0\)" "empty file: exit 1" "$tmp/empty"
printf 'hello world\n' >"$tmp/text"
expect 1 "text: unrecognised format: .*\(at byte 0\)$" "unknown format: exit 1" "$tmp/text"

cp "$golden" "$tmp/crc.qdh"; poke "$tmp/crc.qdh" 100 '\377'
expect 1 "crc.qdh: invalid QDH blob \(raw container, blob at byte 0\): .*crc32.*\(at byte 20\)$" \
	"checked byte flipped: crc32 fault at byte 20" "$tmp/crc.qdh"
head -c 200 "$golden" >"$tmp/short.qdh"
expect 1 "short.qdh: invalid QDH blob .*truncated.*\(at byte 200\)$" \
	"truncated raw blob: fault at its end" "$tmp/short.qdh"
cp "$golden" "$tmp/major.qdh"; poke "$tmp/major.qdh" 4 '\011'
expect 1 "major.qdh: invalid QDH blob .*\(at byte 4\)$" "unknown major version: byte 4" \
	"$tmp/major.qdh"

# A bad blob inside a container: offset = where the blob is + where in it.
off=$("$wrap" dtb "$golden" "$tmp/crc.dtb")
poke "$tmp/crc.dtb" $((off + 100)) '\377'
expect 1 "crc.dtb: invalid QDH blob \(dtb container, blob at byte $off\): .*\(at byte $((off + 20))\)$" \
	"corrupt blob in a DTB: file offset $((off + 20))" "$tmp/crc.dtb"
off=$("$wrap" elf "$golden" "$tmp/crc.elf")
poke "$tmp/crc.elf" $((off + 100)) '\377'
expect 1 "\(elf container, blob at byte $off\): .*\(at byte $((off + 20))\)$" \
	"corrupt blob in an ELF note: file offset $((off + 20))" "$tmp/crc.elf"
off=$("$wrap" initrd "$golden" "$tmp/crc.initrd")
poke "$tmp/crc.initrd" $((off + 100)) '\377'
expect 1 "\(initrd container, blob at byte $off\): .*\(at byte $((off + 20))\)$" \
	"corrupt blob in an initrd: file offset $((off + 20))" "$tmp/crc.initrd"

# Broken containers.
"$wrap" dtb "$golden" "$tmp/g.dtb" >/dev/null
head -c 300 "$tmp/g.dtb" >"$tmp/cut.dtb"
expect 1 "cut.dtb: malformed dtb: FDT truncated.*\(at byte 300\)$" "truncated DTB" "$tmp/cut.dtb"
cp "$tmp/g.dtb" "$tmp/struct.dtb"; poke "$tmp/struct.dtb" 59 '\167'  # first struct tag
expect 1 "struct.dtb: malformed dtb: FDT_ERR_BADSTRUCTURE \(at byte 56\)$" \
	"DTB with a broken structure block" "$tmp/struct.dtb"
printf '/dts-v1/;\n/ { chosen { bootargs = "x"; }; };\n' >"$tmp/none.dts"
if [ -n "$DTC" ] && "$DTC" -I dts -O dtb -o "$tmp/none.dtb" "$tmp/none.dts" 2>/dev/null; then
	expect 1 "none.dtb: no QDH blob in dtb: no /chosen/kexec-qdh,handover property" \
		"DTB without the property: exit 1" "$tmp/none.dtb"
else
	ok 0 "# SKIP dtc not installed"
fi

# ELF core from qdh-wrap: Ehdr (64), PT_LOAD phdr at 64, PT_NOTE phdr at
# 120 (p_offset at 128), notes at 176: CORE note first (descsz at 180).
"$wrap" elf "$golden" "$tmp/g.elf" >/dev/null
cp "$tmp/g.elf" "$tmp/phdr.elf"; poke "$tmp/phdr.elf" 128 '\377\377\377\377\377\377\377\177'
expect 1 "phdr.elf: malformed elf: ELF PT_NOTE outside the file .*\(at byte 128\)$" \
	"PT_NOTE p_offset beyond the file: at the p_offset field" "$tmp/phdr.elf"
cp "$tmp/g.elf" "$tmp/phoff.elf"; poke "$tmp/phoff.elf" 32 '\377\377\377\377'
expect 1 "phoff.elf: malformed elf: ELF program headers outside the file \(at byte 32\)$" \
	"e_phoff beyond the file: at e_phoff" "$tmp/phoff.elf"
cp "$tmp/g.elf" "$tmp/desc.elf"; poke "$tmp/desc.elf" 180 '\360\377\377\377'
expect 1 "desc.elf: malformed elf: note descriptor overflows .*\(at byte 180\)$" \
	"note descsz overflowing its PT_NOTE: at descsz" "$tmp/desc.elf"
cp "$tmp/g.elf" "$tmp/name.elf"; poke "$tmp/name.elf" 176 '\377\377\377\377'
expect 1 "name.elf: malformed elf: note name overflows .*\(at byte 176\)$" \
	"note namesz overflowing: at the note" "$tmp/name.elf"
head -c 150 "$tmp/g.elf" >"$tmp/cut.elf"
expect 1 "cut.elf: malformed elf: .*\(at byte (32|0)\)$" "truncated ELF" "$tmp/cut.elf"
cp "$tmp/g.elf" "$tmp/type.elf"
poke "$tmp/type.elf" $(($(stat -c %s "$golden") * 0 + 176 + 12 + 8 + 32 + 8)) '\002'
expect 1 "type.elf: no QDH blob in elf: no QDH note" "QDH note of another type: exit 1" \
	"$tmp/type.elf"

# initrd appendix.
off=$("$wrap" initrd "$golden" "$tmp/g.initrd")
cp "$tmp/g.initrd" "$tmp/hex.initrd"; poke "$tmp/hex.initrd" $((off - 48 + 3)) 'x'
expect 1 "hex.initrd: malformed initrd: bad hex digit in cpio header \(at byte $((off - 48 + 3))\)$" \
	"bad hex digit in the file's cpio header: at that byte" "$tmp/hex.initrd"
{ printf '\037\213\010\000\000'; cat "$tmp/g.initrd"; } >"$tmp/mis.initrd"
expect 1 "mis.initrd: malformed initrd: QDH cpio appendix not 4-byte aligned" \
	"appendix at a misaligned offset: exit 1" "$tmp/mis.initrd"
head -c $((off + 100)) "$tmp/g.initrd" >"$tmp/cut.initrd"
expect 1 "cut.initrd: malformed initrd: cpio file data beyond end of file" \
	"initrd cut inside the blob" "$tmp/cut.initrd"
printf '\037\213\010\000junkjunkjunk' >"$tmp/plain.initrd"
expect 1 "plain.initrd: no QDH blob in initrd" "initrd without appendix: exit 1" \
	"$tmp/plain.initrd"

# --- JSON mode: errors are JSON on stdout, nothing on stderr --------------------
"$qdh" inspect --json "$tmp/crc.qdh" >"$tmp/out" 2>"$tmp/err"
r=$?
[ $r -eq 1 ] && [ ! -s "$tmp/err" ] && grep -q '"error":{' "$tmp/out" &&
	grep -q '"offset":20,' "$tmp/out" && grep -q '"file":".*crc.qdh"' "$tmp/out"
ok $? "--json invalid: exit 1, error object with file and offset on stdout"
"$qdh" inspect --json "$tmp/missing" >"$tmp/out" 2>"$tmp/err"
r=$?
[ $r -eq 2 ] && [ ! -s "$tmp/err" ] && grep -q '"offset":null' "$tmp/out"
ok $? "--json missing file: exit 2, JSON error, offset null"
"$qdh" inspect --json >"$tmp/out" 2>"$tmp/err"
r=$?
[ $r -eq 2 ] && [ ! -s "$tmp/err" ] && grep -q '"message":"expected exactly one FILE"' "$tmp/out"
ok $? "--json usage error: exit 2, JSON error"

# Control characters in a file name come out escaped.
cp "$golden" "$tmp/$(printf 'a\033b')"
"$qdh" inspect "$tmp/$(printf 'a\033b')" | head -1 | grep -q 'a\\x1bb'
ok $? "file name with ESC is printed as \\x1b"

# A large ELF goes through the fd reader (headers and notes only).
cp "$tmp/g.elf" "$tmp/big.elf" && truncate -s 100M "$tmp/big.elf"
"$qdh" inspect "$tmp/big.elf" | tail -n +2 >"$tmp/big.txt" &&
	"$qdh" inspect "$golden" | tail -n +2 | cmp -s - "$tmp/big.txt"
ok $? "100 MiB ELF (fd reader): same blob as the raw file"

# A 20,000-entry cpio broken at its last header: the scanner must not walk
# the chain again from every header inside it (was 16 s, quadratic).
python3 - "$tmp/long.cpio" <<'PY'
import sys
def ent(name, data=b"", ino=1):
    n = name.encode() + b"\0"
    h = "070701" + "".join("%08X" % v for v in
                           [ino, 0o100644, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0])
    b = h.encode() + n
    b += b"\0" * (-len(b) % 4)
    return b + data + b"\0" * (-len(data) % 4)
bad = ent("broken")
bad = bad[:6] + b"ZZZZZZZZ" + bad[14:]
open(sys.argv[1], "wb").write(b"".join(ent("f%d" % i, b"x" * 7, i + 2) for i in range(20000)) + bad)
PY
timeout 5 "$qdh" inspect "$tmp/long.cpio" 2>"$tmp/long.err"
r=$?
[ $r -eq 1 ] && grep -q 'bad hex digit in cpio header (at byte 2520006)' "$tmp/long.err"
ok $? "20,000-entry cpio with a broken last header: exit 1 within 5 s, fault at its byte (exit $r)"
done_testing
