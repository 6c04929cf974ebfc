// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/gen-sysroot: write a synthetic sysroot of N PCI functions, shaped
 * like the kernel's sysfs (real directories under /sys/devices, relative
 * links from /sys/bus/pci/devices, driver and iommu_group links), fast
 * enough for 100,000 functions.  Used by bench/bench-scan.sh only.
 *
 * Usage: gen-sysroot ROOT N
 * Functions are spread over segments of 256 buses x 32 devices x 8
 * functions; every 8th bus sits below a root port on bus 0.  Half the
 * functions have a driver, a quarter have Bus Master on, one IOMMU group
 * per function.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[1024];

static void die(const char *what, const char *path)
{
	fprintf(stderr, "gen-sysroot: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void mkdirs(const char *rel)
{
	char p[8192];
	char *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
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

static void put(const char *dir, const char *name, const void *buf, size_t len)
{
	char p[8192];
	int fd;

	snprintf(p, sizeof(p), "%s/%s/%s", root, dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len || close(fd))
		die("write", p);
}

static void puts_(const char *dir, const char *name, const char *s)
{
	put(dir, name, s, strlen(s));
}

static void ln(const char *target, const char *dir, const char *name)
{
	char p[8192];

	snprintf(p, sizeof(p), "%s/%s/%s", root, dir, name);
	if (symlink(target, p) && errno != EEXIST)
		die("symlink", p);
}

int main(int argc, char **argv)
{
	long n, i;
	char dir[512], buf[512], tgt[1024];

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: gen-sysroot ROOT N\n");
		return 2;
	}
	snprintf(root, sizeof(root), "%s", argv[1]);
	mkdirs("sys/bus/pci/devices");
	mkdirs("sys/bus/pci/drivers/nvme");
	mkdirs("sys/kernel/iommu_groups");
	for (i = 0; i < n; i++) {
		unsigned seg = (unsigned)(i / 65536), rest = (unsigned)(i % 65536);
		unsigned bus = rest / 256, dev = (rest / 8) % 32, fn = rest % 8;
		int drv = i % 2 == 0, bm = i % 4 == 0;
		unsigned char cfg[64] = { 0 };
		char bdf[16], pdir[128];
		const char *up;

		snprintf(bdf, sizeof(bdf), "%04x:%02x:%02x.%u", seg, bus, dev, fn);
		/* every 8th bus below a root port 00:(bus/8).0 of its segment */
		if (bus && bus % 8 == 0 && bus / 8 < 32) {
			snprintf(pdir, sizeof(pdir), "sys/devices/pci%04x:00/%04x:00:%02x.0",
				 seg, seg, bus / 8);
			up = "../../../../";
		} else {
			snprintf(pdir, sizeof(pdir), "sys/devices/pci%04x:00", seg);
			up = "../../../";
		}
		snprintf(dir, sizeof(dir), "%s/%s", pdir, bdf);
		mkdirs(dir);
		cfg[0] = 0xf4; cfg[1] = 0x1a; cfg[2] = 0x41; cfg[3] = 0x10;
		cfg[4] = bm ? 0x06 : 0x02;
		cfg[9] = 0; cfg[10] = 0; cfg[11] = 0x02;	/* class 0x020000 */
		put(dir, "config", cfg, sizeof(cfg));
		puts_(dir, "vendor", "0x1af4\n");
		puts_(dir, "device", "0x1041\n");
		puts_(dir, "class", "0x020000\n");
		puts_(dir, "subsystem_vendor", "0x1af4\n");
		puts_(dir, "subsystem_device", "0x1100\n");
		puts_(dir, "revision", "0x01\n");
		puts_(dir, "irq", "0\n");
		puts_(dir, "resource", "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
		puts_(dir, "modalias", "pci:v00001AF4d00001041sv00001AF4sd00001100bc02sc00i00\n");
		puts_(dir, "enable", drv ? "1\n" : "0\n");
		puts_(dir, "power_state", "D0\n");
		puts_(dir, "reset_method", "flr bus\n");
		/* one group per function */
		snprintf(buf, sizeof(buf), "sys/kernel/iommu_groups/%ld", i);
		mkdirs(buf);
		put(buf, "type", "DMA\n", 4);
		snprintf(tgt, sizeof(tgt), "%skernel/iommu_groups/%ld", up, i);
		ln(tgt, dir, "iommu_group");
		if (drv) {
			snprintf(tgt, sizeof(tgt), "%sbus/pci/drivers/nvme", up);
			ln(tgt, dir, "driver");
		}
		snprintf(tgt, sizeof(tgt), "../../../%s", dir + 4);	/* strip "sys/" */
		ln(tgt, "sys/bus/pci/devices", bdf);
	}
	return 0;
}
