/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One walker for ELF note areas, wherever they come from: an ELF file's
 * PT_NOTE (elfnote.c) or the note area makedumpfile copies into a dump
 * (kdump.c).  The sizes in a note header are untrusted; every step is
 * bounds-checked against the area before anything is read.
 */
#ifndef QDH_TRANSPORT_NOTES_H
#define QDH_TRANSPORT_NOTES_H

#include <stddef.h>
#include <stdint.h>

#define QDH_NOTE_HDR	12u	/* namesz, descsz, type */

struct qdh_note {
	uint32_t type;
	const uint8_t *name;	/* namesz bytes, inside the area */
	uint32_t namesz;
	size_t desc;		/* offset of the descriptor in the area */
	uint32_t descsz;
};

struct qdh_note_walk {
	const uint8_t *data;	/* the note area */
	size_t size;
	size_t align;		/* 4, or 8 where the area says so */
	int msb;		/* big-endian words */
	size_t off;		/* next note header */
	/* on -EBADMSG: the fault, and its offset in the area */
	const char *fault;
	size_t fault_off;
};

void qdh_note_walk_init(struct qdh_note_walk *w, const uint8_t *data, size_t size,
			size_t align, int msb);
/*
 * The next note: 1 with *n filled, 0 at the end of the list (the area's end,
 * or an all-zero header, the kernel's terminator), -EBADMSG when a note does
 * not fit (w->fault, w->fault_off).
 */
int qdh_note_next(struct qdh_note_walk *w, struct qdh_note *n);
/* Is it the QDH handover note (name QDH_NOTE_NAME, type QDH_NT_HANDOVER)? */
int qdh_note_is_handover(const struct qdh_note *n);

#endif
