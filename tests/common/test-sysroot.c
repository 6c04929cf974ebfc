// SPDX-License-Identifier: GPL-2.0-or-later
/* The sysroot layer on a tree built here: links, loops, escapes, limits. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/sysroot.h"
#include "tap.h"

static char root[] = "/tmp/qdh-sysroot-XXXXXX";

static void put(const char *rel, const char *text)
{
	char p[4096];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	if (!f) {
		perror(p);
		exit(99);
	}
	fputs(text, f);
	fclose(f);
}

static void mk(const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	mkdir(p, 0755);
}

static void ln(const char *target, const char *rel)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (symlink(target, p)) {
		perror(p);
		exit(99);
	}
}

int main(void)
{
	struct qdh_sysroot sr;
	char buf[256], big[8];
	uint64_t v;
	size_t len;
	int r;

	if (!mkdtemp(root))
		return 99;
	mk("sys"); mk("sys/devices"); mk("sys/devices/pci0"); mk("sys/bus");
	mk("sys/bus/pci"); mk("sys/bus/pci/devices"); mk("sys/drivers");
	mk("sys/drivers/virtio-pci");
	put("sys/devices/pci0/vendor", "0x1af4\n");
	put("sys/devices/pci0/num", "16\n");
	put("sys/devices/pci0/bad", "12abc\n");
	put("sys/devices/pci0/neg", "-1\n");
	put("sys/devices/pci0/huge", "99999999999999999999999\n");
	put("sys/devices/pci0/long", "0123456789abcdef");
	ln("../../../devices/pci0", "sys/bus/pci/devices/0000:00:01.0");
	ln("../../drivers/virtio-pci", "sys/devices/pci0/driver");
	ln("loop-b", "sys/devices/loop-a");
	ln("loop-a", "sys/devices/loop-b");
	ln("/../../../../etc", "sys/devices/escape");
	ln("missing-target", "sys/devices/dangling");

	tap_is_int(qdh_sysroot_open(&sr, root), 0, "open sysroot");
	tap_ok(!qdh_sysroot_is_live(&sr), "a temp dir is not the live root");
	r = qdh_sysroot_read_str(&sr, "/sys/bus/pci/devices/0000:00:01.0/vendor",
				 buf, sizeof(buf));
	tap_ok(r == 0 && !strcmp(buf, "0x1af4"), "read through a relative link, trimmed");
	tap_ok(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/vendor", &v) == 0 &&
	       v == 0x1af4, "hex u64");
	tap_ok(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/num", &v) == 0 && v == 16,
	       "decimal u64");
	tap_is_int(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/bad", &v), -EINVAL,
		   "trailing garbage is -EINVAL");
	tap_is_int(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/neg", &v), -EINVAL,
		   "negative is -EINVAL");
	tap_is_int(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/huge", &v), -ERANGE,
		   "overflow is -ERANGE");
	tap_is_int(qdh_sysroot_read(&sr, "/sys/devices/pci0/long", big, sizeof(big), &len),
		   -EFBIG, "file larger than the buffer is -EFBIG");
	tap_is_int(qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/absent", &v), -ENOENT,
		   "missing attribute is -ENOENT");
	r = qdh_sysroot_link_name(&sr, "/sys/devices/pci0/driver", buf, sizeof(buf));
	tap_ok(r == 0 && !strcmp(buf, "virtio-pci"), "link basename");
	r = qdh_sysroot_resolve(&sr, "/sys/bus/pci/devices/0000:00:01.0", buf, sizeof(buf));
	tap_ok(r == 0 && !strcmp(buf, "/sys/devices/pci0"), "resolve: %s", r ? strerror(-r) : buf);
	tap_is_int(qdh_sysroot_resolve(&sr, "/sys/devices/loop-a/x", buf, sizeof(buf)),
		   -ELOOP, "symlink loop is -ELOOP");
	tap_is_int(qdh_sysroot_resolve(&sr, "/sys/devices/dangling", buf, sizeof(buf)),
		   -ENOENT, "dangling link is -ENOENT");
	r = qdh_sysroot_resolve(&sr, "/sys/devices/escape", buf, sizeof(buf));
	tap_ok(r == -ENOENT || (r == 0 && !strcmp(buf, "/etc")),
	       "absolute link and .. stay inside the sysroot");
	tap_ok(strcmp(qdh_sysroot_display(&sr, "/sys/x", buf, sizeof(buf)) + strlen(root),
		      "/sys/x") == 0, "display path joins prefix");
	tap_ok(qdh_sysroot_write(&sr, "/sys/devices/pci0/num", "7\n", 2) == 0 &&
	       qdh_sysroot_read_u64(&sr, "/sys/devices/pci0/num", &v) == 0 && v == 7,
	       "write then read back");
	{
		struct stat st;
		int fd = qdh_sysroot_create(&sr, "/sys/devices/pci0/new", O_WRONLY, 0600);

		tap_ok(fd >= 0 && qdh_sysroot_stat(&sr, "/sys/devices/pci0/new", &st, 0) == 0 &&
		       (st.st_mode & 0777) == 0600, "create with a mode inside the sysroot");
		if (fd >= 0)
			close(fd);
		tap_is_int(qdh_sysroot_create(&sr, "/nodir/x", O_WRONLY, 0600), -ENOENT,
			   "create in a missing directory is -ENOENT");
	}
	qdh_sysroot_close(&sr);
	{
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			tap_diag("cleanup failed");
	}
	return tap_done();
}
