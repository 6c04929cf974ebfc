#!/bin/sh
# Real-kernel captures (README.md): `qdh scan` of each replayed capture must
# agree with what the guest kernel itself showed at capture time
# (guest-view.txt), device by device; `qdh scan --encode` must give a blob
# `qdh inspect` accepts, with the same content.  compare.py does the
# comparison; it must also catch a guest view that disagrees.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
here=$top_srcdir/tests/scan/captures
command -v python3 >/dev/null || skip_all "python3 needed for the comparison"
command -v tar >/dev/null || skip_all "tar needed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# guest, IOMMU type, base, firmware node (prefix) describing it
for g in arm64-virt-dt,smmuv3,0x9050000,/smmuv3@9050000 \
	arm64-virt-acpi,smmuv3,0x9050000,IORT@ \
	amd64-q35-dmar,vtd,0xfed90000,DMAR@ \
	arm64-virt-pcibridge,smmuv3,0x9050000,/smmuv3@9050000; do
	name=${g%%,*} g=${g#*,}
	itype=${g%%,*} g=${g#*,}
	ibase=${g%%,*} fw=${g#*,}
	root=$tmp/$name
	mkdir -p "$root"
	gzip -dc "$here/$name/cap.tar.gz" | tar -xf - -C "$root"
	ok $? "$name: the capture unpacks"
	"$QDH" scan --sysroot "$root" --json >"$tmp/$name.json"
	ok $? "$name: qdh scan --json exits 0"
	"$QDH" scan --sysroot "$root" --encode "$tmp/$name.qdh" >/dev/null &&
		"$QDH" inspect "$tmp/$name.qdh" >/dev/null &&
		"$QDH" inspect --json "$tmp/$name.qdh" >"$tmp/$name.inspect.json"
	ok $? "$name: qdh scan --encode writes a blob qdh inspect validates"
	trace=
	[ -f "$here/$name/smmu-trace.txt" ] && trace="--smmu-trace $here/$name/smmu-trace.txt"
	# shellcheck disable=SC2086
	python3 "$here/compare.py" "$here/$name/guest-view.txt" "$tmp/$name.json" \
		--iommu-type "$itype" --iommu-base "$ibase" --fw-node "$fw" \
		--blob "$tmp/$name.inspect.json" $trace >"$tmp/$name.cmp"
	echo "# $name: compare.py exit $?"
	tap_checks "$name" <"$tmp/$name.cmp"	# a redirection, no subshell: counts stay
done

# The comparison can fail: a guest view edited in one place each time must
# be caught (the scan is the real one of the DT capture).
v=$here/arm64-virt-dt/guest-view.txt
s=$tmp/arm64-virt-dt.json
mutate() {	# mutate DESCRIPTION SED-SCRIPT
	sed "$2" "$v" >"$tmp/mutant.txt"
	! cmp -s "$v" "$tmp/mutant.txt" &&
		! python3 "$here/compare.py" "$tmp/mutant.txt" "$s" \
			--iommu-type smmuv3 --iommu-base 0x9050000 \
			--fw-node /smmuv3@9050000 >/dev/null
	ok $? "a guest view with $1 is caught"
}
mutate "another driver" '/^pci 0000:00:03.0 /s/driver=e1000e/driver=igb/'
mutate "bus master on for the quiesced device" '/^pci 0000:00:05.0 /s/bm=0/bm=1/'
mutate "another iommu group" '/^pci 0000:01:00.0 /s/group=0 /group=7 /'
mutate "another group type" '/^pci 0000:00:02.0 /s/type=DMA /type=identity /'
mutate "a function the scan misses" '$a\
pci 0000:00:06.0 vendor=0x8086 device=0x10d3 class=0x020000 driver=e1000e group=5 type=DMA cmd=0x0406 bm=1 power=D0 iommu=smmu3.0x0000000009050000'
mutate "a function less" '/^pci 0000:00:03.0 /d'
mutate "no iommu link" '/^pci 0000:00:02.0 /s/iommu=smmu3[^ ]*/iommu=-/'
# and a scan whose verdict is wrong for what the guest showed
sed 's/"state": *"quiesced"/"state":"active"/' "$s" >"$tmp/bad.json"
! python3 "$here/compare.py" "$v" "$tmp/bad.json" --iommu-type smmuv3 \
	--iommu-base 0x9050000 --fw-node /smmuv3@9050000 >/dev/null
ok $? "a scan calling the quiesced device active is caught"
! python3 "$here/compare.py" "$v" "$s" --iommu-type vtd \
	--iommu-base 0xfed90000 --fw-node DMAR@ >/dev/null
ok $? "the wrong IOMMU expectation is caught"
! python3 "$here/compare.py" "$v" "$s" --iommu-type smmuv3 \
	--iommu-base 0x9050000 --fw-node IORT@ >/dev/null
ok $? "an SMMU from the wrong firmware description is caught"

# The DMA alias capture: the kernel's own alias list and the SMMU's trace
# must each catch a scan without the bridge alias (what qdh reported before
# it knew DMA aliases), and their own edits.
pv=$here/arm64-virt-pcibridge/guest-view.txt
pt=$here/arm64-virt-pcibridge/smmu-trace.txt
ps=$tmp/arm64-virt-pcibridge.json
pcmp() {	# pcmp VIEW SCAN TRACE: compare.py's exit
	python3 "$here/compare.py" "$1" "$2" --iommu-type smmuv3 --iommu-base 0x9050000 \
		--fw-node /smmuv3@9050000 --smmu-trace "$3" >"$tmp/p.cmp"
}
python3 - "$ps" "$tmp/noalias.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for d in s["devices"]:
    if d["id"] == "0000:02:01.0":
        d["stream_ids"], d["dma_aliases"] = [0x208], [0x208]
json.dump(s, open(sys.argv[2], "w"))
EOF
! pcmp "$pv" "$tmp/noalias.json" "$pt" && grep -q "^FAIL 0000:02:01.0 StreamIDs as the kernel" "$tmp/p.cmp"
ok $? "a scan giving 02:01.0 only its own ID is caught by the kernel's alias list"
grep -q "^FAIL StreamID 0x200 the SMMU translated belongs to a scanned function" "$tmp/p.cmp" &&
	grep -q "^FAIL 0000:02:01.0, which the guest made do DMA" "$tmp/p.cmp"
ok $? "...and by the SMMU's trace (0x200 translated, owned by nobody)"
sed 's/^dmaalias 0000:02:01.0 .*/dmaalias 0000:02:01.0 0x208:0x208/' "$pv" >"$tmp/pv1"
! pcmp "$tmp/pv1" "$ps" "$pt"
ok $? "a kernel alias list without 0x200 is caught"
sed 's/^dmaalias 0000:02:01.0 .*/dmaalias 0000:02:01.0 0x200:0x200,0x208:0x208/' "$pv" >"$tmp/pv2"
! pcmp "$tmp/pv2" "$ps" "$pt"
ok $? "the kernel's order (own ID first) is checked"
printf 'translate sid=0x300 count=1\n' >>"$tmp/pt1" && cat "$pt" >>"$tmp/pt1"
! pcmp "$pv" "$ps" "$tmp/pt1"
ok $? "a translated StreamID no function has is caught"
sed '/^dmafrom /d' "$pv" >"$tmp/pv3" && grep -v "sid=0x200 " "$pt" >"$tmp/pt2"
pcmp "$tmp/pv3" "$ps" "$tmp/pt2"
ok $? "(control: without the DMA source and its StreamID the rest still agrees)"

# The guests have busybox tar, which refuses GNU tar's options: qdh capture
# must still write the tarball (it fell over there before).  A tar that
# rejects every long option stands in for it; the recapture of the DT
# replay must scan the same.
real_tar=$(command -v tar)
mkdir -p "$tmp/bin"
cat >"$tmp/bin/tar" <<EOF
#!/bin/sh
for a in "\$@"; do case \$a in --*) echo "tar: unrecognized option '\$a'" >&2; exit 1 ;; esac; done
exec "$real_tar" "\$@"
EOF
chmod +x "$tmp/bin/tar"
PATH="$tmp/bin:$PATH" "$QDH" capture --sysroot "$tmp/arm64-virt-dt" -o "$tmp/re.tar" 2>"$tmp/re.err"
ok $? "qdh capture works with a tar that knows no GNU options"
mkdir "$tmp/re" && tar -xf "$tmp/re.tar" -C "$tmp/re" &&
	"$QDH" scan --sysroot "$tmp/re" --json >"$tmp/re.json" && cmp -s "$s" "$tmp/re.json"
ok $? "that recapture scans the same"

done_testing
