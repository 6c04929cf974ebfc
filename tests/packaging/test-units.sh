#!/bin/sh
# The systemd units and the udev rule: generated for one distribution's
# kdump service only (a unit wanted by a service that does not exist there
# was the bug), accepted by systemd-analyze verify, oneshot services that
# succeed or are skipped by a condition (systemd stays "running"), and the
# report keeper of kdump-tools' dump boot (scripts/qdh-crash-report).
. "$top_srcdir/tests/common/tap.sh"
GEN=$top_srcdir/udev/gen-unit.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-units.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

# --- the baseline unit for each distribution --------------------------------
for svc in kdump-tools.service kdump.service no; do
	sh "$GEN" "$top_srcdir/systemd/kexec-qdh-baseline.service.in" "$T/b.service" \
		/usr/libexec/kexec-qdh /usr/share/doc/kexec-qdh "$svc"
	wanted=$(sed -n 's/^WantedBy=//p' "$T/b.service" | tr '\n' ' ')
	after=$(sed -n 's/^After=//p' "$T/b.service" | tr '\n' ' ')
	if [ "$svc" = no ]; then
		[ -z "$wanted" ] && [ -z "$after" ] && ! grep -q '^\[Install\]' "$T/b.service"
	else
		[ "$wanted" = "$svc " ] && [ "$after" = "$svc " ]
	fi
	ok $? "baseline unit for $svc: WantedBy=/After= only that service (got '$wanted' / '$after')"
	! grep -q '@[A-Za-z_]*@' "$T/b.service"; ok $? "baseline unit for $svc: every @VAR@ replaced"
done
sh "$GEN" "$top_srcdir/systemd/kexec-qdh-baseline.service.in" "$T/x" /a /b kdump > /dev/null 2>&1
[ $? -eq 2 ]; ok $? "gen-unit.sh refuses an unknown kdump service"

# --- what this build generated and installs ----------------------------------
svc=$(sed -n 's/^KDUMP_SERVICE = //p' "$top_builddir/Makefile")
b=$top_builddir/systemd/kexec-qdh-baseline.service
[ -f "$b" ] || skip_all "units not generated (make all first)"
if [ "$svc" = no ]; then
	! grep -q '^WantedBy=' "$b"
else
	[ "$(sed -n 's/^WantedBy=//p' "$b")" = "$svc" ]
fi
ok $? "this build's baseline unit is wanted by its configured kdump service ($svc) only"
units="$b"
if [ "$svc" = kdump-tools.service ]; then
	units="$units $top_builddir/systemd/kexec-qdh-crash-report.path $top_builddir/systemd/kexec-qdh-crash-report.service"
	[ "$(sed -n 's/^WantedBy=//p' "$top_builddir/systemd/kexec-qdh-crash-report.path")" = kdump-tools-dump.service ]
	ok $? "the report keeper is wanted by kdump-tools-dump.service (kdump-tools' dump boot)"
fi
for u in $units; do
	case $u in
	*.service) grep -qx 'Type=oneshot' "$u"; ok $? "$(basename "$u"): Type=oneshot" ;;
	esac
done
grep -qx 'ConditionPathExists=!/proc/vmcore' "$b"
ok $? "baseline: skipped in a crash kernel"
if [ "$svc" = kdump-tools.service ]; then
	grep -qx 'ConditionPathExists=/proc/vmcore' "$top_builddir/systemd/kexec-qdh-crash-report.path" &&
		grep -qx 'ConditionPathExists=/run/qdh/report.json' "$top_builddir/systemd/kexec-qdh-crash-report.path"
	ok $? "report keeper: skipped outside a crash kernel and when qdh apply left no report"
fi
rule=$top_builddir/udev/90-kexec-qdh.rules
grep -q '^ENV{SYNTH_UUID}=="?\*", GOTO="kexec_qdh_end"' "$rule" &&
	grep -q '^TEST=="/proc/vmcore", GOTO="kexec_qdh_end"' "$rule" &&
	grep -q -- '--property=After=kexec-qdh-baseline.service ' "$rule"
ok $? "udev rule: no reload for replayed (coldplug) events or in a crash kernel; after the baseline"

# systemd-analyze verify: the units as installed, with ExecStart pointing at
# the scripts of this tree (the install directory does not exist here).
if command -v systemd-analyze > /dev/null 2>&1; then
	mkdir -p "$T/v"
	reloaddir=$(sed -n 's|^ExecStart=\(.*\)/qdh-reload --record$|\1|p' "$b")
	for u in $units; do
		sed "s|$reloaddir/|$top_srcdir/scripts/|" "$u" > "$T/v/$(basename "$u")"
	done
	(cd "$T/v" && systemd-analyze verify --man=no ./*) > "$T/verify" 2>&1
	rc=$?
	[ $rc -eq 0 ] && [ ! -s "$T/verify" ]
	ok $? "systemd-analyze verify: no error, no warning"
	sed 's/^/# /' "$T/verify"
fi

# --- the report keeper (scripts/qdh-crash-report) ------------------------------
KEEP=$top_srcdir/scripts/qdh-crash-report
r=$T/root
mkdir -p "$r/run/qdh" "$r/var/crash/202601010000" "$r/etc/default"
echo '{"old":true}' > "$r/var/crash/202601010000/qdh-report.json"
touch -d '2026-01-01 00:00' "$r/var/crash/202601010000" "$r/var/crash/202601010000/qdh-report.json"
sh "$KEEP" --sysroot "$r" > "$T/k0" 2>&1
[ $? -eq 0 ] && grep -q "did not run" "$T/k0"
ok $? "report keeper: no report (qdh apply did not run): exit 0, said so"
echo '{"decisions":[]}' > "$r/run/qdh/report.json"
touch -d '2026-02-02 10:00' "$r/run/qdh/report.json"
mkdir -p "$r/var/crash/202602021001" "$r/var/crash/10.0.0.5-202602021001"
touch -d '2026-02-02 10:01' "$r/var/crash/202602021001" "$r/var/crash/10.0.0.5-202602021001"
: > "$r/var/crash/kexec_cmd"
sh "$KEEP" --sysroot "$r" > "$T/k1" 2>&1
[ $? -eq 0 ] && cmp -s "$r/run/qdh/report.json" "$r/var/crash/202602021001/qdh-report.json" &&
	cmp -s "$r/run/qdh/report.json" "$r/var/crash/10.0.0.5-202602021001/qdh-report.json" &&
	grep -q old "$r/var/crash/202601010000/qdh-report.json"
ok $? "report keeper: copied into the dump directories of this boot only"
[ $? -eq 0 ] || sed 's/^/# /' "$T/k1"
echo changed > "$r/var/crash/202602021001/qdh-report.json"
sh "$KEEP" --sysroot "$r" > /dev/null 2>&1
grep -qx changed "$r/var/crash/202602021001/qdh-report.json"
ok $? "report keeper: a second run leaves a copied report alone"
echo 'KDUMP_COREDIR="/srv/dumps"' > "$r/etc/default/kdump-tools"
mkdir -p "$r/srv/dumps/202602021002"
touch -d '2026-02-02 10:02' "$r/srv/dumps/202602021002"
sh "$KEEP" --sysroot "$r" > /dev/null 2>&1
cmp -s "$r/run/qdh/report.json" "$r/srv/dumps/202602021002/qdh-report.json"
ok $? "report keeper: KDUMP_COREDIR of /etc/default/kdump-tools is honoured"

done_testing
