// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dump targets found, never guessed away (doc/verdicts.md, "Dump targets").
 * A crash load that names no dump target gets them from what the crash
 * kernel will do: mount root= of its command line, and save the dump where
 * the kdump service says (kdump-tools, kdump-utils).  Each need is
 * resolved to devices and marked through the block stack or the route to
 * the server.  If nothing, or not everything, can be determined, the blob
 * says so (QDH_F_NO_DUMP_TARGET) and every storage and network controller
 * is marked: keeping too many devices costs protection, dropping the
 * dump's disk costs the dump.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qdh/codec.h"
#include "qdh/output.h"
#include "scan.h"

#define CONFIG_MAX	(1u << 20)	/* a service's config file */

int qdh_dump_fail(char *why, size_t cap, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return err;
}

void qdh_dump_unoctal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int qdh_dump_read_text(const struct qdh_sysroot *sr, const char *path,
		       size_t max, char **out, size_t *outlen)
{
	char res[1024];
	struct stat st;
	size_t len = 0, cap = 4096;
	char *buf = NULL;
	int fd, r;

	*out = NULL;
	*outlen = 0;
	/* Symlinks resolved inside the sysroot, then no link followed: a
	 * config file cannot lead out of the tree it was read from. */
	r = qdh_sysroot_resolve(sr, path, res, sizeof(res));
	if (r < 0)
		return r;
	fd = qdh_sysroot_openat(sr, res, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;	/* a FIFO, a device, a directory */
	}
	for (;;) {
		ssize_t n;

		if (!buf || len == cap) {
			char *nb;

			if (buf)
				cap *= 2;
			if (cap > max + 1)
				cap = max + 1;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		if (n == 0) {
			r = 0;
			break;
		}
		len += (size_t)n;
		if (len > max) {
			r = -EFBIG;
			break;
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	if (memchr(buf, '\0', len)) {
		free(buf);
		return -EILSEQ;	/* binary, not a text file */
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

static const char *errtext(int r)
{
	switch (r) {
	case -EINVAL: return "not a regular file";
	case -EFBIG: return "too large";
	case -EILSEQ: return "binary (a NUL byte)";
	}
	return strerror(-r);
}

/* "tried" summary for the one warning line. */
struct tried {
	char s[700];
	size_t n;
};

static void tried_add(struct tried *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tried_add(struct tried *t, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (t->n >= sizeof(t->s) - 1)
		return;
	if (t->n)
		t->n += (size_t)snprintf(t->s + t->n, sizeof(t->s) - t->n, "; ");
	if (t->n >= sizeof(t->s) - 1)
		return;
	va_start(ap, fmt);
	w = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		t->n += (size_t)w;
	if (t->n >= sizeof(t->s))
		t->n = sizeof(t->s) - 1;
}

typedef int (*conf_parser)(struct qdh_dump_needs *, const char *, const char *, size_t);

/* One service file: absent is fine; unreadable or hostile is a need we
 * cannot evaluate. Returns 1 if the file was there, 0 if not, -ENOMEM. */
static int read_source(const struct qdh_sysroot *sr, const char *path,
		       conf_parser parse, struct qdh_dump_needs *ns,
		       struct tried *t)
{
	char *text;
	size_t len;
	int r = qdh_dump_read_text(sr, path, CONFIG_MAX, &text, &len);

	if (r == -ENOENT) {
		tried_add(t, "%s: absent", path);
		return 0;
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		struct qdh_dump_need *n = qdh_dump_need_add(ns, QDH_NEED_UNKNOWN, path,
							    "", 0);

		if (!n)
			return -ENOMEM;
		snprintf(n->error, sizeof(n->error), "cannot read it: %s", errtext(r));
		return 1;
	}
	r = parse(ns, path, text, len);
	free(text);
	return r < 0 ? r : 1;
}

static void leaves_text(const struct qdh_dump_marker *m, char *out, size_t cap)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < m->nleaves && o < cap; i++) {
		const struct qdh_inv_device *d = &m->inv->devices[m->leaves[i]];
		size_t j;

		for (j = 0; j < i; j++)
			if (m->leaves[j] == m->leaves[i])
				break;
		if (j < i)
			continue;
		o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "," : "", d->name);
	}
}

static int mark_host(struct qdh_dump_marker *m, struct qdh_dump_need *n,
		     const char *host)
{
	char ifs[QDH_DUMP_MAX_ADDRS][64];
	size_t nifs, i;
	int r = qdh_dump_host_ifaces(m->sr, host, ifs, &nifs, n->error,
				     sizeof(n->error));

	if (r < 0)
		return r;
	for (i = 0; i < nifs; i++)
		if (!qdh_dump_mark_iface(m, ifs[i])) {
			snprintf(n->error, sizeof(n->error), "%.100s: interface %.63s (the route "
				 "to it) is on no device of the inventory", host, ifs[i]);
			return -ENODEV;
		}
	return 0;
}

static int mark_blockdir(struct qdh_dump_marker *m, struct qdh_dump_need *n,
			 const char *dir)
{
	if (qdh_dump_mark_block(m, dir))
		return 0;
	snprintf(n->error, sizeof(n->error), "%.160s is on no device of the inventory "
		 "(a virtual or network block device)", dir);
	return -ENODEV;
}

static int resolve_need(struct qdh_dump_marker *m, struct qdh_dump_need *n)
{
	char dir[512], host[256], **extra = NULL;
	int r;
	size_t i;

	switch (n->kind) {
	case QDH_NEED_BLOCK:
		r = qdh_dump_spec_resolve(m->sr, n->value, dir, sizeof(dir), n->error,
					  sizeof(n->error));
		return r < 0 ? r : mark_blockdir(m, n, dir);
	case QDH_NEED_HOST:
		return mark_host(m, n, n->value);
	case QDH_NEED_PATH:
		r = qdh_dump_path_resolve(m->sr, n->value, dir, sizeof(dir), host,
					  sizeof(host), &extra, n->error,
					  sizeof(n->error));
		if (r == QDH_NEED_HOST)
			return mark_host(m, n, host);
		if (r < 0)
			return r;
		r = mark_blockdir(m, n, dir);
		for (i = 0; extra && extra[i]; i++) {
			if (r == 0)
				r = mark_blockdir(m, n, extra[i]);
			free(extra[i]);
		}
		free(extra);
		return r;
	case QDH_NEED_UNKNOWN:
		break;
	}
	return -EINVAL;
}

/* Nothing or not everything determined: keep every controller the dump
 * could be on, and every device a block device or interface sits on. */
static void mark_fallback(struct qdh_dump_marker *m)
{
	static const char *const classes[] = { QDH_PATH_CLASS_BLOCK, QDH_PATH_CLASS_NET };
	size_t i, c;

	for (i = 0; i < m->inv->ndevices; i++) {
		const struct qdh_inv_device *d = &m->inv->devices[i];

		if (d->bus == QDH_INV_PCI && qdh_dump_class(d->class_code))
			qdh_dump_mark_device(m, (int)i);
	}
	for (c = 0; c < 2; c++) {
		DIR *d = qdh_sysroot_opendir(m->sr, classes[c]);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char path[512], res[512];
			int k;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s%s", classes[c], e->d_name,
				 c ? "/device" : "");
			if (qdh_sysroot_resolve(m->sr, path, res, sizeof(res)) < 0)
				continue;
			k = qdh_path_index_find_up(m->idx, res);
			if (k >= 0)
				qdh_dump_mark_device(m, k);
		}
		if (d)
			closedir(d);
	}
}

static const char *shown(const char *s, char *buf, size_t cap)
{
	size_t n = strlen(s);

	/* Long values shortened for the one-line warning; JSON has them whole. */
	if (n > 64) {
		char tmp[80];

		snprintf(tmp, sizeof(tmp), "%.60s...", s);
		return qdh_printable(tmp, strlen(tmp), buf, cap);
	}
	return qdh_printable(s, n, buf, cap);
}

int qdh_dump_detect(const struct qdh_sysroot *sr, const char *cmdline,
		    struct qdh_inventory *inv, const struct qdh_path_index *idx,
		    const struct qdh_log *log)
{
	struct qdh_dump_marker m = { sr, inv, idx, log, 0, { 0 }, 0 };
	struct qdh_dump_needs ns = { NULL, 0, 0 };
	struct tried tried = { "", 0 }, bad = { "", 0 }, good = { "", 0 };
	char *running = NULL, v[300];
	size_t i, nroot, len;
	int r = 0, kt, found = 0, failed = 0;
	double t0 = now_ms();

	if (!cmdline) {
		r = qdh_dump_read_text(sr, QDH_PATH_CMDLINE, CONFIG_MAX, &running, &len);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			struct qdh_dump_need *n = qdh_dump_need_add(&ns, QDH_NEED_UNKNOWN,
								    QDH_PATH_CMDLINE, "", 0);

			if (!n)
				return -ENOMEM;
			snprintf(n->error, sizeof(n->error), "cannot read it: %s", errtext(r));
			r = 0;
		} else {
			r = qdh_dump_needs_cmdline(&ns, running,
						   "root= of the running kernel (" QDH_PATH_CMDLINE ")");
		}
		free(running);
	} else {
		r = qdh_dump_needs_cmdline(&ns, cmdline, "root= of the crash kernel's command line");
	}
	nroot = ns.n;
	if (!r && !nroot)
		tried_add(&tried, "root=: none on the command line");
	/* kdump-tools boots a full systemd: fstab's local mounts must come up
	 * or local-fs.target drops the dump into emergency mode. */
	kt = r ? r : read_source(sr, QDH_PATH_KDUMP_TOOLS, qdh_dump_needs_kdump_tools,
				 &ns, &tried);
	if (kt == 1)
		kt = read_source(sr, QDH_PATH_FSTAB, qdh_dump_needs_fstab, &ns, &tried);
	r = kt < 0 ? kt : read_source(sr, QDH_PATH_KDUMP_CONF, qdh_dump_needs_kdump_conf,
				       &ns, &tried);
	if (r < 0) {
		qdh_dump_needs_free(&ns);
		return r;
	}
	for (i = 0; i < ns.n; i++) {
		struct qdh_dump_need *n = &ns.v[i];

		m.nleaves = 0;
		r = n->kind == QDH_NEED_UNKNOWN ? -EINVAL : resolve_need(&m, n);
		if (r == -ENOMEM)
			break;
		leaves_text(&m, n->devices, sizeof(n->devices));
		if (r == 0) {
			found++;
			tried_add(&good, "%s %s -> %s", n->origin,
				  shown(n->value, v, sizeof(v)), n->devices);
		} else {
			failed++;
			if (!n->error[0])
				snprintf(n->error, sizeof(n->error), "%s", strerror(-r));
			tried_add(&bad, "%s%s%s: %s", n->origin, n->value[0] ? " " : "",
				  shown(n->value, v, sizeof(v)), n->error);
		}
		r = 0;
	}
	if (r == 0 && (!found || failed)) {
		mark_fallback(&m);
		inv->dump_fallback = 1;
		if (!found)
			qdh_logf(log, QDH_LOG_WARN, "NO DUMP TARGET FOUND (tried %s%s%s): "
				 "every storage and network controller is kept as a dump "
				 "target (blob flag no-dump-target); name the dump's device "
				 "with --qdh-dump-target", bad.n ? bad.s : "",
				 bad.n && tried.n ? "; " : "", tried.s);
		else
			qdh_logf(log, QDH_LOG_WARN, "dump targets INCOMPLETE (%s): every "
				 "storage and network controller is kept as well (blob flag "
				 "no-dump-target); found: %s", bad.s, good.s);
	} else if (r == 0) {
		qdh_logf(log, QDH_LOG_DEBUG, "dump targets: %s", good.s);
	}
	inv->dump_detected = 1;
	inv->dump_needs = ns.v;
	inv->ndump_needs = ns.n;
	inv->dump_detect_ms = now_ms() - t0;
	if (r < 0) {
		qdh_dump_needs_free(&ns);
		inv->dump_needs = NULL;
		inv->ndump_needs = 0;
	}
	return r;
}
