/* SPDX-License-Identifier: MIT */
/* Physical page allocator: free memory kept as sorted, merged ranges. */
#ifndef FRAME_H
#define FRAME_H

#include <stdint.h>

#include "memmap.h"

#define FRAME_SIZE	 4096ull
#define FRAME_MAX_RANGES 256

/*
 * A range list rather than a bitmap: it costs a few KiB whatever the RAM
 * size, and hands out the large contiguous runs that guest partitions need.
 */
struct frame_range {
	uint64_t base, end;
};

struct frame_pool {
	uint32_t n;
	struct frame_range r[FRAME_MAX_RANGES];
	uint64_t free_bytes;
};

void frame_pool_init(struct frame_pool *p);

/* Give [base, base+size) to the pool, shrunk inward to whole frames.
 * Fails (-1, pool unchanged) on overlap with free memory or a full table. */
int frame_pool_free(struct frame_pool *p, uint64_t base, uint64_t size);

/* Lowest free run of size bytes (whole frames) at an align-byte boundary
 * (a power of two, at least FRAME_SIZE).  Returns 0 when none fits. */
uint64_t frame_pool_alloc(struct frame_pool *p, uint64_t size, uint64_t align);

/* Every usable range of the map at or above min_addr. */
int frame_pool_add_memmap(struct frame_pool *p, const struct bi_memmap *m,
			  uint64_t min_addr);

/* The hypervisor's own pool, built once from the boot memory map. */
extern struct frame_pool frames;

#endif
