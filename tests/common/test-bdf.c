// SPDX-License-Identifier: GPL-2.0-or-later
/* The one PCI address parser: the kernel's names in, nothing else. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "qdh/bdf.h"
#include "tap.h"

static void good(const char *s, uint32_t dom, unsigned bus, unsigned dev, unsigned fn)
{
	struct qdh_bdf b = { 0, 0, 0 };
	char back[QDH_BDF_NAME_MAX];
	int r = qdh_bdf_parse(s, &b);

	tap_ok(r == 0 && b.domain == dom && b.bus == bus && b.devfn == (dev << 3 | fn),
	       "accepts %s", s);
	qdh_bdf_format(back, sizeof(back), b.domain, b.bus, b.devfn);
	tap_is_str(back, s, "formats %s back the same", s);
}

static void bad(const char *s, const char *why)
{
	struct qdh_bdf b = { 0x5a5a, 0x5a, 0x5a };

	tap_ok(qdh_bdf_parse(s, &b) == -EINVAL && b.domain == 0x5a5a && b.bus == 0x5a,
	       "refuses \"%s\" (%s), output untouched", s, why);
}

int main(void)
{
	struct qdh_bdf b;

	good("0000:00:00.0", 0, 0, 0, 0);
	good("0001:02:1f.7", 1, 2, 0x1f, 7);
	good("ffff:ff:1f.7", 0xffff, 0xff, 0x1f, 7);
	good("10000:e1:00.0", 0x10000, 0xe1, 0, 0);	/* Intel VMD */
	good("1abcd:00:03.1", 0x1abcd, 0, 3, 1);
	good("ffffffff:00:00.0", 0xffffffffu, 0, 0, 0);

	bad("0x00:00:01.0", "0x prefix");
	bad("0x0000:00:01.0", "0x prefix, four digits after it");
	bad("+000:00:01.0", "sign");
	bad("-000:00:01.0", "sign");
	bad("0000:+0:01.0", "sign in the bus");
	bad("0000:00:01.-1", "negative function");
	bad(" 0000:00:01.0", "leading space");
	bad("0000:00:01.0 ", "trailing space");
	bad("0000:00:01.0\n", "trailing newline");
	bad("0000: 0:01.0", "space inside");
	bad("0000:00:1F.0", "capital hex");
	bad("ABCD:00:01.0", "capital hex in the domain");
	bad("000:00:01.0", "three-digit domain");
	bad("00000:00:01.0", "five digits with a leading zero");
	bad("100000000:00:00.0", "nine-digit domain");
	bad("0000:0:01.0", "one-digit bus");
	bad("0000:000:01.0", "three-digit bus");
	bad("0000:00:1.0", "one-digit device");
	bad("0000:00:20.0", "device 0x20");
	bad("0000:00:01.8", "function 8");
	bad("0000:00:01.a", "hex function");
	bad("0000:00:01.00", "two-digit function");
	bad("0000:00:01", "no function");
	bad("0000:00:01.", "empty function");
	bad("00:01.0", "no domain");
	bad("0000:00.0", "no bus");
	bad("", "empty");
	bad("0000-00-01.0", "wrong separators");
	bad("0000:00:01.0x", "trailing junk");
	bad("../../etc", "a path");
	tap_ok(qdh_bdf_parse(NULL, &b) == -EINVAL, "refuses NULL");
	tap_is_int(qdh_bdf_rid(0x04, 0x08), 0x408, "RID of 04:01.0 is 0x408");
	return tap_done();
}
