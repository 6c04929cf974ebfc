#!/bin/sh
# kexec-qdh --dry-run DIR (issue 13 item 3): DIR is created, or an existing
# one is taken only if it is empty, ours and not writable by others; never
# through a symbolic link; every file is new (O_CREAT | O_EXCL |
# O_NOFOLLOW); copies keep their source's mode (a 0600 initrd stays 0600)
# whatever the umask.
. "$top_srcdir/tests/common/tap.sh"
. "$top_srcdir/tests/loader/lib.sh"

command -v "$DTC" >/dev/null 2>&1 || skip_all "dtc not found"
make_sysroot "$T/root"
make_image "$T/Image"
head -c 100000 /dev/urandom > "$T/initrd"
chmod 0600 "$T/initrd"
chmod 0644 "$T/Image"

mode() { stat -c %a "$1"; }
dry() {	# dry DIR [more options]: a -p dry run into DIR; stderr in $T/err
	d=$1
	shift
	"$KQ" --dry-run "$d" -p "$T/Image" --initrd "$T/initrd" --sysroot "$T/root" \
		"$@" 2> "$T/err"
}
refused() {	# refused DESC PATTERN DIR: exit 255 naming DIR and the reason
	r=1
	dry "$3"; rc=$?
	[ $rc -eq 255 ] && grep -q -- "--dry-run $3: .*$2" "$T/err" && r=0
	ok $r "$1"
	[ $r -eq 0 ] || { echo "# exit $rc:"; sed 's/^/#   /' "$T/err"; }
}

# --- a new directory ------------------------------------------------------------
dry "$T/new"
ok $? "a new directory is created and written"
[ "$(mode "$T/new/initrd.bin")" = 600 ]
ok $? "a 0600 initrd is copied 0600 (initrd.bin $(mode "$T/new/initrd.bin"))"
[ "$(mode "$T/new/kernel.bin")" = 644 ]
ok $? "a 0644 kernel is copied 0644"
(umask 077 && dry "$T/umask") &&
	[ "$(mode "$T/umask/kernel.bin")" = 644 ] && [ "$(mode "$T/umask/initrd.bin")" = 600 ]
ok $? "the copies' modes do not depend on the umask (umask 077: kernel.bin $(mode "$T/umask/kernel.bin" 2>/dev/null))"
[ "$(mode "$T/new/dtb.bin")" = 600 ]
ok $? "the device tree taken from the system (its seeds) is 0600"

# --- an existing directory --------------------------------------------------------
mkdir -m 0755 "$T/empty"
dry "$T/empty"
ok $? "an existing empty directory of ours (0755) is taken"
mkdir -m 0775 "$T/grp"
chgrp "$(id -g)" "$T/grp"
dry "$T/grp"
ok $? "... also group-writable when the group is ours"

# planted links: the directory is not empty, and nothing is followed
mkdir -m 0755 "$T/planted"
echo VICTIM > "$T/victim"
chmod 0600 "$T/victim"
ln -s "$T/victim" "$T/planted/kernel.bin"
refused "a directory holding a planted link is refused" "not empty" "$T/planted"
[ "$(cat "$T/victim")" = VICTIM ] && [ "$(mode "$T/victim")" = 600 ] && [ -L "$T/planted/kernel.bin" ]
ok $? "... and the link's target is untouched"
mkdir -m 0755 "$T/full"
: > "$T/full/manifest.json"
refused "a non-empty directory is refused" "not empty" "$T/full"
[ ! -s "$T/full/manifest.json" ] && [ ! -e "$T/full/kernel.bin" ]
ok $? "... and nothing is written into it"

mkdir -m 0777 "$T/world"
refused "a world-writable directory is refused" "others can write" "$T/world"
[ -z "$(ls -A "$T/world")" ]
ok $? "... and nothing is written into it"

mkdir -m 0755 "$T/real"
ln -s "$T/real" "$T/link"
refused "a symbolic link to a directory is refused" "symbolic link" "$T/link"
[ -z "$(ls -A "$T/real")" ]
ok $? "... and nothing is written where it points"

if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir -m 0755 "$T/theirs"
	chown nobody "$T/theirs"
	refused "a directory owned by another user is refused" "owned by uid" "$T/theirs"
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP needs root to give a directory away"
fi

done_testing
