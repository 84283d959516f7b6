/* SPDX-License-Identifier: MIT */
/* What the VM-exit handlers share: the exit at hand and their helpers. */
#ifndef VMX_EXIT_H
#define VMX_EXIT_H

#include <stdint.h>

#include "../../../kernel/vm/guest.h"
#include "vmx.h"

struct exit_ctx {
	uint32_t reason; /* basic exit reason */
	uint64_t qual;	 /* exit qualification */
	uint64_t rip;
	uint32_t len; /* of the exiting instruction, where it has one */
};

/*
 * Every handler returns EXIT_RESUME to re-enter the same vCPU at once, or
 * EXIT_LEAVE when the vCPU must leave its CPU: it blocked, yielded, was
 * preempted or its guest stopped.  A handler that completes the exiting
 * instruction calls exit_skip; one that faults it injects instead.
 */
enum { EXIT_RESUME, EXIT_LEAVE };
typedef int (*exit_fn)(struct vcpu *v, const struct exit_ctx *x);

void exit_skip(struct vcpu *v, const struct exit_ctx *x);
void exit_inject_exception(struct vcpu *v, unsigned vector, int has_error,
			   uint32_t error);
static inline int exit_gp(struct vcpu *v)
{
	exit_inject_exception(v, 13, 1, 0);
	return EXIT_RESUME;
}
static inline int exit_ud(struct vcpu *v)
{
	exit_inject_exception(v, 6, 0, 0);
	return EXIT_RESUME;
}

/* Stop the guest of v with a report naming the exit and RIP. */
int exit_stop(struct vcpu *v, const struct exit_ctx *x, const char *what);

/* Current privilege level of the guest (SS.DPL). */
unsigned exit_cpl(void);

int exit_cpuid(struct vcpu *v, const struct exit_ctx *x);
int exit_io(struct vcpu *v, const struct exit_ctx *x);
int exit_rdmsr(struct vcpu *v, const struct exit_ctx *x);
int exit_wrmsr(struct vcpu *v, const struct exit_ctx *x);
int exit_cr(struct vcpu *v, const struct exit_ctx *x);
int exit_xsetbv(struct vcpu *v, const struct exit_ctx *x);
int exit_mmio(struct vcpu *v, const struct exit_ctx *x, uint64_t gpa);

/* MSR bitmap of a guest: trap everything but what msr.c passes through. */
void msr_bitmap_init(uint8_t *bitmap);

/* Run the exit handler for the exit that just happened. */
int exit_dispatch(struct vcpu *v);

#endif
