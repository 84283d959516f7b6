/* SPDX-License-Identifier: MIT */
/* Segment selectors and IST slots of the hypervisor's GDT. */
#ifndef X86_GDT_H
#define X86_GDT_H

#include <stdint.h>

#define GDT_KCODE   0x08
#define GDT_KDATA   0x10
#define GDT_TSS	    0x18 /* 16-byte system descriptor */
#define GDT_ENTRIES 5

/* Interrupt stack table slots (1-based, as IDT gates name them): faults
 * that may arrive on a broken stack get a known-good one. */
#define IST_DF	  1
#define IST_NMI	  2
#define IST_MC	  3
#define IST_COUNT 3

#define IST_STACK_SIZE 8192

/* 64-bit TSS (Intel SDM vol. 3A, 8.7). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* What each CPU owns: its GDT, its TSS and the TSS's IST stacks. */
struct gdt_cpu {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t ist[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
};

/* The boot CPU's tables (static storage). */
void gdt_init(void);

/* Fill t and load it on this CPU: GDTR, segments, TR. */
void gdt_load(struct gdt_cpu *t);

#endif
