// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The strict PCI address parser (include/qdh/bdf.h).  Hand-rolled rather
 * than sscanf: "%x" accepts "0x", signs and leading spaces, none of which
 * the kernel prints.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "qdh/bdf.h"

/* Lowercase hex digit value, or -1: the kernel prints %x, never %X. */
static int xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Exactly n hex digits at *s; advances *s. */
static int fixed_hex(const char **s, unsigned n, unsigned *v)
{
	unsigned i;

	*v = 0;
	for (i = 0; i < n; i++) {
		int h = xdigit((*s)[i]);

		if (h < 0)
			return -EINVAL;
		*v = *v << 4 | (unsigned)h;
	}
	*s += n;
	return 0;
}

int qdh_bdf_parse(const char *s, struct qdh_bdf *out)
{
	const char *p = s;
	uint32_t dom = 0;
	unsigned ndig = 0, bus, dev, fn;

	if (!s || !out)
		return -EINVAL;
	while (xdigit(p[ndig]) >= 0 && ndig <= 8)
		ndig++;
	/*
	 * "%04x": four digits, zero-padded; more only for a domain above
	 * 0xffff, which then starts with a non-zero digit.  At most eight.
	 */
	if (ndig < 4 || ndig > 8 || (ndig > 4 && p[0] == '0'))
		return -EINVAL;
	for (; ndig; ndig--, p++)
		dom = dom << 4 | (uint32_t)xdigit(*p);
	if (*p++ != ':' || fixed_hex(&p, 2, &bus) < 0 || *p++ != ':' ||
	    fixed_hex(&p, 2, &dev) < 0 || *p++ != '.')
		return -EINVAL;
	/* The function is printed with %d: one decimal digit, 0-7. */
	if (*p < '0' || *p > '7' || p[1] != '\0' || dev > 0x1f)
		return -EINVAL;
	fn = (unsigned)(*p - '0');
	out->domain = dom;
	out->bus = (uint8_t)bus;
	out->devfn = (uint8_t)(dev << 3 | fn);
	return 0;
}

void qdh_bdf_format(char *buf, size_t cap, uint32_t domain, uint8_t bus,
		    uint8_t devfn)
{
	snprintf(buf, cap, "%04x:%02x:%02x.%u", (unsigned)domain, bus,
		 (unsigned)(devfn >> 3), (unsigned)(devfn & 7));
}
