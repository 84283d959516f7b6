/* SPDX-License-Identifier: MIT */
/* Emulated 16550A UART: register model of one port, per guest. */
#ifndef VIRT_VUART_H
#define VIRT_VUART_H

#include <stdint.h>

/*
 * Pure logic.  Transmission is instant (THR empty at once, bytes go to
 * tx()); received bytes wait in a 16-byte FIFO.  Loopback (MCR bit 4)
 * turns transmitted bytes into received ones and the modem control
 * outputs into the status inputs, as the datasheet describes.  The model
 * has no clock and never calls out about interrupts: the caller reads
 * the line with vuart_irq after every register access and every
 * vuart_receive.  Deliberate choices (PC16550D datasheet):
 *
 * - The receiver keeps 16 bytes in 16450 mode (FIFOs off) too, where the
 *   chip holds one.  A driver in that mode reads RBR while LSR shows data
 *   ready, so it sees them all; nothing is lost to an overrun that only
 *   the model's speed would cause.  Switching the FIFOs on or off
 *   empties the receiver, as on the chip.
 * - IIR reports the highest priority pending source, if its IER bit is
 *   set: receiver line status (0x06, overrun is the only error a
 *   byte from the host can have) > received data (0x04) or character
 *   timeout (0x0c) > THR empty (0x02) > modem status (0x00).
 * - Received data: a byte waits with FIFOs off, or the FIFO holds at
 *   least the FCR trigger level (1, 4, 8, 14).  Character timeout: the
 *   FIFO holds less.  The chip waits four character times without
 *   activity first; without a clock the model raises it at once, which
 *   only makes a driver read sooner.  Both last until RBR reads take the
 *   FIFO out of the condition.
 * - THR empty is latched: set when a THR write has gone out (at once)
 *   and when IER bit 1 goes from 0 to 1 while THR is empty (always).  The
 *   datasheet lists only the first, but real 16550s do both and Linux
 *   tests for the second at startup (its "THRE bug" test).  Cleared by
 *   an IIR read that reports it, so not by one reporting a higher source.
 * - Receiver line status: while overrun (LSR bit 1) is set; reading LSR
 *   clears it.
 * - Modem status: while a delta bit (MSR bits 3-0) is set; reading MSR
 *   clears them.  The deltas follow the inputs the UART sees: fixed
 *   outside loopback (CTS, DSR, DCD asserted, RI not), so only loopback
 *   (MCR outputs wired to them) or entering and leaving it changes them.
 *   TERI is set when RI goes from asserted to not, as on the chip.
 * - vuart_irq is the IRQ line as a PC wires it: the chip's INTR gated by
 *   OUT2 (MCR bit 3).  In loopback the chip forces its OUT2 pin
 *   inactive, which disconnects the line; the interrupt is still
 *   identified in IIR, as the datasheet has it.  Linux probes the IRQ
 *   with loopback off.
 */
#define VUART_FIFO 16

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	uint8_t thre_irq;  /* THR empty interrupt latched (see above) */
	uint8_t msr_delta; /* MSR bits 3-0, until MSR is read */
	uint8_t rx[VUART_FIFO];
	uint32_t rx_head, rx_count;
	uint32_t overruns;
	void (*tx)(void *ctx, uint8_t byte);
	void *ctx;
};

/* Reset: everything 0, no interrupt pending. */
void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte),
		void *ctx);

/* Register access at offset reg (0-7) from the port base. */
uint8_t vuart_read(struct vuart *u, unsigned reg);
void vuart_write(struct vuart *u, unsigned reg, uint8_t val);

/* A byte from outside; -1 (and an overrun) if the FIFO is full. */
int vuart_receive(struct vuart *u, uint8_t byte);

/* Free receive FIFO slots: bytes vuart_receive takes without overrun. */
int vuart_rx_room(const struct vuart *u);

/* Level of the IRQ line (0 or 1): an enabled interrupt is pending, OUT2
 * is set and loopback is off. */
int vuart_irq(const struct vuart *u);

#endif
