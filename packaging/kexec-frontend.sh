#!/bin/sh
# /sbin/kexec, installed by the kexec-qdh package in place of kexec-tools'
# binary (dpkg-divert).  Crash-kernel operations (-p / --load-panic, as
# kdump-tools and kdump-utils issue them) go through kexec-qdh, which adds
# the quiesced-device handover; every other use reaches kexec-tools as is.
# Settings: /etc/default/kexec-qdh (QDH=off bypasses kexec-qdh entirely;
# QDH_POLICY is passed as --qdh-policy when the file exists; QDH_ARGS adds
# options).  QDH_DEFAULTS, QDH_KEXEC_TOOLS and QDH_LOADER exist for tests.
set -f	# QDH_ARGS is split into words, never globbed; nothing else is split
REAL=${QDH_KEXEC_TOOLS:-/sbin/kexec.kexec-tools}
QDH_LOADER=${QDH_LOADER:-/usr/sbin/kexec-qdh}
QDH=on
QDH_POLICY=
QDH_ARGS=
defaults=${QDH_DEFAULTS:-/etc/default/kexec-qdh}
# shellcheck disable=SC1090
[ -r "$defaults" ] && . "$defaults"

# Is this a crash-kernel operation?  The options are kexec-tools' (and
# kexec-qdh's): a value given as "--opt X" or "-t X" is skipped, so that a
# value that looks like -p is not taken for one; "--opt=X" is one word.
panic=no
skip=no
for arg in "$@"; do
	if [ $skip = yes ]; then skip=no; continue; fi
	case $arg in
	--) break ;;
	-p|--load-panic) panic=yes; break ;;
	--command-line|--append|--initrd|--ramdisk|--dtb|--type|--mem-min|--mem-max|\
	--entry|--module|--serial|--serial-baud|--image|--page-offset|\
	--qdh|--qdh-policy|--qdh-dump-target|--sysroot|--dry-run) skip=yes ;;
	--*) ;;
	-*)	# clustered short options: -sp; -t takes the rest or the next word
		c=${arg#-}
		while [ -n "$c" ]; do
			r=${c#?}; o=${c%"$r"}; c=$r
			case $o in
			p) panic=yes; break ;;
			t) [ -z "$c" ] && skip=yes; break ;;
			esac
		done
		[ $panic = yes ] && break ;;
	esac
done

if [ "$panic" = yes ] && [ "$QDH" != off ] && [ -x "$QDH_LOADER" ]; then
	# QDH_ARGS after the policy, so that it can override it.
	if [ -n "$QDH_POLICY" ] && [ -r "$QDH_POLICY" ]; then
		# shellcheck disable=SC2086
		exec "$QDH_LOADER" --qdh-policy "$QDH_POLICY" $QDH_ARGS "$@"
	fi
	# shellcheck disable=SC2086
	exec "$QDH_LOADER" $QDH_ARGS "$@"
fi
if [ ! -x "$REAL" ]; then
	echo "kexec: $REAL (kexec-tools) is missing; reinstall kexec-tools" >&2
	exit 255
fi
exec "$REAL" "$@"
