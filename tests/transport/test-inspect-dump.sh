#!/bin/sh
# `qdh inspect` on the dump makedumpfile saved (issue 11 item 4: does the
# QDH note survive makedumpfile?): kdump-tools' `makedumpfile -F -c -d 31`
# stream and the kdump-compressed file, made here by the real makedumpfile
# from a synthetic vmcore when it is installed, and committed as made by
# makedumpfile 1.7.2 (tests/transport/dumps, regen-dumps.sh); every layout
# makedumpfile writes (32/64-bit, both byte orders) and stream orders
# crafted from the documented formats; faults with their byte offsets; and
# crafted 64 MiB streams within a second and 64 MiB (doc/security.md).
. "$top_srcdir/tests/common/tap.sh"

qdh=$top_builddir/qdh
mk=$top_builddir/tests/transport/mkdump
dumps=$top_srcdir/tests/transport/dumps
golden=$top_srcdir/tests/lib/golden
[ -x "$qdh" ] && [ -x "$mk" ] || skip_all "tools not built"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qdh-dump-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# Text output minus its first line (which names the file and container).
body() { "$qdh" inspect "$1" | tail -n +2; }
# same BLOB FILE CONTAINER DESC: FILE shows the blob as the raw file does.
same() {
	"$qdh" inspect "$2" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	head -1 "$tmp/out" | grep -q ": $3 container, QDH blob of $(stat -c %s "$1") bytes at byte [0-9]*\$" &&
		tail -n +2 "$tmp/out" | cmp -s - "$tmp/raw.txt" && [ $rc -eq 0 ]
	r=$?
	ok $r "$4"
	[ $r -eq 0 ] || { echo "# exit $rc"; sed 's/^/#   /' "$tmp/err" "$tmp/out" | head -5; }
}
# expect CODE PATTERN DESC FILE: exit code and the one stderr line.
expect() {
	"$qdh" inspect "$4" >/dev/null 2>"$tmp/err"
	rc=$?
	[ $rc -eq "$1" ] && grep -Eq -- "$2" "$tmp/err" && [ "$(wc -l <"$tmp/err")" -eq 1 ]
	r=$?
	ok $r "$3"
	[ $r -eq 0 ] || { echo "# exit $rc, want $1; stderr:"; sed 's/^/#   /' "$tmp/err"; }
}
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }

blob=$golden/x86-q35-vtd.qdh
body "$blob" >"$tmp/raw.txt"

# --- makedumpfile 1.7.2's own output, committed -------------------------------
for f in "$dumps"/makedumpfile-*.gz; do
	n=$(basename "$f" .gz)
	gunzip -c "$f" >"$tmp/$n"
	case $n in
	*-noqdh.flat)
		expect 1 "$n: no QDH blob in kdump-flat: no QDH note in the dump's notes \(makedumpfile kept 2 notes: CORE, VMCOREINFO\) \(at byte [0-9]+\)$" \
			"$n: says the note did not survive, and which notes did" "$tmp/$n" ;;
	*.flat) same "$blob" "$tmp/$n" kdump-flat "$n: the QDH note survived; same blob as the raw file" ;;
	*.kdump) same "$blob" "$tmp/$n" kdump "$n: the QDH note survived; same blob as the raw file" ;;
	esac
done
"$qdh" inspect --json "$tmp/makedumpfile-1.7.2-F-c-d31-noqdh.flat" >"$tmp/j"
[ $? -eq 1 ] && grep -q '"message":"no QDH blob in kdump-flat: no QDH note in the dump' "$tmp/j"
ok $? "--json: the missing note is a JSON error on stdout"
"$qdh" inspect --json "$tmp/makedumpfile-1.7.2-F-c-d31.flat" >"$tmp/j" &&
	grep -q '"type":"kdump-flat"' "$tmp/j"
ok $? "--json: container type kdump-flat"

# --- the real makedumpfile, when installed -------------------------------------
if command -v makedumpfile >/dev/null 2>&1; then
	for name in x86-q35-vtd arm64-virt-record; do
		b=$golden/$name.qdh
		body "$b" >"$tmp/raw.txt"
		"$mk" vmcore "$tmp/core" "$b"
		# kdump-tools 1.8.1: makedumpfile $MAKEDUMP_ARGS /proc/vmcore | compress
		# > dump.<stamp>, MAKEDUMP_ARGS "-F -c -d 31", compress = cat
		makedumpfile -F -c -d 31 "$tmp/core" 2>/dev/null | cat >"$tmp/dump.202501011200"
		same "$b" "$tmp/dump.202501011200" kdump-flat \
			"$name: kdump-tools' makedumpfile -F -c -d 31 | cat > dump.<stamp>"
		# (makedumpfile refuses to overwrite a file: a stale one would pass)
		rm -f "$tmp/c.kdump" "$tmp/r.kdump" "$tmp/l.kdump" "$tmp/E.elf"
		makedumpfile -c -d 31 "$tmp/core" "$tmp/c.kdump" >/dev/null 2>&1
		same "$b" "$tmp/c.kdump" kdump "$name: makedumpfile -c -d 31 (kdump-compressed)"
		makedumpfile -R "$tmp/r.kdump" <"$tmp/dump.202501011200" >/dev/null 2>&1
		same "$b" "$tmp/r.kdump" kdump "$name: the stream rearranged by makedumpfile -R"
		makedumpfile -l -d 1 "$tmp/core" "$tmp/l.kdump" >/dev/null 2>&1
		same "$b" "$tmp/l.kdump" kdump "$name: makedumpfile -l -d 1 (lzo)"
		makedumpfile -F -E -d 31 "$tmp/core" 2>/dev/null >"$tmp/E.flat"
		same "$b" "$tmp/E.flat" kdump-flat "$name: makedumpfile -F -E -d 31 (ELF in a stream)"
		makedumpfile -E -d 31 "$tmp/core" "$tmp/E.elf" >/dev/null 2>&1
		same "$b" "$tmp/E.elf" elf "$name: makedumpfile -E -d 31 (ELF)"
	done
	body "$blob" >"$tmp/raw.txt"
	"$mk" vmcore "$tmp/core" "$blob" 7
	makedumpfile -F -c -d 31 "$tmp/core" 2>/dev/null >"$tmp/t7.flat"
	expect 1 "no QDH note in the dump's notes \(makedumpfile kept 3 notes: CORE, VMCOREINFO, QDH \(type 7\)\)" \
		"a QDH note of another type is not ours, and is named" "$tmp/t7.flat"
	# a blob whose checksum is wrong: the container is fine, the blob is not
	cp "$blob" "$tmp/bad.qdh"
	poke "$tmp/bad.qdh" 40 '\377'
	"$mk" vmcore "$tmp/core" "$tmp/bad.qdh"
	makedumpfile -F -c -d 31 "$tmp/core" 2>/dev/null >"$tmp/bad.flat"
	expect 1 "invalid QDH blob \(kdump-flat container, blob at byte [0-9]+\): " \
		"a damaged blob in a real stream: invalid blob, with its offset" "$tmp/bad.flat"
else
	ok 0 "# SKIP makedumpfile not installed (the committed 1.7.2 dumps were checked)"
fi

# --- every layout makedumpfile writes, crafted ------------------------------------
for l in le64 be64 le32 be32 le32pad le32t64; do
	"$mk" kdump $l "$tmp/k.$l" "$blob"
	same "$blob" "$tmp/k.$l" kdump "kdump-compressed, layout $l"
	"$mk" flat plain "$tmp/k.$l" "$tmp/f.$l"
	same "$blob" "$tmp/f.$l" kdump-flat "flattened, layout $l"
done
"$mk" kdump v3 "$tmp/k.v3" "$blob"
expect 1 "no QDH blob in kdump: kdump header version 3 keeps no ELF notes .* \(at byte 8\)$" \
	"header version 3: no notes, said so at the version field" "$tmp/k.v3"

# --- stream orders: records anywhere, later ones win ------------------------------
k=$tmp/k.le64
for m in reverse bytes zeros-first noend; do
	"$mk" flat $m "$k" "$tmp/f.$m"
	same "$blob" "$tmp/f.$m" kdump-flat "flattened, $m"
done
"$mk" flat zeros-last "$k" "$tmp/f.zeros-last"
expect 1 "malformed kdump-flat: the flattened stream holds neither a kdump-compressed nor an ELF dump \(at byte [0-9]+\)$" \
	"flattened, header overwritten by later zeros: the later record wins" "$tmp/f.zeros-last"
"$mk" flat cut "$k" "$tmp/f.cut"
expect 1 "malformed kdump-flat: kdump note area \(dump offset 4200\): no flattened record holds these bytes \(the stream has no end marker: cut short\?\) \(at byte $(stat -c %s "$tmp/f.cut")\)$" \
	"flattened, cut inside the note area: where the stream ends" "$tmp/f.cut"
# the blob's offset in a stream is where its first byte is stored
off=$("$qdh" inspect "$tmp/f.bytes" | sed -n '1s/.* at byte \([0-9]*\)$/\1/p')
cmp -s -n 1 -i "$off:0" "$tmp/f.bytes" "$blob"
ok $? "flattened in 1-byte records: the reported offset holds the blob's first byte"

# --- faults, with the byte they are at ----------------------------------------------
cp "$tmp/f.le64" "$tmp/x"; poke "$tmp/x" 23 '\002'
expect 1 "malformed kdump-flat: flattened header of unknown type \(not 1\) \(at byte 16\)$" \
	"flattened header type 2" "$tmp/x"
cp "$tmp/f.le64" "$tmp/x"; poke "$tmp/x" 4096 '\200'
expect 1 "malformed kdump-flat: flattened record with a negative offset \(at byte 4096\)$" \
	"a record with a negative offset" "$tmp/x"
cp "$tmp/f.le64" "$tmp/x"; poke "$tmp/x" 4104 '\377'
expect 1 "malformed kdump-flat: flattened record with a negative size \(at byte 4104\)$" \
	"a record with a negative size" "$tmp/x"
cp "$k" "$tmp/x"; poke "$tmp/x" 429 '\001'
expect 1 "malformed kdump: kdump header: block_size is not a power of two .*\(at byte 428\)$" \
	"kdump block_size 4352" "$tmp/x"
cp "$k" "$tmp/x"; poke "$tmp/x" $((4096 + 48)) '\000\000\001'
expect 1 "malformed kdump: kdump sub-header: the note area .* not inside the sub-header blocks \(at byte 4144\)$" \
	"kdump offset_note past the sub-header blocks: at the field" "$tmp/x"
cp "$k" "$tmp/x"; poke "$tmp/x" 4200 '\377\377'
expect 1 "malformed kdump: note name overflows the note area \(at byte 4200\)$" \
	"a note whose name overflows: at the note" "$tmp/x"
"$mk" flat plain "$tmp/x" "$tmp/xf"
# (4 KiB records: dump byte 4200 is byte 104 of the second record, whose
# data starts at 4096 + 16 + 4096 + 16)
expect 1 "malformed kdump-flat: note name overflows the note area \(at byte 8328\)$" \
	"the same in a stream: at the note's byte in the stream file" "$tmp/xf"
head -c 4000 "$tmp/f.le64" >"$tmp/x"
expect 1 "malformed kdump-flat: flattened header truncated .*\(at byte 0\)$" \
	"a stream shorter than its header" "$tmp/x"

# --- bounds: crafted 64 MiB inputs -----------------------------------------------------
MS=1000 WALL=10000 KIB=65536
if grep -q __asan_init "$qdh" 2>/dev/null; then
	MS=10000 WALL=60000 KIB=	# the sanitizer's own cost; exit codes still count
fi
within() {	# within DESC FILE
	set -- "$1" $("$mk" measure "$qdh" inspect "$2")
	r=0
	[ "$5" -eq 1 ] && [ "$3" -lt "$MS" ] && [ "$2" -lt "$WALL" ] || r=1
	[ -z "$KIB" ] || [ "$4" -lt "$KIB" ] || r=1
	ok $r "$1: cpu $3 ms (wall $2 ms), $4 KiB, exit $5"
}
for h in flat-far flat-head flat-overlap flat-elf flat-bignote; do
	"$mk" hostile $h "$tmp/h" $((64 * 1048576)) || { echo "Bail out! mkdump hostile $h"; exit 1; }
	within "$h ($(($(stat -c %s "$tmp/h") / 1048576)) MiB)" "$tmp/h"
done
for h in bignote hugenote; do
	"$mk" kdump $h "$tmp/h" || { echo "Bail out! mkdump kdump $h"; exit 1; }
	within "kdump $h ($(($(stat -c %s "$tmp/h") / 1048576)) MiB)" "$tmp/h"
done
rm -f "$tmp/h"

done_testing
