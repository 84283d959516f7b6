// SPDX-License-Identifier: MIT
/* The hypervisor's own page tables (Intel SDM vol. 3A, 4.5). */
#include "../../kernel/arch.h"
#include "../../kernel/bootinfo.h"
#include "../../kernel/log.h"
#include "../../kernel/mm/frame.h"
#include "../../kernel/mm/memmap.h"
#include "cpu.h"

#include <string.h>

#define PTE_P	 (1ull << 0)
#define PTE_W	 (1ull << 1)
#define PTE_PS	 (1ull << 7) /* large page in a PDPTE or PDE */
#define PTE_G	 (1ull << 8)
#define PTE_NX	 (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define GIB	 (1ull << 30)
#define MIB2	 (2ull << 20)
#define PAGE	 4096ull

/* Section bounds from arch/x86/kernel.ld. */
extern char __text_start[], __text_end[], __rodata_end[], __kernel_end[];

static uint64_t nx_bit;

static uint64_t *new_table(void)
{
	uint64_t pa = frame_pool_alloc(&frames, PAGE, PAGE);

	if (!pa)
		panic("out of memory for page tables");
	memset((void *)pa, 0, PAGE); /* identity-mapped */
	return (uint64_t *)pa;
}

/* The next-level table behind entry idx, created on first use. */
static uint64_t *walk(uint64_t *table, unsigned idx)
{
	if (!(table[idx] & PTE_P))
		table[idx] = (uint64_t)new_table() | PTE_P | PTE_W;
	return (uint64_t *)(table[idx] & PTE_ADDR);
}

/* Identity map [0, top): 1 GiB pages where the CPU has them, else 2 MiB.
 * Executable, because EFI runtime code (ResetSystem) runs from it. */
static void map_identity(uint64_t *pml4, uint64_t top)
{
	int gib_pages = (cpuid(0x80000001, 0).d >> 26) & 1;

	for (uint64_t pa = 0; pa < top; pa += gib_pages ? GIB : MIB2) {
		uint64_t *pdpt = walk(pml4, (pa >> 39) & 511);
		if (gib_pages) {
			pdpt[(pa >> 30) & 511] = pa | PTE_P | PTE_W | PTE_PS;
			continue;
		}
		uint64_t *pd = walk(pdpt, (pa >> 30) & 511);
		pd[(pa >> 21) & 511] = pa | PTE_P | PTE_W | PTE_PS;
	}
}

/* Kernel image in 4 KiB pages: text RX, rodata R, data and bss RW. */
static void map_kernel(uint64_t *pml4, const struct boot_info *bi)
{
	uint64_t end = (uint64_t)__kernel_end;

	for (uint64_t va = bi->kernel_virt; va < end; va += PAGE) {
		uint64_t flags = PTE_P | PTE_G;
		if (va < (uint64_t)__text_start || va >= (uint64_t)__text_end)
			flags |= nx_bit;
		if (va >= (uint64_t)__rodata_end)
			flags |= PTE_W;
		uint64_t *pdpt = walk(pml4, (va >> 39) & 511);
		uint64_t *pd = walk(pdpt, (va >> 30) & 511);
		uint64_t *pt = walk(pd, (va >> 21) & 511);
		pt[(va >> 12) & 511] =
		    (bi->kernel_phys + va - bi->kernel_virt) | flags;
	}
}

void arch_paging_init(const struct boot_info *bi)
{
	uint64_t top = memmap_ram_top(&bi->mem);
	uint64_t *pml4 = new_table();

	if (cpuid(0x80000001, 0).d & (1u << 20)) {
		wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | EFER_NXE);
		nx_bit = PTE_NX;
	}
	top = top < BI_IDENTITY_TOP ? BI_IDENTITY_TOP
				    : (top + GIB - 1) & ~(GIB - 1);
	map_identity(pml4, top);
	map_kernel(pml4, bi);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3((uint64_t)pml4);
}
