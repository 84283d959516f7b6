/* SPDX-License-Identifier: MIT */
/* A virtual CPU: its state, its physical CPU and its accounting. */
#ifndef VM_VCPU_H
#define VM_VCPU_H

#include <stdint.h>

#include "arch_vcpu.h"

struct guest;

enum vcpu_state {
	VCPU_RUNNABLE, /* may run; is running when it is its CPU's current */
	VCPU_BLOCKED,  /* in HLT, waiting for an interrupt */
	VCPU_STOPPED,  /* its guest stopped: never runs again */
};

/* Where a vCPU starts: the loaders fill this, arch_vcpu_init applies it. */
enum vcpu_mode { VCPU_MODE_REAL, VCPU_MODE_PROT32, VCPU_MODE_LONG64 };

struct vcpu_boot {
	enum vcpu_mode mode;
	uint64_t rip, rsp;
	uint64_t cr3;	   /* LONG64: guest-physical PML4 */
	uint64_t gdt_base; /* guest-physical */
	uint16_t gdt_limit;
	uint16_t cs, ds; /* selectors into that GDT (not REAL) */
	uint64_t rax, rbx, rsi, rdi;
	uint64_t rdx;
};

struct vcpu {
	struct guest *guest;
	uint32_t id;   /* within its guest, 0 = boot vCPU */
	uint32_t pcpu; /* physical CPU index it is pinned to */
	enum vcpu_state state;
	/* Something to look at before the next entry: an interrupt to
	 * deliver, a timer to arm.  Set by device models, cleared by the
	 * entry path once nothing is left; kept off the common exit path. */
	uint32_t work;
	struct vcpu_boot boot; /* its start state, from the image loader */
	uint64_t start_tsc;    /* when it first ran */
	uint64_t cycles_guest; /* TSC cycles in guest mode */
	uint64_t cycles_hv;    /* TSC cycles handling its exits */
	uint64_t exits;
	struct vcpu_arch arch;
};

/* The state is shared between CPUs: a guest stopped from one CPU stops
 * its vCPUs on the others, so every read and change is atomic, and only
 * a change from the expected state succeeds. */
static inline enum vcpu_state vcpu_state(const struct vcpu *v)
{
	return (enum vcpu_state)__atomic_load_n((const int *)&v->state,
						__ATOMIC_ACQUIRE);
}

static inline int vcpu_move(struct vcpu *v, enum vcpu_state from,
			    enum vcpu_state to)
{
	return __atomic_compare_exchange_n((int *)&v->state, (int *)&from, to,
					   0, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* Run vCPUs pinned to physical CPU cpu until all of them have stopped. */
void vcpu_run_cpu(uint32_t cpu);

#endif
