/* SPDX-License-Identifier: MIT */
/* The only contract between the UEFI loader and the hypervisor kernel. */
#ifndef BOOT_INFO_H
#define BOOT_INFO_H

#include <stdint.h>

/*
 * The loader fills one struct boot_info, leaves boot services and jumps to
 * the kernel entry with RDI = its physical address, interrupts off, and page
 * tables that identity-map all physical memory (2 MiB pages, up to
 * BI_IDENTITY_TOP or the end of RAM, whichever is higher) and map the kernel
 * image at its link address.  Every address below is physical.
 *
 * Bump BOOT_INFO_VERSION on any layout change: the kernel refuses a
 * mismatch rather than misread the structure.
 */
#define BOOT_INFO_MAGIC	  0x4f464e49544f4f42ull /* "BOOTINFO" */
#define BOOT_INFO_VERSION 3

#define BI_MAX_CPUS	64
#define BI_MAX_MEM	256
#define BI_MAX_FILES	96 /* config, 16 images, 16 x 4 modules */
#define BI_NAME_MAX	64
#define BI_CMDLINE_MAX	256
#define BI_IDENTITY_TOP (4ull << 30)
#define BI_KERNEL_VBASE 0xffffffff80000000ull /* lowest kernel link address */
#define BI_KERNEL_MAX	(64ull << 20)

/* Memory range types, after the loader has folded the EFI types. */
enum bi_mem_type {
	BI_MEM_USABLE = 1,	 /* free RAM once the kernel runs */
	BI_MEM_RESERVED = 2,	 /* firmware-reserved, unusable, unknown */
	BI_MEM_ACPI_RECLAIM = 3, /* ACPI tables: kept for guests and shutdown */
	BI_MEM_ACPI_NVS = 4,
	BI_MEM_RUNTIME = 5,  /* EFI runtime services code and data */
	BI_MEM_MMIO = 6,     /* firmware-reported MMIO */
	BI_MEM_BAD = 7,	     /* unusable (failed) RAM */
	BI_MEM_HANDOVER = 8, /* kernel, files, boot info, boot page tables */
	BI_MEM_TYPE_COUNT
};

struct bi_mem_range {
	uint64_t base;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

struct bi_memmap {
	uint32_t count;
	uint32_t reserved;
	struct bi_mem_range r[BI_MAX_MEM]; /* sorted by base, not overlapping */
};

#define BI_CPU_BSP     1u /* the CPU the loader ran on */
#define BI_CPU_ENABLED 2u

struct bi_cpu {
	uint32_t apic_id;
	uint32_t flags;
};

/* A file the loader read from the ESP: files[0] is the config, files[1 + i]
 * the image of the config's guest i, then the modules (or the initrd) of
 * guest 0 in config order, those of guest 1, and so on. */
struct bi_file {
	char name[BI_NAME_MAX]; /* the path as the config names it */
	uint64_t addr;		/* page-aligned */
	uint64_t size;		/* bytes of content */
};

struct boot_info {
	uint64_t magic;
	uint32_t version;
	uint32_t size; /* sizeof(struct boot_info) as the loader built it */

	uint64_t kernel_phys; /* where the kernel image's lowest page lives */
	uint64_t kernel_size; /* bytes, whole 2 MiB pages */
	uint64_t kernel_virt; /* link address of that page */

	uint64_t acpi_rsdp;	   /* 0 if the firmware has no ACPI tables */
	uint64_t efi_system_table; /* for runtime services (ResetSystem) */
	uint64_t loader_tsc;	   /* TSC at the loader's entry */
	uint64_t boot_tsc;	   /* TSC just before the jump to the kernel */

	uint32_t ncpus; /* as EFI MP Services reported them */
	uint32_t bsp_index;
	struct bi_cpu cpus[BI_MAX_CPUS];

	uint32_t nfiles;
	uint32_t reserved;
	struct bi_file files[BI_MAX_FILES];

	char cmdline[BI_CMDLINE_MAX]; /* the [hypervisor] cmdline key */

	struct bi_memmap mem; /* the final map, handover ranges carved out */
};

#endif
