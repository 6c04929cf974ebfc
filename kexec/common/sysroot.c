// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sysroot layer: every read of the running system, and every write of
 * `qdh apply`, goes through here, resolved beneath the root (sysroot.h).
 *
 * Two ways to resolve, with the same results:
 *  - openat2() with RESOLVE_IN_ROOT (paths from the root: absolute links
 *    and ".." clamp at it) or RESOLVE_BENEATH (paths below a directory fd:
 *    leaving it is -EXDEV), both with RESOLVE_NO_MAGICLINKS;
 *  - where the kernel has no openat2() (before 5.6: ENOSYS), a walk that
 *    opens one component at a time with O_NOFOLLOW, reads each link itself
 *    and splices its target into the rest of the path, restarting at the
 *    root for an absolute target.  ".." pops a level and checks that the
 *    directory it reaches is the one it came from (a directory renamed out
 *    from under the walk would otherwise lead outside).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HAVE_LINUX_OPENAT2_H
#include <linux/openat2.h>
#else
/* The openat2(2) ABI (Linux 5.6, include/uapi/linux/openat2.h). */
struct open_how {
	unsigned long long flags, mode, resolve;
};
#define RESOLVE_NO_MAGICLINKS	0x02
#define RESOLVE_BENEATH		0x08
#define RESOLVE_IN_ROOT		0x10
#endif
#ifndef SYS_openat2
#define SYS_openat2 437		/* the same number on every architecture */
#endif

#include "qdh/io.h"
#include "qdh/sysroot.h"

/* Longest chain of symlinks a resolution follows, as the kernel's MAXSYMLINKS. */
#define QDH_MAX_SYMLINKS 40
/* Directory depth the walk tracks (sysfs paths are about 20 deep). */
#define WALK_MAX_DEPTH	256
/* openat2() says EAGAIN when a rename raced with ".."; try again this often. */
#define OPENAT2_RETRIES	16

/* Kernel filesystems a write in a non-live sysroot must never land on. */
static const unsigned long kernel_fs[] = {
	0x62656572,	/* sysfs */
	0x9fa0,		/* proc */
	0x64626720,	/* debugfs */
	0x74726163,	/* tracefs */
	0x73636673,	/* securityfs */
	0x62656570,	/* configfs */
	0x27e0eb,	/* cgroup */
	0x63677270,	/* cgroup2 */
	0xcafe4a11,	/* bpf */
	0xde5e81e4,	/* efivarfs */
	0x6165676c,	/* pstore */
	0x1cd1,		/* devpts */
	0xf97cff8c,	/* selinuxfs */
	0x43415d53,	/* smackfs */
};

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static int is_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

/*
 * A write in a sysroot that is not the live system goes to a regular file
 * on an ordinary filesystem, whatever the tree holds: a FIFO, a device
 * node, or a bind mount of sysfs or procfs inside it would reach the
 * running kernel.
 */
static int write_guard(const struct qdh_sysroot *sr, int fd)
{
	struct statfs sf;
	struct stat st;
	size_t i;

	if (sr->live)
		return 0;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || fstatfs(fd, &sf))
		return -EPERM;
	for (i = 0; i < sizeof(kernel_fs) / sizeof(kernel_fs[0]); i++)
		if ((unsigned long)sf.f_type == kernel_fs[i])
			return -EPERM;
	return 0;
}

static int sys_openat2(int dirfd, const char *path, int flags, mode_t mode,
		       unsigned long long resolve)
{
	struct open_how how;
	int i, fd = -1;

	memset(&how, 0, sizeof(how));
	how.flags = (unsigned long long)(flags | O_CLOEXEC);
	how.mode = flags & O_CREAT ? mode : 0;
	how.resolve = resolve | RESOLVE_NO_MAGICLINKS;
	for (i = 0; i < OPENAT2_RETRIES; i++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd < 0 ? -errno : fd;
}

/* --- The walk ------------------------------------------------------------ */

struct walk {
	int start;		/* the root (IN_ROOT) or the directory (BENEATH) */
	int beneath;		/* leaving start is -EXDEV, not clamped */
	int cur;		/* directory reached so far (== start at depth 0) */
	int depth;
	dev_t dev[WALK_MAX_DEPTH + 1];	/* identity of each level, 0 = start */
	ino_t ino[WALK_MAX_DEPTH + 1];
	char done[PATH_MAX];	/* resolved path from start, "" or "/a/b" */
	size_t dlen;
	int links;
};

static void walk_reset(struct walk *w)
{
	if (w->cur != w->start)
		close(w->cur);
	w->cur = w->start;
	w->depth = 0;
	w->done[0] = '\0';
	w->dlen = 0;
}

static int walk_init(struct walk *w, int start, int beneath)
{
	struct stat st;

	w->start = w->cur = start;
	w->beneath = beneath;
	w->depth = 0;
	w->done[0] = '\0';
	w->dlen = 0;
	w->links = 0;
	if (fstat(start, &st))
		return -errno;
	w->dev[0] = st.st_dev;
	w->ino[0] = st.st_ino;
	return 0;
}

static int walk_up(struct walk *w)
{
	struct stat st;
	char *slash;
	int fd;

	if (w->depth == 0)
		return w->beneath ? -EXDEV : 0;	/* ".." of "/" is "/" */
	fd = openat(w->cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_dev != w->dev[w->depth - 1] ||
	    st.st_ino != w->ino[w->depth - 1]) {
		close(fd);
		return -EXDEV;	/* moved while we walked */
	}
	if (w->cur != w->start)
		close(w->cur);
	w->depth--;
	if (w->depth == 0) {
		close(fd);
		w->cur = w->start;
	} else {
		w->cur = fd;
	}
	slash = strrchr(w->done, '/');
	w->dlen = slash ? (size_t)(slash - w->done) : 0;
	w->done[w->dlen] = '\0';
	return 0;
}

static int walk_down(struct walk *w, int fd, const struct stat *st,
		     const char *comp, size_t clen)
{
	if (w->depth >= WALK_MAX_DEPTH || w->dlen + 1 + clen >= sizeof(w->done)) {
		close(fd);
		return -ENAMETOOLONG;
	}
	if (w->cur != w->start)
		close(w->cur);
	w->cur = fd;
	w->depth++;
	w->dev[w->depth] = st->st_dev;
	w->ino[w->depth] = st->st_ino;
	w->done[w->dlen] = '/';
	memcpy(w->done + w->dlen + 1, comp, clen);
	w->dlen += 1 + clen;
	w->done[w->dlen] = '\0';
	return 0;
}

/*
 * Replace the walk's remaining path (*rest) by link + "/" + *rest, in
 * todo; an absolute link restarts at the root.
 */
static int walk_splice(struct walk *w, int lfd, const char *name, char *todo,
		       size_t cap, const char **rest)
{
	char link[PATH_MAX], tail[PATH_MAX * 2];
	ssize_t n;
	size_t tl = strlen(*rest);

	if (++w->links > QDH_MAX_SYMLINKS)
		return -ELOOP;
	n = readlinkat(lfd, name, link, sizeof(link) - 1);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ENOENT;
	link[n] = '\0';
	if (tl >= sizeof(tail) || (size_t)n + 1 + tl >= cap)
		return -ENAMETOOLONG;
	memcpy(tail, *rest, tl + 1);
	memcpy(todo, link, (size_t)n);
	/* No "/" after a last link: "link/" would ask for a directory. */
	if (tl) {
		todo[n] = '/';
		memcpy(todo + n + 1, tail, tl + 1);
	} else {
		todo[n] = '\0';
	}
	*rest = todo;
	if (link[0] == '/') {
		if (w->beneath)
			return -EXDEV;
		walk_reset(w);
	}
	return 0;
}

/*
 * Resolve path from w->start and open the last component with flags/mode.
 * Links are followed (the last one too, unless flags has O_NOFOLLOW), each
 * by the walk itself, so the kernel never follows one.
 */
static int walk_open(struct walk *w, const char *path, int flags, mode_t mode)
{
	char todo[PATH_MAX * 2];
	const char *p = todo;
	int r = -ENOENT, fd;

	if (strlen(path) >= sizeof(todo))
		return -ENAMETOOLONG;
	if (w->beneath && path[0] == '/')
		return -EXDEV;
	strcpy(todo, path);
	for (;;) {
		char comp[NAME_MAX + 1];
		size_t clen;
		struct stat st;
		int last, lfd;

		while (*p == '/')
			p++;
		if (!*p) {
			/* The path ends at a directory: open it as asked. */
			fd = openat(w->cur, ".", (flags & ~(O_CREAT | O_EXCL)) | O_CLOEXEC);
			r = fd < 0 ? -errno : fd;
			break;
		}
		clen = strcspn(p, "/");
		if (clen > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, p, clen);
		comp[clen] = '\0';
		p += clen;
		last = *p == '\0';
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			r = walk_up(w);
			if (r < 0)
				break;
			continue;
		}
		lfd = openat(w->cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (lfd < 0) {
			r = -errno;
			if (r == -ENOENT && last && (flags & O_CREAT)) {
				/* O_NOFOLLOW: a link planted meanwhile is ELOOP. */
				fd = openat(w->cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
				r = fd < 0 ? -errno : fd;
				if (r >= 0 && w->dlen + 1 + clen < sizeof(w->done)) {
					w->done[w->dlen] = '/';
					memcpy(w->done + w->dlen + 1, comp, clen + 1);
				}
			}
			break;
		}
		if (fstat(lfd, &st)) {
			r = -errno;
			close(lfd);
			break;
		}
		/* O_CREAT|O_EXCL never follows a last link, as open(2). */
		if (S_ISLNK(st.st_mode) &&
		    !(last && ((flags & O_NOFOLLOW) ||
			       (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)))) {
			r = walk_splice(w, lfd, "", todo, sizeof(todo), &p);
			close(lfd);
			if (r < 0)
				break;
			continue;
		}
		if (!last) {
			if (!S_ISDIR(st.st_mode)) {
				close(lfd);
				r = -ENOTDIR;
				break;
			}
			r = walk_down(w, lfd, &st, comp, clen);
			if (r < 0)
				break;
			continue;
		}
		/* The last component, not a link to follow: open it for real. */
		if (w->dlen + 1 + clen < sizeof(w->done)) {
			w->done[w->dlen] = '/';
			memcpy(w->done + w->dlen + 1, comp, clen + 1);
		}
		if ((flags & O_PATH) && !(flags & O_DIRECTORY)) {
			r = lfd;	/* already what was asked for */
			break;
		}
		close(lfd);
		if ((flags & O_CREAT) && (flags & O_EXCL)) {
			r = -EEXIST;
			break;
		}
		fd = openat(w->cur, comp, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		r = fd < 0 ? -errno : fd;
		break;	/* ELOOP here: swapped for a link meanwhile; refuse */
	}
	if (w->cur != w->start)
		close(w->cur);
	w->cur = w->start;
	return r;
}

/* A single plain name needs no walk unless it is a link. */
static int plain_name(const char *path)
{
	return !strchr(path, '/') && strcmp(path, ".") && strcmp(path, "..");
}

static int resolve_open(const struct qdh_sysroot *sr, int start, int beneath,
			const char *path, int flags, mode_t mode)
{
	struct walk w;
	int fd;

	if (!sr->walk) {
		fd = sys_openat2(start, path, flags, mode,
				 beneath ? RESOLVE_BENEATH : RESOLVE_IN_ROOT);
		if (fd != -ENOSYS && fd != -EAGAIN)
			return fd;
	}
	if (plain_name(path)) {
		/* The common case of the walk: one attribute below a directory. */
		fd = openat(start, path, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 && !(flags & O_PATH))
			return fd;
		/* A link: ELOOP, or ENOTDIR when a directory was asked for. */
		if (fd < 0 && ((errno != ELOOP && !(errno == ENOTDIR && (flags & O_DIRECTORY))) ||
			       (flags & O_NOFOLLOW)))
			return -errno;
		if (fd >= 0) {
			struct stat st;

			if ((flags & O_NOFOLLOW) || (fstat(fd, &st) == 0 && !S_ISLNK(st.st_mode)))
				return fd;
			close(fd);
		}
	}
	fd = walk_init(&w, start, beneath);
	return fd < 0 ? fd : walk_open(&w, path, flags, mode);
}

static int open_checked(const struct qdh_sysroot *sr, int start, int beneath,
			const char *path, int flags, mode_t mode)
{
	int fd = resolve_open(sr, start, beneath, path, flags, mode), r;

	if (fd < 0 || !is_write(flags))
		return fd;
	r = write_guard(sr, fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* --- Opening the sysroot -------------------------------------------------- */

static int same_inode(int fd, const char *host_path)
{
	struct stat a, b;

	return fd >= 0 && fstat(fd, &a) == 0 && stat(host_path, &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int decide_live(const struct qdh_sysroot *sr)
{
	static const char *const host[] = { "/sys", "/proc" };
	size_t i;
	int live = same_inode(sr->dirfd, "/");

	for (i = 0; !live && i < sizeof(host) / sizeof(host[0]); i++) {
		int fd = resolve_open(sr, sr->dirfd, 0, host[i] + 1,
				      O_PATH | O_DIRECTORY, 0);

		live = same_inode(fd, host[i]);
		if (fd >= 0)
			close(fd);
	}
	return live;
}

int qdh_sysroot_open(struct qdh_sysroot *sr, const char *dir)
{
	const char *mode = getenv("QDH_SYSROOT_RESOLVE");
	int fd;

	if (!dir || !*dir)
		dir = "/";
	if (strlen(dir) >= sizeof(sr->prefix))
		return -ENAMETOOLONG;
	sr->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->dirfd < 0)
		return -errno;
	strcpy(sr->prefix, dir);
	sr->walk = mode && !strcmp(mode, "walk");
	if (!sr->walk) {
		/* ENOSYS before Linux 5.6; EPERM from some seccomp filters. */
		fd = sys_openat2(sr->dirfd, ".", O_PATH, 0, RESOLVE_IN_ROOT);
		if (fd < 0)
			sr->walk = 1;
		else
			close(fd);
	}
	sr->live = decide_live(sr);
	return 0;
}

void qdh_sysroot_close(struct qdh_sysroot *sr)
{
	if (sr->dirfd >= 0)
		close(sr->dirfd);
	sr->dirfd = -1;
}

int qdh_sysroot_is_live(const struct qdh_sysroot *sr)
{
	return sr->live;
}

const char *qdh_sysroot_display(const struct qdh_sysroot *sr, const char *path,
				char *buf, size_t cap)
{
	const char *p = sr->prefix;
	size_t n = strlen(p);

	/* "/" + "/sys/x" should read "/sys/x", not "//sys/x". */
	while (n > 0 && p[n - 1] == '/')
		n--;
	snprintf(buf, cap, "%.*s/%s", (int)n, p, rel(path));
	return buf;
}

/* --- Opening below it ----------------------------------------------------- */

int qdh_sysroot_openat(const struct qdh_sysroot *sr, const char *path, int flags)
{
	return open_checked(sr, sr->dirfd, 0, rel(path), flags, 0);
}

int qdh_sysroot_create(const struct qdh_sysroot *sr, const char *path,
		       int flags, mode_t mode)
{
	return open_checked(sr, sr->dirfd, 0, rel(path), flags | O_CREAT, mode);
}

int qdh_sysroot_open_beneath(const struct qdh_sysroot *sr, int dirfd,
			     const char *path, int flags)
{
	return open_checked(sr, dirfd, 1, *path ? path : ".", flags, 0);
}

/* Split "a/b/c" into the parent's fd (beneath start or in the root) and "c". */
static int open_parent(const struct qdh_sysroot *sr, int start, int beneath,
		       const char *path, char *name, size_t cap)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t plen = slash ? (size_t)(slash - path) : 0;

	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EINVAL;
	if (strlen(base) >= cap || plen >= sizeof(parent))
		return -ENAMETOOLONG;
	strcpy(name, base);
	memcpy(parent, path, plen);
	parent[plen] = '\0';
	return resolve_open(sr, start, beneath, plen ? parent : ".",
			    O_PATH | O_DIRECTORY, 0);
}

static int readlink_in(const struct qdh_sysroot *sr, int start, int beneath,
		       const char *path, char *buf, size_t cap)
{
	char name[NAME_MAX + 1];
	ssize_t n;
	int pfd;

	if (plain_name(path)) {
		n = readlinkat(start, path, buf, cap);
	} else {
		pfd = open_parent(sr, start, beneath, path, name, sizeof(name));
		if (pfd < 0)
			return pfd;
		n = readlinkat(pfd, name, buf, cap);
		if (n < 0) {
			int e = errno;

			close(pfd);
			return -e;
		}
		close(pfd);
	}
	if (n < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

int qdh_sysroot_readlink_beneath(const struct qdh_sysroot *sr, int dirfd,
				 const char *path, char *buf, size_t cap)
{
	return readlink_in(sr, dirfd, 1, path, buf, cap);
}

int qdh_sysroot_readlink(const struct qdh_sysroot *sr, const char *path,
			 char *buf, size_t cap)
{
	return readlink_in(sr, sr->dirfd, 0, rel(path), buf, cap);
}

DIR *qdh_sysroot_opendir(const struct qdh_sysroot *sr, const char *path)
{
	int fd = qdh_sysroot_openat(sr, path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0) {
		errno = -fd;
		return NULL;
	}
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return d;
}

int qdh_sysroot_stat(const struct qdh_sysroot *sr, const char *path,
		     struct stat *st, int flags)
{
	int fd = qdh_sysroot_openat(sr, path, O_PATH |
				    (flags & AT_SYMLINK_NOFOLLOW ? O_NOFOLLOW : 0));
	int r = 0;

	if (fd < 0)
		return fd;
	if (fstat(fd, st))
		r = -errno;
	close(fd);
	return r;
}

int qdh_sysroot_exists(const struct qdh_sysroot *sr, const char *path)
{
	struct stat st;

	return qdh_sysroot_stat(sr, path, &st, 0) == 0;
}

int qdh_sysroot_mkdirs(const struct qdh_sysroot *sr, const char *path, mode_t mode)
{
	char p[PATH_MAX], name[NAME_MAX + 1];
	char *s;
	int pfd, r;

	if (strlen(rel(path)) >= sizeof(p))
		return -ENAMETOOLONG;
	strcpy(p, rel(path));
	for (s = p;; s++) {
		int end;

		s = strchrnul(s, '/');
		end = !*s;
		*s = '\0';
		pfd = open_parent(sr, sr->dirfd, 0, p, name, sizeof(name));
		if (pfd == -EINVAL && !end) {	/* "." or ".." on the way */
			*s = '/';
			continue;
		}
		if (pfd < 0)
			return pfd;
		r = mkdirat(pfd, name, mode) < 0 && errno != EEXIST ? -errno : 0;
		close(pfd);
		if (r < 0)
			return r;
		if (end)
			return 0;
		*s = '/';
	}
}

int qdh_sysroot_replace(const struct qdh_sysroot *sr, const char *path,
			const void *buf, size_t len, mode_t mode)
{
	char name[NAME_MAX + 1];
	int pfd = open_parent(sr, sr->dirfd, 0, rel(path), name, sizeof(name)), r;
	struct statfs sf;
	size_t i;

	if (pfd < 0)
		return pfd;
	/* The temporary file is checked by qdh_replace_at(); the directory
	 * decides where it lands. */
	if (!sr->live) {
		if (fstatfs(pfd, &sf)) {
			close(pfd);
			return -errno;
		}
		for (i = 0; i < sizeof(kernel_fs) / sizeof(kernel_fs[0]); i++) {
			if ((unsigned long)sf.f_type == kernel_fs[i]) {
				close(pfd);
				return -EPERM;
			}
		}
	}
	r = qdh_replace_at(pfd, name, buf, len, mode);
	close(pfd);
	return r;
}

/* --- Reading and writing ------------------------------------------------ */

/* Never block on a FIFO planted in a tree, never take a terminal. */
#define READ_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY)

static int read_fd(int fd, void *buf, size_t cap, size_t *len)
{
	size_t got = 0;

	while (got < cap) {
		ssize_t n = read(fd, (char *)buf + got, cap - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	*len = got;
	return 0;
}

int qdh_sysroot_read_bin(const struct qdh_sysroot *sr, const char *path,
			 void *buf, size_t cap, size_t *len)
{
	int fd = qdh_sysroot_openat(sr, path, READ_FLAGS);
	size_t got = 0;
	int r;

	if (fd < 0)
		return fd;
	r = read_fd(fd, buf, cap, &got);
	close(fd);
	if (len)
		*len = got;
	return r;
}

int qdh_sysroot_read(const struct qdh_sysroot *sr, const char *path,
		     char *buf, size_t cap, size_t *len)
{
	int fd, r;
	size_t got = 0;
	char extra;

	if (cap == 0)
		return -EINVAL;
	fd = qdh_sysroot_openat(sr, path, READ_FLAGS);
	if (fd < 0)
		return fd;
	r = read_fd(fd, buf, cap - 1, &got);
	if (r == 0 && got == cap - 1) {
		size_t more = 0;

		r = read_fd(fd, &extra, 1, &more);
		if (r == 0 && more)
			r = -EFBIG;
	}
	close(fd);
	if (r < 0)
		return r;
	buf[got] = '\0';
	if (memchr(buf, '\0', got))
		return -EILSEQ;	/* binary where text was expected */
	if (len)
		*len = got;
	return 0;
}

int qdh_sysroot_read_str(const struct qdh_sysroot *sr, const char *path,
			 char *buf, size_t cap)
{
	size_t len;
	int r = qdh_sysroot_read(sr, path, buf, cap, &len);

	if (r < 0)
		return r;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
			   buf[len - 1] == '\t' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int qdh_sysroot_read_u64(const struct qdh_sysroot *sr, const char *path,
			 uint64_t *val)
{
	char buf[64], *end;
	const char *p;
	unsigned long long v;
	int r = qdh_sysroot_read_str(sr, path, buf, sizeof(buf));

	if (r < 0)
		return r;
	p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '-' || *p == '\0')
		return -EINVAL;
	errno = 0;
	/* sysfs numbers are decimal or 0x-prefixed hex, never octal. */
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		v = strtoull(p + 2, &end, 16);
	else
		v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == p || *end != '\0' || (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && end == p + 2))
		return -EINVAL;
	*val = v;
	return 0;
}

int qdh_sysroot_read_alloc(const struct qdh_sysroot *sr, const char *path,
			   size_t max, void **out, size_t *len)
{
	int fd = qdh_sysroot_openat(sr, path, READ_FLAGS);
	int r;

	if (fd < 0)
		return fd;
	r = qdh_read_fd_alloc(fd, max, out, len);
	close(fd);
	return r;
}

int qdh_sysroot_link_name(const struct qdh_sysroot *sr, const char *path,
			  char *buf, size_t cap)
{
	char target[PATH_MAX];
	const char *base;
	int r = qdh_sysroot_readlink(sr, path, target, sizeof(target));

	if (r < 0)
		return r;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base)
		return -EINVAL;
	if (strlen(base) >= cap)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

static int write_at(const struct qdh_sysroot *sr, const char *path,
		    const void *buf, size_t len, off_t off, int positioned)
{
	int fd = qdh_sysroot_openat(sr, path, O_WRONLY | O_NOCTTY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = positioned ? pwrite(fd, buf, len, off) : write(fd, buf, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	/* sysfs reports a store's error at close for some attributes. */
	if (close(fd) < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int qdh_sysroot_write(const struct qdh_sysroot *sr, const char *path,
		      const void *buf, size_t len)
{
	return write_at(sr, path, buf, len, 0, 0);
}

int qdh_sysroot_pwrite(const struct qdh_sysroot *sr, const char *path,
		       const void *buf, size_t len, off_t off)
{
	return write_at(sr, path, buf, len, off, 1);
}

/*
 * Resolve symlinks the way the walk does, treating the sysroot as "/":
 * ".." never climbs above it and absolute link targets restart at it.
 */
int qdh_sysroot_resolve(const struct qdh_sysroot *sr, const char *path,
			char *out, size_t cap)
{
	struct walk w;
	int fd = walk_init(&w, sr->dirfd, 0);

	if (fd < 0)
		return fd;
	fd = walk_open(&w, rel(path), O_PATH, 0);
	if (fd < 0)
		return fd;
	close(fd);
	if (!w.done[0]) {
		if (cap < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
		return 0;
	}
	if (strlen(w.done) >= cap)
		return -ENAMETOOLONG;
	strcpy(out, w.done);
	return 0;
}
