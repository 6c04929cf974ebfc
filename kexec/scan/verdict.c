// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From observations to a verdict and an action.  The table these rules
 * implement, and why each row is what it is, is doc/verdicts.md; keep the
 * two in step.
 */
#include "config.h"

#include <string.h>

#include "scan.h"

static int vfio_owned(const struct qdh_inv_device *d)
{
	/*
	 * "unmanaged" is what sysfs shows when a group's domain belongs to a
	 * user (VFIO/iommufd); the driver name catches a group bound to
	 * vfio-pci/vfio-platform whose type still shows the default domain.
	 */
	return !strcmp(d->group_type, "unmanaged") ||
	       !strncmp(d->driver, "vfio", 4);
}

void qdh_verdict(struct qdh_inv_device *d, unsigned obs,
		 enum qdh_scan_mode mode, const struct qdh_strset *shutdown)
{
	uint16_t r = d->reasons;	/* reader-set: attr-missing, config-unreadable, contradiction */
	int has_driver = d->driver[0] != '\0';
	int vfio = vfio_owned(d);
	int d3cold = !strcmp(d->power_state, "D3cold");
	int bm = -1, shut = 0;

	r |= has_driver ? QDH_R_DRIVER_BOUND : QDH_R_NO_DRIVER;
	if (has_driver)
		d->flags |= QDH_DEV_F_DRIVER;
	if (vfio)
		r |= QDH_R_VFIO_OWNED;
	if (!strcmp(d->group_type, "identity"))
		r |= QDH_R_IDENTITY_DOMAIN;
	if (d3cold)
		r |= QDH_R_D3COLD;
	if (d->enable == 0)
		r |= QDH_R_DISABLED;
	if (d->bus == QDH_INV_PCI) {
		if (d->command >= 0) {
			bm = (d->command & 0x4) != 0;	/* Command bit 2: Bus Master */
			r |= bm ? QDH_R_BUS_MASTER_ON : QDH_R_BUS_MASTER_OFF;
		}
	} else {
		r |= QDH_R_NO_BUS_MASTER_INFO;
	}
	if (mode == QDH_SCAN_KEXEC && has_driver && !vfio &&
	    qdh_strset_has(shutdown, d->driver)) {
		r |= QDH_R_SHUTDOWN_DRIVER;
		shut = 1;
	}

	if (obs & (QDH_OBS_VANISHED | QDH_OBS_DUPLICATE)) {
		d->state = QDH_STATE_UNKNOWN;
	} else if (d->is_bridge) {
		/* Forwards DMA from below; cutting it off cuts them all off. */
		r |= QDH_R_BRIDGE;
		d->state = QDH_STATE_BRIDGE;
	} else if (vfio) {
		/* A user owns it and may start DMA at any moment. */
		d->state = QDH_STATE_ACTIVE;
	} else if (d3cold) {
		/* Powered off: it cannot master.  Config was not read (reading
		 * it would have woken the device). */
		d->state = QDH_STATE_QUIESCED;
	} else if ((obs & QDH_OBS_VITAL_MISSING) ||
		   (r & (QDH_R_CONFIG_UNREADABLE | QDH_R_CONTRADICTION))) {
		d->state = QDH_STATE_UNKNOWN;
	} else if (d->bus == QDH_INV_PCI) {
		if (bm < 0) {
			d->state = QDH_STATE_UNKNOWN;
		} else if (!bm) {
			d->state = QDH_STATE_QUIESCED;
		} else if (shut) {
			d->state = QDH_STATE_QUIESCED;
		} else {
			/* No driver yet mastering: firmware or an unbound
			 * driver left it running.  It can DMA: active. */
			if (!has_driver)
				r |= QDH_R_CONTRADICTION;
			d->state = QDH_STATE_ACTIVE;
		}
	} else {
		/* Platform devices have no Command register to look at. */
		if (shut)
			d->state = QDH_STATE_QUIESCED;
		else if (has_driver)
			d->state = QDH_STATE_ACTIVE;
		else
			d->state = QDH_STATE_UNKNOWN;
	}
	d->reasons = r;
}

void qdh_verdict_action(struct qdh_inv_device *d, const struct qdh_policy *p)
{
	const struct qdh_policy_rule *rule = NULL;
	int i = p ? qdh_policy_match(p, d) : -1;
	uint8_t a;

	d->policy_rule = i;
	if (i >= 0) {
		rule = &p->rules[i];
		if (rule->state) {
			d->state = rule->state;
			d->reasons |= QDH_R_POLICY;
		}
	}
	switch (d->state) {
	case QDH_STATE_QUIESCED:
	case QDH_STATE_BRIDGE:
		a = QDH_ACTION_ATTACH;
		break;
	default:
		/* Possibly mastering: keep it blocked, unless the dump needs
		 * it and a reset can stop it first. */
		a = (d->flags & QDH_DEV_F_DUMP_TARGET) && d->reset_method[0] ?
		    QDH_ACTION_RESET_ATTACH : QDH_ACTION_ABORT;
		break;
	}
	if (p && d->state <= QDH_STATE_MAX && p->default_action[d->state] &&
	    !(d->flags & QDH_DEV_F_DUMP_TARGET))
		a = p->default_action[d->state];
	if (rule && rule->action) {
		a = rule->action;
		d->reasons |= QDH_R_POLICY;
	}
	d->action = a;
}
