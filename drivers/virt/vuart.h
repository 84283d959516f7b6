/* SPDX-License-Identifier: MIT */
/* Emulated 16550A UART: register model of one port, per guest. */
#ifndef VIRT_VUART_H
#define VIRT_VUART_H

#include <stdint.h>

/*
 * Pure logic.  Transmission is instant (THR empty at once, bytes go to
 * tx()); received bytes wait in a 16-byte FIFO.  Loopback (MCR bit 4)
 * turns transmitted bytes into received ones and the modem control
 * outputs into the status inputs, as the datasheet describes.  Interrupts
 * are not modelled yet: IIR always reads "none pending".
 */
#define VUART_FIFO 16

struct vuart {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	uint8_t rx[VUART_FIFO];
	uint32_t rx_head, rx_count;
	uint32_t overruns;
	void (*tx)(void *ctx, uint8_t byte);
	void *ctx;
};

void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte),
		void *ctx);

/* Register access at offset reg (0-7) from the port base. */
uint8_t vuart_read(struct vuart *u, unsigned reg);
void vuart_write(struct vuart *u, unsigned reg, uint8_t val);

/* A byte from outside; -1 (and an overrun) if the FIFO is full. */
int vuart_receive(struct vuart *u, uint8_t byte);

#endif
