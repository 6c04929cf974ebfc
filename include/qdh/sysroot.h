/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one layer through which kexec-qdh reads (and, for `qdh apply`, writes)
 * the running system.  A sysroot is a directory fd; every path is resolved
 * beneath it, so `--sysroot DIR` runs exactly the production code on a
 * captured or synthetic tree, and a hostile tree cannot reach past DIR:
 * absolute symlinks and ".." are taken relative to DIR, as if it were "/"
 * (openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) where the kernel has
 * it, Linux >= 5.6; otherwise a component-by-component walk that follows
 * each link itself).  Whether DIR is the live system is decided once, by
 * identity, and a non-live sysroot never writes to a kernel filesystem.
 *
 * Paths passed in are written as on a live system ("/sys/bus/pci/devices");
 * the leading '/' is stripped.  All functions return 0 or a negative errno
 * and never print.
 */
#ifndef QDH_SYSROOT_H
#define QDH_SYSROOT_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Every system path kexec-qdh knows; nothing else names /sys or /proc. */
#define QDH_PATH_PCI_DEVICES	"/sys/bus/pci/devices"
#define QDH_PATH_PLATFORM_DEVICES "/sys/bus/platform/devices"
#define QDH_PATH_CLASS_IOMMU	"/sys/class/iommu"
#define QDH_PATH_FDT		"/sys/firmware/fdt"
#define QDH_PATH_DEVICE_TREE	"/proc/device-tree"
/* What of_node links point into; QDH_PATH_DEVICE_TREE is its /proc alias. */
#define QDH_PATH_DT_BASE	"/sys/firmware/devicetree/base"
#define QDH_PATH_ACPI_TABLES	"/sys/firmware/acpi/tables"
#define QDH_PATH_IOMEM		"/proc/iomem"
#define QDH_PATH_CMDLINE	"/proc/cmdline"
#define QDH_PATH_VMCORE		"/proc/vmcore"
#define QDH_PATH_KMSG		"/dev/kmsg"
#define QDH_PATH_MOUNTINFO	"/proc/self/mountinfo"
#define QDH_PATH_CLASS_NET	"/sys/class/net"
#define QDH_PATH_CLASS_BLOCK	"/sys/class/block"
#define QDH_PATH_SYS_BTRFS	"/sys/fs/btrfs"	/* multi-device btrfs members */
#define QDH_PATH_DEV_BLOCK	"/sys/dev/block"
#define QDH_PATH_KEXEC_LOADED	"/sys/kernel/kexec_loaded"
#define QDH_PATH_KEXEC_CRASH_LOADED "/sys/kernel/kexec_crash_loaded"
#define QDH_PATH_KEXEC_CRASH_SIZE "/sys/kernel/kexec_crash_size"
#define QDH_PATH_CRASH_NOTES_CPU "/sys/devices/system/cpu"
#define QDH_PATH_POSSIBLE_CPUS	"/sys/devices/system/cpu/possible"
#define QDH_PATH_VMCOREINFO	"/sys/kernel/vmcoreinfo"
#define QDH_PATH_LOCKDOWN	"/sys/kernel/security/lockdown"
#define QDH_PATH_CHOSEN_QDH	"/proc/device-tree/chosen/kexec-qdh,handover"
#define QDH_PATH_SYS_DEVICES	"/sys/devices"
/* Dump-target detection (kexec/scan/dump*.c): udev's persistent links, the
 * routing tables, name resolution and the kdump services' configuration. */
#define QDH_PATH_DEV		"/dev"
#define QDH_PATH_DISK_BY	"/dev/disk"	/* by-uuid, by-label, ... */
#define QDH_PATH_NET_ROUTE	"/proc/net/route"
#define QDH_PATH_NET_IPV6_ROUTE	"/proc/net/ipv6_route"
#define QDH_PATH_HOSTS		"/etc/hosts"
#define QDH_PATH_FSTAB		"/etc/fstab"
#define QDH_PATH_KDUMP_TOOLS	"/etc/default/kdump-tools"	/* Debian */
#define QDH_PATH_KDUMP_CONF	"/etc/kdump.conf"		/* kdump-utils */

struct qdh_sysroot {
	int dirfd;		/* the root; O_PATH|O_DIRECTORY */
	int live;		/* the running system's /, /sys or /proc (identity) */
	int walk;		/* resolve by walking: no openat2(), or forced */
	char prefix[4096];	/* as given, for messages ("/" when live) */
};

/*
 * Open DIR (NULL or "" means "/").  The environment variable
 * QDH_SYSROOT_RESOLVE=walk forces the component-by-component walk (tests:
 * the path a kernel older than 5.6 takes).
 */
int qdh_sysroot_open(struct qdh_sysroot *sr, const char *dir);
void qdh_sysroot_close(struct qdh_sysroot *sr);
/*
 * 1 if the sysroot is the live system: it is "/" itself, or its /sys or
 * /proc is the running kernel's (same device and inode: a bind mount
 * counts, a directory that merely holds a link to /sys resolves inside the
 * tree and does not).  Decided at open.  Writes in a sysroot that is not
 * live go only to regular files that are not on a kernel filesystem
 * (sysfs, procfs, debugfs, ...): -EPERM otherwise.
 */
int qdh_sysroot_is_live(const struct qdh_sysroot *sr);

/* "/sys/x" -> "<prefix>/sys/x" for messages; returns buf. */
const char *qdh_sysroot_display(const struct qdh_sysroot *sr, const char *path,
				char *buf, size_t cap);

/* open() beneath the root; returns an fd or -errno. */
int qdh_sysroot_openat(const struct qdh_sysroot *sr, const char *path, int flags);
/* Create (or open) a file with a mode, beneath the root; fd or -errno. */
int qdh_sysroot_create(const struct qdh_sysroot *sr, const char *path,
		       int flags, mode_t mode);
/*
 * open() of path relative to dirfd, a directory of this sysroot, never
 * leaving that directory: a link or ".." that would is -EXDEV
 * (RESOLVE_BENEATH).  For readers that hold a device directory's fd and
 * read many attributes below it (the scanner).
 */
int qdh_sysroot_open_beneath(const struct qdh_sysroot *sr, int dirfd,
			     const char *path, int flags);
/* readlink() of path below dirfd, resolved as qdh_sysroot_open_beneath(). */
int qdh_sysroot_readlink_beneath(const struct qdh_sysroot *sr, int dirfd,
				 const char *path, char *buf, size_t cap);
/* mkdir -p beneath the root (existing directories are fine). */
int qdh_sysroot_mkdirs(const struct qdh_sysroot *sr, const char *path, mode_t mode);
/*
 * Replace a whole file: written to a new temporary file in its directory
 * (O_CREAT | O_EXCL | O_NOFOLLOW), then renamed over path, so a link
 * planted at path is replaced, never followed, and a reader sees the old
 * or the new file, never half of one.
 */
int qdh_sysroot_replace(const struct qdh_sysroot *sr, const char *path,
			const void *buf, size_t len, mode_t mode);
/* opendir() relative to the root; NULL with errno set on failure. */
DIR *qdh_sysroot_opendir(const struct qdh_sysroot *sr, const char *path);
int qdh_sysroot_stat(const struct qdh_sysroot *sr, const char *path,
		     struct stat *st, int flags);
int qdh_sysroot_exists(const struct qdh_sysroot *sr, const char *path);

/*
 * Read up to cap-1 bytes, NUL-terminate, *len (optional) gets the length.
 * -EFBIG if the file is larger than cap-1 bytes.
 */
int qdh_sysroot_read(const struct qdh_sysroot *sr, const char *path,
		     char *buf, size_t cap, size_t *len);
/* Same, trailing whitespace stripped: for one-value sysfs attributes. */
int qdh_sysroot_read_str(const struct qdh_sysroot *sr, const char *path,
			 char *buf, size_t cap);
/* Parse a one-number attribute (base 0: "0x1af4", "16", "010" octal off). */
int qdh_sysroot_read_u64(const struct qdh_sysroot *sr, const char *path,
			 uint64_t *val);
/* Raw bytes up to cap (PCI config, ACPI tables); *len gets bytes read. */
int qdh_sysroot_read_bin(const struct qdh_sysroot *sr, const char *path,
			 void *buf, size_t cap, size_t *len);
/* Whole file into malloc'd memory, at most max bytes (else -EFBIG). */
int qdh_sysroot_read_alloc(const struct qdh_sysroot *sr, const char *path,
			   size_t max, void **buf, size_t *len);
/* readlink() of the last component (links before it resolved beneath the
 * root), NUL-terminated; -ENAMETOOLONG if it does not fit. */
int qdh_sysroot_readlink(const struct qdh_sysroot *sr, const char *path,
			 char *buf, size_t cap);
/* Basename of a symlink's target ("driver" -> "virtio-pci"). */
int qdh_sysroot_link_name(const struct qdh_sysroot *sr, const char *path,
			  char *buf, size_t cap);
/* Write a string to an attribute (one write(), like echo). */
int qdh_sysroot_write(const struct qdh_sysroot *sr, const char *path,
		      const void *buf, size_t len);
/* Write bytes at an offset (PCI config space). */
int qdh_sysroot_pwrite(const struct qdh_sysroot *sr, const char *path,
		       const void *buf, size_t len, off_t off);
/*
 * Resolve a path's symlinks inside the sysroot, like realpath() but never
 * leaving it; result is sysroot-relative with a leading '/'.
 */
int qdh_sysroot_resolve(const struct qdh_sysroot *sr, const char *path,
			char *out, size_t cap);

#endif /* QDH_SYSROOT_H */
