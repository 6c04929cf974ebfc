// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh_apply_run(), apply's library entry point, with no command code
 * (this program links libqdhuser.a, never libqdhcmd.a):
 * 1. it prints nothing: stdout and stderr stay empty while it runs, and
 *    its diagnostics reach the qdh_log it was given;
 * 2. a tree without devices or handover is a clean run: outcome
 *    "degraded" (no valid handover, fail-safe applied), the report file
 *    holds the bytes qdh_apply_print_json() prints, and the report says
 *    the same outcome as its exit_code;
 * 3. enforcing on the live root of a system that is not a crash kernel is
 *    refused by the library itself, before anything is read.  Every
 *    source is ignored and the fail-safe is observe, so even a broken
 *    refusal could touch nothing.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qdh/apply.h"
#include "qdh/io.h"
#include "tap.h"

static char dir[64];
static int nlog;
static char lastlog[256];

static void sink(void *ud, int level, const char *msg)
{
	(void)ud;
	(void)level;
	nlog++;
	snprintf(lastlog, sizeof(lastlog), "%s", msg);
}

static void path(char *buf, size_t cap, const char *rel)
{
	snprintf(buf, cap, "%s/%s", dir, rel);
}

static void mkdirs(const char *rel)
{
	char p[256], *s;

	path(p, sizeof(p), rel);
	for (s = p + strlen(dir) + 1; (s = strchr(s, '/')); *s++ = '/') {
		*s = '\0';
		mkdir(p, 0755);
	}
	mkdir(p, 0755);
}

static long file_size(const char *rel)
{
	char p[256];
	struct stat st;

	path(p, sizeof(p), rel);
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

/* Run with fds 1 and 2 going to files under dir, restored after. */
static int quiet_run(const struct qdh_sysroot *sr, const struct qdh_apply_opts *o,
		     struct qdh_apply **a, enum qdh_apply_fault *fault)
{
	char out[256], err[256];
	int s1, s2, f1, f2, r;

	path(out, sizeof(out), "stdout");
	path(err, sizeof(err), "stderr");
	fflush(stdout);
	fflush(stderr);
	s1 = dup(1);
	s2 = dup(2);
	f1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	f2 = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (s1 < 0 || s2 < 0 || f1 < 0 || f2 < 0 || dup2(f1, 1) < 0 || dup2(f2, 2) < 0)
		exit(99);
	r = qdh_apply_run(sr, o, a, fault);
	fflush(stdout);
	fflush(stderr);
	dup2(s1, 1);
	dup2(s2, 2);
	close(s1);
	close(s2);
	close(f1);
	close(f2);
	return r;
}

static void test_clean_run(void)
{
	struct qdh_log log = { sink, NULL, QDH_LOG_DEBUG };
	struct qdh_apply_opts o = { 0 };
	struct qdh_sysroot sr;
	struct qdh_apply *a = NULL;
	enum qdh_apply_fault fault;
	char root[256], kmsg[256], report[256], *printed = NULL, *filed = NULL;
	size_t nprinted = 0, nfiled = 0;
	struct json_object *rep;
	FILE *f;
	int r;

	mkdirs("root/sys/bus/pci/devices");
	path(root, sizeof(root), "root");
	path(kmsg, sizeof(kmsg), "kmsg.txt");
	path(report, sizeof(report), "report.json");
	f = fopen(kmsg, "w");
	if (!f || fclose(f) || qdh_sysroot_open(&sr, root) < 0)
		exit(99);
	o.kmsg_in = kmsg;
	o.dry_run = 1;
	o.report = report;		/* named: written in a dry run too */
	o.dump_targets[o.ndump_targets++] = "nvme0";
	o.log = &log;
	nlog = 0;
	r = quiet_run(&sr, &o, &a, &fault);
	tap_ok(r == 0 && a && fault == QDH_APPLY_FAULT_NONE,
	       "no devices, no handover: a clean run (r=%d, fault %d)", r, (int)fault);
	tap_ok(file_size("stdout") == 0 && file_size("stderr") == 0,
	       "it printed nothing (stdout %ld, stderr %ld bytes)",
	       file_size("stdout"), file_size("stderr"));
	tap_ok(nlog == 1 && strstr(lastlog, "dump target 'nvme0' not found"),
	       "its warning went to the log it was given (%d: %s)", nlog, lastlog);
	if (!a) {
		qdh_sysroot_close(&sr);
		return;
	}
	tap_is_int(qdh_apply_outcome(a), QDH_APPLY_DEGRADED, "outcome: degraded (fail-safe applied)");
	tap_is_int(qdh_apply_devices(a)->n, 0, "no device in the report");
	f = open_memstream(&printed, &nprinted);
	if (!f)
		exit(99);
	r = qdh_apply_print_json(a, f);
	fclose(f);
	r = r == 0 ? qdh_read_input(report, 1 << 20, (void **)&filed, &nfiled, NULL) : r;
	tap_ok(r == 0 && filed && nprinted == nfiled && !memcmp(printed, filed, nfiled),
	       "the report file holds what qdh_apply_print_json() prints (%zu, %zu bytes)",
	       nprinted, nfiled);
	rep = json_tokener_parse(printed ? printed : "");
	tap_ok(rep && json_object_get_int(json_object_object_get(rep, "exit_code")) ==
		      QDH_APPLY_DEGRADED &&
	       json_object_get_boolean(json_object_object_get(rep, "fail_safe_applied")),
	       "the report records the outcome and the fail-safe");
	json_object_put(rep);
	free(printed);
	free(filed);
	qdh_apply_free(a);
	qdh_sysroot_close(&sr);
}

static void test_live_refused(void)
{
	struct qdh_apply_opts o = { 0 };
	struct qdh_sysroot sr;
	struct qdh_apply *a = (struct qdh_apply *)&o;	/* must come back NULL */
	enum qdh_apply_fault fault = QDH_APPLY_FAULT_NONE;
	int i, r;

	if (access("/proc/vmcore", F_OK) == 0 || qdh_sysroot_open(&sr, "/") < 0 ||
	    !qdh_sysroot_is_live(&sr)) {
		tap_ok(1, "# SKIP a crash kernel, or / is not live");
		return;
	}
	for (i = 0; i < QDH_NSRC; i++)
		o.ho.skip[i] = 1;
	o.fail_safe = QDH_FAILSAFE_OBSERVE;
	o.no_report = 1;
	o.no_kmsg_log = 1;
	r = quiet_run(&sr, &o, &a, &fault);
	tap_ok(r == -EPERM && fault == QDH_APPLY_FAULT_NOT_CRASH && !a,
	       "enforcing on a live system that is not a crash kernel is refused (r=%d, fault %d)",
	       r, (int)fault);
	qdh_sysroot_close(&sr);
}

int main(void)
{
	char cmd[128];

	snprintf(dir, sizeof(dir), "/tmp/qdh-apply-run.XXXXXX");
	if (!mkdtemp(dir))
		return 99;
	test_clean_run();
	test_live_refused();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 99;
	return tap_done();
}
