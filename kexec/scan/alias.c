// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * DMA requesters, DMA aliases and StreamIDs of PCI functions, as Linux
 * computes them (doc/topology.md, "DMA aliases"):
 *
 *   - the real DMA device (pci_real_dma_dev()): an Intel VMD endpoint for
 *     every function of its child domains, else the function itself;
 *   - its requester IDs in pci_for_each_dma_alias() order: its own, the
 *     quirk aliases on its bus (data/dma-alias-quirks.txt) in devfn order,
 *     then walking up: nothing for PCIe ports, (secondary bus, 00.0) for a
 *     PCIe-to-PCI/PCI-X bridge, its own ID for a PCI/PCI-X-to-PCIe bridge
 *     and for a conventional or PCI-X bridge, unless quirked to act as a
 *     PCIe-to-PCI one; a "translation root" bridge ends the walk;
 *   - each mapped through the firmware tables by the topology.
 *
 * Runs once every PCI function is read and linked to its parent, so the
 * walk goes up by index: no config space is read here, and each function
 * costs the depth of its bus (at most 256 hops).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"

#define PCI_EXP_TYPE_ROOT_PORT		0x4
#define PCI_EXP_TYPE_UPSTREAM		0x5
#define PCI_EXP_TYPE_DOWNSTREAM		0x6
#define PCI_EXP_TYPE_PCI_BRIDGE		0x7	/* PCIe to PCI/PCI-X */
#define PCI_EXP_TYPE_PCIE_BRIDGE	0x8	/* PCI/PCI-X to PCIe */
#define MAX_HOPS			256	/* buses in a domain */
/* own ID + 256 devfns + one per bridge: what one walk can yield */
#define MAX_ALIASES			(1 + 256 + MAX_HOPS)

static uint16_t rid_of(const struct qdh_inv_device *d)
{
	return qdh_bdf_rid(d->busno, d->devfn);
}

static int is_pci(const struct qdh_inventory *inv, int i)
{
	return i >= 0 && (size_t)i < inv->ndevices && inv->devices[i].bus == QDH_INV_PCI;
}

/* The upstream bridge of i on the same domain, or -1 at a root bus. */
static int up(const struct qdh_inventory *inv, int i)
{
	int p = inv->devices[i].parent;

	if (!is_pci(inv, p) || inv->devices[p].domain != inv->devices[i].domain)
		return -1;
	return p;
}

/*
 * d->requester for every PCI function.  A function at the top of its
 * domain whose parent device is a PCI function of another domain sits on
 * a root bus that function created: Intel VMD (pci_real_dma_dev() answers
 * the VMD endpoint for every function of those buses).  Below, every
 * function inherits its bridge's answer.  Linear: each function is
 * resolved once, walking up to the first resolved ancestor.
 */
static void resolve_requesters(struct qdh_scan_ctx *c, const uint8_t *rules)
{
	struct qdh_inventory *inv = c->inv;
	size_t n = inv->ndevices, i;
	int *stack = malloc((n ? n : 1) * sizeof(*stack));
	signed char *done = calloc(n ? n : 1, 1);

	if (!stack || !done) {
		c->err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		size_t sp = 0;
		int j = (int)i, req = -1, k;

		if (inv->devices[i].bus != QDH_INV_PCI || done[i])
			continue;
		while (!done[j] && sp < n) {
			int p = up(inv, j);

			stack[sp++] = j;
			if (p >= 0) {
				j = p;
				continue;
			}
			/* j is on a root bus: is that bus a VMD domain? */
			p = inv->devices[j].parent;
			if (is_pci(inv, p) && inv->devices[p].domain != inv->devices[j].domain) {
				/* a bridge never stands for others' DMA: it forwards */
				if ((rules[p] & QDH_DMAQ_VMD) && !inv->devices[p].is_bridge)
					req = p;
				else
					qdh_dev_problem(&inv->devices[j],
							"its root bus is below %s, not a known VMD: its DMA requester is unknown",
							inv->devices[p].name);
			}
			j = -1;
			break;
		}
		if (j >= 0 && done[j])
			req = inv->devices[j].requester;
		for (k = 0; k < (int)sp; k++) {
			inv->devices[stack[k]].requester = req;
			done[stack[k]] = 1;
		}
	}
out:
	free(stack);
	free(done);
}

struct walk {
	uint16_t rid[MAX_ALIASES];
	unsigned n;
};

static void add(struct walk *w, uint16_t rid)
{
	if (w->n < MAX_ALIASES)
		w->rid[w->n++] = rid;
}

/*
 * quirk_use_pcie_bridge_dma_alias(): a quirked conventional bridge acts as
 * PCIe-to-PCI only when it is not on a root bus, has a type-1 header, no
 * PCIe capability, and sits right below a PCIe device that is not itself a
 * PCIe-to-PCI bridge.
 */
static int pcie_bridge_alias(const struct qdh_inventory *inv, int b)
{
	const struct qdh_inv_device *d = &inv->devices[b];
	int p = up(inv, b);

	if (p < 0 || d->header_type != 1 || d->cfg.pcie_type != QDH_PCIE_NONE)
		return 0;
	return inv->devices[p].cfg.pcie_type >= 0 &&
	       inv->devices[p].cfg.pcie_type != PCI_EXP_TYPE_PCI_BRIDGE;
}

/* The pci_for_each_dma_alias() sequence of real DMA device r. */
static void walk_aliases(struct qdh_scan_ctx *c, const uint8_t *rules, int r,
			 struct qdh_inv_device *out, struct walk *w)
{
	const struct qdh_inventory *inv = c->inv;
	const struct qdh_inv_device *d = &inv->devices[r];
	unsigned q = rules[r], hops = 0, k;
	int b, from = r;

	w->n = 0;
	add(w, rid_of(d));
	if (q & (QDH_DMAQ_FUNC0 | QDH_DMAQ_FUNC1 | QDH_DMAQ_DEVFN)) {
		uint8_t map[32];

		qdh_dmaq_match(c->dmaq, d, map);
		if ((q & QDH_DMAQ_FUNC0) && (d->devfn & 7) != 0)
			map[(d->devfn & ~7u) >> 3] |= 1;
		if ((q & QDH_DMAQ_FUNC1) && (d->devfn & 7) != 1)
			map[(d->devfn & ~7u) >> 3] |= 2;
		for (k = 0; k < 256; k++)	/* dma_alias_mask, in devfn order */
			if (map[k >> 3] & (1u << (k & 7)))
				add(w, qdh_bdf_rid(d->busno, (uint8_t)k));
	}
	if (q & QDH_DMAQ_RUNTIME)
		qdh_dev_problem(out, "its DMA aliases are set at boot from its own registers (Linux quirk): not known here");
	for (b = up(inv, r); b >= 0 && hops++ < MAX_HOPS; from = b, b = up(inv, b)) {
		const struct qdh_inv_device *br = &inv->devices[b];
		int sec = br->cfg.secondary >= 0 ? br->cfg.secondary : inv->devices[from].busno;

		if (rules[b] & QDH_DMAQ_XLATE_ROOT)
			break;		/* the IOMMU sees requests as they are here */
		switch (br->cfg.pcie_type) {
		case PCI_EXP_TYPE_ROOT_PORT:
		case PCI_EXP_TYPE_UPSTREAM:
		case PCI_EXP_TYPE_DOWNSTREAM:
			break;		/* PCIe forwards requester IDs as they are */
		case PCI_EXP_TYPE_PCI_BRIDGE:
			/* PCIe-to-PCI/PCI-X Bridge 1.0, 2.3: the bridge takes
			 * ownership with (secondary bus, 00.0). */
			add(w, qdh_bdf_rid((uint8_t)sec, 0));
			break;
		case PCI_EXP_TYPE_PCIE_BRIDGE:
			add(w, rid_of(br));
			break;
		case QDH_PCIE_NONE:
			if ((rules[b] & QDH_DMAQ_BRIDGE_ALIAS) && pcie_bridge_alias(inv, b))
				add(w, qdh_bdf_rid((uint8_t)sec, 0));
			else	/* conventional or PCI-X: the bridge's own ID */
				add(w, rid_of(br));
			break;
		case QDH_PCIE_UNKNOWN:
			qdh_dev_problem(out, "the capabilities of bridge %s could not be read: the DMA alias it adds is unknown",
					br->name);
			break;
		default:
			break;		/* not a bridge type: Linux adds nothing */
		}
	}
}

static void map_streams(struct qdh_scan_ctx *c, size_t i, int r, const struct walk *w)
{
	struct qdh_inventory *inv = c->inv;
	struct qdh_inv_device *d = &inv->devices[i];
	const struct qdh_inv_device *rq = &inv->devices[r];
	uint32_t sids[QDH_INV_MAX_SIDS], wide[MAX_ALIASES];
	struct qdh_pci_requester req;
	struct qdh_pci_map_note note;
	int iommu = -1, n = 0;
	unsigned k;

	for (k = 0; k < w->n; k++)
		wide[k] = w->rid[k];
	qdh_scan_pool(c, wide, w->n, &d->alias_at, &d->naliases);
	if (rq->domain <= 0xffff) {	/* no firmware table knows wider ones */
		req.segment = (uint16_t)rq->domain;
		req.unit_rid = rq->physfn >= 0 ? rid_of(&inv->devices[rq->physfn]) : rid_of(rq);
		req.aliases = w->rid;
		req.naliases = w->n;
		n = qdh_topology_pci_map(c->topo, &req, &iommu, sids, QDH_INV_MAX_SIDS, &note);
	}
	if (n < 0) {
		qdh_dev_problem(d, "StreamIDs: %s", strerror(-n));
		n = 0;
	} else if (iommu >= 0) {
		if (note.unmapped > 0)
			qdh_dev_problem(d, "DMA alias 0x%04x maps to no IOMMU: Linux attaches the function to none",
					w->rid[note.unmapped]);
		else if (note.elsewhere > 0)
			qdh_dev_problem(d, "DMA alias 0x%04x maps to another IOMMU (%d): Linux attaches the function to none",
					w->rid[note.elsewhere], note.other_iommu);
		if (note.dropped)
			qdh_dev_problem(d, "%u StreamIDs beyond the %u a device can carry", note.dropped,
					QDH_INV_MAX_SIDS);
	}
	if (d->iommu < 0) {
		d->iommu = iommu;
	} else if (iommu >= 0 && iommu != d->iommu) {
		/* The kernel's link wins: it is what the running kernel uses. */
		qdh_dev_problem(d, "firmware maps it to IOMMU %d, the iommu link to %d",
				iommu, d->iommu);
	}
	if (n == 0 && d->iommu >= 0 && (size_t)d->iommu < inv->niommus) {
		uint8_t t = inv->iommus[d->iommu].type;

		/* VT-d and AMD-Vi tag DMA with the requester IDs themselves. */
		if (t == QDH_IOMMU_VTD || t == QDH_IOMMU_AMDVI)
			for (k = 0; k < w->n && k < QDH_INV_MAX_SIDS; k++)
				sids[n++] = w->rid[k];
	}
	qdh_scan_pool(c, sids, (unsigned)n, &d->sid_at, &d->nsids);
}

int qdh_scan_dma_aliases(struct qdh_scan_ctx *c)
{
	struct qdh_inventory *inv = c->inv;
	uint8_t *rules = calloc(inv->ndevices ? inv->ndevices : 1, 1);
	struct walk *w = malloc(sizeof(*w));
	size_t i;

	if (!rules || !w) {
		free(rules);
		free(w);
		return -ENOMEM;
	}
	for (i = 0; i < inv->ndevices; i++)
		rules[i] = (uint8_t)qdh_dmaq_match(c->dmaq, &inv->devices[i], NULL);
	resolve_requesters(c, rules);
	for (i = 0; i < inv->ndevices && !c->err; i++) {
		struct qdh_inv_device *d = &inv->devices[i];
		int r = d->requester >= 0 ? d->requester : (int)i;

		if (d->bus != QDH_INV_PCI)
			continue;
		walk_aliases(c, rules, r, d, w);
		map_streams(c, i, r, w);
	}
	free(rules);
	free(w);
	return c->err;
}

static int rank(uint8_t state)
{
	return state == QDH_STATE_ACTIVE ? 2 : state == QDH_STATE_UNKNOWN ? 1 : 0;
}

void qdh_verdict_requesters(struct qdh_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->ndevices; i++) {
		const struct qdh_inv_device *d = &inv->devices[i];
		struct qdh_inv_device *r;

		if (d->bus != QDH_INV_PCI || d->requester < 0 ||
		    (size_t)d->requester >= inv->ndevices)
			continue;
		r = &inv->devices[d->requester];
		/*
		 * Its DMA is r's on the wire: blocking r blocks it, so r is as
		 * active as the most active function behind it, whatever a
		 * policy rule said of r (its action follows the new state).
		 */
		if (r->state != QDH_STATE_BRIDGE && rank(d->state) > rank(r->state)) {
			int rule = r->policy_rule;

			r->state = d->state;
			qdh_verdict_action(r, NULL);
			r->problem[0] = '\0';
			if (rule >= 0)
				qdh_dev_problem(r, "%s behind it is %s (overrides policy rule %d)",
						d->name, qdh_state_name(d->state), rule);
			else
				qdh_dev_problem(r, "%s behind it is %s", d->name,
						qdh_state_name(d->state));
		}
	}
}
