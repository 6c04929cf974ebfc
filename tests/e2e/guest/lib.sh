# Helpers for the guest side of the e2e scenarios (busybox ash).
# Everything the host asserts goes through `mark`: one console line
#   QDH-E2E: KEY=VALUE
# (a newline first, so a kernel message never shares the line).

mark() { printf '\nQDH-E2E: %s\n' "$*"; }

# Value of KEY=... on the kernel command line (empty when absent).
cmdline_get() {
	for w in $(cat /proc/cmdline); do
		case $w in "$1"=*) echo "${w#*=}"; return 0 ;; esac
	done
	return 1
}

# Milliseconds since boot (busybox date has no %N; uptime has 10 ms).
uptime_ms() {
	read -r up _ </proc/uptime
	frac=${up#*.}
	frac=${frac#0}	# "08" would be read as octal
	echo $(( ${up%.*} * 1000 + frac * 10 ))
}

# timed NAME CMD...: run CMD, mark NAME_ms=elapsed and NAME_rc=exit code,
# and pass its output to the console.  Returns CMD's exit code.
timed() {
	name=$1; shift
	t0=$(uptime_ms)
	"$@"
	rc=$?
	t1=$(uptime_ms)
	mark "${name}_ms=$((t1 - t0))"
	mark "${name}_rc=$rc"
	return $rc
}

# fail REASON: tell the host why, and stop this stage.
fail() { mark "fail=$*"; exit 1; }

# The kernel command line for the next kernel: the crash kernel is the
# notes' working one; `qdh.scenario` lets /init pick the same scenario.
crash_append() {
	echo "console=$(console_dev) earlycon maxcpus=1 reset_devices panic=-1 qdh.scenario=$SCENARIO $*"
}
console_dev() {
	for w in $(cat /proc/cmdline); do
		case $w in console=*) c=${w#console=}; echo "${c%%,*}"; return ;; esac
	done
	echo ttyAMA0
}

# Send guest file or directory contents back to the host: a tar of $1,
# base64 between markers; the host unpacks it (e2e_extract_files).
send_dir() {
	printf '\nQDH-E2E-FILES-BEGIN\n'
	tar -C "$1" -cf - . | gzip | base64
	printf 'QDH-E2E-FILES-END\n'
}

# Panic now (the sysrq crash is what kdump users hit).
crash_now() {
	mark "panic=now"
	echo 1 >/proc/sys/kernel/sysrq
	echo c >/proc/sysrq-trigger
	sleep 5
	fail "still alive 5 s after the sysrq crash"
}

# Whether a crash kernel is loaded, as the kernel says.
crash_loaded() { cat /sys/kernel/kexec_crash_loaded; }
