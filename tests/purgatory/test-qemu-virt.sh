#!/bin/sh
# The real purgatory image on an emulated machine: qemu-system-aarch64
# -M virt,iommu=smmuv3 -cpu max, bare metal, at EL1 and at EL2
# (virtualization=on).  mkvirt lays out purgatory (params patched by symbol,
# as the loader does), a 4 MiB "kernel", two blob copies and a stub "next
# kernel" that prints x0 and dumps the record; the record is then validated
# with the codec.  Also: a corrupted segment (records and boots) and
# halt-on-bad (does not boot).  Skipped without qemu-system-aarch64.
. "$top_srcdir/tests/common/tap.sh"
qemu=$(command -v qemu-system-aarch64) || skip_all "qemu-system-aarch64 not installed"
mkvirt="$top_builddir/tests/purgatory/mkvirt"
stub="$top_builddir/tests/purgatory/virt/stub"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run NAME MACHINE [build args]: boots, leaves the console in $tmp/NAME.out
run() {
	name=$1 machine=$2; shift 2
	mkdir -p "$tmp/$name"
	entry=$("$mkvirt" build "$tmp/$name" "$@") || return 1
	d="$tmp/$name"
	timeout -k 5 ${QDH_VIRT_TIMEOUT:-60} "$qemu" -M "$machine" -cpu max -m 256 \
		-nographic -no-reboot -monitor none -serial stdio \
		-device loader,file="$d/purgatory.bin",addr=0x41000000,force-raw=on \
		-device loader,file="$stub" \
		-device loader,file="$d/dump.bin",addr=0x41100800,force-raw=on \
		-device loader,file="$d/blob.bin",addr=0x41200004,force-raw=on \
		-device loader,file="$d/blob.bin",addr=0x41300000,force-raw=on \
		-device loader,file="$d/kernel.bin",addr=0x41400000,force-raw=on \
		-device loader,addr="$entry",cpu-num=0 \
		</dev/null >"$d.out" 2>&1
	tr -d '\r' <"$d.out" >"$d.txt"
}

has() { grep -q -- "$2" "$tmp/$1.txt"; }

qemu_major=$("$qemu" --version | sed -n '1s/.*version \([0-9]*\)\..*/\1/p')
: "${qemu_major:=0}"

for mode in el1:virt,iommu=smmuv3 el2:virt,iommu=smmuv3,virtualization=on; do
	n=${mode%%:*}
	run "$n" "${mode#*:}"
	has "$n" 'qdh-purgatory: 3 segments verified (sha2-ce) in [0-9]* us'
	ok $? "$n: 3 segments verified with the SHA-2 instructions"
	# GBPA's reset value is 0 on QEMU 7.2 and SHCFG=1 (0x1000) on 8.0+.
	has "$n" 'qdh-purgatory: smmu 0x9050000 CR0=0x0 GBPA=0x[0-9a-f]*.* gbpa-abort'
	ok $? "$n: disabled SMMUv3 with an active device: gbpa-abort"
	has "$n" 'qdh-purgatory: 2 record(s) written'
	ok $? "$n: both blob copies sealed"
	has "$n" 'QDH-STUB x0=0000000040000000'
	ok $? "$n: next kernel entered with x0 = params.dtb"
	hex=$(sed -n 's/^QDH-DUMP //p' "$tmp/$n.txt")
	"$mkvirt" check "$hex" >"$tmp/$n.rec" 2>&1
	ok $? "$n: record in the 4-byte aligned copy passes qdh_check"
	grep -q '^flags=0x3$' "$tmp/$n.rec" && grep -q '^action=2$' "$tmp/$n.rec" &&
		grep -q '^before1=0x0 ' "$tmp/$n.rec" && ! grep -q '^freq=0$' "$tmp/$n.rec" &&
		! grep -q '^ticks=0$' "$tmp/$n.rec"
	ok $? "$n: record: ran + digest ok, gbpa-abort, CR0ACK 0, time and frequency"
	# QEMU models GBPA writes from 8.0 on: there ABORT (bit 20) must stick.
	if [ "$qemu_major" -ge 8 ]; then
		after=$(sed -n 's/^before2=0x[0-9a-f]* after2=\(0x[0-9a-f]*\)$/\1/p' "$tmp/$n.rec")
		[ -n "$after" ] && [ $(( after & 0x100000 )) -ne 0 ]
		ok $? "$n: GBPA.ABORT is set in the SMMU afterwards (GBPA=$after)"
	else
		ok 0 "$n: GBPA.ABORT readback # SKIP QEMU $qemu_major < 8.0 ignores GBPA writes"
	fi
	grep -E 'qdh-purgatory|^(ticks|freq)=' "$tmp/$n.txt" "$tmp/$n.rec" | sed 's/^/# /'
done

run bad virt,iommu=smmuv3 corrupt
has bad 'DIGEST MISMATCH in segment 0' && has bad 'QDH-STUB x0='
ok $? "corrupted kernel segment: mismatch reported, still boots (default)"
"$mkvirt" check "$(sed -n 's/^QDH-DUMP //p' "$tmp/bad.txt")" >"$tmp/bad.rec" 2>&1 &&
	grep -q '^flags=0x5$' "$tmp/bad.rec" && grep -q '^bad_segment=0$' "$tmp/bad.rec"
ok $? "corrupted kernel segment: record says digest bad, segment 0"

QDH_VIRT_TIMEOUT=6 run halt virt,iommu=smmuv3 corrupt halt
has halt 'halting' && ! has halt 'QDH-STUB'
ok $? "halt-on-bad: halts instead of entering the next kernel"
done_testing
