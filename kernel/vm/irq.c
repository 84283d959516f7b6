// SPDX-License-Identifier: MIT
/* Interrupt routing inside one guest: device lines to the 8259A and the
 * I/O APIC, their messages and the IPIs to the guest's own local APICs,
 * INIT and SIPI to its vCPUs.  The models are pure (drivers/virt); this
 * is the wiring between them and the vCPUs. */
#include "irq.h"

#include "../arch.h"
#include "guest.h"
#include "platform.h"

#define PIT_PIN		 2 /* ISA IRQ 0 on the I/O APIC, as the MADT says */
#define NEVER		 UINT64_MAX
#define LVT_MASKED	 (1u << 16)
#define LVT_EXTINT	 (7u << 8)
#define LVT_NMI		 (4u << 8)
#define LVT_MODE	 (7u << 8)
#define APIC_SVR	 0xf0
#define APIC_LINT0	 0x350
#define APIC_LINT1	 0x360
#define SVR_ENABLED	 0x1ff /* APIC on, spurious vector 0xFF */
#define MSR_APIC_BASE	 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define MSR_X2APIC_FIRST 0x800
#define MSR_X2APIC_LAST	 0x8ff
#define MODE_FIXED	 0
#define MODE_LOWEST	 1
#define MODE_INIT	 5
#define MODE_SIPI	 6

/* Something changed for t (an interrupt, a signal): make its CPU look. */
static void notify(struct vcpu *t)
{
	struct guest *g = t->guest;

	t->work = 1;
	if (vcpu_state(t) == VCPU_BLOCKED && !vcpu_awaits_signal(t) &&
	    irq_pending(t))
		vcpu_wake(t, g->lock_cpu);
	else if (vcpu_state(t) == VCPU_RUNNABLE && t->pcpu != g->lock_cpu)
		vcpu_kick(t);
}

/* A message type the model passes on but no vCPU of ours can take (NMI,
 * SMI, ExtINT through the I/O APIC): said once per guest, then dropped. */
static void unsupported(struct guest *g, const char *what, unsigned mode)
{
	if (g->irq_unsupported++)
		return;
	guest_log(g, "%s with delivery mode %u is not supported: dropped", what,
		  mode);
}

/* INIT: the local APIC resets now; the vCPU leaves guest mode and waits
 * for a SIPI, which its own CPU arranges (vcpu_signals). */
static void init(struct vcpu *t)
{
	vlapic_init_signal(&t->lapic);
	t->timer_next = NEVER;
	t->wait_sipi = 1;
	t->parked = 0;
	t->init_pending = 1;
	if (t->pcpu == t->guest->lock_cpu)
		t->leave = 1; /* if it is the one running here */
	vcpu_poke(t, t->guest->lock_cpu);
}

/* SIPI: only a vCPU waiting for one starts, in real mode at vector's
 * page (SDM 8.4.4.1); to any other it means nothing. */
static void sipi(struct vcpu *t, uint8_t vector)
{
	if (!t->wait_sipi)
		return;
	t->wait_sipi = 0;
	t->sipi_vector = vector;
	t->sipi_pending = 1;
	vcpu_poke(t, t->guest->lock_cpu);
}

static int shorthand_hits(const struct vcpu *src, const struct vcpu *t,
			  const struct vlapic_ipi *p)
{
	switch (p->shorthand) {
	case 1:
		return t == src;
	case 2:
		return 1;
	case 3:
		return t != src;
	}
	return vlapic_match_dest(&t->lapic, p->dest, p->dest_mode);
}

/* The guest's IPIs: only its own vCPUs are looked at, so no destination
 * it can write reaches another guest.  Lowest priority goes to the first
 * vCPU named, which is as good as any for a guest that asked for "any". */
static void ipi(void *ctx, const struct vlapic_ipi *p)
{
	struct vcpu *src = ctx;
	struct guest *g = src->guest;

	for (uint32_t i = 0; i < g->nvcpus; i++) {
		struct vcpu *t = &g->vcpus[i];
		if (!shorthand_hits(src, t, p))
			continue;
		switch (p->mode) {
		case MODE_FIXED:
		case MODE_LOWEST:
			vlapic_accept(&t->lapic, p->vector, p->trigger);
			notify(t);
			if (p->mode == MODE_LOWEST)
				return;
			break;
		case MODE_INIT:
			init(t);
			break;
		case MODE_SIPI:
			sipi(t, p->vector);
			break;
		default:
			unsupported(g, "IPI", p->mode);
			return;
		}
	}
}

static void ioapic_deliver(void *ctx, const struct vioapic_msg *m)
{
	struct guest *g = ctx;

	if (m->delivery != MODE_FIXED && m->delivery != MODE_LOWEST) {
		unsupported(g, "I/O APIC message", m->delivery);
		return;
	}
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		struct vcpu *t = &g->vcpus[i];
		if (!vlapic_match_dest(&t->lapic, m->dest, m->dest_mode))
			continue;
		vlapic_accept(&t->lapic, m->vector, m->level);
		notify(t);
		if (m->delivery == MODE_LOWEST)
			return;
	}
}

static void ioapic_mmio(void *dev, uint64_t gpa, unsigned size, int write,
			uint64_t *val)
{
	struct guest *g = dev;

	(void)size; /* registers are dwords; the model takes the low one */
	if (write)
		vioapic_write(&g->ioapic, gpa - VIOAPIC_BASE, (uint32_t)*val);
	else
		*val = vioapic_read(&g->ioapic, gpa - VIOAPIC_BASE);
}

void irq_reset(struct guest *g)
{
	uint64_t hz = arch_tsc_khz() * 1000;

	for (uint32_t i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &g->vcpus[i];
		vlapic_init(&v->lapic, i, i == 0, hz, ipi, v);
		v->timer_next = NEVER;
		v->wait_sipi = i != 0; /* the others wait for INIT/SIPI */
		v->parked = 0;
		v->init_pending = v->sipi_pending = 0;
	}
	/* What PC firmware leaves for the OS: the boot CPU's APIC on, the
	 * 8259A through LINT0 (virtual wire), NMI on LINT1.  A guest that
	 * never touches its APIC gets the PIC's interrupts as on a PC. */
	struct vlapic *bsp = &g->vcpus[0].lapic;
	vlapic_mmio_write(bsp, APIC_SVR, SVR_ENABLED, 0);
	vlapic_mmio_write(bsp, APIC_LINT0, LVT_EXTINT, 0);
	vlapic_mmio_write(bsp, APIC_LINT1, LVT_NMI, 0);
	vioapic_init(&g->ioapic, irq_ioapic_id(g), ioapic_deliver, g);
	g->irq_unsupported = 0;
}

/* After the vCPUs' APIC IDs, in the 4 bits the register has: with 16
 * vCPUs it shares 15 with the last one, which a MADT may do. */
uint8_t irq_ioapic_id(const struct guest *g)
{
	return (uint8_t)(g->nvcpus < 15 ? g->nvcpus : 15);
}

int irq_attach(struct guest *g)
{
	irq_reset(g);
	return emul_mmio_register(&g->mmio, VIOAPIC_BASE, 0x1000, ioapic_mmio,
				  g);
}

void irq_pic_changed(struct guest *g)
{
	g->pic_int = vpic_output(&g->pic);
	if (g->pic_int)
		notify(&g->vcpus[0]);
	else
		g->vcpus[0].work = 1;
}

void irq_line(struct guest *g, unsigned irq, int level)
{
	vpic_set_irq(&g->pic, irq, level);
	irq_pic_changed(g);
	vioapic_set_irq(&g->ioapic, irq == 0 ? PIT_PIN : irq, level);
}

/* The 8259A reaches vCPU 0 through LINT0 in ExtINT mode, or directly
 * when its local APIC is off (SDM 10.4.3). */
static int pic_reaches(const struct vcpu *v)
{
	uint32_t lint0 = vlapic_lvt(&v->lapic, VLAPIC_LVT_LINT0);

	return !(vlapic_base(&v->lapic) & VLAPIC_BASE_EN) ||
	       (!(lint0 & LVT_MASKED) && (lint0 & LVT_MODE) == LVT_EXTINT);
}

int irq_pending(const struct vcpu *v)
{
	return vlapic_pending(&v->lapic) >= 0 ||
	       (v->id == 0 && v->guest->pic_int && pic_reaches(v));
}

int irq_ack(struct vcpu *v)
{
	if (vlapic_pending(&v->lapic) >= 0)
		return vlapic_ack(&v->lapic);
	return platform_ack(v);
}

/* An EOI: a level-triggered vector's goes on to the I/O APIC (the EOI
 * broadcast); an interrupt held back by the one in service may now go
 * in.  The common case, nothing more, leaves the entry path alone. */
static void lapic_eoi(struct vcpu *v)
{
	int vec;

	while ((vec = vlapic_take_eoi(&v->lapic)) >= 0)
		vioapic_eoi(&v->guest->ioapic, (uint8_t)vec);
	if (vlapic_pending(&v->lapic) >= 0)
		v->work = 1;
}

/* After any other access that may have reprogrammed v's APIC: its timer's
 * next expiry is recomputed, its interrupts looked at. */
static void lapic_changed(struct vcpu *v, uint64_t now)
{
	lapic_eoi(v);
	vlapic_run_timer(&v->lapic, now);
	v->timer_next = vlapic_next_timer(&v->lapic, now);
	v->work = 1;
}

uint64_t irq_run_timers(struct vcpu *v, uint64_t now)
{
	uint64_t due = NEVER;

	if (v->id == 0) {
		if (platform_next_timer(v->guest) <= now)
			platform_run_timers(v->guest, now);
		due = platform_next_timer(v->guest);
	}
	if (v->timer_next <= now) {
		vlapic_run_timer(&v->lapic, now);
		v->timer_next = vlapic_next_timer(&v->lapic, now);
	}
	return v->timer_next < due ? v->timer_next : due;
}

void irq_lapic_mmio(struct vcpu *v, uint32_t offset, int write, uint64_t *val)
{
	uint64_t now = arch_now();

	if (!write) {
		*val = vlapic_mmio_read(&v->lapic, offset, now);
		return;
	}
	vlapic_mmio_write(&v->lapic, offset, (uint32_t)*val, now);
	lapic_changed(v, now);
}

/*
 * The x2APIC EOI, the access a busy guest makes most, kept short and
 * mostly outside the lock: it retires a vector of v's own ISR, which
 * only v's CPU changes (an INIT racing with it resets the APIC anyway),
 * and reads IRR, where a sender that sets a bit meanwhile notifies v
 * itself.  Only a level-triggered vector's EOI, for the I/O APIC, takes
 * the lock.
 */
int irq_x2apic_eoi(struct vcpu *v, uint64_t val)
{
	struct vlapic *l = &v->lapic;
	int level;

	if (val || !vlapic_x2apic(l))
		return -1;
	if (vlapic_eoi(l, &level) < 0)
		return 0; /* nothing was in service: nothing changes */
	if (level) {
		guest_lock(v->guest, v->pcpu);
		lapic_eoi(v);
		guest_unlock(v->guest);
	} else if (vlapic_pending(l) >= 0) {
		v->work = VCPU_WORK_EVENTS; /* PPR fell: one may go in */
	}
	return 0;
}

int irq_is_lapic_msr(uint32_t msr)
{
	return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE ||
	       (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
}

int irq_lapic_msr(struct vcpu *v, uint32_t msr, int write, uint64_t *val)
{
	struct vlapic *l = &v->lapic;
	int r = 0;

	uint64_t now = arch_now();

	if (msr == MSR_APIC_BASE) {
		if (!write)
			*val = vlapic_base(l);
		else
			r = vlapic_set_base(l, *val);
	} else if (msr == MSR_TSC_DEADLINE) {
		if (!write)
			*val = vlapic_tsc_deadline(l);
		else
			vlapic_set_tsc_deadline(l, *val, now);
	} else if (!write) {
		r = vlapic_msr_read(l, msr, val, now);
	} else {
		r = vlapic_msr_write(l, msr, *val, now);
	}
	if (write && !r)
		lapic_changed(v, now);
	return r;
}

int irq_can_wake(const struct vcpu *v)
{
	const struct guest *g = v->guest;

	/* Console input may come while its UART's receive interrupt is on
	 * (IER bit 0) and reaches the bus (MCR OUT2). */
	if ((g->uart.ier & 0x01) && (g->uart.mcr & 0x08))
		return 1;
	/* A board timer may interrupt any vCPU (through the I/O APIC). */
	if (g->next_tsc != NEVER)
		return 1;
	/* A sibling that runs, will once its CPU takes the INIT or SIPI sent
	 * to it (a busy CPU may not have yet), or sleeps with its APIC timer
	 * armed, may send an IPI. */
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		const struct vcpu *o = &g->vcpus[i];
		if (o == v)
			continue;
		if (vcpu_state(o) == VCPU_RUNNABLE || o->sipi_pending ||
		    o->init_pending)
			return 1;
		if (vcpu_state(o) == VCPU_BLOCKED && !vcpu_awaits_signal(o) &&
		    o->timer_next != NEVER)
			return 1;
	}
	return 0;
}

int irq_siblings_alive(const struct vcpu *v)
{
	const struct guest *g = v->guest;

	for (uint32_t i = 0; i < g->nvcpus; i++) {
		const struct vcpu *o = &g->vcpus[i];
		if (o == v || o->parked)
			continue;
		if (!o->wait_sipi || o->sipi_pending || o->init_pending)
			return 1;
	}
	return 0;
}
