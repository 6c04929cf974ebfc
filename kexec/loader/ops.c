// SPDX-License-Identifier: GPL-2.0-or-later
/* The operations: -S, -u, -e and the load itself (-l, -p, -f, default). */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/kexec.h>

#include "qdh/loader.h"

int qdh_ld_kexec_loaded(struct qdh_ld_ctx *c, int crash)
{
	const char *path = crash ? QDH_PATH_KEXEC_CRASH_LOADED : QDH_PATH_KEXEC_LOADED;
	uint64_t v;
	char d[4200];
	int r = qdh_sysroot_read_u64(&c->sr, path, &v);

	if (r < 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: %s",
			 qdh_sysroot_display(&c->sr, path, d, sizeof(d)), strerror(-r));
		return r;
	}
	return v != 0;
}

int qdh_ld_op_status(struct qdh_ld_ctx *c)
{
	int r = qdh_ld_kexec_loaded(c, c->o->panic);

	/* kexec-tools: the exit code is the sysfs value, -1 on error. */
	return r < 0 ? QDH_LD_EXIT_FAIL : r;
}

int qdh_ld_op_unload(struct qdh_ld_ctx *c)
{
	long r;

	if (c->o->syscall == QDH_SC_FILE)
		r = qdh_sys_kexec_file_load(-1, -1, 0, NULL, KEXEC_FILE_UNLOAD |
					    (c->o->panic ? KEXEC_FILE_ON_CRASH : 0));
	else
		r = qdh_sys_kexec_load(0, 0, NULL, c->o->panic ? KEXEC_ON_CRASH : 0);
	if (r) {
		int e = errno;

		qdh_logf(&c->log, QDH_LOG_ERR, "unload: %s%s", strerror(e),
			 e == EPERM ? " (needs root with CAP_SYS_BOOT)" : "");
		return QDH_LD_EXIT_FAIL;
	}
	return QDH_LD_EXIT_OK;
}

/* -e without -x: take every interface but lo down, as kexec-tools does, so
 * NICs stop DMA before the jump. */
static void ifdown(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	int s;

	if (!ifs)
		return;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	for (i = ifs; s >= 0 && i->if_index; i++) {
		struct ifreq ifr;

		if (!strcmp(i->if_name, "lo") || strlen(i->if_name) >= IFNAMSIZ)
			continue;
		memset(&ifr, 0, sizeof(ifr));
		strcpy(ifr.ifr_name, i->if_name);
		if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
			continue;
		ifr.ifr_flags &= ~IFF_UP;
		ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	if (s >= 0)
		close(s);
	if_freenameindex(ifs);
}

int qdh_ld_op_exec(struct qdh_ld_ctx *c)
{
	int r = qdh_ld_kexec_loaded(c, 0);

	if (r <= 0) {
		qdh_logf(&c->log, QDH_LOG_ERR, "Nothing has been loaded!");
		return QDH_LD_EXIT_USAGE;
	}
	if (c->o->do_sync)
		sync();
	if (c->o->do_ifdown)
		ifdown();
	qdh_sys_reboot_kexec();
	/* Only returns on failure. */
	qdh_logf(&c->log, QDH_LOG_ERR, "reboot(LINUX_REBOOT_CMD_KEXEC): %s%s",
		 strerror(errno), errno == EPERM ? " (needs CAP_SYS_BOOT)" : "");
	return QDH_LD_EXIT_FAIL;
}

static int is_arm64_image(const uint8_t *b, size_t len)
{
	return len >= ARM64_IMAGE_HDR_SIZE &&
	       b[56] == 'A' && b[57] == 'R' && b[58] == 'M' && b[59] == 0x64;
}

static int fail_code(struct qdh_ld_ctx *c)
{
	return c->die ? QDH_LD_EXIT_USAGE : QDH_LD_EXIT_FAIL;
}

static int file_load(struct qdh_ld_ctx *c, struct qdh_ld_image *img)
{
	int r;

	qdh_ld_image_free(img);
	r = qdh_ld_build_file(c, img);
	if (r < 0)
		return r;
	c->t_build_ms = qdh_ld_now_ms() - c->t_start;
	if (c->o->dry_run)
		return qdh_ld_dry_run(c, img);
	return qdh_ld_kexec_file_load(c, img);
}

int qdh_ld_op_load(struct qdh_ld_ctx *c)
{
	struct qdh_ld_image img;
	uint8_t *kernel = NULL;
	size_t klen = 0;
	const char *arch = qdh_ld_host_arch();
	int gz, r, arm64_host = !strcmp(arch, "aarch64");
	double t_sys;

	memset(&img, 0, sizeof(img));
	if (c->o->syscall == QDH_SC_FILE) {
		r = file_load(c, &img);
		goto done;
	}
	r = qdh_ld_read_kernel(c, &kernel, &klen, &gz);
	if (r < 0)
		goto done;
	if (!is_arm64_image(kernel, klen) || (!arm64_host && !c->o->dry_run)) {
		free(kernel);
		if (c->o->dry_run) {
			qdh_logf(&c->log, QDH_LOG_ERR, "%s: not an arm64 Image%s: "
				 "kexec-qdh builds kexec_load segments only for "
				 "arm64 (-s works for any kernel)", c->o->kernel,
				 gz ? " (after gunzip)" : "");
			c->die = 1;
			r = -ENOEXEC;
			goto done;
		}
		if (c->o->syscall == QDH_SC_AUTO) {
			r = file_load(c, &img);
			goto done;
		}
		return qdh_ld_handoff(c);
	}
	if (c->o->syscall == QDH_SC_AUTO && !c->o->dry_run) {
		/* kexec-tools' -a: kexec_file_load first, kexec_load if the
		 * kernel lacks it or does not understand the image. */
		r = file_load(c, &img);
		if (r != -ENOSYS && r != -EINVAL && r != -ENOEXEC && r != -EOPNOTSUPP) {
			free(kernel);
			goto done;
		}
		qdh_ld_image_free(&img);
		qdh_logf(&c->log, QDH_LOG_DEBUG, "-a: falling back to kexec_load");
	}
	r = arm64_build(c, kernel, klen, &img);
	if (r < 0)
		goto done;
	c->t_build_ms = qdh_ld_now_ms() - c->t_start;
	if (c->o->dry_run) {
		r = qdh_ld_dry_run(c, &img);
		goto done;
	}
	t_sys = qdh_ld_now_ms();
	r = qdh_ld_kexec_load(c, &img);
	if (r == -EPERM && qdh_ld_lockdown(c)) {
		qdh_logf(&c->log, QDH_LOG_WARN, "retrying with kexec_file_load");
		r = file_load(c, &img);
	}
	qdh_logf(&c->log, QDH_LOG_DEBUG, "syscall %.1f ms", qdh_ld_now_ms() - t_sys);
done:
	qdh_ld_image_free(&img);
	c->t_total_ms = qdh_ld_now_ms() - c->t_start;
	qdh_logf(&c->log, QDH_LOG_DEBUG, "timing: scan+encode %.1f ms, build %.1f ms, "
		 "total %.1f ms (scan+encode is %.1f%% of the load)", c->t_scan_ms,
		 c->t_build_ms, c->t_total_ms,
		 c->t_total_ms > 0 ? 100.0 * c->t_scan_ms / c->t_total_ms : 0.0);
	return r < 0 ? fail_code(c) : QDH_LD_EXIT_OK;
}
