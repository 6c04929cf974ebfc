// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The only places kexec-qdh changes the kernel's state.  glibc has no
 * wrappers for these.  QDH_TEST_FAIL_SYSCALL=NAME[:ERRNO] makes NAME fail
 * with ERRNO (default EPERM) before the kernel is asked, so tests can show
 * that a failed load changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>

#include "qdh/loader.h"

static int injected(const char *name)
{
	const char *v = getenv("QDH_TEST_FAIL_SYSCALL");
	size_t n = strlen(name);
	int e = EPERM;

	if (!v || strncmp(v, name, n) || (v[n] != '\0' && v[n] != ':'))
		return 0;
	if (v[n] == ':') {
		if (!strcmp(v + n + 1, "EPERM"))
			e = EPERM;
		else if (!strcmp(v + n + 1, "EBUSY"))
			e = EBUSY;
		else if (!strcmp(v + n + 1, "ENOMEM"))
			e = ENOMEM;
		else if (!strcmp(v + n + 1, "EINVAL"))
			e = EINVAL;
		else if (!strcmp(v + n + 1, "ENOSYS"))
			e = ENOSYS;
		else
			e = atoi(v + n + 1) > 0 ? atoi(v + n + 1) : EPERM;
	}
	errno = e;
	return 1;
}

long qdh_sys_kexec_load(uint64_t entry, unsigned long nseg, const void *segs,
			unsigned long flags)
{
	if (injected("kexec_load"))
		return -1;
#ifdef SYS_kexec_load
	return syscall(SYS_kexec_load, (unsigned long)entry, nseg, segs, flags);
#else
	errno = ENOSYS;
	return -1;
#endif
}

long qdh_sys_kexec_file_load(int kfd, int ifd, unsigned long cmdlen,
			     const char *cmdline, unsigned long flags)
{
	if (injected("kexec_file_load"))
		return -1;
#ifdef SYS_kexec_file_load
	return syscall(SYS_kexec_file_load, kfd, ifd, cmdlen, cmdline, flags);
#else
	errno = ENOSYS;
	return -1;
#endif
}

long qdh_sys_reboot_kexec(void)
{
	if (injected("reboot"))
		return -1;
	return reboot(LINUX_REBOOT_CMD_KEXEC);
}
