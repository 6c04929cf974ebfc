// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The DT transport: the whole blob is the value of the /chosen property
 * QDH_DT_PROPERTY (doc/bindings/chosen-kexec-qdh.yaml).  The reader runs
 * fdt_check_full() once so that the lookups after it can trust the tree.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <libfdt.h>

#include "qdh/fdt-guard.h"
#include "qdh/transport.h"

#define FDT_VERSION_FIELD	offsetof(struct fdt_header, version)

static int fault(struct qdh_locate *loc, int err, const char *what, size_t off)
{
	loc->fault = what;
	loc->offset = off;
	return err;
}

int qdh_dtb_locate(const void *fdt, size_t len, struct qdh_locate *loc)
{
	const void *prop;
	size_t guard_at;
	int chosen, plen, r;

	memset(loc, 0, sizeof(*loc));
	if (len < sizeof(struct fdt_header))
		return fault(loc, -EBADMSG, "FDT header truncated", len);
	r = fdt_check_header(fdt);
	if (r)
		return fault(loc, -EBADMSG, fdt_strerror(r),
			     r == -FDT_ERR_BADVERSION ? FDT_VERSION_FIELD : 0);
	if (fdt_totalsize(fdt) > len)
		return fault(loc, -EBADMSG, "FDT truncated (totalsize beyond end of file)", len);
	/* The kernel's own limit; libfdt's checks below are linear in it. */
	if (fdt_totalsize(fdt) > QDH_DTB_MAX)
		return fault(loc, -EFBIG, "FDT larger than 2 MiB (the arm64 limit)",
			     offsetof(struct fdt_header, totalsize));
	if (len > INT_MAX)
		return fault(loc, -EBADMSG, "FDT larger than libfdt handles", 0);
	/* libfdt 1.6.1's fdt_check_full() dereferences the NULL name it gets
	 * for a pre-v16 root node (found by fuzz-dtb): refuse those first. */
	if (fdt_version(fdt) < 16)
		return fault(loc, -EBADMSG, "FDT version older than 16", FDT_VERSION_FIELD);
	/* ...and a property length that loops it forever (fuzz-dtb). */
	r = qdh_fdt_guard(fdt, len, &guard_at);
	if (r)
		return fault(loc, -EBADMSG, fdt_strerror(r), guard_at);
	r = fdt_check_full(fdt, len);
	if (r) {
		/* libfdt gives no position: the header checked out above, so
		 * the fault lies in the structure (or strings) block. */
		size_t at = r == -FDT_ERR_BADOFFSET || r == -FDT_ERR_BADLAYOUT ?
			    0 : fdt_off_dt_struct(fdt);
		return fault(loc, -EBADMSG, fdt_strerror(r), at);
	}
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		return fault(loc, -ENOENT, "no /chosen node", 0);
	prop = fdt_getprop(fdt, chosen, QDH_DT_PROPERTY, &plen);
	if (!prop)
		return fault(loc, -ENOENT, "no /chosen/" QDH_DT_PROPERTY " property",
			     fdt_off_dt_struct(fdt) + (size_t)chosen);
	loc->blob = prop;
	loc->len = (size_t)plen;
	loc->offset = (size_t)((const char *)prop - (const char *)fdt);
	return 0;
}

int qdh_dtb_find_blob(const void *fdt, size_t len, const void **blob,
		      size_t *blob_len, size_t *offset)
{
	struct qdh_locate loc;

	return qdh_locate_result(qdh_dtb_locate(fdt, len, &loc), &loc, blob, blob_len, offset);
}

static int fdt_errno(int r)
{
	return r == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

int qdh_dtb_put_blob(void *fdt, size_t cap, const void *blob, size_t len,
		     size_t *data_offset)
{
	const void *prop;
	int chosen, r;

	if (!fdt || !blob || !len || len > QDH_MAX_BLOB_SIZE || cap > INT_MAX ||
	    cap < sizeof(struct fdt_header))
		return -EINVAL;
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > cap)
		return -EINVAL;
	/* Make the whole buffer available (a no-op if the caller did it). */
	r = fdt_open_into(fdt, fdt, (int)cap);
	if (r)
		return fdt_errno(r);
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return fdt_errno(chosen);
	r = fdt_setprop(fdt, chosen, QDH_DT_PROPERTY, blob, (int)len);
	if (r)
		return fdt_errno(r);
	/* Looked up again: any later edit of the tree may move it. */
	prop = fdt_getprop(fdt, chosen, QDH_DT_PROPERTY, NULL);
	if (!prop)
		return -EINVAL;
	if (data_offset)
		*data_offset = (size_t)((const char *)prop - (const char *)fdt);
	return 0;
}
