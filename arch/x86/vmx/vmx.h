/* SPDX-License-Identifier: MIT */
/* VMX inside arch/x86: instructions, capabilities, shared by vmx/ files. */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include <stddef.h>
#include <stdint.h>

#include "vmcs.h"

/* What this CPU's VMX offers, read once from the capability MSRs, and the
 * controls every VMCS uses (required ones checked, optional ones where
 * the CPU has them). */
struct vmx_caps {
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;
	unsigned preempt_shift; /* timer ticks once per 2^shift TSC cycles */
	uint64_t preempt_round; /* 2^shift - 1: rounds a wait up */
	unsigned ept_large;	/* EPT_LARGE_* */
};
extern struct vmx_caps vmx;

/* Work out the controls once; -1 with why if something required lacks. */
int vmx_caps_init(char *why, size_t size);

/* Report a failed VMX instruction: a hypervisor bug. */
__attribute__((noreturn)) void vmx_fail(const char *insn, uint64_t arg);

static inline uint64_t vmread(enum vmcs_field f)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)f) : "cc");
	return v;
}

static inline void vmwrite(enum vmcs_field f, uint64_t v)
{
	uint8_t bad;

	__asm__ volatile("vmwrite %2, %1; setna %0"
			 : "=q"(bad)
			 : "r"((uint64_t)f), "r"(v)
			 : "cc");
	if (bad)
		vmx_fail("vmwrite", f);
}

/* VMWRITE without the VMfail check, for guest-state fields on the exit
 * path only: it can fail only without a current VMCS, and then the VM
 * entry that follows fails too and is reported with its error number. */
static inline void vmwrite_guest(enum vmcs_field f, uint64_t v)
{
	__asm__ volatile("vmwrite %1, %0" ::"r"((uint64_t)f), "r"(v) : "cc");
}

/* VMXON, VMCLEAR, VMPTRLD on a physical address: 0 or -1 (VMfail). */
#define VMX_PA_INSN(name)                              \
	static inline int name(uint64_t pa)            \
	{                                              \
		uint8_t bad;                           \
		__asm__ volatile(#name " %1; setna %0" \
				 : "=qm"(bad)          \
				 : "m"(pa)             \
				 : "cc", "memory");    \
		return bad ? -1 : 0;                   \
	}
VMX_PA_INSN(vmxon)
VMX_PA_INSN(vmclear)
VMX_PA_INSN(vmptrld)
#undef VMX_PA_INSN

/* CR0 as the CPU must hold it for a guest that asked for guest_cr0; the
 * CR4 bits the hypervisor owns (fixed by VMX or not offered). */
uint64_t vmx_cr0_real(uint64_t guest_cr0);
uint64_t vmx_cr4_owned(void);

struct vcpu;
/* Fill v's VMCS on this CPU from v->boot and make it current. */
void vmcs_setup(struct vcpu *v);

/* context.c: the state VMX leaves alone, switched between vCPUs. */
void context_cpu_init(void);
int context_vcpu_init(struct vcpu *v);
void context_vcpu_reset(struct vcpu *v);
void context_switch_to(struct vcpu *v);

/* Drop cached translations of every EPT and every VPID on this CPU. */
void vmx_flush_all(void);

/* vmentry.S: run the guest whose VMCS is current, from gpr[], calling
 * vmx_exit(gpr) after each exit until it answers 1; returns 0 then, or 1
 * if an entry failed. */
int vmx_enter(uint64_t *gpr, int resume);
void vmx_exit_stub(void);
int vmx_exit(uint64_t *gpr);

#endif
