// SPDX-License-Identifier: MIT
/* Host console on a 16550 UART (COM1): 115200 baud, 8N1; output polled,
 * input announced by the receive interrupt (IRQ 4) once asked for. */
#include "../../arch/x86/cpu.h"
#include "../../kernel/console.h"

#define COM1 0x3f8
/* Register offsets and bits (National PC16550D datasheet). */
#define THR		 0 /* transmit holding (DLAB=0) */
#define IER		 1 /* interrupt enable (DLAB=0) */
#define DLL		 0 /* divisor latch low (DLAB=1) */
#define DLM		 1 /* divisor latch high (DLAB=1) */
#define FCR		 2
#define LCR		 3
#define MCR		 4
#define LSR		 5
#define LCR_8N1		 0x03
#define LCR_DLAB	 0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DR		 0x01 /* a received byte waits in RBR */
#define LSR_THRE	 0x20 /* holding register empty: may write a byte */
#define IER_RDA		 0x01
#define IER_THRE	 0x02
#define LSR_TEMT	 0x40	 /* transmitter empty: the last bit has left */
#define SPIN_LIMIT	 1000000 /* absent UART: give up rather than hang */
#define TX_FIFO		 16	 /* bytes the 16550's transmit FIFO holds */

static int present = 1;

void console_init(void)
{
	outb(COM1 + IER, 0);
	outb(COM1 + LCR, LCR_DLAB);
	outb(COM1 + DLL, 1); /* 115200 = 1.8432 MHz / 16 / 1 */
	outb(COM1 + DLM, 0);
	outb(COM1 + LCR, LCR_8N1);
	outb(COM1 + FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + MCR, MCR_DTR_RTS_OUT2);
	/* A missing UART reads 0xff everywhere. */
	present = inb(COM1 + LSR) != 0xff;
}

static void wait_lsr(uint8_t bit)
{
	for (int i = 0; present && i < SPIN_LIMIT; i++)
		if (inb(COM1 + LSR) & bit)
			return;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; present && i < n; i++) {
		wait_lsr(LSR_THRE); /* Bochs drops bytes written when full */
		outb(COM1 + THR, (uint8_t)s[i]);
	}
}

void console_flush(void)
{
	wait_lsr(LSR_TEMT);
}

int console_getc(void)
{
	if (!present || !(inb(COM1 + LSR) & LSR_DR))
		return -1;
	return inb(COM1 + THR); /* RBR, at the same offset */
}

static uint8_t ier; /* what console_input_irq and console_tx_irq set */

int console_input_irq(void)
{
	if (!present)
		return -1;
	ier |= IER_RDA;
	outb(COM1 + IER, ier); /* OUT2, set at init, gates the line */
	return 4;
}

/* THRE with the FIFOs on says the whole transmit FIFO is empty: a
 * FIFO's worth goes without looking again. */
size_t console_write_some(const char *s, size_t n)
{
	size_t i = 0;

	if (!present)
		return n; /* no device: the bytes go nowhere */
	if (!(inb(COM1 + LSR) & LSR_THRE))
		return 0;
	while (i < n && i < TX_FIFO)
		outb(COM1 + THR, (uint8_t)s[i++]);
	return i;
}

void console_tx_irq(int on)
{
	uint8_t want = on ? ier | IER_THRE : ier & (uint8_t)~IER_THRE;

	if (present && want != ier)
		outb(COM1 + IER, want);
	ier = want;
}
