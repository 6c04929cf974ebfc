// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading attributes relative to a device directory fd, and lexical sysfs
 * path arithmetic.  The fd comes from the sysroot layer, so this is still
 * the one path context; it only saves the per-read walk from the root.
 * Every name is resolved beneath the fd by the sysroot layer, so a link in
 * a hostile tree ("config" -> /etc/shadow) cannot lead out of it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

/* The name relative to dv->fd: "config" or "0000:00:01.0/config". */
static const char *rel(const struct qdh_dev *dv, const char *name, char *buf,
		       size_t cap)
{
	size_t lp = strlen(dv->pre), ln = strlen(name);

	if (!lp)
		return name;
	if (lp + ln + 1 > cap)
		return "";	/* ENOENT */
	memcpy(buf, dv->pre, lp);
	memcpy(buf + lp, name, ln + 1);
	return buf;
}

/*
 * whole: the attribute must fit (-EFBIG otherwise), so a value is never
 * judged from a truncated prefix; without it a prefix is what the caller
 * wants (the config header out of a 4 KiB config space).
 */
static int dev_read(const struct qdh_dev *dv, const char *name, char *buf,
		    size_t cap, size_t *len, int whole)
{
	char path[160];
	size_t got = 0;
	int fd, r = 0;

	if (cap == 0)
		return -EINVAL;
	fd = qdh_sysroot_open_beneath(dv->sr, dv->fd, rel(dv, name, path, sizeof(path)),
				      O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	while (got < cap - 1) {
		ssize_t n = read(fd, buf + got, cap - 1 - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		got += (size_t)n;
		/*
		 * A short read of a regular file is its end: sysfs hands out
		 * an attribute in one read.  Not asking again for the EOF
		 * saves a syscall per attribute (bench/bench-sysroot.sh).
		 */
		if (n == 0 || got < cap - 1)
			break;
	}
	if (r == 0 && whole && got == cap - 1) {
		char extra;
		ssize_t n;

		do
			n = read(fd, &extra, 1);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			r = -EFBIG;
	}
	close(fd);
	if (r < 0)
		return r;
	buf[got] = '\0';
	if (len)
		*len = got;
	return 0;
}

int qdh_dev_read(const struct qdh_dev *dv, const char *name, char *buf,
		 size_t cap, size_t *len)
{
	return dev_read(dv, name, buf, cap, len, 0);
}

int qdh_dev_read_str(const struct qdh_dev *dv, const char *name, char *buf,
		     size_t cap)
{
	size_t len;
	int r = dev_read(dv, name, buf, cap, &len, 1);

	if (r < 0)
		return r;
	if (memchr(buf, '\0', len))
		return -EILSEQ;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' ' ||
			   buf[len - 1] == '\t' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

int qdh_dev_read_num(const struct qdh_dev *dv, const char *name, uint64_t *val)
{
	char buf[32], *end;
	unsigned long long v;
	int r = qdh_dev_read_str(dv, name, buf, sizeof(buf));
	int hex;

	if (r < 0)
		return r;
	hex = buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
	if (!buf[hex ? 2 : 0] || buf[0] == '-' || buf[0] == '+' || buf[0] == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(buf + (hex ? 2 : 0), &end, hex ? 16 : 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end)
		return -EINVAL;
	*val = v;
	return 0;
}

int qdh_dev_readlink(const struct qdh_dev *dv, const char *name, char *buf,
		     size_t cap)
{
	char path[160];

	return qdh_sysroot_readlink_beneath(dv->sr, dv->fd,
					    rel(dv, name, path, sizeof(path)), buf, cap);
}

int qdh_dev_exists(const struct qdh_dev *dv, const char *name)
{
	char path[160];
	int fd = qdh_sysroot_open_beneath(dv->sr, dv->fd, rel(dv, name, path, sizeof(path)),
					  O_PATH);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int qdh_dev_link_name(const struct qdh_dev *dv, const char *name, char *buf,
		      size_t cap)
{
	char target[512];
	const char *base;
	size_t n;
	int r = qdh_dev_readlink(dv, name, target, sizeof(target));

	if (r < 0)
		return r;
	n = strlen(target);
	while (n > 1 && target[n - 1] == '/')
		target[--n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return -EINVAL;
	if (strlen(base) >= cap)
		return -ENAMETOOLONG;
	memcpy(buf, base, strlen(base) + 1);
	return 0;
}

int qdh_path_join(const char *dir, const char *target, char *out, size_t cap)
{
	size_t len = 0;
	const char *p;

	if (cap < 2)
		return -ENAMETOOLONG;
	out[0] = '\0';
	if (target[0] != '/') {
		len = strlen(dir);
		if (len >= cap)
			return -ENAMETOOLONG;
		memcpy(out, dir, len + 1);
		while (len > 0 && out[len - 1] == '/')
			out[--len] = '\0';
	}
	for (p = target; *p;) {
		size_t clen;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		clen = strcspn(p, "/");
		if (clen == 1 && p[0] == '.') {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(out, '/');

			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
		} else {
			if (len + 1 + clen >= cap)
				return -ENAMETOOLONG;
			out[len++] = '/';
			memcpy(out + len, p, clen);
			len += clen;
			out[len] = '\0';
		}
		p += clen;
	}
	if (len == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}
