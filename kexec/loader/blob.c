// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QDH blob of one load: inventory scan of the sysroot, purgatory policy,
 * encode.  Timed separately (issue 4: scan + encode <= 10% of the load).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>	/* sysroot.h needs struct stat */
#include <json-c/json.h>

#include "qdh/inventory.h"
#include "qdh/loader.h"

/*
 * The policy file is the scanner's (JSON); the loader reads only the
 * top-level "block_bypass" boolean, which decides the purgatory action.
 * Returns 1/0 when set, -1 when absent, -errno on a bad file.
 */
static int policy_block_bypass(struct qdh_ld_ctx *c)
{
	struct json_object *root, *v;
	int r = -1;

	if (!c->o->policy)
		return -1;
	root = json_object_from_file(c->o->policy);
	if (!root) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: cannot read the policy: %s",
			 c->o->policy, json_util_get_last_err());
		return -EINVAL;
	}
	if (json_object_object_get_ex(root, "block_bypass", &v)) {
		if (!json_object_is_type(v, json_type_boolean)) {
			qdh_logf(&c->log, QDH_LOG_ERR,
				 "%s: block_bypass: expected true or false",
				 c->o->policy);
			r = -EINVAL;
		} else {
			r = json_object_get_boolean(v) ? 1 : 0;
		}
	}
	json_object_put(root);
	return r;
}

int qdh_ld_purgatory_flags(struct qdh_ld_ctx *c, int has_active,
			   uint32_t *pflags, uint32_t *blob_flags)
{
	int bb = policy_block_bypass(c);

	if (bb < -1)
		return bb;
	*pflags = c->o->no_checks ? 0 : QDH_PURG_P_VERIFY;
	/* Default: block bypass DMA only where something may be active. */
	if (bb == 1 || (bb == -1 && has_active)) {
		*pflags |= QDH_PURG_P_BLOCK_BYPASS | QDH_PURG_P_V2_FAULT;
		*blob_flags |= QDH_F_BLOCK_BYPASS;
	}
	return 0;
}

static int inventory_has_active(const struct qdh_inventory *inv)
{
	size_t i;

	for (i = 0; i < inv->niommus; i++)
		if (inv->iommus[i].has_active)
			return 1;
	for (i = 0; i < inv->ndevices; i++)
		if (inv->devices[i].state == QDH_STATE_ACTIVE ||
		    inv->devices[i].state == QDH_STATE_UNKNOWN)
			return 1;
	return 0;
}

int qdh_ld_make_blob(struct qdh_ld_ctx *c, uint32_t flags, uint8_t **blob,
		     size_t *len, uint32_t *pflags)
{
	struct qdh_scan_opts so;
	struct qdh_inventory inv;
	double t0 = qdh_ld_now_ms();
	int r, has_active;

	*blob = NULL;
	*len = 0;
	*pflags = c->o->no_checks ? 0 : QDH_PURG_P_VERIFY;
	if (c->o->qdh == QDH_MODE_OFF)
		return 0;
	memset(&so, 0, sizeof(so));
	memset(&inv, 0, sizeof(inv));
	so.mode = c->o->panic ? QDH_SCAN_CRASH : QDH_SCAN_KEXEC;
	so.policy_file = c->o->policy;
	so.dump_target = c->o->dump_target;
	so.log = &c->log;
	r = qdh_inventory_scan(&c->sr, &so, &inv);
	if (r < 0)
		goto fail;
	has_active = inventory_has_active(&inv);
	r = qdh_ld_purgatory_flags(c, has_active, pflags, &flags);
	if (r == 0)
		r = qdh_inventory_encode(&inv, 0, flags, blob, len);
	qdh_logf(&c->log, QDH_LOG_DEBUG,
		 "inventory: %zu IOMMUs, %zu devices, active: %s, blob %zu bytes",
		 inv.niommus, inv.ndevices, has_active ? "yes" : "no", *len);
	qdh_inventory_free(&inv);
	if (r < 0)
		goto fail;
	c->t_scan_ms = qdh_ld_now_ms() - t0;
	return 0;
fail:
	c->t_scan_ms = qdh_ld_now_ms() - t0;
	free(*blob);
	*blob = NULL;
	*len = 0;
	if (c->o->qdh == QDH_MODE_REQUIRE) {
		qdh_logf(&c->log, QDH_LOG_ERR,
			 "device inventory failed (%s); --qdh=require: not loading",
			 strerror(-r));
		return r;
	}
	qdh_logf(&c->log, QDH_LOG_WARN,
		 "device inventory failed (%s); loading without a QDH handover "
		 "(--qdh=require would refuse)", strerror(-r));
	*pflags = c->o->no_checks ? 0 : QDH_PURG_P_VERIFY;
	return 0;
}
