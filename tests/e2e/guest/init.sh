#!/bin/sh
# /init of every e2e guest, first kernel and crash kernel alike.
# It picks the scenario from `qdh.scenario=NAME` on the kernel command line
# and the stage from the situation:
#   crash  /proc/vmcore exists (we are the kdump kernel)
#   STAGE  `qdh.stage=STAGE` on the command line (e.g. after kexec -e)
#   first  otherwise
# loads the modules (not in the crash stage), then runs stage_<stage> from /e2e/scenarios/NAME.sh and powers off.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/bin/busybox mkdir -p /proc /sys /dev /usr/bin /usr/sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev 2>/dev/null
/bin/busybox --install -s
mkdir -p /run /tmp
. /e2e/lib.sh

SCENARIO=$(cmdline_get qdh.scenario) || SCENARIO=exec
if [ -e /proc/vmcore ]; then
	STAGE=crash
elif s=$(cmdline_get qdh.stage); then
	STAGE=$s
else
	STAGE=first
fi
export SCENARIO STAGE
mark "stage=$STAGE"
mark "init_uptime_ms=$(uptime_ms)"
mark "kernel=$(uname -r)"

# The crash kernel's scenario loads them itself after `qdh apply`: the
# decision must come before any driver binds (as in a kdump initramfs).
[ "$STAGE" = crash ] || load_modules

if [ -f "/e2e/scenarios/$SCENARIO.sh" ]; then
	# a subshell: `fail`/`exit` in a stage still reaches the poweroff
	( . "/e2e/scenarios/$SCENARIO.sh" && "stage_$STAGE" )
	rc=$?
else
	mark "fail=no guest script for scenario $SCENARIO"
	rc=1
fi
mark "stage_rc=$rc"
sync
poweroff -f
