// SPDX-License-Identifier: MIT
/* Emulated I/O APIC (Intel 82093AA I/O APIC datasheet), pure logic. */
#include "vioapic.h"

#include <string.h>

/* 82093AA datasheet, "Memory Mapped Registers for Accessing IOAPIC
 * Registers": an index register and a data window. */
#define IOREGSEL 0x00
#define IOWIN	 0x10

/* 82093AA datasheet, "IOAPIC Registers": indexes written to IOREGSEL.
 * IOREDTBL[n] is the dword pair at 0x10 + 2n (low, then high). */
#define REG_ID	    0x00
#define REG_VERSION 0x01
#define REG_ARB	    0x02
#define REG_REDIR   0x10

#define ID_SHIFT	24 /* IOAPICID and IOAPICARB: ID in bits 27-24 */
#define ID_MASK		0x0f
#define VERSION		0x11 /* the 82093AA's; see vioapic.h */
#define MAX_ENTRY_SHIFT 16   /* IOAPICVER: last entry's number, bits 23-16 */

/* 82093AA datasheet, "IOREDTBL[23:0]": one 64-bit entry per pin. */
#define RTE_VECTOR	   0x000000ffull
#define RTE_DELIVERY	   0x00000700ull /* delivery mode, bits 10-8 */
#define RTE_DELIVERY_SHIFT 8
#define RTE_DEST_LOGICAL   0x00000800ull
#define RTE_STATUS	   0x00001000ull /* delivery status, read-only */
#define RTE_ACTIVE_LOW	   0x00002000ull /* polarity */
#define RTE_REMOTE_IRR	   0x00004000ull /* read-only */
#define RTE_LEVEL	   0x00008000ull /* trigger mode */
#define RTE_MASKED	   0x00010000ull
#define RTE_DEST_SHIFT	   56 /* destination, bits 63-56 */

/* What a guest can change in each half; the rest is read-only or
 * reserved. */
#define RTE_LOW_RW                                                       \
	(RTE_VECTOR | RTE_DELIVERY | RTE_DEST_LOGICAL | RTE_ACTIVE_LOW | \
	 RTE_LEVEL | RTE_MASKED)
#define RTE_HIGH_RW 0xff000000u

/* Delivery modes that can be level-triggered (see vioapic.h). */
#define MODE_FIXED  0
#define MODE_LOWEST 1

void vioapic_init(struct vioapic *a, uint8_t id, vioapic_deliver_fn fn,
		  void *ctx)
{
	memset(a, 0, sizeof(*a));
	a->deliver = fn;
	a->ctx = ctx;
	a->id = id & ID_MASK;
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		a->redir[pin] = RTE_MASKED;
}

static unsigned delivery_mode(uint64_t e)
{
	return (unsigned)((e & RTE_DELIVERY) >> RTE_DELIVERY_SHIFT);
}

/* The trigger mode the entry really has: modes never EOIed are edge. */
static int is_level(uint64_t e)
{
	unsigned mode = delivery_mode(e);

	return (e & RTE_LEVEL) && (mode == MODE_FIXED || mode == MODE_LOWEST);
}

/* The line as the entry sees it, after the polarity inverter. */
static int asserted(const struct vioapic *a, unsigned pin)
{
	int high = (a->line >> pin) & 1;

	return a->redir[pin] & RTE_ACTIVE_LOW ? !high : high;
}

/* Send the entry's message.  Remote IRR is set first, so that a callback
 * which re-enters the model sees the pin as waiting for its EOI. */
static void deliver(struct vioapic *a, unsigned pin)
{
	uint64_t e = a->redir[pin];
	struct vioapic_msg m = {
	    .vector = (uint8_t)(e & RTE_VECTOR),
	    .delivery = (uint8_t)delivery_mode(e),
	    .dest_mode = (e & RTE_DEST_LOGICAL) != 0,
	    .dest = (uint8_t)(e >> RTE_DEST_SHIFT),
	    .level = (uint8_t)is_level(e),
	};

	if (m.level)
		a->redir[pin] |= RTE_REMOTE_IRR;
	a->deliver(a->ctx, &m);
}

/* A level pin asks for service whenever it is asserted and unmasked and
 * its last message has been EOIed.  Called after every change that can
 * make that true; for edge pins it does nothing. */
static void service_level(struct vioapic *a, unsigned pin)
{
	uint64_t e = a->redir[pin];

	if (!is_level(e) || e & (RTE_MASKED | RTE_REMOTE_IRR))
		return;
	if (asserted(a, pin))
		deliver(a, pin);
}

void vioapic_set_irq(struct vioapic *a, unsigned pin, int level)
{
	int was;

	if (pin >= VIOAPIC_PINS)
		return;
	was = asserted(a, pin);
	if (level)
		a->line |= 1u << pin;
	else
		a->line &= ~(1u << pin);
	if (is_level(a->redir[pin]))
		service_level(a, pin);
	else if (!was && asserted(a, pin) && !(a->redir[pin] & RTE_MASKED))
		deliver(a, pin);
}

void vioapic_eoi(struct vioapic *a, uint8_t vector)
{
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		uint64_t e = a->redir[pin];

		if ((e & RTE_VECTOR) != vector || !(e & RTE_REMOTE_IRR))
			continue;
		a->redir[pin] = e & ~RTE_REMOTE_IRR;
		service_level(a, pin);
	}
}

/* One half of an entry.  Read-only bits keep their value; an entry that
 * becomes edge-triggered drops its remote IRR (Linux relies on this to
 * unstick a version 0x11 I/O APIC).  The write may unmask an asserted
 * level pin, or make one level, so it is serviced at once. */
static void write_entry(struct vioapic *a, unsigned pin, int high, uint32_t val)
{
	uint64_t e = a->redir[pin];

	if (high)
		e = (e & 0xffffffffull) | (uint64_t)(val & RTE_HIGH_RW) << 32;
	else
		e = (e & ~RTE_LOW_RW) | (val & RTE_LOW_RW);
	if (!is_level(e))
		e &= ~RTE_REMOTE_IRR;
	a->redir[pin] = e;
	service_level(a, pin);
}

/* The register IOREGSEL selects; undefined indexes read 0. */
static uint32_t reg_read(const struct vioapic *a)
{
	unsigned idx = a->sel;
	uint64_t e;

	if (idx == REG_ID || idx == REG_ARB)
		return (uint32_t)a->id << ID_SHIFT;
	if (idx == REG_VERSION)
		return (VIOAPIC_PINS - 1) << MAX_ENTRY_SHIFT | VERSION;
	if (idx < REG_REDIR || idx >= REG_REDIR + 2 * VIOAPIC_PINS)
		return 0;
	e = a->redir[(idx - REG_REDIR) / 2];
	return (uint32_t)(idx & 1 ? e >> 32 : e);
}

/* Only the ID and the redirection entries can be written. */
static void reg_write(struct vioapic *a, uint32_t val)
{
	unsigned idx = a->sel;

	if (idx == REG_ID)
		a->id = (val >> ID_SHIFT) & ID_MASK;
	else if (idx >= REG_REDIR && idx < REG_REDIR + 2 * VIOAPIC_PINS)
		write_entry(a, (idx - REG_REDIR) / 2, idx & 1, val);
}

uint32_t vioapic_read(struct vioapic *a, uint64_t offset)
{
	if (offset == IOREGSEL)
		return a->sel;
	if (offset == IOWIN)
		return reg_read(a);
	return 0;
}

void vioapic_write(struct vioapic *a, uint64_t offset, uint32_t val)
{
	if (offset == IOREGSEL)
		a->sel = (uint8_t)val;
	else if (offset == IOWIN)
		reg_write(a, val);
}
