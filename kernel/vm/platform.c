// SPDX-License-Identifier: MIT
/* The PC board of a guest: 8259A pair, 8254, RTC/CMOS and their clock,
 * the PCI host bridge, the reset and POST ports, the ACPI tables and PM
 * block.  The device models are pure
 * (drivers/virt); this is the wiring: ports, the virtual clock derived
 * from the TSC, IRQ 0 from the PIT, INT to vCPU 0. */
#include "platform.h"

#include "../arch.h"
#include "../wallclock.h"
#include "guest.h"
#include "irq.h"

#define PIT_CH0	  0x40
#define PIT_LEN	  4
#define PORT_B	  0x61
#define NEVER	  UINT64_MAX
#define POST	  0x80 /* BIOS POST codes: ignored */
#define KBC_CMD	  0x64 /* keyboard controller: command 0xFE pulses reset */
#define KBC_RESET 0xfe
#define RST_CNT	  0xcf9 /* reset control: bit 2 starts a reset */
#define RST_CPU	  0x04
#define PM_BASE	  0x600 /* the ACPI PM block: events, control, timer */
#define ACPI_GPA  LAYOUT_BIOS_AREA /* where a guest looks for the RSDP */

/* The board's clocks are the TSC scaled by 32.32 fixed-point factors, so
 * that a conversion costs a multiply, not a division, on every exit that
 * asks: PIT ticks, the RTC's nanoseconds, the ACPI PM timer. */
static uint64_t scale(uint64_t v, uint64_t factor)
{
	return (uint64_t)(((unsigned __int128)v * factor) >> 32);
}

static uint64_t to_pit(const struct guest *g, uint64_t tsc)
{
	return scale(tsc - g->clock_origin, g->pit_per_tsc);
}

static uint64_t to_tsc(const struct guest *g, uint64_t pit)
{
	return g->clock_origin + scale(pit, g->tsc_per_pit);
}

static uint64_t to_ns(const struct guest *g, uint64_t tsc)
{
	return scale(tsc - g->clock_origin, g->ns_per_tsc);
}

static uint64_t ns_to_tsc(const struct guest *g, uint64_t ns)
{
	return g->clock_origin + scale(ns, g->tsc_per_ns);
}

static void refresh_next(struct guest *g, uint64_t now);

/* IRQ 8 follows the RTC's IRQF (register C); the PIC latches the edge. */
static void rtc_line(struct guest *g, uint64_t ns)
{
	irq_line(g, 8, vrtc_irq(&g->rtc, ns));
}

static void rtc_io(void *dev, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct guest *g = dev;
	uint64_t tsc = arch_now(), ns = to_ns(g, tsc);

	(void)size;
	if (write)
		vrtc_write(&g->rtc, port, (uint8_t)*val, ns);
	else
		*val = vrtc_read(&g->rtc, port, ns);
	rtc_line(g, ns);
	refresh_next(g, tsc);
}

/* CMOS memory sizes: KiB from 1 MiB up to the 3 GiB hole, bytes above
 * 4 GiB, as a BIOS would have stored them. */
static void rtc_reset(struct guest *g, uint64_t now)
{
	uint64_t mem = g->cfg->memory,
		 low = mem < (3ull << 30) ? mem : 3ull << 30;
	uint64_t high = mem > (3ull << 30) ? mem - (3ull << 30) : 0;

	vrtc_init(&g->rtc, wallclock_at(now), 0, 640,
		  (uint32_t)((low - (1ull << 20)) >> 10), high);
}

static void pic_io(void *dev, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct guest *g = dev;

	(void)size;
	if (write)
		vpic_write(&g->pic, port, (uint8_t)*val);
	else
		*val = vpic_read(&g->pic, port); /* a poll read acknowledges */
	irq_pic_changed(g);
}

/* Writes reprogram the timers; kept apart from the read path, which
 * kernels take often (calibration loops) and which changes no output. */
static __attribute__((noinline)) void pit_write(struct guest *g, uint16_t port,
						uint8_t val)
{
	uint64_t tsc = arch_now();

	platform_run_timers(g, tsc); /* edges of the old programming first */
	vpit_write(&g->pit, port, val, to_pit(g, tsc));
	refresh_next(g, tsc);
	g->vcpus[0].work = 1; /* a new count: a new deadline */
}

static void pit_io(void *dev, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct guest *g = dev;

	(void)size;
	if (write) {
		pit_write(g, port, (uint8_t)*val);
		return;
	}
	*val = vpit_read(&g->pit, port, to_pit(g, arch_now()));
}

/* The ACPI PM timer: 3.579545 MHz of the same clock, 32 bits. */
static uint32_t pm_timer(const struct guest *g, uint64_t tsc)
{
	return (uint32_t)scale(tsc - g->clock_origin, g->pm_per_tsc);
}

static void pm_io(void *dev, uint16_t port, unsigned size, int write,
		  uint32_t *val)
{
	struct guest *g = dev;
	enum vacpi_action a = vacpi_pm_io(&g->pm, port - PM_BASE, size, write,
					  val, pm_timer(g, arch_now()));

	if (a == VACPI_POWEROFF)
		guest_stop(g, "powered off (ACPI S5)");
	else if (a == VACPI_SLEEP_UNSUPPORTED && !g->pm_refused++)
		guest_log(g, "ACPI sleep state requested: only S5 (power off) "
			     "is supported; the guest goes on");
}

/* The tables a guest's OS finds by scanning the BIOS area: its vCPUs,
 * the I/O APIC, the PM block and the reset register (vacpi.h). */
static void acpi_tables(struct guest *g)
{
	struct vacpi_config c = {g->nvcpus, VIOAPIC_BASE, irq_ioapic_id(g),
				 PM_BASE};
	uint8_t *p = guest_ram_ptr(g, ACPI_GPA, VACPI_MAX_SIZE);

	if (!p || !vacpi_build(p, VACPI_MAX_SIZE, ACPI_GPA, &c))
		guest_log(g, "no room for ACPI tables at 0x%llx",
			  (unsigned long long)ACPI_GPA);
}

void platform_reset(struct guest *g, uint64_t now)
{
	uint64_t hz = arch_tsc_khz() * 1000;

	if (!hz)
		hz = 1000000000ull; /* no PIT on the host: assume 1 GHz */
	g->clock_origin = now;
	g->pit_per_tsc = ((uint64_t)VPIT_HZ << 32) / hz;
	g->tsc_per_pit = (hz << 32) / VPIT_HZ;
	g->pit_seen = 0;
	g->ns_per_tsc = (1000000000ull << 32) / hz;
	g->tsc_per_ns = (hz << 32) / 1000000000ull;
	g->pm_per_tsc = ((uint64_t)VACPI_PM_HZ << 32) / hz;
	vacpi_pm_init(&g->pm);
	g->pm_refused = 0;
	acpi_tables(g);
	vpic_init(&g->pic);
	g->pic_int = 0;
	vpit_init(&g->pit);
	vpci_init(&g->pci);
	rtc_reset(g, now);
	refresh_next(g, now);
}

static void pci_io(void *dev, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct guest *g = dev;

	if (write)
		vpci_write(&g->pci, port, size, *val);
	else
		*val = vpci_read(&g->pci, port, size);
}

/* POST codes go nowhere; reads float high as on a PC without a card. */
static void post_io(void *dev, uint16_t port, unsigned size, int write,
		    uint32_t *val)
{
	(void)dev;
	(void)port;
	if (!write)
		*val = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* The two ways a PC kernel reboots; no keyboard controller is emulated,
 * so its status reads as absent (all-ones), as a probe expects. */
static void reset_io(void *dev, uint16_t port, unsigned size, int write,
		     uint32_t *val)
{
	struct guest *g = dev;

	if (!write) {
		*val = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
		return;
	}
	if (port == KBC_CMD && (uint8_t)*val == KBC_RESET)
		guest_reset(g, "keyboard controller command 0xfe");
	else if (port == RST_CNT && (*val & RST_CPU))
		guest_reset(g, "port 0xcf9");
}

/* The option-ROM window of a PC: no ROMs, so reads are all-ones and
 * writes go nowhere, as unclaimed MMIO, but claimed so that the scan an
 * OS makes for ROM signatures (Linux reads each 2 KiB) is not reported
 * page by page. */
#define ROM_BASE 0xc0000ull
#define ROM_LEN	 0x20000ull

static void rom_mmio(void *dev, uint64_t gpa, unsigned size, int write,
		     uint64_t *val)
{
	(void)dev;
	(void)gpa;
	if (!write)
		*val = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

int platform_attach(struct guest *g, uint64_t now)
{
	platform_reset(g, now);
	return emul_mmio_register(&g->mmio, ROM_BASE, ROM_LEN, rom_mmio, g) ||
	       emul_io_register(&g->io, VPIC_MASTER, 2, pic_io, g) ||
	       emul_io_register(&g->io, VPIC_SLAVE, 2, pic_io, g) ||
	       emul_io_register(&g->io, VPIC_ELCR, 2, pic_io, g) ||
	       emul_io_register(&g->io, PIT_CH0, PIT_LEN, pit_io, g) ||
	       emul_io_register(&g->io, PORT_B, 1, pit_io, g) ||
	       emul_io_register(&g->io, VRTC_INDEX, 2, rtc_io, g) ||
	       emul_io_register(&g->io, VPCI_ADDR, 1, pci_io, g) ||
	       emul_io_register(&g->io, VPCI_DATA, 4, pci_io, g) ||
	       emul_io_register(&g->io, POST, 1, post_io, g) ||
	       emul_io_register(&g->io, KBC_CMD, 1, reset_io, g) ||
	       emul_io_register(&g->io, RST_CNT, 1, reset_io, g) ||
	       emul_io_register(&g->io, PM_BASE, VACPI_PM_LEN, pm_io, g);
}

/* The earliest timer event of the board, kept so that asking for it on
 * every entry costs a load, not two device models' arithmetic. */
static void refresh_next(struct guest *g, uint64_t now)
{
	uint64_t pit = vpit_next_irq0(&g->pit, g->pit_seen);
	uint64_t rtc = vrtc_next_event(&g->rtc, to_ns(g, now));
	uint64_t a = pit == NEVER ? NEVER : to_tsc(g, pit);
	uint64_t b = rtc == NEVER ? NEVER : ns_to_tsc(g, rtc);

	g->next_tsc = a < b ? a : b;
}

void platform_run_timers(struct guest *g, uint64_t now)
{
	if (now < g->next_tsc)
		return; /* nothing can have happened yet */
	uint64_t pit = to_pit(g, now);
	if (pit > g->pit_seen && vpit_irq0_edges(&g->pit, g->pit_seen, pit)) {
		/* Edge-triggered: a pulse requests once, however many edges
		 * were missed (a PC loses ticks so when IRQ 0 is held off). */
		irq_line(g, 0, 1);
		irq_line(g, 0, 0);
	}
	if (pit > g->pit_seen)
		g->pit_seen = pit;
	rtc_line(g, to_ns(g, now));
	refresh_next(g, now);
}

uint64_t platform_next_timer(const struct guest *g)
{
	return g->next_tsc;
}

int platform_ack(struct vcpu *v)
{
	int vector = vpic_ack(&v->guest->pic);

	irq_pic_changed(v->guest);
	return vector;
}
