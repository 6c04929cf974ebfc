#!/bin/bash
# The e2e-distro step of one boot of the Debian guest (tests/e2e/distro),
# run by qdh-e2e-distro.service once the boot is done.  The host picks the
# step with distro.stage= on the kernel command line:
#   kt       kexec-tools as Debian installs it: record, panic
#   qdh      dpkg -i the kexec-qdh package (kdump-tools already loaded),
#            record what the package did, panic
#   boot     a boot with kexec-qdh installed: record, power off
# Everything the host checks is a marker line "QDH-E2E: KEY=VALUE" on the
# console (the harness's own format, tests/e2e/guest/lib.sh).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C
# Straight to the console: through the journal every line would get a
# "[ time] distro.sh[pid]: " prefix.
exec >/dev/console 2>&1
mark() { printf '\nQDH-E2E: %s\n' "$*"; }
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

stage=$(sed -n 's/.*\bdistro\.stage=\([^ ]*\).*/\1/p' /proc/cmdline)
mark "distro_stage=$stage"
mark "kernel=$(uname -r)"

# The boot: wait for it to finish, as an operator would look at it.
state=$(systemctl is-system-running --wait 2>&1)
mark "system_state=$state"
mark "failed_units=$(systemctl list-units --failed --plain --no-legend 2>/dev/null | awk '{ printf "%s%s", s, $1; s = "," }')"
mark "boot_done_ms=$(uptime_ms)"
systemctl list-units --failed --no-pager 2>&1 | sed 's/^/failed: /'

# kdump-tools' load at boot: its ExecStart (kdump-config load, hence
# /sbin/kexec -p) from start to exit, as systemd measured it.
kdump_service() {	# kdump_service PREFIX
	local start exit result status
	eval "$(systemctl show kdump-tools.service -p ExecMainStartTimestampMonotonic \
		-p ExecMainExitTimestampMonotonic -p Result -p ExecMainStatus |
		sed -n 's/^\([A-Za-z]*\)=\([0-9a-z-]*\)$/\1=\2/p')"
	start=${ExecMainStartTimestampMonotonic:-0} exit=${ExecMainExitTimestampMonotonic:-0}
	mark "$1_result=${Result:-none},status=${ExecMainStatus:-none}"
	[ "$start" -gt 0 ] && [ "$exit" -gt "$start" ] && mark "$1_ms=$(( (exit - start) / 1000 ))"
}
# What is loaded, and by which /sbin/kexec.
record_kdump() {	# record_kdump PREFIX
	mark "$1_crash_loaded=$(cat /sys/kernel/kexec_crash_loaded)"
	mark "$1_kexec_cmd=$(cat /var/crash/kexec_cmd 2>/dev/null)"
	d=$(dpkg-divert --list /sbin/kexec 2>/dev/null)
	mark "$1_divert=${d:-none}"
	mark "$1_initrd=$(readlink -f /var/lib/kdump/initrd.img)"
	# kexec-qdh takes /run/kexec-qdh.lock for every load (doc/loader.md):
	# the crash kernel was loaded through it during this boot
	if [ -e /run/kexec-qdh.lock ]; then mark "$1_qdh_lock=yes"; else mark "$1_qdh_lock=no"; fi
}

panic_now() {
	kdump-config status 2>&1 | sed 's/^/kdump-config status: /'
	sync
	mark "panic=now"
	sleep 1	# let the console drain: a panic drops what is still queued
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
	sleep 10
	mark "fail=still alive 10 s after the sysrq crash"
	systemctl poweroff --force --force
}

kdump_service boot_load
record_kdump boot
case $stage in
boot)
	# boot: the units kexec-qdh installs, as systemd ran them
	systemctl list-units --all --plain --no-legend 'kexec-qdh*' 2>/dev/null | sed 's/^/unit: /'
	mark "step_done=$stage"
	systemctl poweroff
	;;
kt)
	mark "step_done=$stage"
	panic_now
	;;
qdh)
	deb=$(ls /root/kexec-qdh_*.deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || { mark "fail=no kexec-qdh .deb in /root"; systemctl poweroff; exit 1; }
	t0=$(uptime_ms)
	mark "dpkg=start"
	DEBIAN_FRONTEND=noninteractive dpkg -i "$deb" 2>&1 | sed 's/^/dpkg: /'
	rc=${PIPESTATUS[0]}
	mark "dpkg_ms=$(( $(uptime_ms) - t0 ))"
	mark "dpkg_rc=$rc"
	record_kdump installed
	mark "installed_state=$(systemctl is-system-running 2>&1)"
	mark "step_done=$stage"
	panic_now
	;;
*)
	mark "fail=unknown distro.stage '$stage'"
	systemctl poweroff
	;;
esac
