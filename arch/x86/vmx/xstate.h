/* SPDX-License-Identifier: MIT */
/* The XSAVE layout guests are told of (CPUID leaf 0xD), and its sizes. */
#ifndef XSTATE_H
#define XSTATE_H

#include <stdint.h>

/*
 * Pure logic, shared by the kernel and host tests.  A guest's CPUID leaf
 * 0xD must agree with itself: a kernel sizes its XSAVE buffers from the
 * sub-leaves and checks them against each other.  Bochs lists PKRU in
 * sub-leaf 0 but describes it with zero size and offset, and gives the
 * standard format's size where sub-leaf 1 means the compacted one, so the
 * hypervisor offers only the components the CPU describes and computes
 * the sizes itself (SDM vol. 1, 13.4 and 13.5).
 */

#define XSTATE_LEGACY  512u /* x87 and SSE state, FXSAVE's area */
#define XSTATE_HEADER  64u
#define XSTATE_MAX     63u /* bit 63 of XCR0 is reserved */
#define XSTATE_BASE    (XSTATE_LEGACY + XSTATE_HEADER)
#define XSTATE_X87_SSE 3ull
#define XSTATE_PKRU    (1ull << 9)

struct xstate_layout {
	uint64_t offered;	     /* components a guest may enable */
	uint32_t size[XSTATE_MAX];   /* CPUID.(0DH, i).EAX */
	uint32_t offset[XSTATE_MAX]; /* .EBX: in the standard format */
	uint64_t aligned;	     /* .ECX[1]: 64-byte aligned compacted */
};

/* x87 and SSE, which the legacy area holds, and nothing else yet. */
void xstate_init(struct xstate_layout *l);

/* Sub-leaf i >= 2's EAX, EBX and ECX: component i is offered if the CPU
 * listed it and gave it a size and an offset past the header. */
void xstate_describe(struct xstate_layout *l, uint64_t listed, unsigned i,
		     uint32_t eax, uint32_t ebx, uint32_t ecx);

/* Bytes XSAVE writes for the components in mask: the standard format
 * (sub-leaf 0's EBX and ECX) and the compacted one (sub-leaf 1's EBX). */
uint32_t xstate_size_standard(const struct xstate_layout *l, uint64_t mask);
uint32_t xstate_size_compacted(const struct xstate_layout *l, uint64_t mask);

/* Whether XSETBV would take val as XCR0 (SDM vol. 2C, XSETBV): only
 * offered components, x87 always, AVX with SSE, MPX's two together,
 * AVX-512's three together and with AVX, AMX's two together. */
int xstate_xcr0_valid(const struct xstate_layout *l, uint64_t val);

#endif
