// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One load at a time: two kexec-qdh (say kdump-tools and a person) racing
 * would each build against a state the other is replacing.  An flock on
 * /run/kexec-qdh.lock inside the sysroot, waited for with a bound
 * (QDH_LOCK_TIMEOUT seconds overrides the default).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "qdh/loader.h"

int qdh_ld_lock(struct qdh_ld_ctx *c)
{
	const char *env = getenv("QDH_LOCK_TIMEOUT");
	long timeout_ms = (env ? atol(env) : QDH_LD_LOCK_TIMEOUT_S) * 1000L;
	char d[4200];
	int fd, waited = 0;

	qdh_sysroot_display(&c->sr, QDH_LD_LOCK_PATH, d, sizeof(d));
	fd = qdh_sysroot_create(&c->sr, QDH_LD_LOCK_PATH, O_RDWR | O_NOFOLLOW, 0600);
	if (fd < 0) {
		int e = -fd;

		if (e == ENOENT && !qdh_sysroot_is_live(&c->sr)) {
			/* A fixture without /run: nothing to race with. */
			qdh_logf(&c->log, QDH_LOG_DEBUG, "%s: no directory, not locking", d);
			return 0;
		}
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", d, strerror(e));
		return -e;
	}
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;

			close(fd);
			qdh_logf(&c->log, QDH_LOG_ERR, "%s: flock: %s", d, strerror(e));
			return -e;
		}
		if (!waited)
			qdh_logf(&c->log, QDH_LOG_INFO, "another kexec-qdh holds %s; "
				 "waiting up to %ld s", d, timeout_ms / 1000);
		if (waited >= timeout_ms) {
			close(fd);
			qdh_logf(&c->log, QDH_LOG_ERR, "another kexec-qdh has held %s "
				 "for %ld s; giving up, nothing was changed", d,
				 timeout_ms / 1000);
			return -EBUSY;
		}
		nanosleep(&ts, NULL);
		waited += 100;
	}
	c->lock_fd = fd;
	return 0;
}

void qdh_ld_unlock(struct qdh_ld_ctx *c)
{
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	c->lock_fd = -1;
}
