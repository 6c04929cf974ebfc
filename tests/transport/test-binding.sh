#!/bin/sh
# The dt-schema binding doc/bindings/chosen-kexec-qdh.yaml: its example is
# real.  The example node compiles with dtc and `qdh inspect` validates the
# blob in it, identical to tests/lib/golden/empty.qdh.  (dt-schema itself is
# not packaged for Debian 12; the YAML is checked for well-formedness when
# python3-yaml is there.)
. "$top_srcdir/tests/common/tap.sh"

qdh="$top_builddir/qdh"
yaml="$top_srcdir/doc/bindings/chosen-kexec-qdh.yaml"
: "${DTC:=$(command -v dtc)}"
[ -n "$DTC" ] && [ -x "$DTC" ] || skip_all "dtc not installed"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

grep -q '^  kexec-qdh,handover:$' "$yaml"
ok $? "binding defines kexec-qdh,handover"
grep -q "QDH_DT_PROPERTY.*\"kexec-qdh,handover\"" "$top_srcdir/include/uapi/qdh.h"
ok $? "same name as QDH_DT_PROPERTY in the ABI header"

# The example: from "chosen {" to its closing "};", as a whole tree.
{
	echo '/dts-v1/;'
	echo '/ {'
	sed -n '/^    chosen {$/,/^    };$/p' "$yaml"
	echo '};'
} >"$tmp/example.dts"
grep -q 'kexec-qdh,handover = \[' "$tmp/example.dts"
ok $? "example extracted"
"$DTC" -I dts -O dtb -o "$tmp/example.dtb" "$tmp/example.dts" 2>"$tmp/dtc.err"
ok $? "dtc compiles the example"
"$qdh" inspect "$tmp/example.dtb" >"$tmp/example.txt"
ok $? "qdh inspect validates the example's blob"
"$qdh" inspect "$top_srcdir/tests/lib/golden/empty.qdh" | tail -n +2 >"$tmp/empty.txt"
tail -n +2 "$tmp/example.txt" | cmp -s - "$tmp/empty.txt"
ok $? "the example's blob is tests/lib/golden/empty.qdh"

if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
	python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1]));
assert d["properties"]["kexec-qdh,handover"]["maxItems"] == 2097152' "$yaml"
	ok $? "binding is well-formed YAML with maxItems 2 MiB"
else
	ok 0 "# SKIP python3-yaml not installed"
fi
done_testing
