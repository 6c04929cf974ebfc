/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small I/O helpers shared by the userspace tools. */
#ifndef QDH_IO_H
#define QDH_IO_H

#include <stddef.h>

/* write() all of buf, retrying short writes and EINTR; 0 or -errno. */
int qdh_write_all(int fd, const void *buf, size_t len);

#endif
