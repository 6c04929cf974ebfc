#!/bin/sh
# gen-unit.sh IN OUT RELOADDIR DOCDIR KDUMP_SERVICE: make a udev rule or a
# systemd unit from its template (udev/Makefile.inc runs it; the packaging
# tests run it for the other distributions' values).  @reloaddir@,
# @docdir@ and @KDUMP_SERVICE@ are replaced; with KDUMP_SERVICE=no the lines
# naming it and the [Install] section are left out, so that nothing is
# wanted by a unit that does not exist.
set -eu
[ $# -eq 5 ] || { echo "usage: gen-unit.sh IN OUT RELOADDIR DOCDIR KDUMP_SERVICE" >&2; exit 2; }
in=$1 out=$2 reloaddir=$3 docdir=$4 svc=$5
case $svc in
kdump-tools.service|kdump.service|no) ;;
*) echo "gen-unit.sh: unknown kdump service: $svc" >&2; exit 2 ;;
esac
for v in "$reloaddir" "$docdir"; do
	case $v in *'|'*|*'&'*|*'\'*) echo "gen-unit.sh: unusable path: $v" >&2; exit 2 ;; esac
done
if [ "$svc" = no ]; then
	sed -e '/@KDUMP_SERVICE@/d' -e '/^\[Install\]/,$d' "$in"
else
	cat "$in"
fi | sed -e "s|@reloaddir@|$reloaddir|g" -e "s|@docdir@|$docdir|g" \
	-e "s|@KDUMP_SERVICE@|$svc|g" > "$out.tmp"
mv "$out.tmp" "$out"
