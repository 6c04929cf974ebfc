#!/bin/sh
# `qdh apply` end to end on generated synthetic sysroots (mksysroot.sh).
. "$top_srcdir/tests/common/tap.sh"

QDH=$top_builddir/qdh
FX=$top_builddir/tests/apply/fixture
[ -x "$QDH" ] && [ -x "$FX" ] || skip_all "qdh or fixture not built"
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-apply-XXXXXX")
trap 'rm -rf "$T"' EXIT

P=/sys/devices/pci0000:00

mk() {	# mk NAME: a fresh sysroot $T/NAME
	sh "$top_srcdir/tests/apply/mksysroot.sh" "$T/$1" "$FX" || { echo "Bail out! mksysroot"; exit 1; }
}
cmd_word() {	# the PCI Command word of a config file, as 4 hex digits
	od -An -tx1 -j4 -N2 "$1" | awk '{ print $2 $1 }'
}
hashes() {
	(cd "$1" && find . -type f -exec md5sum {} + | sort)
}
has() {	# has FILE PATTERN DESCRIPTION
	grep -q -- "$2" "$1"; r=$?
	ok $r "$3"
	[ $r -eq 0 ] || { echo "# no '$2' in $1:"; sed 's/^/#   /' "$1"; }
}
hasnt() {
	! grep -q -- "$2" "$1"; ok $? "$3"
}

# --- 1. the full table on a valid handover ----------------------------------
mk a
R=$T/a
"$QDH" apply --sysroot "$R" > "$T/a.out" 2> "$T/a.err"
ok $? "valid handover: exit 0"
K=$R/dev/kmsg
REP=$R/run/qdh/report.json
has "$T/a.out" "handover valid from chosen" "console: handover from /chosen (has the purgatory record)"
has "$K" "<5>qdh: 0000:00:02.0 abort (active: driver-bound,bus-master-on)" "kmsg: active device aborted, with reasons"
test "$(cmd_word "$R$P/0000:00:02.0/config")" = 0003
ok $? "abort: bus master bit cleared in config (0x0007 -> 0x0003)"
test "$(cat "$R$P/0000:00:02.0/driver_override")" = qdh-abort
ok $? "abort: driver_override set to qdh-abort"
test -f "$R$P/0000:00:02.0/reset" && test ! -s "$R$P/0000:00:02.0/reset"
ok $? "abort: an aborted device is not reset"
has "$K" "qdh: 0000:00:03.0 attach (quiesced" "kmsg: quiesced device attached"
test "$(cmd_word "$R$P/0000:00:03.0/config")" = 0003 &&
	test "$(cat "$R$P/0000:00:03.0/driver_override")" = '(null)'
ok $? "attach: quiesced device untouched"
DT=$R$P/0000:00:01.0/0000:01:00.0
has "$K" "qdh: 0000:01:00.0 reset-then-attach" "kmsg: dump target reset-then-attach"
test "$(cat "$DT/reset")" = 1
ok $? "reset: '1' written to the dump target's reset"
# sysfs replaces the whole value; a plain file keeps the tail: check byte 0.
test "$(od -An -c -N1 "$DT/driver_override" | tr -d ' ')" = '\n'
ok $? "reset: driver_override cleared (newline written) so its driver may bind"
test "$(cmd_word "$DT/config")" = 0007
ok $? "reset: dump target's bus master not cleared"
has "$K" "qdh: 0000:00:01.0 attach (bridge" "kmsg: root port above the dump target attached"
test "$(cmd_word "$R$P/0000:00:01.0/config")" = 0007 &&
	test "$(cat "$R$P/0000:00:01.0/driver_override")" = '(null)'
ok $? "bridge above the dump target untouched"
has "$K" "qdh: 0000:00:08.0 attach (bridge" "kmsg: 'active' bridge still attached"
test "$(cmd_word "$R$P/0000:00:08.0/config")" = 0007
ok $? "bridge marked active in the blob: bus master kept"
has "$K" "qdh: 0000:00:05.0 ignore (in the blob, absent now" "kmsg: absent device ignored"
has "$K" "qdh: 0000:00:04.0 abort (not in the blob" "kmsg: hot-plugged device gets the policy default (abort)"
test "$(cmd_word "$R$P/0000:00:04.0/config")" = 0003
ok $? "hot-plugged device: bus master cleared"
has "$K" "qdh: 0000:00:07.0 abort (unknown" "kmsg: unknown device aborted"
test "$(cmd_word "$R$P/0000:00:07.0/config")" = 0002
ok $? "unknown device: bit 2 cleared, other Command bits kept (0x0006 -> 0x0002)"
test "$(cmd_word "$R$P/0000:00:06.0/config")" = 0007 &&
	test "$(cat "$R$P/0000:00:06.0/driver_override")" = '(null)'
ok $? "device already bound by a built-in driver: not fought"
has "$REP" "already bound to ahci" "report: the bound device is reported as such"
has "$REP" '"result":"skipped"' "report: its result is 'skipped'"
has "$REP" '"result":"ok"' "report: enforced devices have result 'ok'"
has "$K" "<4>qdh: 0000:00:06.0 abort (active: driver-bound,bus-master-on) skipped" "kmsg: the skipped abort is a warning"
test "$(cat "$R/sys/devices/platform/9000000.dma/driver_override")" = qdh-abort
ok $? "platform device aborted through driver_override"
has "$REP" '"status":"valid"' "report file written (JSON)"
has "$REP" '"purgatory_ran":true' "report: purgatory record read"
has "$REP" '"action":"gbpa-abort"' "report: purgatory's per-IOMMU action"
# One decoder of the record: apply reports the run time inspect shows
# (62,500 ticks at 62.5 MHz is 1,000 us; apply's own decoder said 1,008).
"$QDH" inspect --json "$R/proc/device-tree/chosen/kexec-qdh,handover" > "$T/a.ins"
has "$T/a.ins" '"elapsed_us":1000' "inspect: purgatory ran 1,000 us"
has "$REP" '"elapsed_us":1000' "report: the same run time, from the same decoder"
has "$REP" '"summary":"enabled"' "report: IOMMU state from kernel messages"
hasnt "$T/a.out" "disagree" "no disagreement between chosen and vmcore copies"

# --- 2. --dry-run touches nothing ---------------------------------------------
mk b
hashes "$T/b" > "$T/b.before"
"$QDH" apply --sysroot "$T/b" --dry-run > "$T/b.out" 2>&1
ok $? "dry run: exit 0"
hashes "$T/b" > "$T/b.after"
cmp -s "$T/b.before" "$T/b.after"
ok $? "dry run: every file of the sysroot unchanged (hashes)"
test ! -e "$T/b/run/qdh/report.json"
ok $? "dry run: no report file unless asked"
has "$T/b.out" "0000:00:02.0 *abort" "dry run: decisions printed"
has "$T/b.out" "dry-run" "dry run: steps marked dry-run"
"$QDH" apply --sysroot "$T/b" --dry-run --json --report "$T/b.json" > "$T/b.stdout"
hashes "$T/b" > "$T/b.after2"
cmp -s "$T/b.before" "$T/b.after2" && has "$T/b.json" '"mode":"dry-run"' "dry run: explicit --report outside the sysroot, sysroot still unchanged"
has "$T/b.stdout" '"decision":"reset-then-attach"' "--json prints the report on stdout"

# --- 3. --hotplug=attach --------------------------------------------------------
mk c
"$QDH" apply --sysroot "$T/c" --hotplug=attach --no-report > /dev/null 2>&1
has "$T/c/dev/kmsg" "qdh: 0000:00:04.0 attach (not in the blob" "hotplug=attach: hot-plugged device attached"
test "$(cmd_word "$T/c$P/0000:00:04.0/config")" = 0007
ok $? "hotplug=attach: its bus master kept"

# --- 4. corrupted blob: detected, fail-safe observe -----------------------------
mk d
R=$T/d
"$FX" flip "$R/proc/device-tree/chosen/kexec-qdh,handover" 100
"$FX" flip "$R/proc/vmcore" 300
hashes "$R" | grep -v dev/kmsg > "$T/d.before"
"$QDH" apply --sysroot "$R" > "$T/d.out" 2>&1
ok $(( $? != 1 )) "corrupted blob: exit 1"
has "$T/d.out" "source chosen  invalid" "corrupted /chosen copy detected"
has "$T/d.out" "source vmcore  invalid" "corrupted vmcore copy detected"
has "$T/d.out" "crc32 mismatch" "the fault is named (crc32 mismatch)"
has "$T/d.out" "at byte" "the fault's byte offset is given"
has "$T/d.out" "fail-safe 'observe' applied" "console warns loudly: fail-safe observe"
has "$R/dev/kmsg" "<4>qdh: no valid handover (invalid): fail-safe observe" "kmsg: fail-safe logged"
has "$R/run/qdh/report.json" '"fail_safe_applied":true' "report: fail-safe applied"
hashes "$R" | grep -v -e dev/kmsg -e run/qdh > "$T/d.after"
cmp -s "$T/d.before" "$T/d.after"
ok $? "observe: no device touched"

# --- 5. corrupted blob, fail-safe strict ----------------------------------------
mk e
R=$T/e
"$FX" flip "$R/proc/device-tree/chosen/kexec-qdh,handover" 100
rm "$R/proc/vmcore"
"$QDH" apply --sysroot "$R" --fail-safe=strict --dump-target=vda > "$T/e.out" 2>&1
ok $(( $? != 1 )) "strict: exit 1"
test "$(cmd_word "$R$P/0000:00:03.0/config")" = 0003 &&
	test "$(cat "$R$P/0000:00:03.0/driver_override")" = qdh-abort
ok $? "strict: even a quiesced device is aborted without a blob"
test "$(cmd_word "$R$P/0000:00:02.0/config")" = 0003
ok $? "strict: active device aborted"
test "$(cmd_word "$R$P/0000:00:01.0/config")" = 0007 &&
	test "$(cmd_word "$R$P/0000:00:08.0/config")" = 0007
ok $? "strict: bridges never aborted"
test "$(cat "$R$P/0000:00:01.0/0000:01:00.0/reset")" = 1
ok $? "strict: dump target named by its disk (--dump-target=vda) is reset, not aborted"
has "$R/dev/kmsg" "fail-safe strict" "strict: logged"

# --- 6. generation disagreement between sources --------------------------------
mk f
R=$T/f
sed 's/^generation .*/generation 0x5eed000000000002/' "$R.spec" > "$T/f2.spec"
"$FX" blob "$T/f2.spec" "$T/f2.blob"
"$FX" elf "$T/f2.blob" "$R/proc/vmcore"
"$QDH" apply --sysroot "$R" --dry-run > "$T/f.out" 2>&1
has "$T/f.out" "sources disagree: chosen has generation 0x5eed000000000001, vmcore 0x5eed000000000002" "generation disagreement reported"
has "$T/f.out" "handover valid from chosen" "the copy with the purgatory record is used"
# Same generation, different content (a device's state edited).
sed 's/^pci 0000:00:03.0 quiesced/pci 0000:00:03.0 active/' "$R.spec" > "$T/f3.spec"
"$FX" blob "$T/f3.spec" "$T/f3.blob"
mkdir -p "$R/qdh" && cp "$T/f3.blob" "$R/qdh/handover.qdh"
"$QDH" apply --sysroot "$R" --dry-run --ignore-source=vmcore > "$T/f3.out" 2>&1
has "$T/f3.out" "chosen and initrd share generation 0x5eed000000000001 but differ in content" "content disagreement reported"

# --- 7. initrd appendix only (kexec_file_load: no purgatory) -------------------
mk g
R=$T/g
rm "$R/proc/device-tree/chosen/kexec-qdh,handover" "$R/proc/vmcore"
sed 's/^flags crash$/flags crash no-purgatory/' "$R.spec" > "$T/g-nopurg.spec"
"$FX" blob "$T/g-nopurg.spec" "$T/g.blob"
mkdir -p "$R/qdh" && cp "$T/g.blob" "$R/qdh/handover.qdh"
printf '[    0.912345] DMAR: Translation already enabled - trying to copy translation structures\n' > "$T/g.kmsg"
printf '[    0.923456] DMAR: Copied translation tables from previous kernel for dmar0\n' >> "$T/g.kmsg"
"$QDH" apply --sysroot "$R" --kmsg "$T/g.kmsg" --json > "$T/g.json" 2>/dev/null
ok $? "initrd-only handover: exit 0"
has "$T/g.json" '"source":"initrd"' "handover taken from the initrd appendix file"
has "$T/g.json" '"no-purgatory"' "no-purgatory flag reported"
has "$T/g.json" '"source":"kernel-messages"' "IOMMU state taken from kernel messages"
has "$T/g.json" '"summary":"tables-copied"' "VT-d copied-tables state recognised"
has "$T/g.json" '"iommu":"dmar0"' "the VT-d unit is named"

# --- 8. nothing at all: missing handover ---------------------------------------
mk h
R=$T/h
rm "$R/proc/device-tree/chosen/kexec-qdh,handover" "$R/proc/vmcore"
"$QDH" apply --sysroot "$R" > "$T/h.out" 2>&1
ok $(( $? != 1 )) "missing handover: exit 1"
has "$T/h.out" "handover missing" "missing handover reported"
test "$(cmd_word "$R$P/0000:00:02.0/config")" = 0007
ok $? "missing handover, observe: nothing touched"

# --- 9. a malformed ELF core, and an explicit --blob ---------------------------
mk i
R=$T/i
head -c 100 "$R/proc/vmcore" > "$T/i.core" && cp "$T/i.core" "$R/proc/vmcore"
"$QDH" apply --sysroot "$R" --dry-run > "$T/i.out" 2>&1
has "$T/i.out" "source vmcore  invalid .*malformed ELF core" "truncated vmcore: the ELF fault is named"
has "$T/i.out" "handover valid from chosen" "truncated vmcore: the valid /chosen copy is still used"
"$QDH" apply --sysroot "$R" --dry-run --blob "$R.norec" --ignore-source=chosen > "$T/i2.out" 2>&1
has "$T/i2.out" "handover valid from file" "--blob FILE is used when given"

# --- 10. round trip: `qdh scan --encode` in the first kernel, apply in the crash
# kernel (the same synthetic machine stands for both).
mk j
R=$T/j
if "$QDH" scan --sysroot "$R" --dump-target vda --encode "$T/j.qdh" > "$T/j.scan" 2>&1; then
	cp "$T/j.qdh" "$R/proc/device-tree/chosen/kexec-qdh,handover"
	rm "$R/proc/vmcore"
	"$QDH" apply --sysroot "$R" > "$T/j.out" 2>&1
	ok $? "scan --encode blob: apply exits 0"
	has "$R/dev/kmsg" "qdh: 0000:00:02.0 abort (active" "scan blob: active device aborted"
	has "$R/dev/kmsg" "qdh: 0000:00:03.0 attach (quiesced" "scan blob: quiesced device attached"
	has "$R/dev/kmsg" "qdh: 0000:01:00.0 reset-then-attach" "scan blob: dump target (by --dump-target vda at load) reset"
	test "$(cmd_word "$R$P/0000:00:02.0/config")" = 0003
	ok $? "scan blob: bus master cleared on the aborted device"
else
	ok 1 "qdh scan --encode on the synthetic sysroot"
	sed 's/^/#   /' "$T/j.scan"
fi

# --- 11. usage -------------------------------------------------------------------
"$QDH" apply --fail-safe=maybe > /dev/null 2>&1
ok $(( $? != 2 )) "bad --fail-safe value: exit 2"
"$QDH" apply --sysroot "$T/nonexistent" > /dev/null 2>&1
ok $(( $? != 2 )) "missing sysroot: exit 2"

done_testing
