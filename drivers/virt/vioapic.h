/* SPDX-License-Identifier: MIT */
/* Emulated I/O APIC: one 82093AA-style unit with 24 redirection entries. */
#ifndef VIRT_VIOAPIC_H
#define VIRT_VIOAPIC_H

#include <stdint.h>

/*
 * Pure logic.  The model never reaches a local APIC itself: it hands
 * each message to the callback given to vioapic_init and hears about
 * EOIs through vioapic_eoi.  Deliberate choices:
 *
 * - Version 0x11, the 82093AA's own.  0x20 is what later chipset I/O
 *   APICs report, and it promises an EOI register at offset 0x40 that
 *   guests then write instead of relying on the local APIC's EOI
 *   broadcast; this model has no such register.  With 0x11, Linux clears
 *   a stuck remote IRR by turning the entry to edge and back, which works
 *   here (see below).
 * - MMIO: IOREGSEL at offset 0x00 (low 8 bits kept) and IOWIN at 0x10,
 *   whole dwords; the glue passes nothing else.  Any other offset reads 0
 *   and ignores writes, as do register indexes the datasheet leaves
 *   undefined.
 * - Read-only: version, arbitration (reads as the ID; there is no APIC
 *   bus to arbitrate for), delivery status (always 0: a message is handed
 *   over at once, never left pending) and remote IRR.  Reserved entry
 *   bits (17-55) read 0.
 * - vioapic_set_irq takes the line's electrical level; an active-low
 *   entry inverts it.  Every line is low after init, so a device on a pin
 *   the guest makes active-low has to drive it high while idle.
 * - Edge entries deliver when the line becomes asserted while unmasked.
 *   Nothing is latched: an edge that comes while masked is lost, and
 *   unmasking an asserted edge pin delivers nothing.  A polarity change
 *   is not an edge.
 * - Level entries deliver whenever the line is asserted, the entry is
 *   unmasked and remote IRR is clear; delivering sets remote IRR, an EOI
 *   of the entry's vector clears it.  So unmasking an asserted pin
 *   delivers, and so does an EOI while the line is still asserted.
 *   Remote IRR stays set if the line drops before the EOI.
 * - Making an entry edge-triggered clears its remote IRR.
 * - Only fixed and lowest-priority entries act level-triggered.  SMI,
 *   NMI, INIT and ExtINT (which the datasheet wants edge) and the
 *   reserved modes 3 and 6 act edge whatever the trigger bit says: no
 *   EOI would ever come for them to clear remote IRR.
 * - The model updates its state before calling the callback, so the
 *   callback may call back into it.
 */
#define VIOAPIC_BASE 0xfec00000ull
#define VIOAPIC_PINS 24

struct vioapic_msg {
	uint8_t vector;
	uint8_t delivery;  /* 0 fixed, 1 lowest priority, 2 SMI, 4 NMI, 5 INIT,
			      7 ExtINT (3 and 6 reserved, passed as written) */
	uint8_t dest_mode; /* 0 physical, 1 logical */
	uint8_t dest;
	uint8_t level; /* trigger: 1 level */
};

/* Deliver m to the local APIC(s) it names.  Nothing comes back: the I/O
 * APIC never learns whether it was accepted; remote IRR is cleared by the
 * EOI broadcast (vioapic_eoi). */
typedef void (*vioapic_deliver_fn)(void *ctx, const struct vioapic_msg *m);

struct vioapic {
	vioapic_deliver_fn deliver;
	void *ctx;
	/* IOREDTBL: each entry as the guest reads it. */
	uint64_t redir[VIOAPIC_PINS];
	uint32_t line; /* bit per pin: the level its device drives */
	uint8_t id;    /* IOAPICID, bits 27-24 of the register */
	uint8_t sel;   /* IOREGSEL */
};

/* Reset: every entry masked, everything else 0 (lines low too); id is
 * the 4-bit I/O APIC ID.  fn must not be NULL. */
void vioapic_init(struct vioapic *a, uint8_t id, vioapic_deliver_fn fn,
		  void *ctx);

/* A dword access at offset from VIOAPIC_BASE. */
uint32_t vioapic_read(struct vioapic *a, uint64_t offset);
void vioapic_write(struct vioapic *a, uint64_t offset, uint32_t val);

/* A device drives pin (0-23; others ignored) to level (0 low, else high). */
void vioapic_set_irq(struct vioapic *a, unsigned pin, int level);

/* A local APIC's EOI broadcast for a level-triggered vector: clears the
 * remote IRR of entries with that vector and redelivers those still
 * asserted and unmasked. */
void vioapic_eoi(struct vioapic *a, uint8_t vector);

#endif
