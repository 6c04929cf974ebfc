// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kexec_load(2) call itself, after a last check of what the kernel
 * would reject anyway.  Note the kernel drops the current crash image at
 * the start of a crash load (kernel/kexec.c), so a load the kernel rejects
 * leaves none: every check that can be made here is made before the call.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/kexec.h>

#include "qdh/loader.h"

int qdh_ld_lockdown(struct qdh_ld_ctx *c)
{
	char buf[256];
	const char *open_b, *close_b;

	/* "none [integrity] confidentiality": the bracketed word is active. */
	if (qdh_sysroot_read_str(&c->sr, QDH_PATH_LOCKDOWN, buf, sizeof(buf)) < 0)
		return 0;
	open_b = strchr(buf, '[');
	close_b = open_b ? strchr(open_b, ']') : NULL;
	if (!open_b || !close_b)
		return 0;
	return !(close_b - open_b == 5 && !strncmp(open_b + 1, "none", 4));
}

static int validate(struct qdh_ld_ctx *c, const struct qdh_ld_image *img)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	unsigned i, j;

	if (img->nseg == 0 || img->nseg > KEXEC_SEGMENT_MAX)
		goto bad;
	for (i = 0; i < img->nseg; i++) {
		const struct qdh_ld_segment *s = &img->seg[i];

		if (s->mem % page || s->memsz % page || s->bufsz > s->memsz ||
		    !s->memsz || s->mem + s->memsz < s->mem)
			goto bad;
		for (j = 0; j < i; j++) {
			const struct qdh_ld_segment *t = &img->seg[j];

			if (s->mem < t->mem + t->memsz && t->mem < s->mem + s->memsz)
				goto bad;
		}
	}
	return 0;
bad:
	qdh_logf(&c->log, QDH_LOG_ERR, "internal error: the segment layout "
		 "breaks kexec_load's rules (alignment, overlap or count); "
		 "nothing was loaded");
	return -EINVAL;
}

int qdh_ld_kexec_load(struct qdh_ld_ctx *c, struct qdh_ld_image *img)
{
	struct kexec_segment ks[QDH_LD_MAX_SEGMENTS];
	unsigned i;
	int r = validate(c, img), e;

	if (r < 0)
		return r;
	for (i = 0; i < img->nseg; i++) {
		ks[i].buf = img->seg[i].buf;
		ks[i].bufsz = img->seg[i].bufsz;
		ks[i].mem = (void *)(uintptr_t)img->seg[i].mem;
		ks[i].memsz = img->seg[i].memsz;
	}
	if (qdh_sys_kexec_load(img->entry, img->nseg, ks, img->kexec_flags) == 0)
		return 0;
	e = errno;
	switch (e) {
	case EPERM:
		if (qdh_ld_lockdown(c))
			qdh_logf(&c->log, QDH_LOG_WARN, "kexec_load is forbidden by "
				 "kernel lockdown; kexec_file_load (-s) is the way "
				 "to load a signed kernel (the handover then travels "
				 "in the initrd, without the QDH purgatory)");
		else
			qdh_logf(&c->log, QDH_LOG_ERR, "kexec_load: %s: loading a "
				 "kernel needs root with CAP_SYS_BOOT (and "
				 "kernel.kexec_load_disabled=0)", strerror(e));
		break;
	case EBUSY:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_load: %s: another load or "
			 "a kexec is in progress", strerror(e));
		break;
	case ENOSYS:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_load: %s: the running kernel "
			 "has no CONFIG_KEXEC", strerror(e));
		break;
	default:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_load failed: %s", strerror(e));
		break;
	}
	return -e;
}
