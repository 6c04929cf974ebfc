#!/bin/sh
# Sourced by qdh-reload and qdh-crash-report: what kdump-tools' settings
# say.  /etc/default/kdump-tools is shell, sourced by kdump-config itself,
# so it is read the same way, in a subshell that cannot change the caller.

# qdh_kdump_coredir ROOT: kdump-tools' dump directory (KDUMP_COREDIR,
# default /var/crash), as a path inside ROOT ("" for the live system).
qdh_kdump_coredir() {
	(
		KDUMP_COREDIR=
		# shellcheck disable=SC1090,SC1091
		[ -r "$1/etc/default/kdump-tools" ] &&
			. "$1/etc/default/kdump-tools" > /dev/null 2>&1
		printf '%s\n' "${KDUMP_COREDIR:-/var/crash}"
	) || printf '%s\n' /var/crash
}
