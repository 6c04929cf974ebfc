#!/bin/sh
# The Debian maintainer scripts' kdump initramfs rebuild
# (debian/kdump-initramfs.sh) with stubs for kdump-tools' kernel hook,
# kdump-config, systemctl and ischroot: every kdump initramfs there is gets
# made again by kdump-tools' own hook (DEB_MAINT_PARAMS cleared), the crash
# kernel is reloaded only when kdump-tools has one loaded outside a chroot,
# and nothing ever fails the package operation.  The real thing runs in
# scripts/test-deb.sh (a Debian root with kdump-tools and a kernel).
. "$top_srcdir/tests/common/tap.sh"
SNIPPET=$top_srcdir/debian/kdump-initramfs.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/qdh-kdinit.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

mkdir -p "$T/bin" "$T/kdump" "$T/sys" "$T/systemd"
stub() {	# stub PATH EXIT: a program that logs its name, arguments and DEB_MAINT_PARAMS
	printf '#!/bin/sh\necho "$(basename "$0") $* [${DEB_MAINT_PARAMS-unset}]" >> "%s/log"\nexit %s\n' "$T" "$2" > "$1"
	chmod +x "$1"
}
stub "$T/hook" 0
stub "$T/kdump-config" 0
stub "$T/bin/ischroot" 1		# 1: not a chroot
stub "$T/bin/systemctl" 0		# 0: active

# run [VAR=VALUE...]: the snippet's qdh_kdump_update in a maintainer
# script's shell (sh -e), with the stubs; output in $T/out, calls in $T/log.
run() {
	rm -f "$T/log"
	env PATH="$T/bin:$PATH" DEB_MAINT_PARAMS="remove" "$@" sh -e -c '
		. "$1"
		qdh_kdump_dir=$2/kdump qdh_kdump_hook=$2/hook qdh_kdump_config=$2/kdump-config
		qdh_kdump_loaded=$2/sys/loaded qdh_systemd=$2/systemd
		qdh_kdump_update
		echo "exit ok"' sh "$SNIPPET" "$T" > "$T/out" 2>&1
}
log_is() {
	printf '%s\n' "$@" > "$T/want"
	touch "$T/log"
	cmp -s "$T/want" "$T/log" && return 0
	echo "# calls: $(tr '\n' '|' < "$T/log") want: $(tr '\n' '|' < "$T/want")"
	return 1
}

sh -n "$SNIPPET"; ok $? "the snippet parses (sh -n)"

: > "$T/kdump/initrd.img-6.1.0-28-amd64"
: > "$T/kdump/initrd.img-6.12.48+deb12-amd64"
: > "$T/kdump/initrd.img-6.1.0-28-amd64.new"
ln -s initrd.img-6.1.0-28-amd64 "$T/kdump/initrd.img"
echo 1 > "$T/sys/loaded"
run
grep -q "exit ok" "$T/out" && log_is \
	"hook 6.1.0-28-amd64 [unset]" "hook 6.12.48+deb12-amd64 [unset]" \
	"ischroot  [remove]" "systemctl is-active --quiet kdump-tools.service [remove]" \
	"kdump-config try-reload [remove]"
ok $? "every kdump initramfs is made again by kdump-tools' hook (not .new, not the link), then try-reload"

stub "$T/hook" 2
run
grep -q "exit ok" "$T/out" && grep -q "warning: .*hook 6.1.0-28-amd64 failed" "$T/out"
ok $? "a failing kdump-tools hook is a warning, never a failed package operation"
stub "$T/hook" 0

stub "$T/kdump-config" 1
run
grep -q "exit ok" "$T/out" && grep -q "warning: kdump-config try-reload failed" "$T/out"
ok $? "a failing reload is a warning"
stub "$T/kdump-config" 0

echo 0 > "$T/sys/loaded"
run
grep -q "exit ok" "$T/out" && grep -q "no crash kernel loaded" "$T/out" && ! grep -q "^kdump-config" "$T/log"
ok $? "no crash kernel loaded: rebuilt, not reloaded"
echo 1 > "$T/sys/loaded"

stub "$T/bin/systemctl" 3
run
grep -q "exit ok" "$T/out" && grep -q "kdump-tools.service is not active" "$T/out" && ! grep -q "^kdump-config" "$T/log"
ok $? "kdump-tools.service not active (systemd): not reloaded"
stub "$T/bin/systemctl" 0

stub "$T/bin/ischroot" 0
run
grep -q "exit ok" "$T/out" && grep -q "in a chroot" "$T/out" && ! grep -q "^kdump-config" "$T/log" &&
	grep -q "^hook 6.1.0-28-amd64" "$T/log"
ok $? "in a chroot: rebuilt, but the host's crash kernel is never reloaded"
stub "$T/bin/ischroot" 1

rm -f "$T/kdump"/initrd.img*
run
grep -q "exit ok" "$T/out" && grep -q "no kdump initramfs" "$T/out" && ! grep -q "^hook" "$T/log"
ok $? "no kdump initramfs yet: nothing rebuilt, said so"

rm -f "$T/hook"
: > "$T/kdump/initrd.img-6.1.0-28-amd64"
run
grep -q "exit ok" "$T/out" && ! grep -q "^hook" "$T/log"
ok $? "kdump-tools absent (no kernel hook): nothing to do, exit 0"
stub "$T/hook" 0

run DPKG_ROOT=/x
grep -q "exit ok" "$T/out" && [ ! -s "$T/log" ]
ok $? "DPKG_ROOT set: nothing touched"

# The maintainer scripts carry the marker debian/rules replaces, and the
# trigger postinst activates is the one the package is interested in.
grep -qx '#QDH_KDUMP_INITRAMFS#' "$top_srcdir/debian/kexec-qdh.postinst" &&
	grep -qx '#QDH_KDUMP_INITRAMFS#' "$top_srcdir/debian/kexec-qdh.postrm" &&
	grep -q 'dpkg-trigger --no-await kexec-qdh-kdump-initramfs' "$top_srcdir/debian/kexec-qdh.postinst" &&
	grep -qx 'interest-noawait kexec-qdh-kdump-initramfs' "$top_srcdir/debian/kexec-qdh.triggers"
ok $? "postinst activates its own trigger; postinst and postrm carry the rebuild"

done_testing
