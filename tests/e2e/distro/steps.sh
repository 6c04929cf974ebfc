# The e2e-distro scenarios, one function per TAP line (bash; a scenario
# file sets DISTRO_ARCH and sources this).  They run in order and share
# one disk image ($E2E_WORK/distro-ARCH/disk.img), as one machine's life:
#   image      the cached Debian image (built on the host when missing), a
#              fresh copy, the kexec-qdh .deb and the guest step put into it
#   kexec-tools  first boot; kdump-tools loads with kexec-tools; panic; the
#              crash kernel saves the dump (the QDH=off peer: nothing of ours)
#   install    boot (kdump-tools loads with kexec-tools), dpkg -i kexec-qdh:
#              its postinst rebuilds kdump-tools' initramfs with qdh and
#              reloads the crash kernel through the diverted /sbin/kexec
#   crash      (same boot) panic; the crash kernel's qdh apply keeps the
#              root disk (reset-then-attach), kdump-tools saves the dump
#              and the apply report beside it
#   reboot     boot with kexec-qdh installed: kdump-tools loads through it,
#              systemd is healthy
#   timing     both tools' load, panic -> crash kernel, crash kernel ->
#              dump saved, wall and QEMU CPU time, and the ratios (# comments)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SCENARIO_ARCH=	# not the initramfs guests of lib/: nothing to prepare
SCENARIO_NEEDS=
# one QEMU run (boot, maybe dpkg -i, panic, crash kernel, dump): about
# 300 s of CPU; the margin is for a loaded host
DISTRO_BOOT_TMO=${E2E_DISTRO_BOOT_TIMEOUT:-1800}
# The crash kernel's first line, and kdump-tools' last word on the dump.
DISTRO_BANNER='\] Linux version [0-9]|Booting Linux on physical CPU'
DISTRO_SAVED='kdump-tools: saved vmcore in'
DISTRO_ROOT_BDF=0000:01:00.0	# the NVMe disk behind root port 00:04.0
DISTRO_PORT_BDF=0000:00:04.0

distro_t() { e2e_timing "distro-$DISTRO_ARCH.$1" "$2"; }
# Run CMD (a function, in a subshell) and record its wall and CPU time
# (its own and its children's: debootstrap, apt, dpkg, mkfs) as NAME_ms
# and NAME_cpu_ms.
distro_timed() {	# NAME CMD...
	local name=$1 t0 rc tf=$DISTRO_DIR/.times
	shift
	t0=$(e2e_now_ms)
	# times in the subshell itself: a fork starts with zero times, so
	# what it prints is the command's alone
	( "$@"; rc=$?; times >"$tf"; exit $rc )
	rc=$?
	distro_t "${name}_ms" $(( $(e2e_now_ms) - t0 ))
	distro_t "${name}_cpu_ms" "$(awk '
		function ms(s,   m) { m = s; sub(/m.*/, "", m); sub(/^[0-9]*m/, "", s); sub(/s$/, "", s); return m * 60000 + s * 1000 }
		{ t += ms($1) + ms($2) } END { printf "%d", t }' "$tf")"
	return $rc
}
distro_deb_into() { distro_deb >"$1"; }
distro_need() {	# a previous step's result, or fail this one
	[ -f "$DISTRO_DIR/disk.img" ] && [ -n "$(distro_state_get image)" ] ||
		{ reason "no image: the image step failed"; return 1; }
}

# --- image ---------------------------------------------------------------
distro_step_image() {
	local key cache t0 t deb s1key s1 log binfmt rc
	mkdir -p "$DISTRO_DIR" "$E2E_CACHE/distro"
	rm -f "$DISTRO_DIR/state" "$DISTRO_DIR/disk.img"
	for t in debootstrap sfdisk mkfs.ext4 debugfs dpkg-buildpackage "$(e2e_qemu_bin "$DISTRO_ARCH")"; do
		command -v "$t" >/dev/null || { reason "$t not found (scripts/install-deps.sh)"; return 1; }
	done
	[ "$(id -u)" -eq 0 ] || { reason "needs root (debootstrap, chroot)"; return 1; }

	distro_timed deb_build distro_deb_into "$DISTRO_DIR/deb" ||
		{ reason "no kexec-qdh .deb (see the messages above)"; return 1; }
	deb=$(cat "$DISTRO_DIR/deb")
	echo "# package: $deb"

	key=$(distro_image_key "$DISTRO_ARCH")
	cache=$E2E_CACHE/distro/$DISTRO_ARCH-$key
	if [ ! -f "$cache/disk.img" ] || [ "${E2E_DISTRO_REBUILD:-0}" = 1 ]; then
		rm -rf "$cache.new"; mkdir -p "$cache.new"
		s1key=$(distro_stage1_key "$DISTRO_ARCH")
		s1=$E2E_CACHE/distro/stage1-$DISTRO_ARCH-$s1key.tar
		if [ ! -s "$s1" ] || [ "${E2E_DISTRO_REBUILD:-0}" = 1 ]; then
			binfmt=$(distro_binfmt_on "$DISTRO_ARCH" 2>"$cache.new/binfmt.err") ||
				{ reason "cannot run $DISTRO_ARCH binaries in a chroot: $(cat "$cache.new/binfmt.err")"; return 1; }
			e2e_log "distro: debootstrap $DISTRO_SUITE $DISTRO_ARCH (log: $cache.new/stage1.log)"
			distro_timed debootstrap distro_stage1 "$DISTRO_ARCH" "$s1" "$cache.new/stage1.log"
			rc=$?
			distro_binfmt_off "$binfmt"
			[ $rc -eq 0 ] ||
				{ reason "debootstrap or apt-get failed: $(tail -n 3 "$cache.new/stage1.log" | tr '\n' ' ')"; return 1; }
		fi
		distro_timed mkdisk distro_stage2 "$DISTRO_ARCH" "$s1" "$cache.new" "$cache.new/stage2.log" ||
			{ reason "making the disk image failed: $(tail -n 3 "$cache.new/stage2.log" | tr '\n' ' ')"; return 1; }
		mv "$cache.new/disk.tmp" "$cache.new/disk.img"
		rm -rf "$cache"; mv "$cache.new" "$cache"
		echo "# image built: $cache"
	else
		echo "# image cached: $cache"
	fi
	t0=$(e2e_now_ms)
	cp --sparse=always "$cache/disk.img" "$DISTRO_DIR/disk.img" &&
		cp "$cache/uuid" "$DISTRO_DIR/uuid" || { reason "copying the image failed"; return 1; }
	distro_put_step "$DISTRO_DIR/disk.img" || { reason "debugfs could not write the guest step"; return 1; }
	distro_debugfs -w "$DISTRO_DIR/disk.img" "write $deb /root/${deb##*/}" >/dev/null
	distro_debugfs "$DISTRO_DIR/disk.img" "ls /root" | grep -q "${deb##*/}" ||
		{ reason "debugfs could not write the .deb into the image"; return 1; }
	distro_t copy_ms $(( $(e2e_now_ms) - t0 ))
	distro_state_set image "$cache"
	distro_state_set deb "$deb"
}

# --- the crash cycles -----------------------------------------------------

# Boot STAGE (kt or qdh): the first kernel, its step, the panic, the crash
# kernel, QEMU's exit.  The checks read the console afterwards.
distro_crash_boot() {	# STAGE
	local stage=$1 log
	log=$E2E_LOGDIR/distro-$DISTRO_ARCH-$stage.log
	distro_get_crash "$DISTRO_DIR/disk.img" "$DISTRO_DIR/crash-before" || true
	distro_boot "$stage" "$log" "$DISTRO_BOOT_TMO" || return 1
	distro_state_set "log_$stage" "$log"
}

# The wall and CPU time of one phase, from the console: from the first
# line matching ERE1 (after the first line matching AFTER, if given) to
# the next line matching ERE2.  Recorded as KEY_ms and KEY_cpu_ms (QEMU's
# CPU time in that interval: see distro_cpu_sampler).  Fails when a line
# is missing.
distro_phase() {	# KEY ERE1 ERE2 [AFTER]
	local key=$1 log=$E2E_LAST_LOG from=0 a b cpu
	if [ -n "${4:-}" ]; then
		from=$(e2e_line_time "$log" "$4") && [ -n "$from" ] || return 1
		from=${from#* }
	fi
	a=$(e2e_line_time "$log" "$2" "$from") && [ -n "$a" ] || return 1
	b=$(e2e_line_time "$log" "$3" "${a#* }") && [ -n "$b" ] || return 1
	distro_t "${key}_ms" "$(awk -v a="${a% *}" -v b="${b% *}" 'BEGIN { printf "%d", (b - a) * 1000 + 0.5 }')"
	cpu=$(distro_cpu_ms "${log%.log}.cpu" "${a% *}" "${b% *}") && distro_t "${key}_cpu_ms" "$cpu"
	return 0
}

# The boot up to the panic (or power-off), for TOOL's timings: systemd
# `running` (the operator's view; issue 11 item 3), kdump-tools loaded.
distro_check_first_kernel() {	# TOOL
	local tool=$1 ms
	expect_marker system_state running "systemd was not running before the panic (failed: $(e2e_marker "$E2E_LAST_LOG" failed_units))" || return 1
	expect_marker boot_load_result "success,status=0" "kdump-tools.service did not load at boot" || return 1
	expect_marker boot_crash_loaded 1 "no crash kernel loaded after boot" || return 1
	# kdump-tools.service's ExecStart as systemd measured it (guest clock),
	# and the same interval on the console with QEMU's CPU time
	ms=$(e2e_marker "$E2E_LAST_LOG" boot_load_ms) || { reason "no kdump-tools load time"; return 1; }
	distro_t "$tool.boot_load_ms" "$ms"
	distro_phase "$tool.load" 'kdump-tools\[[0-9]+\]: Starting kdump-tools' 'kdump-tools\[[0-9]+\]: loaded kdump kernel' ||
		{ reason "no 'Starting kdump-tools' ... 'loaded kdump kernel' on the console"; return 1; }
	distro_phase "$tool.boot" '' 'QDH-E2E: system_state=' || true
}

# A defect of the peer, not of ours, recognised by its own signature: on
# Debian 12 arm64 with its 6.1 kernel (CONFIG_KALLSYMS_ALL unset),
# makedumpfile cannot read the /proc/vmcore that kexec-tools 2.0.25's
# elfcorehdr makes ("read_from_vmcore: Can't seek the dump memory
# (/proc/vmcore). (offset: ffff...)": an offset that is a kernel virtual
# address), fails, and kdump-tools still says "saved vmcore" over an empty
# dump and no dmesg.  (kexec-qdh's elfcorehdr has System RAM PT_LOADs
# only: makedumpfile reads it on the same kernel.)  Only for kexec-tools'
# crash load, only with makedumpfile's own failure lines after the panic.
distro_peer_vmcore_defect() {	# TOOL
	[ "$1" = kexec-tools ] || return 1
	sed -n '/sysrq: Trigger a crash/,$p' "$E2E_LAST_LOG" |
		grep -q "read_from_vmcore: Can't seek the dump memory(/proc/vmcore)" &&
		sed -n '/sysrq: Trigger a crash/,$p' "$E2E_LAST_LOG" | grep -q 'makedumpfile Failed'
}

# The crash half of a cycle: panic -> crash kernel -> dump saved.  Sets
# STAMPDIR (host copy of the one new /var/crash/<stamp>/).  Returns 78
# (an expected failure) for the peer's defect above.
distro_check_dump() {	# TOOL STAGE
	local tool=$1 before new
	expect_marker panic now "the first kernel never panicked" || return 1
	distro_phase "$tool.panic_to_crash" 'sysrq: Trigger a crash' "$DISTRO_BANNER" ||
		{ reason "the crash kernel never started after the panic"; return 1; }
	distro_phase "$tool.crash_to_mount" "$DISTRO_BANNER" 'EXT4-fs \(nvme0n1p1\): mounted' 'sysrq: Trigger a crash' ||
		{ reason "the crash kernel never mounted its root file system (last line: $(e2e_tail "$E2E_LAST_LOG" 1))"; return 1; }
	expect_line "$DISTRO_SAVED" "kdump-tools did not save the dump" || return 1
	distro_phase "$tool.crash_to_saved" "$DISTRO_BANNER" "$DISTRO_SAVED" 'sysrq: Trigger a crash' ||
		{ reason "kdump-tools did not save the dump in the crash kernel"; return 1; }
	distro_t "$tool.run_ms" "$(distro_state_get "run_wall_$2")"
	distro_t "$tool.run_cpu_ms" "$(distro_state_get "run_cpu_$2")"
	distro_get_crash "$DISTRO_DIR/disk.img" "$DISTRO_DIR/crash" ||
		{ reason "no /var/crash in the image after the crash"; return 1; }
	before=$(distro_stamps "$DISTRO_DIR/crash-before")
	new=$(distro_stamps "$DISTRO_DIR/crash" | grep -vxF -e "${before:-//}")
	[ "$(echo "$new" | grep -c .)" -eq 1 ] ||
		{ reason "want one new /var/crash/<stamp>/, found: '$(echo $new)' (before: '$(echo $before)')"; return 1; }
	STAMPDIR=$DISTRO_DIR/crash/crash/$new
	echo "# /var/crash/$new: $(cd "$STAMPDIR" && ls -s | tr '\n' ' ')"
	compgen -G "$STAMPDIR/dump.*" >/dev/null ||
		{ reason "/var/crash/$new holds no dump.* (kdump-tools fell back to the raw vmcore, or failed)"; return 1; }
	if [ ! -s "$(ls "$STAMPDIR"/dump.* | head -n1)" ] && distro_peer_vmcore_defect "$tool"; then
		distro_state_set peer_dump empty
		reason "the peer's dump is empty: makedumpfile cannot read the /proc/vmcore of kexec-tools' elfcorehdr on this kernel (Can't seek the dump memory; doc/e2e.md)"
		return 78
	fi
	[ -s "$(ls "$STAMPDIR"/dump.* | head -n1)" ] ||
		{ reason "/var/crash/$new/dump.* is empty (makedumpfile failed: kdump-tools does not notice)"; return 1; }
	compgen -G "$STAMPDIR/dmesg.*" >/dev/null ||
		{ reason "/var/crash/$new holds no dmesg.*"; return 1; }
}

distro_step_kexec_tools() {
	distro_need || return 1
	distro_crash_boot kt || return 1
	expect_marker distro_stage kt "the guest step did not run" || return 1
	expect_marker boot_divert none "/sbin/kexec is diverted before kexec-qdh is installed" || return 1
	expect_marker boot_qdh_lock no "kexec-qdh loaded without the package" || return 1
	distro_check_first_kernel kexec-tools || return 1
	no_line 'qdh-apply|qdh apply' "something of kexec-qdh ran without the package" || return 1
	distro_check_dump kexec-tools kt	# 78: the peer's defect (an expected failure)
}

# kdump-tools' initramfs in the run's disk has qdh (yes) or not (no).
distro_expect_kdump_initrd() {	# yes|no WHY
	local kver got err
	kver=$(cat "$(distro_state_get image)/kver" 2>/dev/null)
	[ -n "$kver" ] || { reason "no kernel version recorded with the image"; return 1; }
	got=$(distro_kdump_initrd_qdh "$DISTRO_DIR/disk.img" "$kver" 2>"$DISTRO_DIR/kdump-initrd.err") ||
		{ reason "cannot read kdump-tools' initramfs: $(head -n1 "$DISTRO_DIR/kdump-initrd.err")"; return 1; }
	echo "# qdh in /var/lib/kdump/initrd.img-$kver (read from the host): $got"
	[ "$got" = "$1" ] || { reason "$2 (qdh in /var/lib/kdump/initrd.img-$kver: $got, want $1)"; return 1; }
}

distro_step_install() {
	distro_need || return 1
	distro_expect_kdump_initrd no "qdh in kdump-tools' initramfs before the package" || return 1
	distro_crash_boot qdh || return 1
	expect_marker distro_stage qdh "the guest step did not run" || return 1
	distro_check_first_kernel kexec-tools.2 || return 1
	expect_marker dpkg_rc 0 "dpkg -i of the kexec-qdh package failed" || return 1
	# dpkg -i as a whole, and its two long parts: kdump-tools' initramfs
	# made again (its own hook), the crash kernel reloaded (try-reload)
	distro_phase kexec-qdh.dpkg 'QDH-E2E: dpkg=start' 'QDH-E2E: dpkg_ms=' || true
	distro_phase kexec-qdh.dpkg_kdump_initramfs "dpkg: kexec-qdh: rebuilding kdump-tools' initramfs" \
		'dpkg: kexec-qdh: (reloading|kdump-tools.service is not|no crash kernel|in a chroot)' || true
	distro_phase kexec-qdh.dpkg_reload 'dpkg: kexec-qdh: reloading the crash kernel' 'QDH-E2E: dpkg_ms=' || true
	expect_marker installed_divert "diversion of /sbin/kexec to /sbin/kexec.kexec-tools by kexec-qdh" \
		"dpkg -i did not divert /sbin/kexec" || return 1
	# the disk as the crash left it: the initramfs dpkg -i made
	distro_expect_kdump_initrd yes \
		"the package did not make kdump-tools rebuild its initramfs with qdh (issue 11 item 2)" || return 1
	expect_marker installed_crash_loaded 1 "no crash kernel loaded after dpkg -i" || return 1
	expect_marker installed_qdh_lock yes "the package did not reload the crash kernel through kexec-qdh" || return 1
	expect_marker installed_state running "systemd not running after dpkg -i" || return 1
}

distro_step_crash() {
	local log rep
	distro_need || return 1
	log=$(distro_state_get log_qdh)
	[ -n "$log" ] && [ -f "$log" ] || { reason "the install step did not boot"; return 1; }
	E2E_LAST_LOG=$log
	expect_marker step_done qdh "the install step did not reach the panic" || return 1
	# qdh apply ran in the crash kernel's initramfs
	expect_line 'qdh-apply|qdh apply' "no qdh apply in the crash kernel (kdump-tools' initramfs has no qdh)" || return 1
	no_line 'Gave up waiting for root|ALERT! .* does not exist' \
		"the crash kernel lost its root disk" || return 1
	distro_check_dump kexec-qdh qdh || return 1
	distro_state_set stampdir "$STAMPDIR"
	distro_check_report || return 1
}

# The apply report kept with the dump: the package copies the crash
# kernel's /run/qdh/report.json into the new stamp directory as
# qdh-report.json (packaging/README.md, scripts/qdh-crash-report): the root disk
# was reset then attached (a dump target), its root port attached, nothing
# aborted that the dump needs, no action failed.
distro_check_report() {
	local rep
	rep=$STAMPDIR/qdh-report.json
	if [ ! -f "$rep" ]; then
		reason "no qdh-report.json in /var/crash/${STAMPDIR##*/}/ beside the dump"
		return 1
	fi
	echo "# report kept with the dump: /var/crash/${STAMPDIR##*/}/${rep##*/}"
	echo "# decisions: $(e2e_json "$rep" "', '.join('%s %s' % (x.get('device'), x.get('decision')) for x in d.get('devices', []))")"
	expect_json "$rep" "d['handover']['status']" valid "the crash kernel found no valid handover" || return 1
	expect_json "$rep" "d['fail_safe_applied']" false "the fail-safe was applied" || return 1
	expect_decision "$rep" "$DISTRO_ROOT_BDF" reset-then-attach "the root disk (NVMe: root file system and /var/crash)" || return 1
	expect_json "$rep" "[s['result'] for x in d['devices'] if x['device'] == '$DISTRO_ROOT_BDF' for s in x['steps'] if s['op'] == 'reset']" '["ok"]' \
		"the root disk was not reset" || return 1
	expect_decision "$rep" "$DISTRO_PORT_BDF" attach "the root port above the root disk" || return 1
	expect_json "$rep" "[x.get('result') for x in d['devices'] if x['result'] not in ('ok', 'skipped', None)]" "[]" \
		"an action failed" || return 1
}

# qdh inspect (the host's build) on the dump kdump-tools saved in the
# crash step: does the QDH note of the crash load survive makedumpfile?
# kdump-tools saves what `makedumpfile -F -c -d 31` writes (the flattened
# kdump-compressed format, whose header keeps the ELF notes).  The answer
# is printed and must be an answer about the note that agrees with what
# qdh apply found in /proc/vmcore in the crash kernel (its "source vmcore"
# line on the console): a valid note there, and inspect finds it (it
# survived) or says the dump has none (it did not: printed, not a
# failure of ours); no note there, and inspect says the dump has none.
# "unrecognised format", an I/O or usage error, or a note that was not in
# /proc/vmcore fail.  (On amd64 the blob travels in the initrd: the crash
# load goes through kexec-tools, whose elfcorehdr has no QDH note.)
distro_step_inspect() {
	local qdh=$E2E_BUILDDIR/qdh dump out rc stampdir log vmcore
	stampdir=$(distro_state_get stampdir)
	[ -n "$stampdir" ] || { reason "the crash step saved no dump"; return 1; }
	log=$(distro_state_get log_qdh)
	vmcore=$(awk '/sysrq: Trigger a crash/ { p = 1 } p && $2 == "source" && $3 == "vmcore" { print $4; exit }' "$log" 2>/dev/null)
	[ -n "$vmcore" ] || { reason "no 'source vmcore' line of qdh apply on the crash kernel's console"; return 1; }
	[ -x "$qdh" ] || { reason "no host qdh in $E2E_BUILDDIR (make)"; return 1; }
	dump=$(ls "$stampdir"/dump.* 2>/dev/null | head -n1)
	[ -n "$dump" ] || { reason "no dump in $stampdir"; return 1; }
	out=$("$qdh" inspect "$dump" 2>&1)
	rc=$?
	echo "# qdh apply in the crash kernel: QDH note in /proc/vmcore: $vmcore"
	echo "# qdh inspect /var/crash/${stampdir##*/}/${dump##*/} (exit $rc):"
	echo "$out" | head -n 20 | sed 's/^/#   /'
	case $vmcore:$rc:$out in
	valid:0:*) echo "# the QDH note survived makedumpfile" ;;
	valid:1:*"no QDH note"*) echo "# the QDH note did not survive makedumpfile" ;;
	*:1:*"no QDH note"*) ;;
	*:0:*) reason "qdh inspect found a QDH note in the dump that qdh apply did not find in /proc/vmcore ($vmcore)"; return 1 ;;
	*) reason "qdh inspect gave no answer about the note on the saved dump (exit $rc): $(echo "$out" | head -n1)"; return 1 ;;
	esac
}

distro_step_reboot() {
	local log
	distro_need || return 1
	[ -n "$(distro_state_get log_qdh)" ] || { reason "the install step did not run"; return 1; }
	log=$E2E_LOGDIR/distro-$DISTRO_ARCH-boot.log
	distro_boot boot "$log" "$DISTRO_BOOT_TMO" || return 1
	expect_marker distro_stage boot "the guest step did not run" || return 1
	expect_marker step_done boot "the guest step did not finish" || return 1
	expect_marker boot_divert "diversion of /sbin/kexec to /sbin/kexec.kexec-tools by kexec-qdh" \
		"/sbin/kexec is not diverted" || return 1
	distro_check_first_kernel kexec-qdh || return 1
	distro_expect_kdump_initrd yes "kdump-tools' initramfs has no qdh after a reboot" || return 1
	expect_marker boot_qdh_lock yes "kdump-tools' load at boot did not go through kexec-qdh" || return 1
}

# Both tools side by side, from this run: kexec-tools (the package not
# installed: the QDH=off peer) against kexec-qdh, each phase as wall time
# and as QEMU's CPU time (what an idle machine's wall time would be), with
# the ratios kexec-qdh / kexec-tools.  Fails when a measurement is missing.
distro_step_timing() {
	local k what missing= kt qd ktc qdc r rc
	get() { awk -v k="distro-$DISTRO_ARCH.$1" '$1 == k { v = $2 } END { if (v != "") print v }' "$E2E_WORK/timings"; }
	ratio() { [ -n "$1" ] && [ -n "$2" ] && [ "$2" -gt 0 ] && awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' || echo '?'; }
	s() { [ -n "$1" ] && awk -v a="$1" 'BEGIN { printf "%.1f s", a / 1000 }' || echo '?'; }
	echo "# phase: kexec-tools wall / CPU | kexec-qdh wall / CPU | ratio wall / CPU"
	for what in "load:load at boot (kdump-tools.service ExecStart, console)" \
		"panic_to_crash:panic -> crash kernel first line" \
		"crash_to_mount:crash kernel -> root mounted" \
		"crash_to_saved:crash kernel -> dump saved" \
		"run:whole QEMU run (boot, [dpkg -i,] panic, dump)"; do
		k=${what%%:*}
		kt=$(get "kexec-tools.${k}_ms") qd=$(get "kexec-qdh.${k}_ms")
		ktc=$(get "kexec-tools.${k}_cpu_ms") qdc=$(get "kexec-qdh.${k}_cpu_ms")
		[ -n "$kt" ] && [ -n "$qd" ] && [ -n "$ktc" ] && [ -n "$qdc" ] || missing="$missing $k"
		echo "# ${what#*:}: $(s "$kt") / $(s "$ktc") | $(s "$qd") / $(s "$qdc") | $(ratio "$qd" "$kt") / $(ratio "$qdc" "$ktc")"
	done
	[ "$(distro_state_get peer_dump)" = empty ] &&
		echo "# (kexec-tools' dump was empty: makedumpfile failed at once on its /proc/vmcore, so its 'dump saved' wrote nothing; kexec-qdh's wrote the dump)"
	kt=$(get kexec-tools.boot_load_ms) qd=$(get kexec-qdh.boot_load_ms)
	echo "# load at boot as systemd measured it (guest clock): kexec-tools $(s "$kt"), kexec-qdh $(s "$qd"), ratio $(ratio "$qd" "$kt")"
	[ -n "$kt" ] && [ -n "$qd" ] || missing="$missing boot_load"
	for k in dpkg dpkg_kdump_initramfs dpkg_reload; do
		echo "# kexec-qdh $k: $(s "$(get "kexec-qdh.${k}_ms")") wall / $(s "$(get "kexec-qdh.${k}_cpu_ms")") CPU"
	done
	[ -z "$missing" ] || { reason "not measured in this run:$missing"; return 1; }
}
