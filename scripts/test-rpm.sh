#!/bin/sh
# Builds the RPM of rpm/kexec-qdh.spec with Debian's rpmbuild from the
# `make dist` tarball, and checks what it contains: both tools, the dracut
# module for kdump-utils, the manual pages, the completions, the policy as a
# configuration file, the kdump-utils README, the reload files (the baseline
# unit wanted by kdump.service only); and no kexec, no initramfs-tools files,
# no kdump-tools report keeper.  The kdump initramfs scriptlets run against
# stub kdumpctl and systemctl.
#
#   scripts/test-rpm.sh [WORKDIR]      (default $QDH_BUILD/rpm, ./_build/rpm)
#
# QDH_RPM_TARBALL=FILE uses that tarball instead of running `make dist` in a
# fresh out-of-tree build.  Prints one ok / not ok line per check and
# "N passed, N failed"; exits 1 if anything failed.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${QDH_BUILD:-$src/_build}/rpm}
jobs=$(nproc 2>/dev/null || echo 2)

# ok, finish, bail: the project's shell TAP helpers.
. "$src/tests/common/tap.sh"
indent() { sed 's/^/#   /'; }

for t in rpmbuild rpm; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "test-rpm: $t not found (apt-get install rpm)" >&2; exit 2; }
done
mkdir -p "$work"
work=$(cd "$work" && pwd)
start=$(date +%s)
rm -rf "$work/top"
mkdir -p "$work/top/SOURCES" "$work/top/SPECS"

# --- the tarball ---------------------------------------------------------------
if [ -n "${QDH_RPM_TARBALL:-}" ]; then
	tarball=$QDH_RPM_TARBALL
else
	rm -rf "$work/dist"
	mkdir -p "$work/dist"
	(cd "$src" && { [ -x configure ] || autoreconf -fi; }) > "$work/dist.log" 2>&1
	(cd "$work/dist" && "$src/configure" -q && make -s dist) >> "$work/dist.log" 2>&1
	ok $? "make dist"
	tarball=$(ls "$work"/dist/kexec-qdh-*.tar.gz 2>/dev/null | head -1)
fi
[ -n "$tarball" ] && [ -s "$tarball" ] || { tail -20 "$work/dist.log" | indent; bail "the tarball exists"; }
cp "$tarball" "$work/top/SOURCES/"
tar -xzOf "$tarball" --wildcards '*/rpm/kexec-qdh.spec' > "$work/top/SPECS/kexec-qdh.spec"
ok $? "rpm/kexec-qdh.spec is in $(basename "$tarball")"
grep -q '^Version: *'"$(basename "$tarball" .tar.gz | sed 's/^kexec-qdh-//')"'$' \
	"$work/top/SPECS/kexec-qdh.spec"
ok $? "the spec's Version matches the tarball"

# --- rpmbuild --------------------------------------------------------------------
# Debian's rpm has no Fedora build root: no dependency check (--nodeps), no
# debuginfo extraction; the test suite runs in CI already (--nocheck).
rpmbuild -bb --nodeps --nocheck \
	--define "_topdir $work/top" \
	--define "_smp_mflags -j$jobs" \
	--define "debug_package %{nil}" \
	--define "_build_id_links none" \
	"$work/top/SPECS/kexec-qdh.spec" > "$work/rpmbuild.log" 2>&1
ok $? "rpmbuild -bb (Debian's rpm $(rpm --version | sed 's/.* //'))"
rpmf=$(ls "$work"/top/RPMS/*/kexec-qdh-[0-9]*.rpm 2>/dev/null | head -1)
[ -n "$rpmf" ] || { tail -30 "$work/rpmbuild.log" | indent; bail "the RPM exists"; }
echo "# $(basename "$rpmf"): $(stat -c %s "$rpmf") bytes"

# --- contents ----------------------------------------------------------------------
rpm -qlp "$rpmf" > "$work/files" 2>/dev/null
has() {	# has PATTERN DESCRIPTION: an installed path matches PATTERN (ERE)
	grep -qE "$1" "$work/files"; ok $? "$2"
}
has '^/usr/sbin/qdh$' "contains /usr/sbin/qdh"
has '^/usr/sbin/kexec-qdh$' "contains /usr/sbin/kexec-qdh"
has '^/usr/lib/dracut/modules.d/99qdh/module-setup.sh$' "dracut module under /usr/lib/dracut/modules.d/99qdh"
has '^/usr/lib/dracut/modules.d/99qdh/qdh-pre-udev.sh$' "dracut pre-udev hook"
for p in man8/kexec-qdh.8 man8/qdh.8 man5/qdh-policy.5 man7/qdh-abi.7; do
	has "^/usr/share/man/$p" "manual page $p"
done
has '/bash-completion/completions/qdh$' "bash completion for qdh"
has '/bash-completion/completions/kexec-qdh$' "bash completion for kexec-qdh"
has '^/usr/share/doc/kexec-qdh/README.kdump-utils$' "README.kdump-utils (how to point kdump-utils at kexec-qdh)"
has '^/usr/share/doc/kexec-qdh/doc/abi.md$' "the ABI document"
rpm -qcp "$rpmf" 2>/dev/null | grep -qx /etc/kexec-qdh/policy.json
ok $? "/etc/kexec-qdh/policy.json is a %config file"
! grep -qE '/s?bin/kexec$' "$work/files"; ok $? "no kexec: kexec-tools' binary stays"
! grep -q initramfs-tools "$work/files"; ok $? "no initramfs-tools files"
has '/udev/rules.d/90-kexec-qdh.rules$' "udev rule 90-kexec-qdh.rules"
has '^/usr/libexec/kexec-qdh/qdh-reload$' "the reloader /usr/libexec/kexec-qdh/qdh-reload"
has '/systemd/system/kexec-qdh-baseline.service$' "unit kexec-qdh-baseline.service"
! grep -q 'crash-report' "$work/files"; ok $? "no kdump-tools report keeper (Debian's dump boot only)"
rpm -qp --requires "$rpmf" 2>/dev/null | grep -q '^kexec-tools'
ok $? "Requires: kexec-tools"
rpm2cpio "$rpmf" > "$work/payload.cpio" 2>/dev/null && mkdir -p "$work/x" &&
	(cd "$work/x" && cpio -idm --quiet < "$work/payload.cpio") &&
	"$work/x/usr/sbin/kexec-qdh" --help 2>&1 | grep -q '/usr/sbin/kexec'
ok $? "the packaged kexec-qdh hands other work to /usr/sbin/kexec"
unit=$(find "$work/x" -name kexec-qdh-baseline.service | head -1)
[ -n "$unit" ] && [ "$(sed -n 's/^WantedBy=//p' "$unit")" = kdump.service ] &&
	[ "$(sed -n 's/^After=//p' "$unit")" = kdump.service ]
ok $? "the baseline unit is wanted by (and after) kdump.service only"
grep -q 'ExecStart=/usr/libexec/kexec-qdh/qdh-reload --record' "$unit" 2>/dev/null &&
	[ -x "$work/x/usr/libexec/kexec-qdh/qdh-reload" ]
ok $? "its ExecStart is the packaged reloader"
rm -rf "$work/x" "$work/payload.cpio"

# --- the kdump initramfs scriptlets, with stub kdumpctl and systemctl --------
# scriptlet TAG ARG ACTIVE ENABLED: run the scriptlet with kdump.service
# active/enabled (0 yes, 3 no); the stubs' calls end up in $work/calls.
rpm -qp --qf '%{POSTTRANS}' "$rpmf" > "$work/posttrans" 2>/dev/null
rpm -qp --qf '%{POSTUN}' "$rpmf" > "$work/postun" 2>/dev/null
mkdir -p "$work/stub"
scriptlet() {
	printf '#!/bin/sh\necho "systemctl $*" >> "%s/calls"\ncase $1 in is-active) exit %s ;; is-enabled) exit %s ;; esac\n' \
		"$work" "$3" "$4" > "$work/stub/systemctl"
	printf '#!/bin/sh\necho "kdumpctl $*" >> "%s/calls"\nexit ${KDUMPCTL_EXIT:-0}\n' "$work" > "$work/stub/kdumpctl"
	chmod +x "$work/stub/systemctl" "$work/stub/kdumpctl"
	rm -f "$work/calls"
	PATH="$work/stub:/usr/bin:/bin" sh "$work/$1" "$2" > "$work/scriptlet.out" 2>&1
}
calls() { [ -f "$work/calls" ] && grep '^kdumpctl' "$work/calls" | tr '\n' ' '; }
scriptlet posttrans 1 0 0
[ $? -eq 0 ] && [ "$(calls)" = "kdumpctl rebuild kdumpctl reload " ]
ok $? "%posttrans, kdump.service active: kdumpctl rebuild, then reload ($(calls))"
scriptlet posttrans 1 3 0
[ $? -eq 0 ] && [ "$(calls)" = "kdumpctl rebuild " ]
ok $? "%posttrans, kdump.service enabled, not active: kdumpctl rebuild only ($(calls))"
scriptlet posttrans 1 3 3
[ $? -eq 0 ] && [ -z "$(calls)" ]
ok $? "%posttrans, kdump.service neither: kdumpctl not called"
KDUMPCTL_EXIT=1 scriptlet posttrans 1 0 0
[ $? -eq 0 ] && grep -q warning "$work/scriptlet.out"
ok $? "%posttrans: a failing kdumpctl is a warning, not a failed transaction"
scriptlet postun 0 0 0
[ $? -eq 0 ] && [ "$(calls)" = "kdumpctl rebuild kdumpctl reload " ]
ok $? "%postun (removal): the kdump initramfs is rebuilt without qdh and reloaded"
scriptlet postun 1 0 0
[ $? -eq 0 ] && [ -z "$(calls)" ]
ok $? "%postun (upgrade): nothing (%posttrans of the new package does it)"
rm -f "$work/stub/kdumpctl"
PATH="$work/stub:/usr/bin:/bin" sh "$work/posttrans" 1 > /dev/null 2>&1
ok $? "%posttrans without kdump-utils: exit 0"

echo "# total $(($(date +%s) - start)) s"
finish
