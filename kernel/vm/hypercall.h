/* SPDX-License-Identifier: MIT */
/* The hypercall ABI (abi.h) on the hypervisor side. */
#ifndef VM_HYPERCALL_H
#define VM_HYPERCALL_H

#include <stdint.h>

struct vcpu;

/* Carry out call nr for v with arguments a0..a2; the result for RAX.
 * *leave is set when v must give up its CPU afterwards (yield). */
int64_t hypercall(struct vcpu *v, uint64_t nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, int *leave);

#endif
