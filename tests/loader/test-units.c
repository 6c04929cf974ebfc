// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the loader's parsers and placement: /proc/iomem (strict,
 * nesting, zeros), range subtraction, CPU lists, the arm64 Image header,
 * first-fit placement with the 2 MiB rules, the elfcorehdr layout.
 */
#include "config.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#include "tap.h"
#include "qdh/codec.h"
#include "qdh/loader.h"
#include "../../kexec/loader/elfcore.h"
#include "../../kexec/loader/arch/arm64/arm64.h"

static int parse(const char *text, struct qdh_memmap *mm, size_t *line)
{
	return qdh_iomem_parse(text, strlen(text), mm, line);
}

static void test_iomem(void)
{
	struct qdh_memmap mm;
	struct qdh_mem_range r[8], out[8];
	size_t line, n;
	int k;

	tap_is_int(parse("40000000-bfffffff : System RAM\n"
			 "  40210000-4193ffff : Kernel code\n"
			 "  a8000000-b7ffffff : Crash kernel\n"
			 "    a8000000-a8000fff : nested deeper\n"
			 "  be000000-bfffffff : reserved\n"
			 "4010000000-401fffffff : PCI ECAM", &mm, &line), 0,
		   "iomem: nested entries, no final newline");
	tap_is_int(mm.n, 6, "iomem: six entries");
	n = qdh_memmap_select(&mm, QDH_MEM_CRASH, r, 8);
	tap_ok(n == 1 && r[0].start == 0xa8000000 && r[0].end == 0xb7ffffff,
	       "iomem: the crash region");
	n = qdh_memmap_select(&mm, QDH_MEM_RAM, r, 8);
	tap_ok(n == 1 && r[0].depth == 0, "iomem: System RAM at the top level");
	qdh_memmap_free(&mm);

	tap_is_int(parse("40000000-bfffffff : System RAM\n  3f000000-40000fff : outside\n",
			 &mm, &line), -EBADMSG, "iomem: child outside its parent refused");
	tap_is_int(line, 2, "iomem: ... at line 2");
	tap_is_int(parse("40000000-bfffffff : System RAM\n    40000000-40000fff : x\n",
			 &mm, &line), -EBADMSG, "iomem: two levels deeper refused");
	tap_is_int(parse(" 40000000-bfffffff : System RAM\n", &mm, &line), -EBADMSG,
		   "iomem: odd indent refused");
	tap_is_int(parse("bfffffff-40000000 : System RAM\n", &mm, &line), -EBADMSG,
		   "iomem: start > end refused");
	tap_is_int(parse("40000000-bfffffff: System RAM\n", &mm, &line), -EBADMSG,
		   "iomem: missing \" : \" refused");
	tap_is_int(parse("40000000-1bfffffffffffffff : System RAM\n", &mm, &line), -EBADMSG,
		   "iomem: more than 16 hex digits refused");
	tap_is_int(parse("40000000-bfffffff : System\x01RAM\n", &mm, &line), -EBADMSG,
		   "iomem: control character in a name refused");
	tap_is_int(parse("00000000-00000000 : System RAM\n  00000000-00000000 : Crash kernel\n",
			 &mm, &line), -EPERM, "iomem: all zero means unprivileged");
	tap_is_int(parse("", &mm, &line), 0, "iomem: empty file parses (no RAM)");

	r[0] = (struct qdh_mem_range){ .start = 0x1000, .end = 0x8fff };
	out[0] = (struct qdh_mem_range){ .start = 0x2000, .end = 0x2fff };
	out[1] = (struct qdh_mem_range){ .start = 0x8000, .end = 0x9fff };
	k = qdh_ranges_subtract(r, 1, out, 2, out + 2, 4);
	tap_ok(k == 2 && out[2].start == 0x1000 && out[2].end == 0x1fff &&
	       out[3].start == 0x3000 && out[3].end == 0x7fff,
	       "subtract: a hole in the middle and a cut at the end");
	k = qdh_ranges_subtract(r, 1, r, 1, out, 4);
	tap_is_int(k, 0, "subtract: a range minus itself is empty");
}

static void test_cpulist(void)
{
	unsigned char set[16];

	tap_ok(qdh_parse_cpulist("0-2,5", set, 16) == 0 && set[0] && set[2] &&
	       !set[3] && set[5], "cpulist: 0-2,5");
	tap_is_int(qdh_parse_cpulist("3-1", set, 16), -EINVAL, "cpulist: reversed range refused");
	tap_is_int(qdh_parse_cpulist("0-99", set, 16), -EINVAL, "cpulist: beyond the limit refused");
	tap_is_int(qdh_parse_cpulist("0,x", set, 16), -EINVAL, "cpulist: junk refused");
}

static void test_image(void)
{
	uint8_t h[64];
	struct arm64_image im;
	const char *why;

	memset(h, 0, sizeof(h));
	qdh_put_le64(h + 8, 0x80000);
	qdh_put_le64(h + 16, 0x2b30000);
	qdh_put_le64(h + 24, 0xa);
	memcpy(h + 56, "ARM\x64", 4);
	tap_ok(arm64_image_parse(h, sizeof(h), &im, &why) == 0 &&
	       im.text_offset == 0x80000 && im.page_size_kb == 4 && im.phys_anywhere,
	       "Image: header fields");
	tap_is_int(arm64_image_parse(h, 63, &im, &why), -ENOEXEC, "Image: short file refused");
	qdh_put_le64(h + 24, 0xb);
	tap_is_int(arm64_image_parse(h, sizeof(h), &im, &why), -ENOEXEC,
		   "Image: big-endian kernel refused");
	qdh_put_le64(h + 24, 0x4);
	qdh_put_le64(h + 16, 0);
	tap_is_int(arm64_image_parse(h, sizeof(h), &im, &why), -ENOEXEC,
		   "Image: image_size 0 refused");
	qdh_put_le64(h + 16, 0x1000);
	h[57] = 'X';
	tap_is_int(arm64_image_parse(h, sizeof(h), &im, &why), -ENOEXEC, "Image: bad magic refused");
}

static void test_place(void)
{
	struct qdh_mem_range pool[2] = {
		{ .start = 0x40100000, .end = 0x405fffff },
		{ .start = 0x48000000, .end = 0x4fffffff },
	};
	struct arm64_layout l;
	uint64_t a;

	memset(&l, 0, sizeof(l));
	l.pool = pool;
	l.npool = 2;
	tap_ok(arm64_place(&l, 0x200000, 0x200000, 0, 0, &a) == 0 && a == 0x40200000,
	       "place: 2 MiB aligned inside the first range");
	tap_ok(arm64_place(&l, 0x300000, 0x200000, 0, 0, &a) == 0 && a == 0x48000000,
	       "place: too big for what is left moves to the next range");
	tap_ok(arm64_place(&l, 0x1000, 0x1000, 0x200000, 0x405ff000, &a) == 0 &&
	       a == 0x405ff000, "place: the hint is honoured");
	tap_ok(arm64_place(&l, 0x2000, 0x1000, 0x200000, 0x481ff000, &a) == 0 &&
	       a == 0x48300000, "place: no 2 MiB crossing, then past what is used");
	tap_is_int(arm64_place(&l, 0x10000000, 0x1000, 0, 0, &a), -ENOSPC,
		   "place: nothing fits -> ENOSPC");
	tap_is_int(arm64_place(&l, 0x300000, 0x1000, 0x200000, 0, &a), -ENOSPC,
		   "place: larger than the no-cross window -> ENOSPC");
}

static void test_elfcore(void)
{
	struct qdh_mem_range notes[2] = {
		{ .start = 0x1000, .end = 0x11a7 }, { .start = 0x5000, .end = 0x5fff },
	};
	struct qdh_mem_range loads[1] = { { .start = 0x40000000, .end = 0x7fffffff } };
	uint8_t blob[40] = "QDHB", buf[1024];
	struct qdh_elfcore_in in = {
		.machine = EM_AARCH64, .notes = notes, .nnotes = 2,
		.loads = loads, .nloads = 1, .blob = blob, .blob_len = sizeof(blob),
	};
	uint64_t bphys = 0;
	size_t sz = qdh_elfcore_size(&in);

	tap_ok(sz <= sizeof(buf) && qdh_elfcore_build(buf, sizeof(buf), 0xa8000000,
						      &in, &bphys) == 0, "elfcore: builds");
	tap_ok(qdh_le16(buf + 16) == ET_CORE && qdh_le16(buf + 18) == EM_AARCH64 &&
	       qdh_le16(buf + 56) == 4, "elfcore: ET_CORE, EM_AARCH64, 4 phdrs");
	tap_ok(bphys >= 0xa8000000 && bphys + sizeof(blob) <= 0xa8000000 + sz &&
	       !memcmp(buf + (bphys - 0xa8000000), blob, sizeof(blob)),
	       "elfcore: blob_phys points at the note's descriptor");
	tap_ok(qdh_le64(buf + 64 + 3 * 56 + 8) == 0x40000000 &&
	       qdh_le64(buf + 64 + 3 * 56 + 32) == 0x40000000,
	       "elfcore: PT_LOAD offset = paddr, size");
	tap_is_int(qdh_elfcore_build(buf, sz - 1, 0xa8000000, &in, &bphys), -ENOSPC,
		   "elfcore: short buffer refused");
}

int main(void)
{
	test_iomem();
	test_cpulist();
	test_image();
	test_place();
	test_elfcore();
	return tap_done();
}
