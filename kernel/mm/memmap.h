/* SPDX-License-Identifier: MIT */
/* Physical memory map: sorted typed ranges, as the loader hands them over. */
#ifndef MEMMAP_H
#define MEMMAP_H

#include "../../boot/boot_info.h"

/*
 * Pure logic on struct bi_memmap, used by the loader to fold the EFI map and
 * by the kernel to find free RAM.  Every call either succeeds completely or
 * returns -1 leaving the map unchanged.
 */

/* Insert a range that overlaps none present; merges equal-typed neighbours. */
int memmap_add(struct bi_memmap *m, uint64_t base, uint64_t size,
	       uint32_t type);

/* Retype whatever part of [base, base+size) the map covers. */
int memmap_set(struct bi_memmap *m, uint64_t base, uint64_t size,
	       uint32_t type);

/* Bytes of the given type. */
uint64_t memmap_total(const struct bi_memmap *m, uint32_t type);

/* End of the highest range of any type that is RAM (not MMIO). */
uint64_t memmap_ram_top(const struct bi_memmap *m);

const char *memmap_type_name(uint32_t type);

#endif
