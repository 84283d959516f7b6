// SPDX-License-Identifier: MIT
/* The host's I/O APIC: only what routes the console's receive interrupt
 * to the boot CPU, where it ends a guest's run like a kick does. */
#include "../../kernel/arch.h"
#include "cpu.h"
#include "lapic.h"

/*
 * At 0xFEC00000, where PC chipsets put the first I/O APIC, with ISA IRQ
 * n on pin n: true of Bochs, QEMU and most PCs for IRQ 4.  (A MADT
 * override for IRQ 4 would say otherwise; firmware without ACPI tables,
 * such as OVMF under Bochs, gives none to read.)
 */
#define IOAPIC	   0xfec00000ull
#define IOREGSEL   0x00
#define IOWIN	   0x10
#define REG_VER	   0x01
#define REG_REDIR  0x10
#define PIC1_DATA  0x21
#define PIC2_DATA  0xa1
#define ALL_MASKED 0xff

static uint32_t ioapic_read(uint32_t reg)
{
	*(volatile uint32_t *)(IOAPIC + IOREGSEL) = reg;
	return *(volatile uint32_t *)(IOAPIC + IOWIN);
}

static void ioapic_write(uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *)(IOAPIC + IOREGSEL) = reg;
	*(volatile uint32_t *)(IOAPIC + IOWIN) = val;
}

int arch_console_irq(unsigned isa_irq)
{
	uint32_t ver = ioapic_read(REG_VER);

	if (ver == 0xffffffffu || isa_irq > ((ver >> 16) & 0xff))
		return -1; /* no I/O APIC there, or no such pin */
	/* The 8259s would deliver the same line a second time. */
	outb(PIC1_DATA, ALL_MASKED);
	outb(PIC2_DATA, ALL_MASKED);
	/* Fixed, physical, edge, active high, unmasked, to this CPU. */
	ioapic_write(REG_REDIR + 2 * isa_irq + 1, lapic_id() << 24);
	ioapic_write(REG_REDIR + 2 * isa_irq, CONSOLE_VECTOR);
	return 0;
}
