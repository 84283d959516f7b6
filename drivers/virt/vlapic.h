/* SPDX-License-Identifier: MIT */
/* Emulated local APIC, one per vCPU: xAPIC MMIO page and x2APIC MSRs. */
#ifndef VIRT_VLAPIC_H
#define VIRT_VLAPIC_H

#include <stdint.h>

/*
 * Pure logic (Intel SDM vol. 3A chapter 11).  Time is `now`, TSC ticks
 * from any origin, never decreasing between calls; every register access
 * first brings the timer up to now, so an expiry is never judged against
 * a programming made after it.
 *
 * Deliberate choices, where the SDM leaves room:
 *
 * - Timer clock: the "bus clock" the divide configuration divides is the
 *   TSC itself, so one count lasts 1-128 TSC ticks exactly and nothing
 *   is rounded.  tsc_hz is kept only so the hypervisor can report that
 *   rate (CPUID leaf 0x15/0x16, logs).  Changing the divide while the
 *   count runs keeps the current count and drops the part of a count
 *   already elapsed.
 * - Version 0x60014: version 0x14, 7 LVT entries (CMCI, timer, thermal,
 *   perf, LINT0, LINT1, error), no EOI-broadcast suppression.
 * - APR reads 0: arbitration priority only matters for lowest-priority
 *   arbitration on a bus, which the hypervisor does in its own way.
 * - Delivery status (LVT and ICR bit 12) and LINT remote IRR read 0:
 *   everything is delivered the instant it is sent.
 * - Fixed interrupts arriving while the APIC is software-disabled (SVR
 *   bit 8 clear) or globally disabled are dropped; those already in IRR
 *   are held and delivered as usual.
 * - Illegal vectors (0-15): received ones set ESR bit 6 and not IRR; sent
 *   fixed or lowest-priority ones set ESR bit 5 and are not sent.  An
 *   error raises the error LVT's interrupt unless it is masked.
 * - IPIs: every IPI the guest sends, including those to itself (the self
 *   shorthand and the x2APIC SELF IPI register), goes to the callback,
 *   which may call vlapic_accept on any vlapic, this one included.  The
 *   only IPI filtered out is INIT level de-assert (INIT, level 0,
 *   trigger 1), which only resynchronised arbitration IDs on old buses.
 *   Other combinations the SDM calls illegal are passed on as they are.
 * - IA32_APIC_BASE: the base cannot move from 0xFEE00000 (-1, #GP), the
 *   BSP bit is read-only (a written value is ignored), the transitions
 *   x2APIC -> xAPIC and disabled -> x2APIC and EXTD without EN give -1.
 *   Going to disabled resets every register (the xAPIC ID included) as
 *   at power-up; xAPIC -> x2APIC keeps them except ID and LDR, which
 *   become the x2APIC ID and the LDR derived from it.
 * - MMIO: only decoded in xAPIC mode; otherwise, and for reserved or
 *   unaligned offsets, reads give 0 and writes are ignored.
 * - x2APIC MSRs: #GP (-1) outside x2APIC mode, for reserved and missing
 *   registers (DFR, ICR high 0x831, remote read), writes to read-only
 *   ones, reads of write-only ones (EOI, SELF IPI), a non-zero upper
 *   half (all but the ICR), non-zero EOI or ESR writes and SELF IPI bits
 *   31-8.  Other reserved bits inside a register are dropped quietly.
 * - Timer: a masked timer keeps counting but sets no IRR; a switch
 *   between TSC-deadline and the other modes stops the count and clears
 *   the deadline; one-shot <-> periodic keeps the count running (an
 *   expired one-shot stays stopped).  Mode 11b (reserved) is one-shot.
 */

struct vlapic_ipi {
	uint32_t dest;	   /* xAPIC: 8 bits (ICR 63-56); x2APIC: 32 bits */
	uint8_t vector;	   /* SIPI: the start page */
	uint8_t mode;	   /* 0 fixed, 1 lowest, 2 SMI, 4 NMI, 5 INIT, 6 SIPI */
	uint8_t shorthand; /* 0 none, 1 self, 2 all incl self, 3 all excl */
	uint8_t dest_mode; /* 0 physical, 1 logical */
	uint8_t level;	   /* 1 assert */
	uint8_t trigger;   /* 0 edge, 1 level */
};

/* The guest's IPIs go to the hypervisor, which routes them only among
 * the guest's own vCPUs (vlapic_match_dest tells which). */
typedef void (*vlapic_ipi_fn)(void *ctx, const struct vlapic_ipi *ipi);

#define VLAPIC_BASE_ADDR 0xfee00000u
#define VLAPIC_BASE_BSP	 (1u << 8)
#define VLAPIC_BASE_EXTD (1u << 10) /* x2APIC mode */
#define VLAPIC_BASE_EN	 (1u << 11)

enum {
	VLAPIC_LVT_CMCI,
	VLAPIC_LVT_TIMER,
	VLAPIC_LVT_THERMAL,
	VLAPIC_LVT_PERF,
	VLAPIC_LVT_LINT0,
	VLAPIC_LVT_LINT1,
	VLAPIC_LVT_ERROR,
	VLAPIC_NR_LVT
};

struct vlapic {
	uint64_t base;	   /* IA32_APIC_BASE */
	uint64_t bus_hz;   /* the timer's clock before the divider: the TSC */
	uint64_t icr;	   /* low 32 bits and high 32 bits */
	uint64_t deadline; /* IA32_TSC_DEADLINE, 0 disarmed */
	uint64_t t0;	   /* timer: TSC tick at which count c0 was loaded */
	uint32_t c0;	   /* count remaining at t0 */
	uint32_t id;	   /* initial APIC ID, the x2APIC ID */
	uint32_t xid;	   /* xAPIC ID register (ID in bits 31-24) */
	uint32_t tpr, ldr, dfr, svr, ict, dcr;
	uint32_t esr;	  /* ESR as read: errors latched by the last write */
	uint32_t esr_new; /* errors seen since */
	uint32_t lvt[VLAPIC_NR_LVT];
	uint32_t irr[8], isr[8], tmr[8];
	uint32_t eoi_level[8]; /* level-triggered EOIs not yet taken */
	uint8_t irr_sum, isr_sum, eoi_sum; /* bit i: word i non-zero */
	uint8_t counting;		   /* one-shot/periodic count running */
	vlapic_ipi_fn fn;
	void *ctx;
};

/* Power-up: registers as SDM 11.4.7.1 lists, IA32_APIC_BASE 0xFEE00000 |
 * EN | (bsp ? BSP : 0), xAPIC mode.  fn may be NULL (IPIs dropped). */
void vlapic_init(struct vlapic *l, uint32_t id, int bsp, uint64_t tsc_hz,
		 vlapic_ipi_fn fn, void *ctx);

/* INIT received: registers reset as at power-up, but IA32_APIC_BASE (and
 * so x2APIC mode) is kept (SDM 11.4.7.3). */
void vlapic_init_signal(struct vlapic *l);

/* IA32_APIC_BASE (MSR 0x1B): vlapic_set_base is 0, or -1 for #GP. */
uint64_t vlapic_base(const struct vlapic *l);
int vlapic_set_base(struct vlapic *l, uint64_t v);
int vlapic_x2apic(const struct vlapic *l);

/* The xAPIC page at offsets 0x000-0x3F0, 32-bit accesses. */
uint32_t vlapic_mmio_read(struct vlapic *l, uint32_t offset, uint64_t now);
void vlapic_mmio_write(struct vlapic *l, uint32_t offset, uint32_t val,
		       uint64_t now);

/* x2APIC MSRs 0x800-0x8FF: 0, or -1 for #GP. */
int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *val,
		    uint64_t now);
int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val,
		     uint64_t now);

/* IA32_TSC_DEADLINE (MSR 0x6E0): reads 0 and ignores writes outside
 * TSC-deadline mode; 0 disarms; a deadline already past fires at once. */
uint64_t vlapic_tsc_deadline(const struct vlapic *l);
void vlapic_set_tsc_deadline(struct vlapic *l, uint64_t tsc, uint64_t now);

/* An interrupt from the IOAPIC, an IPI or a local source: IRR, and TMR
 * set for level-triggered, cleared for edge. */
void vlapic_accept(struct vlapic *l, uint8_t vector, int level_triggered);

/* Highest vector in IRR whose class is above PPR's, or -1. */
int vlapic_pending(const struct vlapic *l);

/* The CPU takes it: IRR -> ISR, returns the vector; with nothing
 * deliverable left (TPR raised since), the spurious vector from SVR. */
int vlapic_ack(struct vlapic *l);

/* An EOI write (xAPIC offset 0xB0, x2APIC MSR 0x80B with 0), the most
 * frequent access, as a call: the same as the register write, which the
 * caller has checked is allowed, without bringing the timer up to date
 * (an EOI does not touch it).  Returns the vector retired, or -1 if none
 * was in service; *level says whether it was level-triggered (then
 * vlapic_take_eoi gives it too). */
int vlapic_eoi(struct vlapic *l, int *level);

/* EOIs of level-triggered vectors (TMR set), for the hypervisor to pass
 * to the IOAPIC: one vector per call, highest first, -1 when none. */
int vlapic_take_eoi(struct vlapic *l);

/*
 * Bring the timer up to now (it may set IRR); then the TSC tick of the
 * next expiry that will set IRR: UINT64_MAX if none (stopped or masked:
 * a masked timer is brought up to date lazily), now if overdue.  Call it
 * again after every access, since any may reprogram the timer.
 */
void vlapic_run_timer(struct vlapic *l, uint64_t now);
uint64_t vlapic_next_timer(const struct vlapic *l, uint64_t now);

/* Whether this APIC is a target of destination dest in physical
 * (logical == 0) or logical mode, in its own mode's format (xAPIC: 8
 * bits, flat or cluster model by DFR; x2APIC: 32 bits, cluster in
 * 31-16).  A globally disabled APIC matches nothing. */
int vlapic_match_dest(const struct vlapic *l, uint32_t dest, int logical);

/* LVT entry i (VLAPIC_LVT_*), e.g. LINT0 for the PIC's ExtINT. */
uint32_t vlapic_lvt(const struct vlapic *l, unsigned i);

#endif
