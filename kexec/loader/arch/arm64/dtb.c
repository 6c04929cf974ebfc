// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The next kernel's device tree: the running one (/sys/firmware/fdt) or
 * --dtb, edited with libfdt.  Two steps, because addresses are known only
 * after placement and placement needs the DTB's size: arm64_dtb_prepare()
 * sets every property with its final length (zero placeholders),
 * arm64_dtb_finalize() fills the values in place, so nothing moves and the
 * QDH property's data offset stays valid.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <libfdt.h>

#include "qdh/fdt-guard.h"
#include "qdh/loader.h"
#include "qdh/transport.h"
#include "arm64.h"

#define DTB_MAX		(2u << 20)	/* arm64 booting.rst: at most 2 MiB */
#define RNG_SEED_BYTES	64

static int fdt_err(struct qdh_ld_ctx *c, const char *what, int r)
{
	qdh_logf(&c->log, QDH_LOG_ERR, "device tree: %s: %s", what, fdt_strerror(r));
	return r == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL;
}

static int set_zero(void *fdt, int node, const char *name, int len)
{
	void *p;
	int r = fdt_setprop_placeholder(fdt, node, name, len, &p);

	if (r == 0)
		memset(p, 0, (size_t)len);
	return r;
}

static int random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* PL011 data register from /chosen/stdout-path ("/pl011@9000000:115200"
 * or an alias), if the node is a PL011 directly under the root. */
static uint64_t find_pl011(const void *fdt)
{
	char path[256];
	const char *sp;
	int len, node, parent, ac;
	const fdt32_t *reg;
	size_t n;

	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0)
		return 0;
	sp = fdt_getprop(fdt, node, "stdout-path", &len);
	if (!sp || len <= 1 || !memchr(sp, '\0', (size_t)len))
		return 0;
	n = strcspn(sp, ":");
	if (n >= sizeof(path))
		return 0;
	memcpy(path, sp, n);
	path[n] = '\0';
	if (path[0] != '/') {
		const char *alias = fdt_get_alias(fdt, path);

		if (!alias)
			return 0;
		node = fdt_path_offset(fdt, alias);
	} else {
		node = fdt_path_offset(fdt, path);
	}
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011"))
		return 0;
	parent = fdt_parent_offset(fdt, node);
	/* Under a bus with address translation we would need "ranges". */
	if (parent != 0)
		return 0;
	ac = fdt_address_cells(fdt, 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || len < ac * 4)
		return 0;
	return ac == 2 ? (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])
		       : fdt32_to_cpu(reg[0]);
}

int arm64_dtb_prepare(struct qdh_ld_ctx *c, const uint8_t *in, size_t inlen,
		      const struct arm64_dtb_in *d, struct arm64_dtb *out)
{
	static const char *const stale[] = {
		"linux,elfcorehdr", "linux,usable-memory-range",
		"linux,initrd-start", "linux,initrd-end", QDH_DT_PROPERTY,
	};
	int ac, sc, chosen, r;
	size_t i, cap, guard_at;
	uint8_t *fdt;
	uint64_t seed;
	uint8_t rng[RNG_SEED_BYTES];
	const void *prop;

	memset(out, 0, sizeof(*out));
	if (inlen > DTB_MAX) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: device tree is %zu bytes, "
			 "larger than the 2 MiB arm64 limit", d->name, inlen);
		return -EFBIG;
	}
	/* libfdt 1.6.1's fdt_check_full() dereferences the NULL name it gets
	 * for a pre-v16 root node (found by fuzz-dtb): refuse those first. */
	if (inlen >= FDT_V1_SIZE && fdt_version(in) < 16) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: device tree version %u is "
			 "older than 16", d->name, (unsigned)fdt_version(in));
		return -EINVAL;
	}
	/* ...and the trees it crashes or loops on (qdh/fdt-guard.h). */
	r = inlen < FDT_V17_SIZE ? -FDT_ERR_TRUNCATED : fdt_check_header(in);
	if (r == 0 && fdt_totalsize(in) <= inlen)
		r = qdh_fdt_guard(in, inlen, &guard_at);
	if (r == 0)
		r = fdt_check_full(in, inlen);
	if (r) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: not a valid device tree: %s",
			 d->name, fdt_strerror(r));
		return -EINVAL;
	}
	cap = inlen + d->blob_len + strlen(d->cmdline ? d->cmdline : "") +
	      RNG_SEED_BYTES + 64 * d->nusable + 4096;
	fdt = malloc(cap);
	if (!fdt)
		return -ENOMEM;
	r = fdt_open_into(in, fdt, (int)cap);
	if (r)
		goto fdt_fail;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		qdh_logf(&c->log, QDH_LOG_ERR, "%s: root #address-cells %d / "
			 "#size-cells %d not supported", d->name, ac, sc);
		free(fdt);
		return -EINVAL;
	}
	out->ac = ac;
	out->sc = sc;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0) {
		r = chosen;
		goto fdt_fail;
	}
	/* Whatever the previous boot or kexec left must not leak through. */
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		r = fdt_delprop(fdt, chosen, stale[i]);
		if (r && r != -FDT_ERR_NOTFOUND)
			goto fdt_fail;
	}
	r = 0;
	if (d->cmdline)
		r = fdt_setprop_string(fdt, chosen, "bootargs", d->cmdline);
	if (!r && d->has_initrd)
		r = set_zero(fdt, chosen, "linux,initrd-start", 8);
	if (!r && d->has_initrd)
		r = set_zero(fdt, chosen, "linux,initrd-end", 8);
	if (!r && d->panic)
		r = set_zero(fdt, chosen, "linux,elfcorehdr", 4 * (ac + sc));
	if (!r && d->panic)
		r = set_zero(fdt, chosen, "linux,usable-memory-range",
			     4 * (ac + sc) * (int)d->nusable);
	if (r)
		goto fdt_fail;
	/* Fresh randomness: never boot two kernels with the same seeds. */
	r = random_bytes(&seed, sizeof(seed));
	if (!r)
		r = random_bytes(rng, sizeof(rng));
	if (r) {
		qdh_logf(&c->log, QDH_LOG_ERR, "getrandom: %s", strerror(-r));
		free(fdt);
		return r;
	}
	r = fdt_setprop_u64(fdt, chosen, "kaslr-seed", seed);
	if (!r)
		r = fdt_setprop(fdt, chosen, "rng-seed", rng, sizeof(rng));
	if (r)
		goto fdt_fail;
	if (d->blob) {
		size_t off;

		r = qdh_dtb_put_blob(fdt, cap, d->blob, d->blob_len, &off);
		if (r < 0) {
			qdh_logf(&c->log, QDH_LOG_ERR, "device tree: adding %s: %s",
				 QDH_DT_PROPERTY, strerror(-r));
			free(fdt);
			return r;
		}
	}
	r = fdt_pack(fdt);
	if (r)
		goto fdt_fail;
	out->fdt = fdt;
	out->size = fdt_totalsize(fdt);
	if (out->size > DTB_MAX) {
		qdh_logf(&c->log, QDH_LOG_ERR, "device tree with the handover is "
			 "%zu bytes, larger than the 2 MiB arm64 limit", out->size);
		free(fdt);
		out->fdt = NULL;
		return -EFBIG;
	}
	if (d->blob) {
		/* Packing moved blocks: find the property's data again. */
		chosen = fdt_path_offset(fdt, "/chosen");
		prop = fdt_getprop(fdt, chosen, QDH_DT_PROPERTY, NULL);
		if (!prop) {
			free(fdt);
			out->fdt = NULL;
			return -EINVAL;
		}
		out->blob_offset = (size_t)((const uint8_t *)prop - fdt);
	}
	out->uart = find_pl011(fdt);
	return 0;
fdt_fail:
	free(fdt);
	return fdt_err(c, "editing /chosen", r);
}

/* <addr size> in the root's cell sizes. */
static int put_cells(uint8_t *p, int ac, int sc, uint64_t addr, uint64_t size)
{
	if ((ac == 1 && addr >> 32) || (sc == 1 && size >> 32))
		return -ERANGE;
	if (ac == 2) {
		fdt32_st(p, (uint32_t)(addr >> 32));
		p += 4;
	}
	fdt32_st(p, (uint32_t)addr);
	p += 4;
	if (sc == 2) {
		fdt32_st(p, (uint32_t)(size >> 32));
		p += 4;
	}
	fdt32_st(p, (uint32_t)size);
	return 0;
}

int arm64_dtb_finalize(struct qdh_ld_ctx *c, struct arm64_dtb *dt,
		       const struct arm64_dtb_in *d, const struct arm64_dtb_addrs *a)
{
	void *fdt = dt->fdt;
	int chosen = fdt_path_offset(fdt, "/chosen");
	int cells = dt->ac + dt->sc, r = 0;
	uint8_t tmp[4 * 4 * QDH_LD_MAX_RANGES];
	size_t i;

	if (chosen < 0)
		return fdt_err(c, "/chosen", chosen);
	if (d->has_initrd) {
		r = fdt_setprop_inplace_u64(fdt, chosen, "linux,initrd-start",
					    a->initrd_start);
		if (!r)
			r = fdt_setprop_inplace_u64(fdt, chosen, "linux,initrd-end",
						    a->initrd_end);
		if (r)
			return fdt_err(c, "linux,initrd-start/end", r);
	}
	if (!d->panic)
		return 0;
	if (d->nusable > QDH_LD_MAX_RANGES)
		return -E2BIG;
	if (put_cells(tmp, dt->ac, dt->sc, a->elfcorehdr, a->elfcorehdr_size))
		goto range;
	r = fdt_setprop_inplace(fdt, chosen, "linux,elfcorehdr", tmp, 4 * cells);
	if (r)
		return fdt_err(c, "linux,elfcorehdr", r);
	for (i = 0; i < d->nusable; i++)
		if (put_cells(tmp + 4 * cells * i, dt->ac, dt->sc, d->usable[i].start,
			      d->usable[i].end - d->usable[i].start + 1))
			goto range;
	r = fdt_setprop_inplace(fdt, chosen, "linux,usable-memory-range", tmp,
				4 * cells * (int)d->nusable);
	if (r)
		return fdt_err(c, "linux,usable-memory-range", r);
	return 0;
range:
	qdh_logf(&c->log, QDH_LOG_ERR, "device tree: an address does not fit "
		 "the root's #address-cells/#size-cells");
	return -ERANGE;
}
