/* SPDX-License-Identifier: MIT */
/* Emulated 8254 interval timer (ports 0x40-0x43) and port 0x61's timer bits. */
#ifndef VIRT_VPIT_H
#define VIRT_VPIT_H

#include <stdint.h>

/*
 * Pure logic, no per-tick work.  Time is `now`, a count of PIT input
 * clock ticks (VPIT_HZ) from any origin, never decreasing between calls.
 * Each counter remembers when its waveform began and computes its count
 * and OUT level from that.
 *
 * Modes 0-5 are modelled, binary and BCD.  Channels 0 and 1 have their
 * gates tied high, so modes 1 and 5 never start on them, as on a PC; the
 * gate of channel 2 is bit 0 of port 0x61.  A count is loaded at the
 * instant it is written, not on the following clock as on the chip: mode
 * 0's OUT rises N ticks after the count is written (the datasheet says
 * N + 1), mode 4's strobe comes N ticks after (not N + 1).  A new count
 * written while mode 2 runs takes effect at the end of the current
 * period, in mode 3 at the end of the current half-cycle, as the
 * datasheet says.  A count of 1 in mode 2 (illegal) holds OUT low; in
 * mode 3 it holds OUT high.
 *
 * Port 0x61: bit 0 gate 2 and bit 1 speaker data are read/write (no
 * sound is made), bit 4 toggles every 18 ticks (15.1 us) as the refresh
 * flip-flop does on PCs, bit 5 is OUT2; everything else reads 0.
 */
#define VPIT_HZ 1193182u

/* One stretch of counting: the waveform from `begin` on. */
struct vpit_seg {
	uint64_t begin; /* tick it began */
	uint64_t ph;	/* ticks into the waveform at begin (< n if periodic) */
	uint32_t n;	/* count in ticks: 1-65536 (1-10000 BCD) */
	uint8_t edge0;	/* OUT rose at begin (a mode 2/3 reload) */
};

struct vpit_chan {
	struct vpit_seg cur;
	struct vpit_seg next; /* mode 2/3: new count due at next.begin */
	uint16_t cr;	      /* count register as written */
	uint16_t frozen;      /* what the counter reads while not loaded */
	uint16_t latch;	      /* latched count */
	uint8_t ctrl;	      /* control word bits 5-0 (status bits 5-0) */
	uint8_t mode;	      /* 0-5 (6 and 7 folded onto 2 and 3) */
	uint8_t gate;
	uint8_t have_cr;  /* a whole count written since the control word */
	uint8_t armed;	  /* the count is in the counting element */
	uint8_t run;	  /* counting (not held by the gate) */
	uint8_t pending;  /* next is valid */
	uint8_t null_cnt; /* count written but not loaded yet */
	uint8_t wr_msb, rd_msb; /* LSB-then-MSB byte toggles */
	uint8_t latched, stat_latched, status;
};

struct vpit {
	struct vpit_chan ch[3];
	uint8_t speaker; /* port 0x61 bit 1 */
};

/* Power-on: counters unprogrammed, every OUT low, gate 2 low. */
void vpit_init(struct vpit *t);

/* Ports 0x40-0x43 and 0x61; 0x43 (write-only) and others read 0xff. */
uint8_t vpit_read(struct vpit *t, uint16_t port, uint64_t now);
void vpit_write(struct vpit *t, uint16_t port, uint8_t val, uint64_t now);

/* OUT level (0 or 1) of channel ch (0-2) at now. */
int vpit_out(const struct vpit *t, unsigned ch, uint64_t now);

/*
 * OUT0 drives IRQ 0, edge-triggered.  vpit_irq0_edges counts its rising
 * edges in (since, now] (saturating at UINT_MAX); vpit_next_irq0 is the
 * tick of the first rising edge after now, UINT64_MAX if none will come.
 * Only the current programming is known: a write to port 0x40 or 0x43
 * ends the old waveform, so collect the edges up to the write's tick
 * before making it.  The edge a control word makes by setting a low
 * OUT0 high is not counted (it would be a spurious interrupt).
 */
unsigned vpit_irq0_edges(const struct vpit *t, uint64_t since, uint64_t now);
uint64_t vpit_next_irq0(const struct vpit *t, uint64_t now);

#endif
