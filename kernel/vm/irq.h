/* SPDX-License-Identifier: MIT */
/* A guest's interrupt routing: its local APICs, I/O APIC and 8259A. */
#ifndef VM_IRQ_H
#define VM_IRQ_H

#include <stdint.h>

struct guest;
struct vcpu;

/*
 * Wiring, as on a PC whose firmware left the APICs in virtual-wire mode:
 *
 * - ISA IRQ n drives 8259A input n and I/O APIC pin n, except IRQ 0 (the
 *   PIT), which drives pin 2: the MADT says so with an override, as every
 *   PC's does.
 * - The 8259A's INT reaches vCPU 0 only, through its LINT0 when that is
 *   unmasked in ExtINT mode (firmware's setting, kept until the guest
 *   changes it) or when its local APIC is disabled in IA32_APIC_BASE.
 * - The I/O APIC and the IPIs reach only the guest's own local APICs:
 *   a destination naming no vCPU of the guest reaches nothing.
 *
 * Every function here but irq_x2apic_eoi runs with the guest's lock held
 * (guest_lock); the one lock covers all the guest's device models, so a
 * vCPU on another CPU sees each change whole.
 */

/* Power-on state of the APICs (the 8259A belongs to the board). */
void irq_reset(struct guest *g);

/* The I/O APIC's ID (the MADT lists it too). */
uint8_t irq_ioapic_id(const struct guest *g);

/* Claim the I/O APIC's MMIO page; irq_reset first. */
int irq_attach(struct guest *g);

/* A board device drives ISA line irq (0-15) to level. */
void irq_line(struct guest *g, unsigned irq, int level);

/* The 8259A's INT may have changed. */
void irq_pic_changed(struct guest *g);

/* Is an interrupt deliverable to v now?  irq_ack takes it: its vector. */
int irq_pending(const struct vcpu *v);
int irq_ack(struct vcpu *v);

/* Bring v's timers (its local APIC's, and the board's for vCPU 0) up to
 * host TSC now; returns when the next one is due, or UINT64_MAX. */
uint64_t irq_run_timers(struct vcpu *v, uint64_t now);

/* The xAPIC page of v (offset within it) and its MSRs: IA32_APIC_BASE,
 * the x2APIC range and IA32_TSC_DEADLINE (in host TSC ticks).  0, or -1
 * where the CPU would raise #GP. */
void irq_lapic_mmio(struct vcpu *v, uint32_t offset, int write, uint64_t *val);
int irq_lapic_msr(struct vcpu *v, uint32_t msr, int write, uint64_t *val);
int irq_is_lapic_msr(uint32_t msr);

/* A write of val to the x2APIC EOI MSR (IRQ_X2APIC_EOI), without the
 * guest's lock held: its fast path.  0, or -1 for #GP. */
#define IRQ_X2APIC_EOI 0x80b
int irq_x2apic_eoi(struct vcpu *v, uint64_t val);

/* Can anything but v's own timers wake it from HLT: a sibling vCPU that
 * runs or has a timer armed (it could send an IPI), a board timer, an
 * input device with its interrupt enabled?  Under the guest's lock. */
int irq_can_wake(const struct vcpu *v);

/* Is some other vCPU of v's guest started and not parked (it may still
 * run, or be woken)?  Under the guest's lock. */
int irq_siblings_alive(const struct vcpu *v);

#endif
