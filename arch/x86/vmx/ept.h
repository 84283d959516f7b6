/* SPDX-License-Identifier: MIT */
/* EPT builder: guest-physical to host-physical tables for one partition. */
#ifndef EPT_H
#define EPT_H

#include <stdint.h>

/* Access rights, as they sit in bits 2:0 of an EPT leaf. */
#define EPT_R	1u
#define EPT_W	2u
#define EPT_X	4u
#define EPT_RWX 7u

/* Memory type in leaf entries, bits 5:3. */
#define EPT_MT_UC 0u
#define EPT_MT_WB 6u

#define EPT_PAGE_4K (1ull << 12)
#define EPT_PAGE_2M (1ull << 21)
#define EPT_PAGE_1G (1ull << 30)

/* Large page sizes the CPU supports: IA32_VMX_EPT_VPID_CAP bits 16/17. */
#define EPT_LARGE_2M 1u
#define EPT_LARGE_1G 2u

/*
 * Where table pages come from: a zeroed, 4 KiB-aligned page whose address
 * is also its physical address (the kernel identity-maps RAM; host tests
 * use aligned_alloc), or NULL when memory runs out.  There is no way to
 * give a page back, hence the spare list below.
 */
struct ept_alloc {
	void *(*page)(void *ctx);
	void *ctx;
};

struct ept {
	uint64_t *pml4;
	struct ept_alloc alloc;
	unsigned large;	 /* EPT_LARGE_2M | EPT_LARGE_1G */
	uint32_t tables; /* table pages in the tree, pml4 included */
	/*
	 * Pages obtained for an ept_map that then ran out of memory: kept,
	 * chained through their first word, for the next ept_map, so that a
	 * failed map leaves the tree untouched without leaking.  Owned by
	 * the ept like the tables; spares is 0 after every successful map.
	 */
	uint64_t *spare;
	uint32_t spares;
};

/* 0, or -1 when the first page (the PML4) cannot be had. */
int ept_init(struct ept *e, struct ept_alloc alloc, unsigned large);

/*
 * Map [gpa, gpa+size) to [hpa, hpa+size) with permissions perm (EPT_R/W/X,
 * not 0, R required if W) and memory type mt (EPT_MT_UC or EPT_MT_WB),
 * using the largest page (1 GiB, 2 MiB, 4 KiB) that gpa, hpa, the
 * remaining size and e->large allow.  gpa, hpa and size are 4 KiB-aligned,
 * size > 0, gpa+size <= 2^48 and hpa+size <= 2^46.  Execute-only (EPT_X
 * alone) is accepted; the caller checks IA32_VMX_EPT_VPID_CAP bit 0.
 * 0 on success; -1 on a bad argument, a page of the range already mapped
 * or no memory, and then the tree is exactly as it was.
 */
int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t size,
	    unsigned perm, unsigned mt);

/* Translate gpa: 0 and what the leaf says, or -1 if unmapped.  Any of the
 * output pointers may be NULL. */
int ept_lookup(const struct ept *e, uint64_t gpa, uint64_t *hpa, unsigned *perm,
	       unsigned *mt, uint64_t *page_size);

/* The EPT pointer for the VMCS: PML4 address, WB paging structures,
 * 4-level walk, accessed/dirty flags off. */
uint64_t ept_pointer(const struct ept *e);

typedef void ept_leaf_fn(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size,
			 unsigned perm, unsigned mt);

/* Call fn (may be NULL) for every leaf in ascending gpa order; returns the
 * number of leaves. */
uint64_t ept_walk(const struct ept *e, ept_leaf_fn *fn, void *ctx);

#endif
