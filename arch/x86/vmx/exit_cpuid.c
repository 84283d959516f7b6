// SPDX-License-Identifier: MIT
/* CPUID and XSETBV: what the guest may see of the CPU and may enable. */
#include "../../../kernel/arch.h"
#include "../../../kernel/vm/abi.h"
#include "../cpu.h"
#include "exit.h"
#include "xstate.h"

/* CPUID bits hidden or set (SDM vol. 2A, CPUID). */
#define C1_ECX_MONITOR	  (1u << 3)
#define C1_ECX_VMX	  (1u << 5)
#define C1_ECX_SMX	  (1u << 6)
#define C1_ECX_PDCM	  (1u << 15)
#define C1_ECX_X2APIC	  (1u << 21)
#define C1_ECX_DEADLINE	  (1u << 24)
#define C1_ECX_XSAVE	  (1u << 26)
#define C1_ECX_OSXSAVE	  (1u << 27)
#define C1_ECX_HYPERVISOR (1u << 31)
#define C1_EDX_MCE	  (1u << 7)
#define C1_EDX_APIC	  (1u << 9)
#define C1_EDX_MCA	  (1u << 14)
#define C1_EDX_MTRR	  (1u << 12)
#define C1_EDX_ACPI	  (1u << 22)
#define C7_EBX_TSC_ADJ	  (1u << 1)
#define C7_EBX_SGX	  (1u << 2)
#define CD1_EAX_XSAVES	  (1u << 3)
#define C7_ECX_WAITPKG	  (1u << 5)
#define C7_ECX_CET_SS	  (1u << 7)
#define C7_EDX_FSRM	  (1u << 4)
#define C7_EDX_SRBDS	  (1u << 9)
#define C7_EDX_CET_IBT	  (1u << 20)
/* IBRS/IBPB, STIBP, L1D_FLUSH, ARCH_CAPABILITIES, CORE_CAPABILITIES, SSBD */
#define C7_EDX_SPEC_MSRS (0x3fu << 26)
#define C7_ECX_PKU	 (1u << 3)
#define C7_ECX_OSPKE	 (1u << 4)
#define CR4_OSXSAVE	 (1ull << 18)
#define CR4_PKE		 (1ull << 22)

/*
 * MONITOR/MWAIT, VMX, SMX, SGX, WAITPKG: the guest gets #UD for them.
 * MTRRs: memory types come from EPT (write-back) and the guest's PAT, so
 * no MTRR MSRs are offered.  FSRM: Bochs corrupts fast short REP MOVSB
 * (see scripts/README.md); the guest's REP MOVSB is correct without it.
 * Hidden because their MSRs are not offered (a kernel that sees the bit
 * reads or writes the MSR, which raises #GP): the machine-check
 * architecture (MCG_CAP and the banks), the speculation controls
 * (SPEC_CTRL, PRED_CMD, FLUSH_CMD, ARCH_CAPABILITIES, CORE_CAPABILITIES,
 * SRBDS's MCU_OPT_CTRL), CET (S_CET, U_CET), and XSAVES with
 * its supervisor states (IA32_XSS).  A guest then assumes the
 * worst of the CPU's speculation bugs and mitigates in software.
 */
/* Leaves the hypervisor edits; the CPU's answer stands for the rest. */
#define FILTERED                                                         \
	(1u << 1 | 1u << 5 | 1u << 6 | 1u << 7 | 1u << 0xa | 1u << 0xb | \
	 1u << 0xd | 1u << 0x15 | 1u << 0x16 | 1u << 0x1f)

static struct xstate_layout xs; /* what guests may enable, and where */

void cpuid_init(void)
{
	struct cpuid c = cpuid(1, 0);

	xstate_init(&xs);
	if (!(c.c & C1_ECX_XSAVE))
		return;
	c = cpuid(0xd, 0);
	uint64_t listed = (uint64_t)c.d << 32 | c.a;
	for (unsigned i = 2; i < XSTATE_MAX; i++)
		if ((listed >> i) & 1) {
			c = cpuid(0xd, i);
			xstate_describe(&xs, listed, i, c.a, c.b, c.c);
		}
}

/* Leaf 0xD from the layout: the components offered, their sizes for the
 * guest's XCR0 and for all of them; no XSAVES, so no supervisor state
 * (IA32_XSS) and the compacted size is XCR0's alone. */
static void xsave_leaf(const struct vcpu *v, uint32_t sub, uint64_t *r)
{
	uint64_t xcr0 = v->arch.xcr0;

	if (sub == 0) {
		r[GPR_RAX] = (uint32_t)xs.offered;
		r[GPR_RDX] = xs.offered >> 32;
		r[GPR_RBX] = xstate_size_standard(&xs, xcr0);
		r[GPR_RCX] = xstate_size_standard(&xs, xs.offered);
	} else if (sub == 1) {
		r[GPR_RAX] &= ~(uint64_t)CD1_EAX_XSAVES;
		r[GPR_RBX] = xstate_size_compacted(&xs, xcr0);
		r[GPR_RCX] = r[GPR_RDX] = 0;
	} else if (sub >= XSTATE_MAX || !((xs.offered >> sub) & 1)) {
		r[GPR_RAX] = r[GPR_RBX] = r[GPR_RCX] = r[GPR_RDX] = 0;
	}
}

/* r[] holds the CPU's answer for (leaf, sub), by register encoding. */
static __attribute__((noinline)) void filter(struct vcpu *v, uint32_t leaf,
					     uint32_t sub, uint64_t *r)
{
	switch (leaf) {
	case 1:
		r[GPR_RCX] &=
		    ~(uint64_t)(C1_ECX_MONITOR | C1_ECX_VMX | C1_ECX_SMX |
				C1_ECX_PDCM | C1_ECX_OSXSAVE);
		if (exit_guest_cr4() & CR4_OSXSAVE)
			r[GPR_RCX] |= C1_ECX_OSXSAVE;
		/* The local APIC is emulated whatever the host has: x2APIC
		 * and TSC-deadline always; APIC while IA32_APIC_BASE
		 * enables it (SDM 10.4.3). */
		r[GPR_RCX] |=
		    C1_ECX_HYPERVISOR | C1_ECX_X2APIC | C1_ECX_DEADLINE;
		r[GPR_RDX] &=
		    ~(uint64_t)(C1_EDX_MTRR | C1_EDX_ACPI | C1_EDX_APIC |
				C1_EDX_MCE | C1_EDX_MCA);
		if (vlapic_base(&v->lapic) & VLAPIC_BASE_EN)
			r[GPR_RDX] |= C1_EDX_APIC;
		/* initial APIC ID and logical processor count */
		r[GPR_RBX] = (r[GPR_RBX] & 0xffff) |
			     (uint64_t)v->guest->nvcpus << 16 |
			     (uint64_t)v->id << 24;
		break;
	case 5:	  /* MONITOR/MWAIT */
	case 6:	  /* thermal and power management */
	case 0xa: /* performance monitoring */
		r[GPR_RAX] = r[GPR_RBX] = r[GPR_RCX] = r[GPR_RDX] = 0;
		break;
	case 7:
		if (sub == 0) {
			r[GPR_RBX] &= ~(uint64_t)C7_EBX_SGX;
			r[GPR_RBX] |=
			    C7_EBX_TSC_ADJ; /* emulated (exit_msr.c) */
			r[GPR_RCX] &=
			    ~(uint64_t)(C7_ECX_WAITPKG | C7_ECX_CET_SS |
					C7_ECX_PKU | C7_ECX_OSPKE);
			/* Protection keys need PKRU's XSAVE state. */
			if (xs.offered & XSTATE_PKRU)
				r[GPR_RCX] |=
				    C7_ECX_PKU |
				    ((exit_guest_cr4() & CR4_PKE) ? C7_ECX_OSPKE
								  : 0);
			r[GPR_RDX] &=
			    ~(uint64_t)(C7_EDX_FSRM | C7_EDX_SRBDS |
					C7_EDX_CET_IBT | C7_EDX_SPEC_MSRS);
		}
		break;
	case 0xd:
		xsave_leaf(v, sub, r);
		break;
	case 0x15:
		/* The TSC and the APIC timer's clock (the vLAPIC counts TSC
		 * ticks) as the crystal, ratio 1: a kernel takes the TSC
		 * frequency from here instead of calibrating, and the APIC
		 * timer's from the crystal.  The CPU's own answer (Bochs's
		 * is fiction) would be wrong for both. */
		r[GPR_RAX] = r[GPR_RBX] = 1;
		r[GPR_RCX] = arch_tsc_khz() * 1000;
		r[GPR_RDX] = 0;
		break;
	case 0x16: /* base, maximum and bus frequencies, MHz (rounded) */
		r[GPR_RAX] = r[GPR_RBX] = r[GPR_RCX] =
		    (arch_tsc_khz() + 500) / 1000;
		r[GPR_RDX] = 0;
		break;
	default:		    /* 0xb, 0x1f */
		r[GPR_RDX] = v->id; /* x2APIC ID */
	}
}

static __attribute__((noinline)) void hv_leaf(uint32_t leaf, uint64_t *r)
{
	uint64_t a = 0, b = 0, c = 0, d = 0;

	if (leaf == HV_CPUID_BASE) {
		a = HV_CPUID_MAX;
		b = HV_CPUID_SIG_EBX;
		c = HV_CPUID_SIG_ECX;
		d = HV_CPUID_SIG_EDX;
	} else if (leaf == HV_CPUID_BASE + 1) {
		a = HV_ABI_VERSION;
	} else if (leaf == HV_CPUID_MAX) {
		a = (uint32_t)arch_tsc_khz();
	}
	r[GPR_RAX] = a;
	r[GPR_RBX] = b;
	r[GPR_RCX] = c;
	r[GPR_RDX] = d;
}

int exit_cpuid(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t *r = v->arch.gpr;
	uint32_t leaf = (uint32_t)r[GPR_RAX], sub = (uint32_t)r[GPR_RCX];

	if ((leaf & 0xffffff00u) == HV_CPUID_BASE) {
		hv_leaf(leaf, r);
	} else {
		uint32_t a, b, c, d;
		__asm__ volatile("cpuid"
				 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
				 : "a"(leaf), "c"(sub));
		r[GPR_RAX] = a;
		r[GPR_RBX] = b;
		r[GPR_RCX] = c;
		r[GPR_RDX] = d;
		if (leaf < 32 && (FILTERED >> leaf) & 1)
			filter(v, leaf, sub, r);
	}
	exit_skip(v, x);
	return EXIT_RESUME;
}

/* XSETBV runs here with the guest's value, so every value the CPU would
 * refuse (#GP in the hypervisor) is refused first (xstate_xcr0_valid). */
int exit_xsetbv(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t *r = v->arch.gpr;
	uint64_t val = (r[GPR_RDX] << 32) | (uint32_t)r[GPR_RAX];

	if (!(exit_guest_cr4() & CR4_OSXSAVE))
		return exit_ud(v);
	if (exit_cpl() != 0 || (uint32_t)r[GPR_RCX] != 0 ||
	    !xstate_xcr0_valid(&xs, val))
		return exit_gp(v);
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)val),
			 "d"((uint32_t)(val >> 32)));
	v->arch.xcr0 = val;
	exit_skip(v, x);
	return EXIT_RESUME;
}
