// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qdh/io.h"

int qdh_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * The one whole-file reader.  A regular file is sized by fstat() first, so
 * it costs one allocation; anything else (pipes, sysfs and procfs files,
 * whose size says nothing) grows the buffer geometrically.  One byte past
 * max is read to tell "exactly max" from "larger".
 */
int qdh_read_fd_alloc(int fd, size_t max, void **out, size_t *len)
{
	struct stat st;
	size_t cap = 4096, got = 0;
	char *buf = NULL;

	if (max > (size_t)-2)
		max = (size_t)-2;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uint64_t)st.st_size > max)
			return -EFBIG;
		cap = (size_t)st.st_size + 1;	/* +1: see the end, and the NUL */
	}
	for (;;) {
		ssize_t n;

		if (!buf || got == cap - 1) {
			char *nb;

			if (buf)
				cap = cap > (max + 2) / 2 ? max + 2 : cap * 2;
			if (cap > max + 2)
				cap = max + 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

int qdh_replace_at(int dirfd, const char *name, const void *buf, size_t len,
		   mode_t mode)
{
	struct timespec ts;
	char tmp[300];
	int fd = -1, i, r;

	if (strlen(name) > 200)
		return -ENAMETOOLONG;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (i = 0; i < 100 && fd < 0; i++) {
		snprintf(tmp, sizeof(tmp), ".%s.%ld.%lx.tmp", name, (long)getpid(),
			 (unsigned long)(ts.tv_nsec + i * 7919));
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, mode & 07777);
		if (fd < 0 && errno != EEXIST)
			return -errno;
	}
	if (fd < 0)
		return -EEXIST;
	/* The mode exactly, whatever the umask. */
	r = fchmod(fd, mode & 07777) ? -errno : 0;
	if (!r)
		r = qdh_write_all(fd, buf, len);
	if (close(fd) && !r)
		r = -errno;
	if (!r && renameat(dirfd, tmp, dirfd, name))
		r = -errno;
	if (r)
		unlinkat(dirfd, tmp, 0);
	return r;
}

int qdh_open_input(const char *path, struct stat *st)
{
	struct stat a, b;
	int fd;

	if (!st)
		st = &a;
	if (stat(path, st))
		return -errno;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &b) || !S_ISREG(b.st_mode) || b.st_dev != st->st_dev ||
	    b.st_ino != st->st_ino) {
		/* Replaced between the two looks: judge what was opened. */
		*st = b;
		close(fd);
		return -EINVAL;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int qdh_read_input(const char *path, size_t max, void **out, size_t *len,
		   struct stat *st)
{
	struct stat s;
	int fd = qdh_open_input(path, st ? st : &s), r;

	if (fd < 0)
		return fd;
	r = qdh_read_fd_alloc(fd, max, out, len);
	close(fd);
	return r;
}

const char *qdh_input_strerror(int err, const struct stat *st)
{
	if (err != -EINVAL || !st)
		return strerror(-err);
	switch (st->st_mode & S_IFMT) {
	case S_IFIFO:	return "a FIFO, not a regular file";
	case S_IFDIR:	return "a directory, not a regular file";
	case S_IFCHR:	return "a character device, not a regular file";
	case S_IFBLK:	return "a block device, not a regular file";
	case S_IFSOCK:	return "a socket, not a regular file";
	case S_IFREG:	return "replaced while it was opened";
	}
	return "not a regular file";
}
