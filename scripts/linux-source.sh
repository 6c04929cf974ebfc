# Sourced by the data generators (gen-shutdown-drivers.sh,
# gen-dma-alias-quirks.sh): a kernel source directory or tarball (Debian's
# linux-source-X.Y) as a tree to read.
#   linux_source NAME SOURCE PATTERN...
# sets tree (its top directory), label (the source's name) and version
# (VERSION.PATCHLEVEL.SUBLEVEL of its Makefile).  A tarball is unpacked,
# only the PATTERNs (tar wildcards below the top directory) and the
# Makefile, into a temporary directory removed on exit.  NAME prefixes the
# error message; a SOURCE that is neither exits 2.
linux_source_tmp=
linux_source_cleanup() { [ -z "$linux_source_tmp" ] || rm -rf "$linux_source_tmp"; }
trap linux_source_cleanup EXIT INT TERM

linux_source() {
	_name=$1 _src=$2
	shift 2
	if [ -f "$_src" ]; then
		linux_source_tmp=$(mktemp -d)
		_top=$(tar -tf "$_src" | head -n 1 | cut -d/ -f1)
		for _p; do
			set -- "$@" "$_top/$_p"
			shift
		done
		tar -xf "$_src" -C "$linux_source_tmp" --wildcards "$@" "$_top/Makefile"
		tree=$linux_source_tmp/$_top
		label=$(basename "$_src")
	elif [ -d "$_src" ]; then
		tree=$_src
		label=$(basename "$(cd "$_src" && pwd)")
	else
		echo "$_name: $_src: not a kernel tree or tarball" >&2
		exit 2
	fi
	version=$(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' \
		"$tree/Makefile" 2>/dev/null | paste -sd. -)
}
