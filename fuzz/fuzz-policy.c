/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The policy file (JSON, kexec/scan/policy.c): parse from memory, then
 * match every rule against a few devices.  qdh_policy_load() adds only the
 * ownership check and the read in front of the same parser.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../kexec/scan/scan.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qdh_policy *p = NULL;
	struct qdh_inv_device d;
	char err[256];
	int rc;

	err[0] = '\0';
	rc = qdh_policy_parse("fuzz.json", (const char *)data, size, &p, err,
			      sizeof(err));
	if (rc != 0) {
		if (p != NULL || err[0] == '\0' || memchr(err, 0, sizeof(err)) == NULL)
			abort();	/* a refusal says why, in bounds */
		return 0;
	}
	if (p == NULL)
		abort();
	memset(&d, 0, sizeof(d));
	d.bus = QDH_INV_PCI;
	d.vendor = 0x1af4;
	d.device = 0x1041;
	d.class_code = 0x020000;
	d.iommu = -1;
	(void)qdh_policy_match(p, &d);
	strcpy(d.driver, "virtio-pci");
	(void)qdh_policy_match(p, &d);
	d.bus = QDH_INV_PLATFORM;
	strcpy(d.name, "9000000.pl011");
	(void)qdh_policy_match(p, &d);
	qdh_policy_free(p);
	return 0;
}
