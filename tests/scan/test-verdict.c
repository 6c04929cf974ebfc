// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict table of doc/verdicts.md, row by row, plus the pure helpers
 * (BDF parsing, lexical path joins, policy parsing and matching).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scan.h"
#include "tap.h"

static struct qdh_inv_device dev(int cmd, const char *drv)
{
	struct qdh_inv_device d;

	memset(&d, 0, sizeof(d));
	d.bus = QDH_INV_PCI;
	d.command = cmd;
	d.enable = 1;
	d.iommu = -1;
	d.parent = d.physfn = d.policy_rule = -1;
	strcpy(d.power_state, "D0");
	strcpy(d.driver, drv);
	return d;
}

static const char *verdict(struct qdh_inv_device d, unsigned obs, int kexec,
			   const struct qdh_strset *sd, uint16_t *reasons)
{
	qdh_verdict(&d, obs, kexec ? QDH_SCAN_KEXEC : QDH_SCAN_CRASH, sd);
	qdh_verdict_action(&d, NULL);
	if (reasons)
		*reasons = d.reasons;
	return qdh_state_name(d.state);
}

int main(void)
{
	struct qdh_strset *sd;
	struct qdh_inv_device d;
	struct qdh_policy *p;
	char out[256], err[256];
	uint16_t r;

	tap_is_int(qdh_strset_load_shutdown(NULL, NULL, &sd), 0, "built-in shutdown list loads");
	tap_ok(qdh_strset_has(sd, "e1000e") && !qdh_strset_has(sd, "vfio-pci"),
	       "built-in list has e1000e, not vfio-pci");

	/* quiesced rows */
	tap_is_str(verdict(dev(0x0, ""), 0, 0, sd, &r), "quiesced", "no driver, BM off");
	tap_ok(r & QDH_R_NO_DRIVER && r & QDH_R_BUS_MASTER_OFF, "  reasons no-driver, bus-master-off");
	tap_is_str(verdict(dev(0x2, "nvme"), 0, 0, sd, NULL), "quiesced", "driver, BM off");
	d = dev(-1, "nvme");
	strcpy(d.power_state, "D3cold");
	tap_is_str(verdict(d, 0, 0, sd, &r), "quiesced", "D3cold, config not read");
	tap_ok(r & QDH_R_D3COLD, "  reason d3cold");
	tap_is_str(verdict(dev(0x6, "e1000e"), 0, 1, sd, &r), "quiesced", "--kexec shutdown driver");
	tap_ok(r & QDH_R_SHUTDOWN_DRIVER, "  reason shutdown-driver");
	/* active rows */
	tap_is_str(verdict(dev(0x6, "e1000e"), 0, 0, sd, NULL), "active", "--crash ignores .shutdown");
	tap_is_str(verdict(dev(0x4, "nvme"), 0, 0, sd, NULL), "active", "driver, BM on");
	tap_is_str(verdict(dev(0x4, ""), 0, 0, sd, &r), "active", "no driver, BM on");
	tap_ok(r & QDH_R_CONTRADICTION, "  reason contradiction");
	tap_is_str(verdict(dev(0x0, "vfio-pci"), 0, 1, sd, &r), "active", "vfio-pci, even BM off, even --kexec");
	d = dev(0x0, "");
	strcpy(d.group_type, "unmanaged");
	tap_is_str(verdict(d, 0, 0, sd, &r), "active", "group type unmanaged");
	tap_ok(r & QDH_R_VFIO_OWNED, "  reason vfio-owned");
	d = dev(0x0, "");
	d.bus = QDH_INV_PLATFORM;
	tap_is_str(verdict(d, 0, 0, sd, NULL), "unknown", "platform without driver");
	strcpy(d.driver, "fec");
	tap_is_str(verdict(d, 0, 0, sd, &r), "active", "platform with driver");
	tap_ok(r & QDH_R_NO_BUS_MASTER_INFO, "  reason no-bus-master-info");
	/* unknown rows */
	d = dev(-1, "nvme");
	d.reasons = QDH_R_CONFIG_UNREADABLE;
	tap_is_str(verdict(d, 0, 0, sd, NULL), "unknown", "config unreadable");
	tap_is_str(verdict(dev(0x4, "nvme"), QDH_OBS_VITAL_MISSING, 0, sd, NULL), "unknown",
		   "a vital attribute missing");
	tap_is_str(verdict(dev(0x0, ""), QDH_OBS_VANISHED, 0, sd, NULL), "unknown", "vanished");
	tap_is_str(verdict(dev(0x0, ""), QDH_OBS_DUPLICATE, 0, sd, NULL), "unknown", "duplicate");
	/* bridge row */
	d = dev(0x7, "pcieport");
	d.is_bridge = 1;
	tap_is_str(verdict(d, 0, 0, sd, &r), "bridge", "bridge with BM on is a bridge");
	tap_ok(r & QDH_R_BRIDGE, "  reason bridge");

	/* actions */
	d = dev(0x4, "nvme");
	qdh_verdict(&d, 0, QDH_SCAN_CRASH, sd);
	d.flags |= QDH_DEV_F_DUMP_TARGET;
	strcpy(d.reset_method, "flr");
	qdh_verdict_action(&d, NULL);
	tap_is_str(qdh_action_name(d.action), "reset-then-attach", "active dump target with reset");
	d.reset_method[0] = '\0';
	qdh_verdict_action(&d, NULL);
	tap_is_str(qdh_action_name(d.action), "abort", "active dump target without reset");
	d = dev(0x0, "");
	qdh_verdict(&d, 0, QDH_SCAN_CRASH, sd);
	qdh_verdict_action(&d, NULL);
	tap_is_str(qdh_action_name(d.action), "attach", "quiesced -> attach");

	/* helpers */
	qdh_path_join("/sys/bus/pci/devices", "../../../devices/pci0000:00/0000:00:01.0",
		      out, sizeof(out));
	tap_is_str(out, "/sys/devices/pci0000:00/0000:00:01.0", "lexical join");
	qdh_path_join("/sys", "../../../..", out, sizeof(out));
	tap_is_str(out, "/", "join never climbs above the root");

	/* policy */
	{
		static const char good[] =
			"{\"version\":1,\"defaults\":{\"unknown\":\"attach\"},"
			"\"rules\":[{\"match\":{\"class\":\"0x0200\",\"mask\":\"0xff00\"},"
			"\"action\":\"reset-then-attach\"},"
			"{\"match\":{\"vendor_device\":\"8086:*\",\"driver\":null},\"state\":\"quiesced\"}]}";
		static const char bad[] = "{\n  \"rules\": [\n    {\"match\": {}}, ]\n}\n";

		tap_is_int(qdh_policy_parse("p.json", good, strlen(good), &p, err, sizeof(err)), 0,
			   "policy parses");
		d = dev(0x4, "e1000e");
		d.class_code = 0x020000;
		tap_is_int(qdh_policy_match(p, &d), 0, "class/mask rule matches a NIC");
		d.class_code = 0x010802;
		d.vendor = 0x8086;
		tap_is_int(qdh_policy_match(p, &d), -1, "driver:null does not match a bound device");
		d.driver[0] = '\0';
		tap_is_int(qdh_policy_match(p, &d), 1, "vendor wildcard + no driver matches");
		qdh_verdict(&d, 0, QDH_SCAN_CRASH, sd);
		qdh_verdict_action(&d, p);
		tap_ok(d.state == QDH_STATE_QUIESCED && (d.reasons & QDH_R_POLICY) &&
		       d.policy_rule == 1, "rule sets the state, reason policy");
		qdh_policy_free(p);
		tap_is_int(qdh_policy_parse("p.json", bad, strlen(bad), &p, err, sizeof(err)),
			   -EINVAL, "trailing comma refused");
		tap_ok(!strncmp(err, "p.json:3:", 9), "error names file and line (%s)", err);
	}
	qdh_strset_free(sd);
	return tap_done();
}
