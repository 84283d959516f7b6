// SPDX-License-Identifier: MIT
/* smp: a 2-vCPU guest.  vCPU 0 starts vCPU 1 with INIT-SIPI-SIPI (its
 * code, ap.S, runs in real mode), exchanges IPIs with it, sends one to
 * an APIC ID the guest does not have, broadcasts one, then INITs and
 * starts vCPU 1 again.  With cmdline "phases" both vCPUs then halt for
 * PHASE_MS and spin for PHASE_MS, printing a line at each change (for
 * the utilisation scenario).  Exits 0 if every check holds, else 1. */
#include "../lib/apic.h"
#include "../lib/guest.h"

#define AP_PAGE	   0x7000ull
#define V_HELLO	   0x40
#define V_PING	   0x41
#define V_PONG	   0x42
#define V_TIMER	   0x43
#define PHASE_MS   500ull
#define PINGS	   10u
#define ICR_ASSERT (1u << 14)
#define ICR_INIT   (5u << 8)
#define ICR_SIPI   (6u << 8)
#define ICR_OTHERS (3u << 18)

extern const char ap_start[], ap_end[], ap_boots[], ap_pings[], ap_spin[];
static volatile uint64_t hits[256];
static int failed;

static void on_irq(unsigned vector)
{
	hits[vector]++;
	xapic_write(APIC_EOI, 0);
}

static void check(int ok, const char *what)
{
	guest_printf("smp: %s: %s\n", what, ok ? "ok" : "FAILED");
	failed |= !ok;
}

static uint16_t ap_word(const char *sym)
{
	return *(volatile uint16_t *)(AP_PAGE +
				      ((uintptr_t)sym - (uintptr_t)ap_start));
}

static void ipi(uint32_t dest, uint32_t icr)
{
	xapic_write(APIC_ICR_HI, dest << 24);
	xapic_write(APIC_ICR_LO, icr);
}

/* Wait (in HLT) until hits[vector] reaches n, or give up after a while. */
static int wait_for(unsigned vector, uint64_t n)
{
	uint64_t end = rdtsc() + 50000000ull;

	while (hits[vector] < n && rdtsc() < end)
		sti_hlt();
	return hits[vector] >= n;
}

static void start_ap(void)
{
	ipi(1, ICR_INIT | ICR_ASSERT);
	ipi(1, ICR_SIPI | ICR_ASSERT | (AP_PAGE >> 12));
	ipi(1, ICR_SIPI | ICR_ASSERT | (AP_PAGE >> 12)); /* ignored: started */
}

/* Halted, then busy on both vCPUs (vCPU 1 spins while ap_spin is set;
 * the IPI wakes it from HLT to see it). */
static void phases(void)
{
	volatile uint16_t *spin =
	    (volatile uint16_t *)(AP_PAGE +
				  ((uintptr_t)ap_spin - (uintptr_t)ap_start));
	uint64_t khz = guest_boot->tsc_khz ? guest_boot->tsc_khz : 1000000;
	uint64_t t0 = rdtsc();

	xapic_write(APIC_LVT_TIMER, V_TIMER | LVT_DEADLINE);
	guest_printf("smp: phase idle\n");
	wrmsr(MSR_TSC_DEADLINE, t0 + PHASE_MS * khz);
	while (!hits[V_TIMER])
		sti_hlt();
	guest_printf("smp: phase busy\n");
	*spin = 1;
	ipi(1, ICR_ASSERT | V_PING);
	while (rdtsc() < t0 + 2 * PHASE_MS * khz)
		;
	*spin = 0;
	guest_printf("smp: phase done\n");
}

int main(void)
{
	guest_traps_init();
	guest_irq_set(V_HELLO, on_irq);
	guest_irq_set(V_PONG, on_irq);
	guest_irq_set(V_TIMER, on_irq);
	/* Symbols of ap.S: their distance is the code's size. */
	uintptr_t size = (uintptr_t)ap_end - (uintptr_t)ap_start;
	for (uintptr_t i = 0; i < size; i++)
		((volatile char *)AP_PAGE)[i] = ap_start[i];
	xapic_write(APIC_SVR, 0x1ff);

	start_ap();
	check(wait_for(V_HELLO, 1) && ap_word(ap_boots) == 1,
	      "INIT-SIPI-SIPI started vCPU 1 once, it said hello");

	/* Both vCPUs halt between pings, so each round trip wakes each
	 * CPU from its idle loop: the slowest says whether every kick woke
	 * its CPU at once (make bench). */
	uint64_t slowest = 0;
	for (uint64_t i = 1; i <= PINGS; i++) {
		uint64_t t = rdtsc();
		ipi(1, ICR_ASSERT | V_PING);
		if (!wait_for(V_PONG, i))
			break;
		t = rdtsc() - t;
		slowest = t > slowest ? t : slowest;
	}
	guest_printf("smp: %u pings, %llu pongs, vCPU 1 counted %u\n", PINGS,
		     (unsigned long long)hits[V_PONG], ap_word(ap_pings));
	guest_printf("smp: slowest ping-pong between halted vCPUs: %llu TSC "
		     "cycles\n",
		     (unsigned long long)slowest);
	check(hits[V_PONG] == PINGS && ap_word(ap_pings) == PINGS,
	      "fixed IPIs both ways");

	ipi(7, ICR_ASSERT | V_PING); /* no vCPU has APIC ID 7 */
	ipi(0, ICR_ASSERT | ICR_OTHERS | V_PING);
	check(wait_for(V_PONG, PINGS + 1) && ap_word(ap_pings) == PINGS + 1,
	      "an IPI to a missing APIC ID goes nowhere, a broadcast to the "
	      "others reaches vCPU 1 once");

	start_ap();
	check(wait_for(V_HELLO, 2) && ap_word(ap_boots) == 2,
	      "INIT sent vCPU 1 back to wait-for-SIPI, SIPI restarted it");
	if (guest_boot->cmdline[0] == 'p')
		phases();
	return failed;
}
