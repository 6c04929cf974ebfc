// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The only places kexec-qdh changes the kernel's state.  glibc has no
 * wrappers for these.  QDH_TEST_FAIL_SYSCALL=NAME[:ERRNO][,...] makes NAME
 * fail with ERRNO (default EPERM) before the kernel is asked, so tests can
 * show that a failed load changes nothing (and never touch the host).
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

static int errno_by_name(const char *s, size_t n)
{
	static const struct { const char *name; int e; } names[] = {
		{ "EPERM", EPERM }, { "EBUSY", EBUSY }, { "ENOMEM", ENOMEM },
		{ "EINVAL", EINVAL }, { "ENOSYS", ENOSYS }, { "ENOEXEC", ENOEXEC },
		{ "EKEYREJECTED", EKEYREJECTED },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !strncmp(s, names[i].name, n))
			return names[i].e;
	return EPERM;
}

/* QDH_TEST_FAIL_SYSCALL="kexec_load:EPERM,kexec_file_load:ENOSYS" */
static int injected(const char *name)
{
	const char *v = getenv("QDH_TEST_FAIL_SYSCALL");
	size_t n = strlen(name);

	while (v && *v) {
		size_t len = strcspn(v, ",");

		if (len >= n && !strncmp(v, name, n) && (len == n || v[n] == ':')) {
			errno = len == n ? EPERM : errno_by_name(v + n + 1, len - n - 1);
			return 1;
		}
		v += len;
		if (*v == ',')
			v++;
	}
	return 0;
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
