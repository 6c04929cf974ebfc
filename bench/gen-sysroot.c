// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/gen-sysroot: write a synthetic sysroot of N PCI functions laid out
 * like an x86 server's sysfs, for bench/bench-sysroot.sh.
 *
 * Usage: gen-sysroot [-m MIX] [-v VFS] [-u UNCORE] [-r PORTS] ROOT N
 *   MIX     what sits behind each root port, as unit weights
 *           (default nvme=40,nic=25,switch=15,gpu=5,idle=15):
 *             nvme    an NVMe SSD (0x010802, nvme, Bus Master on)
 *             nic     a two-port NIC (0x020000, ice) with VFS SR-IOV VFs
 *                     per port (iavf; config reads vendor 0xffff; physfn)
 *             switch  a PCIe switch: upstream port and 8 downstream ports
 *                     (pcieport) with an NVMe SSD below each
 *             gpu     a GPU (0x030200, nvidia) and its HDMI audio function
 *                     (0x040300, snd_hda_intel), one IOMMU group
 *             idle    a spare NIC port, no driver, Bus Master off
 *   VFS     VFs per NIC port (default 16)
 *   UNCORE  unbound "system peripheral" functions (0x088000) on each
 *           stack's root bus (default 8)
 *   PORTS   root ports per stack, 1-7 (default 7)
 *
 * The layout: segments of 256 buses; each segment is split into stacks
 * (host bridges pciSSSS:BB), each with a host bridge function (0x060000,
 * no driver), UNCORE peripherals and PORTS root ports (0x060400,
 * pcieport), each root port leading to one unit of MIX.  Every function
 * has the attributes the kernel gives a PCI function (config, class,
 * vendor, resource, reset_method...), and links driver, subsystem, iommu
 * (to its stack's VT-d unit) and iommu_group (one group per function, the
 * GPU's two share one).  The ACPI DMAR table has one DRHD per stack: the
 * first stack of each segment is the segment's INCLUDE_PCI_ALL unit, the
 * others list their root ports as PCI sub-hierarchies, as server firmware
 * does.  /sys/class/iommu/dmarN carries intel-iommu/address.
 *
 * Attribute files with the same contents are hard links to one file in
 * ROOT/pool: on tmpfs every non-empty file costs a page, and 100,000
 * functions x 25 files would cost 10 GiB.  Readers cannot tell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[1024];
static unsigned pool_seq;

static void die(const char *what, const char *path)
{
	fprintf(stderr, "gen-sysroot: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void fmt(char *buf, size_t cap, const char *f, ...)
	__attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t cap, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(buf, cap, f, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "gen-sysroot: path too long: %s\n", buf);
		exit(1);
	}
}

static void mkdirs(const char *rel)
{
	char p[4096];
	char *s;

	fmt(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0755) && errno != EEXIST)
				die("mkdir", p);
			*s = '/';
		}
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		die("mkdir", p);
}

static void write_at(const char *p, const void *buf, size_t len, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || (len && write(fd, buf, len) != (ssize_t)len) || close(fd))
		die("write", p);
}

/* A unique file (bridges' config: their bus numbers differ). */
static void put(const char *dir, const char *name, const void *buf, size_t len)
{
	char p[4096];

	fmt(p, sizeof(p), "%s/%s/%s", root, dir, name);
	write_at(p, buf, len, 0644);
}

/* --- The pool: one file per distinct contents, hard-linked -------------- */

struct pooled {
	char *data;
	size_t len;
	mode_t mode;
	unsigned links;
	char name[16];
};
/* ext4 allows 65,000 links to an inode: start a new copy well before. */
#define POOL_MAX_LINKS	30000
static struct pooled *pool;
static size_t npool, cappool;

static const char *pool_file(const void *buf, size_t len, mode_t mode)
{
	char p[4096];
	size_t i;

	for (i = npool; i-- > 0;)	/* recent first: kinds repeat */
		if (pool[i].len == len && pool[i].mode == mode &&
		    pool[i].links < POOL_MAX_LINKS && !memcmp(pool[i].data, buf, len)) {
			pool[i].links++;
			return pool[i].name;
		}
	if (npool == cappool) {
		cappool = cappool ? cappool * 2 : 256;
		pool = realloc(pool, cappool * sizeof(*pool));
		if (!pool)
			die("realloc", "pool");
	}
	pool[npool].data = malloc(len ? len : 1);
	if (!pool[npool].data)
		die("malloc", "pool");
	memcpy(pool[npool].data, buf, len);
	pool[npool].len = len;
	pool[npool].mode = mode;
	pool[npool].links = 1;
	fmt(pool[npool].name, sizeof(pool[npool].name), "%u", pool_seq++);
	fmt(p, sizeof(p), "%s/pool/%s", root, pool[npool].name);
	write_at(p, buf, len, mode);
	return pool[npool++].name;
}

static void share(const char *dir, const char *name, const void *buf, size_t len,
		  mode_t mode)
{
	char from[4096], to[4096];

	fmt(from, sizeof(from), "%s/pool/%s", root, pool_file(buf, len, mode));
	fmt(to, sizeof(to), "%s/%s/%s", root, dir, name);
	if (link(from, to) && errno != EEXIST)
		die("link", to);
}

static void shares(const char *dir, const char *name, const char *s)
{
	share(dir, name, s, strlen(s), 0644);
}

static void ln(const char *target, const char *dir, const char *name)
{
	char p[4096];

	fmt(p, sizeof(p), "%s/%s/%s", root, dir, name);
	if (symlink(target, p) && errno != EEXIST)
		die("symlink", p);
}

/* "../" once per component of dir below ROOT/sys: a link from dir to /sys. */
static void up_to_sys(const char *dir, char *out, size_t cap)
{
	const char *p;
	size_t o = 0;

	out[0] = '\0';
	for (p = dir + 4; *p; p++)	/* dir starts with "sys/" */
		if (*p == '/')
			o += (size_t)snprintf(out + o, cap - o, "../");
	snprintf(out + o, cap - o, "../");
}

/* --- Functions ------------------------------------------------------------ */

struct kind {
	const char *what;
	uint16_t vendor, device;
	uint32_t class_code;
	const char *driver;	/* NULL: unbound */
	int bus_master;
	const char *reset;	/* reset_method, NULL: none (no reset attrs) */
	int vf;
	int bridge;
};

static const struct kind K_HOST = { "host", 0x8086, 0x09a2, 0x060000, NULL, 0, NULL, 0, 0 };
static const struct kind K_UNCORE = { "uncore", 0x8086, 0x3450, 0x088000, NULL, 0, NULL, 0, 0 };
static const struct kind K_PORT = { "port", 0x8086, 0x347a, 0x060400, "pcieport", 1, NULL, 0, 1 };
static const struct kind K_SWUP = { "switch-up", 0x10b5, 0x8747, 0x060400, "pcieport", 1, NULL, 0, 1 };
static const struct kind K_SWDN = { "switch-down", 0x10b5, 0x8747, 0x060400, "pcieport", 1, NULL, 0, 1 };
static const struct kind K_NVME = { "nvme", 0x144d, 0xa80a, 0x010802, "nvme", 1, "flr bus", 0, 0 };
static const struct kind K_PF = { "nic", 0x8086, 0x1592, 0x020000, "ice", 1, "flr bus", 0, 0 };
static const struct kind K_VF = { "vf", 0x8086, 0x1889, 0x020000, "iavf", 1, "flr", 1, 0 };
static const struct kind K_GPU = { "gpu", 0x10de, 0x20b5, 0x030200, "nvidia", 1, "bus", 0, 0 };
static const struct kind K_AUDIO = { "audio", 0x10de, 0x1aef, 0x040300, "snd_hda_intel", 1, "bus", 0, 0 };
static const struct kind K_IDLE = { "idle", 0x8086, 0x1592, 0x020000, NULL, 0, "flr bus", 0, 0 };

static long made, limit;
static long nbound, nbm, nbridges;
static long ngroup;

struct fn_ctx {
	unsigned seg, dmar;
	long group;		/* -1: a fresh one */
	const char *physfn;	/* VF: the PF's directory name */
};

/*
 * One function at parent/BDF.  sec/sub: a bridge's bus numbers.  Returns
 * 0, or -1 when N functions are made (the caller stops).
 */
static int function(const char *parent, unsigned seg, unsigned bus, unsigned devfn,
		    const struct kind *k, unsigned sec, unsigned sub,
		    const struct fn_ctx *fc, char *dir_out, size_t dcap)
{
	unsigned char cfg[4096];
	char dir[1024], bdf[32], up[256], tgt[2048], buf[512];
	unsigned cmd = k->bus_master ? 0x0406 : 0x0000;
	long g;

	if (made >= limit)
		return -1;
	made++;
	fmt(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", seg, bus, devfn >> 3, devfn & 7);
	fmt(dir, sizeof(dir), "%s/%s", parent, bdf);
	mkdirs(dir);
	if (dir_out)
		fmt(dir_out, dcap, "%s", dir);
	up_to_sys(dir, up, sizeof(up));

	memset(cfg, 0, sizeof(cfg));
	if (k->vf) {
		memset(cfg, 0xff, 4);	/* SR-IOV 1.1, 3.4.1.1: VF vendor/device read 0xffff */
		cmd = 0x0004;		/* a VF's Memory Space bit is RO zero */
	} else {
		cfg[0] = (uint8_t)k->vendor;
		cfg[1] = (uint8_t)(k->vendor >> 8);
		cfg[2] = (uint8_t)k->device;
		cfg[3] = (uint8_t)(k->device >> 8);
	}
	cfg[4] = (uint8_t)cmd;
	cfg[5] = (uint8_t)(cmd >> 8);
	cfg[6] = 0x10;			/* capability list */
	cfg[9] = (uint8_t)k->class_code;
	cfg[10] = (uint8_t)(k->class_code >> 8);
	cfg[11] = (uint8_t)(k->class_code >> 16);
	cfg[0x0e] = k->bridge ? 0x01 : (k == &K_GPU || k == &K_PF) ? 0x80 : 0x00;
	if (k->bridge) {
		cfg[0x18] = (uint8_t)bus;
		cfg[0x19] = (uint8_t)sec;
		cfg[0x1a] = (uint8_t)sub;
		put(dir, "config", cfg, sizeof(cfg));	/* bus numbers: unique */
		nbridges++;
	} else {
		share(dir, "config", cfg, sizeof(cfg), 0644);
	}
	fmt(buf, sizeof(buf), "0x%04x\n", k->vendor);
	shares(dir, "vendor", buf);
	fmt(buf, sizeof(buf), "0x%04x\n", k->device);
	shares(dir, "device", buf);
	fmt(buf, sizeof(buf), "0x%06x\n", k->class_code);
	shares(dir, "class", buf);
	shares(dir, "subsystem_vendor", k->vf ? "0x8086\n" : "0x1028\n");
	shares(dir, "subsystem_device", "0x0b0a\n");
	shares(dir, "revision", "0x02\n");
	shares(dir, "irq", k->driver ? "142\n" : "0\n");
	shares(dir, "enable", k->driver ? "1\n" : "0\n");
	shares(dir, "power_state", "D0\n");
	shares(dir, "numa_node", seg % 2 ? "1\n" : "0\n");
	shares(dir, "local_cpus", seg % 2 ? "ffffffff,00000000\n" : "00000000,ffffffff\n");
	shares(dir, "local_cpulist", seg % 2 ? "32-63\n" : "0-31\n");
	shares(dir, "dma_mask_bits", "64\n");
	shares(dir, "consistent_dma_mask_bits", "64\n");
	shares(dir, "msi_bus", "1\n");
	shares(dir, "d3cold_allowed", "1\n");
	shares(dir, "broken_parity_status", "0\n");
	shares(dir, "ari_enabled", k == &K_PF || k->bridge ? "1\n" : "0\n");
	shares(dir, "current_link_speed", "16.0 GT/s PCIe\n");
	shares(dir, "current_link_width", "4\n");
	shares(dir, "max_link_speed", "16.0 GT/s PCIe\n");
	shares(dir, "max_link_width", "4\n");
	shares(dir, "driver_override", "(null)\n");
	fmt(buf, sizeof(buf), "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
	    k->vendor, k->device, k->vf ? 0x8086 : 0x1028, 0x0b0a,
	    k->class_code >> 16, (k->class_code >> 8) & 0xff, k->class_code & 0xff);
	shares(dir, "modalias", buf);
	fmt(buf, sizeof(buf), "%s%s%sPCI_CLASS=%X\nPCI_ID=%04X:%04X\nMODALIAS=pci:v%08Xd%08X\n",
	    k->driver ? "DRIVER=" : "", k->driver ? k->driver : "", k->driver ? "\n" : "",
	    k->class_code, k->vendor, k->device, k->vendor, k->device);
	shares(dir, "uevent", buf);
	if (k->bridge)
		fmt(buf, sizeof(buf), "%s", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
	else
		fmt(buf, sizeof(buf), "0x00000000%02x000000 0x00000000%02x003fff 0x0000000000140204\n"
		    "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		    "0x00000000%02x004000 0x00000000%02x007fff 0x0000000000140204\n",
		    seg & 0xff, seg & 0xff, seg & 0xff, seg & 0xff);
	shares(dir, "resource", buf);
	share(dir, "remove", "", 0, 0200);
	share(dir, "rescan", "", 0, 0200);
	if (k->reset) {
		fmt(buf, sizeof(buf), "%s\n", k->reset);
		shares(dir, "reset_method", buf);
		share(dir, "reset", "", 0, 0200);
	}
	fmt(buf, sizeof(buf), "%s/power", dir);
	mkdirs(buf);
	shares(buf, "control", "on\n");
	shares(buf, "runtime_status", "active\n");

	fmt(tgt, sizeof(tgt), "%sbus/pci", up);
	ln(tgt, dir, "subsystem");
	if (k->driver) {
		fmt(tgt, sizeof(tgt), "%sbus/pci/drivers/%s", up, k->driver);
		ln(tgt, dir, "driver");
		nbound++;
		fmt(buf, sizeof(buf), "sys/bus/pci/drivers/%s", k->driver);
		mkdirs(buf);
	}
	if (k->bus_master)
		nbm++;
	fmt(tgt, sizeof(tgt), "%sdevices/virtual/iommu/dmar%u", up, fc->dmar);
	ln(tgt, dir, "iommu");
	g = fc->group >= 0 ? fc->group : ngroup++;
	fmt(buf, sizeof(buf), "sys/kernel/iommu_groups/%ld", g);
	if (fc->group < 0 || fc->group == g) {
		char gd[256];

		mkdirs(buf);
		shares(buf, "type", "DMA-FQ\n");
		shares(buf, "reserved_regions", "0x00000000fee00000 0x00000000feefffff msi\n");
		fmt(gd, sizeof(gd), "%s/devices", buf);
		mkdirs(gd);
		fmt(tgt, sizeof(tgt), "../../../../devices/%s", dir + 12);	/* "sys/devices/" */
		ln(tgt, gd, bdf);
	}
	fmt(tgt, sizeof(tgt), "%skernel/iommu_groups/%ld", up, g);
	ln(tgt, dir, "iommu_group");
	if (fc->physfn) {
		fmt(tgt, sizeof(tgt), "../%s", fc->physfn);
		ln(tgt, dir, "physfn");
	}
	fmt(tgt, sizeof(tgt), "../../../devices/%s", dir + 12);
	ln(tgt, "sys/bus/pci/devices", bdf);
	return 0;
}

/* --- Units behind a root port ---------------------------------------------- */

enum unit { U_NVME, U_NIC, U_SWITCH, U_GPU, U_IDLE, U_N };
static const char *const unit_names[U_N] = { "nvme", "nic", "switch", "gpu", "idle" };
static long weight[U_N] = { 40, 25, 15, 5, 15 };
static long cur[U_N];
static unsigned vfs = 16, uncore = 8, ports = 7;

/* Smooth weighted round robin: exact proportions, deterministic. */
static enum unit next_unit(void)
{
	long total = 0;
	int i, best = 0;

	for (i = 0; i < U_N; i++) {
		cur[i] += weight[i];
		total += weight[i];
		if (cur[i] > cur[best])
			best = i;
	}
	cur[best] -= total;
	return (enum unit)best;
}

/* Buses a unit needs below its root port's secondary bus. */
static unsigned unit_buses(enum unit u)
{
	switch (u) {
	case U_NIC: return (2 + 2 * vfs + 255) / 256;
	case U_SWITCH: return 2 + 8;
	default: return 1;
	}
}

static int unit(enum unit u, const char *rp, unsigned seg, unsigned sec,
		const struct fn_ctx *base)
{
	struct fn_ctx fc = *base;
	char dir[1024], pf[2][64], swup[1024];
	unsigned i, p;

	switch (u) {
	case U_NVME:
		return function(rp, seg, sec, 0, &K_NVME, 0, 0, &fc, NULL, 0);
	case U_IDLE:
		return function(rp, seg, sec, 0, &K_IDLE, 0, 0, &fc, NULL, 0);
	case U_GPU:
		fc.group = ngroup;
		if (function(rp, seg, sec, 0, &K_GPU, 0, 0, &fc, NULL, 0))
			return -1;
		ngroup++;
		return function(rp, seg, sec, 1, &K_AUDIO, 0, 0, &fc, NULL, 0);
	case U_NIC:
		for (p = 0; p < 2; p++) {
			if (function(rp, seg, sec, p, &K_PF, 0, 0, &fc, dir, sizeof(dir)))
				return -1;
			fmt(pf[p], sizeof(pf[p]), "%s", strrchr(dir, '/') + 1);
		}
		/* ARI: VFs of port p at routing IDs 2 + p * vfs + i after the PFs */
		for (p = 0; p < 2; p++) {
			for (i = 0; i < vfs; i++) {
				unsigned rid = 2 + p * vfs + i;
				char vdir[1024], name[32], tgt[128];

				fc.physfn = pf[p];
				if (function(rp, seg, sec + rid / 256, rid % 256, &K_VF, 0, 0,
					     &fc, vdir, sizeof(vdir)))
					return -1;
				fc.physfn = NULL;
				fmt(name, sizeof(name), "virtfn%u", i);
				fmt(tgt, sizeof(tgt), "../%s", strrchr(vdir, '/') + 1);
				fmt(dir, sizeof(dir), "%s/%s", rp, pf[p]);
				ln(tgt, dir, name);
			}
		}
		return 0;
	case U_SWITCH:
		if (function(rp, seg, sec, 0, &K_SWUP, sec + 1, sec + 9, &fc, swup, sizeof(swup)))
			return -1;
		for (i = 0; i < 8; i++) {
			if (function(swup, seg, sec + 1, i << 3, &K_SWDN, sec + 2 + i, sec + 2 + i,
				     &fc, dir, sizeof(dir)) ||
			    function(dir, seg, sec + 2 + i, 0, &K_NVME, 0, 0, &fc, NULL, 0))
				return -1;
		}
		return 0;
	default:
		return 0;
	}
}

/* --- The ACPI DMAR table --------------------------------------------------- */

static uint8_t *dmar;
static size_t dmar_len, dmar_cap;

static uint8_t *dmar_grow(size_t n)
{
	uint8_t *p;

	if (dmar_len + n > dmar_cap) {
		dmar_cap = (dmar_len + n) * 2;
		dmar = realloc(dmar, dmar_cap);
		if (!dmar)
			die("realloc", "DMAR");
	}
	p = dmar + dmar_len;
	memset(p, 0, n);
	dmar_len += n;
	return p;
}

static void le16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { le16(p, v & 0xffff); le16(p + 2, v >> 16); }
static void le64(uint8_t *p, uint64_t v) { le32(p, (uint32_t)v); le32(p + 4, (uint32_t)(v >> 32)); }

static uint64_t dmar_base(unsigned n) { return 0xd37fc000ull - (uint64_t)n * 0x100000; }

/* A DRHD (VT-d 8.3); returns its offset, to append scopes and fix the length. */
static size_t drhd(unsigned seg, unsigned n, int include_all)
{
	size_t off = dmar_len;
	uint8_t *d = dmar_grow(16);

	le16(d, 0);
	le16(d + 2, 16);
	d[4] = include_all ? 1 : 0;
	le16(d + 6, seg);
	le64(d + 8, dmar_base(n));
	return off;
}

/* A PCI sub-hierarchy scope (type 2) for the bridge at bus:dev.0. */
static void scope(size_t drhd_off, unsigned bus, unsigned dev)
{
	uint8_t *s = dmar_grow(8);

	s[0] = 2;
	s[1] = 8;
	s[5] = (uint8_t)bus;
	s[6] = (uint8_t)dev;
	s[7] = 0;
	le16(dmar + drhd_off + 2, (unsigned)(dmar_len - drhd_off));
}

static void dmar_iommu(unsigned n)
{
	char dir[256], tgt[256], buf[64];

	fmt(dir, sizeof(dir), "sys/devices/virtual/iommu/dmar%u", n);
	mkdirs(dir);
	fmt(buf, sizeof(buf), "%s/intel-iommu", dir);
	mkdirs(buf);
	fmt(tgt, sizeof(tgt), "%llx\n", (unsigned long long)dmar_base(n));
	put(buf, "address", tgt, strlen(tgt));
	fmt(tgt, sizeof(tgt), "../../devices/virtual/iommu/dmar%u", n);
	ln(tgt, "sys/class/iommu", strrchr(dir, '/') + 1);
}

static void parse_mix(char *s)
{
	char *tok, *save = NULL;
	int i;

	memset(weight, 0, sizeof(weight));
	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		for (i = 0; i < U_N; i++)
			if (eq && !strncmp(tok, unit_names[i], (size_t)(eq - tok)) &&
			    !unit_names[i][eq - tok])
				break;
		if (i == U_N || (weight[i] = atol(eq + 1)) < 0) {
			fprintf(stderr, "gen-sysroot: bad mix entry '%s'\n", tok);
			exit(2);
		}
	}
	for (i = 0; i < U_N && !weight[i]; i++)
		;
	if (i == U_N) {
		fprintf(stderr, "gen-sysroot: the mix has no weight\n");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned seg = 0, stack_bus = 0, ndmar = 0, seg_dmar = 0, i;
	size_t d_off = 0;
	uint8_t sum = 0;
	char path[4096];
	int c;

	while ((c = getopt(argc, argv, "m:v:u:r:")) != -1) {
		switch (c) {
		case 'm': parse_mix(optarg); break;
		case 'v': vfs = (unsigned)atoi(optarg); break;
		case 'u': uncore = (unsigned)atoi(optarg); break;
		case 'r': ports = (unsigned)atoi(optarg); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || (limit = atol(argv[optind + 1])) <= 0 ||
	    vfs > 1000 || uncore > 24 || ports < 1 || ports > 7)
		goto usage;
	fmt(root, sizeof(root), "%s", argv[optind]);
	mkdirs("pool");
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/kernel/iommu_groups");
	mkdirs("sys/class/iommu");
	mkdirs("sys/firmware/acpi/tables");
	dmar_grow(48);

	while (made < limit) {
		/* A new stack: host bridge pciSSSS:BB on its root bus. */
		char hb[256], rp[1024];
		struct fn_ctx fc = { seg, ndmar, -1, NULL };
		/* The root bus is in no scope: the segment's catch-all unit. */
		struct fn_ctx rootbus = { seg, stack_bus ? seg_dmar : ndmar, -1, NULL };
		unsigned next = stack_bus + 1, dev;

		fmt(hb, sizeof(hb), "sys/devices/pci%04x:%02x", seg, stack_bus);
		mkdirs(hb);
		if (stack_bus == 0)
			seg_dmar = ndmar;
		d_off = drhd(seg, ndmar, stack_bus == 0);
		dmar_iommu(ndmar);
		if (function(hb, seg, stack_bus, 0, &K_HOST, 0, 0, &rootbus, NULL, 0))
			break;
		for (i = 0; i < uncore; i++)
			if (function(hb, seg, stack_bus, (8 + i) << 3, &K_UNCORE, 0, 0, &rootbus,
				     NULL, 0))
				break;
		for (dev = 1; dev <= ports && made < limit; dev++) {
			enum unit u = next_unit();
			unsigned nb = unit_buses(u);

			if (next + nb > 256)
				break;		/* the segment is full */
			if (function(hb, seg, stack_bus, dev << 3, &K_PORT, next, next + nb - 1,
				     &fc, rp, sizeof(rp)))
				break;
			if (stack_bus != 0)
				scope(d_off, stack_bus, dev);
			if (unit(u, rp, seg, next, &fc))
				break;
			next += nb;
		}
		ndmar++;
		/* Stacks start at buses the next unit still fits after. */
		stack_bus = next;
		if (stack_bus + 1 + unit_buses(U_SWITCH) > 255 ||
		    stack_bus + 1 + unit_buses(U_NIC) > 255) {
			seg++;
			stack_bus = 0;
		}
	}
	memcpy(dmar, "DMAR", 4);
	le32(dmar + 4, (uint32_t)dmar_len);
	dmar[8] = 1;
	memcpy(dmar + 10, "QDHBEN", 6);
	memcpy(dmar + 16, "GENSYSRT", 8);
	dmar[36] = 45;		/* host address width - 1 */
	for (i = 0; i < dmar_len; i++)
		sum = (uint8_t)(sum + dmar[i]);
	dmar[9] = (uint8_t)(0x100 - sum);
	fmt(path, sizeof(path), "%s/sys/firmware/acpi/tables/DMAR", root);
	write_at(path, dmar, dmar_len, 0400);
	fprintf(stderr, "gen-sysroot: %ld functions in %u segment(s), %u VT-d units: "
		"%ld bound to a driver (%ld%%), %ld Bus Master on (%ld%%), %ld bridges, "
		"%ld IOMMU groups\n", made, seg + (stack_bus ? 1 : 0), ndmar, nbound,
		nbound * 100 / made, nbm, nbm * 100 / made, nbridges, ngroup);
	return 0;
usage:
	fprintf(stderr, "usage: gen-sysroot [-m nvme=W,nic=W,switch=W,gpu=W,idle=W] "
		"[-v VFS] [-u UNCORE(<=24)] [-r PORTS(1-7)] ROOT N\n");
	return 2;
}
