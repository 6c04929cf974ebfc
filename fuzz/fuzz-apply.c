/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash side's decision, end to end: from the input, a QDH blob and a
 * synthetic crash-kernel sysroot (in a temporary directory, removed after
 * every input), then `qdh apply` itself (cmd_apply(): handover, present
 * devices, decide, enforce, report) twice, --dry-run and for real.  The
 * invariants, checked on every input (abort() on a breach):
 *  - no bridge is aborted (a present bridge by class or header type, as
 *    qdh_pci_is_bridge() defines one, or a device the blob calls a bridge);
 *  - with no valid handover under --fail-safe=observe nothing is written;
 *  - nothing is written outside the sysroot (links in the tree point at
 *    decoys beside it), and a dry run writes nothing at all;
 *  - the dry run decides exactly as the real run (device, decision, why).
 *
 * Input: byte 0 options (bit 0 strict, 1 hotplug attach, 2 raw blob from the
 * tail, 3 no blob, 4 flip a blob byte, 5 a --dump-target), then up to
 * MAX_DEVS records of REC bytes:
 *   0  bus (bit 0), platform device (bit 7)
 *   1  device (bits 0-4), function (bits 5-7)
 *   2  class now (low 3 bits: CLASSES), class in the blob (next 3 bits)
 *   3  state in the blob (0 absent, else QDH_STATE_*), dump-target flag (bit 7)
 *   4  present (bit 0), driver bound (1), reset (2), driver_override (3),
 *      bus master on (4), parent: the previous device (5)
 *   5  trick (below), 6-7 spare (the flipped byte's offset, the dump target)
 * Tricks: 1 config -> absolute link out; 2 driver_override -> link climbing
 * out; 3 bus entry -> absolute link to a decoy device; 4 device directory
 * is such a link; 5 reset -> absolute link out; 6 config is a FIFO;
 * 7 driver_override is a FIFO.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "qdh/codec.h"
#include "commands.h"
#include "qdh/pcidev.h"
#include "fuzz.h"

#define MAX_DEVS	10
#define REC		8

static const uint32_t classes[8] = {
	0x060000,	/* host bridge */
	0x060400,	/* PCI-to-PCI bridge */
	0x020000,	/* network */
	0x010802,	/* NVMe */
	0x030000,	/* display */
	0x078000,	/* other */
	0x060700,	/* CardBus bridge */
	0x020000,	/* network, but header type 1: a bridge by its header */
};

struct dev {
	char name[32];
	char dir[512];		/* under the sysroot, "" if absent now */
	int platform, present, bridge_now, bridge_blob, in_blob;
};

static char work[256], root[300], outside[300];

/*
 * A broken invariant: say which, keep the tree (its path is printed), then
 * abort (libFuzzer keeps the input).
 */
#define FAIL(why)							\
	do {								\
		fprintf(stderr, "fuzz-apply: %s (line %d); the tree: %s\n", \
			why, __LINE__, work);				\
		abort();						\
	} while (0)

/*
 * Building the tree failed (ENOSPC, EMFILE: the machine, not the code under
 * test): the input is skipped, not reported as a finding.
 */
static int broken;

static void die(const char *what)
{
	if (!broken)
		fprintf(stderr, "fuzz-apply: %s: %s (input skipped)\n", what, strerror(errno));
	broken = errno ? errno : EIO;
}

static void mkdirp(const char *path)
{
	char p[600], *s;

	if (broken)
		return;
	snprintf(p, sizeof(p), "%s", path);
	for (s = p + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST) {
			die(p);
			return;
		}
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		die(p);
}

static void put(const char *dir, const char *name, const void *buf, size_t len)
{
	char p[700];
	FILE *f;

	if (broken)
		return;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "wb");
	if (!f) {
		die(p);
		return;
	}
	if ((len && fwrite(buf, 1, len, f) != len) | fclose(f))
		die(p);
}

static void putstr(const char *dir, const char *name, const char *s)
{
	put(dir, name, s, strlen(s));
}

static void link_at(const char *target, const char *dir, const char *name)
{
	char p[700];

	if (broken)
		return;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	if (symlink(target, p))
		die(p);
}

static void fifo_at(const char *dir, const char *name)
{
	char p[700];

	if (broken)
		return;
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	if (mkfifo(p, 0644))
		die(p);
}

static void config(uint8_t *c, uint32_t cls, unsigned header, int bus_master)
{
	memset(c, 0, 64);
	qdh_put_le16(c, 0x1af4);
	qdh_put_le16(c + 2, 0x1041);
	qdh_put_le16(c + 4, bus_master ? 0x0007 : 0x0003);
	c[9] = (uint8_t)cls;
	c[10] = (uint8_t)(cls >> 8);
	c[11] = (uint8_t)(cls >> 16);
	c[14] = (uint8_t)header;
}

/* Decoys beside the sysroot: what a link out of it would reach. */
static void decoys(void)
{
	char dev[400];
	uint8_t c[64];

	mkdirp(outside);
	config(c, 0x020000, 0, 1);
	put(outside, "config", c, sizeof(c));
	putstr(outside, "driver_override", "DECOY\n");
	putstr(outside, "reset", "");
	snprintf(dev, sizeof(dev), "%s/dev", outside);
	mkdirp(dev);
	put(dev, "config", c, sizeof(c));
	putstr(dev, "class", "0x020000\n");
	putstr(dev, "driver_override", "DECOY\n");
	putstr(dev, "reset", "");
	putstr(dev, "reset_method", "flr\n");
}

static void make_pci(struct dev *d, const uint8_t *r, const struct dev *parent)
{
	char busdir[400], rel[600], p[700], dir[1200], name[32];
	int n;
	unsigned sel = r[2] & 7, trick = r[5] & 7;
	uint32_t cls = classes[sel];
	unsigned header = sel == 1 ? 1 : sel == 6 ? 2 : sel == 7 ? 1 : 0;
	uint8_t c[64];

	memcpy(name, d->name, sizeof(name));
	/* What apply can see: a class file, or a header type in a config it
	 * can read; nothing of a device whose directory leads out. */
	d->bridge_now = trick != 3 && trick != 4 &&
			qdh_pci_is_bridge((int)cls,
					  trick != 1 && trick != 6 ? (int)header : -1);
	if (parent && parent->present && !parent->platform && parent->dir[0])
		n = snprintf(dir, sizeof(dir), "%s/%s", parent->dir, name);
	else
		n = snprintf(dir, sizeof(dir), "%s/sys/devices/pci0000:00/%s", root, name);
	if (n < 0 || (size_t)n >= sizeof(d->dir))
		FAIL("device path too long");
	memcpy(d->dir, dir, (size_t)n + 1);
	snprintf(busdir, sizeof(busdir), "%s/sys/bus/pci/devices", root);
	snprintf(rel, sizeof(rel), "../../..%s", d->dir + strlen(root) + 4);
	if (trick == 4) {
		/* the device directory itself leads out */
		snprintf(p, sizeof(p), "%s/dev", outside);
		{
			char parentdir[512], *slash;

			snprintf(parentdir, sizeof(parentdir), "%s", d->dir);
			slash = strrchr(parentdir, '/');
			*slash = '\0';
			mkdirp(parentdir);
			link_at(p, parentdir, slash + 1);
		}
		link_at(rel, busdir, d->name);
		d->dir[0] = '\0';	/* nothing of ours to look at */
		return;
	}
	mkdirp(d->dir);
	config(c, cls, header, r[4] & 0x10);
	put(d->dir, "config", c, sizeof(c));
	snprintf(p, sizeof(p), "0x%06x\n", cls);
	putstr(d->dir, "class", p);
	putstr(d->dir, "vendor", "0x1af4\n");
	if (r[4] & 0x08)
		putstr(d->dir, "driver_override", "(null)\n");
	if (r[4] & 0x04) {
		putstr(d->dir, "reset_method", "flr\n");
		putstr(d->dir, "reset", "");
	}
	if (r[4] & 0x02)
		link_at("../../../bus/pci/drivers/drv", d->dir, "driver");
	snprintf(p, sizeof(p), "%s/%s", outside, "config");
	switch (trick) {
	case 1:
		link_at(p, d->dir, "config");
		break;
	case 2:
		link_at("../../../../../../../../../../../../../../outside/driver_override",
			d->dir, "driver_override");
		break;
	case 3:
		snprintf(p, sizeof(p), "%s/dev", outside);
		link_at(p, busdir, d->name);
		return;
	case 5:
		snprintf(p, sizeof(p), "%s/reset", outside);
		link_at(p, d->dir, "reset");
		break;
	case 6:
		fifo_at(d->dir, "config");
		break;
	case 7:
		fifo_at(d->dir, "driver_override");
		break;
	}
	link_at(rel, busdir, d->name);
}

static void make_platform(struct dev *d, const uint8_t *r)
{
	char p[700], busdir[400], name[32];

	memcpy(name, d->name, sizeof(name));
	if (snprintf(d->dir, sizeof(d->dir), "%s/sys/devices/platform/%s", root, name) < 0)
		FAIL("platform path");
	mkdirp(d->dir);
	if (r[4] & 0x08)
		putstr(d->dir, "driver_override", "(null)\n");
	if ((r[5] & 7) == 2)
		link_at("../../../../../../../../../../outside/driver_override",
			d->dir, "driver_override");
	snprintf(p, sizeof(p), "../../../devices/platform/%s", d->name);
	snprintf(busdir, sizeof(busdir), "%s/sys/bus/platform/devices", root);
	link_at(p, busdir, d->name);
}

/* --- hashing a tree -------------------------------------------------------- */

static uint64_t tree_hash;
static size_t tree_skip;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ull;
	return h;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
	uint64_t h = fnv(0xcbf29ce484222325ull, path + tree_skip, strlen(path + tree_skip));
	char buf[4096];
	ssize_t n;
	int fd;

	(void)f;
	h = fnv(h, &st->st_mode, sizeof(st->st_mode));
	if (type == FTW_SL) {
		n = readlink(path, buf, sizeof(buf));
		if (n > 0)
			h = fnv(h, buf, (size_t)n);
	} else if (S_ISREG(st->st_mode)) {
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			h = fnv(h, buf, (size_t)n);
		if (fd >= 0)
			close(fd);
	}
	/* Order-independent: directory order may differ between listings. */
	tree_hash += h * 0x9e3779b97f4a7c15ull;
	return 0;
}

static uint64_t hash_tree(const char *dir)
{
	tree_hash = 0;
	tree_skip = strlen(dir);
	if (nftw(dir, visit, 16, FTW_PHYS) < 0 && errno != ENOENT)
		die(dir);
	return tree_hash;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* --- running qdh apply ----------------------------------------------------- */

static struct json_object *apply(const uint8_t opt, const char *dump, int dry_run,
				 const char *report)
{
	char a_root[320], a_report[340], a_dump[80];
	char *argv[16];
	int argc = 0, null, saved, rc;
	struct json_object *o;

	snprintf(a_root, sizeof(a_root), "--sysroot=%s", root);
	snprintf(a_report, sizeof(a_report), "--report=%s", report);
	argv[argc++] = (char *)"apply";
	argv[argc++] = a_root;
	argv[argc++] = a_report;
	argv[argc++] = (char *)"--no-kmsg";
	argv[argc++] = (char *)"--ignore-source=vmcore";
	argv[argc++] = (char *)"--ignore-source=initrd";
	if (dry_run)
		argv[argc++] = (char *)"--dry-run";
	if (opt & 1)
		argv[argc++] = (char *)"--fail-safe=strict";
	if (opt & 2)
		argv[argc++] = (char *)"--hotplug=attach";
	if (dump) {
		snprintf(a_dump, sizeof(a_dump), "--dump-target=%s", dump);
		argv[argc++] = a_dump;
	}
	argv[argc] = NULL;
	/* Its console output is of no interest here; sanitizer reports go
	 * to stderr, which stays. */
	fflush(stdout);
	saved = dup(1);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved < 0 || null < 0 || dup2(null, 1) < 0)
		FAIL("stdout");
	rc = cmd_apply(argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(null);
	if (rc < 0 || rc > 2)
		FAIL("qdh apply: exit code outside 0..2");
	o = json_object_from_file(report);
	if (!o && rc != 2)
		FAIL("qdh apply wrote no report");	/* 2: an I/O error, said so */
	return o;
}

static struct json_object *key(struct json_object *o, const char *k)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *str(struct json_object *o, const char *k)
{
	struct json_object *v = key(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

/*
 * blob_known: the blob apply accepted is the one built from the records
 * (not raw bytes), so what it says of bridges holds.
 */
static void check(struct json_object *dry, struct json_object *real,
		  const struct dev *devs, size_t n, int blob_known)
{
	struct json_object *dd = key(dry, "devices"), *rd = key(real, "devices");
	size_t i, j, nd;

	if (!dd || !rd || json_object_array_length(dd) != json_object_array_length(rd))
		FAIL("dry run and real run list different devices");
	if (json_object_get_boolean(key(dry, "fail_safe_applied")) !=
	    json_object_get_boolean(key(real, "fail_safe_applied")))
		FAIL("dry run and real run disagree on the handover");
	nd = json_object_array_length(rd);
	for (i = 0; i < nd; i++) {
		struct json_object *a = json_object_array_get_idx(dd, i);
		struct json_object *b = json_object_array_get_idx(rd, i);
		const char *name = str(b, "device"), *dec = str(b, "decision");

		/* the dry run decides as the real run */
		if (strcmp(str(a, "device"), name) || strcmp(str(a, "decision"), dec) ||
		    strcmp(str(a, "why"), str(b, "why")))
			FAIL("the dry run decided otherwise than the real run");
		if (strcmp(dec, "abort"))
			continue;
		/* no bridge is aborted, whatever the report calls it */
		if (json_object_get_boolean(key(b, "bridge")))
			FAIL("a bridge was aborted (by the report's own account)");
		for (j = 0; j < n; j++)
			if (!strcmp(devs[j].name, name) &&
			    ((devs[j].present && devs[j].bridge_now) ||
			     (blob_known && devs[j].bridge_blob)))
			{
				fprintf(stderr, "fuzz-apply: %s\n", name);
				FAIL("a bridge was aborted");
			}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const dirs[] = {
		"sys/devices/pci0000:00", "sys/bus/pci/devices", "sys/bus/pci/drivers/drv",
		"sys/bus/platform/devices", "sys/devices/platform",
		"proc/device-tree/chosen", "dev", "run",
	};
	static uint8_t blob[1 << 20];
	struct dev devs[MAX_DEVS];
	struct qdh_device_spec specs[MAX_DEVS];
	struct qdh_builder b;
	struct json_object *dry, *real;
	const char *dump = NULL, *tmp = getenv("TMPDIR");
	char p[400], rep_dry[400], rep_real[400];
	size_t n = 0, i, j, blen = 0, nrec;
	uint64_t h_root, h_out;
	uint8_t opt;
	int observe_invalid;

	if (size < 1)
		return 0;
	opt = data[0];
	nrec = (size - 1) / REC;
	if (nrec > MAX_DEVS)
		nrec = MAX_DEVS;

	snprintf(work, sizeof(work), "%s/qdh-fuzz-apply-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : tmp && *tmp ? tmp : "/tmp");
	broken = 0;
	if (!mkdtemp(work)) {
		die("mkdtemp");
		return 0;
	}
	snprintf(root, sizeof(root), "%s/root", work);
	snprintf(outside, sizeof(outside), "%s/outside", work);
	snprintf(rep_dry, sizeof(rep_dry), "%s/dry.json", work);
	snprintf(rep_real, sizeof(rep_real), "%s/real.json", work);
	decoys();
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		mkdirp(p);
	}
	snprintf(p, sizeof(p), "%s/dev", root);
	putstr(p, "kmsg", "");

	memset(specs, 0, sizeof(specs));
	for (i = 0; i < nrec; i++) {
		const uint8_t *r = data + 1 + i * REC;
		struct dev *d = &devs[n];
		struct qdh_device_spec *s = &specs[n];
		unsigned st = r[3] & 7;

		memset(d, 0, sizeof(*d));
		d->platform = !!(r[0] & 0x80);
		if (d->platform)
			snprintf(d->name, sizeof(d->name), "%x.dma", 0x9000000u + (r[1] & 7) * 0x1000u);
		else
			snprintf(d->name, sizeof(d->name), "0000:%02x:%02x.%x", r[0] & 1,
				 r[1] & 0x1f, r[1] >> 5);
		for (j = 0; j < n; j++)
			if (!strcmp(devs[j].name, d->name))
				break;
		if (j < n)
			continue;	/* one device per name */
		d->present = r[4] & 1;
		d->in_blob = st >= QDH_STATE_QUIESCED && st <= QDH_STATE_BRIDGE;
		if (d->present) {
			if (d->platform)
				make_platform(d, r);
			else
				make_pci(d, r, (r[4] & 0x20) && n ? &devs[n - 1] : NULL);
		}
		if (d->in_blob) {
			uint32_t cls = classes[(r[2] >> 3) & 7];

			s->is_platform = d->platform;
			if (d->platform) {
				s->name = d->name;
			} else {
				unsigned dv = r[1] & 0x1f, fn = r[1] >> 5;

				s->bus = r[0] & 1;
				s->devfn = (uint8_t)(dv << 3 | fn);
				s->vendor = 0x1af4;
				s->device = 0x1041;
				s->class_code = cls;
			}
			s->state = (uint8_t)st;
			s->action = st == QDH_STATE_ACTIVE || st == QDH_STATE_UNKNOWN ?
				    QDH_ACTION_ABORT : QDH_ACTION_ATTACH;
			s->iommu = QDH_NO_IOMMU;
			if (r[3] & 0x80) {
				s->flags |= QDH_DEV_F_DUMP_TARGET;
				s->reasons |= QDH_R_DUMP_TARGET;
			}
			d->bridge_blob = st == QDH_STATE_BRIDGE ||
					 (!d->platform && (cls >> 8) == 0x0604);
		}
		if ((opt & 0x20) && (r[7] & 1) && d->present && !d->platform)
			dump = d->name;
		n++;
	}

	/* The blob: built from the records, raw from the tail, or none. */
	if (opt & 4) {
		blen = size - 1 - nrec * REC;
		if (blen > sizeof(blob))
			blen = sizeof(blob);
		memcpy(blob, data + 1 + nrec * REC, blen);
	} else if (!(opt & 8)) {
		if (qdh_build_init(&b, blob, sizeof(blob), 1, MAX_DEVS, 0, 1024,
				   0x5eed000000000001ull, QDH_F_CRASH) < 0)
			FAIL("qdh_build_init");
		for (i = 0; i < n; i++) {
			if (!devs[i].in_blob)
				continue;
			int rc = qdh_build_add_device(&b, &specs[i]);

			if (rc < 0)
				FAIL(qdh_strerror(rc));
		}
		if (qdh_build_finish(&b, &blen) < 0)
			FAIL("qdh_build_finish");
		if ((opt & 0x10) && nrec)
			blob[data[1 + 6] % blen] ^= 0x5a;
	}
	if (!(opt & 8)) {
		snprintf(p, sizeof(p), "%s/proc/device-tree/chosen", root);
		put(p, "kexec-qdh,handover", blob, blen);
	}

	if (broken)
		goto skip;
	h_root = hash_tree(root);
	h_out = hash_tree(outside);
	dry = apply(opt, dump, 1, rep_dry);
	if (!dry)
		goto skip;
	if (hash_tree(root) != h_root && !broken)
		FAIL("the dry run wrote something");
	real = apply(opt, dump, 0, rep_real);
	if (!real) {
		json_object_put(dry);
		goto skip;
	}
	/* (after both runs: the dry run must not have written there either) */
	if (hash_tree(outside) != h_out && !broken)
		FAIL("something outside the sysroot was written");
	observe_invalid = !(opt & 1) && json_object_get_boolean(key(real, "fail_safe_applied"));
	if (observe_invalid && hash_tree(root) != h_root && !broken)
		FAIL("no valid handover under observe, yet the sysroot changed");
	check(dry, real, devs, n,
	      !(opt & 4) && !json_object_get_boolean(key(real, "fail_safe_applied")));
	json_object_put(dry);
	json_object_put(real);
	if (getenv("QDH_FUZZ_KEEP")) {	/* debugging: look at the tree */
		fprintf(stderr, "fuzz-apply: kept %s\n", work);
		return 0;
	}
skip:
	if (nftw(work, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		fprintf(stderr, "fuzz-apply: cannot remove %s: %s\n", work, strerror(errno));
	return 0;
}
