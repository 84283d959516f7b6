// SPDX-License-Identifier: MIT
/* Physical memory map operations: insert, retype, totals. */
#include "memmap.h"

#include <string.h>

static uint64_t end_of(const struct bi_mem_range *r)
{
	return r->base + r->size;
}

/* Append to a map being rebuilt in order, merging with the last entry. */
static int append(struct bi_memmap *m, uint64_t base, uint64_t size,
		  uint32_t type)
{
	if (!size)
		return 0;
	if (m->count) {
		struct bi_mem_range *last = &m->r[m->count - 1];
		if (last->type == type && end_of(last) == base) {
			last->size += size;
			return 0;
		}
	}
	if (m->count == BI_MAX_MEM)
		return -1;
	m->r[m->count++] = (struct bi_mem_range){base, size, type, 0};
	return 0;
}

int memmap_add(struct bi_memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	static struct bi_memmap tmp; /* too big for a small stack */
	uint32_t i = 0;

	if (!size || base + size < base)
		return -1;
	for (uint32_t j = 0; j < m->count; j++)
		if (base < end_of(&m->r[j]) && m->r[j].base < base + size)
			return -1;
	tmp.count = 0;
	for (; i < m->count && m->r[i].base < base; i++)
		if (append(&tmp, m->r[i].base, m->r[i].size, m->r[i].type))
			return -1;
	if (append(&tmp, base, size, type))
		return -1;
	for (; i < m->count; i++)
		if (append(&tmp, m->r[i].base, m->r[i].size, m->r[i].type))
			return -1;
	memcpy(m, &tmp, sizeof(tmp));
	return 0;
}

int memmap_set(struct bi_memmap *m, uint64_t base, uint64_t size, uint32_t type)
{
	static struct bi_memmap tmp;
	uint64_t end = base + size;

	if (end < base)
		return -1;
	tmp.count = 0;
	for (uint32_t i = 0; i < m->count; i++) {
		const struct bi_mem_range *r = &m->r[i];
		uint64_t lo = r->base > base ? r->base : base;
		uint64_t hi = end_of(r) < end ? end_of(r) : end;
		if (lo >= hi) { /* untouched */
			if (append(&tmp, r->base, r->size, r->type))
				return -1;
			continue;
		}
		if (append(&tmp, r->base, lo - r->base, r->type) ||
		    append(&tmp, lo, hi - lo, type) ||
		    append(&tmp, hi, end_of(r) - hi, r->type))
			return -1;
	}
	memcpy(m, &tmp, sizeof(tmp));
	return 0;
}

uint64_t memmap_total(const struct bi_memmap *m, uint32_t type)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < m->count; i++)
		if (m->r[i].type == type)
			sum += m->r[i].size;
	return sum;
}

uint64_t memmap_ram_top(const struct bi_memmap *m)
{
	for (uint32_t i = m->count; i-- > 0;)
		if (m->r[i].type != BI_MEM_MMIO &&
		    m->r[i].type != BI_MEM_RESERVED)
			return end_of(&m->r[i]);
	return 0;
}

const char *memmap_type_name(uint32_t type)
{
	static const char *const names[BI_MEM_TYPE_COUNT] = {
	    [BI_MEM_USABLE] = "usable",
	    [BI_MEM_RESERVED] = "reserved",
	    [BI_MEM_ACPI_RECLAIM] = "acpi",
	    [BI_MEM_ACPI_NVS] = "acpi-nvs",
	    [BI_MEM_RUNTIME] = "efi-runtime",
	    [BI_MEM_MMIO] = "mmio",
	    [BI_MEM_BAD] = "bad",
	    [BI_MEM_HANDOVER] = "handover",
	};

	return type < BI_MEM_TYPE_COUNT && names[type] ? names[type]
						       : "unknown";
}
