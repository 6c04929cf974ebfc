#!/bin/sh
# Acceptance point 4 of issue 2: a blob placed in a DTB is shown by
# `dtc -I dtb -O dts`, in an ELF note by `readelf -n`, in an initrd
# appendix by `cpio`, and `qdh inspect` reads each back to the same blob
# as the raw file.
. "$top_srcdir/tests/common/tap.sh"

qdh="$top_builddir/qdh"
wrap="$top_builddir/tests/transport/qdh-wrap"
blobs="$top_srcdir/tests/lib/golden"
: "${DTC:=$(command -v dtc)}"
: "${READELF:=$(command -v readelf)}"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

# Text output minus its first line (which names the file and container).
body() { "$qdh" inspect "$1" | tail -n +2; }

for name in arm64-virt-record arm64-soc-platform x86-q35-vtd; do
	blob="$blobs/$name.qdh"
	body "$blob" >"$tmp/raw.txt"

	# --- DTB ---------------------------------------------------------------
	off=$("$wrap" dtb "$blob" "$tmp/$name.dtb")
	ok $? "$name: written into /chosen of a DTB (blob at byte $off)"
	if [ -n "$DTC" ] && [ -x "$DTC" ]; then
		"$DTC" -I dtb -O dts -o "$tmp/$name.dts" "$tmp/$name.dtb" 2>"$tmp/dtc.err"
		ok $? "$name: dtc decompiles the DTB"
		grep -q 'kexec-qdh,handover = <0x51444842 ' "$tmp/$name.dts"
		ok $? "$name: dtc shows /chosen/kexec-qdh,handover starting with QDHB"
		# Round trip through dtc: the property survives recompilation.
		"$DTC" -I dts -O dtb -o "$tmp/$name.re.dtb" "$tmp/$name.dts" 2>/dev/null
		body "$tmp/$name.re.dtb" | cmp -s - "$tmp/raw.txt"
		ok $? "$name: qdh inspect reads the dtc-recompiled DTB"
	else
		ok 0 "# SKIP dtc not installed"
	fi
	"$qdh" inspect "$tmp/$name.dtb" | head -1 | grep -q "dtb container, .* at byte $off\$"
	ok $? "$name: qdh inspect reports the DTB container and the data offset"
	body "$tmp/$name.dtb" | cmp -s - "$tmp/raw.txt"
	ok $? "$name: qdh inspect shows the same blob from the DTB"

	# --- ELF note -----------------------------------------------------------
	for kind in elf elf-sections; do
		off=$("$wrap" $kind "$blob" "$tmp/$name.$kind")
		ok $? "$name: written as an ELF note ($kind, blob at byte $off)"
		if [ -n "$READELF" ] && [ -x "$READELF" ]; then
			"$READELF" -n "$tmp/$name.$kind" >"$tmp/readelf.out" 2>&1
			ok $? "$name: readelf -n reads the notes ($kind)"
			grep -Eq '^ +QDH +0x[0-9a-f]+' "$tmp/readelf.out"
			ok $? "$name: readelf -n lists a note owned by QDH ($kind)"
			size=$(stat -c %s "$blob")
			grep -Eq "QDH +0x0*$(printf %x "$size")" "$tmp/readelf.out"
			ok $? "$name: readelf -n shows the blob size as data size ($kind)"
		else
			ok 0 "# SKIP readelf not installed"
		fi
		body "$tmp/$name.$kind" | cmp -s - "$tmp/raw.txt"
		ok $? "$name: qdh inspect shows the same blob from the ELF note ($kind)"
	done

	# --- initrd appendix behind a compressed cpio ----------------------------
	printf 'init\n' >"$tmp/init"
	(cd "$tmp" && echo init | cpio -o -H newc 2>/dev/null | gzip -9) >"$tmp/main.cpio.gz"
	off=$("$wrap" initrd "$blob" "$tmp/$name.initrd" "$tmp/main.cpio.gz")
	ok $? "$name: appended to a gzip'd initrd (blob at byte $off)"
	body "$tmp/$name.initrd" | cmp -s - "$tmp/raw.txt"
	ok $? "$name: qdh inspect shows the same blob from the initrd"
	"$wrap" initrd "$blob" "$tmp/app.cpio" >/dev/null
	mkdir -p "$tmp/x" && (cd "$tmp/x" && cpio -idm --quiet <"$tmp/app.cpio") 2>/dev/null
	cmp -s "$tmp/x/qdh/handover.qdh" "$blob"
	ok $? "$name: GNU cpio extracts qdh/handover.qdh identical to the blob"
	[ "$(stat -c %a "$tmp/x/qdh/handover.qdh")" = 400 ]
	ok $? "$name: extracted file has mode 0400"
	rm -rf "$tmp/x"
done

# JSON mode names the container and where the blob is.
off=$("$wrap" dtb "$blobs/empty.qdh" "$tmp/e.dtb")
"$qdh" inspect --json "$tmp/e.dtb" >"$tmp/e.json"
ok $? "empty blob in a DTB: --json exits 0"
grep -q '"type":"dtb"' "$tmp/e.json" && grep -q "\"blob_offset\":$off," "$tmp/e.json"
ok $? "--json container type and blob_offset"
done_testing
