// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_inventory_scan(): read every device, order them as the blob wants,
 * link parents and PFs, then verdicts, dump target, policy and actions.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"

/* "0a" and "0A" name one function: the kernel's lowercase name first. */
static int name_rank(const char *a, const char *b)
{
	int ua = strpbrk(a, "ABCDEF") != NULL, ub = strpbrk(b, "ABCDEF") != NULL;

	if (ua != ub)
		return ua - ub;
	return strcmp(a, b);
}

static int dev_cmp(const struct qdh_inv_device *a, const struct qdh_inv_device *b)
{
	if (a->bus != b->bus)
		return a->bus == QDH_INV_PCI ? -1 : 1;
	if (a->bus == QDH_INV_PLATFORM)
		return strcmp(a->name, b->name);
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (a->busno != b->busno)
		return a->busno < b->busno ? -1 : 1;
	if (a->devfn != b->devfn)
		return a->devfn < b->devfn ? -1 : 1;
	return name_rank(a->name, b->name);
}

static int idx_cmp(const void *a, const void *b, void *base)
{
	const struct qdh_inv_device *d = base;

	return dev_cmp(&d[*(const size_t *)a], &d[*(const size_t *)b]);
}

static int same_key(const struct qdh_inv_device *a, const struct qdh_inv_device *b)
{
	if (a->bus != b->bus)
		return 0;
	if (a->bus == QDH_INV_PLATFORM)
		return !strcmp(a->name, b->name);
	return a->domain == b->domain && a->busno == b->busno && a->devfn == b->devfn;
}

/*
 * dst[j] = src[q[j]] for the device array, in place (q a permutation of
 * 0..n-1), following its cycles: sorting 100k devices of ~900 bytes must
 * not need a second array of them.
 */
static void permute(struct qdh_inv_device *v, size_t *q, size_t n)
{
	struct qdh_inv_device tmp;
	size_t j, k, next;

	for (j = 0; j < n; j++) {
		if (q[j] == j || q[j] == (size_t)-1)
			continue;
		tmp = v[j];
		for (k = j;; k = next) {
			next = q[k];
			q[k] = (size_t)-1;	/* done */
			if (next == j) {
				v[k] = tmp;
				break;
			}
			v[k] = v[next];
		}
	}
}

/*
 * Sort devices (and the parallel obs/physfn arrays) into blob order; a
 * second entry with the same key is left out and the first made unknown.
 */
static int sort_devices(struct qdh_scan_ctx *c)
{
	struct qdh_inventory *inv = c->inv;
	size_t n = inv->ndevices, i, o = 0, nd = 0;
	size_t *perm = malloc((n ? n : 1) * sizeof(*perm));
	size_t *q = malloc((n ? n : 1) * sizeof(*q));
	unsigned *nobs = malloc((n ? n : 1) * sizeof(*nobs));
	char **nphys = malloc((n ? n : 1) * sizeof(*nphys));

	if (!perm || !q || !nobs || !nphys) {
		free(perm);
		free(q);
		free(nobs);
		free(nphys);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		perm[i] = i;
	if (n > 1)
		qsort_r(perm, n, sizeof(*perm), idx_cmp, inv->devices);
	for (i = 0; i < n; i++) {
		const struct qdh_inv_device *d = &inv->devices[perm[i]];

		if (o && same_key(&inv->devices[q[o - 1]], d)) {
			struct qdh_inv_device *keep = &inv->devices[q[o - 1]];

			keep->problem[0] = '\0';
			qdh_dev_problem(keep, "bus entries %s and %s name the same function",
					keep->name, d->name);
			keep->reasons |= QDH_R_CONTRADICTION;
			nobs[o - 1] |= QDH_OBS_DUPLICATE;
			qdh_scan_add_skip(c, d->name, "duplicate of another bus entry");
			free(c->physfn[perm[i]]);
			perm[nd++] = perm[i];	/* dropped: goes after the kept */
			continue;
		}
		q[o] = perm[i];
		nobs[o] = c->obs[perm[i]];
		nphys[o] = c->physfn[perm[i]];
		o++;
	}
	/* The dropped ones fill the tail, so that q is a permutation. */
	for (i = 0; i < nd; i++)
		q[o + i] = perm[i];
	permute(inv->devices, q, n);
	free(perm);
	free(q);
	free(c->obs);
	free(c->physfn);
	inv->ndevices = o;
	c->obs = nobs;
	c->physfn = nphys;
	return 0;
}

static int skip_cmp(const void *a, const void *b)
{
	return strcmp(((const struct qdh_inv_skip *)a)->entry,
		      ((const struct qdh_inv_skip *)b)->entry);
}

static void ctx_free(struct qdh_scan_ctx *c)
{
	size_t i;

	if (c->physfn)
		for (i = 0; i < c->inv->ndevices; i++)
			free(c->physfn[i]);
	free(c->physfn);
	free(c->obs);
	free(c->group_type);
	free(c->group_state);
	if (c->groups_fd >= 0)
		close(c->groups_fd);
}

static int copy_iommus(struct qdh_scan_ctx *c)
{
	size_t n = qdh_topology_iommu_count(c->topo), i;

	if (!n)
		return 0;
	c->inv->iommus = calloc(n, sizeof(*c->inv->iommus));
	if (!c->inv->iommus)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const struct qdh_inv_iommu *m = qdh_topology_iommu(c->topo, i);

		if (m)
			c->inv->iommus[i] = *m;
		c->inv->iommus[i].has_active = 0;
	}
	c->inv->niommus = n;
	return 0;
}

static int load_shutdown(const struct qdh_scan_opts *opts,
			 const struct qdh_policy *pol, struct qdh_strset **out)
{
	size_t i;
	int r = qdh_strset_load_shutdown(opts->shutdown_drivers, opts->log, out);

	if (r < 0) {
		qdh_logf(opts->log, QDH_LOG_ERR, "%s: %s",
			 opts->shutdown_drivers ? opts->shutdown_drivers : "built-in list",
			 strerror(-r));
		return r;
	}
	if (!pol)
		return 0;
	for (i = 0; i < pol->nshutdown_add && !r; i++)
		r = qdh_strset_add(*out, pol->shutdown_add[i]);
	for (i = 0; i < pol->nshutdown_remove; i++)
		qdh_strset_remove(*out, pol->shutdown_remove[i]);
	return r;
}

int qdh_inventory_scan(const struct qdh_sysroot *sr,
		       const struct qdh_scan_opts *opts,
		       struct qdh_inventory *inv)
{
	struct qdh_scan_ctx c;
	struct qdh_policy *pol = NULL;
	struct qdh_strset *shut = NULL;
	struct qdh_path_index *idx = NULL;
	char err[512];
	size_t i;
	int r, has_active = 0;

	memset(inv, 0, sizeof(*inv));
	memset(&c, 0, sizeof(c));
	inv->mode = opts->mode;
	c.groups_fd = -1;
	c.sr = sr;
	c.opts = opts;
	c.log = opts->log;
	c.inv = inv;

	if (opts->policy) {
		pol = (struct qdh_policy *)opts->policy;	/* the caller's */
	} else if (opts->policy_file) {
		r = qdh_policy_load(opts->policy_file, &pol, err, sizeof(err));
		if (r < 0) {
			qdh_logf(opts->log, QDH_LOG_ERR, "%s", err);
			return r;
		}
	}
	r = load_shutdown(opts, pol, &shut);
	if (r < 0)
		goto out;
	r = qdh_topology_load(sr, opts->log, &c.topo);
	if (r < 0 && r != -ENOMEM) {
		/* Devices are still worth reporting without StreamIDs. */
		qdh_logf(opts->log, QDH_LOG_WARN, "IOMMU topology: %s", strerror(-r));
		c.topo = qdh_topology_new(opts->log);
		r = c.topo ? qdh_topology_finish(c.topo) : -ENOMEM;
	}
	if (r < 0) {
		qdh_logf(opts->log, QDH_LOG_ERR, "IOMMU topology: %s", strerror(-r));
		goto out;
	}
	r = qdh_dmaq_builtin(&c.dmaq, err, sizeof(err));
	if (r < 0) {
		qdh_logf(opts->log, QDH_LOG_ERR, "%s", r == -ENOMEM ? strerror(ENOMEM) : err);
		goto out;
	}
	r = copy_iommus(&c);
	if (!r)
		r = qdh_scan_pci(&c);
	if (!r)
		r = qdh_scan_platform(&c);
	if (!r)
		r = sort_devices(&c);
	/* Directory order is the filesystem's: report in name order. */
	if (inv->nskipped)
		qsort(inv->skipped, inv->nskipped, sizeof(*inv->skipped), skip_cmp);
	if (r < 0)
		goto out;
	idx = qdh_path_index_build(inv);
	if (!idx) {
		r = -ENOMEM;
		goto out;
	}
	qdh_scan_pci_link(&c, idx);
	r = qdh_scan_dma_aliases(&c);
	if (r < 0)
		goto out;
	for (i = 0; i < inv->ndevices; i++)
		qdh_verdict(&inv->devices[i], c.obs[i], opts->mode, shut);
	if (opts->dump_target) {
		r = qdh_dump_target_mark(sr, opts->dump_target, inv, idx, opts->log);
		if (r < 0)
			goto out;
	} else if (opts->detect_dump_targets && opts->mode == QDH_SCAN_CRASH) {
		r = qdh_dump_detect(sr, opts->dump_cmdline, inv, idx, opts->log);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < inv->ndevices; i++)
		qdh_verdict_action(&inv->devices[i], pol);
	/* After the policy: no rule makes a requester quieter than its DMA. */
	qdh_verdict_requesters(inv);
	for (i = 0; i < inv->ndevices; i++) {
		struct qdh_inv_device *d = &inv->devices[i];

		if (d->state != QDH_STATE_ACTIVE && d->state != QDH_STATE_UNKNOWN)
			continue;
		has_active = 1;
		if (d->iommu >= 0 && (size_t)d->iommu < inv->niommus)
			inv->iommus[d->iommu].has_active = 1;
	}
	/* The header flags: the policy resolved once, here. */
	inv->blob_flags = qdh_policy_blob_flags(pol, opts->mode, opts->no_purgatory,
						has_active, inv->dump_fallback);
	r = 0;
out:
	ctx_free(&c);
	qdh_path_index_free(idx);
	qdh_topology_free(c.topo);
	qdh_dmaq_free(c.dmaq);
	qdh_strset_free(shut);
	if (pol != opts->policy)
		qdh_policy_free(pol);
	if (r < 0)
		qdh_inventory_free(inv);
	return r;
}

void qdh_inventory_free(struct qdh_inventory *inv)
{
	if (!inv)
		return;
	free(inv->iommus);
	free(inv->devices);
	free(inv->sids);
	free(inv->skipped);
	free(inv->dump_needs);
	memset(inv, 0, sizeof(*inv));
}
