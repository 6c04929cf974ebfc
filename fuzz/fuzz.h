/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by every fuzz target: the libFuzzer entry point's prototype (so
 * -Wmissing-prototypes stays quiet without libFuzzer's headers) and a
 * helper that walks a validated blob the way the tools do.  Each target is
 * linked twice: with libFuzzer (fuzz/fuzz-NAME, `make fuzz`) and with
 * fuzz/replay-main.c (tests/fuzz/replay-NAME, `make check`).
 */
#ifndef QDH_FUZZ_H
#define QDH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A blob that passed qdh_check(): iterate, look up every device by each
 * of its keys and StreamIDs, render the JSON view.  Aborts if the codec
 * contradicts itself (a lookup misses a device the iterator returned).
 */
void qdh_fuzz_walk_blob(const void *blob, size_t len);

/*
 * Recompute both CRC-32s of a blob in place (the record's only if its
 * descriptor is sane), so a mutated blob gets past the checksums into the
 * structural checks.
 */
void qdh_fuzz_reseal(uint8_t *b, size_t len);

struct qdh_locate;
/*
 * The contract of every qdh_*_locate() reader on a container of size
 * bytes: a blob found lies inside the container and is walked; a refusal
 * (-EBADMSG, -ENOENT) always says why.  Aborts otherwise.
 */
void qdh_fuzz_check_locate(int rc, const struct qdh_locate *loc, size_t size);

#endif
