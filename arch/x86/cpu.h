/* SPDX-License-Identifier: MIT */
/* x86-64 instructions and registers, as inline helpers. */
#ifndef X86_CPU_H
#define X86_CPU_H

#include <stdint.h>

/* Control register bits (Intel SDM vol. 3A, 2.5). */
#define CR0_WP	       (1ull << 16)
#define CR4_PAE	       (1ull << 5)
#define CR4_PGE	       (1ull << 7)
#define CR4_OSFXSR     (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_VMXE       (1ull << 13)

/* MSRs (Intel SDM vol. 4, table 2-2). */
#define MSR_IA32_FEATURE_CONTROL     0x3a
#define MSR_IA32_VMX_BASIC	     0x480
#define MSR_IA32_VMX_PROCBASED_CTLS  0x482
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP    0x48c
#define MSR_IA32_EFER		     0xc0000080
#define EFER_NXE		     (1ull << 11)

struct cpuid {
	uint32_t a, b, c, d;
};

static inline struct cpuid cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;

	__asm__ volatile("cpuid"
			 : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
			 : "a"(leaf), "c"(sub));
	return r;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" ::"a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#define DEFINE_CR(n)                                                     \
	static inline uint64_t read_cr##n(void)                          \
	{                                                                \
		uint64_t v;                                              \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));        \
		return v;                                                \
	}                                                                \
	static inline void write_cr##n(uint64_t v)                       \
	{                                                                \
		__asm__ volatile("mov %0, %%cr" #n ::"r"(v) : "memory"); \
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

/* An IRET to the next instruction: it ends NMI blocking (SDM vol. 3A,
 * 6.7.1), which an NMI's VM exit leaves in effect. */
static inline void nmi_unblock(void)
{
	__asm__ volatile("mov %%ss, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "pushq %%rsp\n\t"
			 "addq $8, (%%rsp)\n\t"
			 "pushfq\n\t"
			 "mov %%cs, %%eax\n\t"
			 "pushq %%rax\n\t"
			 "lea 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "iretq\n"
			 "1:" ::
			     : "rax", "memory", "cc");
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause");
}

#endif
