#!/bin/sh
# Write the e2e guest kernel's .config, derived from Debian's arm64 config
# (package linux-config-6.12) and cut to what the QEMU guest needs:
#   kernel/mkconfig.sh DEBIAN_CONFIG SRCDIR OBJDIR
# allnoconfig, with KCONFIG_ALLCONFIG = Debian's value of every symbol of
# config/keep.list, then config/guest.config.  Everything not named there
# is off.  Fails if any line of guest.config, or any built-in (=y) or
# module (=m) choice of Debian's for a keep.list symbol, did not survive
# (a dependency missing from the lists), naming the symbol.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
debcfg=$1 src=$2 obj=$3
mkdir -p "$obj"
frag=$obj/qdh-allconfig
make_cfg() {
	make -s -C "$src" O="$obj" ARCH=arm64 CROSS_COMPILE="${CROSS_COMPILE:-aarch64-linux-gnu-}" "$@"
}

sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/config/keep.list" | while read -r sym; do
	grep -E "^(CONFIG_$sym=|# CONFIG_$sym is not set$)" "$debcfg" ||
		echo "# CONFIG_$sym is not set"
done >"$frag.keep"
cat "$frag.keep" "$here/config/guest.config" >"$frag"

make_cfg KCONFIG_ALLCONFIG="$frag" allnoconfig >"$obj/mkconfig.log" 2>&1 || {
	cat "$obj/mkconfig.log" >&2
	exit 1
}

# Later lines win: a symbol of guest.config overrides Debian's.
cfg=$obj/.config
sed -n -e 's/^\(CONFIG_[A-Za-z0-9_]*=.*\)$/\1/p' -e 's/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1=n/p' \
	"$frag" | awk -F= '{ v[$1] = $0; o[$1] = NR } END { for (k in v) print o[k], v[k] }' |
	sort -n | cut -d' ' -f2- >"$frag.want"
bad=0
while IFS= read -r line; do
	sym=${line%%=*}
	case $line in
	*=n) ! grep -q "^$sym=" "$cfg" || { echo "mkconfig: $sym should be off, is $(grep "^$sym=" "$cfg")" >&2; bad=1; } ;;
	*) grep -qxF "$line" "$cfg" || {
		echo "mkconfig: wanted $line, got $(grep "^$sym=" "$cfg" || echo 'it off') (a dependency is missing)" >&2
		bad=1; } ;;
	esac
done <"$frag.want"
[ $bad = 0 ] || exit 1
echo "mkconfig: $(grep -c '=y$' "$cfg") built in, $(grep -c '=m$' "$cfg") modules"
