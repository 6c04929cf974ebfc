// SPDX-License-Identifier: GPL-2.0-or-later
/* The ELF note walker shared by the ELF and dump readers (notes.h). */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "qdh/transport.h"
#include "notes.h"


static uint32_t word(const struct qdh_note_walk *w, const uint8_t *p)
{
	if (w->msb)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* v + a - 1 cannot wrap: v <= size, an area is far below SIZE_MAX. */
static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

void qdh_note_walk_init(struct qdh_note_walk *w, const uint8_t *data, size_t size,
			size_t align, int msb)
{
	memset(w, 0, sizeof(*w));
	w->data = data;
	w->size = size;
	w->align = align == 8 ? 8 : 4;
	w->msb = msb;
}

static int bad(struct qdh_note_walk *w, const char *why, size_t at)
{
	w->fault = why;
	w->fault_off = at;
	return -EBADMSG;
}

int qdh_note_next(struct qdh_note_walk *w, struct qdh_note *n)
{
	size_t off = w->off, name_off, desc_off;
	uint32_t namesz, descsz, type;

	if (off >= w->size)
		return 0;
	if (w->size - off < QDH_NOTE_HDR)
		return bad(w, "note header truncated", off);
	namesz = word(w, w->data + off);
	descsz = word(w, w->data + off + 4);
	type = word(w, w->data + off + 8);
	if (!namesz && !descsz && !type)
		return 0;
	name_off = off + QDH_NOTE_HDR;
	if (namesz > w->size - name_off)
		return bad(w, "note name overflows the note area", off);
	desc_off = align_up(name_off + namesz, w->align);
	if (desc_off > w->size || descsz > w->size - desc_off)
		return bad(w, "note descriptor overflows the note area", off + 4);
	n->type = type;
	n->name = w->data + name_off;
	n->namesz = namesz;
	n->desc = desc_off;
	n->descsz = descsz;
	/* The last note's padding may be missing: nothing follows it. */
	w->off = align_up(desc_off + descsz, w->align);
	return 1;
}

int qdh_note_is_handover(const struct qdh_note *n)
{
	static const char name[] = QDH_NOTE_NAME;

	return n->namesz == sizeof(name) && !memcmp(n->name, name, sizeof(name)) &&
	       n->type == QDH_NT_HANDOVER;
}
