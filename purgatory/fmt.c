// SPDX-License-Identifier: GPL-2.0-or-later
/* Progress lines for the PL011: no printf in the purgatory. */
#include "purg.h"
#include "qdh/names.h"

void purg_line_init(struct purg_line *l)
{
	l->len = 0;
	l->buf[0] = 0;
}

static void put(struct purg_line *l, char c)
{
	if (l->len < PURG_LINE_MAX - 1) {
		l->buf[l->len++] = c;
		l->buf[l->len] = 0;
	}
}

void purg_line_str(struct purg_line *l, const char *s)
{
	while (*s)
		put(l, *s++);
}

void purg_line_dec(struct purg_line *l, uint64_t v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put(l, d[--n]);
}

void purg_line_hex(struct purg_line *l, uint64_t v)
{
	int shift = 60;

	put(l, '0');
	put(l, 'x');
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

void purg_line_streams(struct purg_line *l, const uint32_t nste[QDH_STE_MAX + 1])
{
	uint32_t n = 0, s;
	int first = 1;

	for (s = 0; s <= QDH_STE_MAX; s++)
		n += nste[s];
	if (!n)
		return;
	purg_line_dec(l, n);
	purg_line_str(l, " stream(s) read:");
	for (s = 0; s <= QDH_STE_MAX; s++) {
		if (!nste[s])
			continue;
		purg_line_str(l, first ? " " : ", ");
		purg_line_dec(l, nste[s]);
		purg_line_str(l, " ");
		purg_line_str(l, qdh_ste_state_name(s));
		first = 0;
	}
}

void purg_line_iommu(struct purg_line *l, const struct purg_iommu_desc *d,
		     const struct purg_iommu_result *r)
{
	switch (d->type) {
	case QDH_IOMMU_SMMUV3:
		purg_line_str(l, "smmu ");
		purg_line_hex(l, d->base);
		purg_line_str(l, " CR0=");
		purg_line_hex(l, r->before[QDH_V3_CR0]);
		purg_line_str(l, " GBPA=");
		purg_line_hex(l, r->before[QDH_V3_GBPA]);
		if (r->after[QDH_V3_GBPA] != r->before[QDH_V3_GBPA]) {
			purg_line_str(l, "->");
			purg_line_hex(l, r->after[QDH_V3_GBPA]);
		}
		break;
	case QDH_IOMMU_SMMUV2:
		purg_line_str(l, "smmu-v2 ");
		purg_line_hex(l, d->base);
		purg_line_str(l, " sCR0=");
		purg_line_hex(l, r->before[QDH_V2_SCR0]);
		if (r->after[QDH_V2_SCR0] != r->before[QDH_V2_SCR0]) {
			purg_line_str(l, "->");
			purg_line_hex(l, r->after[QDH_V2_SCR0]);
		}
		break;
	default:
		purg_line_str(l, "iommu ");
		purg_line_hex(l, d->base);
		break;
	}
	purg_line_str(l, " ");
	purg_line_str(l, qdh_purgatory_action_name(r->action));
	/* The update completed but ABORT did not stick (e.g. QEMU < 8.0,
	 * which ignores GBPA writes): say so, the record's after[] shows it. */
	if (d->type == QDH_IOMMU_SMMUV3 && r->action == QDH_PURG_GBPA_ABORT &&
	    !(r->after[QDH_V3_GBPA] & SMMU_V3_GBPA_ABORT))
		purg_line_str(l, " (not taken by the SMMU)");
}
