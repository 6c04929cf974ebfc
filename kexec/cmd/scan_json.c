// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The inventory as JSON (schema: doc/scan-json.md), one device object at a
 * time: the frame (IOMMUs, skipped entries, summary) and each device are
 * built, printed and freed in turn, so 100k devices never sit in memory as
 * a json-c tree.  Both the JSON and the text table of `qdh scan` come
 * from these objects.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "qdh/inventory.h"
#include "qdh/names.h"
#include "qdh/output.h"
#include "qdh/pcicfg.h"
#include "qdh/transport.h"
#include "scan-json.h"

/*
 * Every string that came from sysfs or firmware goes through here: names
 * are untrusted bytes, and invalid UTF-8 or control characters would make
 * the JSON invalid or reach a terminal raw.  Same escaping as `qdh inspect`.
 */
static struct json_object *text(const char *s)
{
	char buf[1024];

	return json_object_new_string(qdh_printable(s, strlen(s), buf, sizeof(buf)));
}

static struct json_object *str_or_null(const char *s)
{
	return s && *s ? text(s) : NULL;
}

static struct json_object *hex(uint64_t v, int width)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%0*llx", width, (unsigned long long)v);
	return json_object_new_string(buf);
}

static void add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add_ex(o, k, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

static struct json_object *id_array(const uint32_t *v, unsigned n)
{
	struct json_object *a = json_object_new_array_ext((int)n);
	unsigned i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(v[i]));
	return a;
}

static struct json_object *iommu_json(const struct qdh_inv_iommu *m, size_t i)
{
	struct json_object *o = json_object_new_object();

	add(o, "index", json_object_new_int((int)i));
	add(o, "name", text(m->name));
	add(o, "type", json_object_new_string(qdh_iommu_type_name(m->type)));
	add(o, "base", hex(m->base, 16));
	add(o, "size", hex(m->size, 1));
	add(o, "segment", m->segment >= 0 ? json_object_new_int(m->segment) : NULL);
	add(o, "fw_node", str_or_null(m->fw_node));
	add(o, "has_active", json_object_new_boolean(m->has_active));
	return o;
}

static struct json_object *device_json(const struct qdh_inventory *inv,
				       const struct qdh_inv_device *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sids = id_array(qdh_inv_sids(inv, d), d->nsids);
	int pci = d->bus == QDH_INV_PCI;
	int has_iommu = d->iommu >= 0 && (size_t)d->iommu < inv->niommus;
	add(o, "id", text(d->name));
	add(o, "bus", json_object_new_string(pci ? "pci" : "platform"));
	add(o, "driver", str_or_null(d->driver));
	add(o, "iommu", has_iommu ? text(inv->iommus[d->iommu].name) : NULL);
	add(o, "stream_ids", sids);
	add(o, "state", json_object_new_string(qdh_state_name(d->state)));
	add(o, "reasons", qdh_bits_to_json(d->reasons, qdh_reason_name));
	add(o, "action", json_object_new_string(qdh_action_name(d->action)));
	if (pci) {
		add(o, "vendor", hex(d->vendor, 4));
		add(o, "device", hex(d->device, 4));
		add(o, "class", hex(d->class_code, 6));
		add(o, "bus_master", d->command >= 0 ?
		    json_object_new_boolean(d->command & 0x4) : NULL);
		add(o, "memory", d->command >= 0 ?
		    json_object_new_boolean(d->command & 0x2) : NULL);
		add(o, "enable", d->enable >= 0 ? json_object_new_int(d->enable) : NULL);
		add(o, "power_state", str_or_null(d->power_state));
		add(o, "reset_method", str_or_null(d->reset_method));
		add(o, "bridge", json_object_new_boolean(d->is_bridge));
		add(o, "parent", d->parent >= 0 ?
		    text(inv->devices[d->parent].name) : NULL);
		add(o, "physfn", d->physfn >= 0 ?
		    text(inv->devices[d->physfn].name) : NULL);
		add(o, "sriov_vf", json_object_new_boolean(d->flags & QDH_DEV_F_SRIOV_VF));
		add(o, "pcie_type", d->cfg.pcie_type == QDH_PCIE_UNKNOWN ? NULL :
		    json_object_new_string(qdh_pcie_type_name(d->cfg.pcie_type)));
		add(o, "pci_x", json_object_new_boolean(d->cfg.pcix));
		add(o, "dma_aliases", id_array(qdh_inv_aliases(inv, d), d->naliases));
		add(o, "dma_requester", d->requester >= 0 && (size_t)d->requester < inv->ndevices ?
		    text(inv->devices[d->requester].name) : NULL);
	} else {
		add(o, "fw_node", str_or_null(d->fw_node));
	}
	add(o, "iommu_link", str_or_null(d->iommu_ref));
	add(o, "iommu_group", d->iommu_group >= 0 ? json_object_new_int(d->iommu_group) : NULL);
	add(o, "group_type", str_or_null(d->group_type));
	add(o, "dump_target", json_object_new_boolean(d->flags & QDH_DEV_F_DUMP_TARGET));
	add(o, "policy_rule", d->policy_rule >= 0 ? json_object_new_int(d->policy_rule) : NULL);
	add(o, "problem", str_or_null(d->problem));
	add(o, "sysfs", str_or_null(d->sysfs_path));
	return o;
}

static struct json_object *dump_json(const struct qdh_inventory *inv)
{
	static const char *const kind[] = { "block", "path", "host", "unknown" };
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < inv->ndump_needs; i++) {
		const struct qdh_dump_need *n = &inv->dump_needs[i];
		struct json_object *e = json_object_new_object();
		struct json_object *devs = json_object_new_array();
		char buf[sizeof(n->devices)], *p, *save = NULL;

		snprintf(buf, sizeof(buf), "%s", n->devices);
		for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
			json_object_array_add(devs, text(p));
		add(e, "source", text(n->origin));
		add(e, "kind", json_object_new_string(kind[n->kind <= QDH_NEED_UNKNOWN ?
							   n->kind : QDH_NEED_UNKNOWN]));
		add(e, "value", text(n->value));
		add(e, "devices", devs);
		add(e, "error", str_or_null(n->error));
		json_object_array_add(a, e);
	}
	add(o, "needs", a);
	add(o, "fallback", json_object_new_boolean(inv->dump_fallback));
	return o;
}

struct json_object *qdh_inventory_device_json(const struct qdh_inventory *inv, size_t i)
{
	return device_json(inv, &inv->devices[i]);
}

struct json_object *qdh_inventory_json_frame(const struct qdh_inventory *inv)
{
	struct json_object *root = json_object_new_object();
	struct json_object *im = json_object_new_array_ext((int)inv->niommus);
	struct json_object *sk = json_object_new_array();
	struct json_object *sum = json_object_new_object();
	unsigned count[QDH_STATE_MAX + 1] = { 0 };
	size_t i;

	for (i = 0; i < inv->niommus; i++)
		json_object_array_add(im, iommu_json(&inv->iommus[i], i));
	for (i = 0; i < inv->ndevices; i++)
		if (inv->devices[i].state <= QDH_STATE_MAX)
			count[inv->devices[i].state]++;
	for (i = 0; i < inv->nskipped; i++) {
		struct json_object *s = json_object_new_object();

		add(s, "entry", text(inv->skipped[i].entry));
		add(s, "problem", text(inv->skipped[i].problem));
		json_object_array_add(sk, s);
	}
	add(sum, "devices", json_object_new_int64((int64_t)inv->ndevices));
	for (i = 1; i <= QDH_STATE_MAX; i++)
		add(sum, qdh_state_name((unsigned)i), json_object_new_int((int)count[i]));
	add(sum, "skipped", json_object_new_int64((int64_t)inv->nskipped));
	add(root, "mode", json_object_new_string(inv->mode == QDH_SCAN_KEXEC ? "kexec" : "crash"));
	add(root, "iommus", im);
	add(root, "devices", json_object_new_string(QDH_JSON_DEVICES_MARK));
	add(root, "skipped", sk);
	add(root, "summary", sum);
	if (inv->dump_detected)
		add(root, "dump_detection", dump_json(inv));
	return root;
}

/* Each line of s, indented by n spaces (s has no raw newline inside a string). */
static void put_indented(const char *s, int n, FILE *out)
{
	const char *nl;

	for (; (nl = strchr(s, '\n')); s = nl + 1)
		fprintf(out, "%*s%.*s\n", n, "", (int)(nl - s), s);
	fprintf(out, "%*s%s", n, "", s);
}

int qdh_inventory_json_print(const struct qdh_inventory *inv, FILE *out)
{
	static const char mark[] = "\"devices\":\"\\u0001devices\"";
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE;
	struct json_object *root = qdh_inventory_json_frame(inv);
	const char *frame = json_object_to_json_string_ext(root, flags);
	/* Strings are escaped: the mark's bare quotes occur only where put. */
	const char *at = strstr(frame, mark);
	size_t i;

	if (!at) {
		json_object_put(root);
		return -EINVAL;
	}
	fprintf(out, "%.*s\"devices\":[", (int)(at - frame), frame);
	for (i = 0; i < inv->ndevices; i++) {
		struct json_object *d = device_json(inv, &inv->devices[i]);

		fputs(i ? ",\n" : "\n", out);
		put_indented(json_object_to_json_string_ext(d, flags), 4, out);
		json_object_put(d);
	}
	fputs("\n  ]", out);
	fputs(at + sizeof(mark) - 1, out);
	fputc('\n', out);
	json_object_put(root);
	return 0;
}
