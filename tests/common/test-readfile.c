// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one whole-file reader (qdh_read_fd_alloc, kexec/common/io.c) and its
 * callers: limits exact to the byte, regular files and pipes alike, the
 * NUL after the data, and the same answer through the sysroot layer, the
 * loader and the policy loader.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qdh/io.h"
#include "qdh/loader.h"
#include "qdh/sysroot.h"
#include "tap.h"

static char dir[] = "/tmp/qdh-readfile-XXXXXX";

static void put(const char *name, size_t n)
{
	char path[256];
	char *b = malloc(n ? n : 1);
	int fd;

	memset(b, 'x', n);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, b, n) != (ssize_t)n || close(fd))
		abort();
	free(b);
}

static int read_path(const char *name, size_t max, size_t *len, char **out)
{
	char path[256];
	void *buf = NULL;
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	r = qdh_read_fd_alloc(fd, max, &buf, len);
	close(fd);
	if (out)
		*out = buf;
	else
		free(buf);
	return r;
}

static void test_limits(void)
{
	size_t len = 0;
	char *b = NULL;

	put("empty", 0);
	put("max", 10000);
	tap_ok(read_path("empty", 100, &len, &b) == 0 && len == 0 && b && !b[0],
	       "an empty file: 0 bytes, NUL-terminated");
	free(b);
	tap_ok(read_path("max", 10000, &len, &b) == 0 && len == 10000 && b[10000] == '\0',
	       "exactly max bytes: read whole, NUL after them");
	free(b);
	tap_ok(read_path("max", 9999, &len, NULL) == -EFBIG, "max + 1 bytes: -EFBIG");
	tap_ok(read_path("max", 0, &len, NULL) == -EFBIG, "max 0: any byte is too many");
}

/* A pipe has no size to trust: the buffer grows, the limit holds. */
static void test_pipe(void)
{
	int p[2];
	void *buf = NULL;
	size_t len = 0, i;
	char chunk[4096];
	int r;

	memset(chunk, 'p', sizeof(chunk));
	if (pipe(p))
		abort();
	for (i = 0; i < 10; i++)	/* 40 KiB: within the pipe's buffer */
		if (write(p[1], chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			abort();
	close(p[1]);
	r = qdh_read_fd_alloc(p[0], 1u << 20, &buf, &len);
	tap_ok(r == 0 && len == 40960 && ((char *)buf)[40960] == '\0',
	       "a pipe: read to its end (%zu bytes)", len);
	free(buf);
	close(p[0]);
	if (pipe(p))
		abort();
	for (i = 0; i < 10; i++)
		if (write(p[1], chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk))
			abort();
	close(p[1]);
	tap_ok(qdh_read_fd_alloc(p[0], 40959, &buf, &len) == -EFBIG,
	       "a pipe one byte over the limit: -EFBIG");
	close(p[0]);
}

/* The callers give the reader's answers, not their own. */
static void test_callers(void)
{
	struct qdh_sysroot sr;
	void *buf = NULL;
	size_t len = 0;

	if (!tap_ok(qdh_sysroot_open(&sr, dir) == 0, "sysroot on the test directory"))
		return;
	tap_ok(qdh_sysroot_read_alloc(&sr, "/max", 10000, &buf, &len) == 0 && len == 10000 &&
	       ((char *)buf)[len] == '\0', "sysroot: exactly max bytes, NUL-terminated");
	free(buf);
	tap_ok(qdh_sysroot_read_alloc(&sr, "/max", 9999, &buf, &len) == -EFBIG,
	       "sysroot: one byte over: -EFBIG");
	qdh_sysroot_close(&sr);
	{
		char path[256];

		snprintf(path, sizeof(path), "%s/max", dir);
		tap_ok(qdh_read_input(path, 10000, &buf, &len, NULL) == 0 && len == 10000,
		       "input files (the loader's, qdh apply --blob): exactly max bytes");
		free(buf);
		tap_ok(qdh_read_input(path, 9999, &buf, &len, NULL) == -EFBIG,
		       "input files: one byte over: -EFBIG");
		tap_ok(qdh_read_input(dir, 10, &buf, &len, NULL) == -EINVAL,
		       "input files: a directory is refused");
	}
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir))
		return 99;
	test_limits();
	test_pipe();
	test_callers();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		return 99;
	return tap_done();
}
