/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Replays inputs through a fuzz target without libFuzzer, so the seed
 * corpus and every regression input run in each `make check` (plain, ASan,
 * valgrind).  Arguments are files or directories (one level, sorted by
 * readdir order, dot files skipped).  Prints one line per argument; exits 0
 * when every input returned, 1 on a usage or I/O problem, and a sanitizer
 * or abort() ends the process on its own.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Larger than any seed; libFuzzer's default -max_len is far below this. */
#define REPLAY_MAX	(16u << 20)

static int run_file(int dirfd, const char *name, const char *shown)
{
	struct stat st;
	uint8_t *buf;
	ssize_t got;
	size_t len = 0;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", shown, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > REPLAY_MAX) {
		close(fd);
		fprintf(stderr, "replay: %s: not a regular file under %u bytes\n",
			shown, REPLAY_MAX);
		return -1;
	}
	/* An exact-size heap copy, so ASan sees a read one byte past the end. */
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (buf == NULL) {
		close(fd);
		return -1;
	}
	while (len < (size_t)st.st_size) {
		got = read(fd, buf + len, (size_t)st.st_size - len);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (len != (size_t)st.st_size) {
		fprintf(stderr, "replay: %s: short read\n", shown);
		free(buf);
		return -1;
	}
	fprintf(stderr, "replay: %s (%zu bytes)\n", shown, len);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

static int run_dir(const char *path, unsigned *n)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char shown[4096];
	int rc = 0;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(shown, sizeof(shown), "%s/%s", path, e->d_name);
		if (run_file(dirfd(d), e->d_name, shown) != 0)
			rc = -1;
		else
			(*n)++;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	struct stat st;
	unsigned n;
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		n = 0;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &n) != 0)
				rc = 1;
		} else if (run_file(AT_FDCWD, argv[i], argv[i]) == 0) {
			n = 1;
		} else {
			rc = 1;
		}
		printf("%s: %u inputs\n", argv[i], n);
	}
	return rc;
}
