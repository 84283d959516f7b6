// SPDX-License-Identifier: MIT
/* TSC frequency, measured against PIT channel 2 once at boot. */
#include "../../kernel/arch.h"
#include "cpu.h"
#include "lapic.h"

#define PIT_HZ	       1193182u
#define PIT_CH2	       0x42
#define PIT_MODE       0x43
#define PIT_CH2_MODE0  0xb0 /* channel 2, low then high byte, mode 0 */
#define PORT_B	       0x61
#define PORT_B_GATE2   0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_OUT2    0x20
#define CALIBRATE_MS   10u
#define SPIN_LIMIT     100000000u /* no PIT: give up, report 0 */

static uint64_t tsc_khz;

/* Mode 0 raises OUT2 at terminal count: TSC ticks over a known time.
 * Bochs' TSC and PIT both follow its instruction clock, so this also
 * gives the emulated frequency (its CPUID 0x15/0x16 values are fiction). */
void arch_tsc_calibrate(void)
{
	uint16_t count = PIT_HZ / (1000 / CALIBRATE_MS);
	uint8_t b = inb(PORT_B);

	outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
	outb(PIT_MODE, PIT_CH2_MODE0);
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
	uint64_t t0 = rdtsc();
	for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
		if (inb(PORT_B) & PORT_B_OUT2) {
			tsc_khz = (rdtsc() - t0) / CALIBRATE_MS;
			break;
		}
	}
	outb(PORT_B, b);
}

uint64_t arch_tsc_khz(void)
{
	return tsc_khz;
}

#define CPUID_APM	  0x80000007u
#define APM_EDX_INVARIANT (1u << 8) /* SDM vol. 3B 18.17.1 */

int arch_tsc_invariant(void)
{
	return cpuid(0x80000000u, 0).a >= CPUID_APM &&
	       (cpuid(CPUID_APM, 0).d & APM_EDX_INVARIANT);
}

uint64_t arch_now(void)
{
	return rdtsc();
}

#define IDLE_MAX (1ull << 20) /* look again at least this often */

static int idle_hlt; /* else poll */

void idle_halt(const uint32_t *wake); /* isr.S */

const char *arch_idle_init(int poll)
{
	lapic_init(); /* the boot CPU's; the others' in smp.c */
	idle_hlt = !poll && lapic_has_deadline();
	return idle_hlt ? "halt until the next event (TSC-deadline timer)"
	       : poll	? "poll (idle=poll)"
			: "poll (no TSC-deadline timer to wake a HLT)";
}

/* HLT until the deadline's interrupt, a kick (an NMI: isr.S) or the
 * console's interrupt; or PAUSE in a loop.  HLT spares the core (and
 * under Bochs lets the other CPUs run) at about 20 instructions more
 * from the deadline to the return. */
uint64_t arch_idle_until(uint64_t deadline, const uint32_t *wake)
{
	uint64_t now = rdtsc();
	uint64_t end = deadline - now > IDLE_MAX ? now + IDLE_MAX : deadline;

	if (idle_hlt) {
		lapic_set_deadline(end);
		idle_halt(wake);
		lapic_set_deadline(0);
		return rdtsc();
	}
	while ((now = rdtsc()) < end &&
	       !__atomic_load_n(wake, __ATOMIC_ACQUIRE))
		cpu_relax();
	return now;
}
