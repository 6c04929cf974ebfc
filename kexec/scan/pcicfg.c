// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the DMA alias walk needs from a function's config space
 * (qdh/pcicfg.h), from the one read of "config" the device model
 * (pcidev.c) does.  Offsets: PCI Local
 * Bus 3.0, 6.1/6.7 (header, capability list); PCI-to-PCI Bridge 1.2, 3.2
 * (type-1 header); PCIe 6.0, 7.5.3 (PCI Express Capability).
 */
#include "config.h"

#include "qdh/pcicfg.h"

#define CFG_STATUS		0x06	/* bit 4: capabilities list */
#define CFG_HEADER_TYPE		0x0e
#define CFG_CAP_PTR		0x34	/* types 0 and 1 */
#define CFG_CB_CAP_PTR		0x14	/* type 2 (CardBus) */
#define CFG_SECONDARY_BUS	0x19	/* types 1 and 2 */
#define CFG_SUBSYS_VENDOR	0x2c	/* type 0 */
#define CFG_CB_SUBSYS_VENDOR	0x40	/* type 2 */
#define CAP_ID_PCIX		0x07
#define CAP_ID_SSVID		0x0d	/* bridge subsystem IDs, at +4 */
#define CAP_ID_PCIE		0x10	/* flags at +2, type in bits 7:4 */
#define CAP_TTL			48	/* as Linux: at most 48 hops */

static int le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

void qdh_pcicfg_parse(const unsigned char *cfg, size_t len, struct qdh_pcicfg *c)
{
	unsigned ht, pos, ttl = CAP_TTL;
	int pcie = QDH_PCIE_NONE, ssvid = -1;

	c->pcie_type = QDH_PCIE_UNKNOWN;
	c->pcix = 0;
	c->secondary = -1;
	c->subvendor = c->subdevice = -1;
	if (!cfg || len < 64)
		return;
	ht = cfg[CFG_HEADER_TYPE] & 0x7f;
	if (ht == 1 || ht == 2)
		c->secondary = cfg[CFG_SECONDARY_BUS];
	if (ht == 0) {
		c->subvendor = le16(cfg + CFG_SUBSYS_VENDOR);
		c->subdevice = le16(cfg + CFG_SUBSYS_VENDOR + 2);
	} else if (ht == 2 && len >= CFG_CB_SUBSYS_VENDOR + 4) {
		c->subvendor = le16(cfg + CFG_CB_SUBSYS_VENDOR);
		c->subdevice = le16(cfg + CFG_CB_SUBSYS_VENDOR + 2);
	}
	if (!(cfg[CFG_STATUS] & 0x10)) {
		c->pcie_type = QDH_PCIE_NONE;	/* no capability list at all */
		return;
	}
	pos = cfg[ht == 2 ? CFG_CB_CAP_PTR : CFG_CAP_PTR];
	while (ttl--) {
		pos &= ~3u;
		if (pos < 0x40)
			break;		/* end of the list */
		if (pos + 4 > len)
			return;		/* beyond what we could read: unknown */
		if (cfg[pos] == 0xff)
			break;
		if (cfg[pos] == CAP_ID_PCIE && pcie == QDH_PCIE_NONE)
			pcie = (cfg[pos + 2] >> 4) & 0xf;
		else if (cfg[pos] == CAP_ID_PCIX)
			c->pcix = 1;
		else if (cfg[pos] == CAP_ID_SSVID && ssvid < 0 && pos + 8 <= len)
			ssvid = (int)pos;
		pos = cfg[pos + 1];
	}
	c->pcie_type = (int8_t)pcie;
	if (ht == 1 && ssvid >= 0) {
		c->subvendor = le16(cfg + ssvid + 4);
		c->subdevice = le16(cfg + ssvid + 6);
	}
}

/* PCIe capability device/port type (PCIe 6.0, 7.5.3.2, bits 7:4). */
const char *qdh_pcie_type_name(int type)
{
	switch (type) {
	case QDH_PCIE_NONE:	return "none";	/* conventional PCI or PCI-X */
	case 0x0:	return "endpoint";
	case 0x1:	return "legacy-endpoint";
	case 0x4:	return "root-port";
	case 0x5:	return "upstream-port";
	case 0x6:	return "downstream-port";
	case 0x7:	return "pci-bridge";	/* PCIe to PCI/PCI-X */
	case 0x8:	return "pcie-bridge";	/* PCI/PCI-X to PCIe */
	case 0x9:	return "rc-endpoint";
	case 0xa:	return "rc-event-collector";
	}
	return "reserved";
}
