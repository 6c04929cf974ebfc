// SPDX-License-Identifier: GPL-2.0-or-later
/* The sysroot layer: every read of the running system goes through here. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/io.h"
#include "qdh/sysroot.h"

/* Longest chain of symlinks resolve() follows, as the kernel's MAXSYMLINKS. */
#define QDH_MAX_SYMLINKS 40

static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

int qdh_sysroot_open(struct qdh_sysroot *sr, const char *dir)
{
	if (!dir || !*dir)
		dir = "/";
	if (strlen(dir) >= sizeof(sr->prefix))
		return -ENAMETOOLONG;
	sr->dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (sr->dirfd < 0)
		return -errno;
	strcpy(sr->prefix, dir);
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
	struct stat a, b;

	if (fstat(sr->dirfd, &a) || stat("/", &b))
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
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

int qdh_sysroot_openat(const struct qdh_sysroot *sr, const char *path, int flags)
{
	int fd = openat(sr->dirfd, rel(path), flags | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int qdh_sysroot_create(const struct qdh_sysroot *sr, const char *path,
		       int flags, mode_t mode)
{
	int fd = openat(sr->dirfd, rel(path), flags | O_CREAT | O_CLOEXEC, mode);

	return fd < 0 ? -errno : fd;
}

DIR *qdh_sysroot_opendir(const struct qdh_sysroot *sr, const char *path)
{
	int fd = openat(sr->dirfd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
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
	return fstatat(sr->dirfd, rel(path), st, flags) ? -errno : 0;
}

int qdh_sysroot_exists(const struct qdh_sysroot *sr, const char *path)
{
	struct stat st;

	return fstatat(sr->dirfd, rel(path), &st, 0) == 0;
}

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
	int fd = qdh_sysroot_openat(sr, path, O_RDONLY);
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
	fd = qdh_sysroot_openat(sr, path, O_RDONLY);
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
	int fd = qdh_sysroot_openat(sr, path, O_RDONLY);
	int r;

	if (fd < 0)
		return fd;
	r = qdh_read_fd_alloc(fd, max, out, len);
	close(fd);
	return r;
}

int qdh_sysroot_readlink(const struct qdh_sysroot *sr, const char *path,
			 char *buf, size_t cap)
{
	ssize_t n = readlinkat(sr->dirfd, rel(path), buf, cap);

	if (n < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
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

int qdh_sysroot_write(const struct qdh_sysroot *sr, const char *path,
		      const void *buf, size_t len)
{
	int fd = qdh_sysroot_openat(sr, path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = write(fd, buf, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (close(fd) < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

int qdh_sysroot_pwrite(const struct qdh_sysroot *sr, const char *path,
		       const void *buf, size_t len, off_t off)
{
	int fd = qdh_sysroot_openat(sr, path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = pwrite(fd, buf, len, off);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/*
 * Resolve symlinks component by component, treating the sysroot as "/":
 * ".." never climbs above it and absolute link targets restart at it.
 */
int qdh_sysroot_resolve(const struct qdh_sysroot *sr, const char *path,
			char *out, size_t cap)
{
	char todo[PATH_MAX * 2], done[PATH_MAX], link[PATH_MAX];
	size_t dlen = 0;
	int links = 0;
	char *p;

	if (strlen(path) >= sizeof(todo))
		return -ENAMETOOLONG;
	strcpy(todo, path);
	done[0] = '\0';
	p = todo;
	while (*p) {
		char comp[NAME_MAX + 1];
		size_t clen;
		struct stat st;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		clen = strcspn(p, "/");
		if (clen > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, clen);
		comp[clen] = '\0';
		p += clen;
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(done, '/');

			dlen = slash ? (size_t)(slash - done) : 0;
			done[dlen] = '\0';
			continue;
		}
		if (dlen + 1 + clen >= sizeof(done))
			return -ENAMETOOLONG;
		done[dlen] = '/';
		memcpy(done + dlen + 1, comp, clen + 1);
		if (fstatat(sr->dirfd, rel(done), &st, AT_SYMLINK_NOFOLLOW) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			char rest[PATH_MAX * 2];
			ssize_t n;

			if (++links > QDH_MAX_SYMLINKS)
				return -ELOOP;
			n = readlinkat(sr->dirfd, rel(done), link, sizeof(link) - 1);
			if (n < 0)
				return -errno;
			link[n] = '\0';
			if (strlen(p) + (size_t)n + 2 >= sizeof(rest))
				return -ENAMETOOLONG;
			memcpy(rest, link, (size_t)n);
			rest[n] = '/';
			strcpy(rest + n + 1, p);
			strcpy(todo, rest);
			p = todo;
			if (link[0] == '/') {
				dlen = 0;
				done[0] = '\0';
			} else {
				done[dlen] = '\0';	/* drop the link itself */
			}
			continue;
		}
		dlen += 1 + clen;
	}
	if (dlen == 0) {
		if (cap < 2)
			return -ENAMETOOLONG;
		strcpy(out, "/");
		return 0;
	}
	if (dlen >= cap)
		return -ENAMETOOLONG;
	memcpy(out, done, dlen + 1);
	return 0;
}
