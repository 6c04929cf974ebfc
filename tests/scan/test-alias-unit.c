// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pieces of the DMA alias walk that are not the walk: the config-space
 * reader (port type, PCI-X, secondary bus, subsystem IDs) and the quirk
 * table (data/dma-alias-quirks.txt): the committed table parses, is the one
 * compiled in, holds the kernel's known quirks, and bad tables are refused
 * with the line that is wrong.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "tap.h"

/* ---- config space ------------------------------------------------------ */

static void cfg_base(unsigned char *c, unsigned header)
{
	memset(c, 0, 256);
	c[0x06] = 0x10;			/* status: capabilities list */
	c[0x0e] = (unsigned char)header;
}

static void cap(unsigned char *c, unsigned pos, unsigned id, unsigned next)
{
	c[pos] = (unsigned char)id;
	c[pos + 1] = (unsigned char)next;
}

static void test_cfg(void)
{
	unsigned char c[256];
	struct qdh_inv_device d;

	cfg_base(c, 1);
	c[0x19] = 5;
	c[0x34] = 0x40;
	cap(c, 0x40, 0x01, 0x50);	/* power management */
	cap(c, 0x50, 0x10, 0x60);	/* PCIe, type 7: PCIe-to-PCI bridge */
	c[0x52] = 0x72;
	cap(c, 0x60, 0x0d, 0x00);	/* bridge subsystem IDs */
	c[0x64] = 0x34; c[0x65] = 0x12; c[0x66] = 0x78; c[0x67] = 0x56;
	qdh_pcicfg_parse(c, 256, &d.cfg);
	tap_ok(d.cfg.pcie_type == 7 && d.cfg.secondary == 5 && !d.cfg.pcix,
	       "cfg: PCIe-to-PCI bridge found past another capability, secondary bus 5");
	tap_ok(d.cfg.subvendor == 0x1234 && d.cfg.subdevice == 0x5678,
	       "cfg: a bridge's subsystem IDs come from its SSVID capability");
	tap_is_str(qdh_pcie_type_name(d.cfg.pcie_type), "pci-bridge", "cfg: type 7 is named pci-bridge");

	cfg_base(c, 0);
	c[0x2c] = 0x05; c[0x2d] = 0x90; c[0x2e] = 0xbb; c[0x2f] = 0x02;
	c[0x34] = 0x40;
	cap(c, 0x40, 0x07, 0x00);	/* PCI-X */
	qdh_pcicfg_parse(c, 256, &d.cfg);
	tap_ok(d.cfg.pcie_type == QDH_PCIE_NONE && d.cfg.pcix && d.cfg.secondary == -1 &&
	       d.cfg.subvendor == 0x9005 && d.cfg.subdevice == 0x02bb,
	       "cfg: PCI-X device, no PCIe capability, header-0 subsystem IDs");

	cfg_base(c, 1);
	c[0x06] = 0;			/* no capabilities list */
	c[0x34] = 0x40;
	cap(c, 0x40, 0x10, 0);
	qdh_pcicfg_parse(c, 256, &d.cfg);
	tap_ok(d.cfg.pcie_type == QDH_PCIE_NONE, "cfg: status says no capability list: none read");

	cfg_base(c, 1);
	c[0x34] = 0x40;
	qdh_pcicfg_parse(c, 64, &d.cfg);
	tap_ok(d.cfg.pcie_type == QDH_PCIE_UNKNOWN && d.cfg.secondary == 0,
	       "cfg: capabilities beyond the 64 bytes read: unknown, not conventional");

	cfg_base(c, 0);
	c[0x34] = 0x40;
	cap(c, 0x40, 0x01, 0x40);	/* points at itself */
	qdh_pcicfg_parse(c, 256, &d.cfg);
	tap_ok(d.cfg.pcie_type == QDH_PCIE_NONE, "cfg: a looping capability list ends (48 hops)");

	cfg_base(c, 0);
	c[0x34] = 0xfc;
	cap(c, 0xfc, 0x10, 0);
	c[0xfe] = 0x42;
	qdh_pcicfg_parse(c, 256, &d.cfg);
	tap_ok(d.cfg.pcie_type == 4, "cfg: a capability in the last dword is read");

	qdh_pcicfg_parse(c, 10, &d.cfg);
	tap_ok(d.cfg.pcie_type == QDH_PCIE_UNKNOWN && d.cfg.secondary == -1 && d.cfg.subvendor == -1,
	       "cfg: 10 bytes: everything unknown");
}

/* ---- the quirk table ---------------------------------------------------- */

static struct qdh_inv_device pcidev(uint16_t v, uint16_t dv, uint32_t cls, uint8_t devfn)
{
	struct qdh_inv_device d;

	memset(&d, 0, sizeof(d));
	d.bus = QDH_INV_PCI;
	d.vendor = v;
	d.device = dv;
	d.class_code = cls;
	d.devfn = devfn;
	d.cfg.subvendor = d.cfg.subdevice = -1;
	return d;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 20);

	*len = 0;
	if (f && buf)
		*len = fread(buf, 1, (1 << 20) - 1, f);
	if (f)
		fclose(f);
	return buf;
}

static int parse_str(const char *text, char *err, size_t cap)
{
	struct qdh_dmaq_table *t = NULL;
	int r = qdh_dmaq_parse(text, strlen(text), "t", &t, err, cap);

	qdh_dmaq_free(t);
	return r;
}

static void bad(const char *text, const char *want)
{
	char err[256] = "";

	tap_ok(parse_str(text, err, sizeof(err)) == -EINVAL && strstr(err, want),
	       "table: refused with \"%s\" (got \"%s\")", want, err);
}

/* What the committed table says about known functions (drivers/pci/quirks.c). */
static const struct {
	uint16_t vendor, device;
	uint32_t cls;
	int32_t subvendor, subdevice;
	unsigned rules;
	int devfn_byte;		/* a byte of the devfn bitmap to check, -1 */
	unsigned devfn_bits;
	const char *what;
} rules[] = {
	{ 0x1b4b, 0x9123, 0x010601, -1, -1, QDH_DMAQ_FUNC1, -1, 0,
	  "Marvell 88SE9123 uses function 1 (quirk_dma_func1_alias)" },
	{ 0x1180, 0xe832, 0x0c0010, -1, -1, QDH_DMAQ_FUNC0, -1, 0,
	  "Ricoh e832 uses function 0 (quirk_dma_func0_alias)" },
	{ 0x8086, 0x2260, 0x068000, -1, -1, QDH_DMAQ_DEVFN, 0x12, 0x08,
	  "MIC x200 aliases 10.0, 11.0 and 12.3 (12.3 = devfn 0x93)" },
	{ 0x9005, 0x0285, 0x010400, 0x9005, 0x02bb, QDH_DMAQ_DEVFN, 0x01, 0x01,
	  "Adaptec 3405 (subsystem 9005:02bb) aliases 01.0" },
	{ 0x9005, 0x0285, 0x010400, 0x9005, 0x0200, 0, -1, 0,
	  "...the same chip with another subsystem does not" },
	{ 0x1b21, 0x1080, 0x060400, -1, -1, QDH_DMAQ_BRIDGE_ALIAS, -1, 0,
	  "ASMedia 1080 is a PCIe-to-PCI bridge in disguise" },
	{ 0x14e4, 0x9000, 0x060400, -1, -1, QDH_DMAQ_XLATE_ROOT, -1, 0,
	  "ThunderX2 root port 14e4:9000 ends the walk" },
	{ 0x11f8, 0x8531, 0x068000, -1, -1, QDH_DMAQ_RUNTIME, -1, 0,
	  "Switchtec NTB (class 0x0680) aliases are read at boot" },
	{ 0x11f8, 0x8531, 0x058000, -1, -1, 0, -1, 0,
	  "...in another class it is not quirked" },
	{ 0x8086, 0x28c0, 0x010400, -1, -1, QDH_DMAQ_VMD, -1, 0, "Intel VMD 28c0" },
	{ 0x8086, 0x1234, 0x020000, -1, -1, 0, -1, 0, "an ordinary Intel function has no rule" },
};

static void test_table(void)
{
	const char *srcdir = getenv("top_srcdir");
	struct qdh_dmaq_table *file = NULL, *built = NULL;
	struct qdh_inv_device d;
	uint8_t map[32];
	char path[4096], err[256] = "";
	size_t len, k;
	char *text;
	int r;

	snprintf(path, sizeof(path), "%s/data/dma-alias-quirks.txt", srcdir ? srcdir : ".");
	text = slurp(path, &len);
	r = qdh_dmaq_parse(text, len, path, &file, err, sizeof(err));
	tap_ok(r == 0 && qdh_dmaq_count(file) > 100, "table: %s parses (%zu rules) %s", path,
	       qdh_dmaq_count(file), err);
	tap_ok(qdh_dmaq_builtin(&built, err, sizeof(err)) == 0 &&
	       qdh_dmaq_count(built) == qdh_dmaq_count(file),
	       "table: the compiled-in table is that file (%zu rules)", qdh_dmaq_count(built));

	for (k = 0; k < sizeof(rules) / sizeof(rules[0]); k++) {
		d = pcidev(rules[k].vendor, rules[k].device, rules[k].cls, 0);
		d.cfg.subvendor = rules[k].subvendor;
		d.cfg.subdevice = rules[k].subdevice;
		tap_is_int(qdh_dmaq_match(built, &d, map), rules[k].rules, "table: %s", rules[k].what);
		if (rules[k].devfn_byte >= 0)
			tap_is_int(map[rules[k].devfn_byte], rules[k].devfn_bits,
				   "table: ...devfn bitmap byte %d", rules[k].devfn_byte);
	}
	d = pcidev(0x10b5, 0x87b0, 0x068000, 0x00);
	qdh_dmaq_match(built, &d, map);
	for (k = 0; k < 32 && map[k] == 0xff; k++)
		;
	tap_is_int(k, 32, "table: PLX NTB 87b0 aliases all 256 devfns");
	qdh_dmaq_free(file);
	qdh_dmaq_free(built);
	free(text);

	tap_is_int(parse_str("# only a comment\n\n   \n", err, sizeof(err)), 0,
		   "table: comments and blank lines only");
	{
		struct qdh_dmaq_table *t = NULL;
		const char *any = "func1 * 0001 # any vendor\ndevfn 1234 * 1f.7 00.0+2\n";

		r = qdh_dmaq_parse(any, strlen(any), "t", &t, err, sizeof(err));
		d = pcidev(0x4321, 0x0001, 0, 0);
		tap_ok(r == 0 && qdh_dmaq_match(t, &d, NULL) == QDH_DMAQ_FUNC1, "table: * matches any vendor");
		d = pcidev(0x1234, 0x7777, 0, 0);
		tap_ok(qdh_dmaq_match(t, &d, map) == QDH_DMAQ_DEVFN && map[0] == 3 && map[31] == 0x80,
		       "table: * matches any device; DD.F+N sets N devfns");
		qdh_dmaq_free(t);
	}
	bad("fnc1 1b4b 9123\n", "t:1: unknown rule");
	bad("\nfunc1 1B4B 9123\n", "t:2: func1 needs VENDOR DEVICE");
	bad("func1 1b4b\n", "needs VENDOR DEVICE");
	bad("func1 01b4b 9123\n", "needs VENDOR DEVICE");
	bad("func1 1b4b 9123 01.0\n", "only devfn rules");
	bad("devfn 1b4b 9123\n", "at least one");
	bad("devfn 1b4b 9123 20.0\n", "not DD.F");
	bad("devfn 1b4b 9123 01.8\n", "not DD.F");
	bad("devfn 1b4b 9123 1f.7+2\n", "past devfn 0xff");
	bad("devfn 1b4b 9123 00.0+0\n", "count must be");
	bad("devfn 1b4b 9123 00.0+257\n", "count must be");
	bad("devfn 1b4b 9123 00.0+-1\n", "count must be");
	bad("devfn 1b4b 9123 sub=9005:02bb sub=9005:02bb 01.0\n", "repeated");
	bad("devfn 1b4b 9123 sub=9005-02bb 01.0\n", "bad or repeated");
	bad("runtime 11f8 8531 class=0680/25\n", "shift 0-24");
	bad("runtime 11f8 8531 class=0680\n", "class=HEX/SHIFT");
	bad("runtime 11f8 8531 class=xyz/8\n", "class=HEX/SHIFT");
	{
		static const char nul[] = "func1 1b4b 9123\n\0func0 1180 e832\n";
		struct qdh_dmaq_table *t = NULL;

		tap_is_int(qdh_dmaq_parse(nul, sizeof(nul) - 1, "t", &t, err, sizeof(err)), -EINVAL,
			   "table: a NUL byte is refused");
	}
}

int main(void)
{
	test_cfg();
	test_table();
	return tap_done();
}
