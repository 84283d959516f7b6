// SPDX-License-Identifier: MIT
/* Guest page-table walker: read-only translation of guest linear addresses. */
#include "gwalk.h"

#include "../../../kernel/lib/fmt.h"

#include <string.h>

/* Control-register bits that select the paging mode (SDM vol. 3A, 4.1.1). */
#define CR0_PG	 (1ull << 31)
#define CR4_PSE	 (1ull << 4)
#define CR4_PAE	 (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)

/*
 * Paging-structure entries (SDM vol. 3A, 4.3 tables 4-4 to 4-6 for 32-bit
 * paging, 4.4.2 for PAE, 4.5 tables 4-15 to 4-20 for 4/5-level): P in bit
 * 0, PS in bit 7 where a large page may end the walk, the next table or
 * the page frame in bits 51:12 (31:12 in 32-bit entries).  Bit 63 (XD)
 * and bit 12 of large-page entries (PAT) are not address bits.
 */
#define PTE_P	  (1ull << 0)
#define PTE_PS	  (1ull << 7)
#define ADDR_MASK 0x000ffffffffff000ull
#define ADDR32	  0xfffff000ull
#define PAE_CR3	  0xffffffe0ull /* the PDPT is 32-byte aligned */

#define PAGE_SIZE 4096u

/* Entry names by walk level, 1 (page table) to 5 (PML5). */
static const char *const not_present[] = {"",
					  "PTE not present",
					  "PDE not present",
					  "PDPTE not present",
					  "PML4E not present",
					  "PML5E not present"};
static const char *const not_ram[] = {"",
				      "PTE outside guest RAM",
				      "PDE outside guest RAM",
				      "PDPTE outside guest RAM",
				      "PML4E outside guest RAM",
				      "PML5E outside guest RAM"};

enum gwalk_paging gwalk_mode(uint64_t cr0, uint64_t cr4, uint64_t efer)
{
	if (!(cr0 & CR0_PG))
		return GWALK_NONE;
	if (!(cr4 & CR4_PAE))
		return (cr4 & CR4_PSE) ? GWALK_32_PSE : GWALK_32;
	if (!(efer & EFER_LMA))
		return GWALK_PAE;
	return (cr4 & CR4_LA57) ? GWALK_5LEVEL : GWALK_4LEVEL;
}

/* An entry of width 4 or 8 bytes; memory is only read in aligned qwords. */
static int read_entry(const struct gwalk_ops *ops, uint64_t gpa, unsigned width,
		      uint64_t *e)
{
	uint64_t q;

	if (ops->read64(ops->ctx, gpa & ~7ull, &q))
		return -1;
	*e = width == 8 ? q : (q >> ((gpa & 4) * 8)) & 0xffffffffull;
	return 0;
}

/* Read the level's entry for la from table; -1 with why if there is none. */
static int entry(const struct gwalk_ops *ops, uint64_t gpa, unsigned width,
		 int level, uint64_t *e, const char **why)
{
	if (read_entry(ops, gpa, width, e)) {
		*why = not_ram[level];
		return -1;
	}
	if (!(*e & PTE_P)) {
		*why = not_present[level];
		return -1;
	}
	return 0;
}

/* 32-bit paging: 1024-entry directory and tables of 4-byte entries. */
static int walk32(const struct gwalk_ops *ops, uint64_t cr3, uint64_t la,
		  int pse, uint64_t *gpa, const char **why)
{
	uint64_t pde, pte;

	if (entry(ops, (cr3 & ADDR32) + (la >> 22) * 4, 4, 2, &pde, why))
		return -1;
	if (pse && (pde & PTE_PS)) {
		/* PSE-36: PDE bits 20:13 hold address bits 39:32. */
		*gpa = (pde & 0xffc00000ull) | ((pde >> 13) & 0xff) << 32 |
		       (la & 0x3fffff);
		return 0;
	}
	if (entry(ops, (pde & ADDR32) + ((la >> 12) & 0x3ff) * 4, 4, 1, &pte,
		  why))
		return -1;
	*gpa = (pte & ADDR32) | (la & 0xfff);
	return 0;
}

/*
 * PAE, 4- and 5-level paging: tables of 8-byte entries, 9 index bits per
 * level (PAE's 4-entry PDPT is indexed by la bits 31:30, which the same
 * arithmetic gives for a 32-bit la).  A set PS ends the walk at levels up
 * to large_top: 3 (1 GiB pages) for 4/5-level, 2 for PAE.
 */
static int walk_long(const struct gwalk_ops *ops, uint64_t table, uint64_t la,
		     int level, int large_top, uint64_t *gpa, const char **why)
{
	uint64_t e, page;
	unsigned shift;

	for (;; level--) {
		shift = 12 + 9 * (unsigned)(level - 1);
		if (entry(ops, table + ((la >> shift) & 0x1ff) * 8, 8, level,
			  &e, why))
			return -1;
		if (level == 1 || (level <= large_top && (e & PTE_PS)))
			break;
		table = e & ADDR_MASK;
	}
	page = 1ull << shift;
	*gpa = (e & ADDR_MASK & ~(page - 1)) | (la & (page - 1));
	return 0;
}

/* Bits above the top index bit copy it (SDM vol. 3A, 4.5). */
static int canonical(uint64_t la, unsigned bits)
{
	uint64_t sign = 1ull << (bits - 1);
	uint64_t low = la & ((sign << 1) - 1);

	return ((low ^ sign) - sign) == la;
}

static void copy_err(char *err, size_t err_size, const char *why)
{
	fmt_snprintf(err, err_size, "%s", why);
}

static int translate(enum gwalk_paging mode, uint64_t cr3, uint64_t la,
		     const struct gwalk_ops *ops, uint64_t *gpa,
		     const char **why)
{
	switch (mode) {
	case GWALK_NONE:
		*gpa = la & 0xffffffffull;
		return 0;
	case GWALK_32:
	case GWALK_32_PSE:
		return walk32(ops, cr3, la & 0xffffffffull,
			      mode == GWALK_32_PSE, gpa, why);
	case GWALK_PAE:
		return walk_long(ops, cr3 & PAE_CR3, la & 0xffffffffull, 3, 2,
				 gpa, why);
	case GWALK_4LEVEL:
	case GWALK_5LEVEL:
		if (!canonical(la, mode == GWALK_4LEVEL ? 48 : 57)) {
			*why = "non-canonical address";
			return -1;
		}
		return walk_long(ops, cr3 & ADDR_MASK, la,
				 mode == GWALK_4LEVEL ? 4 : 5, 3, gpa, why);
	}
	*why = "unknown paging mode";
	return -1;
}

int gwalk_translate(enum gwalk_paging mode, uint64_t cr3, uint64_t la,
		    const struct gwalk_ops *ops, uint64_t *gpa, char *err,
		    size_t err_size)
{
	const char *why = "";

	if (translate(mode, cr3, la, ops, gpa, &why) == 0)
		return 0;
	copy_err(err, err_size, why);
	return -1;
}

size_t gwalk_fetch(enum gwalk_paging mode, uint64_t cr3, uint64_t la,
		   uint8_t *buf, size_t n, const struct gwalk_ops *ops,
		   char *err, size_t err_size)
{
	const char *why = "";
	size_t done = 0;
	uint64_t gpa;

	while (done < n) {
		size_t chunk;

		if (translate(mode, cr3, la + done, ops, &gpa, &why))
			break;
		chunk = PAGE_SIZE - (gpa & (PAGE_SIZE - 1));
		if (chunk > n - done)
			chunk = n - done;
		if (ops->read_bytes(ops->ctx, gpa, buf + done, chunk)) {
			why = "code outside guest RAM";
			break;
		}
		done += chunk;
	}
	if (done < n)
		copy_err(err, err_size, why);
	return done;
}
