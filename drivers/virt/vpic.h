/* SPDX-License-Identifier: MIT */
/* Emulated PC interrupt controller: two cascaded 8259A PICs and the ELCR. */
#ifndef VIRT_VPIC_H
#define VIRT_VPIC_H

#include <stdint.h>

/*
 * Pure logic.  The wiring is the PC/AT one and cannot be changed: master
 * at 0x20/0x21, slave at 0xA0/0xA1 with its INT on master IR2, and the
 * chipset's edge/level control registers at 0x4D0/0x4D1.  Deliberate
 * choices, where the datasheet leaves room or a PC differs from it:
 *
 * - Power-on: IMR reads 0xff and a chip raises no INT until it has had a
 *   complete ICW sequence (it has no vector base before).  ICW1 then
 *   clears IMR as the datasheet says, so the usual "mask, ICW1-4, restore
 *   mask" sequence works.  ICW1 also clears ISR, a pending poll and
 *   rotation in AEOI, which the datasheet does not list, so that a guest
 *   re-initialising inside a handler (kexec, a crash path) is not left
 *   with a level blocked for good.
 * - ICW1: LTIM is ignored, the ELCR decides the trigger mode, as on PC
 *   chipsets.  SNGL=1 is accepted only as "no ICW3 follows"; the chips
 *   stay cascaded.  ADI and A7-A5 (8080 only) are ignored.  ICW3 is
 *   ignored (wiring fixed); ICW4 uPM is ignored (vectors are always the
 *   8086 kind), BUF, M/S and SFNM are accepted and ignored; AEOI is kept.
 * - Edge-triggered inputs latch a request on a rising edge, and it stays
 *   latched until acknowledged even if the line drops again, so a device
 *   model may pulse its line.  Level-triggered inputs request while high.
 *   A request that is gone (level line dropped, masked) by the time of
 *   the acknowledge gives the IR7 spurious vector of that chip.
 * - The slave's INT reaches master IR2 as an edge (ELCR bit 2 is fixed
 *   to edge).  INT falls while a slave acknowledge sets its ISR bit (in
 *   AEOI too, until the sequence ends), so a slave request still waiting
 *   afterwards is a new edge; one gone before the master's acknowledge
 *   leaves IR2 latched, hence the slave's spurious IR7 vector.
 * - A poll command stays armed until the next read of that chip's even
 *   port, whatever OCW3 comes between; that read acknowledges as an INTA
 *   would (AEOI and its rotation included).
 * - IRQ 2 is not an input (it is the cascade); vpic_set_irq ignores it.
 */
#define VPIC_MASTER  0x20  /* and 0x21 */
#define VPIC_SLAVE   0xa0  /* and 0xa1 */
#define VPIC_ELCR    0x4d0 /* and 0x4d1 */
#define VPIC_NR_IRQS 16
#define VPIC_CASCADE 2 /* master IR carrying the slave */

struct vpic_chip {
	uint8_t edge; /* rising edges latched and not yet acknowledged */
	uint8_t line; /* input levels as the devices drive them */
	uint8_t isr, imr, elcr;
	uint8_t base;	/* ICW2: vector of IR0 */
	uint8_t lowest; /* IR with the lowest priority (rotation) */
	uint8_t step;	/* where the chip is in its ICW sequence */
	uint8_t icw1;
	uint8_t aeoi, rotate_aeoi, read_isr, poll, smm;
};

struct vpic {
	struct vpic_chip master, slave;
};

void vpic_init(struct vpic *p);

/* Port access: 0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1 (others read 0xff). */
uint8_t vpic_read(struct vpic *p, uint16_t port);
void vpic_write(struct vpic *p, uint16_t port, uint8_t val);

/* A device drives input irq (0-15) to level (0 or not). */
void vpic_set_irq(struct vpic *p, unsigned irq, int level);

/* The master's INT: an unmasked request outranks everything in service. */
int vpic_output(const struct vpic *p);

/* The CPU's interrupt acknowledge, once vpic_output() said 1: the vector
 * (0-255) to deliver.  A request gone since then gives the IR7 vector of
 * the chip that had to answer. */
int vpic_ack(struct vpic *p);

#endif
