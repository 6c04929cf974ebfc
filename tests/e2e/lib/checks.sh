# Host-side checks shared by the kexec-qdh scenarios (bash; scenario.sh
# sources it).  Each sets E2E_REASON and returns 1 when its claim fails.

# e2e_json FILE EXPR: print python EXPR evaluated with d = the JSON in FILE.
e2e_json() {
	python3 - "$1" "$2" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    v = eval(sys.argv[2], {"d": d})
except Exception as e:
    print("<error: %s>" % e)
    sys.exit(1)
print(json.dumps(v) if not isinstance(v, str) else v)
PY
}
# expect_json FILE EXPR WANT WHY
expect_json() {
	local got
	got=$(e2e_json "$1" "$2")
	[ "$got" = "$3" ] || { reason "$4 ($2 = $got, want $3)"; return 1; }
}

# The decision the apply report shows for device BDF.
e2e_decision() {	# e2e_decision REPORT BDF
	e2e_json "$1" "[x.get('decision') for x in d.get('devices', []) if x.get('device') == '$2'][0]"
}
expect_decision() {	# expect_decision REPORT BDF WANT WHAT
	local got
	got=$(e2e_decision "$1" "$2")
	[ "$got" = "$3" ] || { reason "$4: $2 decided '$got', want $3"; return 1; }
}

# The guest marks dev_<tag>=driver=<d>,cmd=<hex>; check bus master and driver.
expect_device() {	# expect_device TAG driver=none|bound bm=on|off WHY
	local v drv cmd bm
	v=$(e2e_marker "$E2E_LAST_LOG" "dev_$1") || { reason "$4 (no dev_$1 marker)"; return 1; }
	drv=${v#driver=}; drv=${drv%%,*}
	cmd=${v##*cmd=}
	[ -n "$cmd" ] || { reason "$4 (dev_$1=$v)"; return 1; }
	bm=off; [ $(( 0x$cmd & 4 )) -ne 0 ] && bm=on
	case $2 in
	driver=none) [ "$drv" = none ] || { reason "$4 ($1 has driver $drv)"; return 1; } ;;
	driver=bound) [ "$drv" != none ] || { reason "$4 ($1 has no driver)"; return 1; } ;;
	esac
	[ "$3" = "bm=$bm" ] || { reason "$4 ($1 bus master $bm, command 0x$cmd)"; return 1; }
}

# The crash half of every kexec-qdh crash scenario: the load worked, the
# panic reached the crash kernel, the handover was found where the mode
# says, and the three devices got their decisions enforced.
#   qdh_crash_checks NAME purgatory|file
qdh_crash_checks() {
	local name=$1 mode=$2 out rep
	expect_marker load_qdh_rc 0 "kexec-qdh -p failed" || return 1
	expect_marker crash_loaded 1 "kexec_crash_loaded is not 1 after kexec-qdh -p" || return 1
	expect_marker panic now "the first kernel never panicked" || return 1
	expect_stage_ok crash || return 1
	expect_marker vmcore_magic 7f454c46 "/proc/vmcore is not an ELF core" || return 1
	out=$E2E_LOGDIR/$name.out
	rm -rf "$out"
	e2e_extract_files "$E2E_LAST_LOG" "$out" || { reason "the crash kernel sent no files back"; return 1; }
	if [ "$mode" = purgatory ]; then
		# DT /chosen copy (with purgatory's record) and the vmcore note
		expect_marker chosen_qdh present "no /chosen/kexec-qdh,handover in the crash kernel" || return 1
		expect_marker inspect_chosen_rc 0 "qdh inspect rejects the /chosen blob" || return 1
		expect_marker inspect_vmcore_rc 0 "qdh inspect /proc/vmcore finds no valid QDH note" || return 1
		readelf -n "$out/vmcore.head" 2>/dev/null | grep -q '^ *QDH ' ||
			{ reason "readelf -n on the vmcore head shows no QDH note"; return 1; }
	else
		expect_marker initrd_qdh present "no /qdh/handover.qdh in the crash initramfs (initrd appendix)" || return 1
	fi
	rep=$out/report.json
	expect_marker report present "qdh apply wrote no /run/qdh/report.json" || return 1
	expect_json "$rep" "d['handover']['status']" valid "the handover is not valid" || return 1
	expect_json "$rep" "d['fail_safe_applied']" false "the fail-safe was applied" || return 1
	if [ "$mode" = purgatory ]; then
		expect_json "$rep" "d['handover']['source']" chosen "the handover was not taken from /chosen" || return 1
		expect_json "$rep" "d['handover']['record']['purgatory_ran']" true "no purgatory record" || return 1
		expect_json "$rep" "d['handover']['record']['digest']" ok "purgatory did not verify the segments" || return 1
		# SMMUEN (CR0 bit 0) was on when purgatory looked: a crash does not
		# run the SMMU driver's shutdown
		expect_json "$rep" "d['handover']['record']['iommus'][0]['before']['decoded']['smmuen']" true \
			"purgatory did not observe SMMUEN=1" || return 1
		echo "# purgatory: $(e2e_json "$rep" "d['handover']['record']")"
	else
		expect_json "$rep" "d['handover']['source']" initrd "the handover was not taken from the initrd appendix" || return 1
		expect_json "$rep" "'no-purgatory' in d['handover']['flags']" true "the blob does not say no purgatory ran" || return 1
	fi
	echo "# iommu state at handover: $(e2e_json "$rep" "d['iommu_state']")"
	qdh_device_checks "$rep"
}

# active e1000e -> abort; quiesced virtio-net -> attach; dump target
# NVMe (behind root port 00:04.0) -> reset then attach, its root port
# attached; enforced, and the dump target works.
qdh_device_checks() {
	local rep=$1
	expect_decision "$rep" 0000:00:03.0 abort "active e1000e" || return 1
	expect_decision "$rep" 0000:00:02.0 attach "quiesced virtio-net" || return 1
	expect_decision "$rep" 0000:01:00.0 reset-then-attach "dump target NVMe" || return 1
	# the reset really happened (not skipped because a driver was bound)
	expect_json "$rep" "[s['result'] for x in d['devices'] if x['device'] == '0000:01:00.0' for s in x['steps'] if s['op'] == 'reset']" '["ok"]' \
		"the dump target was not reset" || return 1
	expect_decision "$rep" 0000:00:04.0 attach "the root port above the dump target (a bridge)" || return 1
	expect_json "$rep" "[x.get('result') for x in d['devices'] if x['result'] not in ('ok', 'skipped', None)]" "[]" \
		"an action failed" || return 1
	expect_device e1000e_bound driver=none bm=off "aborted e1000e after the modules loaded" || return 1
	expect_device net_bound driver=bound bm=on "attached virtio-net after the modules loaded" || return 1
	expect_device blk_bound driver=bound bm=on "dump target after the modules loaded" || return 1
	expect_marker dump_write ok "the dump target could not write and read back the vmcore head" || return 1
}
