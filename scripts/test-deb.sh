#!/bin/sh
# Builds the Debian package from a scratch copy of the tree and tests it for
# real: lintian, then a Debian 12 root made with debootstrap (minbase) that
# has kexec-tools, kdump-tools and a kernel (so kdump-tools has made its
# kdump initramfs) gets the .deb.  Checked: the kdump initramfs carries qdh
# after install and upgrade and loses it on removal (lsinitramfs), the
# /sbin/kexec divert, the files, the units (wanted only by kdump-tools'
# units, which exist there; their commands run as the units run them), a
# `kexec-qdh --dry-run -p` on a fixture sysroot (directly and through the
# /sbin/kexec front end) and kexec-tools behind the front end; then
# `dpkg --purge` must give /sbin/kexec back and leave nothing of ours.
#
#   scripts/test-deb.sh [WORKDIR]      (root; network on the first run)
#
# WORKDIR (default $QDH_BUILD/deb, QDH_BUILD defaulting to ./_build) keeps
# the debootstrap tarball and the prepared root (cache/, keyed by its
# recipe: suite, mirror, packages) between runs, so later runs need no
# network.  Environment: QDH_DEB_SOURCE=head builds
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

# --- 2. a Debian root with kexec-tools, kdump-tools and a kernel ------------
# kdump-tools' kernel hook makes the kernel's kdump initramfs
# (/var/lib/kdump/initrd.img-V) when the kernel is installed: the root is
# what a kdump-tools user has before installing kexec-qdh.  A small kernel
# (the cloud flavour); MODULES=list and gzip keep mkinitramfs quick (and
# MODULES=dep, which kdump-tools would pick for "most", cannot find the root
# device in a chroot).  The prepared root is cached, keyed by everything
# that goes into it.
arch=$(dpkg --print-architecture)
kernel_pkg=linux-image-cloud-$arch
deps=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
	sed -e 's/([^)]*)//' -e 's/|.*//' -e 's/[[:space:]]//g' | grep -v '^$' | tr '\n' ' ')
prep_recipe="1 suite=$suite mirror=$mirror deps=$deps kdump=kdump-tools initramfs-tools kernel=$kernel_pkg conf=MODULES=list,COMPRESS=gzip"
key=$(printf '%s\n' "$prep_recipe" | sha256sum | cut -c1-12)
tarball=$work/cache/$suite-minbase.tgz
prepared=$work/cache/$suite-kdump-root-$key.tar
if [ ! -s "$prepared" ]; then
	t0=$(date +%s)
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
	printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
	chmod 0755 "$root/usr/sbin/policy-rc.d"
	apt_in_root() {
		chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get -q \
			-o Dpkg::Use-Pty=0 install -y --no-install-recommends "$@"
	}
	# shellcheck disable=SC2086
	{ chroot "$root" apt-get -q update && apt_in_root $deps kdump-tools initramfs-tools; } \
		> "$work/apt.log" 2>&1
	ok $? "chroot apt-get install the package's dependencies ($deps), kdump-tools, initramfs-tools"
	[ $? -eq 0 ] || tail -20 "$work/apt.log" | indent
	printf 'MODULES=list\nCOMPRESS=gzip\n' > "$root/etc/initramfs-tools/conf.d/zz-test-deb"
	apt_in_root "$kernel_pkg" >> "$work/apt.log" 2>&1
	ok $? "chroot apt-get install $kernel_pkg (kdump-tools' hook makes its kdump initramfs)"
	[ $? -eq 0 ] || tail -20 "$work/apt.log" | indent
	cleanup
	chroot "$root" apt-get clean
	tar -C "$root" -cf "$prepared.tmp" . && mv "$prepared.tmp" "$prepared"
	# Older prepared roots are of other recipes.
	find "$work/cache" -maxdepth 1 -name "$suite-*.tar" ! -name "$(basename "$prepared")" -delete
	log "prepared root: $(($(date +%s) - t0)) s, $(($(stat -c %s "$prepared") / 1048576)) MiB (cached as $(basename "$prepared"))"
else
	mkdir -p "$root"
	tar -C "$root" -xf "$prepared"
	ok $? "Debian $suite root with kexec-tools, kdump-tools, $kernel_pkg (cached: $(basename "$prepared"))"
fi
mount -t proc proc "$root/proc" 2>/dev/null || true
in_root() { chroot "$root" "$@"; }
# Time: our package's initramfs-tools files make dpkg run update-initramfs
# -u for /boot (initramfs-tools' trigger) on every operation; that is not
# what is tested here (the hook's choice is checked directly below), so
# this root skips it: update-initramfs -u only, kdump-tools' builds run.
sed -i 's/^update_initramfs=.*/update_initramfs=no/' "$root/etc/initramfs-tools/update-initramfs.conf"
in_root dpkg -s kexec-tools > /dev/null 2>&1
ok $? "kexec-tools is installed in the root"
kt_md5=$(awk '$2 == "sbin/kexec" { print $1 }' "$root/var/lib/dpkg/info/kexec-tools.md5sums")
[ -n "$kt_md5" ] && [ "$(md5sum < "$root/sbin/kexec" | cut -d' ' -f1)" = "$kt_md5" ]
ok $? "before: /sbin/kexec is kexec-tools' binary (md5 $kt_md5)"
is_kexec_tools() { [ "$(md5sum < "$root$1" | cut -d' ' -f1)" = "$kt_md5" ]; }

# The kdump initramfs kdump-tools made, and what is in it.
kdimg=$(cd "$root" && ls var/lib/kdump/initrd.img-* 2>/dev/null | head -1)
kver=${kdimg#var/lib/kdump/initrd.img-}
[ -n "$kdimg" ] && [ -f "$root/boot/vmlinuz-$kver" ]
ok $? "kdump-tools made the kdump initramfs of $kernel_pkg (/${kdimg:-var/lib/kdump/initrd.img-?})"
kdump_has() {	# kdump_has NAME...: every name is in the kdump initramfs listing
	in_root lsinitramfs "/$kdimg" > "$work/lsinitramfs" 2>&1 || return 2
	for n in "$@"; do grep -qE "^(usr/)?$n\$" "$work/lsinitramfs" || return 1; done
}
kdump_lacks() {	# kdump_lacks NAME...: no name is in it
	in_root lsinitramfs "/$kdimg" > "$work/lsinitramfs" 2>&1 || return 2
	for n in "$@"; do ! grep -qE "^(usr/)?$n\$" "$work/lsinitramfs" || return 1; done
}
kdump_lacks sbin/qdh scripts/init-top/qdh-apply
ok $? "before: the kdump initramfs has no qdh"

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
kdump_stamp() { stat -c '%.9Y %i' "$root/$kdimg" 2>/dev/null; }
before=$(kdump_stamp)
t0=$(date +%s)
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$(basename "$deb")" \
	> "$work/dpkg-i.log" 2>&1
ok $? "dpkg -i $(basename "$deb") ($(($(date +%s) - t0)) s, kdump initramfs rebuild included)"
[ $? -eq 0 ] || indent < "$work/dpkg-i.log"

# --- the kdump initramfs carries qdh from the moment of installation ---------
grep -q "kexec-qdh: rebuilding kdump-tools' initramfs /$kdimg" "$work/dpkg-i.log" &&
	grep -q "Processing triggers for kexec-qdh" "$work/dpkg-i.log"
ok $? "the package's trigger rebuilt the kdump initramfs at the end of the dpkg run"
[ "$(kdump_stamp)" != "$before" ] && kdump_has sbin/qdh scripts/init-top/qdh-apply
ok $? "after install: the kdump initramfs has qdh and its init-top script (lsinitramfs)"
[ $? -eq 0 ] || { indent < "$work/dpkg-i.log"; grep -E 'qdh|init-top' "$work/lsinitramfs" | indent; }
rm -rf "$root/tmp/kd"
in_root unmkinitramfs "/$kdimg" /tmp/kd > /dev/null 2>&1
order=$(find "$root/tmp/kd" -path '*scripts/init-top/ORDER' | head -1)
[ -n "$order" ] && awk '/init-top\/qdh-apply/ { q = NR } /init-top\/udev/ { u = NR }
	END { exit !(q && u && q < u) }' "$order"
ok $? "...and init-top/ORDER runs qdh-apply before udev"
rm -rf "$root/tmp/kd"
# The hook copies qdh only into kdump-tools' build (its CONFDIR), never
# into the normal initramfs (run as mkinitramfs runs hooks).
hook_copies() {	# hook_copies CONFDIR: does the installed hook copy qdh?
	rm -rf "$root/tmp/hk"; mkdir -p "$root/tmp/hk"
	in_root env CONFDIR="$1" DESTDIR=/tmp/hk verbose=n MODULESDIR="/lib/modules/$kver" \
		version="$kver" sh /usr/share/initramfs-tools/hooks/qdh-apply > /dev/null 2>&1
	find "$root/tmp/hk" -name qdh | grep -q .
}
hook_copies /var/lib/kdump/initramfs-tools && ! hook_copies /etc/initramfs-tools
ok $? "the hook puts qdh into kdump-tools' build only, not into the normal initramfs"
rm -rf "$root/tmp/hk"
grep -q "in a chroot: no crash kernel reloaded" "$work/dpkg-i.log"
ok $? "no crash kernel reload from a chroot (the host's /sys is not ours)"

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
# The reload files and units (udev/, systemd/, scripts/).
for b in 90-kexec-qdh.rules kexec-qdh-baseline.service kexec-qdh-crash-report.path \
	 kexec-qdh-crash-report.service qdh-reload qdh-crash-report qdh-kdump-tools.sh; do
	p=$(grep -E "/$b\$" "$work/build/files" | head -1)
	[ -n "$p" ] && [ -e "$root$p" ]; ok $? "$b is installed (${p:-missing})"
done
# Every unit is wanted only by units that exist here, and is enabled.
wants_ok=yes
for u in "$root"/lib/systemd/system/kexec-qdh-*; do
	for t in $(sed -n 's/^WantedBy=//p' "$u"); do
		[ -f "$root/lib/systemd/system/$t" ] || { log "$(basename "$u") wanted by $t, which does not exist"; wants_ok=no; }
		[ -L "$root/etc/systemd/system/$t.wants/$(basename "$u")" ] ||
			{ log "$(basename "$u") not enabled for $t"; wants_ok=no; }
	done
done
[ -n "$(ls "$root"/lib/systemd/system/kexec-qdh-* 2>/dev/null)" ] && [ $wants_ok = yes ] &&
	[ -L "$root/etc/systemd/system/kdump-tools.service.wants/kexec-qdh-baseline.service" ] &&
	[ -L "$root/etc/systemd/system/kdump-tools-dump.service.wants/kexec-qdh-crash-report.path" ] &&
	[ ! -e "$root/etc/systemd/system/kdump.service.wants" ]
ok $? "units enabled for kdump-tools.service and kdump-tools-dump.service only, both present"
for u in "$root"/lib/systemd/system/kexec-qdh-*.service "$root"/lib/udev/rules.d/90-kexec-qdh.rules; do
	for x in $(sed -n -e 's/^ExecStart=\([^ ]*\).*/\1/p' -e 's/.* \(\/usr\/libexec\/[^"]*\)"$/\1/p' "$u"); do
		[ -x "$root$x" ] || { log "$(basename "$u"): $x is not an installed program"; false; }
	done
done
ok $? "every ExecStart and the udev rule's program are installed programs"
# The baseline unit's command, as the unit runs it (a service's PATH and
# nothing else), with the package's /etc/default/kexec-qdh, on the fixture
# sysroot with a crash kernel loaded: what failed on every boot before.
mkdir -p "$fix/root/etc/default" "$fix/root/sys/kernel"
cp "$root/etc/default/kexec-qdh" "$fix/root/etc/default/kexec-qdh"
echo 1 > "$fix/root/sys/kernel/kexec_crash_loaded"
in_root env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/usr/libexec/kexec-qdh/qdh-reload --sysroot /tmp/fixture/root --record > "$work/record.log" 2>&1 &&
	in_root qdh inspect /tmp/fixture/root/run/kexec-qdh/loaded.qdh > /dev/null 2>&1
ok $? "qdh-reload --record as kexec-qdh-baseline.service runs it: exit 0, baseline saved"
[ $? -eq 0 ] || indent < "$work/record.log"
in_root env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/usr/libexec/kexec-qdh/qdh-reload --sysroot /tmp/fixture/root > "$work/reload.log" 2>&1 &&
	grep -q "inventory unchanged" "$work/reload.log"
ok $? "qdh-reload as kexec-qdh-reload runs it: exit 0, inventory unchanged"
[ $? -eq 0 ] || indent < "$work/reload.log"
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

# --- 4. upgrade: the same version again (preinst upgrade, postinst configure)
before=$(kdump_stamp)
in_root env DEBIAN_FRONTEND=noninteractive dpkg -i "/tmp/$(basename "$deb")" \
	> "$work/dpkg-up.log" 2>&1
ok $? "dpkg -i again (the upgrade path)"
[ "$(kdump_stamp)" != "$before" ] && grep -q "rebuilding kdump-tools' initramfs" "$work/dpkg-up.log" &&
	kdump_has sbin/qdh scripts/init-top/qdh-apply
ok $? "upgrade: the kdump initramfs is rebuilt, with qdh"

# --- 5. purge ----------------------------------------------------------------
before=$(kdump_stamp)
in_root dpkg --purge kexec-qdh > "$work/purge.log" 2>&1
ok $? "dpkg --purge kexec-qdh"
[ $? -eq 0 ] || indent < "$work/purge.log"
[ "$(kdump_stamp)" != "$before" ] && kdump_lacks sbin/qdh scripts/init-top/qdh-apply
ok $? "after removal: the kdump initramfs is rebuilt without qdh (lsinitramfs)"
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
