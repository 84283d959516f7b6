// SPDX-License-Identifier: MIT
/* The XSAVE layout guests are told of: which components, what sizes. */
#include "xstate.h"

#define ECX_ALIGNED (1u << 1)

void xstate_init(struct xstate_layout *l)
{
	*l = (struct xstate_layout){.offered = XSTATE_X87_SSE};
}

void xstate_describe(struct xstate_layout *l, uint64_t listed, unsigned i,
		     uint32_t eax, uint32_t ebx, uint32_t ecx)
{
	if (i < 2 || i >= XSTATE_MAX || !((listed >> i) & 1))
		return;
	if (!eax || ebx < XSTATE_BASE || ebx > UINT32_MAX - eax)
		return;
	l->offered |= 1ull << i;
	l->size[i] = eax;
	l->offset[i] = ebx;
	if (ecx & ECX_ALIGNED)
		l->aligned |= 1ull << i;
}

/* The standard format puts each component at its own offset. */
uint32_t xstate_size_standard(const struct xstate_layout *l, uint64_t mask)
{
	uint32_t end = XSTATE_BASE;

	mask &= l->offered;
	for (unsigned i = 2; i < XSTATE_MAX; i++)
		if ((mask >> i) & 1 && l->offset[i] + l->size[i] > end)
			end = l->offset[i] + l->size[i];
	return end;
}

/* The compacted format packs them in order after the header, each marked
 * aligned starting on a 64-byte boundary. */
uint32_t xstate_size_compacted(const struct xstate_layout *l, uint64_t mask)
{
	uint32_t end = XSTATE_BASE;

	mask &= l->offered;
	for (unsigned i = 2; i < XSTATE_MAX; i++) {
		if (!((mask >> i) & 1))
			continue;
		if ((l->aligned >> i) & 1)
			end = (end + 63) & ~63u;
		end += l->size[i];
	}
	return end;
}

#define X87    (1ull << 0)
#define SSE    (1ull << 1)
#define AVX    (1ull << 2)
#define MPX    (3ull << 3)  /* BNDREGS, BNDCSR */
#define AVX512 (7ull << 5)  /* opmask, ZMM_Hi256, Hi16_ZMM */
#define AMX    (3ull << 17) /* TILECFG, TILEDATA */

/* All or none of a group's bits. */
static int whole(uint64_t val, uint64_t group)
{
	return (val & group) == 0 || (val & group) == group;
}

int xstate_xcr0_valid(const struct xstate_layout *l, uint64_t val)
{
	if (val & ~l->offered || !(val & X87))
		return 0;
	if ((val & AVX) && !(val & SSE))
		return 0;
	if (!whole(val, MPX) || !whole(val, AVX512) || !whole(val, AMX))
		return 0;
	return !(val & AVX512) || (val & AVX);
}
