// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: writes a valid QDH blob whose IOMMU and platform device
 * names carry every control character, DEL, and invalid UTF-8, to check
 * that no tool prints them raw (test-printable.sh).
 *
 *   mkblob-names OUT
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qdh/codec.h"

static const char *const names[] = {
	"esc\x1b[31mred\x1b[0m",		/* terminal escape */
	"bell\a\bback\rcr\vvt\ffeed",
	"nl\nin-name\ttab",
	"del\x7f" "c1\xc2\x9b" "csi",		/* DEL, C1 CSI in UTF-8 */
	"bad-utf8\xff\xfe\xc3\x28\xe2\x82",	/* invalid sequences */
	/* one name on two lines: parenthesised so clang sees it is meant */
	("ctl\x01\x02\x03\x04\x05\x06\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
	 "\x18\x19\x1a\x1c\x1d\x1e\x1f"),
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

int main(int argc, char **argv)
{
	static uint8_t buf[1 << 16];
	struct qdh_builder b;
	struct qdh_iommu_spec io = {
		.base = 0x9050000, .size = 0x20000, .type = QDH_IOMMU_SMMUV3,
		.name = "smmu\x1b]0;title\x07" "3",
	};
	uint32_t strbytes = (uint32_t)strlen(io.name) + 1, sid;
	size_t i, len;
	int idx, r;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: mkblob-names OUT\n");
		return 2;
	}
	for (i = 0; i < NNAMES; i++)
		strbytes += (uint32_t)strlen(names[i]) + 1;
	if (qdh_build_init(&b, buf, sizeof(buf), 1, NNAMES, 0, strbytes,
			   0x1234, QDH_F_CRASH) != 0)
		return 1;
	idx = qdh_build_add_iommu(&b, &io);
	for (i = 0; i < NNAMES && idx >= 0; i++) {
		struct qdh_device_spec d = {
			.is_platform = 1, .name = names[i], .iommu = (uint16_t)idx,
			.state = QDH_STATE_UNKNOWN, .action = QDH_ACTION_RESET_ATTACH,
			.reasons = QDH_R_NO_BUS_MASTER_INFO, .nsids = 1,
		};
		sid = 0x100 + (uint32_t)i;
		d.sids = &sid;
		qdh_build_add_device(&b, &d);
	}
	r = qdh_build_finish(&b, &len);
	if (r != 0) {
		fprintf(stderr, "mkblob-names: %s\n", qdh_strerror(r));
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		perror(argv[1]);
		return 2;
	}
	return 0;
}
