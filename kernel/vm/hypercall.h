/* SPDX-License-Identifier: MIT */
/* The hypercall ABI (abi.h) on the hypervisor side. */
#ifndef VM_HYPERCALL_H
#define VM_HYPERCALL_H

#include <stdint.h>

struct vcpu;

/* The value for RAX, and whether v must give up its CPU (yield). */
struct hc_result {
	int64_t value;
	int leave;
};

/* Carry out call nr for v with arguments a0..a2. */
struct hc_result hypercall(struct vcpu *v, uint64_t nr, uint64_t a0,
			   uint64_t a1, uint64_t a2);

#endif
