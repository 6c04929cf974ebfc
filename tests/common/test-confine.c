// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A sysroot cannot be left (issue 13 item 1): every open, readlink, stat
 * and write of the sysroot layer resolves beneath the root, in both ways it
 * can resolve (openat2(RESOLVE_IN_ROOT) and the component-by-component
 * walk, forced with QDH_SYSROOT_RESOLVE=walk), and whether a sysroot is the
 * live system is decided by identity, not by its path.
 *
 * The tree: T/outside holds what must never be read or written; T/root is
 * the sysroot, with links that try to leave it (absolute, "..", through a
 * directory link, a device directory that is a link) and one absolute link
 * that must resolve inside it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qdh/sysroot.h"
#include "tap.h"

static char top[] = "/tmp/qdh-confine-XXXXXX";

static void path(char *buf, size_t cap, const char *rel)
{
	snprintf(buf, cap, "%s/%s", top, rel);
}

static void put(const char *rel, const char *text)
{
	char p[4096];
	FILE *f;

	path(p, sizeof(p), rel);
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

	path(p, sizeof(p), rel);
	if (mkdir(p, 0755) && errno != EEXIST) {
		perror(p);
		exit(99);
	}
}

static void ln(const char *target, const char *rel)
{
	char p[4096];

	path(p, sizeof(p), rel);
	if (symlink(target, p)) {
		perror(p);
		exit(99);
	}
}

/* The text of T/REL, or "" */
static const char *slurp(const char *rel)
{
	static char buf[256];
	char p[4096];
	FILE *f;
	size_t n;

	path(p, sizeof(p), rel);
	buf[0] = '\0';
	f = fopen(p, "r");
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int present(const char *rel)
{
	char p[4096];
	struct stat st;

	path(p, sizeof(p), rel);
	return lstat(p, &st) == 0;
}

static void build(void)
{
	char abs[4096];

	mk("outside");
	mk("outside/dir");
	put("outside/secret", "SECRET");
	put("outside/dir/secret", "SECRET");
	put("outside/victim", "VICTIM");
	ln("LEAKED-LINK-TARGET", "outside/link");
	mk("root");
	mk("root/sys");
	mk("root/sys/devices");
	mk("root/sys/devices/d0");
	put("root/sys/devices/d0/vendor", "0x1af4\n");
	mk("root/inside");
	put("root/inside/secret", "INSIDE");
	/* absolute link to the outside: must resolve to ROOT<top>/outside */
	path(abs, sizeof(abs), "outside");
	ln(abs, "root/abs");
	path(abs, sizeof(abs), "outside/secret");
	ln(abs, "root/abs_file");
	path(abs, sizeof(abs), "outside/victim");
	ln(abs, "root/w_abs");
	/* climbing out with "..": clamps at the root */
	ln("../outside", "root/rel");
	ln("../../../../../../../../outside", "root/sys/devices/deep");
	ln("../outside/victim", "root/w_rel");
	/* an absolute link meant for the sysroot resolves inside it */
	ln("/inside", "root/in_abs");
	/* a device directory that is a link out (attribute reads below it) */
	ln("../../rel/dir", "root/sys/devices/d1");
	ln("/proc", "root/proc");
}

static void read_checks(const struct qdh_sysroot *sr, const char *mode)
{
	static const char *const escapes[] = {
		"/abs/secret", "/abs_file", "/rel/secret", "/rel/dir/secret",
		"/../outside/secret", "/sys/../../outside/secret",
		"/sys/devices/deep/secret", "/sys/devices/d1/secret",
	};
	char buf[256];
	struct stat st;
	size_t i;
	DIR *d;
	int r;

	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		buf[0] = '\0';
		r = qdh_sysroot_read_str(sr, escapes[i], buf, sizeof(buf));
		tap_ok(r < 0 && strcmp(buf, "SECRET"), "%s: read %s stays inside (%s)",
		       mode, escapes[i], r < 0 ? strerror(-r) : buf);
		tap_ok(qdh_sysroot_stat(sr, escapes[i], &st, 0) < 0,
		       "%s: stat %s stays inside", mode, escapes[i]);
		tap_ok(!qdh_sysroot_exists(sr, escapes[i]), "%s: exists %s is false",
		       mode, escapes[i]);
	}
	r = qdh_sysroot_read_str(sr, "/in_abs/secret", buf, sizeof(buf));
	tap_ok(r == 0 && !strcmp(buf, "INSIDE"),
	       "%s: an absolute link resolves inside the sysroot (%s)", mode,
	       r < 0 ? strerror(-r) : buf);
	r = qdh_sysroot_readlink(sr, "/abs/link", buf, sizeof(buf));
	tap_ok(r < 0, "%s: readlink through an absolute link stays inside (%s)", mode,
	       r < 0 ? strerror(-r) : buf);
	r = qdh_sysroot_readlink(sr, "/rel/link", buf, sizeof(buf));
	tap_ok(r < 0, "%s: readlink through a climbing link stays inside (%s)", mode,
	       r < 0 ? strerror(-r) : buf);
	d = qdh_sysroot_opendir(sr, "/rel/dir");
	tap_ok(d == NULL, "%s: opendir through a climbing link stays inside", mode);
	if (d)
		closedir(d);
	d = qdh_sysroot_opendir(sr, "/abs");
	tap_ok(d == NULL, "%s: opendir through an absolute link stays inside", mode);
	if (d)
		closedir(d);
	r = qdh_sysroot_resolve(sr, "/rel/secret", buf, sizeof(buf));
	tap_ok(r < 0 || strncmp(buf, "/outside", 8) != 0 || !qdh_sysroot_exists(sr, buf),
	       "%s: resolve never names a file outside (%s)", mode,
	       r < 0 ? strerror(-r) : buf);
	r = qdh_sysroot_read_str(sr, "/sys/devices/d0/vendor", buf, sizeof(buf));
	tap_ok(r == 0 && !strcmp(buf, "0x1af4"), "%s: plain reads still work", mode);
}

static void write_checks(const struct qdh_sysroot *sr, const char *mode)
{
	char comm[32], after[32];
	int fd, r;

	r = qdh_sysroot_write(sr, "/w_abs", "PWNED", 5);
	tap_ok(r < 0 && !strcmp(slurp("outside/victim"), "VICTIM"),
	       "%s: write through an absolute link does not reach the outside (%s)",
	       mode, r < 0 ? strerror(-r) : "written");
	r = qdh_sysroot_write(sr, "/w_rel", "PWNED", 5);
	tap_ok(r < 0 && !strcmp(slurp("outside/victim"), "VICTIM"),
	       "%s: write through a climbing link does not reach the outside", mode);
	r = qdh_sysroot_pwrite(sr, "/abs/victim", "PW", 2, 1);
	tap_ok(r < 0 && !strcmp(slurp("outside/victim"), "VICTIM"),
	       "%s: pwrite through a directory link does not reach the outside", mode);
	fd = qdh_sysroot_create(sr, "/abs/created", O_WRONLY, 0600);
	tap_ok(!present("outside/created"),
	       "%s: create through an absolute link makes nothing outside", mode);
	if (fd >= 0)
		close(fd);
	fd = qdh_sysroot_create(sr, "/rel/created", O_WRONLY, 0600);
	tap_ok(!present("outside/created"),
	       "%s: create through a climbing link makes nothing outside", mode);
	if (fd >= 0)
		close(fd);
	fd = qdh_sysroot_openat(sr, "/abs_file", O_WRONLY | O_TRUNC);
	tap_ok(fd < 0 && !strcmp(slurp("outside/secret"), "SECRET"),
	       "%s: O_TRUNC through a link leaves the outside file whole", mode);
	if (fd >= 0)
		close(fd);
	/* root/proc -> /proc: the tree is not live, and must not reach it */
	prctl(PR_GET_NAME, comm);
	r = qdh_sysroot_write(sr, "/proc/self/comm", "qdh-escaped", 11);
	prctl(PR_GET_NAME, after);
	tap_ok(r < 0 && !strcmp(comm, after),
	       "%s: a tree whose proc links to /proc does not write the live /proc (%s)",
	       mode, r < 0 ? strerror(-r) : after);
	tap_ok(!qdh_sysroot_is_live(sr) || r < 0,
	       "%s: ... and it is either live or cannot reach it", mode);
}

/*
 * In a private mount namespace: a tree whose proc is the real procfs (bound
 * there) is live by identity; a tree with only part of procfs bound into it
 * is not live, and its writes that land on procfs are refused.  Returns
 * the number of failed checks, -1 if mounts are not possible here.
 */
static int mount_checks(const char *mode)
{
	char p[4096], q[4096], comm[32], after[32];
	struct qdh_sysroot sr;
	int r, n = 0;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	mk("bind");
	mk("bind/proc");
	path(p, sizeof(p), "bind/proc");
	if (mount("/proc", p, NULL, MS_BIND, NULL))
		return -1;
	if (qdh_sysroot_open(&sr, (path(q, sizeof(q), "bind"), q)))
		return -1;
	n += !tap_ok(qdh_sysroot_is_live(&sr),
		     "%s: a tree whose proc is the live procfs (bind mount) is live", mode);
	qdh_sysroot_close(&sr);
	mk("part");
	mk("part/x");
	path(p, sizeof(p), "part/x");
	if (mount("/proc/self", p, NULL, MS_BIND, NULL))
		return -1;
	if (qdh_sysroot_open(&sr, (path(q, sizeof(q), "part"), q)))
		return -1;
	n += !tap_ok(!qdh_sysroot_is_live(&sr), "%s: a tree with a piece of procfs is not live",
		     mode);
	prctl(PR_GET_NAME, comm);
	r = qdh_sysroot_write(&sr, "/x/comm", "qdh-escaped", 11);
	prctl(PR_GET_NAME, after);
	n += !tap_ok(r == -EPERM && !strcmp(comm, after),
		     "%s: a write in a non-live sysroot that lands on procfs is refused (%s)",
		     mode, r < 0 ? strerror(-r) : after);
	qdh_sysroot_close(&sr);
	return n;
}

static void run_mode(const char *mode)
{
	struct qdh_sysroot sr;
	char rootdir[4096], cmd[4200];
	pid_t pid;
	int st;

	/* A fresh tree: a broken run of the other mode may have written. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'/*", top);
	if (system(cmd) != 0)
		tap_diag("cleanup failed");
	build();

	if (!strcmp(mode, "walk"))
		setenv("QDH_SYSROOT_RESOLVE", "walk", 1);
	else
		unsetenv("QDH_SYSROOT_RESOLVE");
	path(rootdir, sizeof(rootdir), "root");
	tap_is_int(qdh_sysroot_open(&sr, rootdir), 0, "%s: open the sysroot", mode);
	tap_ok(!qdh_sysroot_is_live(&sr), "%s: a temp dir is not live", mode);
	read_checks(&sr, mode);
	write_checks(&sr, mode);
	qdh_sysroot_close(&sr);

	/* The mount checks run in a child (its own mount namespace) that
	 * reports through its exit code: the number of failed checks. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		int r;

		dup2(devnull, 1);
		r = mount_checks(mode);
		_exit(r < 0 ? 200 : r);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) == 200) {
		printf("ok %d - %s: bind-mount identity checks # SKIP no private mount namespace\n",
		       ++tap_n, mode);
		return;
	}
	tap_ok(WEXITSTATUS(st) == 0,
	       "%s: a bind-mounted procfs makes the tree live; a piece of it is refused "
	       "for writes (%d failed)", mode, WEXITSTATUS(st));
}

int main(void)
{
	char cmd[4200];

	if (!mkdtemp(top))
		return 99;
	run_mode("openat2");
	run_mode("walk");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd) != 0)
		tap_diag("cleanup failed");
	return tap_done();
}
