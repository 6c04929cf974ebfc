/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Diagnostics from library code.  Library functions never print: they
 * report through a qdh_log that the tool set up (kmod's pattern), so the
 * tool decides what reaches the user and in which format.
 */
#ifndef QDH_LOG_H
#define QDH_LOG_H

enum qdh_log_level { QDH_LOG_ERR = 3, QDH_LOG_WARN = 4, QDH_LOG_INFO = 6, QDH_LOG_DEBUG = 7 };

struct qdh_log {
	void (*fn)(void *userdata, int level, const char *msg);
	void *userdata;
	int max_level;		/* messages above this level are dropped */
};

/* A NULL log or NULL fn drops everything. */
void qdh_logf(const struct qdh_log *log, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A ready-made sink: "PROG: warning: msg" on stderr; userdata = prog name. */
void qdh_log_stderr(void *userdata, int level, const char *msg);

#endif
