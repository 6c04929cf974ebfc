#!/bin/sh
# Builds the RPM of rpm/kexec-qdh.spec with Debian's rpmbuild from the
# `make dist` tarball, and checks what it contains: both tools, the dracut
# module for kdump-utils, the manual pages, the completions, the policy as a
# configuration file, the kdump-utils README, the reload files when the tree
# has them; and no kexec, no initramfs-tools files.
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
for f in udev/90-kexec-qdh.rules systemd/kexec-qdh-baseline.service scripts/qdh-reload; do
	tar -tzf "$tarball" | grep -q "/$f\$" || continue
	has "/$(basename "$f")\$" "reload file $(basename "$f")"
done
rpm -qp --requires "$rpmf" 2>/dev/null | grep -q '^kexec-tools'
ok $? "Requires: kexec-tools"
rpm2cpio "$rpmf" > "$work/payload.cpio" 2>/dev/null && mkdir -p "$work/x" &&
	(cd "$work/x" && cpio -idm --quiet < "$work/payload.cpio") &&
	"$work/x/usr/sbin/kexec-qdh" --help 2>&1 | grep -q '/usr/sbin/kexec'
ok $? "the packaged kexec-qdh hands other work to /usr/sbin/kexec"
rm -rf "$work/x" "$work/payload.cpio"

echo "# total $(($(date +%s) - start)) s"
finish
