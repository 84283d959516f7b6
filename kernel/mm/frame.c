// SPDX-License-Identifier: MIT
/* Physical page allocator over a sorted list of free ranges. */
#include "frame.h"

#include <string.h>

struct frame_pool frames;

void frame_pool_init(struct frame_pool *p)
{
	memset(p, 0, sizeof(*p));
}

static void remove_at(struct frame_pool *p, uint32_t i)
{
	memmove(&p->r[i], &p->r[i + 1], (p->n - i - 1) * sizeof(p->r[0]));
	p->n--;
}

int frame_pool_free(struct frame_pool *p, uint64_t base, uint64_t size)
{
	uint64_t lo = (base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
	uint64_t hi = (base + size) & ~(FRAME_SIZE - 1);
	uint32_t i = 0;

	if (base + size < base)
		return -1;
	if (lo < base || lo >= hi) /* lo < base: rounding up wrapped */
		return 0; /* less than one whole frame: nothing to add */
	while (i < p->n && p->r[i].end <= lo)
		i++;
	if (i < p->n && p->r[i].base < hi)
		return -1; /* double free or overlapping add */
	int join_prev = i > 0 && p->r[i - 1].end == lo;
	int join_next = i < p->n && p->r[i].base == hi;
	if (join_prev && join_next) {
		p->r[i - 1].end = p->r[i].end;
		remove_at(p, i);
	} else if (join_prev) {
		p->r[i - 1].end = hi;
	} else if (join_next) {
		p->r[i].base = lo;
	} else {
		if (p->n == FRAME_MAX_RANGES)
			return -1;
		memmove(&p->r[i + 1], &p->r[i], (p->n - i) * sizeof(p->r[0]));
		p->r[i] = (struct frame_range){lo, hi};
		p->n++;
	}
	p->free_bytes += hi - lo;
	return 0;
}

/* Cut [lo, hi) out of range i, which contains it. */
static int carve(struct frame_pool *p, uint32_t i, uint64_t lo, uint64_t hi)
{
	struct frame_range *r = &p->r[i];

	if (r->base < lo && hi < r->end) { /* split in two */
		if (p->n == FRAME_MAX_RANGES)
			return -1;
		memmove(&p->r[i + 1], &p->r[i], (p->n - i) * sizeof(p->r[0]));
		p->n++;
		p->r[i].end = lo;
		p->r[i + 1].base = hi;
	} else if (r->base < lo) {
		r->end = lo;
	} else if (hi < r->end) {
		r->base = hi;
	} else {
		remove_at(p, i);
	}
	p->free_bytes -= hi - lo;
	return 0;
}

uint64_t frame_pool_alloc(struct frame_pool *p, uint64_t size, uint64_t align)
{
	size = (size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1); /* 0 if it wraps */
	if (!size || align < FRAME_SIZE || (align & (align - 1)))
		return 0;
	for (uint32_t i = 0; i < p->n; i++) {
		uint64_t lo = (p->r[i].base + align - 1) & ~(align - 1);
		if (lo < p->r[i].base || lo >= p->r[i].end ||
		    p->r[i].end - lo < size)
			continue;
		return carve(p, i, lo, lo + size) ? 0 : lo;
	}
	return 0;
}

int frame_pool_add_memmap(struct frame_pool *p, const struct bi_memmap *m,
			  uint64_t min_addr)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct bi_mem_range *r = &m->r[i];
		uint64_t base = r->base, end = r->base + r->size;
		if (r->type != BI_MEM_USABLE || end <= min_addr)
			continue;
		if (base < min_addr)
			base = min_addr;
		if (frame_pool_free(p, base, end - base))
			return -1;
	}
	return 0;
}
