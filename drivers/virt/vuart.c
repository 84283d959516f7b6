// SPDX-License-Identifier: MIT
/* Emulated 16550A UART (National PC16550D datasheet). */
#include "vuart.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };
#define IER_RDA		0x01 /* received data available (and timeout) */
#define IER_THRE	0x02
#define IER_RLS		0x04 /* receiver line status */
#define IER_MSI		0x08 /* modem status */
#define IIR_NONE	0x01
#define IIR_MSI		0x00
#define IIR_THRE	0x02
#define IIR_RDA		0x04
#define IIR_RLS		0x06
#define IIR_TIMEOUT	0x0c
#define IIR_FIFOS	0xc0
#define LCR_DLAB	0x80
#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02
#define MCR_OUT2	0x08
#define MCR_LOOP	0x10
#define LSR_DR		0x01
#define LSR_OE		0x02
#define LSR_THRE	0x20
#define LSR_TEMT	0x40
#define MSR_CTS		0x10
#define MSR_DSR		0x20
#define MSR_RI		0x40
#define MSR_DCD		0x80
#define MSR_DELTA_SHIFT 4 /* each delta bit sits 4 below its line */

void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte), void *ctx)
{
	*u = (struct vuart){.tx = tx, .ctx = ctx};
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

int vuart_rx_room(const struct vuart *u)
{
	return (int)(VUART_FIFO - u->rx_count);
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

/* The delta bits a change of the inputs from old to now sets: any change
 * of CTS, DSR and DCD, but only the trailing edge of RI (the ring is
 * over, which is what TERI tells). */
static uint8_t modem_deltas(uint8_t old, uint8_t now)
{
	uint8_t changed = (old ^ now) & (MSR_CTS | MSR_DSR | MSR_DCD);
	uint8_t ring_over = old & (uint8_t)~now & MSR_RI;

	return (uint8_t)((changed | ring_over) >> MSR_DELTA_SHIFT);
}

/* FCR bits 7-6: how many bytes raise "received data"; the 16450 mode
 * raises it for every byte. */
static uint32_t rx_trigger(const struct vuart *u)
{
	static const uint8_t level[4] = {1, 4, 8, 14};

	if (!(u->fcr & FCR_ENABLE))
		return 1;
	return level[u->fcr >> 6];
}

/* The IIR identification (bits 3-0) of the source to report. */
static uint8_t pending(const struct vuart *u)
{
	if ((u->ier & IER_RLS) && u->overruns)
		return IIR_RLS;
	if ((u->ier & IER_RDA) && u->rx_count)
		return u->rx_count >= rx_trigger(u) ? IIR_RDA : IIR_TIMEOUT;
	if ((u->ier & IER_THRE) && u->thre_irq)
		return IIR_THRE;
	if ((u->ier & IER_MSI) && u->msr_delta)
		return IIR_MSI;
	return IIR_NONE;
}

int vuart_irq(const struct vuart *u)
{
	return pending(u) != IIR_NONE && (u->mcr & MCR_OUT2) &&
	       !(u->mcr & MCR_LOOP);
}

static uint8_t read_iir(struct vuart *u)
{
	uint8_t id = pending(u);

	/* The only source an IIR read acknowledges; the others last until
	 * their condition is gone. */
	if (id == IIR_THRE)
		u->thre_irq = 0;
	return id | (u->fcr & FCR_ENABLE ? IIR_FIFOS : 0);
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
		return read_iir(u);
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
	case MSR: {
		uint8_t msr = modem_status(u) | u->msr_delta;
		u->msr_delta = 0;
		return msr;
	}
	default:
		return u->scr;
	}
}

static void write_thr(struct vuart *u, uint8_t val)
{
	/* Writing THR clears THRE; the byte goes out at once, which sets
	 * it again. */
	if (u->mcr & MCR_LOOP)
		vuart_receive(u, val);
	else
		u->tx(u->ctx, val);
	u->thre_irq = 1;
}

static void write_mcr(struct vuart *u, uint8_t val)
{
	uint8_t old = modem_status(u);

	u->mcr = val & 0x1f;
	u->msr_delta |= modem_deltas(old, modem_status(u));
}

void vuart_write(struct vuart *u, unsigned reg, uint8_t val)
{
	int dlab = u->lcr & LCR_DLAB;

	switch (reg & 7) {
	case RBR_THR:
		if (dlab)
			u->dll = val;
		else
			write_thr(u, val);
		break;
	case IER:
		if (dlab) {
			u->dlm = val;
			break;
		}
		/* THR is always empty, so enabling its interrupt raises
		 * it (see vuart.h). */
		if (val & IER_THRE & ~u->ier)
			u->thre_irq = 1;
		u->ier = val & 0x0f;
		break;
	case IIR_FCR:
		/* A change of mode empties the FIFOs, as does RCVR reset. */
		if (((val ^ u->fcr) & FCR_ENABLE) || (val & FCR_CLEAR_RX))
			u->rx_count = 0;
		u->fcr = val & 0xc9; /* enable, DMA mode, trigger level */
		break;
	case LCR:
		u->lcr = val;
		break;
	case MCR:
		write_mcr(u, val);
		break;
	case LSR:
	case MSR:
		break; /* read-only; writes are for factory test */
	default:
		u->scr = val;
	}
}
