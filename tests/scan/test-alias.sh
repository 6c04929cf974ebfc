#!/bin/sh
# DMA aliases and requesters, rule by rule, on every firmware description
# (doc/topology.md, "DMA aliases"): one synthetic PCI tree
# (gen-alias-fixture.py) with a function per rule of the kernel's
# pci_for_each_dma_alias() and of the quirk table; its expected requester
# IDs and StreamIDs below are written out by hand from the kernel's rules,
# not computed.  Then Intel VMD: a domain 0x10000 whose functions DMA with
# the VMD endpoint's requester ID.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
here=$top_srcdir/tests/scan
command -v python3 >/dev/null || skip_all "python3 needed for the fixtures"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check.py FIRMWARE SCAN_JSON: PASS/FAIL lines, one per expectation
cat >"$tmp/check.py" <<'EOF'
import json, sys
fw, path = sys.argv[1], sys.argv[2]
scan = json.load(open(path))
devs = {d["id"]: d for d in scan["devices"]}

# pci_for_each_dma_alias(), by hand: own ID, quirk aliases, then bridges up
ALIASES = {
    "0000:00:00.0": [0x000],
    "0000:00:01.0": [0x008],                 # root port
    "0000:01:00.0": [0x100],                 # PCIe-to-PCI bridge itself
    "0000:02:01.0": [0x208, 0x200],          # conventional behind PCIe-to-PCI
    "0000:02:02.0": [0x210, 0x200],          # PCIe device there: the same
    "0000:02:03.0": [0x218, 0x200],          # conventional bridge there
    "0000:03:04.0": [0x320, 0x218, 0x200],   # behind both: bridge ID, then (2, 00.0)
    "0000:00:02.0": [0x010],
    "0000:04:00.0": [0x400],
    "0000:05:01.0": [0x508, 0x500],          # PCI-X behind PCIe-to-PCI-X
    "0000:00:03.0": [0x018],
    "0000:06:00.0": [0x600],                 # ASMedia 1080 itself
    "0000:07:02.0": [0x710, 0x700],          # ...acts PCIe-to-PCI below a PCIe port
    "0000:06:01.0": [0x608],
    "0000:08:00.0": [0x800, 0x608],          # plain conventional bridge: its own ID
    "0000:06:02.0": [0x610],
    "0000:09:00.0": [0x900, 0x610],          # PCI-to-PCIe bridge: its own ID
    "0000:00:04.0": [0x020, 0x021],          # Marvell 9123: function 1
    "0000:00:05.1": [0x029, 0x028],          # Ricoh e832: function 0
    "0000:00:06.0": [0x030, 0x008],          # Adaptec 3405: fixed 01.0
    "0000:00:06.1": [0x031],                 # same chip, other subsystem
    "0000:00:07.0": [0x038, 0x080, 0x088, 0x093],  # MIC x200: 10.0 11.0 12.3
    "0000:00:08.0": [0x040],                 # Switchtec: set at boot, unknown
    "0000:00:0a.0": [0x050],
    "0000:0a:00.0": [0xa00, 0xa00],          # own ID = its bridge's alias
    "0000:0b:00.0": [0xb00],                 # walk stops at the translation root
    "0000:00:0c.0": [0x060],
    "0000:0c:00.0": [0xc00],                 # bridge above unreadable
    "0000:00:0d.0": [0x068],
    "0000:00:0d.2": [0x06a],
}
PROBLEMS = {
    "0000:00:08.0": "own registers",
    "0000:0c:00.0": "could not be read",
}

def dedupe(v):
    out = []
    for x in v:
        if x not in out:
            out.append(x)
    return out

def remap(x):      # dt-remap: bus 2 seen at 0x8000, 0x200 mapped nowhere
    if x == 0x200:
        return None
    return x + 0x7e00 if 0x200 < x < 0x300 else x

def iort(x):       # IORT: 0x200-0x2ff -> 0x8000-0x80ff
    return x + 0x7e00 if 0x200 <= x < 0x300 else x

IOMMU = {"dt": "smmu3.0x0000000009050000", "dt-remap": "smmu3.0x0000000009050000",
         "iort": "smmu3.0x0000000009050000", "smmu500": "smmu.0x0000000009050000",
         "ivrs": "ivhd0"}
DMAR0 = {"0000:00:03.0", "0000:06:00.0", "0000:07:02.0", "0000:06:01.0", "0000:08:00.0",
         "0000:06:02.0", "0000:09:00.0", "0000:00:0d.0", "0000:00:0d.2"}

def expected(bdf):
    a = ALIASES[bdf]
    if fw in ("dt", "smmu500", "dmar"):
        return dedupe(a)
    if fw == "dt-remap":
        return dedupe([remap(x) for x in a if remap(x) is not None])
    if fw == "iort":
        return dedupe([iort(x) for x in a])
    if fw == "ivrs":   # own entry, the IVRS alias (00:0d.0 -> 00:1e.0), the rest
        return dedupe(a[:1] + ([0xf0] if bdf == "0000:00:0d.0" else []) + a[1:])

bad = 0
def check(what, cond, detail=""):
    global bad
    print(("PASS " if cond else "FAIL ") + what + ("" if cond else ": " + str(detail)))
    bad += not cond

check(f"{fw}: every function scanned", set(ALIASES) <= set(devs), sorted(set(ALIASES) - set(devs)))
for bdf, want in ALIASES.items():
    d = devs.get(bdf)
    if not d:
        continue
    check(f"{fw}: {bdf} DMA aliases {[hex(x) for x in want]}", d["dma_aliases"] == want,
          d["dma_aliases"])
    sids = expected(bdf)
    check(f"{fw}: {bdf} StreamIDs {[hex(x) for x in sids]}", d["stream_ids"] == sids,
          d["stream_ids"])
    iommu = IOMMU.get(fw) or ("dmar0" if bdf in DMAR0 else "dmar1")
    check(f"{fw}: {bdf} on {iommu}", d["iommu"] == iommu, d["iommu"])
for bdf, frag in PROBLEMS.items():
    check(f"{fw}: {bdf} problem says \"{frag}\"", frag in (devs[bdf]["problem"] or ""),
          devs[bdf]["problem"])
if fw == "dt-remap":
    for bdf in ("0000:02:01.0", "0000:03:04.0"):
        check(f"{fw}: {bdf} reports that alias 0x0200 maps to no IOMMU",
              "0x0200 maps to no IOMMU" in (devs[bdf]["problem"] or ""), devs[bdf]["problem"])
types = {d["name"]: d["type"] for d in scan["iommus"]}
if fw == "smmu500":
    check(f"{fw}: the IOMMU is an SMMUv2-family MMU-500", types.get(IOMMU[fw]) == "smmuv2", types)
sys.exit(1 if bad else 0)
EOF

for fw in dt dt-remap smmu500 iort dmar ivrs; do
	root=$tmp/$fw
	python3 "$here/gen-alias-fixture.py" "$fw" "$root" --dtc "${DTC:-dtc}" ||
		{ echo "Bail out! fixture $fw"; exit 1; }
	"$QDH" scan --sysroot "$root" --json >"$tmp/$fw.json" 2>"$tmp/$fw.err"
	ok $? "$fw: qdh scan exits 0"
	[ ! -s "$tmp/$fw.err" ]
	ok $? "$fw: no warnings (the firmware tables are clean)"
	python3 "$tmp/check.py" "$fw" "$tmp/$fw.json" >"$tmp/$fw.cmp"
	tap_checks <"$tmp/$fw.cmp"
	"$top_builddir/tests/scan/encode-check" "$root"
	ok $? "$fw: the blob carries the same StreamIDs (sorted) and verdicts"
done

# The check can fail: the scan of the issue's case without its bridge alias.
python3 - "$tmp/dt.json" "$tmp/bad.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
for d in s["devices"]:
    if d["id"] == "0000:02:01.0" and d["stream_ids"] == [0x208, 0x200]:
        d["stream_ids"] = [0x208]
json.dump(s, open(sys.argv[2], "w"))
EOF
! cmp -s "$tmp/dt.json" "$tmp/bad.json" && ! python3 "$tmp/check.py" dt "$tmp/bad.json" >/dev/null
ok $? "a scan reporting 02:01.0 without its alias 0x200 is caught"

# --- Intel VMD: domain 0x10000 ------------------------------------------------
root=$tmp/vmd
python3 "$here/gen-alias-fixture.py" vmd "$root" || { echo "Bail out! fixture vmd"; exit 1; }
"$QDH" scan --sysroot "$root" --json >"$tmp/vmd.json" 2>"$tmp/vmd.err"
ok $? "vmd: qdh scan exits 0"
"$QDH" scan --sysroot "$root" --json --dump-target nvme0n1 >"$tmp/vmd-dump.json"
ok $? "vmd: dump target nvme0n1 (behind the VMD) is found"
cat >"$tmp/vmd.py" <<'EOF'
import json, sys
scan = json.load(open(sys.argv[1]))
dump = json.load(open(sys.argv[2]))
devs = {d["id"]: d for d in scan["devices"]}
ddev = {d["id"]: d for d in dump["devices"]}
bad = 0
def check(what, cond, detail=""):
    global bad
    print(("PASS " if cond else "FAIL ") + what + ("" if cond else ": " + str(detail)))
    bad += not cond
nvme, rp, vmd = devs.get("10000:e1:00.0"), devs.get("10000:e0:00.0"), devs.get("0000:00:0e.0")
check("vmd: functions of domain 10000 are inventoried", nvme is not None and rp is not None,
      sorted(devs))
check("vmd: nothing is skipped", scan["skipped"] == [], scan["skipped"])
if nvme and rp and vmd:
    check("vmd: the NVMe's DMA requester is the VMD endpoint",
          nvme["dma_requester"] == "0000:00:0e.0", nvme["dma_requester"])
    check("vmd: ...and so is the root port's", rp["dma_requester"] == "0000:00:0e.0",
          rp["dma_requester"])
    check("vmd: the NVMe's requester IDs are the VMD endpoint's (0x70)",
          nvme["dma_aliases"] == [0x70] and nvme["stream_ids"] == [0x70],
          (nvme["dma_aliases"], nvme["stream_ids"]))
    check("vmd: ...on its IOMMU", nvme["iommu"] == "dmar0", nvme["iommu"])
    check("vmd: the domain's top hangs below the VMD endpoint", rp["parent"] == "0000:00:0e.0",
          rp["parent"])
    check("vmd: the NVMe is active", nvme["state"] == "active", nvme["state"])
    check("vmd: the VMD endpoint (bus master off) is active because the NVMe is",
          vmd["state"] == "active" and "bus-master-off" in vmd["reasons"] and
          "10000:e1:00.0 behind it is active" in (vmd["problem"] or ""),
          (vmd["state"], vmd["reasons"], vmd["problem"]))
    check("vmd: VMD endpoint's own requester IDs", vmd["dma_requester"] is None and
          vmd["stream_ids"] == [0x70], (vmd["dma_requester"], vmd["stream_ids"]))
other = devs.get("10001:00:00.0")
check("vmd: a root bus below a function that is no VMD: no requester, told why",
      other is not None and other["dma_requester"] is None and other["stream_ids"] == [] and
      "not a known VMD" in (other["problem"] or ""), other)
for b in ("10000:e1:00.0", "10000:e0:00.0", "0000:00:0e.0"):
    check(f"vmd: dump target marks {b}", ddev.get(b, {}).get("dump_target") is True,
          ddev.get(b))
sys.exit(1 if bad else 0)
EOF
python3 "$tmp/vmd.py" "$tmp/vmd.json" "$tmp/vmd-dump.json" >"$tmp/vmd.cmp"
tap_checks <"$tmp/vmd.cmp"
"$QDH" scan --sysroot "$root" --encode "$tmp/vmd.qdh" >/dev/null &&
	"$QDH" inspect --json "$tmp/vmd.qdh" >"$tmp/vmd-inspect.json"
ok $? "vmd: the blob encodes and qdh inspect reads it"
python3 - "$tmp/vmd-inspect.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))["blob"]
devs = {d["id"]: d for d in b["devices"]}
print("ids", sorted(devs))
nvme, vmd = devs.get("10000:e1:00.0"), devs.get("0000:00:0e.0")
ok = nvme is not None and vmd is not None and "0000:e1:00.0" not in devs and \
    vmd["state"] == "active" and nvme["state"] == "active"
print("nvme", nvme)
sys.exit(0 if ok else 1)
EOF
ok $? "vmd: the blob carries domain 10000 as such (never as 0000), the VMD endpoint active"
"$top_builddir/tests/scan/encode-check" "$root"
ok $? "vmd: the blob agrees with the inventory"
# A policy calling the VMD endpoint quiet cannot hide the NVMe behind it;
# a rule naming a function of domain 10000 by its wide address applies.
cat >"$tmp/policy.json" <<'EOF'
{ "rules": [
    { "match": { "bdf": "0000:00:0e.0" }, "state": "quiesced", "action": "attach" },
    { "match": { "bdf": "10000:e0:00.0" }, "action": "attach" }
] }
EOF
chmod 644 "$tmp/policy.json"
"$QDH" scan --sysroot "$root" --json --policy "$tmp/policy.json" >"$tmp/vmd-pol.json" &&
	"$QDH" scan --sysroot "$root" --policy "$tmp/policy.json" --encode "$tmp/vmd-pol.qdh" >/dev/null
ok $? "vmd: with that policy the scan and the blob still succeed"
python3 - "$tmp/vmd-pol.json" <<'EOF'
import json, sys
d = {x["id"]: x for x in json.load(open(sys.argv[1]))["devices"]}
v, rp = d["0000:00:0e.0"], d["10000:e0:00.0"]
print(v["state"], v["action"], v["problem"], rp["policy_rule"])
sys.exit(0 if v["state"] == "active" and v["action"] == "abort" and
         "overrides policy rule 0" in v["problem"] and rp["policy_rule"] == 1 else 1)
EOF
ok $? "vmd: the endpoint stays active (abort), saying it overrides rule 0; rule 1 matched 10000:e0:00.0"

# qdh apply on the same tree with that blob: the functions of domain 10000
# are present devices matched to their (wide) blob entries, not ignored, and
# a dump target named by its wide address is found.
"$QDH" apply --sysroot "$root" --blob "$tmp/vmd.qdh" --dry-run --json \
	--dump-target 10000:e1:00.0 --report "$tmp/vmd-apply.json" >/dev/null 2>"$tmp/vmd-apply.err"
ok $? "vmd: qdh apply --dry-run runs on it"
python3 - "$tmp/vmd-apply.json" "$tmp/vmd-apply.err" <<'EOF'
import json, sys
d = {x["device"]: x for x in json.load(open(sys.argv[1]))["devices"]}
err = open(sys.argv[2]).read()
for b in ("10000:e1:00.0", "10000:e0:00.0"):
    x = d.get(b)
    print(b, x and (x["in_blob"], x["present"], x["decision"], x["dump_target"]))
    if not x or not x["in_blob"] or not x["present"]:
        sys.exit(1)
print("stderr:", err)
sys.exit(0 if d["10000:e1:00.0"]["dump_target"] and "domain above" not in err else 1)
EOF
ok $? "vmd: apply matches 10000:e1:00.0 and 10000:e0:00.0 (present and in the blob), the dump target by its wide address"

done_testing
