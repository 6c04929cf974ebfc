#!/bin/sh
# The /sbin/kexec front end (packaging/kexec-frontend.sh) with stub
# programs: crash-kernel loads reach kexec-qdh with the policy and QDH_ARGS
# of /etc/default/kexec-qdh, everything else reaches kexec-tools unchanged.
. "$top_srcdir/tests/common/tap.sh"

FE=$top_srcdir/packaging/kexec-frontend.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-fe.XXXXXX")
trap 'rm -rf "$T"' EXIT

for p in kexec-qdh kexec-tools; do
	printf '#!/bin/sh\necho %s "$@"\n' "$p" > "$T/$p"
	chmod +x "$T/$p"
done
: > "$T/policy.json"
export QDH_LOADER="$T/kexec-qdh" QDH_KEXEC_TOOLS="$T/kexec-tools"
export QDH_DEFAULTS="$T/default"

# expect OUTPUT DESCRIPTION ARG...: the front end prints OUTPUT
expect() {
	want=$1 d=$2; shift 2
	got=$(sh "$FE" "$@" 2>&1)
	[ "$got" = "$want" ]; ok $? "$d"
	[ "$got" = "$want" ] || echo "# got:  $got
# want: $want"
}

: > "$T/default"
expect "kexec-qdh -p /boot/vmlinuz --initrd=/boot/initrd" "-p goes to kexec-qdh" \
	-p /boot/vmlinuz --initrd=/boot/initrd
expect "kexec-qdh --load-panic k" "--load-panic goes to kexec-qdh" --load-panic k
expect "kexec-qdh -sp k" "clustered -sp goes to kexec-qdh" -sp k
expect "kexec-qdh --command-line=x -p -u" "kdump-tools' unload (-p -u) goes to kexec-qdh" \
	--command-line=x -p -u
expect "kexec-tools -l k --append=x" "-l goes to kexec-tools" -l k --append=x
expect "kexec-tools -e" "-e goes to kexec-tools" -e
expect "kexec-tools --version" "--version goes to kexec-tools" --version
expect "kexec-tools -s --initrd=p k" "-s alone is not -p" -s --initrd=p k
expect "kexec-tools -l k -- -p" "-p after -- is not an option" -l k -- -p
expect "kexec-tools --append=-p k" "-p inside an option's value is not -p" --append=-p k
expect "kexec-tools" "no argument goes to kexec-tools"

cat > "$T/default" <<D
QDH_POLICY=$T/policy.json
QDH_ARGS="--qdh=require --qdh-dump-target=/var/crash"
D
expect "kexec-qdh --qdh-policy $T/policy.json --qdh=require --qdh-dump-target=/var/crash -p k" \
	"QDH_POLICY and QDH_ARGS are passed to kexec-qdh" -p k
expect "kexec-tools -l k" "... and not to kexec-tools" -l k
echo "QDH_POLICY=$T/none.json" > "$T/default"
expect "kexec-qdh -p k" "a QDH_POLICY that does not exist is not passed" -p k
echo 'QDH_ARGS="--qdh-dump-target *"' > "$T/default"
cd "$T" || exit 1
expect "kexec-qdh --qdh-dump-target * -p k" "QDH_ARGS is not globbed" -p k
cd - >/dev/null || exit 1
echo QDH=off > "$T/default"
expect "kexec-tools -p k" "QDH=off sends -p to kexec-tools" -p k

: > "$T/default"
QDH_LOADER=$T/absent expect "kexec-tools -p k" "no kexec-qdh installed: -p goes to kexec-tools" -p k
QDH_KEXEC_TOOLS=$T/absent sh "$FE" -l k 2> "$T/err"
ok $(( $? != 255 )) "kexec-tools missing: exit 255"
grep -q "reinstall kexec-tools" "$T/err"; ok $? "kexec-tools missing: says so"

done_testing
