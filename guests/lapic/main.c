// SPDX-License-Identifier: MIT
/* lapic: the local APIC as a kernel uses it.  xAPIC page: ID, version,
 * one-shot and periodic timer, TPR holding back a self-IPI; then x2APIC:
 * its MSRs, a read-only register refusing writes, TSC-deadline timer and
 * the SELF IPI register.  Exits 0 if every check holds, else 1. */
#include "../lib/apic.h"
#include "../lib/guest.h"

#define V_TIMER	   0x50
#define V_IPI	   0x58
#define V_DEADLINE 0x60
#define ONE_SHOT   100000u /* counts, divide by 1: TSC ticks */
#define PERIOD	   10000u  /* counts, divide by 16 */
#define PERIODS	   10u

static volatile uint64_t hits[256], last_tsc;
static int x2apic, failed;

static void on_irq(unsigned vector)
{
	last_tsc = rdtsc();
	hits[vector]++;
	if (x2apic)
		wrmsr(MSR_X2APIC(APIC_EOI), 0);
	else
		xapic_write(APIC_EOI, 0);
}

static void check(int ok, const char *what)
{
	guest_printf("lapic: %s: %s\n", what, ok ? "ok" : "FAILED");
	failed |= !ok;
}

static void spin(uint64_t ticks)
{
	uint64_t end = rdtsc() + ticks;

	while (rdtsc() < end)
		__asm__ volatile("pause");
}

static void one_shot(void)
{
	xapic_write(APIC_TIMER_DIV, 0xb); /* divide by 1 */
	xapic_write(APIC_LVT_TIMER, V_TIMER);
	uint64_t t0 = rdtsc();
	xapic_write(APIC_TIMER_INIT, ONE_SHOT);
	while (!hits[V_TIMER])
		sti_hlt();
	uint64_t took = last_tsc - t0;
	spin(3 * ONE_SHOT); /* a one-shot timer fires once */
	guest_printf("lapic: one-shot of %u counts fired after %llu TSC "
		     "ticks\n",
		     ONE_SHOT, (unsigned long long)took);
	check(hits[V_TIMER] == 1 && took >= ONE_SHOT &&
		  xapic_read(APIC_TIMER_CUR) == 0,
	      "xAPIC one-shot timer");
}

static void periodic(void)
{
	hits[V_TIMER] = 0;
	xapic_write(APIC_TIMER_DIV, 0x3); /* divide by 16 */
	xapic_write(APIC_LVT_TIMER, V_TIMER | LVT_PERIODIC);
	uint64_t t0 = rdtsc();
	xapic_write(APIC_TIMER_INIT, PERIOD);
	while (hits[V_TIMER] < PERIODS)
		sti_hlt();
	uint64_t took = last_tsc - t0;
	xapic_write(APIC_LVT_TIMER, V_TIMER | LVT_MASKED);
	xapic_write(APIC_TIMER_INIT, 0);
	guest_printf("lapic: %u periods of %u counts / 16 took %llu TSC "
		     "ticks\n",
		     PERIODS, PERIOD, (unsigned long long)took);
	check(took >= PERIODS * PERIOD * 16ull &&
		  took < (PERIODS + 1) * PERIOD * 16ull,
	      "xAPIC periodic timer");
}

/* A self-IPI whose class (5) is not above TPR's (6) waits in IRR. */
static void tpr(void)
{
	xapic_write(APIC_TPR, 0x60);
	xapic_write(APIC_ICR_LO, V_IPI | 1u << 18); /* self shorthand */
	__asm__ volatile("sti; nop; nop; cli");
	uint64_t held = hits[V_IPI];
	xapic_write(APIC_TPR, 0);
	__asm__ volatile("sti; nop; nop; cli");
	check(held == 0 && hits[V_IPI] == 1, "TPR holds a self-IPI back");
}

static void deadline(void)
{
	wrmsr(MSR_X2APIC(APIC_LVT_TIMER), V_DEADLINE | LVT_DEADLINE);
	uint64_t due = rdtsc() + 200000;
	wrmsr(MSR_TSC_DEADLINE, due);
	while (!hits[V_DEADLINE])
		sti_hlt();
	guest_printf("lapic: TSC-deadline timer: handler %llu TSC ticks "
		     "after the deadline\n",
		     (unsigned long long)(last_tsc - due));
	check(last_tsc >= due && rdmsr(MSR_TSC_DEADLINE) == 0,
	      "x2APIC TSC-deadline timer");
}

int main(void)
{
	guest_traps_init();
	guest_irq_set(V_TIMER, on_irq);
	guest_irq_set(V_IPI, on_irq);
	guest_irq_set(V_DEADLINE, on_irq);

	uint32_t version = xapic_read(APIC_VERSION);
	check(xapic_read(APIC_ID) == 0 && (version & 0xff) == 0x14 &&
		  ((version >> 16) & 0xff) == 6,
	      "xAPIC ID 0, version 0x14, 7 LVT entries");
	xapic_write(APIC_SVR, 0x1ff);
	one_shot();
	periodic();
	tpr();

	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
	x2apic = 1;
	int64_t gp =
	    GUEST_PROBE("wrmsr", ::"c"(MSR_X2APIC(APIC_ID)), "a"(1), "d"(0)
			: "r11", "memory");
	check(rdmsr(MSR_X2APIC(APIC_ID)) == 0 && gp == 13,
	      "x2APIC ID 0, read-only (#GP on write)");
	deadline();
	wrmsr(MSR_X2APIC_SELF, V_IPI);
	__asm__ volatile("sti; nop; nop; cli");
	check(hits[V_IPI] == 2, "x2APIC SELF IPI");
	return failed;
}
