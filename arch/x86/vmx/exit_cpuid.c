// SPDX-License-Identifier: MIT
/* CPUID and XSETBV: what the guest may see of the CPU and may enable. */
#include "../../../kernel/arch.h"
#include "../../../kernel/vm/abi.h"
#include "../cpu.h"
#include "exit.h"

/* CPUID bits hidden or set (SDM vol. 2A, CPUID). */
#define C1_ECX_MONITOR	  (1u << 3)
#define C1_ECX_VMX	  (1u << 5)
#define C1_ECX_SMX	  (1u << 6)
#define C1_ECX_PDCM	  (1u << 15)
#define C1_ECX_XSAVE	  (1u << 26)
#define C1_ECX_OSXSAVE	  (1u << 27)
#define C1_ECX_HYPERVISOR (1u << 31)
#define C1_EDX_MTRR	  (1u << 12)
#define C1_EDX_ACPI	  (1u << 22)
#define C7_EBX_SGX	  (1u << 2)
#define C7_ECX_WAITPKG	  (1u << 5)
#define C7_EDX_FSRM	  (1u << 4)
#define CR4_OSXSAVE	  (1ull << 18)
#define XCR0_X87	  1ull
#define XCR0_SSE	  2ull
#define XCR0_AVX	  4ull

/*
 * MONITOR/MWAIT, VMX, SMX, SGX, WAITPKG: the guest gets #UD for them.
 * MTRRs: memory types come from EPT (write-back) and the guest's PAT, so
 * no MTRR MSRs are offered.  FSRM: Bochs corrupts fast short REP MOVSB
 * (see scripts/README.md); the guest's REP MOVSB is correct without it.
 */
static void filter(struct vcpu *v, uint32_t leaf, uint32_t sub, struct cpuid *r)
{
	switch (leaf) {
	case 1:
		r->c &= ~(C1_ECX_MONITOR | C1_ECX_VMX | C1_ECX_SMX |
			  C1_ECX_PDCM | C1_ECX_OSXSAVE);
		if (vmread(VMCS_CR4_SHADOW) & CR4_OSXSAVE)
			r->c |= C1_ECX_OSXSAVE;
		r->c |= C1_ECX_HYPERVISOR;
		r->d &= ~(C1_EDX_MTRR | C1_EDX_ACPI);
		/* initial APIC ID and logical processor count */
		r->b = (r->b & 0xffff) | v->guest->nvcpus << 16 | v->id << 24;
		break;
	case 5:	  /* MONITOR/MWAIT */
	case 6:	  /* thermal and power management */
	case 0xa: /* performance monitoring */
		*r = (struct cpuid){0, 0, 0, 0};
		break;
	case 7:
		if (sub == 0) {
			r->b &= ~C7_EBX_SGX;
			r->c &= ~C7_ECX_WAITPKG;
			r->d &= ~C7_EDX_FSRM;
		}
		break;
	case 0xb:
	case 0x1f:
		r->d = v->id; /* x2APIC ID */
		break;
	}
}

static struct cpuid hv_leaf(uint32_t leaf)
{
	switch (leaf) {
	case HV_CPUID_BASE:
		return (struct cpuid){HV_CPUID_MAX, HV_CPUID_SIG_EBX,
				      HV_CPUID_SIG_ECX, HV_CPUID_SIG_EDX};
	case HV_CPUID_BASE + 1:
		return (struct cpuid){HV_ABI_VERSION, 0, 0, 0};
	case HV_CPUID_MAX:
		return (struct cpuid){(uint32_t)arch_tsc_khz(), 0, 0, 0};
	}
	return (struct cpuid){0, 0, 0, 0};
}

int exit_cpuid(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t *r = v->arch.gpr;
	uint32_t leaf = (uint32_t)r[GPR_RAX], sub = (uint32_t)r[GPR_RCX];
	struct cpuid c;

	if ((leaf & 0xffffff00u) == HV_CPUID_BASE) {
		c = hv_leaf(leaf);
	} else {
		c = cpuid(leaf, sub);
		filter(v, leaf, sub, &c);
	}
	r[GPR_RAX] = c.a;
	r[GPR_RBX] = c.b;
	r[GPR_RCX] = c.c;
	r[GPR_RDX] = c.d;
	exit_skip(v, x);
	return EXIT_RESUME;
}

/* XCR0 checks of SDM vol. 2C, XSETBV: x87 always on, AVX needs SSE, and
 * nothing the CPU does not offer (CPUID.(EAX=0DH,ECX=0)). */
int exit_xsetbv(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t *r = v->arch.gpr;
	uint64_t val = (r[GPR_RDX] << 32) | (uint32_t)r[GPR_RAX];
	struct cpuid caps = cpuid(0xd, 0);
	uint64_t offered = ((uint64_t)caps.d << 32) | caps.a;

	if (!(vmread(VMCS_CR4_SHADOW) & CR4_OSXSAVE))
		return exit_ud(v);
	if (exit_cpl() != 0 || (uint32_t)r[GPR_RCX] != 0 || !(val & XCR0_X87) ||
	    ((val & XCR0_AVX) && !(val & XCR0_SSE)) || (val & ~offered))
		return exit_gp(v);
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)val),
			 "d"((uint32_t)(val >> 32)));
	v->arch.xcr0 = val;
	exit_skip(v, x);
	return EXIT_RESUME;
}
