// SPDX-License-Identifier: MIT
/* serin: reads a line from its UART by interrupt, as a kernel's serial
 * driver does: receive interrupt on, OUT2 on, IRQ 4 routed through the
 * I/O APIC (the 8259s masked) to vector 0x44 of vCPU 0.  Prints the line
 * and how many interrupts brought it. */
#include "../lib/apic.h"
#include "../lib/guest.h"
#include "../lib/io.h"

#define COM1	 0x3f8
#define V_SERIAL 0x44
#define IOAPIC	 0xfec00000ull

static volatile char line[128];
static volatile uint32_t len, irqs, done;

/* Plain MOVs, as for the local APIC (apic.h). */
static void ioapic_write(uint32_t reg, uint32_t val)
{
	__asm__ volatile("movl %1, %0"
			 : "=m"(*(volatile uint32_t *)IOAPIC)
			 : "r"(reg));
	__asm__ volatile("movl %1, %0"
			 : "=m"(*(volatile uint32_t *)(IOAPIC + 0x10))
			 : "r"(val));
}

static void on_serial(unsigned vector)
{
	(void)vector;
	irqs++;
	while (inb(COM1 + 5) & 1) { /* LSR: data ready */
		char c = (char)inb(COM1);
		if (c == '\r' || c == '\n')
			done = 1;
		else if (len < sizeof(line) - 1)
			line[len++] = c;
	}
	xapic_write(APIC_EOI, 0);
}

int main(void)
{
	guest_traps_init();
	guest_irq_set(V_SERIAL, on_serial);
	outb(0x21, 0xff); /* 8259s off: the I/O APIC delivers */
	outb(0xa1, 0xff);
	xapic_write(APIC_SVR, 0x1ff);
	ioapic_write(0x10 + 2 * 4 + 1, 0);    /* pin 4 to APIC ID 0 */
	ioapic_write(0x10 + 2 * 4, V_SERIAL); /* fixed, edge, high */
	outb(COM1 + 2, 0xc7);		      /* FIFOs on, trigger 14 */
	outb(COM1 + 4, 0x0b);		      /* DTR, RTS, OUT2 */
	outb(COM1 + 1, 0x01);		      /* receive interrupt */
	guest_puts("serin: ready\n");
	while (!done)
		sti_hlt();
	line[len] = 0;
	guest_printf("serin: got \"%s\" (%u bytes) in %u interrupts\n",
		     (const char *)line, len, irqs);
	return 0;
}
