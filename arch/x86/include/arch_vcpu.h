/* SPDX-License-Identifier: MIT */
/* The x86 part of a vCPU and of a guest, embedded in the generic ones. */
#ifndef ARCH_VCPU_H
#define ARCH_VCPU_H

#include <stdint.h>

#include "../vmx/ept.h"

/* General registers by their instruction encoding (0 = RAX .. 15 = R15);
 * RSP lives in the VMCS, its slot here is unused. */
enum x86_gpr {
	GPR_RAX,
	GPR_RCX,
	GPR_RDX,
	GPR_RBX,
	GPR_RSP,
	GPR_RBP,
	GPR_RSI,
	GPR_RDI,
	GPR_R8,
	GPR_R9,
	GPR_R10,
	GPR_R11,
	GPR_R12,
	GPR_R13,
	GPR_R14,
	GPR_R15,
	GPR_COUNT
};

/* What VM entry and exit do not switch (vmx/context.c). */
#define CONTEXT_MSRS 6
struct vcpu_context {
	uint64_t cr2, dr[4], dr6;
	uint64_t msr[CONTEXT_MSRS]; /* STAR, LSTAR, CSTAR, SFMASK, KERNEL_GS,
				       TSC_AUX */
};

struct vcpu_arch {
	uint64_t gpr[GPR_COUNT]; /* saved by vmentry.S: keep the order */
	uint64_t vmcs_pa;
	uint8_t ready;	  /* VMCS filled, on its own CPU */
	uint8_t launched; /* VMLAUNCH done: VMRESUME from now on */
	uint8_t window;	  /* interrupt-window exiting on */
	uint16_t vpid;
	uint32_t inject_info; /* event for the next entry, or 0 */
	uint32_t inject_error;
	uint64_t xcr0;
	void *fpu; /* XSAVE (or FXSAVE) area, 64-byte aligned */
	struct vcpu_context ctx;
	uint64_t tsc_entry, tsc_exit; /* of the last entry and exit */
	uint64_t deadline;	      /* TSC when its slice ends, or 0 */
	uint64_t armed;	    /* TSC the preemption timer was last armed for */
	uint64_t timer_due; /* its device timers' next due TSC, as the last
			     * entry work found it (0: look) */
	uint32_t exits[65]; /* by basic exit reason */
	/* Hypervisor cycles spent switching it in and ending its runs (from
	 * the exit that ends a run to leaving): its part of scheduling. */
	uint64_t sched_cycles;
};

struct guest_arch {
	struct ept ept;
	uint8_t *msr_bitmap; /* 4 KiB: a set bit traps the access */
};

#endif
