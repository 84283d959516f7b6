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
