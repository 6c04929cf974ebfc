// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stand-ins for the inventory until kexec/scan provides it.  This file is
 * linked from a library placed after libqdhuser.a, so the linker takes
 * these only when the real functions do not exist: the loader then acts as
 * with a failed scan (--qdh=on warns, --qdh=require refuses).
 */
#include "config.h"

#include <errno.h>
#include <sys/stat.h>	/* sysroot.h needs struct stat */

#include "qdh/inventory.h"

int qdh_inventory_scan(const struct qdh_sysroot *sr,
		       const struct qdh_scan_opts *opts,
		       struct qdh_inventory *inv)
{
	(void)sr;
	(void)opts;
	(void)inv;
	return -ENOSYS;
}

void qdh_inventory_free(struct qdh_inventory *inv)
{
	(void)inv;
}

int qdh_inventory_encode(const struct qdh_inventory *inv, uint64_t generation,
			 uint32_t flags, uint8_t **blob, size_t *len)
{
	(void)inv;
	(void)generation;
	(void)flags;
	(void)blob;
	(void)len;
	return -ENOSYS;
}
