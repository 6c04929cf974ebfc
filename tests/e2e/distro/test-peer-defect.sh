#!/bin/sh
# The e2e-distro exemption for the peer's known defect (steps.sh,
# distro_peer_vmcore_defect; doc/e2e.md, "e2e-distro", "arm64"): only
# kexec-tools' crash load, only with makedumpfile's own failure lines
# after the panic, both of them.  Synthetic console logs; nothing boots.
. "$top_srcdir/tests/common/tap.sh"
command -v bash >/dev/null 2>&1 || skip_all "bash not found"

T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-peer-defect.XXXXXX")
trap 'rm -rf "$T"' EXIT

seek="1.0 [ 57.0] kdump-tools[255]: read_from_vmcore: Can't seek the dump memory(/proc/vmcore). (offset: ffffd92444e65000) Invalid argument"
failed="1.0 [ 57.2] kdump-tools[255]: makedumpfile Failed."
panic="1.0 [ 59.9] sysrq: Trigger a crash"
printf '%s\n' "$panic" "$seek" "$failed" >"$T/defect.log"
printf '%s\n' "$seek" "$failed" "$panic" >"$T/before-panic.log"
printf '%s\n' "$panic" "$seek" >"$T/seek-only.log"
printf '%s\n' "$panic" "$failed" >"$T/failed-only.log"

defect() {	# defect LOG TOOL: distro_peer_vmcore_defect's status
	E2E_SRCDIR=$top_srcdir E2E_BUILDDIR=$T E2E_WORK=$T/work bash -c '
		. "$E2E_SRCDIR/tests/e2e/distro/steps.sh" || exit 2
		E2E_LAST_LOG=$1
		distro_peer_vmcore_defect "$2"' sh "$T/$1" "$2" 2>"$T/err"
}

defect defect.log kexec-tools
ok $? "kexec-tools' crash kernel with both makedumpfile lines: the known defect"
defect defect.log kexec-qdh
[ $? -eq 1 ]
ok $? "never for kexec-qdh's crash load"
defect before-panic.log kexec-tools
[ $? -eq 1 ]
ok $? "not for lines before the panic"
defect seek-only.log kexec-tools
[ $? -eq 1 ]
ok $? "not without makedumpfile's own 'Failed'"
defect failed-only.log kexec-tools
[ $? -eq 1 ]
ok $? "not for another makedumpfile failure"
done_testing
