// SPDX-License-Identifier: MIT
/* ELF64 guests: segments at their physical addresses, 64-bit start. */
#include <string.h>

#include "../lib/fmt.h"
#include "abi.h"
#include "loader.h"

#define LOAD_MIN     (1ull << 20) /* below is the hypervisor's boot area */
#define PTE_P	     1ull
#define PTE_W	     2ull
#define PTE_PS	     0x80ull
#define IDENTITY_GIB 4
#define GDT_CODE64   0x00af9a000000ffffull
#define GDT_DATA     0x00cf92000000ffffull
#define GDT_CODE32   0x00cf9a000000ffffull

int loader_elf_check(const struct guest_ram *ram, const void *img, size_t size,
		     struct elf_info *info, char *err, size_t err_size)
{
	if (elf_parse(img, size, info, err, err_size))
		return -1;
	for (uint32_t i = 0; i < info->nsegs; i++) {
		const struct elf_seg *s = &info->segs[i];
		if (s->vaddr != s->paddr) {
			fmt_snprintf(err, err_size,
				     "segment %u: virtual 0x%llx differs from "
				     "physical 0x%llx (guests start with an "
				     "identity map)",
				     i, (unsigned long long)s->vaddr,
				     (unsigned long long)s->paddr);
			return -1;
		}
		if (s->paddr < LOAD_MIN ||
		    layout_offset(ram, s->paddr, s->memsz) < 0) {
			fmt_snprintf(
			    err, err_size,
			    "segment %u at 0x%llx-0x%llx is not in the "
			    "guest's RAM above 1 MiB",
			    i, (unsigned long long)s->paddr,
			    (unsigned long long)(s->paddr + s->memsz));
			return -1;
		}
	}
	return 0;
}

static void *at(uint8_t *mem, const struct guest_ram *ram, uint64_t gpa,
		uint64_t len)
{
	return mem + layout_offset(ram, gpa, len); /* checked by the caller */
}

/* The first 4 GiB identity-mapped with 2 MiB pages: PML4, one PDPT, four
 * page directories, right after it. */
void loader_identity_map(uint8_t *mem, const struct guest_ram *ram)
{
	uint64_t *pml4 = at(mem, ram, HV_BOOT_PML4, 4096);
	uint64_t *pdpt = at(mem, ram, HV_BOOT_PML4 + 4096, 4096);
	uint64_t pd0 = HV_BOOT_PML4 + 2 * 4096;

	pml4[0] = (HV_BOOT_PML4 + 4096) | PTE_P | PTE_W;
	for (uint64_t g = 0; g < IDENTITY_GIB; g++) {
		uint64_t *pd = at(mem, ram, pd0 + g * 4096, 4096);
		pdpt[g] = (pd0 + g * 4096) | PTE_P | PTE_W;
		for (uint64_t i = 0; i < 512; i++)
			pd[i] =
			    ((g << 30) + (i << 21)) | PTE_P | PTE_W | PTE_PS;
	}
}

_Static_assert(LAYOUT_MAX_RANGES <= HV_BOOT_MAX_RAM,
	       "struct hv_boot holds every RAM range");

static void boot_info(uint8_t *mem, const struct guest_ram *ram)
{
	struct hv_boot *b = at(mem, ram, HV_BOOT_INFO, sizeof(*b));

	b->magic = HV_BOOT_MAGIC;
	b->version = HV_ABI_VERSION;
	b->size = sizeof(*b);
	b->nram = ram->n;
	for (uint32_t i = 0; i < ram->n && i < LAYOUT_MAX_RANGES; i++) {
		b->ram[i].base = ram->r[i].gpa;
		b->ram[i].size = ram->r[i].size;
		b->memory += ram->r[i].size;
	}
}

void loader_elf_load(uint8_t *mem, const struct guest_ram *ram, const void *img,
		     const struct elf_info *info, struct vcpu_boot *boot)
{
	uint64_t *gdt = at(mem, ram, HV_BOOT_GDT, 4 * 8);

	for (uint32_t i = 0; i < info->nsegs; i++) {
		const struct elf_seg *s = &info->segs[i];
		memcpy(at(mem, ram, s->paddr, s->memsz),
		       (const uint8_t *)img + s->offset, s->filesz);
	}
	gdt[1] = GDT_CODE64;
	gdt[2] = GDT_DATA;
	gdt[3] = GDT_CODE32;
	loader_identity_map(mem, ram);
	boot_info(mem, ram);
	*boot = (struct vcpu_boot){
	    .mode = VCPU_MODE_LONG64,
	    .rip = info->entry,
	    .rsp = HV_BOOT_STACK,
	    .cr3 = HV_BOOT_PML4,
	    .gdt_base = HV_BOOT_GDT,
	    .gdt_limit = 4 * 8 - 1,
	    .cs = 0x08,
	    .ds = 0x10,
	    .rdi = HV_BOOT_INFO,
	};
}
