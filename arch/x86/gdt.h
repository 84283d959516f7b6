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

void gdt_init(void);

#endif
