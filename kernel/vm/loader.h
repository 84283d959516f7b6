/* SPDX-License-Identifier: MIT */
/* Guest image loaders: check an image against a guest, then load it. */
#ifndef VM_LOADER_H
#define VM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "../elf.h"
#include "layout.h"
#include "vcpu.h"

/*
 * ELF64 (abi.h describes the start state).  Pure: the check only reads the
 * image; the load writes through mem, the partition's first byte, with
 * guest-physical layout ram, and must follow a successful check.  Loads
 * go into a scrubbed partition: what they do not write stays zero (bss,
 * unused table entries).
 */
int loader_elf_check(const struct guest_ram *ram, const void *img, size_t size,
		     struct elf_info *info, char *err, size_t err_size);
void loader_elf_load(uint8_t *mem, const struct guest_ram *ram, const void *img,
		     const struct elf_info *info, struct vcpu_boot *boot);

/*
 * Multiboot 1 (specification 0.6.96): an ELF32 or "a.out kludge" kernel
 * and up to LOADER_MAX_MODULES modules, started in 32-bit protected mode
 * with EAX = 0x2BADB002 and EBX = the Multiboot information.  The check
 * only reads, and records in plan where everything goes; the load must
 * follow a successful check with the same arguments, and cannot fail.
 */
struct loader_module {
	const void *data;
	size_t size;
	const char *name; /* the string passed to the guest, e.g. the path */
};

#define LOADER_MAX_MODULES 4
#define MB_MAX_SEGS	   16

struct mb_seg {
	uint64_t paddr, offset, filesz, memsz; /* bytes past filesz stay 0 */
};

struct mb_info_plan {
	uint64_t entry;
	uint32_t nsegs, nmods;
	struct mb_seg segs[MB_MAX_SEGS];
	uint64_t mod[LOADER_MAX_MODULES]; /* each module, page-aligned */
	/* Below 1 MiB: the information and everything it points to. */
	uint64_t info, mmap, mods, loader_name, cmdline;
	uint64_t names[LOADER_MAX_MODULES];
	size_t cmdline_len, name_len[LOADER_MAX_MODULES];
	uint32_t mmap_length, mem_lower, mem_upper;
};

int loader_multiboot_check(const struct guest_ram *ram, const void *img,
			   size_t size, const char *cmdline,
			   const struct loader_module *mods, uint32_t nmods,
			   struct mb_info_plan *plan, char *err,
			   size_t err_size);
/* 1 if img has a valid Multiboot 1 header in its first 8192 bytes, else 0:
 * for telling image formats apart. */
int loader_multiboot_detect(const void *img, size_t size);
void loader_multiboot_load(uint8_t *mem, const struct guest_ram *ram,
			   const void *img, const struct mb_info_plan *plan,
			   const char *cmdline,
			   const struct loader_module *mods, uint32_t nmods,
			   struct vcpu_boot *boot);

/* The first 4 GiB identity-mapped with 2 MiB pages at HV_BOOT_PML4 (abi.h),
 * as ELF64 and Linux guests start. */
void loader_identity_map(uint8_t *mem, const struct guest_ram *ram);

/*
 * Linux bzImage, x86 boot protocol 2.12 or later (Documentation/arch/x86/
 * boot.rst), started at its 64-bit entry point as "64-bit BOOT PROTOCOL"
 * asks: long mode, the first 4 GiB identity-mapped with 2 MiB pages at
 * HV_BOOT_PML4, a GDT at HV_BOOT_GDT with __BOOT_CS = 0x10 (64-bit code)
 * and __BOOT_DS = 0x18 (data), interrupts off, RSI = the zero page and
 * RIP = the protected-mode kernel's address + 0x200.
 *
 * Below 1 MiB: the GDT and page tables as for ELF64 guests (0x1000 to
 * 0x8000; 0x8000 stays free, where ELF guests find struct hv_boot), the
 * zero page at LINUX_ZERO_PAGE, the command line from LINUX_CMDLINE up to
 * LINUX_CMDLINE_END and the stack below LINUX_STACK.  [0xE0000, 1 MiB)
 * holds the hypervisor's ACPI tables: reserved in the e820 map, never
 * loaded into.  The kernel goes at pref_address (where its decompressor
 * runs anyway, relocatable or not) and must fit there; the
 * initrd page-aligned as high as initrd_addr_max and the RAM below 4 GiB
 * allow.  The check only reads, and records in plan where everything
 * goes; the load must follow a successful check with the same arguments,
 * and cannot fail.
 */
#define LINUX_ZERO_PAGE	  0x10000ull
#define LINUX_CMDLINE	  0x20000ull
#define LINUX_CMDLINE_END 0x70000ull
#define LINUX_STACK	  0x80000ull /* grows down toward the command line */
#define LINUX_ACPI_BASE	  LAYOUT_BIOS_AREA /* platform.c's ACPI_GPA */
#define LINUX_ACPI_END	  0x100000ull

struct linux_plan {
	uint64_t load;	       /* the protected-mode kernel's address */
	uint64_t footprint;    /* bytes it needs there: init_size or more */
	uint64_t kernel_size;  /* its bytes in the file, from setup_size */
	uint32_t setup_size;   /* (setup_sects + 1) * 512 */
	uint32_t hdr_end;      /* the setup header: 0x1F1 up to here */
	uint64_t initrd;       /* page-aligned; 0 without an initrd */
	uint64_t initrd_size;  /* 0: none */
	size_t cmdline_len;    /* without its NUL */
	uint32_t e820_entries; /* what the zero page's map will hold */
};

/* initrd may be NULL (or initrd_size 0): no initrd; cmdline may be NULL. */
int loader_linux_check(const struct guest_ram *ram, const void *img,
		       size_t size, const char *cmdline, const void *initrd,
		       size_t initrd_size, struct linux_plan *plan, char *err,
		       size_t err_size);
/* 1 if img has a bzImage's boot_flag 0xAA55 and "HdrS" signature, else 0:
 * for telling image formats apart (it may still be refused). */
int loader_linux_detect(const void *img, size_t size);
void loader_linux_load(uint8_t *mem, const struct guest_ram *ram,
		       const void *img, const char *cmdline, const void *initrd,
		       const struct linux_plan *plan, struct vcpu_boot *boot);

/*
 * Flat binaries: loaded at 0x7C00 like a boot sector and started in real
 * mode at 0000:7C00 with DS = ES = SS = 0, SP = 0x7C00 and DL = 0x80.
 */
#define LOADER_FLAT_BASE 0x7c00ull

int loader_flat_check(const struct guest_ram *ram, size_t size, char *err,
		      size_t err_size);
void loader_flat_load(uint8_t *mem, const struct guest_ram *ram,
		      const void *img, size_t size, struct vcpu_boot *boot);

#endif
