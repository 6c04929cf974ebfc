/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Force-included (-include) into every purgatory C file: all symbols are
 * hidden, so -fPIE code reaches even extern functions and data PC-relative
 * instead of through a GOT slot that would need a relocation.  The one
 * symbol the loader looks up keeps default visibility explicitly.
 */
#pragma GCC visibility push(hidden)
