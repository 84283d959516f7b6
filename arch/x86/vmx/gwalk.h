/* SPDX-License-Identifier: MIT */
/* Guest page-table walker: guest linear to guest-physical addresses. */
#ifndef GWALK_H
#define GWALK_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic, shared by the kernel and host tests.  It serves the MMIO
 * emulation, which needs the bytes at the guest's RIP: a read-only walk
 * that neither sets accessed/dirty bits nor checks access rights (the
 * guest already executed from there) and stops at the first entry that is
 * not present or not in guest RAM.  Reserved bits are not checked.
 */

/* Guest-physical memory as the walker sees it.  Both return 0, or -1 when
 * some byte of the range is not guest RAM. */
struct gwalk_ops {
	/* 8 bytes at an 8-aligned gpa: paging-structure entries */
	int (*read64)(void *ctx, uint64_t gpa, uint64_t *val);
	/* len bytes within one 4 KiB page: only gwalk_fetch uses it */
	int (*read_bytes)(void *ctx, uint64_t gpa, void *dst, size_t len);
	void *ctx;
};

/* Paging modes (SDM vol. 3A, 4.1.1, table 4-1).  32-bit paging maps 4 MiB
 * pages only with CR4.PSE, so that is a mode of its own. */
enum gwalk_paging {
	GWALK_NONE,
	GWALK_32,
	GWALK_32_PSE,
	GWALK_PAE,
	GWALK_4LEVEL,
	GWALK_5LEVEL,
};

/* The guest's mode from CR0.PG, CR4.PSE/PAE/LA57 and IA32_EFER.LMA. */
enum gwalk_paging gwalk_mode(uint64_t cr0, uint64_t cr4, uint64_t efer);

/*
 * Translate la under cr3: 0 and *gpa, or -1 and the reason in err (may be
 * NULL).  Without paging, and under 32-bit and PAE paging, la is cut to
 * 32 bits; 4- and 5-level paging refuse non-canonical addresses.
 *
 * PAE: the CPU walks from the PDPTEs it loaded with CR3 (with EPT, the
 * VMCS guest PDPTE fields), which memory may no longer match; this reads
 * them from memory.
 */
int gwalk_translate(enum gwalk_paging mode, uint64_t cr3, uint64_t la,
		    const struct gwalk_ops *ops, uint64_t *gpa, char *err,
		    size_t err_size);

/*
 * Copy n bytes from la on into buf, translating each 4 KiB page on its own
 * (an instruction may straddle two that are not adjacent in guest-physical
 * memory).  Returns how many bytes were copied: n, or fewer with the
 * reason in err when a page cannot be translated or read.  A short count
 * is not necessarily an error: the instruction may end before the page
 * that failed, which the decoder finds out.
 */
size_t gwalk_fetch(enum gwalk_paging mode, uint64_t cr3, uint64_t la,
		   uint8_t *buf, size_t n, const struct gwalk_ops *ops,
		   char *err, size_t err_size);

#endif
