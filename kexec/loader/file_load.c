// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * -s: kexec_file_load(2), on any architecture whose kernel has
 * CONFIG_KEXEC_FILE (x86_64 bzImage, arm64 Image).  The kernel parses the
 * image and builds the segments itself, so no QDH purgatory runs: the blob
 * travels in a newc cpio appended to the initrd (4-byte aligned) and says
 * QDH_F_NO_PURGATORY.  Also the fallback when lockdown forbids kexec_load.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kexec.h>

#include "qdh/io.h"
#include "qdh/loader.h"
#include "qdh/transport.h"

#define INITRD_MAX	(1ull << 31)

/* Initrd bytes + zero pad + appendix, into one malloc'd buffer. */
int qdh_ld_initrd_with_blob(struct qdh_ld_ctx *c, const uint8_t *blob,
			    size_t blob_len, uint8_t **out, size_t *out_len)
{
	uint8_t *initrd = NULL, *cpio = NULL, *b;
	size_t ilen = 0, clen = 0, pad;
	int r;

	if (c->o->initrd) {
		r = qdh_ld_read_file(c, c->o->initrd, INITRD_MAX, &initrd, &ilen);
		if (r < 0) {
			qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s", c->o->initrd, strerror(-r));
			return r;
		}
	}
	if (!blob) {
		*out = initrd;
		*out_len = ilen;
		return 0;
	}
	r = qdh_initrd_appendix(blob, blob_len, &cpio, &clen);
	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "initrd appendix: %s", strerror(-r));
		free(initrd);
		return r;
	}
	pad = qdh_initrd_pad(ilen);
	b = malloc(ilen + pad + clen);
	if (!b) {
		free(initrd);
		free(cpio);
		return -ENOMEM;
	}
	if (ilen)
		memcpy(b, initrd, ilen);
	memset(b + ilen, 0, pad);
	memcpy(b + ilen + pad, cpio, clen);
	free(initrd);
	free(cpio);
	*out = b;
	*out_len = ilen + pad + clen;
	return 0;
}

int qdh_ld_build_file(struct qdh_ld_ctx *c, struct qdh_ld_image *img)
{
	uint32_t pflags;
	int given, gz, r;

	img->file_mode = 1;
	r = qdh_ld_read_kernel(c, &img->kernel_file, &img->kernel_file_len, &gz);
	if (r < 0)
		return r;
	r = qdh_ld_cmdline(c, img->cmdline, sizeof(img->cmdline), &given);
	if (r < 0)
		return r;
	/* The kernel builds the segments: no purgatory of ours runs. */
	r = qdh_ld_make_blob(c, 0, &img->blob, &img->blob_len, &img->blob_flags,
			     &pflags);
	if (r < 0)
		return r;
	if (c->o->initrd || img->blob)
		r = qdh_ld_initrd_with_blob(c, img->blob, img->blob_len,
					    &img->initrd_file, &img->initrd_file_len);
	return r;
}

static int memfd_with(const char *name, const uint8_t *buf, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	r = qdh_write_all(fd, buf, len);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int qdh_ld_kexec_file_load(struct qdh_ld_ctx *c, struct qdh_ld_image *img)
{
	unsigned long flags = c->o->panic ? KEXEC_FILE_ON_CRASH : 0;
	int kfd, ifd = -1, e = 0;

	kfd = memfd_with("kernel", img->kernel_file, img->kernel_file_len);
	if (kfd < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "memfd: %s", strerror(-kfd));
		return kfd;
	}
	if (img->initrd_file) {
		ifd = memfd_with("initrd", img->initrd_file, img->initrd_file_len);
		if (ifd < 0) {
			close(kfd);
			qdh_logf(&c->log, QDH_LOG_ERR, "memfd: %s", strerror(-ifd));
			return ifd;
		}
	} else {
		flags |= KEXEC_FILE_NO_INITRAMFS;
	}
	if (qdh_sys_kexec_file_load(kfd, ifd, strlen(img->cmdline) + 1,
				    img->cmdline, flags))
		e = errno;
	close(kfd);
	if (ifd >= 0)
		close(ifd);
	if (!e)
		return 0;
	if (c->o->syscall == QDH_SC_AUTO && (e == ENOSYS || e == EINVAL ||
					     e == ENOEXEC || e == EOPNOTSUPP)) {
		/* -a falls back to kexec_load: not an error yet. */
		qdh_logf(&c->log, QDH_LOG_DEBUG, "kexec_file_load: %s", strerror(e));
		return -e;
	}
	switch (e) {
	case EPERM:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_file_load: %s: needs root "
			 "with CAP_SYS_BOOT%s", strerror(e), qdh_ld_lockdown(c) ?
			 "; under lockdown the kernel must be signed with a "
			 "trusted key" : "");
		break;
	case EKEYREJECTED:
	case ENOKEY:
	case EBADMSG:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_file_load: %s: the kernel's "
			 "signature was not accepted", strerror(e));
		break;
	case ENOSYS:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_file_load: %s: the running "
			 "kernel has no CONFIG_KEXEC_FILE (use kexec_load: -c)",
			 strerror(e));
		break;
	case ENOEXEC:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_file_load: %s: the running "
			 "kernel does not understand this image", strerror(e));
		break;
	default:
		qdh_logf(&c->log, QDH_LOG_ERR, "kexec_file_load failed: %s", strerror(e));
		break;
	}
	return -e;
}
