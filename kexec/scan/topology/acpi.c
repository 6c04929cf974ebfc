// SPDX-License-Identifier: GPL-2.0-or-later
/* The ACPI System Description Table header shared by IORT, DMAR and IVRS. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "topo.h"

#define ACPI_HDR_LEN	36

int topo_acpi_header(const struct qdh_topology *t, const char *sig,
		     const uint8_t *buf, size_t len, size_t min, size_t *tlen)
{
	uint32_t hlen;
	uint8_t sum = 0;
	size_t i;

	if (!buf || len < ACPI_HDR_LEN) {
		topo_fault(t, sig, 0, "%zu bytes: shorter than the 36-byte ACPI header", len);
		return -EBADMSG;
	}
	if (memcmp(buf, sig, 4)) {
		topo_fault(t, sig, 0, "signature is not \"%s\"", sig);
		return -EBADMSG;
	}
	hlen = topo_le32(buf + 4);
	if (hlen > len) {
		topo_fault(t, sig, 4, "length field 0x%x runs past the 0x%zx bytes present",
			   hlen, len);
		return -EBADMSG;
	}
	if (hlen < min) {
		topo_fault(t, sig, 4, "length field 0x%x is below the 0x%zx-byte minimum",
			   hlen, min);
		return -EBADMSG;
	}
	for (i = 0; i < hlen; i++)
		sum = (uint8_t)(sum + buf[i]);
	if (sum)
		topo_fault(t, sig, 9, "checksum does not sum to zero (off by 0x%02x); used anyway, as the kernel does",
			   sum);
	*tlen = hlen;
	return 0;
}
