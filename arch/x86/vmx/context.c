// SPDX-License-Identifier: MIT
/* The vCPU state VM entry and exit do not switch: FPU/SSE/AVX (XSAVE),
 * CR2, DR0-DR3, DR6, the syscall MSRs and TSC_AUX (RDTSCP, RDPID).  The
 * hypervisor never uses them itself, so they stay live while a vCPU runs and
 * are swapped only when another vCPU takes the CPU: no guest ever sees
 * another's. */
#include <string.h>

#include "../../../kernel/bootinfo.h"
#include "../../../kernel/log.h"
#include "../../../kernel/mm/frame.h"
#include "../cpu.h"
#include "exit.h"

#define CPUID1_ECX_XSAVE   (1u << 26)
#define CPUID81_EDX_RDTSCP (1u << 27)
#define CR4_OSXSAVE	   (1ull << 18)
#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_CSTAR	   0xc0000083
#define MSR_SFMASK	   0xc0000084
#define MSR_KERNEL_GS	   0xc0000102
#define MSR_TSC_AUX	   0xc0000103

static const uint32_t msrs[CONTEXT_MSRS] = {
    MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS, MSR_TSC_AUX};

static int have_xsave;
static int nmsrs;	   /* TSC_AUX, the last, only where the CPU has it */
static uint64_t xcr0_all;  /* every user state component the CPU has */
static uint32_t area_size; /* bytes XSAVE needs for all of them */
static struct vcpu *loaded[BI_MAX_CPUS]; /* whose state each CPU holds */

static void xsetbv(uint64_t v)
{
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

/* Once per CPU, before any vCPU runs there. */
void context_cpu_init(void)
{
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

	have_xsave = !!(cpuid(1, 0).c & CPUID1_ECX_XSAVE);
	nmsrs = (cpuid(0x80000001, 0).d & CPUID81_EDX_RDTSCP)
		    ? CONTEXT_MSRS
		    : CONTEXT_MSRS - 1;
	if (have_xsave) {
		struct cpuid d = cpuid(0xd, 0);
		xcr0_all = (uint64_t)d.d << 32 | d.a;
		area_size = d.c;
		cr4 |= CR4_OSXSAVE;
	} else {
		area_size = 512; /* FXSAVE */
	}
	write_cr4(cr4);
}

/* A zeroed area restores as the initial state (XSTATE_BV = 0). */
int context_vcpu_init(struct vcpu *v)
{
	uint64_t size = (area_size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
	uint64_t pa = frame_pool_alloc(&frames, size, FRAME_SIZE);

	if (!pa)
		return -1;
	v->arch.fpu = (void *)pa;
	context_vcpu_reset(v);
	return 0;
}

/* Back to the power-on state: no guest carries its registers (or another
 * guest's) into a restart. */
void context_vcpu_reset(struct vcpu *v)
{
	memset(v->arch.fpu, 0,
	       (area_size + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1));
	memset(&v->arch.ctx, 0, sizeof(v->arch.ctx));
	v->arch.xcr0 = 1; /* x87 only, as at reset */
	if (loaded[v->pcpu] == v)
		loaded[v->pcpu] = NULL; /* load, do not save, next time */
}

/* All components, whatever the guest enabled: one that a guest turns on
 * later must not hold another's leftovers. */
static void save(struct vcpu *v)
{
	struct vcpu_context *c = &v->arch.ctx;

	if (have_xsave) {
		xsetbv(xcr0_all);
		__asm__ volatile("xsave64 %0"
				 : "+m"(*(char(*)[4096])v->arch.fpu)
				 : "a"(~0u), "d"(~0u)
				 : "memory");
	} else {
		__asm__ volatile("fxsave64 %0"
				 : "+m"(*(char(*)[512])v->arch.fpu)::"memory");
	}
	c->cr2 = read_cr2();
	__asm__ volatile("mov %%dr0, %0; mov %%dr1, %1; mov %%dr2, %2;"
			 "mov %%dr3, %3; mov %%dr6, %4"
			 : "=r"(c->dr[0]), "=r"(c->dr[1]), "=r"(c->dr[2]),
			   "=r"(c->dr[3]), "=r"(c->dr6));
	for (int i = 0; i < nmsrs; i++)
		c->msr[i] = rdmsr(msrs[i]);
}

static void load(struct vcpu *v)
{
	const struct vcpu_context *c = &v->arch.ctx;

	if (have_xsave) {
		xsetbv(xcr0_all);
		__asm__ volatile(
		    "xrstor64 %0" ::"m"(*(char(*)[4096])v->arch.fpu), "a"(~0u),
		    "d"(~0u)
		    : "memory");
		xsetbv(v->arch.xcr0);
	} else {
		__asm__ volatile(
		    "fxrstor64 %0" ::"m"(*(char(*)[512])v->arch.fpu)
		    : "memory");
	}
	write_cr2(c->cr2);
	__asm__ volatile("mov %0, %%dr0; mov %1, %%dr1; mov %2, %%dr2;"
			 "mov %3, %%dr3; mov %4, %%dr6" ::"r"(c->dr[0]),
			 "r"(c->dr[1]), "r"(c->dr[2]), "r"(c->dr[3]),
			 "r"(c->dr6));
	for (int i = 0; i < nmsrs; i++)
		wrmsr(msrs[i], c->msr[i]);
}

void context_switch_to(struct vcpu *v)
{
	struct vcpu *old = loaded[v->pcpu];

	if (old == v)
		return;
	if (old)
		save(old);
	load(v);
	loaded[v->pcpu] = v;
}
