/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the DMA alias walk needs from a PCI function's config space (doc/
 * topology.md, "DMA aliases"), taken from the one read of "config" the
 * device model does: the PCI Express capability's port type, whether a
 * PCI-X capability exists, a bridge's secondary bus and the subsystem IDs.
 * Parser: kexec/scan/pcicfg.c.
 */
#ifndef QDH_PCICFG_H
#define QDH_PCICFG_H

#include <stddef.h>
#include <stdint.h>

/* PCI Express capability device/port type (PCIe 6.0, 7.5.3.2), or: */
#define QDH_PCIE_NONE		(-1)	/* no PCIe capability: conventional/PCI-X */
#define QDH_PCIE_UNKNOWN	(-2)	/* capability list not readable */

struct qdh_pcicfg {
	int8_t pcie_type;	/* PCI_EXP_TYPE_* (0..10), QDH_PCIE_NONE/_UNKNOWN */
	uint8_t pcix;		/* a PCI-X capability is present */
	int16_t secondary;	/* type-1/2 header: secondary bus number, else -1 */
	int32_t subvendor;	/* subsystem IDs, -1 if not read */
	int32_t subdevice;
};

/*
 * Fill c from the first len bytes of config space (cfg may be NULL: all
 * unknown).  Capabilities beyond len are "unknown", never "absent".
 */
void qdh_pcicfg_parse(const unsigned char *cfg, size_t len, struct qdh_pcicfg *c);

/* Port type -> stable name for JSON ("root-port", "pci-bridge", "none"). */
const char *qdh_pcie_type_name(int type);

#endif
