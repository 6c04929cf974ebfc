#!/bin/sh
# kexec-qdh --dry-run on a fixture arm64 sysroot: the segments a kernel
# would get, checked with dtc, readelf and loader-check.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
command -v "$READELF" >/dev/null 2>&1 || skip_all "readelf not found"

make_sysroot "$T/root"
make_image "$T/Image"
head -c 100000 /dev/urandom > "$T/initrd"

skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP $1"; }

# --- kdump load --------------------------------------------------------------
"$KQ" --dry-run "$T/p" -p "$T/Image" --initrd "$T/initrd" \
	--append "console=ttyAMA0 maxcpus=1 reset_devices" --sysroot "$T/root" \
	2> "$T/p.err"
ok $? "-p --dry-run exits 0"
cat "$T/p.err" | sed 's/^/# /'
for f in manifest.json kernel.bin initrd.bin dtb.bin elfcorehdr.bin purgatory.bin; do
	test -s "$T/p/$f"; ok $? "-p writes $f"
done
run_ok "segment SHA-256s match the files and the purgatory params" "$CHECK" sha "$T/p"
run_ok "placement: inside the crash region, 2 MiB kernel, DTB rules" \
	"$CHECK" place "$T/p" $CRASH_LO $CRASH_HI
run_ok "DTB /chosen: bootargs, initrd, elfcorehdr, usable-memory-range, seeds" \
	"$CHECK" dtb "$T/p" $CRASH_LO $CRASH_HI

"$DTC" -q -I dtb -O dts -o "$T/p.dts" "$T/p/dtb.bin"
ok $? "dtc reads the DTB segment"
for prop in 'bootargs = "console=ttyAMA0 maxcpus=1 reset_devices"' \
	    'linux,elfcorehdr = ' 'linux,usable-memory-range = <0x00 0xa8000000 0x00 0x10000000>' \
	    'linux,initrd-start' 'linux,initrd-end' 'kaslr-seed' 'rng-seed'; do
	grep -qF "$prop" "$T/p.dts"; ok $? "dtc shows $prop"
done
! grep -q '0x12345000' "$T/p.dts"; ok $? "stale linux,elfcorehdr of the running DT is gone"

"$READELF" -l -W "$T/p/elfcorehdr.bin" > "$T/p.phdrs" 2>&1
ok $? "readelf -l reads the elfcorehdr"
grep -q 'Elf file type is CORE' "$T/p.phdrs"; ok $? "elfcorehdr is ET_CORE"
n=$(grep -c '^ *NOTE ' "$T/p.phdrs")
blob=0; grep -q '"blob":{' "$T/p/manifest.json" && blob=1
# 2 CPUs + vmcoreinfo (+ the QDH note when there is a blob)
[ "$n" -eq $((3 + blob)) ]; ok $? "PT_NOTEs: one per CPU, vmcoreinfo, QDH if a blob ($n)"
grep -qE 'NOTE +0xbfe0a000 .* 0x0+bfe0a000 0x0001a8 0x0001a8' "$T/p.phdrs"
ok $? "cpu0 crash_notes PT_NOTE at its physical address"
grep -qE 'LOAD +0x40000000 .* 0x68000000 0x68000000' "$T/p.phdrs"
ok $? "PT_LOAD for RAM below the crash region"
grep -qE 'LOAD +0xb8000000 .* 0x8000000 0x8000000' "$T/p.phdrs"
ok $? "PT_LOAD for RAM above the crash region"
! grep -qE 'LOAD +0xa[89ab]' "$T/p.phdrs"; ok $? "no PT_LOAD inside the crash region"

if [ "$blob" = 1 ]; then
	run_ok "params.blob[] point at the blob in the DTB and the ELF note" "$CHECK" blobs "$T/p"
	grep -q 'kexec-qdh,handover' "$T/p.dts"; ok $? "dtc shows kexec-qdh,handover"
	"$READELF" -n "$T/p/elfcorehdr-view.elf" > "$T/p.notes" 2>&1
	grep -qE '^ +QDH +0x' "$T/p.notes"; ok $? "readelf -n shows the QDH note"
else
	skip "no inventory in this build: blob checks"
	skip "no inventory in this build: kexec-qdh,handover"
	skip "no inventory in this build: readelf -n QDH note"
fi

# --- normal kexec load ---------------------------------------------------------
"$KQ" --dry-run "$T/l" -l "$T/Image" --sysroot "$T/root" 2> "$T/l.err"
ok $? "-l --dry-run exits 0"
run_ok "-l placement inside System RAM" "$CHECK" place "$T/l" 0x40000000 0xbfffffff
grep -q '"name":"kernel",' "$T/l/manifest.json" && ! test -e "$T/l/elfcorehdr.bin"
ok $? "-l has no elfcorehdr"
kmem=$(sed -n '/"name":"kernel"/,/mem/s/.*"mem":"\(0x[0-9a-f]*\)".*/\1/p' "$T/l/manifest.json" | head -1)
[ "$kmem" = 0x40200000 ]; ok $? "-l kernel at the lowest free 2 MiB base ($kmem)"
"$DTC" -q -I dtb -O dts -o "$T/l.dts" "$T/l/dtb.bin"
grep -qF 'bootargs = "console=ttyAMA0 earlycon crashkernel=256M panic=-1"' "$T/l.dts"
ok $? "-l without a command line keeps the DT's bootargs"
! grep -qE 'linux,(elfcorehdr|usable-memory-range|initrd-start)' "$T/l.dts"
ok $? "-l removes stale crash and initrd properties"

# --- command line and compressed kernels --------------------------------------
"$KQ" --dry-run "$T/r" -p "$T/Image" --reuse-cmdline --append "maxcpus=1" \
	--sysroot "$T/root" 2>/dev/null
grep -q '"cmdline":"console=ttyAMA0 root=/dev/vda maxcpus=1"' "$T/r/manifest.json"
ok $? "--reuse-cmdline drops BOOT_IMAGE and crashkernel for -p, then appends"
gzip -9 -c "$T/Image" > "$T/Image.gz"
"$KQ" --dry-run "$T/z" -p "$T/Image.gz" --sysroot "$T/root" 2>/dev/null
cmp -s "$T/z/kernel.bin" "$T/Image"; ok $? "Image.gz is loaded decompressed"
"$KQ" --dry-run "$T/i" -p -i "$T/Image" --sysroot "$T/root" 2>/dev/null
grep -q '"nsegments":0' "$T/i/manifest.json" && grep -q '"flags":"0x[02]"' "$T/i/manifest.json"
ok $? "-i: no digests, VERIFY flag off"
"$KQ" --dry-run "$T/d" -p "$T/Image" --dtb "$T/root/sys/firmware/fdt" --sysroot "$T/root" 2>/dev/null
ok $? "--dtb FILE is accepted"
done_testing
