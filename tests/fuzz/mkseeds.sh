#!/bin/sh
# Regenerates the seed corpora under tests/fuzz/corpus/ from the project's
# own fixtures (golden blobs, dts files, captured ACPI tables and FDTs, the
# loader's iomem fixtures) plus a few hand-made inputs.  Run from a build
# tree after `make check` built the helpers:
#   sh $top_srcdir/tests/fuzz/mkseeds.sh $top_srcdir $top_builddir
# The output is committed; this script is how it was made.
set -eu
src=$1 bld=$2
out=$src/tests/fuzz/corpus
wrap=$bld/tests/transport/qdh-wrap
dtc=${DTC:-dtc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
for t in blob dtb elfnote initrd policy topo-iort topo-dmar topo-ivrs topo-fdt iommu-map iomem dump dumpconf apply decide; do
	rm -rf "${out:?}/$t"; mkdir -p "$out/$t"
done

# Blobs and their three containers: today's golden blobs (v1.1: wide PCI
# functions, a stream table, no-dump-target) and the frozen v1.0 ones.
for g in "$src"/tests/lib/golden/*.qdh "$src"/tests/lib/v1.0/golden/*.qdh; do
	n=$(basename "$g" .qdh)
	case $g in */v1.0/*) n=v1.0-$n ;; esac
	cp "$g" "$out/blob/$n"
	"$wrap" dtb "$g" "$out/dtb/$n.dtb" > /dev/null
	"$wrap" elf "$g" "$out/elfnote/$n.elf" > /dev/null
	"$wrap" elf-sections "$g" "$out/elfnote/$n-sections.elf" > /dev/null
	"$wrap" initrd "$g" "$out/initrd/$n.cpio" > /dev/null
done
printf 'TRAILER' | gzip -9n > "$tmp/prefix.gz"
"$wrap" initrd "$src/tests/lib/golden/arm64-virt-smmuv3.qdh" \
	"$out/initrd/gzip-prefix.img" "$tmp/prefix.gz" > /dev/null

# Device trees: the topology fixtures, the loader's virt tree, captures.
for d in "$src"/tests/scan/topology/dts/*.dts "$src"/tests/loader/fixture/virt.dts; do
	n=$(basename "$d" .dts)
	"$dtc" -q -I dts -O dtb -o "$out/topo-fdt/$n.dtb" "$d" 2>/dev/null || continue
	cp "$out/topo-fdt/$n.dtb" "$out/dtb/nochosen-$n.dtb"
done
for c in "$src"/tests/scan/topology/captures/*/sys/firmware/fdt.gz; do
	[ -f "$c" ] || continue
	n=$(basename "$(dirname "$(dirname "$(dirname "$c")")")")
	# Captured trees are padded to 1 MiB; the structure is what matters.
	gunzip -c "$c" > "$tmp/fdt"
	"$dtc" -q -I dtb -O dtb -o "$out/topo-fdt/capture-$n.dtb" "$tmp/fdt" 2>/dev/null
done

# ACPI tables: real captures, plus an IVRS made by hand (no AMD capture).
for c in "$src"/tests/scan/topology/captures/*/sys/firmware/acpi/tables/*; do
	n=$(basename "$(dirname "$(dirname "$(dirname "$(dirname "$(dirname "$c")")")")")")
	case $(basename "$c") in
	IORT) cp "$c" "$out/topo-iort/capture-$n" ;;
	DMAR) cp "$c" "$out/topo-dmar/capture-$n" ;;
	esac
done
python3 - "$out/topo-ivrs/ivhd10-ranges" <<'PY'
import struct, sys
def ivhd(t, length, base):
    b = struct.pack('<BBHHHQHH', t, 0xb0, length, 2, 0x40, base, 0, 0)
    return b + (struct.pack('<I', 0) if t == 0x10 else bytes(20))
body = struct.pack('<I', 0x00203041) + bytes(8)
ents = (struct.pack('<BHB', 3, 0x0000, 0) + struct.pack('<BHB', 4, 0x00ff, 0) +
        struct.pack('<BHBBHB', 0x42, 0x0300, 0, 0, 0x0200, 0) +
        struct.pack('<BHB', 2, 0x0400, 0) + struct.pack('<BHB', 0, 0, 0))
body += ivhd(0x10, 24 + len(ents), 0xfeb80000) + ents
body += ivhd(0x11, 40 + 4, 0xfeb80000) + struct.pack('<BHB', 1, 0, 0)
hdr = b'IVRS' + struct.pack('<IBB', 36 + len(body), 1, 0) + b'QDHTSTFUZZSEED' + struct.pack('<III', 1, 0x51444820, 1)
t = bytearray(hdr + body)
t[9] = (-sum(t)) & 0xff
open(sys.argv[1], 'wb').write(t)
PY

# iommu-map: 4 bytes mask, 4 bytes RID (LE), then the property (BE cells).
python3 - "$out/iommu-map" <<'PY'
import struct, sys
d = sys.argv[1]
def put(name, mask, rid, cells):
    open(f'{d}/{name}', 'wb').write(struct.pack('<II', mask, rid) + struct.pack('>%dI' % len(cells), *cells))
put('virt-identity', 0xffffffff, 0x0008, [0, 0x8002, 0, 0x10000])
put('two-smmus-mask', 0x0000ff00, 0x0123, [0, 1, 0x100, 0x80, 0x80, 2, 0x80, 0x80])
put('offset-base', 0xffffffff, 0x0210, [0x200, 3, 0x1000, 0x100])
put('empty', 0xffffffff, 0, [])
PY

# Policies: the documented shape, and some that must be refused.
cat > "$out/policy/full.json" <<'P'
{
  "version": 1,
  "comment": "seed",
  "block_bypass": true,
  "defaults": { "unknown": "attach", "active": "abort" },
  "shutdown_drivers": { "add": ["ixgbe"], "remove": ["e1000e"] },
  "rules": [
    { "match": { "bdf": "0000:00:02.0" }, "state": "active", "comment": "by address" },
    { "match": { "vendor_device": "8086:10fb" }, "action": "reset-then-attach" },
    { "match": { "vendor": "0x1af4", "device": "0x1041" }, "state": "quiesced" },
    { "match": { "class": "0x010601" }, "state": "quiesced" },
    { "match": { "driver": "nvme", "class": "0x0108", "mask": "0xff00" }, "action": "abort" },
    { "match": { "driver": "none" }, "state": "quiesced" },
    { "match": { "name": "b000000.dma" }, "state": "quiesced" }
  ]
}
P
printf '{"version":1,"rules":[]}' > "$out/policy/minimal.json"
printf '{"version":1,"rules":[{"match":{"bdf":"00:02.0"},"state":"bogus"}]}' > "$out/policy/bad-state.json"
printf '{"version":1,"rules":[{"match":{}' > "$out/policy/truncated.json"
printf '{"version":2}' > "$out/policy/version.json"

# Dump-target detection's text inputs (kexec/scan/dumpconf.c): each seed is
# fed to all four parsers.
printf 'BOOT_IMAGE=/vmlinuz root=UUID=0a1b2c3d-1111-4222-8333-444455556666 ro quiet "root=LABEL=a b" nfsroot=10.0.0.1:/r ip=1.2.3.4:5.6.7.8' \
	> "$out/dumpconf/cmdline"
cat > "$out/dumpconf/kdump-tools" <<'K'
USE_KDUMP=1
KDUMP_COREDIR="/var/crash"
export SSH='kdump@dumpsrv'
NFS=[2001:db8::1]:/export # comment
if [ -x /bin/true ]; then
  FTP=host:/x
fi
X="multi
line"
KDUMP_COREDIR=$(id)
K
cat > "$out/dumpconf/kdump.conf" <<'K'
path /var/crash
ext4 UUID=da7a0000-1234-4567-89ab-cdef01234567
nfs server:/export
ssh user@[fe80::1]
net user@host
raw /dev/sda1 # comment
dracut_args --mount "/dev/x /mnt ext4"
core_collector makedumpfile -l --message-level 7 -d 31
K
cat > "$out/dumpconf/fstab" <<'F'
# <file system> <mount point> <type> <options> <dump> <pass>
UUID=0a1b2c3d-1111-4222-8333-444455556666 / ext4 errors=remount-ro 0 1
LABEL=my\040data /srv ext4 defaults 0 2
/dev/sdb1 /mnt ext4 noauto 0 0
/dev/nvme9n1p9 none swap sw 0 0
F

# /proc/iomem: the loader's fixtures.
for f in "$src"/tests/loader/fixture/iomem*; do cp "$f" "$out/iomem/"; done
cat > "$out/iomem/nested-x86" <<'I'
00000000-00000fff : Reserved
00001000-0009fbff : System RAM
000a0000-000bffff : PCI Bus 0000:00
00100000-bffdffff : System RAM
  01000000-01e01fff : Kernel code
  01e02000-0262bfff : Kernel data
  2b000000-3affffff : Crash kernel
fed00000-fed003ff : HPET 0
  fed00000-fed003ff : PNP0103:00
100000000-13fffffff : System RAM
I

# makedumpfile's dumps: 1.7.2's own output (committed; not its 141 KB -E
# stream, too large a seed), every layout and stream order crafted by
# tests/transport/mkdump, and an ELF core in a stream whose program headers
# come as zeros first (as -F -E writes them).
mk=$bld/tests/transport/mkdump
for f in "$src"/tests/transport/dumps/*.gz; do
	case $f in *-E-*) continue ;; esac
	gunzip -c "$f" > "$out/dump/$(basename "$f" .gz)"
done
"$wrap" elf "$src/tests/lib/golden/arm64-virt-record.qdh" "$tmp/core" > /dev/null
"$mk" flat zeros-first "$tmp/core" "$out/dump/flat-elf"
g=$src/tests/lib/golden/arm64-virt-smmuv3.qdh
for l in le64 be64 le32 be32 le32pad le32t64 v3; do
	"$mk" kdump $l "$out/dump/kdump-$l" "$g"
done
"$mk" kdump le64 "$tmp/noqdh"
cp "$tmp/noqdh" "$out/dump/kdump-noqdh"
for m in plain reverse zeros-first noend cut; do
	"$mk" flat $m "$out/dump/kdump-le64" "$out/dump/flat-$m"
done
"$mk" flat plain "$out/dump/kdump-be32" "$out/dump/flat-be32"

# apply: option byte, then 8-byte device records (fuzz/fuzz-apply.c): a valid
# handover over bridges, a dump target below a root port, active, quiesced,
# hot-plugged, absent and platform devices; the same strict, without a blob,
# with a flipped byte, with a --dump-target; every link/FIFO trick; and a
# golden blob given raw.
printf '\000\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/valid-mixed"
printf '\001\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/strict-mixed"
printf '\011\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/strict-no-blob"
printf '\010\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/observe-no-blob"
printf '\020\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/observe-flipped-blob"
printf '\042\000\000\000\001\001\000\000\000\000\001\011\004\023\000\000\000\001\000\033\202\077\000\000\001\000\002\022\002\035\000\000\000\000\003\022\001\011\000\000\000\000\004\022\000\031\000\000\000\000\005\022\002\000\000\000\000\000\006\027\003\031\000\000\000\200\000\000\002\011\000\000\000' > "$out/apply/dump-target-hotplug-attach"
printf '\000\000\011\022\002\035\001\000\000\000\012\022\002\035\002\000\000\000\013\022\002\035\003\000\000\000\014\022\002\035\004\000\000\000\015\022\002\035\005\000\000\000\016\022\002\035\006\000\000\000\017\022\002\035\007\000\000\000\020\011\002\031\003\000\000' > "$out/apply/tricks"
printf '\021\000\011\022\002\035\001\000\000\000\012\022\002\035\002\000\000\000\013\022\002\035\003\000\000\000\014\022\002\035\004\000\000\000\015\022\002\035\005\000\000\000\016\022\002\035\006\000\000\000\017\022\002\035\007\000\000\000\020\011\002\031\003\000\000' > "$out/apply/tricks-strict-flipped"
{ printf '\004\000\001\022\002\031\000\000\000'; cat "$src/tests/lib/golden/arm64-virt-smmuv3.qdh"; } \
	> "$out/apply/raw-golden"

# decide: option byte, flip offset, then 8-byte device records
# (fuzz/fuzz-decide.c): a host bridge and a root port with an NVMe dump
# target below it, active, quiesced, hot-plugged, absent, platform, unknown
# (config unreadable) devices, a second bus entry of one function, a NIC
# named by a path below it, an ISA bridge, a device in domain 1 named by
# its address, one whose own path is given; valid, strict, no blob,
# hot-plug attach, a flipped and resealed byte; and a golden blob raw.
printf '\000\000\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/valid-observe"
printf '\001\000\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/valid-strict"
printf '\010\000\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/no-blob-observe"
printf '\011\000\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/no-blob-strict"
printf '\002\000\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/hotplug-attach"
printf '\020\140\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/flipped-state"
printf '\021\220\014\000\000\000\004\000\000\000\014\000\010\111\004\000\001\000\014\001\000\033\202\003\001\000\014\000\020\022\002\004\000\000\014\000\030\044\001\000\000\000\010\000\040\022\000\004\000\000\004\000\050\022\002\000\000\000\214\001\000\000\002\004\000\000\014\000\060\022\103\000\000\000\016\000\020\022\002\004\000\000\014\002\000\022\002\043\000\000\014\000\070\055\002\000\000\000\015\000\000\122\002\021\000\000\010\003\000\022\000\061\002\000' > "$out/decide/flipped-strict"
{ printf '\004\001\014\000\000\022\002\031\000\000'; cat "$src/tests/lib/golden/arm64-virt-smmuv3.qdh"; } \
	> "$out/decide/raw-golden"
