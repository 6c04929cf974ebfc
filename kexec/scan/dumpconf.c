// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What the dump needs, as the crash kernel's command line and the kdump
 * services' configuration say it (doc/verdicts.md, "Dump targets").  All of
 * it is untrusted text: read, never run.  Anything outside the subset
 * understood here becomes a QDH_NEED_UNKNOWN with the reason, so that the
 * scanner keeps every storage and network controller instead of guessing.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "qdh/array.h"

#define MAX_VALUE 4096		/* longest value read from a file */

struct qdh_dump_need *qdh_dump_need_add(struct qdh_dump_needs *ns,
					enum qdh_need_kind kind,
					const char *origin, const char *value,
					size_t vlen)
{
	struct qdh_dump_need *n = qdh_array_room(ns->v, &ns->cap, ns->n,
						 sizeof(*n), 8);

	if (!n)
		return NULL;
	ns->v = n;
	n = &ns->v[ns->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	snprintf(n->origin, sizeof(n->origin), "%s", origin);
	if (vlen >= sizeof(n->value)) {
		vlen = sizeof(n->value) - 1;
		n->kind = QDH_NEED_UNKNOWN;
		snprintf(n->error, sizeof(n->error), "value longer than %zu bytes",
			 sizeof(n->value) - 1);
	}
	memcpy(n->value, value, vlen);
	n->value[vlen] = '\0';
	if (memchr(value, '\0', vlen) && n->kind != QDH_NEED_UNKNOWN) {
		n->kind = QDH_NEED_UNKNOWN;
		snprintf(n->error, sizeof(n->error), "value contains a NUL byte");
	}
	/*
	 * A glob in a directory or device: the services use some of these
	 * words unquoted, so the shell may match it against whatever exists
	 * then.  Which file system that is, is not guessed.
	 */
	if ((kind == QDH_NEED_PATH || kind == QDH_NEED_BLOCK) &&
	    n->kind != QDH_NEED_UNKNOWN && strpbrk(n->value, "*?[")) {
		n->kind = QDH_NEED_UNKNOWN;
		snprintf(n->error, sizeof(n->error),
			 "a glob pattern (*, ? or [): what it matches is not guessed");
	}
	return n;
}

static struct qdh_dump_need *need_unknown(struct qdh_dump_needs *ns,
					  const char *origin, const char *value,
					  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static struct qdh_dump_need *need_unknown(struct qdh_dump_needs *ns,
					  const char *origin, const char *value,
					  const char *fmt, ...)
{
	struct qdh_dump_need *n = qdh_dump_need_add(ns, QDH_NEED_UNKNOWN, origin,
						    value, strlen(value));
	va_list ap;

	if (!n)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(n->error, sizeof(n->error), fmt, ap);
	va_end(ap);
	return n;
}

void qdh_dump_needs_free(struct qdh_dump_needs *ns)
{
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

/* --- The kernel command line -------------------------------------------- */

/*
 * The value of the last NAME= word, quotes removed as the kernel does
 * (a double quote groups spaces and is dropped).  Returns its length, or
 * -1 if absent; a longer value is cut at cap-1 and -2 is returned.
 */
static int cmdline_param(const char *s, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name);
	int found = -1;

	while (*s) {
		char word[MAX_VALUE];
		size_t w = 0;
		int q = 0, cut = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		for (; *s && (q || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
			if (*s == '"') {
				q = !q;
				continue;
			}
			if (w + 1 < sizeof(word))
				word[w++] = *s;
			else
				cut = 1;
		}
		word[w] = '\0';
		if (strncmp(word, name, n) || word[n] != '=')
			continue;
		if (cut || w - n - 1 >= cap) {
			snprintf(out, cap, "%s", word + n + 1);
			found = -2;
			continue;
		}
		memcpy(out, word + n + 1, w - n);
		found = (int)(w - n - 1);
	}
	return found;
}

/* "server:/path", "[v6]:/path", "host" -> the server part; 0 or -1. */
static int server_of(const char *s, char *host, size_t cap)
{
	const char *end;

	if (*s == '[') {
		end = strchr(s, ']');
		if (!end || end == s + 1)
			return -1;
		s++;
	} else {
		end = s + strcspn(s, ":/,");
	}
	if (end == s || (size_t)(end - s) >= cap)
		return -1;
	memcpy(host, s, (size_t)(end - s));
	host[end - s] = '\0';
	return 0;
}

static int nfs_root(struct qdh_dump_needs *ns, const char *cmdline,
		    const char *origin, const char *root)
{
	char v[512], host[256], o[128];
	int r;

	snprintf(o, sizeof(o), "%s (NFS root)", origin);
	/* dracut: root=nfs:server:/path, root=nfs4:server:/path */
	if (!strncmp(root, "nfs:", 4) || !strncmp(root, "nfs4:", 5)) {
		const char *p = strchr(root, ':') + 1;

		if (*p != '/' && server_of(p, host, sizeof(host)) == 0)
			return qdh_dump_need_add(ns, QDH_NEED_HOST, o, host,
						 strlen(host)) ? 0 : -ENOMEM;
		return need_unknown(ns, o, root, "no server named: it comes "
				    "from DHCP at boot") ? 0 : -ENOMEM;
	}
	/* Kernel: nfsroot=[<server-ip>:]<root-dir>[,opts]; else ip=<client>:<server>:... */
	r = cmdline_param(cmdline, "nfsroot", v, sizeof(v));
	if (r >= 0 && v[0] != '/' && strchr(v, ':') &&
	    server_of(v, host, sizeof(host)) == 0)
		return qdh_dump_need_add(ns, QDH_NEED_HOST, o, host,
					 strlen(host)) ? 0 : -ENOMEM;
	r = cmdline_param(cmdline, "ip", v, sizeof(v));
	if (r >= 0) {
		char *c = strchr(v, ':');

		if (c && c[1] && c[1] != ':' && server_of(c + 1, host, sizeof(host)) == 0)
			return qdh_dump_need_add(ns, QDH_NEED_HOST, o, host,
						 strlen(host)) ? 0 : -ENOMEM;
	}
	return need_unknown(ns, o, root, "no NFS server in nfsroot= or ip=: "
			    "it comes from DHCP at boot") ? 0 : -ENOMEM;
}

int qdh_dump_needs_cmdline(struct qdh_dump_needs *ns, const char *cmdline,
			   const char *origin)
{
	char root[MAX_VALUE];
	int r = cmdline_param(cmdline, "root", root, sizeof(root));

	if (r == -1)
		return 0;	/* no root=: the crash kernel mounts none */
	if (r == -2)
		return need_unknown(ns, origin, root, "root= longer than %d bytes",
				    MAX_VALUE - 1) ? 0 : -ENOMEM;
	if (!root[0])
		return need_unknown(ns, origin, "", "root= is empty") ? 0 : -ENOMEM;
	if (!strcmp(root, "/dev/nfs") || !strncmp(root, "nfs:", 4) ||
	    !strncmp(root, "nfs4:", 5))
		return nfs_root(ns, cmdline, origin, root);
	return qdh_dump_need_add(ns, QDH_NEED_BLOCK, origin, root, (size_t)r) ?
		0 : -ENOMEM;
}

/* --- Lines of a text file ---------------------------------------------- */

struct lines {
	const char *p, *end;
	unsigned no;
};

/* Next line (without its newline) into s and len; 0 at the end. */
static int next_line(struct lines *l, const char **s, size_t *len)
{
	const char *nl;

	if (l->p >= l->end)
		return 0;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*s = l->p;
	*len = nl ? (size_t)(nl - l->p) : (size_t)(l->end - l->p);
	l->p += *len + (nl ? 1 : 0);
	l->no++;
	return 1;
}

static int is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* --- kdump-tools: /etc/default/kdump-tools ------------------------------ */

/*
 * The subset of sh(1) evaluated: comment and blank lines, and one simple
 * assignment per line, `[export ]NAME=VALUE [# comment]`, with VALUE made
 * of plain characters, '...' and "..." without $, ` or \.  kdump-config
 * sources the file, so the last assignment wins.  Anything else that names
 * one of the variables below (an expansion, a command substitution, a
 * second command, an assignment inside if/case/for/while, a quote left
 * open across lines) makes that variable unknown.
 */
enum { V_COREDIR, V_SSH, V_NFS, V_FTP, NVARS };
static const char *const vars[NVARS] = { "KDUMP_COREDIR", "SSH", "NFS", "FTP" };

struct shvar {
	char value[MAX_VALUE];
	unsigned line;		/* 0: never assigned */
	char bad[160];		/* why it cannot be evaluated, "" if it can */
};

/* Does the line name variable V as a whole word? */
static int mentions(const char *s, size_t len, const char *v)
{
	size_t n = strlen(v), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, v, n) && (i == 0 || !is_name_char(s[i - 1])) &&
		    (i + n == len || !is_name_char(s[i + n])))
			return 1;
	return 0;
}

/*
 * Parse one line as a simple assignment.  Returns 1 (assignment: name and
 * value set), 0 (blank or comment), or -1 with why (not a simple
 * assignment).  *open_quote gets the quote char left open at the end.
 */
static int sh_assign(const char *s, size_t len, char *name, size_t ncap,
		     char *val, size_t vcap, const char **why, char *open_quote)
{
	const char *p = s, *e = s + len;
	size_t n = 0, v = 0;

	*open_quote = 0;
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p == e || *p == '#')
		return 0;
	if (e - p > 7 && !memcmp(p, "export", 6) && (p[6] == ' ' || p[6] == '\t')) {
		p += 6;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
	}
	if (p == e || !is_name_char(*p) || (*p >= '0' && *p <= '9')) {
		*why = "not an assignment";
		return -1;
	}
	while (p < e && is_name_char(*p)) {
		if (n + 1 < ncap)
			name[n++] = *p;
		p++;
	}
	name[n] = '\0';
	if (p == e || *p != '=') {
		*why = "not an assignment";
		return -1;
	}
	for (p++; p < e && *p != ' ' && *p != '\t'; p++) {
		char c = *p;

		if (c == '\'' || c == '"') {
			const char *q = memchr(p + 1, c, (size_t)(e - p - 1));

			if (!q) {
				*open_quote = c;
				*why = "a quote left open: a value over several lines";
				return -1;
			}
			if (c == '"' && (memchr(p + 1, '$', (size_t)(q - p - 1)) ||
					 memchr(p + 1, '`', (size_t)(q - p - 1)) ||
					 memchr(p + 1, '\\', (size_t)(q - p - 1)))) {
				*why = "an expansion ($, ` or \\) inside double quotes";
				return -1;
			}
			if (v + (size_t)(q - p - 1) >= vcap) {
				*why = "value too long";
				return -1;
			}
			memcpy(val + v, p + 1, (size_t)(q - p - 1));
			v += (size_t)(q - p - 1);
			p = q;
			continue;
		}
		if (strchr("$`\\", c)) {
			*why = "an expansion ($, ` or \\)";
			return -1;
		}
		if (strchr(";&|<>(){}~", c)) {
			*why = "shell syntax beyond a plain assignment";
			return -1;
		}
		if (v + 1 >= vcap) {
			*why = "value too long";
			return -1;
		}
		val[v++] = c;
	}
	val[v] = '\0';
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && *p != '#') {
		*why = "more than one word (a command or a second assignment)";
		return -1;
	}
	return 1;
}

/* First word of a line: for the compound commands that make what follows
 * conditional. */
static int block_delta(const char *s, size_t len)
{
	static const char *const open[] = { "if", "case", "for", "while", "until",
					    "select", "{" };
	static const char *const close[] = { "fi", "esac", "done", "}" };
	size_t i, w;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	for (w = 0; w < len && s[w] != ' ' && s[w] != '\t' && s[w] != ';'; w++)
		;
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++)
		if (w == strlen(open[i]) && !memcmp(s, open[i], w))
			return 1;
	for (i = 0; i < sizeof(close) / sizeof(close[0]); i++)
		if (w == strlen(close[i]) && !memcmp(s, close[i], w))
			return -1;
	/* A function definition: name() { ... } */
	if (memchr(s, '(', len) && memchr(s, ')', len) && memchr(s, '{', len))
		return 1;
	return 0;
}

/* The quote a (non-assignment) line leaves open, 0 if none. */
static char line_open_quote(const char *s, size_t len)
{
	char q = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!q && s[i] == '\\') {
			i++;
			continue;
		}
		if (!q && s[i] == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			break;	/* a comment */
		if (s[i] == '\'' || s[i] == '"') {
			if (!q)
				q = s[i];
			else if (q == s[i])
				q = 0;
		}
	}
	return q;
}

static void sh_parse(const char *text, size_t len, struct shvar *sv)
{
	struct lines l = { text, text + len, 0 };
	const char *s, *why;
	char name[64], quote = 0;
	size_t n;
	int depth = 0, i;
	char *val = malloc(MAX_VALUE);

	if (!val) {
		for (i = 0; i < NVARS; i++)
			snprintf(sv[i].bad, sizeof(sv[i].bad), "out of memory");
		return;
	}
	while (next_line(&l, &s, &n)) {
		int r;

		if (quote) {
			/* Inside a multi-line string: data, not commands. */
			if (memchr(s, quote, n))
				quote = 0;
			for (i = 0; i < NVARS; i++)
				if (mentions(s, n, vars[i]) && !sv[i].bad[0])
					snprintf(sv[i].bad, sizeof(sv[i].bad),
						 "line %u: inside a string over several lines",
						 l.no);
			continue;
		}
		r = sh_assign(s, n, name, sizeof(name), val, MAX_VALUE, &why, &quote);
		if (r == 0)
			continue;
		if (r < 0) {
			depth += block_delta(s, n);
			if (!quote)
				quote = line_open_quote(s, n);
		}
		for (i = 0; i < NVARS; i++) {
			if (r == 1 && !strcmp(name, vars[i])) {
				if (depth > 0) {
					snprintf(sv[i].bad, sizeof(sv[i].bad),
						 "line %u: assigned inside if/case/for/while",
						 l.no);
					continue;
				}
				snprintf(sv[i].value, sizeof(sv[i].value), "%s", val);
				sv[i].line = l.no;
				sv[i].bad[0] = '\0';	/* a later plain value wins */
			} else if (r < 0 && mentions(s, n, vars[i])) {
				snprintf(sv[i].bad, sizeof(sv[i].bad), "line %u: %s",
					 l.no, why);
			}
		}
	}
	free(val);
}

/* ssh's [user@]host: everything after the '@' ("fe80::1", "[fe80::1]"). */
static int ssh_host(const char *v, char *host, size_t cap)
{
	const char *at = strrchr(v, '@'), *h = at ? at + 1 : v;
	size_t n;

	if (*h == '[')
		return server_of(h, host, cap);
	n = strlen(h);
	if (!n || n >= cap || strpbrk(h, "/ \t"))
		return -1;
	memcpy(host, h, n + 1);
	return 0;
}

/* SSH=user@host, FTP=host[:path], NFS=host:/path -> host. */
static int remote_host(int var, const char *v, char *host, size_t cap)
{
	return var == V_SSH ? ssh_host(v, host, cap) : server_of(v, host, cap);
}

int qdh_dump_needs_kdump_tools(struct qdh_dump_needs *ns, const char *file,
			       const char *text, size_t len)
{
	struct shvar *sv = calloc(NVARS, sizeof(*sv));
	char origin[128], host[256];
	int i, remote = 0, unknown_remote = 0, r = 0;

	if (!sv)
		return -ENOMEM;
	sh_parse(text, len, sv);
	for (i = V_SSH; i < NVARS && !r; i++) {
		if (sv[i].line)
			snprintf(origin, sizeof(origin), "%s:%u %s", file, sv[i].line,
				 vars[i]);
		else
			snprintf(origin, sizeof(origin), "%s %s", file, vars[i]);
		if (sv[i].bad[0]) {
			unknown_remote = 1;
			if (!need_unknown(ns, origin, "", "%s", sv[i].bad))
				r = -ENOMEM;
			continue;
		}
		if (!sv[i].value[0])
			continue;	/* unset or empty: not used */
		remote = 1;
		if (remote_host(i, sv[i].value, host, sizeof(host)) < 0) {
			if (!need_unknown(ns, origin, sv[i].value, "no host in it"))
				r = -ENOMEM;
			continue;
		}
		if (!qdh_dump_need_add(ns, QDH_NEED_HOST, origin, host, strlen(host)))
			r = -ENOMEM;
	}
	/* A local dump (or one we cannot rule out): KDUMP_COREDIR's file
	 * system; kdump-config's default applies when unset or empty. */
	if (!r && (!remote || unknown_remote)) {
		struct shvar *c = &sv[V_COREDIR];

		if (c->line)
			snprintf(origin, sizeof(origin), "%s:%u KDUMP_COREDIR", file,
				 c->line);
		else if (c->bad[0])
			snprintf(origin, sizeof(origin), "%s KDUMP_COREDIR", file);
		else
			snprintf(origin, sizeof(origin), "%s KDUMP_COREDIR (default)",
				 file);
		if (c->bad[0]) {
			if (!need_unknown(ns, origin, "", "%s", c->bad))
				r = -ENOMEM;
		} else {
			const char *dir = c->value[0] ? c->value : "/var/crash";

			if (dir[0] != '/') {
				if (!need_unknown(ns, origin, dir, "not an absolute path"))
					r = -ENOMEM;
			} else if (!qdh_dump_need_add(ns, QDH_NEED_PATH, origin, dir,
						      strlen(dir))) {
				r = -ENOMEM;
			}
		}
	}
	free(sv);
	return r;
}

/* --- kdump-utils: /etc/kdump.conf --------------------------------------- */

/* Line -> directive and its first argument word (comments cut at '#'). */
static int conf_words(const char *s, size_t len, char *dir, size_t dcap,
		      const char **arg, size_t *alen, const char **rest,
		      size_t *rlen)
{
	const char *e = memchr(s, '#', len), *p = s, *d;

	if (e)
		len = (size_t)(e - s);
	e = s + len;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	d = p;
	while (p < e && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	if (p == d || (size_t)(p - d) >= dcap)
		return p == d ? 0 : -1;
	memcpy(dir, d, (size_t)(p - d));
	dir[p - d] = '\0';
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	*rest = p;
	*rlen = (size_t)(e - p);
	*arg = p;
	while (p < e && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	*alen = (size_t)(p - *arg);
	return 1;
}

int qdh_dump_needs_kdump_conf(struct qdh_dump_needs *ns, const char *file,
			      const char *text, size_t len)
{
	static const char *const fstypes[] = { "ext2", "ext3", "ext4", "xfs", "btrfs",
					       "minix", "vfat" };
	struct lines l = { text, text + len, 0 };
	char dir[32], origin[128], path[MAX_VALUE] = "/var/crash", host[256];
	char path_origin[128];
	const char *s, *arg, *rest;
	size_t n, alen, rlen, i;
	int targets = 0, path_bad = 0;

	snprintf(path_origin, sizeof(path_origin), "%s path (default)", file);
	while (next_line(&l, &s, &n)) {
		int w = conf_words(s, n, dir, sizeof(dir), &arg, &alen, &rest, &rlen);
		int fs = 0;

		if (w == 0)
			continue;
		if (w < 0)
			continue;	/* a directive we do not know: not a target */
		snprintf(origin, sizeof(origin), "%s:%u %s", file, l.no, dir);
		for (i = 0; i < sizeof(fstypes) / sizeof(fstypes[0]); i++)
			fs |= !strcmp(dir, fstypes[i]);
		if (!strcmp(dir, "path")) {
			if (!alen || alen >= sizeof(path) || arg[0] != '/') {
				path_bad = alen >= sizeof(path) ? 2 : 1;
				snprintf(path_origin, sizeof(path_origin), "%s", origin);
				continue;
			}
			memcpy(path, arg, alen);
			path[alen] = '\0';
			path_bad = 0;
			snprintf(path_origin, sizeof(path_origin), "%s", origin);
			continue;
		}
		if (fs || !strcmp(dir, "raw")) {
			targets++;
			if (!alen) {
				if (!need_unknown(ns, origin, "", "no device named"))
					return -ENOMEM;
			} else if (!qdh_dump_need_add(ns, QDH_NEED_BLOCK, origin, arg, alen)) {
				return -ENOMEM;
			}
			continue;
		}
		if (!strcmp(dir, "nfs") || !strcmp(dir, "nfs4") || !strcmp(dir, "ssh") ||
		    !strcmp(dir, "net")) {
			char v[512];

			targets++;
			snprintf(v, sizeof(v), "%.*s", (int)(alen < 511 ? alen : 511), arg);
			/* ssh user@host (net user@host); nfs host:/path */
			if (!alen || alen >= sizeof(v) ||
			    (strchr(v, '@') || !strcmp(dir, "ssh") ?
			     ssh_host(v, host, sizeof(host)) :
			     server_of(v, host, sizeof(host))) < 0) {
				if (!need_unknown(ns, origin, v, "no host in it"))
					return -ENOMEM;
			} else if (!qdh_dump_need_add(ns, QDH_NEED_HOST, origin, host,
						      strlen(host))) {
				return -ENOMEM;
			}
			continue;
		}
		if (!strcmp(dir, "virtiofs")) {
			char tag[256];

			targets++;
			snprintf(tag, sizeof(tag), "%.*s", (int)(alen < 255 ? alen : 255), arg);
			if (!need_unknown(ns, origin, tag, "virtiofs tags are not "
					  "followed to their device"))
				return -ENOMEM;
			continue;
		}
		if (!strcmp(dir, "dracut_args") && memmem(rest, rlen, "--mount", 7)) {
			targets++;
			if (!need_unknown(ns, origin, "", "dracut_args --mount: a "
					  "target not evaluated"))
				return -ENOMEM;
		}
	}
	/* No target line: "path" is a directory of the running system and
	 * the dump goes to the file system holding it. */
	if (!targets) {
		if (path_bad)
			return need_unknown(ns, path_origin, "", "%s", path_bad == 2 ?
					    "value too long" : "not an absolute path") ?
				0 : -ENOMEM;
		return qdh_dump_need_add(ns, QDH_NEED_PATH, path_origin, path,
					 strlen(path)) ? 0 : -ENOMEM;
	}
	return 0;
}

/* --- /etc/fstab ----------------------------------------------------------- */


static int has_opt(const char *opts, const char *o)
{
	size_t n = strlen(o);
	const char *p = opts;

	while (*p) {
		size_t w = strcspn(p, ",");

		if (w == n && !memcmp(p, o, n))
			return 1;
		p += w;
		if (*p)
			p++;
	}
	return 0;
}

int qdh_dump_needs_fstab(struct qdh_dump_needs *ns, const char *file,
			 const char *text, size_t len)
{
	static const char *const skip_opts[] = { "noauto", "nofail", "_netdev",
						 "x-systemd.automount", "bind" };
	struct lines l = { text, text + len, 0 };
	const char *s;
	size_t n, i;

	while (next_line(&l, &s, &n)) {
		char line[1024], spec[512], mnt[256], type[64], opts[512] = "defaults";
		char origin[128];
		int f, skip = 0;

		if (n >= sizeof(line)) {
			size_t k = 0;

			while (k < n && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k < n && s[k] == '#')
				continue;
			/* No real fstab line is this long; what it mounts is
			 * not guessed away. */
			snprintf(origin, sizeof(origin), "%s:%u", file, l.no);
			if (!need_unknown(ns, origin, "", "line longer than %zu bytes",
					  sizeof(line) - 1))
				return -ENOMEM;
			continue;
		}
		memcpy(line, s, n);
		line[n] = '\0';
		f = sscanf(line, " %511s %255s %63s %511s", spec, mnt, type, opts);
		if (f < 3 || spec[0] == '#')
			continue;
		if (!strcmp(type, "swap") || !strcmp(mnt, "none"))
			continue;
		for (i = 0; i < sizeof(skip_opts) / sizeof(skip_opts[0]); i++)
			skip |= has_opt(opts, skip_opts[i]);
		if (skip)
			continue;
		qdh_dump_unoctal(spec);
		qdh_dump_unoctal(mnt);
		if (strncmp(spec, "UUID=", 5) && strncmp(spec, "LABEL=", 6) &&
		    strncmp(spec, "PARTUUID=", 9) && strncmp(spec, "PARTLABEL=", 10) &&
		    strncmp(spec, "/dev/", 5))
			continue;	/* tmpfs, proc, a bind or a network source */
		snprintf(origin, sizeof(origin), "%s:%u %.80s", file, l.no, mnt);
		if (!qdh_dump_need_add(ns, QDH_NEED_BLOCK, origin, spec, strlen(spec)))
			return -ENOMEM;
	}
	return 0;
}
