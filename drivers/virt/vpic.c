// SPDX-License-Identifier: MIT
/* Emulated 8259A pair and ELCR (Intel 8259A datasheet, PC/AT wiring). */
#include "vpic.h"

#include <stddef.h>
#include <string.h>

/* 8259A datasheet, "Initialization Command Words": ICW1 is told apart
 * from OCW2/OCW3 on the even port by bit 4. */
#define ICW1_IC4  0x01 /* ICW4 follows */
#define ICW1_SNGL 0x02 /* single chip: no ICW3 follows */
#define ICW1_ID	  0x10
#define ICW2_BASE 0xf8 /* T7-T3; the chip fills in the IR number */
#define ICW4_AEOI 0x02

/* 8259A datasheet, "Operation Command Words". */
#define OCW2_LEVEL 0x07
#define OCW2_EOI   0x20
#define OCW2_SL	   0x40 /* the command names a level */
#define OCW2_R	   0x80 /* rotate */
#define OCW3_ID	   0x08
#define OCW3_RIS   0x01 /* with RR: read ISR rather than IRR */
#define OCW3_RR	   0x02
#define OCW3_P	   0x04 /* poll */
#define OCW3_SMM   0x20 /* with ESMM: special mask mode on or off */
#define OCW3_ESMM  0x40

/* 8259A datasheet, "Poll Command": bit 7 says a request was found. */
#define POLL_INT 0x80

/* 8259A datasheet, "Interrupt Sequence": with no request left at INTA
 * the chip answers as if IR7 had requested, without setting its ISR. */
#define SPURIOUS_IR 7

/* PC/AT conventions, as chipsets keep them in ELCR1/ELCR2: IRQ 0, 1, 2,
 * 8 and 13 (timer, keyboard, cascade, RTC, FPU error) are always edge. */
#define ELCR_MASTER_FIXED 0x07
#define ELCR_SLAVE_FIXED  0x21

enum { ICW1_WAIT, ICW2_WAIT, ICW3_WAIT, ICW4_WAIT, READY };

static void chip_reset(struct vpic_chip *c)
{
	memset(c, 0, sizeof(*c));
	c->imr = 0xff;
	c->lowest = 7;
	c->step = ICW1_WAIT;
}

void vpic_init(struct vpic *p)
{
	chip_reset(&p->master);
	chip_reset(&p->slave);
}

/* IRR as the datasheet has it: edge latches, or the level itself. */
static uint8_t requests(const struct vpic_chip *c)
{
	return c->edge | (c->line & c->elcr);
}

/* The IR the chip would present now, or -1.  Scanning from the highest
 * priority, an in-service level blocks itself and all below it; special
 * mask mode lifts that block for levels the guest has masked. */
static int pending(const struct vpic_chip *c)
{
	unsigned req = requests(c) & ~c->imr & 0xffu;
	unsigned busy = c->smm ? c->isr & ~c->imr & 0xffu : c->isr;

	if (c->step != READY)
		return -1;
	for (unsigned n = 1; n <= 8; n++) {
		unsigned ir = (c->lowest + n) & 7;
		if (busy & 1u << ir)
			return -1;
		if (req & 1u << ir)
			return (int)ir;
	}
	return -1;
}

/* The in-service level a non-specific EOI clears.  In special mask mode
 * a masked one is skipped, as the datasheet warns. */
static int top_in_service(const struct vpic_chip *c)
{
	unsigned busy = c->smm ? c->isr & ~c->imr & 0xffu : c->isr;

	for (unsigned n = 1; n <= 8; n++) {
		unsigned ir = (c->lowest + n) & 7;
		if (busy & 1u << ir)
			return (int)ir;
	}
	return -1;
}

static void set_line(struct vpic_chip *c, unsigned ir, int level)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (level && !(c->line & bit) && !(c->elcr & bit))
		c->edge |= bit;
	if (level)
		c->line |= bit;
	else
		c->line &= (uint8_t)~bit;
}

/* The slave's INT is the master's IR2; every change of slave state or
 * of its inputs ends here. */
static void cascade(struct vpic *p)
{
	set_line(&p->master, VPIC_CASCADE, pending(&p->slave) >= 0);
}

/* Resolve an INTA (or a poll) on one chip: the IR now being serviced,
 * or -1 when the request has gone.  Setting the ISR bit (in AEOI only
 * until the sequence ends) drops the chip's INT, so a slave request still
 * waiting afterwards gives master IR2 a fresh edge. */
static int acknowledge(struct vpic *p, struct vpic_chip *c)
{
	int ir = pending(c);

	if (ir < 0)
		return -1;
	if (c == &p->slave)
		set_line(&p->master, VPIC_CASCADE, 0);
	c->edge &= (uint8_t) ~(1u << ir);
	if (!c->aeoi)
		c->isr |= (uint8_t)(1u << ir);
	else if (c->rotate_aeoi)
		c->lowest = (uint8_t)ir;
	return ir;
}

int vpic_output(const struct vpic *p)
{
	return pending(&p->master) >= 0;
}

int vpic_ack(struct vpic *p)
{
	const struct vpic_chip *from = &p->master;
	int ir = acknowledge(p, &p->master);

	/* Master IR2 in service, and the slave supplies the vector. */
	if (ir == VPIC_CASCADE) {
		from = &p->slave;
		ir = acknowledge(p, &p->slave);
	}
	cascade(p);
	return from->base | (ir < 0 ? SPURIOUS_IR : ir);
}

void vpic_set_irq(struct vpic *p, unsigned irq, int level)
{
	if (irq >= VPIC_NR_IRQS || irq == VPIC_CASCADE)
		return;
	set_line(irq < 8 ? &p->master : &p->slave, irq & 7, level);
	cascade(p);
}

/* ICW1 starts the sequence over; what it resets is the datasheet's list
 * (edge latches, IMR, priority, special mask, read select, ICW4 modes),
 * plus ISR, a pending poll and rotation in AEOI (see vpic.h). */
static void icw1(struct vpic_chip *c, uint8_t val)
{
	uint8_t line = c->line, elcr = c->elcr;

	memset(c, 0, sizeof(*c));
	c->line = line;
	c->elcr = elcr;
	c->lowest = 7;
	c->icw1 = val;
	c->step = ICW2_WAIT;
}

static void icw_next(struct vpic_chip *c, uint8_t val)
{
	if (c->step == ICW2_WAIT) {
		c->base = val & ICW2_BASE;
		c->step = c->icw1 & ICW1_SNGL ? ICW4_WAIT : ICW3_WAIT;
	} else if (c->step == ICW3_WAIT) {
		c->step = ICW4_WAIT; /* the wiring is fixed */
	} else {
		c->aeoi = !!(val & ICW4_AEOI);
		c->step = READY;
	}
	if (c->step == ICW4_WAIT && !(c->icw1 & ICW1_IC4))
		c->step = READY;
}

/* OCW2: EOIs (non-specific or specific, with or without rotation),
 * rotation in AEOI on/off, and set priority; SL alone is a no-op. */
static void ocw2(struct vpic_chip *c, uint8_t val)
{
	int ir = val & OCW2_SL ? val & OCW2_LEVEL : top_in_service(c);

	if (val & OCW2_EOI) {
		if (ir < 0)
			return;
		c->isr &= (uint8_t) ~(1u << ir);
		if (val & OCW2_R)
			c->lowest = (uint8_t)ir;
		return;
	}
	if (val & OCW2_R && val & OCW2_SL)
		c->lowest = (uint8_t)ir;
	else if (!(val & OCW2_SL))
		c->rotate_aeoi = !!(val & OCW2_R);
}

static void ocw3(struct vpic_chip *c, uint8_t val)
{
	if (val & OCW3_ESMM)
		c->smm = !!(val & OCW3_SMM);
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	if (val & OCW3_P)
		c->poll = 1;
}

static void chip_write(struct vpic_chip *c, int odd, uint8_t val)
{
	if (odd && c->step != READY && c->step != ICW1_WAIT)
		icw_next(c, val);
	else if (odd)
		c->imr = val; /* OCW1 */
	else if (val & ICW1_ID)
		icw1(c, val);
	else if (val & OCW3_ID)
		ocw3(c, val);
	else
		ocw2(c, val);
}

/* After a poll command the next read is an acknowledge that reports
 * the level instead of sending a vector. */
static uint8_t chip_read(struct vpic *p, struct vpic_chip *c, int odd)
{
	int ir;

	if (odd)
		return c->imr;
	if (!c->poll)
		return c->read_isr ? c->isr : requests(c);
	c->poll = 0;
	ir = acknowledge(p, c);
	return ir < 0 ? 0 : (uint8_t)(POLL_INT | ir);
}

/* The chip behind a port, or NULL for the ELCR and strangers. */
static struct vpic_chip *chip_at(struct vpic *p, uint16_t port)
{
	if ((port & ~1u) == VPIC_MASTER)
		return &p->master;
	if ((port & ~1u) == VPIC_SLAVE)
		return &p->slave;
	return NULL;
}

static void elcr_write(struct vpic_chip *c, uint8_t val, uint8_t fixed)
{
	c->elcr = val & (uint8_t)~fixed;
	c->edge &= (uint8_t)~c->elcr; /* a level input has no latch */
}

uint8_t vpic_read(struct vpic *p, uint16_t port)
{
	struct vpic_chip *c = chip_at(p, port);
	uint8_t val;

	if (port == VPIC_ELCR)
		return p->master.elcr;
	if (port == VPIC_ELCR + 1)
		return p->slave.elcr;
	if (!c)
		return 0xff;
	val = chip_read(p, c, port & 1);
	cascade(p);
	return val;
}

void vpic_write(struct vpic *p, uint16_t port, uint8_t val)
{
	struct vpic_chip *c = chip_at(p, port);

	if (c)
		chip_write(c, port & 1, val);
	else if (port == VPIC_ELCR)
		elcr_write(&p->master, val, ELCR_MASTER_FIXED);
	else if (port == VPIC_ELCR + 1)
		elcr_write(&p->slave, val, ELCR_SLAVE_FIXED);
	cascade(p);
}
