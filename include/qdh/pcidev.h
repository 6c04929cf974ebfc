/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sysfs device model: one PCI function as sysfs shows it now.  The one
 * reader of a function's attributes (class, vendor/device, the config
 * header's Command word and header type, driver, power_state, enable,
 * reset_method and reset, driver_override, the iommu, iommu_group and
 * physfn links) and of the bus directory that lists them, used by
 * `qdh scan` (kexec/scan/pci.c: verdicts) and `qdh apply`
 * (kexec/apply/present.c: what is there now).  It parses and validates;
 * what a fault means (a reason, a problem line, a decision) is the
 * caller's.  Owner: kexec/scan/pcidev.c, kexec/scan/devdir.c.
 *
 * Everything is read relative to a device directory fd opened through the
 * sysroot layer (one path component per open instead of a walk from the
 * root through the bus link), which is what keeps 100k functions fast.
 */
#ifndef QDH_PCIDEV_H
#define QDH_PCIDEV_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "qdh/bdf.h"
#include "qdh/pcicfg.h"
#include "qdh/sysroot.h"

/* --- Reading one device directory (devdir.c) ---------------------------- */

/*
 * Every name is resolved beneath fd by the sysroot layer
 * (qdh_sysroot_open_beneath()): a link in a hostile tree ("config" ->
 * /etc/shadow, "BDF" -> /) cannot lead out of it.
 */
struct qdh_dev {
	const struct qdh_sysroot *sr;
	int fd;			/* the device directory, or its parent */
	char pre[80];		/* "" or "<device dir name>/" when fd is the parent */
};
int qdh_dev_read(const struct qdh_dev *dv, const char *name, char *buf,
		 size_t cap, size_t *len);
/* Trailing whitespace stripped; -EILSEQ on embedded NUL. */
int qdh_dev_read_str(const struct qdh_dev *dv, const char *name, char *buf,
		     size_t cap);
/* One hex or decimal number ("0x1af4", "1"); -EINVAL on garbage. */
int qdh_dev_read_num(const struct qdh_dev *dv, const char *name, uint64_t *val);
/* Basename of a symlink's target; -ENOENT if no link. */
int qdh_dev_link_name(const struct qdh_dev *dv, const char *name, char *buf,
		      size_t cap);
/* Raw link target. */
int qdh_dev_readlink(const struct qdh_dev *dv, const char *name, char *buf,
		     size_t cap);
/* 1 if the attribute exists (stat through links), else 0. */
int qdh_dev_exists(const struct qdh_dev *dv, const char *name);
/*
 * Join a sysfs directory and a relative link target lexically
 * (QDH_PATH_PCI_DEVICES + "../../../devices/pci0000:00/x" -> the
 * device's directory under QDH_PATH_SYS_DEVICES).  sysfs links only cross
 * real directories, so this equals the resolved path without one fstatat
 * per component.  Absolute targets restart at the sysroot.  Returns 0 or
 * -ENAMETOOLONG.
 */
int qdh_path_join(const char *dir, const char *target, char *out, size_t cap);

/* --- Walking QDH_PATH_PCI_DEVICES (pcidev.c) ----------------------------- */

#define QDH_PCI_PATH_MAX 256	/* sysfs paths of PCI functions */

struct qdh_pci_walk {
	const struct qdh_sysroot *sr;
	DIR *bus;
	/*
	 * Functions are listed grouped by parent, so an fd on the parent
	 * (cached) makes each function's directory a one-component open
	 * beneath it, instead of a walk from the root through the bus link.
	 */
	int parent_fd;
	char parent_dir[QDH_PCI_PATH_MAX];
	int own_fd;		/* the entry's own directory fd, -1 none */
};

struct qdh_pci_entry {
	const char *name;	/* the bus entry, valid until the next call */
	int bdf_ok;		/* name is a PCI address (qdh/bdf.h; else skip it) */
	uint32_t domain;	/* above 0xffff: an Intel VMD child domain */
	uint8_t bus, devfn;
	/* Lexical sysfs path of the function's directory, "" if unknown. */
	char path[QDH_PCI_PATH_MAX];
	int path_err;		/* why path is "": -errno of the bus link */
	struct qdh_dev dv;	/* valid when dv_err == 0 */
	int dv_err;		/* the directory could not be reached */
	int busfd;		/* the bus directory's fd (vanished()) */
};

/* 0, -ENOENT (no PCI bus on this system) or another -errno. */
int qdh_pci_walk_open(struct qdh_pci_walk *w, const struct qdh_sysroot *sr);
/* 1 and e filled, 0 at the end, or -errno (readdir failed). */
int qdh_pci_walk_next(struct qdh_pci_walk *w, struct qdh_pci_entry *e);
void qdh_pci_walk_close(struct qdh_pci_walk *w);
/* After a config read failed: is the entry's device directory gone? */
int qdh_pci_entry_vanished(const struct qdh_pci_entry *e);

/* --- One function's attributes (pcidev.c) -------------------------------- */

enum qdh_pci_attr {
	QDH_PA_POWER,		/* power_state */
	QDH_PA_CONFIG,		/* config header: Command, header type, and
				 * vendor/device/class unless a VF's; the
				 * capabilities the alias walk needs (cfg) */
	QDH_PA_IDENTITY,	/* vendor, device, class attributes: read when
				 * CONFIG could not give them (D3cold, VF,
				 * unreadable config) */
	QDH_PA_DRIVER,		/* driver link */
	QDH_PA_ENABLE,		/* enable */
	QDH_PA_RESET_METHOD,	/* reset_method */
	QDH_PA_RESET,		/* whether "reset" exists */
	QDH_PA_OVERRIDE,	/* driver_override: exists, value */
	QDH_PA_GROUP,		/* iommu_group link: number and target */
	QDH_PA_IOMMU,		/* iommu link: the IOMMU's class name */
	QDH_PA_PHYSFN,		/* physfn link target (SR-IOV VFs) */
	QDH_PA_N
};
#define QDH_PA(a)	(1u << QDH_PA_##a)

struct qdh_pci_attrs {
	/*
	 * Per attribute: 0 read and valid; -ENODATA not read (not asked, or
	 * skipped: config of a D3cold function); else why not.  Meanings
	 * beyond errno: CONFIG -EIO shorter than 8 bytes (config_len says),
	 * -ENXIO reads all ones (master abort: gone or link down); IDENTITY
	 * -ERANGE out of range (bad_attr names the first attribute that
	 * failed; the others are still filled in); POWER -EINVAL not a
	 * power state; ENABLE -ERANGE; RESET_METHOD -ENAMETOOLONG or -EINVAL
	 * (unexpected characters); GROUP -EINVAL not a group number.
	 */
	int err[QDH_PA_N];
	const char *bad_attr;	/* IDENTITY: the attribute that failed */
	size_t config_len;

	uint16_t vendor, device;
	int class_code;		/* 24 bits, -1 unknown */
	int command;		/* config word at 4, -1 unknown */
	int header_type;	/* config byte 0x0e & 0x7f, -1 unknown */
	int vf_config;		/* config reads vendor 0xffff, as a VF's does */
	struct qdh_pcicfg cfg;	/* port type, PCI-X, secondary bus, subsystem */
	int d3cold;		/* power_state is D3cold: config left alone */
	char power_state[16];	/* "D0" ... "error", "" unread */
	char driver[64];	/* "" none */
	int enable;		/* -1 unknown */
	char reset_method[64];	/* "" none */
	int has_reset;
	int has_override;
	char override[64];	/* "" when unset ("(null)") */
	int iommu_group;	/* -1 none */
	char group_target[QDH_PCI_PATH_MAX];	/* the iommu_group link */
	char iommu[64];		/* the iommu link's name, "" none */
	char physfn[QDH_PCI_PATH_MAX];	/* the physfn link, "" none */
};

/* Everything unknown / not read. */
void qdh_pci_attrs_init(struct qdh_pci_attrs *a);
/*
 * Read the attributes in want (QDH_PA() bits) that are not read yet; may
 * be called again with more bits.  Order matters only for POWER before
 * CONFIG: a D3cold function's config is not read (reading it resumes the
 * device) and its identity comes from the attributes.
 */
void qdh_pci_read(const struct qdh_dev *dv, unsigned want, struct qdh_pci_attrs *a);

/*
 * A bridge that forwards its children's DMA and originates none: header
 * type 1 (PCI-to-PCI) or 2 (CardBus), or class host (0x0600), PCI-to-PCI
 * (0x0604), CardBus (0x0607), RACEway (0x0608) or semi-transparent
 * PCI-to-PCI (0x0609).  ISA, EISA, MCA, PCMCIA, NuBus, InfiniBand and
 * "other" bridges (0x0601-3, 0x0605-6, 0x060a-b, 0x0680) sit on a bus
 * that may master DMA through them on their own: not here.  class_code
 * and header_type may be -1 (unknown).  The one owner of "bridge" for scan
 * (verdict) and apply (never cut off); doc/verdicts.md lists the same.
 */
int qdh_pci_is_bridge(int class_code, int header_type);

#endif
