/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small I/O helpers shared by the userspace tools. */
#ifndef QDH_IO_H
#define QDH_IO_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* write() all of buf, retrying short writes and EINTR; 0 or -errno. */
int qdh_write_all(int fd, const void *buf, size_t len);

/*
 * Read fd to its end into malloc'd memory, NUL-terminated one past *len;
 * at most max bytes, -EFBIG if there are more.  The one reader of whole
 * files: the sysroot layer (qdh_sysroot_read_alloc), the loader's input
 * files, policy files, `qdh inspect`.  0 or -errno; *out untouched on
 * error.
 */
int qdh_read_fd_alloc(int fd, size_t max, void **out, size_t *len);

/*
 * Replace dirfd/name with buf: a new temporary file in the same directory
 * (O_CREAT | O_EXCL | O_NOFOLLOW, mode exactly), then rename() over name.
 * A link planted at name is replaced, never followed.  0 or -errno; on
 * failure nothing is left behind and name is untouched.
 */
int qdh_replace_at(int dirfd, const char *name, const void *buf, size_t len,
		   mode_t mode);

/*
 * Open a file the user named (kernel, initrd, DTB, policy, blob, vmcore)
 * for reading.  Refused unless it is a regular file (-EINVAL, and st says
 * what it is: qdh_input_strerror()); checked with stat() before it is
 * opened, so a device node is never opened, and opened O_NONBLOCK (then
 * cleared) so a FIFO swapped in meanwhile cannot block.  /proc/vmcore and
 * /sys/firmware/fdt are regular files.  Returns an fd or -errno; st
 * (optional) gets the file's status.
 */
int qdh_open_input(const char *path, struct stat *st);
/* The whole of such a file, at most max bytes (-EFBIG past it). */
int qdh_read_input(const char *path, size_t max, void **buf, size_t *len,
		   struct stat *st);
/* "a FIFO, not a regular file" for -EINVAL from the above, else strerror. */
const char *qdh_input_strerror(int err, const struct stat *st);

#endif
