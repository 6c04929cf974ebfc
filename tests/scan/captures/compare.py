#!/usr/bin/env python3
"""Compare `qdh scan --json` of a replayed capture with guest-view.txt.

guest-view.txt is what the guest kernel itself showed at capture time,
written by busybox sh (guest-view.sh) without qdh.  One line per check:
  PASS <what>      or      FAIL <what>: <detail>
Exit 0 when every check passed, 1 otherwise, 2 on bad input.

    compare.py VIEW SCAN_JSON --iommu-type T --iommu-base 0xADDR \
               --fw-node PREFIX [--blob INSPECT_JSON] [--smmu-trace FILE]

The IOMMU must be the one given, described by the firmware node given
(DT path, or ACPI table@offset: the DT and ACPI boots of one machine must
each come from their own firmware description).

StreamIDs: where the guest view has a `dmaalias` line (the kernel's own
iommu-map lookups, one "rid:sid" per DMA alias in its order), the scan's
dma_aliases and stream_ids must be exactly those, in that order; elsewhere
StreamID = RID.

With --blob, `qdh inspect --json` of the `qdh scan --encode` blob must
carry the same IOMMUs and devices (id, state, action, StreamIDs, reasons;
the blob keeps a device's StreamIDs sorted).

With --smmu-trace (the host's summary of QEMU's smmuv3_translate_success
events), every StreamID the SMMU translated must be one the scan gives some
function, and the function the guest made do DMA (`dmafrom` in the view)
must own one of them.
"""
import argparse
import json
import sys

# doc/verdicts.md row 2: host, PCI-PCI, CardBus, semi-transparent bridges.
BRIDGE_CLASSES = (0x0600, 0x0604, 0x0607, 0x0609)


def parse_view(path):
    view = {"iommus": {}, "pci": {}, "quiesced": None, "aliases": {},
            "dmafrom": None}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if not w or w[0] in ("#", "kernel", "cmdline", "dmesg"):
                continue
            if w[0] == "quiesced":
                view["quiesced"] = w[1]
            elif w[0] == "iommu":
                view["iommus"][w[1]] = dict(kv.split("=", 1) for kv in w[2:])
            elif w[0] == "pci":
                view["pci"][w[1]] = dict(kv.split("=", 1) for kv in w[2:])
            elif w[0] == "dmaalias":
                view["aliases"][w[1]] = [tuple(int(x, 16) for x in p.split(":"))
                                         for p in w[2].split(",")]
            elif w[0] == "dmafrom":
                view["dmafrom"] = w[1]
            else:
                raise ValueError(f"{path}:{n}: unknown line kind '{w[0]}'")
    return view


def none_if_dash(v):
    return None if v == "-" else v


def rid(bdf):
    """Requester ID of SSSS:BB:DD.F."""
    _, bus, devfn = bdf.split(":")
    dev, fn = devfn.split(".")
    return int(bus, 16) << 8 | int(dev, 16) << 3 | int(fn, 16)


def expected_state(g):
    """The verdict doc/verdicts.md gives for what the guest showed (crash mode)."""
    cls = int(g["class"], 16) >> 8
    if cls in BRIDGE_CLASSES:
        return "bridge"
    if g["type"] == "unmanaged" or g["driver"].startswith("vfio"):
        return "active"
    if g.get("power") == "D3cold":
        return "quiesced"
    return "active" if g["bm"] == "1" else "quiesced"


class Checker:
    def __init__(self):
        self.failed = 0

    def check(self, what, cond, detail=""):
        if cond:
            print(f"PASS {what}")
        else:
            print(f"FAIL {what}: {detail}")
            self.failed += 1
        return cond


def compare(view, scan, itype, ibase, fw):
    c = Checker()
    iommus = scan["iommus"]
    c.check("one IOMMU", len(iommus) == 1, f"{len(iommus)} IOMMUs")
    names = {i["name"]: i for i in iommus}
    c.check("IOMMU names as /sys/class/iommu", set(names) == set(view["iommus"]),
            f"scan {sorted(names)}, guest {sorted(view['iommus'])}")
    for i in iommus:
        c.check(f"IOMMU {i['name']} is {itype} at {ibase}",
                i["type"] == itype and int(i["base"], 16) == int(ibase, 16),
                f"{i['type']} at {i['base']}")
        addr = view["iommus"].get(i["name"], {}).get("address", "-")
        if addr != "-":	# VT-d: the kernel's intel-iommu/address
            c.check(f"IOMMU {i['name']} base as the guest's address",
                    int(addr, 16) == int(i["base"], 16), f"{addr} vs {i['base']}")
        c.check(f"IOMMU {i['name']} described by {fw}*", (i["fw_node"] or "").startswith(fw),
                str(i["fw_node"]))
        c.check(f"IOMMU {i['name']} has active devices behind it", i["has_active"] is True)

    devs = {d["id"]: d for d in scan["devices"] if d["bus"] == "pci"}
    c.check("same PCI functions", set(devs) == set(view["pci"]),
            f"scan only {sorted(set(devs) - set(view['pci']))}, "
            f"guest only {sorted(set(view['pci']) - set(devs))}")
    counts = {}
    for bdf, g in sorted(view["pci"].items()):
        d = devs.get(bdf)
        if d is None:
            continue
        for key in ("vendor", "device", "class"):
            c.check(f"{bdf} {key}", int(d[key], 16) == int(g[key], 16),
                    f"scan {d[key]}, guest {g[key]}")
        c.check(f"{bdf} driver", d["driver"] == none_if_dash(g["driver"]),
                f"scan {d['driver']}, guest {g['driver']}")
        grp = none_if_dash(g["group"])
        c.check(f"{bdf} iommu_group", d["iommu_group"] == (None if grp is None else int(grp)),
                f"scan {d['iommu_group']}, guest {g['group']}")
        c.check(f"{bdf} group type", d["group_type"] == none_if_dash(g["type"]),
                f"scan {d['group_type']}, guest {g['type']}")
        if d["bus_master"] is not None:
            c.check(f"{bdf} bus master", d["bus_master"] == (g["bm"] == "1"),
                    f"scan {d['bus_master']}, guest bm={g['bm']} (cmd {g['cmd']})")
        if d.get("power_state") not in (None, "unknown") or g.get("power", "-") != "-":
            c.check(f"{bdf} power state", d.get("power_state") == g.get("power"),
                    f"scan {d.get('power_state')}, guest {g.get('power')}")
        link = none_if_dash(g["iommu"])
        c.check(f"{bdf} iommu link", d["iommu_link"] == link,
                f"scan {d['iommu_link']}, guest {g['iommu']}")
        if link is not None:
            c.check(f"{bdf} IOMMU", d["iommu"] == link, f"scan {d['iommu']}, guest {link}")
        elif d["iommu"] is not None:
            # no link (e.g. a driverless host bridge): the firmware mapping
            # may still name one; it must then be one the scan found
            c.check(f"{bdf} firmware-mapped IOMMU is known", d["iommu"] in names, d["iommu"])
        kernel = view["aliases"].get(bdf)
        if kernel is not None:
            rids = [a for a, _ in kernel]
            sids = []
            for _, sid in kernel:
                if sid not in sids:     # the SMMU driver skips duplicates
                    sids.append(sid)
            c.check(f"{bdf} DMA aliases as the kernel's {[hex(x) for x in rids]}",
                    d.get("dma_aliases") == rids, f"scan {d.get('dma_aliases')}")
            c.check(f"{bdf} StreamIDs as the kernel mapped them {[hex(x) for x in sids]}",
                    d["stream_ids"] == sids, f"scan {d['stream_ids']}")
        elif d["iommu"] is not None:
            c.check(f"{bdf} StreamID = RID 0x{rid(bdf):x}", d["stream_ids"] == [rid(bdf)],
                    f"scan {d['stream_ids']}")
        want = expected_state(g)
        c.check(f"{bdf} verdict {want}", d["state"] == want,
                f"scan {d['state']} {d['reasons']}")
        reasons = set(d["reasons"])
        drv = "no-driver" if g["driver"] == "-" else "driver-bound"
        c.check(f"{bdf} reason {drv}", drv in reasons, f"{d['reasons']}")
        if g.get("power") != "D3cold":
            bm = "bus-master-on" if g["bm"] == "1" else "bus-master-off"
            c.check(f"{bdf} reason {bm}", bm in reasons, f"{d['reasons']}")
        act = "abort" if want == "active" else "attach"
        c.check(f"{bdf} action {act}", d["action"] == act, d["action"])
        counts[d["state"]] = counts.get(d["state"], 0) + 1
    q = view["quiesced"]
    if q:
        g = view["pci"].get(q, {})
        c.check(f"the quiesced {q} shows no driver and bus master off in the guest",
                g.get("driver") == "-" and g.get("bm") == "0", str(g))
        c.check(f"the quiesced {q} is quiesced in the scan",
                devs.get(q, {}).get("state") == "quiesced", str(devs.get(q, {}).get("state")))
    c.check("summary counts", all(scan["summary"].get(k, 0) == v for k, v in counts.items())
            and scan["summary"]["devices"] >= len(view["pci"]), str(scan["summary"]))
    print("# " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    return c


def parse_trace(path):
    sids = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            w = line.split()
            if not w or w[0].startswith("#"):
                continue
            if w[0] != "translate":
                raise ValueError(f"{path}:{n}: unknown line kind '{w[0]}'")
            kv = dict(x.split("=", 1) for x in w[1:])
            sids.append(int(kv["sid"], 16))
    return sids


def compare_trace(c, view, scan, seen):
    owners = {}
    for d in scan["devices"]:
        for sid in d["stream_ids"]:
            owners.setdefault(sid, []).append(d["id"])
    c.check("the SMMU translated something", len(seen) > 0, "empty trace")
    for sid in seen:
        c.check(f"StreamID 0x{sid:x} the SMMU translated belongs to a scanned function",
                sid in owners, f"no function has it; scan: {sorted(owners)}")
    src = view["dmafrom"]
    if src:
        devs = {d["id"]: d for d in scan["devices"]}
        mine = set(devs.get(src, {}).get("stream_ids", []))
        c.check(f"{src}, which the guest made do DMA, owns a StreamID the SMMU translated",
                bool(mine & set(seen)),
                f"scan gives it {sorted(mine)}, the SMMU saw {sorted(seen)}")


def compare_blob(c, scan, insp):
    c.check("the blob is valid", insp.get("valid") is True, str(insp.get("valid")))
    blob = insp.get("blob", {})
    bi = blob.get("iommus", [])
    c.check("blob IOMMUs as the scan",
            [(i["name"], i["type"], int(i["base"], 16)) for i in bi] ==
            [(i["name"], i["type"], int(i["base"], 16)) for i in scan["iommus"]], str(bi))
    keys = ("id", "state", "action", "stream_ids", "reasons")

    def norm(d):
        o = {k: d[k] for k in keys}
        o["stream_ids"] = sorted(o["stream_ids"])
        return o
    bd = [norm(d) for d in blob.get("devices", [])]
    sd = [norm(d) for d in scan["devices"]]
    c.check("blob devices as the scan", bd == sd,
            f"{len(bd)} blob devices, {len(sd)} scanned; first difference: "
            f"{next(((a, b) for a, b in zip(bd, sd) if a != b), None)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("view")
    ap.add_argument("scan")
    ap.add_argument("--iommu-type", required=True)
    ap.add_argument("--iommu-base", required=True)
    ap.add_argument("--fw-node", required=True, help="expected fw_node prefix")
    ap.add_argument("--blob")
    ap.add_argument("--smmu-trace")
    a = ap.parse_args()
    try:
        view = parse_view(a.view)
        with open(a.scan, encoding="utf-8") as f:
            scan = json.load(f)
        insp = None
        if a.blob:
            with open(a.blob, encoding="utf-8") as f:
                insp = json.load(f)
        seen = parse_trace(a.smmu_trace) if a.smmu_trace else None
    except (OSError, ValueError) as e:
        print(f"FAIL input: {e}")
        return 2
    c = compare(view, scan, a.iommu_type, a.iommu_base, a.fw_node)
    if insp is not None:
        compare_blob(c, scan, insp)
    if seen is not None:
        compare_trace(c, view, scan, seen)
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
