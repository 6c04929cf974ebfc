# Shell TAP helpers for script tests: source it, call ok/fail, then done_testing.
tap_n=0
tap_failed=0
ok() {	# ok CONDITION-EXIT-CODE DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
# run_ok DESCRIPTION CMD...: passes if CMD exits 0
run_ok() { d=$1; shift; "$@"; ok $? "$d"; }
# run_fails CODE DESCRIPTION CMD...: passes if CMD exits with CODE
run_fails() {
	want=$1; d=$2; shift 2
	"$@"; got=$?
	[ "$got" -eq "$want" ]; r=$?
	ok $r "$d"
	[ $r -eq 0 ] || echo "# exit $got, want $want"
}
# tap_checks [PREFIX] < LINES: a checker's "PASS what" / "FAIL what: why"
# lines as results (read in this shell: the counts stay); others as comments.
tap_checks() {
	while IFS= read -r l; do
		case $l in
		PASS\ *) ok 0 "${1:+$1: }${l#PASS }" ;;
		FAIL\ *) ok 1 "${1:+$1: }${l#FAIL }" ;;
		*) echo "# $l" ;;
		esac
	done
}
skip_all() { echo "1..0 # SKIP $1"; exit 0; }
done_testing() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
# For scripts run outside make check (scripts/test-deb.sh, test-rpm.sh):
# the plain "N passed, N failed" closing line, and the exit status.
finish() {
	echo "$((tap_n - tap_failed)) passed, $tap_failed failed"
	[ "$tap_failed" -eq 0 ] && exit 0
	exit 1
}
bail() { ok 1 "$1"; finish; }
