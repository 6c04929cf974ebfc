#!/bin/sh
# Policy files: rules applied, errors with file and position, and refusal of
# files or directories that non-root users can write (as sudo does).
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
command -v python3 >/dev/null || skip_all "python3 needed for the fixture generator"
[ "$(id -u)" -eq 0 ] || skip_all "policy files must be root-owned: run as root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
python3 "$top_srcdir/tests/scan/gen-fixture.py" mixed "$tmp/root" --dtc "${DTC:-dtc}" ||
	{ echo "Bail out! fixture"; exit 1; }
mkdir -m 0755 "$tmp/etc"

dev() {	# dev FILE ID FIELD
	python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
for x in d['devices']:
    if x['id']==sys.argv[2]: print(json.dumps(x[sys.argv[3]]))" "$1" "$2" "$3"
}
put() { cat > "$tmp/etc/$1"; chmod 0644 "$tmp/etc/$1"; }

put good.json <<'P'
{
  "version": 1,
  "comment": "test policy",
  "defaults": { "unknown": "attach" },
  "shutdown_drivers": { "add": ["ixgbe"], "remove": ["e1000e"] },
  "rules": [
    { "match": { "bdf": "00:02.0" }, "state": "active", "comment": "by address" },
    { "match": { "vendor_device": "8086:10fb" }, "action": "reset-then-attach" },
    { "match": { "class": "0x010601" }, "state": "quiesced" },
    { "match": { "driver": "nvme", "class": "0x0108", "mask": "0xff00" }, "action": "abort" },
    { "match": { "name": "b000000.dma" }, "state": "quiesced" }
  ]
}
P
"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/good.json" --json > "$tmp/o.json"
ok $? "a valid policy is accepted"
[ "$(dev "$tmp/o.json" 0000:00:02.0 state) $(dev "$tmp/o.json" 0000:00:02.0 policy_rule) $(dev "$tmp/o.json" 0000:00:02.0 action)" = '"active" 0 "abort"' ]
ok $? "bdf rule sets the state; the action follows it"
[ "$(dev "$tmp/o.json" 0000:00:06.0 action)" = '"reset-then-attach"' ]
ok $? "vendor_device rule sets the action"
[ "$(dev "$tmp/o.json" 0000:00:13.0 state)" = '"quiesced"' ]
ok $? "class rule (class+subclass, any prog-if)"
[ "$(dev "$tmp/o.json" b000000.dma state)" = '"quiesced"' ]
ok $? "platform name rule"
[ "$(dev "$tmp/o.json" 0000:00:08.0 action)" = '"attach"' ]
ok $? "defaults.unknown sets the action of unmatched unknown devices"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if 'policy' in [x for x in d['devices'] if x['id']=='0000:00:02.0'][0]['reasons'] else 1)" "$tmp/o.json"
ok $? "reason policy is recorded"
"$QDH" scan --sysroot "$tmp/root" --kexec --policy "$tmp/etc/good.json" --json > "$tmp/k.json"
[ "$(dev "$tmp/k.json" 0000:00:03.0 state) $(dev "$tmp/k.json" 0000:00:06.0 state)" = '"active" "quiesced"' ]
ok $? "shutdown_drivers add/remove override the built-in list"

# Errors name the file and the position.
put syntax.json <<'P'
{
  "rules": [
    { "match": { "bdf": "00:02.0" } "state": "active" }
  ]
}
P
"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/syntax.json" 2> "$tmp/err"
ok $(( $? != 1 )) "syntax error exits 1"
grep -q "syntax.json:3:[0-9]*: " "$tmp/err"
ok $? "syntax error names file:line:column ($(cat "$tmp/err"))"
put semantic.json <<'P'
{ "rules": [ { "match": { "class": "network" }, "state": "active" } ] }
P
"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/semantic.json" 2> "$tmp/err"
ok $(( $? != 1 )) "bad value exits 1"
grep -q 'semantic.json: rules\[0\].match.class: ' "$tmp/err"
ok $? "bad value names the file and the JSON path ($(cat "$tmp/err"))"
put typo.json <<'P'
{ "rulez": [] }
P
run_fails 1 "an unknown key is an error, not ignored" \
	"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/typo.json" 2>/dev/null
put nostate.json <<'P'
{ "rules": [ { "match": { "driver": "nvme" } } ] }
P
run_fails 1 "a rule that sets nothing is an error" \
	"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/nostate.json" 2>/dev/null
"$QDH" scan --sysroot "$tmp/root" --json --policy "$tmp/etc/semantic.json" > "$tmp/err.json"
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if 'rules[0]' in d['error']['message'] else 1)" "$tmp/err.json"
ok $? "in JSON mode the policy error is JSON"

# Refusal, like sudo.
cp "$tmp/etc/good.json" "$tmp/etc/open.json"
chmod 0666 "$tmp/etc/open.json"
"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/open.json" 2> "$tmp/err"
ok $(( $? != 1 )) "world-writable policy refused (exit 1)"
grep -q 'refused: the file is writable by group or others (mode 0666)' "$tmp/err"
ok $? "refusal says why"
chmod 0664 "$tmp/etc/open.json"
run_fails 1 "group-writable policy refused" \
	"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/open.json" 2>/dev/null
mkdir -m 0777 "$tmp/pub"
cp "$tmp/etc/good.json" "$tmp/pub/p.json" && chmod 0644 "$tmp/pub/p.json"
chmod 0777 "$tmp/pub"
"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/pub/p.json" 2> "$tmp/err"
ok $(( $? != 1 )) "policy in a world-writable directory refused"
grep -q 'its directory is writable' "$tmp/err"
ok $? "directory refusal says why"
chown 65534 "$tmp/etc/good.json"
run_fails 1 "policy owned by another user refused" \
	"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/good.json" 2>/dev/null
run_fails 2 "missing policy file is an I/O error (2)" \
	"$QDH" scan --sysroot "$tmp/root" --policy "$tmp/etc/none.json" 2>/dev/null

done_testing
