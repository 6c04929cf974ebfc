// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "qdh/log.h"

void qdh_logf(const struct qdh_log *log, int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!log || !log->fn || level > log->max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log->fn(log->userdata, level, msg);
}

void qdh_log_stderr(void *userdata, int level, const char *msg)
{
	const char *prog = userdata ? (const char *)userdata : "qdh";
	const char *tag = level <= QDH_LOG_ERR ? "error: " :
			  level == QDH_LOG_WARN ? "warning: " : "";

	fprintf(stderr, "%s: %s%s\n", prog, tag, msg);
}
