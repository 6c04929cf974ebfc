#!/bin/sh
# The built purgatory image: position independent (a PIE link of the same
# objects has no dynamic relocation) and no FP/SIMD register use outside
# the SHA-2 instruction routine (the rest is -mgeneral-regs-only).
. "$top_srcdir/tests/common/tap.sh"
elf="$top_builddir/purgatory/purgatory.elf"
pie="$top_builddir/purgatory/purgatory.pie"
readelf=${READELF:-readelf}
[ -f "$elf" ] && [ -f "$pie" ] || { echo "1..1"; echo "not ok 1 - image not built"; exit 1; }

"$readelf" -r "$pie" | grep -q 'There are no relocations'
ok $? "PIE link needs no dynamic relocation"
"$readelf" -S "$elf" | grep -qE '\.(got|rela|dynamic|interp)'
[ $? -ne 0 ]; ok $? "no GOT, relocation or dynamic sections"
"$readelf" -s "$elf" | grep -qE 'OBJECT +GLOBAL +DEFAULT +[0-9]+ qdh_purgatory_params$'
ok $? "qdh_purgatory_params exported"

objdump=
for o in aarch64-linux-gnu-objdump objdump; do
	if command -v $o >/dev/null 2>&1 && $o -d "$elf" >/dev/null 2>&1; then
		objdump=$o; break
	fi
done
if [ -n "$objdump" ]; then
	# Print "function: instruction" for SIMD/FP register operands.
	simd=$($objdump -d "$elf" | awk '
		/^[0-9a-f]+ <.*>:$/ { fn = $2; next }
		/\t/ { l = $0; sub(/ [0-9a-f]+ <.*/, "", l); sub(/\/\/.*/, "", l)
			# branch targets ("d14 <f+0x8>") are gone; registers remain
			if (l ~ /[ ,\[{](v[0-9]+\.|q[0-9]+|d[0-9]+|s[0-9]+)([, }\]]|$)/)
				print fn ": " $0 }' |
		grep -v '<qdh_sha256_blocks_ce>')
	[ -z "$simd" ]; ok $? "FP/SIMD registers only in qdh_sha256_blocks_ce"
	[ -z "$simd" ] || echo "$simd" | head -5 | sed 's/^/# /'
	$objdump -d "$elf" | grep -q 'sha256h2'
	ok $? "SHA-2 instructions present"
else
	echo "# no aarch64 objdump: disassembly checks skipped"
fi
done_testing
