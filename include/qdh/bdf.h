/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI function addresses as the kernel names them: the one parser and the
 * one formatter, shared by scan, apply and the policy.
 *
 * The kernel names a PCI device "%04x:%02x:%02x.%d" (pci_setup_device():
 * domain, bus, slot, function).  The domain is an int printed with %04x, so
 * it has four hex digits, or more without a leading zero once it passes
 * 0xffff (Intel VMD numbers its child domains from 0x10000:
 * "10000:e1:00.0").  Whatever the kernel never prints is refused: capitals,
 * "0x", signs, spaces, missing or extra parts, a device above 0x1f, a
 * function above 7, a domain wider than 32 bits.
 */
#ifndef QDH_BDF_H
#define QDH_BDF_H

#include <stddef.h>
#include <stdint.h>

struct qdh_bdf {
	uint32_t domain;
	uint8_t bus;
	uint8_t devfn;		/* device << 3 | function */
};

/* Longest name the kernel prints: 8 + 1 + 2 + 1 + 2 + 1 + 1, plus NUL. */
#define QDH_BDF_NAME_MAX	17

/* Parse the whole of s; 0, or -EINVAL (out untouched). */
int qdh_bdf_parse(const char *s, struct qdh_bdf *out);

/* The kernel's name of a function into buf (cap >= QDH_BDF_NAME_MAX). */
void qdh_bdf_format(char *buf, size_t cap, uint32_t domain, uint8_t bus,
		    uint8_t devfn);

/* Requester ID (bus << 8 | devfn) of a function. */
static inline uint16_t qdh_bdf_rid(uint8_t bus, uint8_t devfn)
{
	return (uint16_t)(bus << 8 | devfn);
}

#endif
