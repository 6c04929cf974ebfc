#!/bin/sh
# Builds the Debian package from a scratch copy of the tree and tests it for
# real: lintian, then a Debian 12 root made with debootstrap (minbase) gets
# kexec-tools and the .deb; the /sbin/kexec divert, the files, a
# `kexec-qdh --dry-run -p` on a fixture sysroot (directly and through the
# /sbin/kexec front end) and kexec-tools behind the front end are checked;
# then `dpkg --purge` must give /sbin/kexec back and leave nothing of ours.
#
#   scripts/test-deb.sh [WORKDIR]      (root; network on the first run)
#
# WORKDIR (default $QDH_BUILD/deb, QDH_BUILD defaulting to ./_build) keeps
# the debootstrap tarball and a prepared root with kexec-tools between runs,
# so later runs need no network.  Environment: QDH_DEB_SOURCE=head builds
# `git archive HEAD` instead of the working tree; QDH_DEB_CHECK=1 runs
# `make check` inside the package build (CI runs it elsewhere);
# QDH_DEB_MIRROR (default http://deb.debian.org/debian).
# Prints one ok / not ok line per check and "N passed, N failed"; exits 1 if
# anything failed.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-${QDH_BUILD:-$src/_build}/deb}
mirror=${QDH_DEB_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
jobs=$(nproc 2>/dev/null || echo 2)

# ok, finish, bail: the project's shell TAP helpers.
. "$src/tests/common/tap.sh"
log() { echo "# $*"; }
indent() { sed 's/^/#   /'; }

[ "$(id -u)" -eq 0 ] || { echo "test-deb: must run as root (debootstrap, chroot)" >&2; exit 2; }
for t in dpkg-buildpackage dpkg-deb lintian debootstrap chroot git; do
	command -v "$t" >/dev/null 2>&1 ||
		{ echo "test-deb: $t not found (scripts/install-deps.sh)" >&2; exit 2; }
done
mkdir -p "$work/cache"
work=$(cd "$work" && pwd)
root=$work/root
start=$(date +%s)

# Never leave /proc mounted in the scratch root (rm -rf would walk it).
cleanup() {
	if [ -n "${root:-}" ] && mountpoint -q "$root/proc" 2>/dev/null; then
		umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
	fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
cleanup
rm -rf --one-file-system "$root" "$work/build"

# --- 1. build the .deb in a scratch copy -------------------------------------
version=$(sed -n '1s/^kexec-qdh (\([^)]*\)).*/\1/p' "$src/debian/changelog")
tree=$work/build/kexec-qdh-$version
mkdir -p "$tree"
if [ "${QDH_DEB_SOURCE:-tree}" = head ]; then
	git -C "$src" archive HEAD | tar -x -C "$tree"
	log "source: git archive HEAD ($(git -C "$src" rev-parse --short HEAD))"
else
	# Tracked and untracked files, not the ignored build products.
	(cd "$src" && git ls-files -z -co --exclude-standard |
		xargs -0 cp -a --parents -t "$tree" 2>/dev/null)
	log "source: working tree of $src"
fi
opts="parallel=$jobs"
[ "${QDH_DEB_CHECK:-0}" = 1 ] || opts="$opts nocheck"
(cd "$tree" && DEB_BUILD_OPTIONS="$opts" dpkg-buildpackage -us -uc -b) \
	> "$work/build/dpkg-buildpackage.log" 2>&1
ok $? "dpkg-buildpackage -us -uc -b ($opts)"
deb=$(ls "$work"/build/kexec-qdh_"$version"_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || { tail -30 "$work/build/dpkg-buildpackage.log" | indent; bail "the .deb exists"; }
log "$(basename "$deb"): $(stat -c %s "$deb") bytes, built in $(($(date +%s) - start)) s"

lintian --fail-on error "$work"/build/kexec-qdh_"$version"_*.changes \
	> "$work/build/lintian.log" 2>&1
ok $? "lintian --fail-on error"
grep -v '^running with root' "$work/build/lintian.log" | indent

dpkg-deb -f "$deb" Depends | grep -q 'kexec-tools'
ok $? "Depends: kexec-tools"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles > "$work/build/conffiles" 2>/dev/null
for f in /etc/default/kexec-qdh /etc/kexec-qdh/policy.json; do
	grep -qx "$f" "$work/build/conffiles"; ok $? "$f is a conffile"
done
# Every non-directory path of the package, to check the purge later.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' > "$work/build/files"

# --- 2. a Debian root with kexec-tools ---------------------------------------
tarball=$work/cache/$suite-minbase.tgz
prepared=$work/cache/$suite-kexec-tools.tar
if [ ! -s "$prepared" ]; then
	if [ ! -s "$tarball" ]; then
		log "debootstrap --make-tarball (once; cached in $tarball)"
		debootstrap --variant=minbase --make-tarball="$tarball.tmp" \
			"$suite" "$work/mk" "$mirror" > "$work/debootstrap.log" 2>&1 &&
			mv "$tarball.tmp" "$tarball"
		rm -rf --one-file-system "$work/mk"
		[ -s "$tarball" ] || { tail -20 "$work/debootstrap.log" | indent; bail "debootstrap --make-tarball"; }
	fi
	debootstrap --variant=minbase --unpack-tarball="$tarball" \
		"$suite" "$root" "$mirror" > "$work/debootstrap.log" 2>&1
	ok $? "debootstrap --variant=minbase --unpack-tarball $suite"
	mount -t proc proc "$root/proc" 2>/dev/null || log "no /proc in the root (mount failed)"
	# Libraries the package needs, so the cached root serves later runs.
	deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
		sed -e 's/([^)]*)//' -e 's/|.*//' -e 's/[[:space:]]//g' | grep -v '^$' | tr '\n' ' ')
	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	# shellcheck disable=SC2086
	chroot "$root" sh -c "DEBIAN_FRONTEND=noninteractive apt-get -q update &&
		DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends $deps" \
		> "$work/apt.log" 2>&1
	ok $? "chroot apt-get install kexec-tools and the libraries ($deps)"
	[ $? -eq 0 ] || tail -20 "$work/apt.log" | indent
	cleanup
	chroot "$root" apt-get clean
	tar -C "$root" -cf "$prepared.tmp" . && mv "$prepared.tmp" "$prepared"
else
	mkdir -p "$root"
	tar -C "$root" -xf "$prepared"
	ok $? "Debian $suite root with kexec-tools (cached: $(basename "$prepared"))"
fi
mount -t proc proc "$root/proc" 2>/dev/null || true
in_root() { chroot "$root" "$@"; }
in_root dpkg -s kexec-tools > /dev/null 2>&1
ok $? "kexec-tools is installed in the root"
kt_md5=$(awk '$2 == "sbin/kexec" { print $1 }' "$root/var/lib/dpkg/info/kexec-tools.md5sums")
[ -n "$kt_md5" ] && [ "$(md5sum < "$root/sbin/kexec" | cut -d' ' -f1)" = "$kt_md5" ]
ok $? "before: /sbin/kexec is kexec-tools' binary (md5 $kt_md5)"
is_kexec_tools() { [ "$(md5sum < "$root$1" | cut -d' ' -f1)" = "$kt_md5" ]; }

# A fixture sysroot like an arm64 QEMU virt guest (the loader tests' own).
fix=$root/tmp/fixture
mkdir -p "$fix"
(top_srcdir=$src top_builddir=/nonexistent
 . "$src/tests/loader/lib.sh"
 make_sysroot "$fix/root" && make_image "$fix/Image" &&
 head -c 65536 /dev/urandom > "$fix/initrd")
ok $? "fixture sysroot from tests/loader/lib.sh"

# --- 3. install --------------------------------------------------------------
cp "$deb" "$root/tmp/"
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$(basename "$deb")" \
	> "$work/dpkg-i.log" 2>&1
ok $? "dpkg -i $(basename "$deb")"
[ $? -eq 0 ] || indent < "$work/dpkg-i.log"

in_root dpkg-divert --list > "$work/divert" 2>&1
grep -q '^diversion of /sbin/kexec to /sbin/kexec.kexec-tools by kexec-qdh$' "$work/divert"
ok $? "dpkg-divert --list: /sbin/kexec to /sbin/kexec.kexec-tools by kexec-qdh"
cmp -s "$root/sbin/kexec" "$src/packaging/kexec-frontend.sh"
ok $? "/sbin/kexec is the front end"
[ -x "$root/sbin/kexec.kexec-tools" ] && is_kexec_tools /sbin/kexec.kexec-tools
ok $? "/sbin/kexec.kexec-tools is kexec-tools' binary"
missing=
for f in /usr/sbin/qdh /usr/sbin/kexec-qdh /etc/default/kexec-qdh \
	 /etc/kexec-qdh/policy.json /usr/share/initramfs-tools/hooks/qdh-apply \
	 /usr/share/initramfs-tools/scripts/init-top/qdh-apply \
	 /usr/share/man/man8/kexec-qdh.8.gz /usr/share/man/man8/qdh.8.gz \
	 /usr/share/man/man5/qdh-policy.5.gz /usr/share/man/man7/qdh-abi.7.gz \
	 /usr/share/bash-completion/completions/qdh \
	 /usr/share/bash-completion/completions/kexec-qdh \
	 /usr/share/doc/kexec-qdh/copyright; do
	[ -e "$root$f" ] || missing="$missing $f"
done
[ -z "$missing" ]; ok $? "files in place (tools, defaults, policy, initramfs-tools, man, completion)"
[ -z "$missing" ] || log "missing:$missing"
# The throttled-reload files (udev/, systemd/, scripts/qdh-reload).
for f in "$src"/udev/*.rules "$src"/systemd/*.service "$src"/scripts/qdh-reload; do
	[ -e "$f" ] || continue
	b=$(basename "$f")
	p=$(grep -E "/$b\$" "$work/build/files" | head -1)
	[ -n "$p" ] && [ -e "$root$p" ]; ok $? "$b is installed (${p:-missing})"
done
for u in "$src"/systemd/*.service; do
	[ -e "$u" ] || continue
	for t in $(sed -n 's/^WantedBy=//p' "$u"); do
		[ -L "$root/etc/systemd/system/$t.wants/$(basename "$u")" ]
		ok $? "$(basename "$u") is enabled for $t"
	done
done
in_root kexec-qdh --help 2>&1 | grep -q '/sbin/kexec.kexec-tools'
ok $? "kexec-qdh hands other work to /sbin/kexec.kexec-tools (configure KEXEC_TOOLS)"
in_root qdh --version > /dev/null 2>&1
ok $? "qdh runs in the root"

in_root kexec-qdh --dry-run /tmp/dry -p /tmp/fixture/Image --initrd /tmp/fixture/initrd \
	--append "console=ttyAMA0 reset_devices" --sysroot /tmp/fixture/root \
	> "$work/dry.log" 2>&1
ok $? "kexec-qdh --dry-run DIR -p on the fixture sysroot"
[ $? -eq 0 ] || indent < "$work/dry.log"
grep -q '"panic":true' "$root/tmp/dry/manifest.json" 2>/dev/null
ok $? "the dry run wrote a crash-load manifest.json"
in_root qdh inspect /tmp/dry/dtb.bin > "$work/inspect.log" 2>&1
ok $? "qdh inspect: the dry run's DTB carries a valid QDH blob"
in_root /sbin/kexec --dry-run /tmp/dry2 -p /tmp/fixture/Image \
	--sysroot /tmp/fixture/root > "$work/dry2.log" 2>&1
ok $? "/sbin/kexec -p goes to kexec-qdh (with /etc/kexec-qdh/policy.json)"
[ $? -eq 0 ] || indent < "$work/dry2.log"
test -s "$root/tmp/dry2/manifest.json"; ok $? "... and wrote its manifest"
# The front end passes the policy of /etc/default/kexec-qdh: spoil it once.
pol=$root/etc/kexec-qdh/policy.json
cp "$pol" "$work/policy.save"
echo '{ "version": 2 }' > "$pol"
in_root /sbin/kexec --dry-run /tmp/dry4 -p /tmp/fixture/Image \
	--sysroot /tmp/fixture/root > "$work/dry4.log" 2>&1
grep -q '/etc/kexec-qdh/policy.json' "$work/dry4.log"
ok $? "/sbin/kexec -p reads /etc/kexec-qdh/policy.json ($(head -1 "$work/dry4.log"))"
cp "$work/policy.save" "$pol"
in_root /sbin/kexec --version > "$work/version.log" 2>&1
grep -q 'kexec-tools' "$work/version.log"
ok $? "/sbin/kexec --version reaches kexec-tools ($(head -1 "$work/version.log"))"
in_root /sbin/kexec -p --dry-run /tmp/dry3 /tmp/fixture/Image --sysroot /tmp/fixture/root \
	--qdh=off > /dev/null 2>&1
ok $? "/sbin/kexec -p --qdh=off still loads (dry run)"

# --- 4. purge ----------------------------------------------------------------
in_root dpkg --purge kexec-qdh > "$work/purge.log" 2>&1
ok $? "dpkg --purge kexec-qdh"
[ $? -eq 0 ] || indent < "$work/purge.log"
in_root dpkg-divert --list > "$work/divert" 2>&1
! grep -q 'kexec-qdh' "$work/divert"; ok $? "the divert is gone"
[ -f "$root/sbin/kexec" ] && is_kexec_tools /sbin/kexec
ok $? "/sbin/kexec is kexec-tools' binary again"
[ ! -e "$root/sbin/kexec.kexec-tools" ]; ok $? "/sbin/kexec.kexec-tools is gone"
left=
while read -r f; do
	[ "$f" = /sbin/kexec ] && continue	# kexec-tools' again
	[ -e "$root$f" ] || [ -L "$root$f" ] && left="$left $f"
done < "$work/build/files"
[ ! -e "$root/etc/kexec-qdh" ] || left="$left /etc/kexec-qdh/"
left="$left $(cd "$root" && find etc var/lib/systemd -name '*kexec-qdh*' 2>/dev/null | tr '\n' ' ')"
left=$(echo $left)
[ -z "$left" ]; ok $? "no file of the package remains ($(wc -l < "$work/build/files") files; /etc and unit links)"
[ -z "$left" ] || log "left:$left"
! in_root dpkg -s kexec-qdh > /dev/null 2>&1; ok $? "dpkg no longer knows kexec-qdh"
in_root /sbin/kexec --version 2>&1 | grep -q kexec-tools
ok $? "/sbin/kexec --version still works"

cleanup
rm -rf --one-file-system "$root"
log "total $(($(date +%s) - start)) s"
finish
