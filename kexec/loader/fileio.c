// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Files the user names (kernel, initrd, dtb, purgatory, policy), read before
 * the lock; the one decompressor (Image.gz); files --dry-run writes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "qdh/inventory.h"
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

static const char *const input_what[QDH_LD_NINPUTS] = {
	[QDH_LD_IN_KERNEL] = "kernel", [QDH_LD_IN_INITRD] = "initrd",
	[QDH_LD_IN_DTB] = "device tree", [QDH_LD_IN_PURGATORY] = "QDH_PURGATORY_ELF",
};

int qdh_ld_read_inputs(struct qdh_ld_ctx *c)
{
	static const size_t max[QDH_LD_NINPUTS] = {
		[QDH_LD_IN_KERNEL] = QDH_LD_KERNEL_MAX,
		[QDH_LD_IN_INITRD] = QDH_LD_INITRD_MAX,
		[QDH_LD_IN_DTB] = QDH_LD_DTB_MAX,
		[QDH_LD_IN_PURGATORY] = QDH_LD_PURGATORY_MAX,
	};
	static const char *const too_big[QDH_LD_NINPUTS] = {
		[QDH_LD_IN_KERNEL] = "larger than 512 MiB",
		[QDH_LD_IN_INITRD] = "larger than 2 GiB",
		[QDH_LD_IN_DTB] = "larger than the 2 MiB arm64 limit",
		[QDH_LD_IN_PURGATORY] = "larger than 4 MiB",
	};
	const char *path[QDH_LD_NINPUTS] = {
		c->o->kernel, c->o->initrd, c->o->dtb, getenv("QDH_PURGATORY_ELF"),
	};
	int i, r;

	for (i = 0; i < QDH_LD_NINPUTS; i++) {
		struct stat st;
		void *buf;

		if (!path[i] || !*path[i])
			continue;
		r = qdh_read_input(path[i], max[i], &buf, &c->in[i].len, &st);
		if (r < 0) {
			qdh_logf(&c->log, QDH_LOG_ERR, "%s %s: %s", input_what[i], path[i],
				 r == -EFBIG ? too_big[i] : qdh_input_strerror(r, &st));
			return r;
		}
		c->in[i].path = path[i];
		c->in[i].buf = buf;
		c->in[i].mode = st.st_mode & 07777;
	}
	/* The policy is the scanner's; --qdh=off never reads it. */
	if (c->o->policy && c->o->qdh != QDH_MODE_OFF) {
		r = qdh_policy_load(c->o->policy, &c->policy, c->policy_msg,
				    sizeof(c->policy_msg));
		if (r < 0)
			c->policy_err = r;	/* reported where the scan would fail */
	}
	return 0;
}

void qdh_ld_free_inputs(struct qdh_ld_ctx *c)
{
	int i;

	for (i = 0; i < QDH_LD_NINPUTS; i++) {
		free(c->in[i].buf);
		c->in[i].buf = NULL;
		c->in[i].path = NULL;
	}
	qdh_policy_free(c->policy);
	c->policy = NULL;
}

int qdh_ld_read_file(struct qdh_ld_ctx *c, const char *path, size_t max,
		     uint8_t **buf, size_t *len)
{
	struct stat st;
	void *b;
	int i, r;

	for (i = 0; i < QDH_LD_NINPUTS; i++) {
		if (!c->in[i].path || strcmp(c->in[i].path, path))
			continue;
		if (c->in[i].len > max)
			return -EFBIG;
		/* A copy: the image build owns and frees what it gets, and
		 * -a may build twice (kexec_file_load, then kexec_load). */
		b = malloc(c->in[i].len ? c->in[i].len : 1);
		if (!b)
			return -ENOMEM;
		memcpy(b, c->in[i].buf, c->in[i].len);
		*buf = b;
		*len = c->in[i].len;
		return 0;
	}
	if (c->lock_fd >= 0)
		return -EDEADLK;	/* a file qdh_ld_read_inputs() missed */
	r = qdh_read_input(path, max, &b, len, &st);
	if (r < 0)
		return r;
	*buf = b;
	return 0;
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

size_t qdh_ld_gunzip_head(const uint8_t *in, size_t inlen, uint8_t *head, size_t n)
{
	z_stream z;
	size_t got;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 47) != Z_OK)
		return 0;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)(inlen > UINT32_MAX ? UINT32_MAX : inlen);
	z.next_out = head;
	z.avail_out = (uInt)n;
	while (z.avail_out) {
		int r = inflate(&z, Z_NO_FLUSH);

		if (r != Z_OK)
			break;
	}
	got = n - z.avail_out;
	inflateEnd(&z);
	return got;
}

int qdh_ld_write_file(int dirfd, const char *name, const void *buf, size_t len,
		      mode_t mode)
{
	/* New files only, never through a link: the directory was checked
	 * empty, so anything already there was planted meanwhile. */
	int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, mode & 0777);
	int r;

	if (fd < 0)
		return -errno;
	/* The mode exactly, whatever the umask: a 0600 initrd stays 0600. */
	r = fchmod(fd, mode & 0777) ? -errno : 0;
	if (!r)
		r = qdh_write_all(fd, buf, len);
	if (close(fd) && !r)
		r = -errno;
	return r;
}

int qdh_ld_open_outdir(const char *dir, char *why, size_t cap)
{
	struct stat st;
	struct dirent *ent;
	DIR *d;
	int fd, made = 0, dup_fd;

	why[0] = '\0';
	if (mkdir(dir, 0755) == 0)
		made = 1;
	else if (errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ELOOP || e == ENOTDIR) {
			snprintf(why, cap, "not a directory (or a symbolic link to one): "
				 "give a new or an empty directory");
			return -ENOTDIR;
		}
		return -e;
	}
	if (made)
		return fd;
	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, cap, "exists and is owned by uid %u, not by us (uid %u)",
			 (unsigned)st.st_uid, (unsigned)geteuid());
		close(fd);
		return -EPERM;
	}
	if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid())) {
		snprintf(why, cap, "exists and others can write to it (mode %04o)",
			 (unsigned)(st.st_mode & 07777));
		close(fd);
		return -EPERM;
	}
	dup_fd = dup(fd);
	d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
	if (!d) {
		int e = errno;

		if (dup_fd >= 0)
			close(dup_fd);
		close(fd);
		return -e;
	}
	while ((ent = readdir(d)))
		if (strcmp(ent->d_name, ".") && strcmp(ent->d_name, ".."))
			break;
	if (ent) {
		snprintf(why, cap, "exists and is not empty (it holds '%.64s'): give a "
			 "new or an empty directory", ent->d_name);
		closedir(d);
		close(fd);
		return -ENOTEMPTY;
	}
	closedir(d);
	return fd;
}
