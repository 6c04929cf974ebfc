// SPDX-License-Identifier: GPL-2.0-or-later
/* Files the user names (kernel, initrd, dtb) and gzip, for the loader. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "qdh/io.h"
#include "qdh/loader.h"

double qdh_ld_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *qdh_ld_host_arch(void)
{
	static struct utsname u;
	const char *env = getenv("QDH_TEST_ARCH");

	if (env && *env)
		return env;
	if (uname(&u))
		return "unknown";
	return u.machine;
}

int qdh_ld_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *b;
	int r;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno ? errno : EINVAL;

		close(fd);
		return -e;
	}
	r = qdh_read_fd_alloc(fd, max, &b, len);
	close(fd);
	if (r == 0)
		*buf = b;
	return r;
}

int qdh_ld_is_gzip(const uint8_t *buf, size_t len)
{
	return len >= 3 && buf[0] == 0x1f && buf[1] == 0x8b && buf[2] == 8;
}

int qdh_ld_gunzip(const uint8_t *in, size_t inlen, size_t max, uint8_t **out,
		  size_t *outlen, size_t *err_off)
{
	z_stream z;
	size_t cap = inlen * 4 + 65536;
	uint8_t *b;
	int r;

	*err_off = 0;
	if (cap > max)
		cap = max;
	b = malloc(cap);
	if (!b)
		return -ENOMEM;
	memset(&z, 0, sizeof(z));
	/* 47: zlib or gzip header, largest window. */
	if (inflateInit2(&z, 47) != Z_OK) {
		free(b);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)inlen;
	for (;;) {
		if (z.total_out == cap) {
			uint8_t *nb;

			if (cap >= max) {
				r = -EFBIG;
				break;
			}
			cap = cap * 2 > max ? max : cap * 2;
			nb = realloc(b, cap);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			b = nb;
		}
		z.next_out = b + z.total_out;
		z.avail_out = (uInt)(cap - z.total_out);
		r = inflate(&z, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			r = 0;
			break;
		}
		if (r == Z_OK)
			continue;
		if (r == Z_BUF_ERROR && z.avail_out == 0)
			continue;
		/* Z_BUF_ERROR with output room: the input ended early. */
		r = r == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
		break;
	}
	*err_off = z.total_in;
	*outlen = z.total_out;
	inflateEnd(&z);
	if (r < 0) {
		free(b);
		return r;
	}
	*out = b;
	return 0;
}

int qdh_ld_write_file(int dirfd, const char *name, const void *buf, size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r;

	if (fd < 0)
		return -errno;
	r = qdh_write_all(fd, buf, len);
	if (close(fd) && !r)
		r = -errno;
	return r;
}
