// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh inspect FILE [--json]: find the QDH blob in a raw file, DTB, ELF
 * (elfcorehdr, /proc/vmcore), initrd or the dump makedumpfile saved,
 * validate it, and show it.
 * Exit codes (qdh(8)): 0 valid, 1 invalid or no blob, 2 usage or I/O.
 * Every error names the file, the fault and its byte offset in the file.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "qdh/io.h"
#include "qdh/output.h"
#include "qdh/transport.h"
#include "inspect.h"

#define PROG		"qdh inspect"
/*
 * What is read of FILE (doc/security.md, "Bounds"): an ELF file by its
 * headers and notes, an initrd through a window, a DTB or a raw blob whole
 * up to its limit; never a whole file of unbounded size.
 */

struct inspect {
	int json;
	const char *file;	/* sanitised, for messages */
	uint8_t *buf;
	size_t len;
	enum qdh_container ct;
	struct qdh_locate loc;
	struct qdh_dump_info dump;	/* backs loc.fault for dumps */
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: qdh inspect [--json] FILE\n\n"
		"Validate and show the QDH blob in FILE: a raw blob, a device tree\n"
		"(/chosen/" QDH_DT_PROPERTY "), an ELF file with a \"" QDH_NOTE_NAME
		"\" note\n(elfcorehdr, /proc/vmcore, makedumpfile -E), an initrd with the cpio\n"
		"appendix, or the dump makedumpfile saved (kdump-compressed or flattened).\n\n"
		"  -j, --json   print JSON (errors too)\n"
		"  -h, --help   this text\n\n"
		"Exit status: 0 valid, 1 invalid or no blob, 2 usage or I/O error.\n");
}

/* The whole file, at most max bytes (-EFBIG past it). */
static int read_all(int fd, size_t max, uint8_t **out, size_t *len)
{
	void *buf;
	int r = qdh_read_fd_alloc(fd, max, &buf, len);

	if (r == 0)
		*out = buf;
	return r;
}

/* Fills ins->loc; returns 0 or -errno. */
static int locate(struct inspect *ins, int fd, const struct stat *st)
{
	uint8_t head[16];
	ssize_t n;
	int r;

	n = pread(fd, head, sizeof(head), 0);
	if (n < 0)
		return -errno;
	ins->ct = qdh_detect_container(head, (size_t)n);
	memset(&ins->loc, 0, sizeof(ins->loc));
	switch (ins->ct) {
	case QDH_CT_ELF:
		return qdh_elf_locate_fd(fd, &ins->loc);
	case QDH_CT_INITRD:
		return qdh_initrd_locate_fd(fd, (size_t)st->st_size, &ins->loc);
	case QDH_CT_RAW:
		r = read_all(fd, QDH_MAX_BLOB_SIZE, &ins->buf, &ins->len);
		if (r == -EFBIG)
			ins->loc.fault = "larger than the 2 MiB a QDH blob may be";
		if (r)
			return r;
		ins->loc.blob = ins->buf;
		ins->loc.len = ins->len;
		return 0;
	case QDH_CT_DTB:
		r = read_all(fd, QDH_DTB_MAX, &ins->buf, &ins->len);
		if (r == -EFBIG)
			ins->loc.fault = "FDT larger than 2 MiB (the arm64 limit)";
		return r ? r : qdh_dtb_locate(ins->buf, ins->len, &ins->loc);
	/* A saved dump is read by its headers and notes only, never whole. */
	case QDH_CT_KDUMP:
	case QDH_CT_KDUMP_FLAT:
		return qdh_dump_locate_fd(fd, &ins->loc, &ins->dump);
	case QDH_CT_UNKNOWN:
		break;
	}
	ins->loc.fault = n ? "not a QDH blob, device tree, ELF file, initrd "
			     "or makedumpfile dump"
			   : "empty file";
	ins->loc.offset = 0;
	return -EBADMSG;
}

static int run(struct inspect *ins, const char *path)
{
	struct json_object *root, *c;
	struct qdh_view v;
	struct stat st;
	int fd, r;

	/* A regular file (a FIFO would block us), opened without blocking. */
	fd = qdh_open_input(path, &st);
	if (fd < 0) {
		qdh_output_error(ins->json, PROG, ins->file, -1, "cannot open: %s",
				 qdh_input_strerror(fd, &st));
		return QDH_EXIT_USAGE;
	}
	r = locate(ins, fd, &st);
	close(fd);
	if (r == -EBADMSG || r == -ENOENT || r == -EFBIG) {
		if (ins->ct == QDH_CT_UNKNOWN)
			qdh_output_error(ins->json, PROG, ins->file, (long long)ins->loc.offset,
					 "unrecognised format: %s", ins->loc.fault);
		else
			qdh_output_error(ins->json, PROG, ins->file, (long long)ins->loc.offset,
					 "%s %s: %s", r == -ENOENT ? "no QDH blob in" : "malformed",
					 qdh_container_name(ins->ct), ins->loc.fault);
		return QDH_EXIT_INVALID;
	}
	if (r) {
		qdh_output_error(ins->json, PROG, ins->file, -1, "cannot read: %s",
				 strerror(-r));
		return QDH_EXIT_USAGE;
	}
	r = qdh_check(&v, ins->loc.blob, ins->loc.len);
	if (r) {
		qdh_output_error(ins->json, PROG, ins->file,
				 (long long)(ins->loc.offset + v.err_offset),
				 "invalid QDH blob (%s container, blob at byte %zu): %s",
				 qdh_container_name(ins->ct), ins->loc.offset, qdh_strerror(r));
		return QDH_EXIT_INVALID;
	}
	root = json_object_new_object();
	json_object_object_add(root, "file", json_object_new_string(ins->file));
	c = json_object_new_object();
	json_object_object_add(c, "type", json_object_new_string(qdh_container_name(ins->ct)));
	json_object_object_add(c, "blob_offset", json_object_new_int64((int64_t)ins->loc.offset));
	json_object_object_add(c, "blob_length", json_object_new_int64((int64_t)v.size));
	json_object_object_add(root, "container", c);
	json_object_object_add(root, "valid", json_object_new_boolean(1));
	json_object_object_add(root, "blob", qdh_blob_to_json(&v));
	r = qdh_output(root, ins->json, qdh_inspect_render_text, stdout);
	json_object_put(root);
	if (r) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(-r));
		return QDH_EXIT_USAGE;
	}
	return QDH_EXIT_OK;
}

int cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct inspect ins = { 0 };
	char name[4096 + 1];
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			ins.json = 1;
			break;
		case 'h':
			usage(stdout);
			return QDH_EXIT_OK;
		default:
			qdh_output_error(ins.json, PROG, NULL, -1, "unknown option '%s'",
					 argv[optind - 1]);
			if (!ins.json)
				usage(stderr);
			return QDH_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		qdh_output_error(ins.json, PROG, NULL, -1, "expected exactly one FILE");
		if (!ins.json)
			usage(stderr);
		return QDH_EXIT_USAGE;
	}
	ins.file = qdh_printable(argv[optind], strlen(argv[optind]), name, sizeof(name));
	rc = run(&ins, argv[optind]);
	free(ins.buf);
	free(ins.loc.owned);
	return rc;
}
