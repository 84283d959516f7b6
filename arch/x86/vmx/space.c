// SPDX-License-Identifier: MIT
/* A guest's address space and MSR policy: its EPT and MSR bitmap. */
#include <string.h>

#include "../../../kernel/arch.h"
#include "../../../kernel/mm/frame.h"
#include "exit.h"

static void *table_page(void *ctx)
{
	uint64_t pa = frame_pool_alloc(&frames, FRAME_SIZE, FRAME_SIZE);

	(void)ctx;
	if (!pa)
		return NULL;
	memset((void *)pa, 0, FRAME_SIZE); /* RAM is identity-mapped */
	return (void *)pa;
}

int arch_guest_init(struct guest *g)
{
	struct ept_alloc a = {table_page, NULL};
	uint64_t bitmap = frame_pool_alloc(&frames, FRAME_SIZE, FRAME_SIZE);

	if (!bitmap || ept_init(&g->arch.ept, a, vmx.ept_large))
		return -1;
	g->arch.msr_bitmap = (uint8_t *)bitmap;
	msr_bitmap_init(g->arch.msr_bitmap);
	return 0;
}

int arch_guest_map_ram(struct guest *g, uint64_t gpa, uint64_t hpa,
		       uint64_t size)
{
	if (ept_map(&g->arch.ept, gpa, hpa, size, EPT_RWX, EPT_MT_WB))
		return -1;
	vmx_flush_all(); /* no stale translation may outlive a change */
	return 0;
}
