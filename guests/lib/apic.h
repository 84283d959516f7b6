/* SPDX-License-Identifier: MIT */
/* Guest-side helpers for the local APIC: xAPIC page, x2APIC MSRs, TSC. */
#ifndef GUEST_APIC_H
#define GUEST_APIC_H

#include <stdint.h>

#define APIC_PAGE	 0xfee00000ull
#define APIC_ID		 0x20
#define APIC_VERSION	 0x30
#define APIC_TPR	 0x80
#define APIC_EOI	 0xb0
#define APIC_SVR	 0xf0
#define APIC_ICR_LO	 0x300
#define APIC_ICR_HI	 0x310
#define APIC_LVT_TIMER	 0x320
#define APIC_TIMER_INIT	 0x380
#define APIC_TIMER_CUR	 0x390
#define APIC_TIMER_DIV	 0x3e0
#define MSR_APIC_BASE	 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC(off)	 (0x800u + ((off) >> 4))
#define MSR_X2APIC_SELF	 0x83f
#define LVT_MASKED	 (1u << 16)
#define LVT_PERIODIC	 (1u << 17)
#define LVT_DEADLINE	 (2u << 17)
#define APIC_BASE_EXTD	 (1ull << 10)

/* Plain MOVs, as Linux's readl/writel: a volatile access in C may become
 * an ALU instruction with a memory operand, which MMIO emulation need
 * not decode. */
static inline uint32_t xapic_read(uint32_t reg)
{
	uint32_t v;

	__asm__ volatile("movl %1, %0"
			 : "=r"(v)
			 : "m"(*(volatile uint32_t *)(APIC_PAGE + reg)));
	return v;
}

static inline void xapic_write(uint32_t reg, uint32_t val)
{
	__asm__ volatile("movl %1, %0"
			 : "=m"(*(volatile uint32_t *)(APIC_PAGE + reg))
			 : "r"(val)
			 : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)val),
			 "d"((uint32_t)(val >> 32))
			 : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static inline void sti_hlt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

#endif
