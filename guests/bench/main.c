// SPDX-License-Identifier: MIT
/* bench: round trips of the exits guests take most, in TSC cycles, each
 * over many iterations, or (cmdline) guest-to-guest switches; prints
 * "@bench name median min unit" lines. */
#include "../lib/apic.h"
#include "../lib/guest.h"

#define ROUNDS 1000

static uint64_t t[ROUNDS];

static void sort(uint64_t *a, int n)
{
	for (int i = 1; i < n; i++) {
		uint64_t v = a[i];
		int j = i;
		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

/* Each sample is one operation between two RDTSCs; the empty pair is
 * measured the same way and reported, not subtracted. */
#define SAMPLE(op)                         \
	for (int i = 0; i < ROUNDS; i++) { \
		uint64_t t0 = rdtsc();     \
		op;                        \
		t[i] = rdtsc() - t0;       \
	}

static void report(const char *name)
{
	sort(t, ROUNDS);
	guest_printf("@bench %s %llu %llu cycles\n", name,
		     (unsigned long long)t[ROUNDS / 2],
		     (unsigned long long)t[0]);
}

#define MEASURE(name, op)     \
	do {                  \
		SAMPLE(op);   \
		report(name); \
	} while (0)

static void cpuid0(void)
{
	uint32_t a = 0, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
}

static void vmcall_version(void)
{
	uint64_t rax = HC_VERSION;

	__asm__ volatile("vmcall" : "+a"(rax)::"memory");
}

static void port_read(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
}

static void port_write(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static void mmio_read(void)
{
	(void)*(volatile uint32_t *)0xfed00000ull;
}

#define V_TIMER 0x60
static volatile uint64_t handled_at;

static void on_timer(unsigned vector)
{
	(void)vector;
	handled_at = rdtsc();
	wrmsr(MSR_X2APIC(APIC_EOI), 0);
}

/* From the TSC-deadline timer's due time to the first instruction of its
 * handler, with the guest busy (an exit at the deadline) or halted (a
 * wake-up from HLT). */
static void timer_latency(const char *name, int halt)
{
	for (int i = 0; i < ROUNDS; i++) {
		handled_at = 0;
		uint64_t due = rdtsc() + 5000;
		wrmsr(MSR_TSC_DEADLINE, due);
		if (halt) {
			while (!handled_at)
				sti_hlt();
		} else {
			__asm__ volatile("sti");
			while (!handled_at)
				;
			__asm__ volatile("cli");
		}
		t[i] = handled_at - due;
	}
	report(name);
}

/* An EOI with a vector in service, as every handler ends: measured inside
 * the handler of a self-IPI. */
#define V_IPI 0x61
static volatile int eoi_round;

static void on_ipi(unsigned vector)
{
	(void)vector;
	uint64_t t0 = rdtsc();
	wrmsr(MSR_X2APIC(APIC_EOI), 0);
	t[eoi_round] = rdtsc() - t0;
}

/* x2APIC: an EOI and the TSC-deadline timer's latency. */
static void apic(void)
{
	guest_traps_init();
	guest_irq_set(V_TIMER, on_timer);
	guest_irq_set(V_IPI, on_ipi);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC(APIC_SVR), 0x1ff);
	for (eoi_round = 0; eoi_round < ROUNDS; eoi_round++) {
		__asm__ volatile("sti");
		wrmsr(MSR_X2APIC_SELF, V_IPI); /* taken at the next entry */
		__asm__ volatile("cli");
	}
	report("x2apic_eoi");
	wrmsr(MSR_X2APIC(APIC_LVT_TIMER), V_TIMER | LVT_DEADLINE);
	timer_latency("timer_to_handler", 0);
	timer_latency("timer_to_handler_hlt", 1);
	wrmsr(MSR_X2APIC(APIC_LVT_TIMER), LVT_MASKED);
}

static void vmcall_yield(void)
{
	uint64_t rax = HC_YIELD;

	__asm__ volatile("vmcall" : "+a"(rax)::"memory");
}

/* cmdline "switch": two guests on one CPU yield to each other (the other
 * runs "partner"); a yield returns once the other has run and yielded,
 * so each sample is two guest-to-guest switches. */
static int switches(void)
{
	MEASURE("switch_yield_pair", vmcall_yield());
	return 0;
}

static int partner(void)
{
	for (int i = 0; i < 2 * ROUNDS + 100; i++) /* past the other's end */
		vmcall_yield();
	return 0;
}

/* cmdline "spin" or "spin MS": CPU-bound for a second (MS ms) of TSC and
 * silent, so that its exits are only those its CPU's scheduling makes. */
static int spin(void)
{
	uint64_t ms = 1000;
	const char *c = guest_boot->cmdline + 4;

	if (*c == ' ')
		for (ms = 0, c++; *c >= '0' && *c <= '9'; c++)
			ms = ms * 10 + (uint64_t)(*c - '0');
	uint64_t end = rdtsc() + guest_boot->tsc_khz * ms;

	while (rdtsc() < end)
		;
	return 0;
}

int main(void)
{
	if (guest_boot->cmdline[0] == 's' && guest_boot->cmdline[1] == 'p')
		return spin();
	if (guest_boot->cmdline[0] == 's')
		return switches();
	if (guest_boot->cmdline[0] == 'p')
		return partner();
	guest_printf("bench: %d rounds each, TSC cycles (median, minimum)\n",
		     ROUNDS);
	MEASURE("rdtsc_pair", (void)0);
	MEASURE("cpuid", cpuid0());
	MEASURE("vmcall", vmcall_version());
	MEASURE("io_unclaimed", port_read(0x510));
	MEASURE("io_uart_lsr", port_read(0x3fd));
	MEASURE("mmio_unclaimed", mmio_read());
	apic();
	/* Devices last: a running PIT keeps a timer armed, which every exit
	 * after this pays for.  The UART in loopback: the bytes stay in the
	 * model instead of flooding the console. */
	port_write(0x3fc, 0x10);
	SAMPLE(port_write(0x3f8, 0x55));
	port_write(0x3fc, 0x00);
	report("uart_transmit");
	port_write(0x43, 0x34); /* channel 0, mode 2, 100 Hz */
	port_write(0x40, 0x9c);
	port_write(0x40, 0x2e);
	MEASURE("pit_read", port_read(0x40));
	return 0;
}
