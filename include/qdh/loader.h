/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kexec-qdh, the loader: internal interfaces between its parts
 * (kexec/loader/ and kexec/loader/arch/arm64/).  Everything a load needs is
 * built in memory first (struct qdh_ld_image) and handed to exactly one
 * system call at the end, so a failure before that leaves the previously
 * loaded image in place.
 *
 * Functions return 0 or a negative errno and report details through the
 * qdh_log of the context; only main.c prints and picks exit codes.
 */
#ifndef QDH_LOADER_H
#define QDH_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>	/* sysroot.h uses struct stat */

#include "qdh/log.h"
#include "qdh/purgatory.h"
#include "qdh/sysroot.h"

/* Exit codes, as kexec-tools: 0 ok, 1 usage or die(), 255 (-1) a failed
 * operation.  -S returns 1 when loaded, 0 when not (kexec-tools k_status). */
#define QDH_LD_EXIT_OK		0
#define QDH_LD_EXIT_USAGE	1
#define QDH_LD_EXIT_FAIL	255

/* Serialises concurrent loads (flock), resolved inside the sysroot. */
#define QDH_LD_LOCK_PATH	"/run/kexec-qdh.lock"
#define QDH_LD_LOCK_TIMEOUT_S	30

/* --- options (options.c) ------------------------------------------------ */

enum qdh_ld_qdh_mode { QDH_MODE_OFF = 0, QDH_MODE_ON = 1, QDH_MODE_REQUIRE = 2 };
enum qdh_ld_syscall { QDH_SC_LOAD = 0, QDH_SC_FILE = 1, QDH_SC_AUTO = 2 };

struct qdh_ld_opts {
	/* What to do, with kexec-tools' do_* semantics. */
	int do_load, do_exec, do_unload, do_shutdown, do_status;
	int do_sync, do_ifdown;
	int panic;			/* -p: KEXEC_ON_CRASH */
	int has_opt_load;		/* -l given (for -S -l) */
	enum qdh_ld_syscall syscall;
	int syscall_given;		/* -s/-c/-a appeared */
	int no_checks, debug;
	const char *type;		/* -t */
	const char *cmdline;		/* --command-line / --append (last) */
	int reuse_cmdline;
	const char *initrd;		/* --initrd / --ramdisk */
	const char *dtb;		/* --dtb */
	const char *kernel;		/* first non-option argument */
	/* QDH options. */
	enum qdh_ld_qdh_mode qdh;
	const char *policy, *dump_target, *sysroot, *dry_run;
	/* Something only kexec-tools implements: hand the argv over. */
	const char *handoff_reason;
	int argc;
	char **argv;			/* the original argv (for hand-off) */
};

/*
 * Parse argv once.  Returns -1 when the options are fine and the caller
 * should act on them, or an exit code (help, version, usage error) after
 * printing what kexec-tools would.
 */
int qdh_ld_parse(int argc, char **argv, struct qdh_ld_opts *o);
void qdh_ld_usage(void);

/* Is this argv element one of ours that kexec-tools would not know? */
int qdh_ld_is_qdh_option(const char *arg, int *takes_next);

/* --- context -------------------------------------------------------------- */

/*
 * The files the user named, read whole by qdh_ld_read_inputs() before the
 * load takes /run/kexec-qdh.lock (fileio.c): a FIFO, a slow or a huge file
 * delays or stops the loader, never while it holds the lock.
 */
enum qdh_ld_input {
	QDH_LD_IN_KERNEL, QDH_LD_IN_INITRD, QDH_LD_IN_DTB, QDH_LD_IN_PURGATORY,
	QDH_LD_NINPUTS
};
#define QDH_LD_KERNEL_MAX	(512u << 20)
#define QDH_LD_INITRD_MAX	(1ull << 31)
#define QDH_LD_DTB_MAX		(2u << 20)	/* arm64 booting.rst */
#define QDH_LD_PURGATORY_MAX	(4u << 20)

struct qdh_policy;

struct qdh_ld_ctx {
	struct qdh_ld_opts *o;
	struct qdh_sysroot sr;
	struct qdh_log log;
	int lock_fd;
	struct {
		const char *path;
		uint8_t *buf;
		size_t len;
		mode_t mode;		/* for --dry-run copies */
	} in[QDH_LD_NINPUTS];
	struct qdh_policy *policy;	/* --qdh-policy, loaded before the lock */
	int policy_err;			/* its load failed: -errno */
	char policy_msg[512];		/* ... and why */
	int die;		/* the failure is kexec-tools' die(): exit 1 */
	/* Measured, for -d and the manifest. */
	double t_start, t_scan_ms, t_build_ms, t_total_ms;
};

double qdh_ld_now_ms(void);

/* --- small helpers (fileio.c) --------------------------------------------- */

/*
 * Read every file the options name (kernel, initrd, DTB, QDH_PURGATORY_ELF,
 * the policy) into c->in / c->policy; regular files only.  Logs what failed
 * and returns -errno.  Call before qdh_ld_lock().
 */
int qdh_ld_read_inputs(struct qdh_ld_ctx *c);
void qdh_ld_free_inputs(struct qdh_ld_ctx *c);
/*
 * A malloc'd copy of a file qdh_ld_read_inputs() read (at most max bytes).
 * A file it did not read is read now, unless the lock is held (-EDEADLK:
 * no user file is read under the lock).
 */
int qdh_ld_read_file(struct qdh_ld_ctx *c, const char *path, size_t max,
		     uint8_t **buf, size_t *len);
/* gzip (or zlib) stream -> malloc'd buffer; -EBADMSG on corrupt or
 * truncated data, *err_off gets the input offset reached. */
int qdh_ld_gunzip(const uint8_t *in, size_t inlen, size_t max, uint8_t **out,
		  size_t *outlen, size_t *err_off);
int qdh_ld_is_gzip(const uint8_t *buf, size_t len);
/* The first n bytes of a gzip stream (fewer if it ends or is corrupt). */
size_t qdh_ld_gunzip_head(const uint8_t *in, size_t inlen, uint8_t *head, size_t n);
/*
 * Write a whole buffer to a new file DIR/NAME with exactly mode
 * (O_CREAT | O_EXCL | O_NOFOLLOW: never an existing file, never a link).
 */
int qdh_ld_write_file(int dirfd, const char *name, const void *buf, size_t len,
		      mode_t mode);
/*
 * The --dry-run directory: created, or an existing one accepted only if it
 * is empty, ours (euid) and not writable by others (nor by a group not
 * ours); never a symbolic link.  Returns its fd, or -errno with why (when
 * the directory is refused rather than unreadable) saying what is wrong.
 */
int qdh_ld_open_outdir(const char *dir, char *why, size_t cap);

/* SHA-256 of a buffer (digest.c). */
void qdh_ld_sha256(const void *buf, size_t len, uint8_t out[32]);
void qdh_ld_hex(const uint8_t *in, size_t n, char *out);

/* --- memory map (iomem.c) ------------------------------------------------- */

enum qdh_mem_type {
	QDH_MEM_OTHER = 0, QDH_MEM_RAM, QDH_MEM_RESERVED, QDH_MEM_CRASH,
	QDH_MEM_KCODE, QDH_MEM_KDATA,
};

struct qdh_mem_range {
	uint64_t start, end;		/* inclusive, as /proc/iomem */
	enum qdh_mem_type type;
	int depth;			/* nesting in /proc/iomem */
};

struct qdh_memmap {
	struct qdh_mem_range *r;
	size_t n;
};

/*
 * Parse /proc/iomem text strictly.  On -EBADMSG *bad_line is the 1-based
 * line at fault.  -EPERM when every address is zero (read without
 * CAP_SYS_ADMIN).
 */
int qdh_iomem_parse(const char *text, size_t len, struct qdh_memmap *mm,
		    size_t *bad_line);
void qdh_memmap_free(struct qdh_memmap *mm);
/* Ranges of one type (top level RAM, nested crash/reserved), sorted. */
size_t qdh_memmap_select(const struct qdh_memmap *mm, enum qdh_mem_type t,
			 struct qdh_mem_range *out, size_t max);
/* a minus every range of b: out gets the pieces, returns their count or
 * -ENOSPC. */
int qdh_ranges_subtract(const struct qdh_mem_range *a, size_t na,
			const struct qdh_mem_range *b, size_t nb,
			struct qdh_mem_range *out, size_t max);

/* --- segments ------------------------------------------------------------- */

#define QDH_LD_MAX_SEGMENTS	8
#define QDH_LD_MAX_RANGES	64

struct qdh_ld_segment {
	const char *name;		/* "kernel", "initrd", "dtb", ... */
	uint8_t *buf;			/* owned */
	size_t bufsz;
	uint64_t mem, memsz;		/* page aligned */
	int verify;			/* listed in purgatory params */
	uint8_t sha256[32];
};

struct qdh_ld_image {
	struct qdh_ld_segment seg[QDH_LD_MAX_SEGMENTS];
	unsigned nseg;
	uint64_t entry;
	unsigned long kexec_flags;
	int has_purgatory;
	struct qdh_purgatory_params params;	/* host-endian copy */
	uint8_t *blob;			/* the QDH blob (NULL if --qdh=off) */
	size_t blob_len;
	uint64_t blob_phys[QDH_PURGATORY_MAX_BLOBS];
	uint32_t blob_flags;
	char cmdline[4096];
	/* kexec_file_load (-s) */
	int file_mode;
	uint8_t *kernel_file, *initrd_file;	/* what the fds will hold */
	size_t kernel_file_len, initrd_file_len;
};

void qdh_ld_image_free(struct qdh_ld_image *img);
/* Adds a segment (takes ownership of buf); returns its index. */
int qdh_ld_add_segment(struct qdh_ld_image *img, const char *name,
		       uint8_t *buf, size_t bufsz, uint64_t memsz, int verify);

/* --- building blocks ------------------------------------------------------ */

/* Final command line (cmdline.c): --reuse-cmdline base + --command-line. */
int qdh_ld_cmdline(struct qdh_ld_ctx *c, char *out, size_t cap, int *given);

/*
 * Inventory -> blob (blob.c).  purgatory: whether our purgatory will run
 * (kexec_load) or not (kexec_file_load, kexec-tools).  The scan resolves
 * the policy into the header flags, which *blob_flags gets from the
 * encoder; *pflags (QDH_PURG_P_*) follows from them and --no-checks.  The
 * loader reads neither the policy file nor the blob.  With --qdh=on a
 * failed scan leaves *blob NULL (flags 0) and warns; with require it
 * fails; off skips the scan.
 */
int qdh_ld_make_blob(struct qdh_ld_ctx *c, int purgatory, uint8_t **blob,
		     size_t *len, uint32_t *blob_flags, uint32_t *pflags);

/* The kernel image, the initrd, gz handled (kernel.c). */
int qdh_ld_read_kernel(struct qdh_ld_ctx *c, uint8_t **buf, size_t *len,
		       int *was_gzip);

/* Host architecture ("aarch64", "x86_64"); QDH_TEST_ARCH overrides. */
const char *qdh_ld_host_arch(void);

/* --- arm64 (arch/arm64/) -------------------------------------------------- */

#define ARM64_IMAGE_MAGIC	0x644d5241u	/* "ARM\x64" at offset 56 */
#define ARM64_IMAGE_HDR_SIZE	64

struct arm64_image {
	uint64_t text_offset, image_size, flags;
	int big_endian;
	unsigned page_size_kb;		/* 0 unspecified, 4, 16, 64 */
	int phys_anywhere;		/* flags bit 3 */
};

/* Parse the 64-byte header; -ENOEXEC if not an arm64 Image. */
int arm64_image_parse(const uint8_t *buf, size_t len, struct arm64_image *im,
		      const char **why);

/* Build every segment of a kexec_load for arm64 (arch/arm64/load.c). */
/* Takes ownership of kernel (malloc'd). */
int arm64_build(struct qdh_ld_ctx *c, uint8_t *kernel, size_t kernel_len,
		struct qdh_ld_image *img);

/* --- output of a build ---------------------------------------------------- */

/* --dry-run DIR: every segment as a file plus manifest.json (dryrun.c). */
int qdh_ld_dry_run(struct qdh_ld_ctx *c, const struct qdh_ld_image *img);

/* The system calls (syscalls.c).  QDH_TEST_FAIL_SYSCALL=NAME[:ERRNO]
 * makes NAME fail with ERRNO (default EPERM) without calling the kernel. */
long qdh_sys_kexec_load(uint64_t entry, unsigned long nseg, const void *segs,
			unsigned long flags);
long qdh_sys_kexec_file_load(int kfd, int ifd, unsigned long cmdlen,
			     const char *cmdline, unsigned long flags);
long qdh_sys_reboot_kexec(void);

/* Operations (ops.c), each returning an exit code. */
int qdh_ld_op_status(struct qdh_ld_ctx *c);
int qdh_ld_op_unload(struct qdh_ld_ctx *c);
int qdh_ld_op_exec(struct qdh_ld_ctx *c);
int qdh_ld_op_load(struct qdh_ld_ctx *c);
int qdh_ld_kexec_loaded(struct qdh_ld_ctx *c, int crash);

/* kexec_load of a built image (kload.c); explains EPERM/EBUSY/... */
int qdh_ld_kexec_load(struct qdh_ld_ctx *c, struct qdh_ld_image *img);
/* kexec_file_load path (file_load.c): any architecture. */
int qdh_ld_build_file(struct qdh_ld_ctx *c, struct qdh_ld_image *img);
int qdh_ld_kexec_file_load(struct qdh_ld_ctx *c, struct qdh_ld_image *img);
/* The user's initrd (if any), zero pad, QDH cpio appendix (if blob). */
int qdh_ld_initrd_with_blob(struct qdh_ld_ctx *c, const uint8_t *blob,
			    size_t blob_len, uint8_t **out, size_t *out_len);
/* Lockdown active? (1 yes, 0 no) */
int qdh_ld_lockdown(struct qdh_ld_ctx *c);

/* Hand the argv to kexec-tools (handoff.c); returns its exit code. */
int qdh_ld_handoff(struct qdh_ld_ctx *c);

/* Lock (lock.c). */
int qdh_ld_lock(struct qdh_ld_ctx *c);
void qdh_ld_unlock(struct qdh_ld_ctx *c);

#endif
