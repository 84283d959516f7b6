// SPDX-License-Identifier: MIT
/* regs: two of these share a CPU.  "role=owner" fills the registers VM
 * exits leave alone (SSE, CR2, DR0, syscall MSRs) with a pattern and
 * checks it survives every yield; "role=spy" checks after every yield
 * that it sees its own (initial) values, never the owner's. */
#include "../lib/guest.h"

#define PATTERN	      0x00005ec2e75ec2e7ull /* canonical, for LSTAR */
#define ROUNDS	      20
#define MSR_LSTAR     0xc0000082
#define MSR_KERNEL_GS 0xc0000102

struct regs {
	uint64_t xmm0, xmm15, cr2, dr0, lstar, kgs;
};

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

/* SSE needs CR4.OSFXSR and CR0.EM clear (SDM vol. 3A, 13.1.3). */
static void enable_sse(void)
{
	uint64_t cr0, cr4;

	__asm__ volatile("mov %%cr0, %0; mov %%cr4, %1" : "=r"(cr0), "=r"(cr4));
	__asm__ volatile(
	    "mov %0, %%cr0; mov %1, %%cr4" ::"r"((cr0 & ~4ull) | 2),
	    "r"(cr4 | (3ull << 9)));
}

static void set(uint64_t v)
{
	__asm__ volatile("movq %0, %%xmm0; movq %0, %%xmm15; mov %0, %%cr2; "
			 "mov %0, %%dr0" ::"r"(v));
	wrmsr(MSR_LSTAR, v);
	wrmsr(MSR_KERNEL_GS, v);
}

static struct regs get(void)
{
	struct regs r;

	__asm__ volatile("movq %%xmm0, %0; movq %%xmm15, %1; mov %%cr2, %2; "
			 "mov %%dr0, %3"
			 : "=r"(r.xmm0), "=r"(r.xmm15), "=r"(r.cr2),
			   "=r"(r.dr0));
	r.lstar = rdmsr(MSR_LSTAR);
	r.kgs = rdmsr(MSR_KERNEL_GS);
	return r;
}

static int all(const struct regs *r, uint64_t v)
{
	return r->xmm0 == v && r->xmm15 == v && r->cr2 == v && r->dr0 == v &&
	       r->lstar == v && r->kgs == v;
}

static int any(const struct regs *r, uint64_t v)
{
	return r->xmm0 == v || r->xmm15 == v || r->cr2 == v || r->dr0 == v ||
	       r->lstar == v || r->kgs == v;
}

static void yield(void)
{
	uint64_t rax = HC_YIELD;

	__asm__ volatile("vmcall" : "+a"(rax)::"memory");
}

static int owner(void)
{
	set(PATTERN);
	for (int i = 0; i < ROUNDS; i++) {
		yield();
		struct regs r = get();
		if (!all(&r, PATTERN)) {
			guest_printf("regs: LOST after yield %d: xmm0 0x%llx "
				     "cr2 0x%llx dr0 0x%llx\n",
				     i, (unsigned long long)r.xmm0,
				     (unsigned long long)r.cr2,
				     (unsigned long long)r.dr0);
			return 1;
		}
	}
	guest_printf("regs: owner kept its registers over %d yields\n", ROUNDS);
	return 0;
}

static int spy(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		yield();
		struct regs r = get();
		if (any(&r, PATTERN) || !all(&r, 0)) {
			guest_printf("regs: LEAK after yield %d: xmm0 0x%llx "
				     "cr2 0x%llx dr0 0x%llx lstar 0x%llx\n",
				     i, (unsigned long long)r.xmm0,
				     (unsigned long long)r.cr2,
				     (unsigned long long)r.dr0,
				     (unsigned long long)r.lstar);
			return 1;
		}
	}
	guest_printf("regs: spy saw only its own initial registers over %d "
		     "yields\n",
		     ROUNDS);
	return 0;
}

int main(void)
{
	enable_sse();
	const char *c = guest_boot->cmdline;
	return c[0] == 'r' && c[5] == 'o' ? owner() : spy();
}
