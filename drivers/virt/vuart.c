// SPDX-License-Identifier: MIT
/* Emulated 16550A UART (National PC16550D datasheet). */
#include "vuart.h"

#include <string.h>

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };
#define LCR_DLAB     0x80
#define FCR_ENABLE   0x01
#define FCR_CLEAR_RX 0x02
#define IIR_NONE     0x01
#define IIR_FIFOS    0xc0
#define MCR_LOOP     0x10
#define LSR_DR	     0x01
#define LSR_OE	     0x02
#define LSR_THRE     0x20
#define LSR_TEMT     0x40
#define MSR_CTS	     0x10
#define MSR_DSR	     0x20
#define MSR_RI	     0x40
#define MSR_DCD	     0x80

void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte), void *ctx)
{
	memset(u, 0, sizeof(*u));
	u->tx = tx;
	u->ctx = ctx;
}

int vuart_receive(struct vuart *u, uint8_t byte)
{
	if (u->rx_count == VUART_FIFO) {
		u->overruns++;
		return -1;
	}
	u->rx[(u->rx_head + u->rx_count++) % VUART_FIFO] = byte;
	return 0;
}

static uint8_t pop(struct vuart *u)
{
	if (!u->rx_count)
		return 0;
	uint8_t b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_FIFO;
	u->rx_count--;
	return b;
}

/* Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD; otherwise the
 * line looks like a connected, ready terminal. */
static uint8_t modem_status(const struct vuart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	return (
	    uint8_t)((u->mcr & 1 ? MSR_DSR : 0) | (u->mcr & 2 ? MSR_CTS : 0) |
		     (u->mcr & 4 ? MSR_RI : 0) | (u->mcr & 8 ? MSR_DCD : 0));
}

uint8_t vuart_read(struct vuart *u, unsigned reg)
{
	int dlab = u->lcr & LCR_DLAB;

	switch (reg & 7) {
	case RBR_THR:
		return dlab ? u->dll : pop(u);
	case IER:
		return dlab ? u->dlm : u->ier;
	case IIR_FCR:
		return IIR_NONE | (u->fcr & FCR_ENABLE ? IIR_FIFOS : 0);
	case LCR:
		return u->lcr;
	case MCR:
		return u->mcr;
	case LSR: {
		uint8_t lsr = LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0) |
			      (u->overruns ? LSR_OE : 0);
		u->overruns = 0; /* OE clears when LSR is read */
		return lsr;
	}
	case MSR:
		return modem_status(u);
	default:
		return u->scr;
	}
}

void vuart_write(struct vuart *u, unsigned reg, uint8_t val)
{
	int dlab = u->lcr & LCR_DLAB;

	switch (reg & 7) {
	case RBR_THR:
		if (dlab)
			u->dll = val;
		else if (u->mcr & MCR_LOOP)
			vuart_receive(u, val);
		else
			u->tx(u->ctx, val);
		break;
	case IER:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val & 0x0f;
		break;
	case IIR_FCR:
		u->fcr = val & 0xc9; /* enable, DMA mode, trigger level */
		if (val & FCR_CLEAR_RX)
			u->rx_count = 0;
		break;
	case LCR:
		u->lcr = val;
		break;
	case MCR:
		u->mcr = val & 0x1f;
		break;
	case LSR:
	case MSR:
		break; /* read-only; writes are for factory test */
	default:
		u->scr = val;
	}
}
