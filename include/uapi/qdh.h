/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * QDH - Quiesced-Device Handover, ABI version 1.1.
 *
 * THIS INTERFACE IS A CONTRACT.  The loading kernel's userspace writes a QDH
 * blob; purgatory, the next (crash or kexec'd) kernel and its initramfs read
 * it.  The writer and the readers may come from different releases, so every
 * rule below is part of the ABI; doc/abi.md describes it in prose.
 *
 * Encoding rules
 *  - All multi-byte fields are little-endian, whatever the CPU.
 *  - Every struct has a fixed size, asserted below; padding is explicit and
 *    every reserved field or bit must be written as zero and is rejected by a
 *    reader of the same major version if it is not.
 *  - The blob starts with struct qdh_header.  Sections follow at 8-byte
 *    aligned offsets, each described by a struct qdh_section that gives its
 *    offset, size, entry count and entry size.  Sections never overlap and lie
 *    inside the blob; all but the record lie inside the checked area.
 *  - crc32 is the standard CRC-32 (IEEE 802.3, reflected 0xEDB88320, as
 *    zlib's crc32()) over bytes [0, checked_size) with the crc32 field
 *    itself taken as zero.  The record area [checked_size, total_size) is
 *    written after the checksum was computed (by purgatory) and carries its
 *    own magic and checksum.
 *
 * Versions
 *  - version_major changes on any incompatible change; a reader rejects a
 *    major it does not know.
 *  - version_minor grows when fields or sections are appended.  A reader
 *    accepts a newer minor: it reads the known prefix of each entry
 *    (entry_size may be larger than it knows) and ignores section
 *    descriptors beyond the ones it knows.  Appended fields are defined so
 *    that zero means "the old behaviour".  A reader also accepts an older
 *    minor: what that minor lacks is absent (no section, no field).
 *  - Minor 1 (v1.1) adds: header flag QDH_F_NO_DUMP_TARGET, which a v1.0
 *    reader rejects (and so falls back to touching nothing); section
 *    QDH_SEC_WIDE_PCI for PCI domains above 0xffff, which a v1.0 reader
 *    skips; stream observations in a grown record header, which a v1.0
 *    reader accepts and does not read.  doc/abi.md, "What v1.1 adds".
 *  - Flags: a reader rejects a flag bit it does not know in the header,
 *    device or IOMMU entries of its own major version, unless the bit lies
 *    in a range documented as "informational" below.
 */
#ifndef _UAPI_QDH_H
#define _UAPI_QDH_H

#include <stdint.h>

#define QDH_MAGIC		0x42484451u	/* bytes "QDHB" */
#define QDH_RECORD_MAGIC	0x52484451u	/* bytes "QDHR" */
#define QDH_VERSION_MAJOR	1
#define QDH_VERSION_MINOR	1

/* Largest blob any writer produces or reader accepts (the arm64 DT limit). */
#define QDH_MAX_BLOB_SIZE	(2u * 1024 * 1024)

/* --- Header ------------------------------------------------------------ */

/*
 * Section indexes in qdh_header.sections[].  A blob of minor 0 has exactly
 * the first QDH_NR_SECTIONS_V1_0; a blob of minor 1 exactly QDH_NR_SECTIONS.
 */
enum qdh_section_id {
	QDH_SEC_IOMMUS	= 0,	/* struct qdh_iommu[count] */
	QDH_SEC_DEVICES	= 1,	/* struct qdh_device[count], sorted, see below */
	QDH_SEC_SIDS	= 2,	/* uint32_t StreamID pool, for multi-SID devices */
	QDH_SEC_RUNS	= 3,	/* struct qdh_stream_run[count], sorted */
	QDH_SEC_STRINGS	= 4,	/* NUL-terminated strings; entry_size 1 */
	QDH_SEC_RECORD	= 5,	/* struct qdh_record_header + entries */
	QDH_NR_SECTIONS_V1_0 = 6,
	QDH_SEC_WIDE_PCI = 6,	/* v1.1: struct qdh_wide_pci[count], sorted */
	QDH_NR_SECTIONS	= 7,
};

struct qdh_section {
	uint32_t offset;	/* from the start of the blob, 8-byte aligned */
	uint32_t size;		/* bytes; == count * entry_size (strings: count) */
	uint32_t count;		/* number of entries */
	uint16_t entry_size;	/* bytes per entry, >= the size this ABI defines */
	uint16_t reserved;	/* must be zero */
};
_Static_assert(sizeof(struct qdh_section) == 16, "qdh_section is ABI");

/* qdh_header.flags */
#define QDH_F_CRASH		(1u << 0)  /* loaded with kexec -p (kdump) */
#define QDH_F_KEXEC		(1u << 1)  /* loaded for a normal kexec -l */
/* kexec_file_load: no QDH purgatory runs, the record stays empty */
#define QDH_F_NO_PURGATORY	(1u << 2)
/*
 * policy: purgatory blocks bypass DMA where active devices sit behind a
 * disabled IOMMU; never together with QDH_F_NO_PURGATORY (v1.1 writers)
 */
#define QDH_F_BLOCK_BYPASS	(1u << 3)
/*
 * v1.1, crash loads only: no dump target could be determined, so every
 * mass-storage (class 0x01xxxx) and network (0x02xxxx) PCI function carries
 * QDH_DEV_F_DUMP_TARGET
 */
#define QDH_F_NO_DUMP_TARGET	(1u << 4)
#define QDH_F_KNOWN		0x0000001fu

struct qdh_header {
	uint32_t magic;		/* QDH_MAGIC */
	uint16_t version_major;	/* QDH_VERSION_MAJOR */
	uint16_t version_minor;	/* QDH_VERSION_MINOR of the writer */
	uint32_t header_size;	/* bytes: fixed part + nsections descriptors */
	uint32_t total_size;	/* bytes of the whole blob, record included */
	uint32_t checked_size;	/* bytes covered by crc32; record starts here */
	uint32_t crc32;		/* see "Encoding rules" */
	uint64_t generation;	/* differs on every load (random, non-zero) */
	uint32_t flags;		/* QDH_F_* */
	uint16_t nsections;	/* QDH_NR_SECTIONS (minor 0: _V1_0) */
	uint16_t reserved;	/* must be zero */
	struct qdh_section sections[QDH_NR_SECTIONS];
};
_Static_assert(sizeof(struct qdh_header) == 40 + 16 * QDH_NR_SECTIONS,
	       "qdh_header is ABI");
/* The fixed part before the descriptors, the same in every version. */
_Static_assert(__builtin_offsetof(struct qdh_header, sections) == 40,
	       "qdh_header fixed part is ABI");

/* --- IOMMU table ------------------------------------------------------- */

enum qdh_iommu_type {
	QDH_IOMMU_UNKNOWN	= 0,
	QDH_IOMMU_SMMUV3	= 1,	/* Arm SMMUv3 (arm,smmu-v3; IORT type 4) */
	QDH_IOMMU_SMMUV2	= 2,	/* Arm SMMUv1/v2/MMU-500 (IORT type 3) */
	QDH_IOMMU_VTD		= 3,	/* Intel VT-d remapping unit (DMAR DRHD) */
	QDH_IOMMU_AMDVI		= 4,	/* AMD-Vi (IVRS IVHD) */
	QDH_IOMMU_TYPE_MAX	= 4,
};

#define QDH_IOMMU_NO_SEGMENT	0xffffu

/* qdh_iommu.flags */
/* at least one active device (or unknown one) sits behind it */
#define QDH_IOMMU_F_HAS_ACTIVE	(1u << 0)
#define QDH_IOMMU_F_KNOWN	0x01u

struct qdh_iommu {
	uint64_t base;		/* physical MMIO base of the register frame */
	uint64_t size;		/* bytes of MMIO; 0 if not known */
	uint8_t type;		/* enum qdh_iommu_type */
	uint8_t flags;		/* QDH_IOMMU_F_* */
	uint16_t segment;	/* PCI segment it serves, QDH_IOMMU_NO_SEGMENT */
	/*
	 * string offset: the kernel's name for it, e.g.
	 * "smmu3.0x0000000009050000", "dmar0"
	 */
	uint32_t name;
	uint64_t reserved;	/* must be zero */
};
_Static_assert(sizeof(struct qdh_iommu) == 32, "qdh_iommu is ABI");

/* --- Device table ------------------------------------------------------ */

/* qdh_device.state: the verdict taken at load time. */
enum qdh_state {
	QDH_STATE_QUIESCED	= 1,	/* cannot be doing DMA */
	QDH_STATE_ACTIVE	= 2,	/* may be doing DMA */
	QDH_STATE_UNKNOWN	= 3,	/* could not tell; treat as active */
	/* forwards DMA but does not originate it; never to be cut off */
	QDH_STATE_BRIDGE	= 4,
	QDH_STATE_MAX		= 4,
};

/* qdh_device.action: the hint for the next kernel. */
enum qdh_action {
	QDH_ACTION_ATTACH	= 1,	/* let a driver bind as usual */
	QDH_ACTION_ABORT	= 2,	/* keep DMA blocked, no driver */
	QDH_ACTION_RESET_ATTACH	= 3,	/* reset the function, then attach */
	QDH_ACTION_MAX		= 3,
};

/* qdh_device.flags */
#define QDH_DEV_F_PLATFORM	(1u << 0)  /* id is a platform device name */
#define QDH_DEV_F_DUMP_TARGET	(1u << 1)  /* needed to save the dump */
#define QDH_DEV_F_DRIVER	(1u << 2)  /* a driver was bound at load */
#define QDH_DEV_F_SRIOV_VF	(1u << 3)  /* an SR-IOV virtual function */
#define QDH_DEV_F_KNOWN		0x0fu

/* qdh_device.reasons: why the verdict was taken (doc/verdicts.md). */
#define QDH_R_NO_DRIVER		(1u << 0)
#define QDH_R_DRIVER_BOUND	(1u << 1)
#define QDH_R_BUS_MASTER_OFF	(1u << 2)
#define QDH_R_BUS_MASTER_ON	(1u << 3)
#define QDH_R_D3COLD		(1u << 4)
#define QDH_R_VFIO_OWNED	(1u << 5)  /* iommu_group type "unmanaged" */
#define QDH_R_SHUTDOWN_DRIVER	(1u << 6)  /* --kexec: driver has .shutdown */
#define QDH_R_CONFIG_UNREADABLE	(1u << 7)
#define QDH_R_CONTRADICTION	(1u << 8)  /* attributes disagree */
#define QDH_R_BRIDGE		(1u << 9)  /* PCI bridge / root port */
#define QDH_R_POLICY		(1u << 10) /* a policy rule set the verdict */
#define QDH_R_IDENTITY_DOMAIN	(1u << 11) /* iommu_group type "identity" */
#define QDH_R_NO_BUS_MASTER_INFO (1u << 12) /* platform: no Command register */
#define QDH_R_DISABLED		(1u << 13) /* PCI "enable" is 0 */
#define QDH_R_DUMP_TARGET	(1u << 14)
#define QDH_R_ATTR_MISSING	(1u << 15) /* an attribute was missing/bad */
/* Reasons are informational: readers must accept unknown bits. */

#define QDH_NO_IOMMU		0xffffu

/*
 * PCI functions of domains 0-0xffff, and platform devices.  (Functions of
 * larger domains go to QDH_SEC_WIDE_PCI, so that a v1.0 reader, which
 * skips that section, can never take 10000:01:00.0 for 0000:01:00.0.)
 *
 * Devices are sorted by (flags & QDH_DEV_F_PLATFORM, id): PCI functions
 * first in (segment, bus, devfn) order, then platform devices by name
 * (bytewise strcmp).  No two entries share a key.
 */
struct qdh_device {
	/*
	 * PCI: segment << 16 | bus << 8 | devfn; platform: string offset of the
	 * name
	 */
	uint32_t id;
	uint16_t vendor;	/* PCI vendor ID; 0 for platform devices */
	uint16_t device;	/* PCI device ID; 0 for platform devices */
	uint32_t class_code;	/* bits 0-23 PCI class code; 24-31 reserved */
	uint16_t iommu;		/* index into the IOMMU table, QDH_NO_IOMMU */
	uint16_t reasons;	/* QDH_R_* */
	uint8_t state;		/* enum qdh_state */
	uint8_t action;		/* enum qdh_action */
	uint8_t flags;		/* QDH_DEV_F_* */
	uint8_t nsids;		/* number of StreamIDs (0 if no IOMMU) */
	/*
	 * nsids == 1: the StreamID (VT-d, AMD-Vi: the requester ID); nsids > 1:
	 * index of the first of nsids entries in QDH_SEC_SIDS; nsids == 0: zero
	 */
	uint32_t sid;
};
_Static_assert(sizeof(struct qdh_device) == 24, "qdh_device is ABI");

/*
 * StreamID index.  Every (device, StreamID) pair appears in exactly one run.
 * A run covers devices [device, device + count) whose StreamIDs, all behind
 * the same IOMMU, strictly increase with the device index; the first has
 * StreamID sid.  Runs are sorted by (iommu, sid) and their StreamID ranges
 * [sid, last sid] do not overlap within one IOMMU, so a (IOMMU, StreamID)
 * lookup is two binary searches.  A run of a multi-SID device has count 1
 * and names the slot of that StreamID in the device's list.  Several devices
 * sharing a StreamID (iommu-map-mask aliasing) get one run each; a lookup
 * returns the lowest device index.
 */
struct qdh_stream_run {
	uint16_t iommu;		/* index into the IOMMU table */
	uint8_t sid_slot;	/* multi-SID device: which of its StreamIDs */
	uint8_t reserved;	/* must be zero */
	uint32_t sid;		/* StreamID of the run's first device */
	uint32_t device;	/* index of the run's first device */
	uint32_t count;		/* devices in the run, >= 1 */
};
_Static_assert(sizeof(struct qdh_stream_run) == 16, "qdh_stream_run is ABI");

/* --- Wide PCI domains (v1.1) -------------------------------------------- */

#define QDH_NO_REQUESTER	0xffffffffu

/*
 * PCI functions whose domain does not fit the 16 bits of qdh_device.id:
 * Linux numbers the domains behind an Intel VMD from 0x10000.  Such a
 * function's DMA reaches the IOMMU with the requester ID of another
 * function (the VMD endpoint; Linux pci_real_dma_dev()), named by
 * requester: its IOMMU and StreamIDs are that device's, and a StreamID
 * lookup finds that device.  A requester has state ACTIVE or UNKNOWN when
 * any wide function naming it has.  Stream runs do not cover wide entries.
 *
 * Sorted by (domain, bdf), no two entries share a key.
 */
struct qdh_wide_pci {
	uint32_t domain;	/* > 0xffff */
	uint16_t bdf;		/* bus << 8 | devfn */
	uint16_t reserved;	/* must be zero */
	/* index of a PCI function in QDH_SEC_DEVICES, or QDH_NO_REQUESTER */
	uint32_t requester;
	uint16_t vendor;	/* PCI vendor ID */
	uint16_t device;	/* PCI device ID */
	uint32_t class_code;	/* bits 0-23 PCI class code; 24-31 reserved */
	uint16_t reasons;	/* QDH_R_* */
	uint8_t state;		/* enum qdh_state */
	uint8_t action;		/* enum qdh_action */
	uint8_t flags;		/* QDH_DEV_F_*, never QDH_DEV_F_PLATFORM */
	uint8_t reserved2[3];	/* must be zero */
	uint32_t reserved3;	/* must be zero */
};
_Static_assert(sizeof(struct qdh_wide_pci) == 32, "qdh_wide_pci is ABI");

/* --- Handover record (written by purgatory) ----------------------------- */

/* qdh_record_header.flags */
#define QDH_REC_F_PURGATORY_RAN	(1u << 0)  /* purgatory filled this record */
#define QDH_REC_F_DIGEST_OK	(1u << 1)  /* every segment's SHA-256 matched */
#define QDH_REC_F_DIGEST_BAD	(1u << 2)  /* a segment did not match */
#define QDH_REC_F_DIGEST_SKIPPED (1u << 3) /* loaded with -i / --no-checks */
#define QDH_REC_F_KNOWN		0x0fu

/*
 * The record area is allocated by the writer with one entry per IOMMU and
 * zero-filled, magic and sizes set, crc32 of the zeroed record.  A record
 * whose flags lack QDH_REC_F_PURGATORY_RAN means no QDH purgatory ran (or
 * it did not reach the end).
 *
 * v1.1 grows the header (v1.0 readers accept a larger header_size from a
 * newer minor): the 40 bytes of v1.0, then nstreams, stream_entry_size and
 * streams_omitted, then the stream table, nstreams entries of
 * stream_entry_size bytes; header_size = 48 + nstreams * stream_entry_size.
 * A minor-0 record header is exactly QDH_RECORD_HEADER_SIZE_V1_0 bytes.
 */
#define QDH_RECORD_HEADER_SIZE_V1_0	40

struct qdh_record_header {
	uint32_t magic;		/* QDH_RECORD_MAGIC */
	uint16_t header_size;	/* sizeof(struct qdh_record_header) */
	uint16_t entry_size;	/* sizeof(struct qdh_record_iommu) */
	uint32_t nentries;	/* == number of IOMMUs */
	uint32_t crc32;		/* over the record, this field taken as zero */
	uint32_t flags;		/* QDH_REC_F_* */
	/* QDH_REC_F_DIGEST_BAD: index of the first mismatching segment */
	uint32_t bad_segment;
	uint64_t ticks;		/* purgatory run time, counter ticks */
	uint64_t freq;		/* counter frequency in Hz (CNTFRQ_EL0) */
	/* v1.1 */
	uint16_t nstreams;	/* entries in the stream table */
	uint16_t stream_entry_size; /* sizeof(struct qdh_record_stream) */
	uint32_t streams_omitted; /* eligible streams left out for want of room */
};
_Static_assert(sizeof(struct qdh_record_header) == 48, "record hdr is ABI");
_Static_assert(__builtin_offsetof(struct qdh_record_header, nstreams) ==
	       QDH_RECORD_HEADER_SIZE_V1_0, "v1.1 fields follow the v1.0 header");

/*
 * Stream observations (v1.1): the StreamIDs purgatory looks up in the old
 * kernel's SMMUv3 stream table.  The writer lists every StreamID of every
 * ACTIVE or UNKNOWN device behind an SMMUv3 (a wide function's through its
 * requester), sorted by (iommu, sid), each once; if more than fit (a u16
 * header_size, the 2 MiB blob) the first ones in that order are kept and
 * the rest counted in streams_omitted.  It presets iommu and sid, ste 0;
 * purgatory fills ste.
 */
enum qdh_ste_state {
	QDH_STE_NOT_READ	= 0,	/* purgatory did not look */
	QDH_STE_INVALID		= 1,	/* STE.V == 0 */
	QDH_STE_ABORT		= 2,	/* STE.Config: abort */
	/* STE.Config: bypass, the device can reach all memory */
	QDH_STE_BYPASS		= 3,
	QDH_STE_S1		= 4,	/* stage-1 translation */
	QDH_STE_S2		= 5,	/* stage-2 translation */
	QDH_STE_NESTED		= 6,	/* both stages */
	/* SID beyond STRTAB_BASE_CFG's size, or no level-2 table for it */
	QDH_STE_OUT_OF_RANGE	= 7,
	/* SMMU disabled, or the table address/size is unusable */
	QDH_STE_UNREADABLE	= 8,
	QDH_STE_MAX		= 8,
};

struct qdh_record_stream {
	uint16_t iommu;		/* index into the IOMMU table (an SMMUv3) */
	uint8_t ste;		/* enum qdh_ste_state */
	uint8_t reserved;	/* must be zero */
	uint32_t sid;		/* StreamID */
};
_Static_assert(sizeof(struct qdh_record_stream) == 8, "record stream is ABI");

/* At most this many streams fit a u16 header_size (48 + 8 n <= 65535). */
#define QDH_RECORD_MAX_STREAMS	8185

/* qdh_record_iommu.action: what purgatory did. */
enum qdh_purgatory_action {
	QDH_PURG_NONE		= 0,	/* not looked at */
	QDH_PURG_OBSERVED	= 1,	/* registers read, nothing changed */
	QDH_PURG_GBPA_ABORT	= 2,	/* SMMUv3: set GBPA.ABORT */
	QDH_PURG_FAULT_STREAMS	= 3,	/* SMMUv2: all streams set to fault */
	QDH_PURG_TIMEOUT	= 4,	/* an update did not complete in time */
	QDH_PURG_SKIPPED	= 5,	/* type purgatory does not handle */
	QDH_PURG_ACTION_MAX	= 5,
};

/*
 * Register snapshot order, per IOMMU type (unused slots zero):
 *  SMMUv3: CR0, CR0ACK, GBPA, STRTAB_BASE, STRTAB_BASE_CFG, IDR0
 *  SMMUv2: sCR0, sGFSR, IDR0, IDR1, 0, 0
 */
#define QDH_RECORD_NREGS	6

enum qdh_smmuv3_reg_slot {
	QDH_V3_CR0 = 0, QDH_V3_CR0ACK = 1, QDH_V3_GBPA = 2,
	QDH_V3_STRTAB_BASE = 3, QDH_V3_STRTAB_BASE_CFG = 4, QDH_V3_IDR0 = 5,
};
enum qdh_smmuv2_reg_slot {
	QDH_V2_SCR0 = 0, QDH_V2_SGFSR = 1, QDH_V2_IDR0 = 2, QDH_V2_IDR1 = 3,
};

struct qdh_record_iommu {
	uint16_t iommu;		/* index into the IOMMU table */
	uint8_t action;		/* enum qdh_purgatory_action */
	uint8_t reserved;	/* must be zero */
	uint32_t reserved2;	/* must be zero */
	uint64_t before[QDH_RECORD_NREGS];	/* registers as found */
	uint64_t after[QDH_RECORD_NREGS];	/* registers as left */
};
_Static_assert(sizeof(struct qdh_record_iommu) == 104, "record entry is ABI");

/* --- Transports ----------------------------------------------------------- */

/* /chosen property holding the whole blob (doc/bindings/chosen-kexec-qdh.yaml). */
#define QDH_DT_PROPERTY		"kexec-qdh,handover"

/* ELF note: name "QDH", type QDH_NT_HANDOVER, descriptor = the whole blob. */
#define QDH_NOTE_NAME		"QDH"
#define QDH_NT_HANDOVER		1

/* Path of the blob inside the cpio appended to an initrd. */
/* not under run/: initramfs mounts a tmpfs there */
#define QDH_INITRD_PATH		"qdh/handover.qdh"

#endif /* _UAPI_QDH_H */
