// SPDX-License-Identifier: MIT
/* GDT and TSS of each CPU: flat 64-bit segments, IST stacks. */
#include "gdt.h"

#include <string.h>

_Static_assert(sizeof(struct tss) == 104, "64-bit TSS is 104 bytes");

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The boot CPU's, before any allocator exists; the others' come from
 * the frame pool when they start. */
static struct gdt_cpu boot_tables __attribute__((aligned(16)));

/* Code/data descriptors: access byte and flags (SDM vol. 3A, 3.4.5). */
#define DESC_CODE64 0x00af9a000000ffffull /* P, DPL0, exec/read, L */
#define DESC_DATA   0x00cf92000000ffffull /* P, DPL0, read/write */

static void set_tss_desc(uint64_t *gdt, const struct tss *tss)
{
	uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
			   0x89ull << 40 | /* P, type 9: available TSS */
			   ((limit >> 16) & 0xf) << 48 |
			   (base >> 24 & 0xff) << 56;
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

void gdt_init(void)
{
	gdt_load(&boot_tables);
}

void gdt_load(struct gdt_cpu *t)
{
	struct gdt_ptr p = {sizeof(t->gdt) - 1, (uint64_t)t->gdt};

	memset(t, 0, sizeof(*t));
	t->gdt[GDT_KCODE / 8] = DESC_CODE64;
	t->gdt[GDT_KDATA / 8] = DESC_DATA;
	for (int i = 0; i < IST_COUNT; i++)
		t->tss.ist[i] = (uint64_t)&t->ist[i][IST_STACK_SIZE];
	t->tss.iomap_base = sizeof(t->tss); /* no I/O bitmap */
	set_tss_desc(t->gdt, &t->tss);
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%ss\n\t"
			 "mov %3, %%fs\n\t"
			 "mov %3, %%gs\n\t"
			 "ltr %w4"
			 :
			 : "m"(p), "i"(GDT_KCODE), "r"(GDT_KDATA), "r"(0),
			   "r"(GDT_TSS)
			 : "rax", "memory");
}
