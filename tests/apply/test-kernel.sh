#!/bin/sh
# `qdh apply` with a kernel carrying the kexec-qdh arm-smmu-v3 patches
# (kexec/apply/kernel.c, doc/kernel.md): it reads the kernel's per-stream
# view, releases each adopted stream of a device after stopping it, and
# reports what the kernel did; without the view it does what it always did.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$FX" ] || skip_all "qdh or fixture not built"
command -v python3 >/dev/null || skip_all "python3 needed to read the JSON report"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-apply-kernel-XXXXXX")
trap 'rm -rf "$T"' EXIT

IOMMU=sys/class/iommu/smmu3.0x0000000009050000
mk() {	# mk NAME [VIEW-TEXT]: a sysroot, with the kernel's view if given
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$T/$1" "$FX" || { echo "Bail out! mksysroot"; exit 1; }
	if [ $# -gt 1 ]; then
		mkdir -p "$T/$1/$IOMMU/qdh"
		printf '%s' "$2" >"$T/$1/$IOMMU/qdh/streams"
		: >"$T/$1/$IOMMU/qdh/release"
	fi
}
# json ROOT PYTHON-EXPRESSION: evaluate on the report as `r`
json() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1/run/qdh/report.json" "$2"
}
steps_ops() {	# steps_ops ROOT DEVICE: the ops of its steps, comma-separated
	json "$1" "','.join(s['op'] for d in r['devices'] if d['device'] == '$2' for s in d['steps'])"
}

VIEW='mode adopt
adopted 4
aborted 2
stream 0x0 aborted old=s1 why=quiesced dev=0000:00:00.0
stream 0x10 adopted old=s1 why=adopt dev=0000:00:02.0
stream 0x18 attached old=s1 why=quiesced dev=0000:00:03.0
stream 0x30 adopted old=s1 why=adopt dev=0000:00:06.0
stream 0x38 adopted old=s1 why=adopt dev=0000:00:07.0
stream 0x100 adopted old=s1 why=adopt dev=0000:01:00.0
'

# --- 1. a kernel without the patches: nothing changes -----------------------
mk stock
"$QDH" apply --sysroot "$T/stock" >/dev/null 2>&1
ok $? "stock kernel: exit 0 as before"
test "$(json "$T/stock" "'kernel' in r")" = False
ok $? "stock kernel: the report has no kernel object"
test "$(json "$T/stock" "sum(1 for d in r['devices'] for s in d['steps'] if s['op'] == 'release-stream')")" = 0
ok $? "stock kernel: no stream released"
test "$(steps_ops "$T/stock" 0000:00:02.0)" = clear-bus-master,set-driver-override
ok $? "stock kernel: the active device is aborted exactly as before"

# --- 2. adopted streams are released after their device stopped ---------------
mk adopt "$VIEW"
R=$T/adopt
"$QDH" apply --sysroot "$R" >"$T/adopt.out" 2>&1
ok $? "patched kernel: exit 0"
test "$(steps_ops "$R" 0000:00:02.0)" = clear-bus-master,set-driver-override,release-stream
ok $? "abort: the stream is released after bus master is cleared"
test "$(steps_ops "$R" 0000:01:00.0)" = reset,clear-driver-override,release-stream
ok $? "reset-then-attach: the stream is released after the reset"
test "$(json "$R" "[s['sid'] for d in r['devices'] for s in d['steps'] if s['op'] == 'release-stream']")" = '["0x10", "0x38", "0x100"]'
ok $? "every adopted stream of a stopped device is released, each once"
test "$(steps_ops "$R" 0000:00:06.0)" = abort
ok $? "a device its built-in driver holds: its stream is left to the kernel"
test "$(steps_ops "$R" 0000:00:03.0)" = ""
ok $? "a quiesced device: nothing released"
test "$(cat "$R/$IOMMU/qdh/release")" = 0x100
ok $? "the release attribute got the StreamID (the last write: 0x100)"
test "$(json "$R" "r['kernel']['iommus'][0]['mode']")" = adopt &&
	test "$(json "$R" "r['kernel']['iommus'][0]['adopted']")" = 4
ok $? "report: the kernel's mode and counts"
test "$(json "$R" "[(s['sid'], s['before'], s['released_by_apply']) for s in r['kernel']['iommus'][0]['streams']]")" = \
	'[["0x0", "aborted", false], ["0x10", "adopted", true], ["0x18", "attached", false], ["0x30", "adopted", false], ["0x38", "adopted", true], ["0x100", "adopted", true]]'
ok $? "report: each stream with its state and whether apply released it"

# --- 3. dry run: nothing written ---------------------------------------------
mk dry "$VIEW"
"$QDH" apply --dry-run --json --sysroot "$T/dry" >"$T/dry.json" 2>/dev/null
test ! -s "$T/dry/$IOMMU/qdh/release"
ok $? "dry run: the release attribute is not written"
grep -q '"result": *"dry-run"' "$T/dry.json" && grep -q release-stream "$T/dry.json"
ok $? "dry run: the release steps say dry-run"

# --- 4. a malformed view is reported and never acted on ----------------------
for bad in 'stream 0x10 adopted old=s1 why=adopt dev=0000:00:02.0' \
	"mode adopt
stream 0x10 adopted old=s1 why=adopt dev=00 00:02.0 extra" \
	"mode adopt
stream 16 adopted old=s1 why=adopt dev=0000:00:02.0" \
	"mode adopt
stream 0x10 kept old=s1 why=adopt dev=0000:00:02.0" \
	"mode adopt
stream 0x10 adopted old=s1 why=adopt dev=0000:00:02.0
stream 0x10 adopted old=s1 why=adopt dev=0000:00:02.0" \
	"mode adopt
stream 0x100000000 adopted old=s1 why=adopt dev=0000:00:02.0" \
	"mode adopt
stream 0x10 adopted old=S1 why=adopt dev=0000:00:02.0"; do
	mk bad "$bad"
	"$QDH" apply --sysroot "$T/bad" >/dev/null 2>&1
	test ! -s "$T/bad/$IOMMU/qdh/release" &&
		test "$(json "$T/bad" "r['kernel']['iommus'][0].get('error')")" = "malformed view"
	ok $? "malformed view ($(printf '%s' "$bad" | tail -n1 | cut -c1-40)...): reported, nothing released"
	rm -rf "$T/bad" "$T/bad.spec" "$T/bad.blob" "$T/bad.norec"
done

# --- 5. a stock-reset SMMU (patched kernel, no adoption) ---------------------
mk sreset 'mode stock no-handover
adopted 0
aborted 0
'
"$QDH" apply --sysroot "$T/sreset" >/dev/null 2>&1
test "$(json "$T/sreset" "[r['kernel']['iommus'][0]['mode'], r['kernel']['iommus'][0]['reason']]")" = '["stock", "no-handover"]' &&
	test ! -s "$T/sreset/$IOMMU/qdh/release"
ok $? "stock reset reported with the kernel's reason; nothing released"

done_testing
