// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qdh scan: inventory DMA-capable devices, their IOMMUs and StreamIDs, and
 * a verdict for each; print a table or JSON, optionally write the QDH blob.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "qdh/inventory.h"
#include "qdh/io.h"
#include "qdh/output.h"
#include "scan-json.h"

#define PROG "qdh scan"

struct log_state {
	int json;
	char last_err[1024];
};

static void scan_log(void *userdata, int level, const char *msg)
{
	struct log_state *ls = userdata;

	if (level <= QDH_LOG_ERR) {
		/* Reported once, by main's error path (JSON-aware). */
		snprintf(ls->last_err, sizeof(ls->last_err), "%s", msg);
		return;
	}
	fprintf(stderr, "%s: %s%s\n", PROG, level == QDH_LOG_WARN ? "warning: " : "", msg);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: qdh scan [OPTIONS]\n"
"Inventory DMA-capable devices, their IOMMUs and StreamIDs, with verdicts.\n\n"
"  --sysroot DIR            read the system below DIR (default /)\n"
"  --crash                  verdicts for a kdump load (default): no .shutdown runs\n"
"  --kexec                  verdicts for a normal kexec: .shutdown drivers quiesce\n"
"  --policy FILE            JSON policy rules (doc/policy.md)\n"
"  --dump-target X          PATH, block device, MAJ:MIN, IFACE or PCI address:\n"
"                           keep the dump's disk or NIC usable (reset, attach)\n"
"  --detect-dump-targets    without --dump-target: find them as a crash load\n"
"                           does (root= and the kdump service's config)\n"
"  --cmdline STRING         the crash kernel's command line for detection\n"
"                           (default: the sysroot's /proc/cmdline)\n"
"  --shutdown-drivers FILE  drivers with .shutdown (default: built-in list)\n"
"  --json                   print JSON (doc/scan-json.md)\n"
"  --encode OUT             also write the QDH blob to OUT\n"
"  --no-purgatory           the blob is for a load where no QDH purgatory runs\n"
"                           (kexec_file_load): flag no-purgatory, never block-bypass\n"
"  --strict                 exit 1 if any device is unknown\n"
"  -h, --help               this help\n\n"
"Exit: 0 done, 1 invalid input (policy, dump target; --strict: unknown\n"
"devices), 2 usage or I/O error.\n");
}

/* One device line (and its problem) from the device's JSON object. */
static void print_device(struct json_object *d, struct json_object *im, int w, FILE *out)
{
	struct json_object *v;
	const char *id = qdh_json_str(d, "id", "?");
	const char *drv = qdh_json_str(d, "driver", "-");
	const char *prob = qdh_json_str(d, "problem", NULL);
	char sids[64] = "-", reas[256] = "", mmu[24] = "-";
	size_t k, m, o = 0;

	if (json_object_object_get_ex(d, "stream_ids", &v) &&
	    (m = json_object_array_length(v)) > 0) {
		for (k = 0; k < m && o < sizeof(sids) - 12; k++)
			o += (size_t)snprintf(sids + o, sizeof(sids) - o, "%s%#llx",
				k ? "," : "",
				(unsigned long long)json_object_get_int64(
					json_object_array_get_idx(v, k)));
	}
	if (json_object_object_get_ex(d, "iommu", &v) && v) {
		struct json_object *mm;
		size_t j, nm = json_object_array_length(im);

		for (j = 0; j < nm; j++) {
			mm = json_object_array_get_idx(im, j);
			if (!strcmp(qdh_json_str(mm, "name", ""), json_object_get_string(v)))
				snprintf(mmu, sizeof(mmu), "%zu", j);
		}
	}
	o = 0;
	if (json_object_object_get_ex(d, "reasons", &v))
		for (k = 0, m = json_object_array_length(v); k < m; k++)
			o += (size_t)snprintf(reas + o, o < sizeof(reas) ? sizeof(reas) - o : 0,
				"%s%s", k ? "," : "",
				json_object_get_string(json_object_array_get_idx(v, k)));
	fprintf(out, "%-*s %-16s %-5s %-12s %-9s %-17s %s\n", w,
		id, drv, mmu, sids,
		qdh_json_str(d, "state", "?"), qdh_json_str(d, "action", "?"), reas);
	if (prob)
		fprintf(out, "%*s   ! %s\n", w, "", prob);
}

/*
 * The table, one device object at a time (json.c): the JSON objects are
 * the one source of what is printed, but 100k of them never coexist.
 */
static void print_text(const struct qdh_inventory *inv, FILE *out)
{
	struct json_object *root = qdh_inventory_json_frame(inv);
	struct json_object *im, *sk, *sum;
	/* Strings in the objects are already escaped (json.c): print them as they are. */
	char b[160];
	size_t i, n, w = 12;

	if (json_object_object_get_ex(root, "iommus", &im) &&
	    json_object_array_length(im)) {
		fprintf(out, "IOMMUs:\n  %-3s %-28s %-7s %-18s %s\n", "#", "NAME", "TYPE",
			"BASE", "SEGMENT");
		n = json_object_array_length(im);
		for (i = 0; i < n; i++) {
			struct json_object *m = json_object_array_get_idx(im, i);
			const char *name = qdh_json_str(m, "name", "");
			long long seg = qdh_json_int(m, "segment", -1);

			fprintf(out, "  %-3zu %-28s %-7s %-18s %s%s\n", i,
				name,
				qdh_json_str(m, "type", "?"), qdh_json_str(m, "base", "?"),
				seg >= 0 ? (snprintf(b, sizeof(b), "%lld", seg), b) : "-",
				qdh_json_int(m, "has_active", 0) ? "  (active devices behind)" : "");
		}
		fputc('\n', out);
	} else {
		fprintf(out, "IOMMUs: none found\n\n");
	}
	for (i = 0; i < inv->ndevices; i++) {
		const char *name = inv->devices[i].name;
		char id[1024];
		size_t l = strlen(qdh_printable(name, strlen(name), id, sizeof(id)));

		if (l > w && l < 64)
			w = l;
	}
	fprintf(out, "%-*s %-16s %-5s %-12s %-9s %-17s %s\n", (int)w, "DEVICE", "DRIVER",
		"IOMMU", "STREAMIDS", "STATE", "ACTION", "REASONS");
	for (i = 0; i < inv->ndevices; i++) {
		struct json_object *d = qdh_inventory_device_json(inv, i);

		print_device(d, im, (int)w, out);
		json_object_put(d);
	}
	if (json_object_object_get_ex(root, "skipped", &sk) &&
	    (n = json_object_array_length(sk)) > 0) {
		fprintf(out, "\nSkipped bus entries:\n");
		for (i = 0; i < n; i++) {
			struct json_object *s = json_object_array_get_idx(sk, i);
			const char *e = qdh_json_str(s, "entry", "?");

			fprintf(out, "  %s: %s\n", e,
				qdh_json_str(s, "problem", "?"));
		}
	}
	json_object_object_get_ex(root, "summary", &sum);
	fprintf(out, "\n%lld devices: %lld quiesced, %lld active, %lld unknown, %lld bridge"
		" (%s mode)\n",
		qdh_json_int(sum, "devices", 0), qdh_json_int(sum, "quiesced", 0),
		qdh_json_int(sum, "active", 0), qdh_json_int(sum, "unknown", 0),
		qdh_json_int(sum, "bridge", 0), qdh_json_str(root, "mode", "?"));
	json_object_put(root);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int r;

	if (fd < 0)
		return -errno;
	r = qdh_write_all(fd, buf, len);
	if (close(fd) < 0 && !r)
		r = -errno;
	return r;
}

static int exit_for(int err)
{
	switch (err) {
	case -EINVAL: case -EPERM: case -ENODEV: case -EBADMSG:
		return QDH_EXIT_INVALID;
	}
	return QDH_EXIT_USAGE;
}

int cmd_scan(int argc, char **argv)
{
	enum { O_SYSROOT = 256, O_CRASH, O_KEXEC, O_POLICY, O_DUMP, O_JSON, O_ENCODE,
	       O_SHUTDOWN, O_STRICT, O_NO_PURGATORY, O_DETECT, O_CMDLINE };
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, O_SYSROOT },
		{ "crash", no_argument, NULL, O_CRASH },
		{ "kexec", no_argument, NULL, O_KEXEC },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "dump-target", required_argument, NULL, O_DUMP },
		{ "detect-dump-targets", no_argument, NULL, O_DETECT },
		{ "cmdline", required_argument, NULL, O_CMDLINE },
		{ "json", no_argument, NULL, O_JSON },
		{ "encode", required_argument, NULL, O_ENCODE },
		{ "shutdown-drivers", required_argument, NULL, O_SHUTDOWN },
		{ "strict", no_argument, NULL, O_STRICT },
		{ "no-purgatory", no_argument, NULL, O_NO_PURGATORY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct log_state ls = { 0, "" };
	struct qdh_log log = { scan_log, &ls, QDH_LOG_WARN };
	struct qdh_scan_opts so = { .mode = QDH_SCAN_CRASH, .log = &log };
	const char *sysroot = "/", *encode = NULL;
	struct qdh_inventory inv;
	struct qdh_sysroot sr;
	int c, r, strict = 0, ret = QDH_EXIT_OK;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_SYSROOT: sysroot = optarg; break;
		case O_CRASH: so.mode = QDH_SCAN_CRASH; break;
		case O_KEXEC: so.mode = QDH_SCAN_KEXEC; break;
		case O_POLICY: so.policy_file = optarg; break;
		case O_DUMP: so.dump_target = optarg; break;
		case O_DETECT: so.detect_dump_targets = 1; break;
		case O_CMDLINE: so.dump_cmdline = optarg; break;
		case O_JSON: ls.json = 1; break;
		case O_ENCODE: encode = optarg; break;
		case O_SHUTDOWN: so.shutdown_drivers = optarg; break;
		case O_STRICT: strict = 1; break;
		case O_NO_PURGATORY: so.no_purgatory = 1; break;
		case 'h': usage(stdout); return QDH_EXIT_OK;
		default:
			qdh_output_error(ls.json, PROG, NULL, -1, "unknown option '%s' (see --help)",
					 argv[optind - 1]);
			return QDH_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		qdh_output_error(ls.json, PROG, NULL, -1, "unexpected argument '%s'", argv[optind]);
		return QDH_EXIT_USAGE;
	}
	r = qdh_sysroot_open(&sr, sysroot);
	if (r < 0) {
		qdh_output_error(ls.json, PROG, sysroot, -1, "%s", strerror(-r));
		return QDH_EXIT_USAGE;
	}
	r = qdh_inventory_scan(&sr, &so, &inv);
	qdh_sysroot_close(&sr);
	if (r < 0) {
		qdh_output_error(ls.json, PROG, NULL, -1, "%s",
				 ls.last_err[0] ? ls.last_err : strerror(-r));
		return exit_for(r);
	}
	if (encode) {
		uint8_t *blob = NULL;
		size_t len = 0;

		r = qdh_inventory_encode(&inv, 0, &blob, &len, NULL);
		if (r == 0)
			r = write_file(encode, blob, len);
		free(blob);
		if (r < 0) {
			qdh_output_error(ls.json, PROG, encode, -1, "cannot encode: %s",
					 r == -EFBIG ? "the blob would pass the 2 MiB a QDH blob "
					 "may be (doc/abi.md, \"Sizes\")" :
					 strerror(-r));
			qdh_inventory_free(&inv);
			return QDH_EXIT_USAGE;
		}
	}
	r = 0;
	if (ls.json)
		r = qdh_inventory_json_print(&inv, stdout);
	else
		print_text(&inv, stdout);
	if (r < 0 || fflush(stdout) == EOF || ferror(stdout))
		ret = QDH_EXIT_USAGE;
	if (strict)
		for (i = 0; i < inv.ndevices; i++)
			if (inv.devices[i].state == QDH_STATE_UNKNOWN && ret == QDH_EXIT_OK)
				ret = QDH_EXIT_INVALID;
	qdh_inventory_free(&inv);
	return ret;
}
