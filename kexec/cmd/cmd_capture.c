// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh capture: copy exactly the files `qdh scan` (and the topology parsers)
 * read into a staging tree, symlinks kept as the same relative links, and
 * tar it up.  sysfs files claim 4096 bytes whatever they hold, so tar cannot
 * read them directly (it would pad them with zeros): each file is read here
 * and written at its true length first.  `qdh scan --sysroot` replays it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "qdh/output.h"
#include "qdh/sysroot.h"
#include "qdh/pcidev.h"

#define PROG "qdh capture"
#define MAX_FILE (8u << 20)	/* ACPI tables and DTBs are far smaller */

struct cap {
	const struct qdh_sysroot *sr;
	char stage[PATH_MAX];
	unsigned files, links;
	int err;
};

/* out = a "/" b, truncation-free (PATH_MAX buffers); "" if too long. */
static char *pjoin(char *out, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + 1 + lb >= PATH_MAX) {
		out[0] = '\0';
		return out;
	}
	memmove(out, a, la);
	out[la] = '/';
	memcpy(out + la + 1, b, lb + 1);
	return out;
}

static int mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	strcpy(tmp, path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int staged(struct cap *c, const char *path, char *out, int make_parent)
{
	char *slash;

	if ((size_t)snprintf(out, PATH_MAX, "%s%s", c->stage, path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!make_parent)
		return 0;
	slash = strrchr(out, '/');
	*slash = '\0';
	{
		int r = mkdirs(out);

		*slash = '/';
		return r;
	}
}

static void cap_dir(struct cap *c, const char *path)
{
	char dst[PATH_MAX];

	if (staged(c, path, dst, 0) == 0)
		mkdirs(dst);
}

/* Copy one regular file; absent ones are simply not part of the capture. */
static void cap_file(struct cap *c, const char *path)
{
	char dst[PATH_MAX];
	void *buf;
	size_t len;
	struct stat st;
	FILE *f;

	if (qdh_sysroot_stat(c->sr, path, &st, 0) < 0 || !S_ISREG(st.st_mode))
		return;
	if (qdh_sysroot_read_alloc(c->sr, path, MAX_FILE, &buf, &len) < 0)
		return;		/* unreadable stays absent: replay sees it so */
	if (staged(c, path, dst, 1) == 0 && (f = fopen(dst, "we"))) {
		if (fwrite(buf, 1, len, f) != len)
			c->err = -EIO;
		if (fclose(f))
			c->err = -EIO;
		c->files++;
	}
	free(buf);
}

/* Copy a symlink as is; returns its target in out (or "" if none). */
static void cap_link(struct cap *c, const char *path, char *out, size_t cap)
{
	char dst[PATH_MAX];

	out[0] = '\0';
	if (qdh_sysroot_readlink(c->sr, path, out, cap) < 0) {
		out[0] = '\0';
		return;
	}
	if (staged(c, path, dst, 1) == 0) {
		unlink(dst);
		if (symlink(out, dst) == 0)
			c->links++;
	}
}

/* A link whose target directory must exist for resolution on replay. */
static void cap_link_dir(struct cap *c, const char *path, char *res, size_t cap)
{
	char target[PATH_MAX], dir[PATH_MAX];
	struct stat st;

	cap_link(c, path, target, sizeof(target));
	res[0] = '\0';
	/* A dangling link stays dangling in the capture. */
	if (!target[0] || qdh_sysroot_stat(c->sr, path, &st, 0) < 0)
		return;
	strcpy(dir, path);
	*strrchr(dir, '/') = '\0';
	if (qdh_path_join(dir, target, res, cap) == 0)
		cap_dir(c, res);
}

static void cap_group(struct cap *c, const char *devpath)
{
	char link[PATH_MAX], gdir[PATH_MAX], type[PATH_MAX];

	pjoin(link, devpath, "iommu_group");
	cap_link_dir(c, link, gdir, sizeof(gdir));
	if (gdir[0]) {
		pjoin(type, gdir, "type");
		cap_file(c, type);
	}
}

static void cap_device(struct cap *c, const char *devpath, const char *const *files,
		       const char *const *links)
{
	char p[PATH_MAX], t[PATH_MAX];

	cap_dir(c, devpath);
	for (; *files; files++) {
		pjoin(p, devpath, *files);
		cap_file(c, p);
	}
	for (; *links; links++) {
		pjoin(p, devpath, *links);
		cap_link(c, p, t, sizeof(t));
	}
	cap_group(c, devpath);
}

/* Every entry of a bus/class directory: the link, and its target's dir. */
typedef void (*entry_fn)(struct cap *c, const char *entry, const char *resolved);

static void cap_bus(struct cap *c, const char *busdir, entry_fn fn)
{
	char link[PATH_MAX], res[PATH_MAX];
	struct dirent *e;
	DIR *d = qdh_sysroot_opendir(c->sr, busdir);

	if (!d)
		return;
	cap_dir(c, busdir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		pjoin(link, busdir, e->d_name);
		cap_link_dir(c, link, res, sizeof(res));
		if (res[0] && fn)
			fn(c, e->d_name, res);
	}
	closedir(d);
}

static void pci_entry(struct cap *c, const char *entry, const char *dev)
{
	static const char *const files[] = { "vendor", "device", "class", "config",
		"enable", "power_state", "reset_method", NULL };
	static const char *const links[] = { "driver", "iommu", "physfn", NULL };

	(void)entry;
	cap_device(c, dev, files, links);
}

static void platform_entry(struct cap *c, const char *entry, const char *dev)
{
	static const char *const files[] = { NULL };
	static const char *const links[] = { "driver", "iommu", NULL };
	char p[PATH_MAX], res[PATH_MAX];

	(void)entry;
	cap_device(c, dev, files, links);
	pjoin(p, dev, "of_node");
	cap_link_dir(c, p, res, sizeof(res));
	pjoin(p, dev, "firmware_node");
	cap_link_dir(c, p, res, sizeof(res));
	if (res[0]) {
		pjoin(p, res, "path");
		cap_file(c, p);
	}
}

static void iommu_entry(struct cap *c, const char *entry, const char *dev)
{
	char p[PATH_MAX];

	(void)entry;
	pjoin(p, dev, "intel-iommu/address");
	cap_file(c, p);
}

static void net_entry(struct cap *c, const char *entry, const char *dev)
{
	char p[PATH_MAX], res[PATH_MAX];
	struct dirent *e;
	DIR *d;

	(void)entry;
	pjoin(p, dev, "device");
	cap_link_dir(c, p, res, sizeof(res));
	d = qdh_sysroot_opendir(c->sr, dev);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "lower_", 6))
			continue;
		pjoin(p, dev, e->d_name);
		cap_link_dir(c, p, res, sizeof(res));
	}
	closedir(d);
}

static void block_entry(struct cap *c, const char *entry, const char *dev)
{
	char p[PATH_MAX], t[PATH_MAX], target[PATH_MAX];
	struct dirent *e;
	DIR *d;

	(void)entry;
	pjoin(p, dev, "slaves");
	d = qdh_sysroot_opendir(c->sr, p);
	if (!d)
		return;
	cap_dir(c, p);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		pjoin(t, p, e->d_name);
		cap_link(c, t, target, sizeof(target));
	}
	closedir(d);
}

static int run_tar_once(const char *stage, const char *out, int portable)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (portable) {
			/* busybox tar (an initramfs) knows none of the GNU options */
			execlp("tar", "tar", "-cf", out, "-C", stage, "sys", "proc",
			       (char *)NULL);
		} else {
			/* Deterministic archive: sorted, root-owned, fixed mtime.
			 * Quiet: a failure here is retried (and shown) portably. */
			int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

			if (fd >= 0)
				dup2(fd, 2);
			execlp("tar", "tar", "--sort=name", "--owner=0", "--group=0",
			       "--numeric-owner", "--mtime=@0", "-cf", out, "-C", stage,
			       "sys", "proc", (char *)NULL);
		}
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return WIFEXITED(status) && WEXITSTATUS(status) == 127 ? -ENOENT : -EIO;
	return 0;
}

static int run_tar(const char *stage, const char *out)
{
	int r = run_tar_once(stage, out, 0);

	/* GNU tar first; a tar that refuses its options gets a plain -cf. */
	if (r == -EIO)
		r = run_tar_once(stage, out, 1);
	return r;
}

static int rm_tree(const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qdh capture [--sysroot DIR] -o OUT.tar\n"
"Snapshot the files `qdh scan` reads into a tarball; replay it with\n"
"`tar -xf OUT.tar -C ROOT && qdh scan --sysroot ROOT`.\n\n"
"  --sysroot DIR   capture below DIR (default /)\n"
"  -o, --output F  the tarball to write\n"
"Exit: 0 done, 2 usage or I/O error.\n");
}

int cmd_capture(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const fw[] = {
		QDH_PATH_FDT, QDH_PATH_ACPI_TABLES "/IORT", QDH_PATH_ACPI_TABLES "/DMAR",
		QDH_PATH_ACPI_TABLES "/IVRS", QDH_PATH_MOUNTINFO, NULL
	};
	const char *sysroot = "/", *out = NULL;
	char abs_out[PATH_MAX];
	const char *const *f;
	struct qdh_sysroot sr;
	struct cap c;
	int opt, r;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'S': sysroot = optarg; break;
		case 'o': out = optarg; break;
		case 'h': usage(stdout); return QDH_EXIT_OK;
		default: usage(stderr); return QDH_EXIT_USAGE;
		}
	}
	if (!out || optind < argc) {
		usage(stderr);
		return QDH_EXIT_USAGE;
	}
	/* tar runs with -C: make OUT absolute first. */
	if (out[0] == '/') {
		snprintf(abs_out, sizeof(abs_out), "%s", out);
	} else {
		if (!getcwd(abs_out, sizeof(abs_out) - strlen(out) - 2)) {
			qdh_output_error(0, PROG, out, -1, "%s", strerror(errno));
			return QDH_EXIT_USAGE;
		}
		strcat(abs_out, "/");
		strcat(abs_out, out);
	}
	r = qdh_sysroot_open(&sr, sysroot);
	if (r < 0) {
		qdh_output_error(0, PROG, sysroot, -1, "%s", strerror(-r));
		return QDH_EXIT_USAGE;
	}
	memset(&c, 0, sizeof(c));
	c.sr = &sr;
	snprintf(c.stage, sizeof(c.stage), "%s/qdh-capture-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c.stage)) {
		qdh_output_error(0, PROG, c.stage, -1, "%s", strerror(errno));
		qdh_sysroot_close(&sr);
		return QDH_EXIT_USAGE;
	}
	cap_dir(&c, "/sys");
	cap_dir(&c, "/proc");
	cap_bus(&c, QDH_PATH_PCI_DEVICES, pci_entry);
	cap_bus(&c, QDH_PATH_PLATFORM_DEVICES, platform_entry);
	cap_bus(&c, QDH_PATH_CLASS_IOMMU, iommu_entry);
	cap_bus(&c, QDH_PATH_CLASS_NET, net_entry);
	cap_bus(&c, QDH_PATH_CLASS_BLOCK, block_entry);
	cap_bus(&c, QDH_PATH_DEV_BLOCK, NULL);
	for (f = fw; *f; f++)
		cap_file(&c, *f);
	qdh_sysroot_close(&sr);
	r = c.err ? c.err : run_tar(c.stage, abs_out);
	rm_tree(c.stage);
	if (r < 0) {
		qdh_output_error(0, PROG, out, -1, "%s", r == -ENOENT ?
				 "cannot run tar" : strerror(-r));
		return QDH_EXIT_USAGE;
	}
	fprintf(stderr, "%s: %u files, %u links -> %s\n", PROG, c.files, c.links, out);
	return QDH_EXIT_OK;
}
