#!/bin/sh
# No output ever prints raw binary: names with control characters, DEL and
# invalid UTF-8 reach the tools through a blob (IOMMU and platform device
# names, mkblob-names) and through a sysroot (platform device names, driver
# link names).  stdout of inspect and scan, text and JSON, must hold no
# byte below 0x20 other than \n and \t, no DEL in text, and JSON must parse
# and be valid UTF-8; stderr must hold no control character either.
. "$top_srcdir/tests/common/tap.sh"
QDH=$top_builddir/qdh
command -v python3 > /dev/null || skip_all "python3 needed"
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

clean() {	# clean FILE KIND(text|json|stderr): 0 if no raw control bytes
	python3 - "$1" "$2" <<'PY'
import json, sys
data = open(sys.argv[1], 'rb').read()
kind = sys.argv[2]
allowed = b'\n\t'
# DEL is legal raw JSON (RFC 8259 escapes only < 0x20); text escapes it.
bad = [(i, b) for i, b in enumerate(data) if (b < 0x20 and bytes([b]) not in allowed) or (b == 0x7f and kind != 'json')]
if bad:
    print('# raw byte 0x%02x at offset %d' % (bad[0][1], bad[0][0]))
    sys.exit(1)
if kind == 'json':
    try:
        json.loads(data.decode('utf-8', 'surrogateescape'))
    except Exception as e:
        print('# not JSON: %s' % e)
        sys.exit(1)
PY
}
utf8() {	# utf8 FILE: strictly valid UTF-8 (what JSON consumers require)
	python3 -c "
import sys
try:
    open(sys.argv[1], 'rb').read().decode('utf-8')
except UnicodeDecodeError as e:
    print('# %s' % e); sys.exit(1)" "$1"
}
todo() {	# todo RC DESCRIPTION NOTE: a known bug, reported as TAP TODO
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2 # TODO $3"
	else echo "not ok $tap_n - $2 # TODO $3"; fi
}
has() {	# has FILE NEEDLE: the escaped form is there (the name was shown)
	grep -qF -- "$2" "$1"
}

"$top_builddir/tests/hardening/mkblob-names" "$tmp/names.qdh"
ok $? "blob with hostile names built"
"$QDH" inspect "$tmp/names.qdh" > "$tmp/i.txt" 2> "$tmp/i.err"
ok $? "inspect accepts it (names are opaque bytes to the ABI)"
clean "$tmp/i.txt" text
ok $? "inspect text: no raw control bytes"
has "$tmp/i.txt" 'esc\x1b[31mred'
ok $? "inspect text: the escape is shown as \\x1b"
"$QDH" inspect --json "$tmp/names.qdh" > "$tmp/i.json" 2>> "$tmp/i.err"
ok $? "inspect --json exits 0"
clean "$tmp/i.json" json
ok $? "inspect JSON: no raw control bytes, parses"
utf8 "$tmp/i.json"
ok $? "inspect JSON: valid UTF-8"
clean "$tmp/i.err" stderr
ok $? "inspect stderr: no raw control bytes"

# A sysroot whose names are hostile: platform devices and a PCI driver.
python3 - "$tmp/root" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "scan"))
from sysfs_tree import Tree
t = Tree(sys.argv[1])
s = t.smmu("smmu3.0x0000000009050000", "9050000.smmuv3")
t.pci("0000:00:01.0", driver="drv\x1b[2Jwipe", command=0x6, group=1)
t.pci("0000:00:02.0", driver="bad\udcff\udcfeutf8", command=0x6, group=2)
t.platform("9000000.esc\x1b]0;pwn\x07", driver="fec\x01", of_node="/e@9000000",
           iommu=s)
t.platform("a000000.bad\udcc3(utf8", driver="x\x7fdel", of_node="/b@a000000",
           iommu=s)
t.platform("b000000.nl\nname", driver="ok", of_node="/c@b000000", iommu=s)
PY
ok $? "sysroot with hostile names built"
for mode in text json; do
	flag=; [ $mode = json ] && flag=--json
	# shellcheck disable=SC2086
	"$QDH" scan --sysroot "$tmp/root" $flag --encode "$tmp/s.qdh" > "$tmp/s.$mode" 2> "$tmp/s.err"
	rc=$?
	[ $rc -eq 0 ]
	ok $? "scan ($mode) exits 0 (exit $rc)"
	clean "$tmp/s.$mode" $mode
	ok $? "scan $mode: no raw control bytes"
	[ $mode = json ] && { utf8 "$tmp/s.json"; ok $? "scan JSON: valid UTF-8"; }
	clean "$tmp/s.err" stderr
	ok $? "scan $mode stderr: no raw control bytes"
done
has "$tmp/s.text" 'drv\x1b[2Jwipe' && has "$tmp/s.text" '9000000.esc\x1b]0;pwn\x07'
ok $? "scan text: driver and platform device names are shown escaped"
for mode in text json; do
	flag=; [ $mode = json ] && flag=--json
	# shellcheck disable=SC2086
	"$QDH" inspect $flag "$tmp/s.qdh" > "$tmp/e.$mode" 2> "$tmp/e.err"
	ok $? "inspect ($mode) of the scanned blob exits 0"
	clean "$tmp/e.$mode" $mode
	ok $? "inspect $mode of the scanned blob: no raw control bytes"
done
done_testing
