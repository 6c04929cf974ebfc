#!/bin/sh
# /sbin/kexec, installed by the kexec-qdh package in place of kexec-tools'
# binary (dpkg-divert).  Crash-kernel operations (-p / --load-panic, as
# kdump-tools and kdump-utils issue them) go through kexec-qdh, which adds
# the quiesced-device handover; every other use reaches kexec-tools as is.
# Set QDH=off in /etc/default/kexec-qdh to bypass kexec-qdh entirely.
REAL=${QDH_KEXEC_TOOLS:-/sbin/kexec.kexec-tools}
QDH_LOADER=${QDH_LOADER:-/usr/sbin/kexec-qdh}
QDH=on
[ -r /etc/default/kexec-qdh ] && . /etc/default/kexec-qdh

if [ "$QDH" != off ] && [ -x "$QDH_LOADER" ]; then
	for arg in "$@"; do
		case $arg in
		--) break ;;
		-p|--load-panic) exec "$QDH_LOADER" "$@" ;;
		--*) ;;
		-*p*) exec "$QDH_LOADER" "$@" ;;	# clustered short options: -sp
		esac
	done
fi
exec "$REAL" "$@"
