/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The frozen v1.0 reader links beside libqdh.a: its symbols get a prefix. */
#define qdh_check		qdh10_check
#define qdh_check_body		qdh10_check_body
#define qdh_crc32		qdh10_crc32
#define qdh_crc32_skip		qdh10_crc32_skip
#define qdh_iommu_count		qdh10_iommu_count
#define qdh_device_count	qdh10_device_count
#define qdh_get_iommu		qdh10_get_iommu
#define qdh_get_device		qdh10_get_device
#define qdh_device_sid		qdh10_device_sid
#define qdh_dev_iter_init	qdh10_dev_iter_init
#define qdh_dev_iter_next	qdh10_dev_iter_next
#define qdh_find_pci		qdh10_find_pci
#define qdh_find_platform	qdh10_find_platform
#define qdh_find_stream		qdh10_find_stream
#define qdh_strerror		qdh10_strerror
