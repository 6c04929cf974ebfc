/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small I/O helpers shared by the userspace tools. */
#ifndef QDH_IO_H
#define QDH_IO_H

#include <stddef.h>
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

#endif
