// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What kexec-qdh does not do itself goes to kexec-tools with the same argv
 * (minus our own options, which kexec-tools would reject).  For a load with
 * --qdh on, the blob still travels: appended to the initrd in a temporary
 * copy that replaces --initrd; no QDH purgatory runs (QDH_F_NO_PURGATORY).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qdh/io.h"
#include "qdh/loader.h"
#include "uapi/qdh.h"

static const char *tools_path(void)
{
	const char *env = getenv("QDH_KEXEC_TOOLS");

	return env && *env ? env : KEXEC_TOOLS_PATH;
}

static int is_initrd_opt(const char *a, int *takes_next)
{
	static const char *const names[] = { "--initrd", "--ramdisk" };
	size_t i;

	*takes_next = 0;
	for (i = 0; i < 2; i++) {
		size_t n = strlen(names[i]);

		if (strncmp(a, names[i], n))
			continue;
		if (a[n] == '=')
			return 1;
		if (a[n] == '\0') {
			*takes_next = 1;
			return 1;
		}
	}
	return 0;
}

/* A private temporary file holding initrd + appendix. */
static int write_temp_initrd(struct qdh_ld_ctx *c, char *path, size_t cap)
{
	const char *dir = getenv("TMPDIR");
	uint8_t *blob = NULL, *data = NULL;
	size_t blob_len = 0, len = 0;
	uint32_t flags, pflags;
	int fd, r;

	/* kexec-tools loads its own purgatory, not ours. */
	r = qdh_ld_make_blob(c, 0, &blob, &blob_len, &flags, &pflags);
	if (r < 0)
		return r;
	if (!blob)
		return 0;	/* --qdh=on and the scan failed: warned */
	r = qdh_ld_initrd_with_blob(c, blob, blob_len, &data, &len);
	free(blob);
	if (r < 0)
		return r;
	if ((size_t)snprintf(path, cap, "%s/kexec-qdh-initrd.XXXXXX",
			     dir && *dir ? dir : "/tmp") >= cap) {
		free(data);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(path);
	if (fd < 0) {
		r = -errno;
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", path, strerror(-r));
		free(data);
		path[0] = '\0';
		return r;
	}
	r = qdh_write_all(fd, data, len);
	free(data);
	close(fd);
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", path, strerror(-r));
		unlink(path);
		path[0] = '\0';
	}
	return r;
}

int qdh_ld_handoff(struct qdh_ld_ctx *c)
{
	const struct qdh_ld_opts *o = c->o;
	const char *tools = tools_path();
	char tmp[4096] = "", initrd_arg[4200];
	char **argv;
	int i, n = 0, skip, status, r;
	pid_t pid;

	qdh_logf(&c->log, QDH_LOG_DEBUG, "handing over to %s (%s)", tools,
		 o->handoff_reason ? o->handoff_reason : "kernel type");
	if (o->do_load && o->kernel && o->qdh != QDH_MODE_OFF) {
		r = write_temp_initrd(c, tmp, sizeof(tmp));
		if (r < 0)
			return c->die ? QDH_LD_EXIT_USAGE : QDH_LD_EXIT_FAIL;
		snprintf(initrd_arg, sizeof(initrd_arg), "--initrd=%s", tmp);
	}
	argv = calloc((size_t)o->argc + 2, sizeof(*argv));
	if (!argv)
		return QDH_LD_EXIT_FAIL;
	argv[n++] = (char *)tools;
	for (i = 1; i < o->argc; i++) {
		const char *a = o->argv[i];

		if (!strcmp(a, "--"))
			break;
		if (qdh_ld_is_qdh_option(a, &skip)) {
			i += skip;
			continue;
		}
		if (tmp[0] && is_initrd_opt(a, &skip)) {
			i += skip;
			continue;
		}
		argv[n++] = (char *)a;
	}
	if (tmp[0])
		argv[n++] = initrd_arg;
	for (; i < o->argc; i++)
		argv[n++] = o->argv[i];
	argv[n] = NULL;
	fflush(NULL);
	if (!tmp[0]) {
		/* Nothing to clean up afterwards: become kexec-tools. */
		execv(tools, argv);
		qdh_logf(&c->log, QDH_LOG_ERR, "cannot run kexec-tools at %s: %s "
			 "(set QDH_KEXEC_TOOLS or install kexec-tools)", tools,
			 strerror(errno));
		free(argv);
		return QDH_LD_EXIT_FAIL;
	}
	pid = fork();
	if (pid == 0) {
		execv(tools, argv);
		fprintf(stderr, "kexec-qdh: cannot run kexec-tools at %s: %s "
			"(set QDH_KEXEC_TOOLS or install kexec-tools)\n", tools,
			strerror(errno));
		_exit(QDH_LD_EXIT_FAIL);
	}
	free(argv);
	if (pid < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "fork: %s", strerror(errno));
		unlink(tmp);
		return QDH_LD_EXIT_FAIL;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	unlink(tmp);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
