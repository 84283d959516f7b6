/* SPDX-License-Identifier: MIT */
/* What the VM-exit handlers share: the exit at hand and their helpers. */
#ifndef VMX_EXIT_H
#define VMX_EXIT_H

#include <stdint.h>

#include "../../../kernel/vm/guest.h"
#include "vmx.h"

/* The exit at hand; other VMCS fields are read where needed, since every
 * read is on the path length of every exit (make bench). */
struct exit_ctx {
	uint32_t reason; /* basic exit reason */
};

/* Exit qualification and guest RIP of the current exit. */
static inline uint64_t exit_qual(void)
{
	return vmread(VMCS_EXIT_QUALIFICATION);
}

static inline uint64_t exit_rip(void)
{
	return vmread(VMCS_GUEST_RIP);
}

/*
 * Every handler returns EXIT_RESUME to re-enter the same vCPU at once, or
 * EXIT_LEAVE when the vCPU must leave its CPU: it blocked, yielded, was
 * preempted or its guest stopped.  A handler that completes the exiting
 * instruction calls exit_skip; one that faults it injects instead.  A
 * stop from another CPU arrives as a kick (an external interrupt), whose
 * handler looks at the state: the others need not.
 */
enum { EXIT_RESUME, EXIT_LEAVE };
typedef int (*exit_fn)(struct vcpu *v, const struct exit_ctx *x);

/* Move RIP past len bytes of completed instruction: STI and MOV SS
 * blocking end with it (SDM 26.3.1.5).  Inline: on every exit's path. */
static inline void exit_advance(unsigned len)
{
	vmwrite_guest(VMCS_GUEST_RIP, exit_rip() + len);
	uint64_t intr = vmread(VMCS_GUEST_INTERRUPTIBILITY);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS))
		vmwrite_guest(VMCS_GUEST_INTERRUPTIBILITY,
			      intr & ~(uint64_t)(INTERRUPTIBILITY_STI |
						 INTERRUPTIBILITY_MOVSS));
}

/* Complete the exiting instruction (its length is in the VMCS). */
static inline void exit_skip(struct vcpu *v, const struct exit_ctx *x)
{
	(void)v;
	(void)x;
	exit_advance((unsigned)vmread(VMCS_EXIT_INSTR_LEN));
}
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
uint64_t exit_guest_cr4(void); /* as the guest reads it (exit_cr.c) */

/* Once, at boot: the XSAVE layout guests see (leaf 0xD), from the CPU's. */
void cpuid_init(void);
int exit_cpuid(struct vcpu *v, const struct exit_ctx *x);
int exit_io(struct vcpu *v, const struct exit_ctx *x);
int exit_rdmsr(struct vcpu *v, const struct exit_ctx *x);
int exit_wrmsr(struct vcpu *v, const struct exit_ctx *x);
int exit_cr(struct vcpu *v, const struct exit_ctx *x);
int exit_xsetbv(struct vcpu *v, const struct exit_ctx *x);
int exit_mmio(struct vcpu *v, const struct exit_ctx *x, uint64_t gpa);

/* MSR bitmap of a guest: trap everything but what msr.c passes through. */
void msr_bitmap_init(uint8_t *bitmap);

/* Does every exit reason have a handler?  (Checked at boot.) */
int exit_table_complete(void);

/* No timer due. */
#define EXIT_NEVER UINT64_MAX

/* The preemption timer's "no limit" (it counts 32 bits). */
#define EXIT_PREEMPT_MAX 0xffffffffull

/* Everything due before v's next entry (pending event, timer); the
 * hypervisor time since `since` is charged to v. */
void exit_prepare_entry(struct vcpu *v, uint64_t since);

#endif
