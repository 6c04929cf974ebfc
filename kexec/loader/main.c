// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kexec-qdh: load a kernel for kexec or kdump with the quiesced-device
 * handover, a drop-in for the kexec-tools options kdump tooling uses.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qdh/loader.h"

int main(int argc, char **argv)
{
	struct qdh_ld_opts o;
	struct qdh_ld_ctx c;
	int r = qdh_ld_parse(argc, argv, &o);

	if (r >= 0) {
		free(o.argv);
		return r;
	}
	memset(&c, 0, sizeof(c));
	c.o = &o;
	c.lock_fd = -1;
	c.t_start = qdh_ld_now_ms();
	c.log.fn = qdh_log_stderr;
	c.log.userdata = (void *)"kexec-qdh";
	c.log.max_level = o.debug ? QDH_LOG_DEBUG : QDH_LOG_INFO;

	/* Before the hand-off too: its blob comes from a scan of the sysroot. */
	r = qdh_sysroot_open(&c.sr, o.sysroot);
	if (r < 0) {
		fprintf(stderr, "kexec-qdh: --sysroot %s: %s\n", o.sysroot ? o.sysroot : "/",
			strerror(-r));
		free(o.argv);
		return QDH_LD_EXIT_USAGE;
	}
	if (o.handoff_reason) {
		r = qdh_ld_handoff(&c);
		qdh_sysroot_close(&c.sr);
		free(o.argv);
		return r;
	}
	if (o.do_status) {
		r = qdh_ld_op_status(&c);
		goto out;
	}
	if (o.do_unload) {
		r = qdh_ld_lock(&c);
		r = r < 0 ? QDH_LD_EXIT_FAIL : qdh_ld_op_unload(&c);
		goto out;
	}
	if (o.do_load) {
		/* Every file the user named, before the lock (a FIFO or a slow
		 * file must not hold up other loads). */
		if (qdh_ld_read_inputs(&c) < 0) {
			r = QDH_LD_EXIT_FAIL;
			goto out;
		}
		/* A dry run changes nothing and needs no privilege: no lock. */
		if (!o.dry_run && qdh_ld_lock(&c) < 0) {
			r = QDH_LD_EXIT_FAIL;
			goto out;
		}
		r = qdh_ld_op_load(&c);
		qdh_ld_unlock(&c);
		if (r || o.dry_run)
			goto out;
		if (o.do_shutdown) {
			/* kexec-tools: load, then let shutdown(8) kexec. */
			qdh_ld_free_inputs(&c);
			qdh_sysroot_close(&c.sr);
			fflush(NULL);
			execlp("shutdown", "shutdown", "-r", "now", (char *)NULL);
			fprintf(stderr, "kexec-qdh: shutdown: %s\n", strerror(errno));
			free(o.argv);
			return QDH_LD_EXIT_FAIL;
		}
	}
	r = QDH_LD_EXIT_OK;
	if (o.do_exec)
		r = qdh_ld_op_exec(&c);
out:
	qdh_ld_unlock(&c);
	qdh_ld_free_inputs(&c);
	qdh_sysroot_close(&c.sr);
	free(o.argv);
	return r;
}
