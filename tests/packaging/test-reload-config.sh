#!/bin/sh
# qdh-reload as its units run it (kexec-qdh-baseline.service: --record;
# the udev-made kexec-qdh-reload: no option), with the package's own
# /etc/default/kexec-qdh: what broke on a booted Debian ("qdh scan failed:"
# then "on: not found": the defaults file's QDH=on replaced the qdh binary),
# QDH=off, the scan options of the load taken from QDH_ARGS in both
# --opt=X and --opt X forms (never globbed), and a baseline only for a
# loaded crash kernel.  The qdh binary is a wrapper that records its
# arguments (NUL-separated) and runs the real one.
. "$top_srcdir/tests/common/tap.sh"
RELOAD=$top_srcdir/scripts/qdh-reload
command -v python3 > /dev/null || skip_all "python3 needed for the fixture"
command -v flock > /dev/null || skip_all "flock (util-linux) needed"
[ -x "$top_builddir/qdh" ] || skip_all "qdh not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-rlcfg.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

# qdh in PATH, as in a unit's environment, recording each scan's arguments.
mkdir -p "$T/bin"
cat > "$T/bin/qdh" <<EOF
#!/bin/sh
[ "\$1" = scan ] && printf '%s\0' "\$@" > "$T/scan.args"
exec "$top_builddir/qdh" "\$@"
EOF
chmod +x "$T/bin/qdh"
# The environment of a systemd service: its default PATH, nothing else.
unitenv() { env -i PATH="$T/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$@"; }

r=$T/root
python3 - "$r" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.environ["top_srcdir"], "tests", "scan"))
from sysfs_tree import Tree
t = Tree(sys.argv[1])
t.dir("/sys/class/iommu")
t.pci("0000:00:01.0", command=0x0, group=1)
t.pci("0000:00:02.0", command=0x6, driver="nvme", group=2)
t.file("/sys/kernel/kexec_crash_loaded", "1\n")
t.file("/var/crash/kexec_cmd", 'echo reloaded >> "$(dirname "$0")/../../reloads"\n')
PY
mkdir -p "$r/etc/default" "$r/etc/kexec-qdh"
cp "$top_srcdir/packaging/default.kexec-qdh" "$r/etc/default/kexec-qdh"
cp "$top_srcdir/packaging/policy.json" "$r/etc/kexec-qdh/policy.json"
cp "$top_srcdir/packaging/policy.json" "$r/etc/kexec-qdh/other.json"
# A working directory where a glob of QDH_ARGS would find something.
W=$T/cwd
mkdir -p "$W"
: > "$W/--qdh-dump-target=GLOBBED"; : > "$W/a"

run() {	# run NAME ARGS...: qdh-reload on the sysroot as a unit runs it
	n=$1; shift
	rm -f "$T/scan.args"
	(cd "$W" && unitenv sh "$RELOAD" --sysroot "$r" "$@") > "$T/$n" 2>&1
}
show() { sed 's/^/# /' "$T/$1"; }
# scanned_with WORD...: the scan got these words after --encode FILE
scanned_with() {
	[ -f "$T/scan.args" ] || { echo "# no scan"; return 1; }
	tr '\0' '\n' < "$T/scan.args" | sed '1,6d' > "$T/got"
	printf '%s\n' "$@" > "$T/want"
	cmp -s "$T/got" "$T/want" && return 0
	echo "# scan options: $(tr '\n' '|' < "$T/got"), want $(tr '\n' '|' < "$T/want")"
	return 1
}
setargs() { printf 'QDH=on\nQDH_POLICY=/etc/kexec-qdh/policy.json\nQDH_ARGS=%s\n' "$1" > "$r/etc/default/kexec-qdh"; }

# 1. The package's defaults (QDH=on, QDH_POLICY) as the baseline unit runs it.
run record --record
rc=$?
[ $rc -eq 0 ] && "$top_builddir/qdh" inspect "$r/run/kexec-qdh/loaded.qdh" > /dev/null 2>&1
ok $? "--record with the package's /etc/default/kexec-qdh (QDH=on) in a unit's environment: exit 0, baseline saved"
[ $rc -eq 0 ] || show record
scanned_with --policy "$r/etc/kexec-qdh/policy.json"
ok $? "...scanned with QDH_POLICY below the sysroot"

# 2. The udev-made unit: same inventory, no reload.
run same
[ $? -eq 0 ] && grep -q "inventory unchanged" "$T/same" && [ ! -e "$r/reloads" ]
ok $? "reload unit with the package's defaults: exit 0, inventory unchanged, no reload"

# 3. QDH_ARGS: --qdh-dump-target and --qdh-policy, in both forms.
setargs '"--qdh-dump-target 0000:00:02.0 --qdh-policy /etc/kexec-qdh/other.json"'
run sp --record --dry-run
scanned_with --policy "$r/etc/kexec-qdh/other.json" --dump-target 0000:00:02.0
ok $? "QDH_ARGS --qdh-dump-target X --qdh-policy F (space form) reach the scan"
setargs '"--qdh=on --qdh-dump-target=0000:00:02.0 --qdh-policy=/etc/kexec-qdh/other.json"'
run eq --record --dry-run
scanned_with --policy "$r/etc/kexec-qdh/other.json" --dump-target 0000:00:02.0
ok $? "QDH_ARGS --qdh-dump-target=X --qdh-policy=F (= form) reach the scan"
setargs '"--qdh-dump-target=vda --qdh-dump-target 0000:00:02.0"'
run last --record --dry-run
scanned_with --policy "$r/etc/kexec-qdh/policy.json" --dump-target 0000:00:02.0
ok $? "QDH_ARGS: the last --qdh-dump-target wins, as in kexec-qdh"
setargs "'--qdh-dump-target=* --json'"
run glob --record --dry-run
scanned_with --policy "$r/etc/kexec-qdh/policy.json" --dump-target "*"
ok $? "QDH_ARGS is never globbed: --qdh-dump-target=* stays * in a directory that has matches"
setargs '"--qdh-dump-target=0000:00:02.0"'
run override --record --dry-run --policy="$r/etc/kexec-qdh/other.json" --dump-target vda
scanned_with --policy "$r/etc/kexec-qdh/other.json" --dump-target vda
ok $? "--policy=F and --dump-target X of qdh-reload override the defaults file"
run lockeq --record --dry-run --lock-timeout=5
[ $? -eq 0 ]; ok $? "--lock-timeout=N is accepted like --lock-timeout N"

# 4. QDH=off (in the file or as --qdh=off in QDH_ARGS): nothing to do.
for off in 'QDH=off' 'QDH_ARGS="--qdh=off"' 'QDH_ARGS="--qdh off"'; do
	printf '%s\n' "$off" > "$r/etc/default/kexec-qdh"
	rm -f "$r/run/kexec-qdh/loaded.qdh"
	run off
	[ $? -eq 0 ] && grep -q "nothing to do" "$T/off" && [ ! -e "$r/reloads" ] && [ ! -e "$T/scan.args" ]
	ok $? "$off: exit 0, no scan, no reload"
done
cp "$top_srcdir/packaging/default.kexec-qdh" "$r/etc/default/kexec-qdh"

# 5. No crash kernel loaded: the baseline unit records nothing and removes
#    a stale baseline (it would hide the changes of the next load).
run record2 --record
echo 0 > "$r/sys/kernel/kexec_crash_loaded"
run unloaded --record
[ $? -eq 0 ] && [ ! -e "$r/run/kexec-qdh/loaded.qdh" ] && grep -q "no baseline to record" "$T/unloaded"
ok $? "--record with no crash kernel loaded: exit 0, stale baseline removed"
run unloaded2
[ $? -eq 0 ] && grep -q "nothing to reload" "$T/unloaded2"
ok $? "reload with no crash kernel loaded: exit 0, nothing to do"

# 6. A qdh that cannot be found is said plainly (exit 1), not "on: not found".
echo 1 > "$r/sys/kernel/kexec_crash_loaded"
(cd "$W" && env -i PATH=/usr/bin:/bin QDH_BIN=/nonexistent/qdh /bin/sh "$RELOAD" --sysroot "$r") > "$T/noqdh" 2>&1
[ $? -eq 1 ] && grep -q "qdh not found" "$T/noqdh"
ok $? "qdh missing: exit 1 with a clear message"

# 7. A defaults file that is not shell: exit 1 with its name.
echo 'QDH_ARGS="unterminated' > "$r/etc/default/kexec-qdh"
run broken --record
[ $? -eq 1 ] && grep -q "etc/default/kexec-qdh: not readable as shell settings" "$T/broken"
ok $? "a broken defaults file: exit 1, named"

done_testing
