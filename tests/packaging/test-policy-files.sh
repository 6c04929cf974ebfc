#!/bin/sh
# The policies we ship or show: packaging/policy.json (installed as
# /etc/kexec-qdh/policy.json), every JSON example of qdh-policy(5) and of
# doc/policy.md are accepted by `qdh scan --policy`, and the shipped one
# changes nothing.
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
[ -x "$QDH" ] || skip_all "qdh not built"
[ "$(id -u)" -eq 0 ] || skip_all "policy files must be root-owned: run as root"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-pol.XXXXXX")
trap 'rm -rf "$T"' EXIT
chmod 0755 "$T"
mkdir -m 0755 "$T/root" "$T/etc"

# Each .EX/.EE block of the page that starts with "{", roff escapes undone.
awk -v dir="$T/etc" '
	/^\.EX/ { ex = 1; n = 0; next }
	/^\.EE/ { ex = 0; if (f) close(f); f = ""; next }
	ex && n++ == 0 && /^\{/ { f = sprintf("%s/example%d.json", dir, ++k) }
	ex && f { print > f }' "$top_srcdir/man/qdh-policy.5"
for f in "$T"/etc/example*.json; do
	sed -i -e 's/\\-/-/g' -e 's/\\e/\\/g' "$f"
done
# Each ```json block of doc/policy.md.
if [ -r "$top_srcdir/doc/policy.md" ]; then
	awk -v dir="$T/etc" '
		/^```json/ { f = sprintf("%s/doc-example%d.json", dir, ++k); next }
		/^```/ { if (f) close(f); f = ""; next }
		f { print > f }' "$top_srcdir/doc/policy.md"
fi
cp "$top_srcdir/packaging/policy.json" "$T/etc/policy.json"
chmod 0644 "$T"/etc/*.json
n=$(ls "$T"/etc/example*.json 2>/dev/null | wc -l)
[ "$n" -ge 2 ]; ok $? "qdh-policy.5 has JSON examples ($n)"

for f in "$T"/etc/*.json; do
	"$QDH" scan --sysroot "$T/root" --policy "$f" > /dev/null 2> "$T/err"
	ok $? "qdh scan accepts $(basename "$f")"
	sed 's/^/# /' "$T/err"
done
grep -q '"block_bypass"' "$T/etc/policy.json"
ok $(( $? == 0 )) "the shipped policy leaves block_bypass to kexec-qdh's default"

# Against a fixture with devices, the shipped policy changes no verdict.
if command -v python3 >/dev/null 2>&1 && [ -r "$top_srcdir/tests/scan/gen-fixture.py" ] &&
   python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$T/mixed" --dtc "${DTC:-dtc}" \
	>/dev/null 2>&1; then
	"$QDH" scan --sysroot "$T/mixed" --json > "$T/a.json" 2>/dev/null
	"$QDH" scan --sysroot "$T/mixed" --json --policy "$T/etc/policy.json" > "$T/b.json" 2>/dev/null
	cmp -s "$T/a.json" "$T/b.json"; ok $? "the shipped policy changes no verdict or action"
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no scan fixture (python3, tests/scan/gen-fixture.py)"
fi

done_testing
