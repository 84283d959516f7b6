// SPDX-License-Identifier: MIT
/* Local APIC as the hypervisor uses it (Intel SDM vol. 3A, chapter 11). */
#include "lapic.h"

#include "cpu.h"

#define MSR_APIC_BASE	 0x1b
#define APIC_BASE_X2APIC (1ull << 10)
#define APIC_BASE_ADDR	 0xfffff000ull
#define X2APIC_MSR(reg)	 (0x800 + ((reg) >> 4))
/* Register offsets in the xAPIC page (SDM table 11-1). */
#define REG_ID		    0x20
#define REG_EOI		    0xb0
#define REG_SVR		    0xf0
#define REG_ICR_LO	    0x300
#define REG_ICR_HI	    0x310
#define REG_LVT_TIMER	    0x320
#define SVR_ENABLE	    (1u << 8)
#define ICR_INIT	    (5u << 8)
#define ICR_SIPI	    (6u << 8)
#define ICR_FIXED	    (0u << 8)
#define ICR_NMI		    (4u << 8)
#define ICR_ASSERT	    (1u << 14)
#define ICR_LEVEL	    (1u << 15)
#define ICR_BUSY	    (1u << 12) /* xAPIC only: delivery still pending */
#define LVT_TSC_DEADLINE    (2u << 17) /* timer mode (SDM 11.5.4.1) */
#define MSR_TSC_DEADLINE    0x6e0
#define CPUID1_ECX_DEADLINE (1u << 24)

static volatile uint32_t *mmio;
static int x2apic;

static uint32_t read_reg(uint32_t reg)
{
	return x2apic ? (uint32_t)rdmsr(X2APIC_MSR(reg)) : mmio[reg / 4];
}

static void write_reg(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(X2APIC_MSR(reg), v);
	else
		mmio[reg / 4] = v;
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	x2apic = !!(base & APIC_BASE_X2APIC);
	mmio = (volatile uint32_t *)(base & APIC_BASE_ADDR); /* identity map */
	write_reg(REG_SVR, read_reg(REG_SVR) | SVR_ENABLE | 0xff);
	if (lapic_has_deadline()) {
		write_reg(REG_LVT_TIMER, LVT_TSC_DEADLINE | WAKE_VECTOR);
		/* The mode before the MSR (SDM 11.5.4.1): MMIO and WRMSR
		 * are not ordered otherwise. */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(MSR_TSC_DEADLINE, 0);
	}
}

int lapic_has_deadline(void)
{
	return !!(cpuid(1, 0).c & CPUID1_ECX_DEADLINE);
}

void lapic_set_deadline(uint64_t tsc)
{
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

uint32_t lapic_id(void)
{
	return x2apic ? read_reg(REG_ID) : read_reg(REG_ID) >> 24;
}

void lapic_eoi(void)
{
	write_reg(REG_EOI, 0);
}

/* x2APIC writes the 64-bit ICR in one go; xAPIC takes the destination
 * first and sends on the low-half write. */
static void send(uint32_t apic_id, uint32_t low)
{
	if (x2apic) {
		wrmsr(X2APIC_MSR(REG_ICR_LO), (uint64_t)apic_id << 32 | low);
		return;
	}
	mmio[REG_ICR_HI / 4] = apic_id << 24;
	mmio[REG_ICR_LO / 4] = low;
	while (mmio[REG_ICR_LO / 4] & ICR_BUSY)
		cpu_relax();
}

void lapic_send_init(uint32_t apic_id)
{
	send(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t vector)
{
	send(apic_id, ICR_SIPI | ICR_ASSERT | vector);
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	send(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
	send(apic_id, ICR_NMI | ICR_ASSERT);
}
