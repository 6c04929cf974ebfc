// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The QDH blob of one load: inventory scan of the sysroot, encode.  The
 * scan owns the policy and the header flags; the loader takes the flags the
 * encoder returns and tells purgatory what they mean.  Timed separately
 * (issue 4: scan + encode <= 10% of the load).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>	/* sysroot.h needs struct stat */

#include "qdh/inventory.h"
#include "qdh/loader.h"

/* What purgatory is told: verify unless -i, block bypass as the blob says. */
static uint32_t purgatory_flags(const struct qdh_ld_ctx *c, uint32_t blob_flags)
{
	uint32_t p = c->o->no_checks ? 0 : QDH_PURG_P_VERIFY;

	if (blob_flags & QDH_F_BLOCK_BYPASS)
		p |= QDH_PURG_P_BLOCK_BYPASS | QDH_PURG_P_V2_FAULT;
	return p;
}

/*
 * The policy is the scanner's, loaded before the lock (qdh_ld_read_inputs();
 * paths that never take the lock, such as the hand-over to kexec-tools,
 * load it here).  0, or -errno after logging why.
 */
static int load_policy(struct qdh_ld_ctx *c)
{
	if (!c->o->policy || c->policy)
		return 0;
	if (!c->policy_err) {
		if (c->lock_fd >= 0)
			return -EDEADLK;	/* no user file is read under the lock */
		c->policy_err = qdh_policy_load(c->o->policy, &c->policy,
						c->policy_msg, sizeof(c->policy_msg));
		if (!c->policy_err)
			return 0;
	}
	qdh_logf(&c->log, QDH_LOG_ERR, "%s", c->policy_msg);
	return c->policy_err;
}

int qdh_ld_make_blob(struct qdh_ld_ctx *c, int purgatory, uint8_t **blob,
		     size_t *len, uint32_t *blob_flags, uint32_t *pflags)
{
	struct qdh_scan_opts so;
	struct qdh_inventory inv;
	char cmdline[4096];
	double t0 = qdh_ld_now_ms();
	const char *why;
	int r, given;

	*blob = NULL;
	*len = 0;
	*blob_flags = 0;
	*pflags = purgatory_flags(c, 0);
	if (c->o->qdh == QDH_MODE_OFF)
		return 0;
	memset(&so, 0, sizeof(so));
	memset(&inv, 0, sizeof(inv));
	so.mode = c->o->panic ? QDH_SCAN_CRASH : QDH_SCAN_KEXEC;
	r = load_policy(c);
	if (r < 0)
		goto fail;
	so.policy_file = c->o->policy;
	so.policy = c->policy;
	so.dump_target = c->o->dump_target;
	so.log = &c->log;
	/* A crash load names its dump targets or they are found from the
	 * command line it loads (cmdline.c owns it) and the kdump service's
	 * config.  Without a command line of its own the crash kernel keeps
	 * the running one's on arm64 (the DT's bootargs): the scanner then
	 * reads the sysroot's /proc/cmdline. */
	so.detect_dump_targets = c->o->panic && !c->o->dump_target;
	if (so.detect_dump_targets) {
		r = qdh_ld_cmdline(c, cmdline, sizeof(cmdline), &given);
		if (r < 0)
			goto fail;
		so.dump_cmdline = given ? cmdline : NULL;
	}
	so.no_purgatory = !purgatory;
	r = qdh_inventory_scan(&c->sr, &so, &inv);
	if (r < 0)
		goto fail;
	if (inv.dump_detected)
		qdh_logf(&c->log, QDH_LOG_DEBUG, "dump-target detection: %.2f ms, "
			 "%zu needs%s", inv.dump_detect_ms, inv.ndump_needs,
			 inv.dump_fallback ? ", fallback (no-dump-target)" : "");
	r = qdh_inventory_encode(&inv, 0, blob, len, blob_flags);
	qdh_logf(&c->log, QDH_LOG_DEBUG,
		 "inventory: %zu IOMMUs, %zu devices, blob flags 0x%x, %zu bytes",
		 inv.niommus, inv.ndevices, (unsigned)*blob_flags, *len);
	qdh_inventory_free(&inv);
	if (r < 0)
		goto fail;
	*pflags = purgatory_flags(c, *blob_flags);
	c->t_scan_ms = qdh_ld_now_ms() - t0;
	return 0;
fail:
	c->t_scan_ms = qdh_ld_now_ms() - t0;
	free(*blob);
	*blob = NULL;
	*len = 0;
	why = r == -EFBIG ? "the blob would pass the 2 MiB a QDH blob may be" :
			    strerror(-r);
	if (c->o->qdh == QDH_MODE_REQUIRE) {
		qdh_logf(&c->log, QDH_LOG_ERR,
			 "device inventory failed (%s); --qdh=require: not loading", why);
		return r;
	}
	qdh_logf(&c->log, QDH_LOG_WARN,
		 "device inventory failed (%s); loading without a QDH handover "
		 "(--qdh=require would refuse)", why);
	*blob_flags = 0;
	*pflags = purgatory_flags(c, 0);
	return 0;
}
