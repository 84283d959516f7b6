// SPDX-License-Identifier: MIT
/* Emulated local APIC (Intel SDM vol. 3A chapter 11, "APIC"). */
#include "vlapic.h"

#include <string.h>

/* Register offsets in the xAPIC page (SDM 11.4.1, Table 11-1); the
 * x2APIC MSR of a register is 0x800 + offset / 16 (SDM 11.12.1.2). */
#define R_ID	  0x020
#define R_VER	  0x030
#define R_TPR	  0x080
#define R_APR	  0x090
#define R_PPR	  0x0a0
#define R_EOI	  0x0b0
#define R_LDR	  0x0d0
#define R_DFR	  0x0e0
#define R_SVR	  0x0f0
#define R_ISR	  0x100 /* 8 registers each, 16 bytes apart */
#define R_TMR	  0x180
#define R_IRR	  0x200
#define R_ESR	  0x280
#define R_CMCI	  0x2f0
#define R_ICR_LO  0x300
#define R_ICR_HI  0x310
#define R_TIMER	  0x320 /* the LVT: timer, thermal, perf, LINT0, LINT1, */
#define R_ERROR	  0x370 /* error, 16 bytes apart */
#define R_ICT	  0x380
#define R_CCT	  0x390
#define R_DCR	  0x3e0
#define R_SELF	  0x3f0 /* x2APIC only */
#define MSR_FIRST 0x800
#define MSR_LAST  0x8ff
#define MSR_ICR	  0x830 /* the whole ICR, 64 bits */

/* SDM 11.4.8, Figure 11-7: version 0x14, max LVT entry (count - 1). */
#define VERSION (0x14u | (VLAPIC_NR_LVT - 1u) << 16)

/* SDM 11.9, Figure 11-23: SVR vector, enable, focus checking. */
#define SVR_ENABLE 0x100u
#define SVR_BITS   0x3ffu

/* SDM 11.5.1, Figure 11-8: LVT fields. */
#define LVT_VECTOR    0xffu
#define LVT_MASK      (1u << 16)
#define TIMER_MODE(v) ((v) >> 17 & 3)
enum { ONE_SHOT, PERIODIC, TSC_DEADLINE };

/* SDM 11.5.3, Figure 11-9: ESR bits the model raises. */
#define ESR_SEND_ILLEGAL 0x20u
#define ESR_RECV_ILLEGAL 0x40u

/* SDM 11.6.1, Figure 11-12: ICR fields, delivery status left out. */
#define ICR_LO_BITS   0xccfffu
#define ICR_HI_BITS   0xff000000u
#define ICR_MODE(v)   ((v) >> 8 & 7)
#define ICR_LEVEL     (1u << 14)
#define ICR_TRIGGER   (1u << 15)
#define MODE_LOWEST   1
#define MODE_INIT     5
#define SHORT_SELF    1
#define MIN_VECTOR    16 /* 0-15 are reserved (SDM 11.5.2) */
#define XAPIC_BCAST   0xffu
#define X2APIC_BCAST  0xffffffffu
#define DFR_FLAT      0xfu /* model in DFR bits 31-28 (SDM 11.6.2.2) */
#define DFR_RESERVED  0x0fffffffu
#define XAPIC_ID_BITS 0xff000000u

/* Writable bits of each LVT entry (Figure 11-8), in VLAPIC_LVT_ order:
 * vector, delivery mode 10-8, LINT polarity 13 and trigger 15, mask 16,
 * timer mode 18-17. */
static const uint32_t lvt_bits[VLAPIC_NR_LVT] = {
    0x107ff, 0x700ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff,
};

enum { M_DISABLED, M_XAPIC, M_X2APIC, M_INVALID };

static unsigned mode_of(uint64_t base)
{
	if (!(base & VLAPIC_BASE_EN))
		return (base & VLAPIC_BASE_EXTD) ? M_INVALID : M_DISABLED;
	return (base & VLAPIC_BASE_EXTD) ? M_X2APIC : M_XAPIC;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* 256-bit vector sets: IRR, ISR, TMR (SDM 11.8.4). */
static void set_bit(uint32_t *a, unsigned v)
{
	a[v >> 5] |= 1u << (v & 31);
}

static void clr_bit(uint32_t *a, unsigned v)
{
	a[v >> 5] &= ~(1u << (v & 31));
}

static int test_bit(const uint32_t *a, unsigned v)
{
	return a[v >> 5] >> (v & 31) & 1;
}

/* IRR, ISR and the level EOIs are asked for their highest vector on
 * every interrupt check and EOI: each keeps a summary, one bit per
 * non-zero word, so that the answer takes two bit scans, not a search. */
static void vset_add(uint32_t *a, uint8_t *sum, unsigned v)
{
	a[v >> 5] |= 1u << (v & 31);
	*sum |= (uint8_t)(1u << (v >> 5));
}

static void vset_del(uint32_t *a, uint8_t *sum, unsigned v)
{
	a[v >> 5] &= ~(1u << (v & 31));
	if (!a[v >> 5])
		*sum &= (uint8_t) ~(1u << (v >> 5));
}

static int vset_top(const uint32_t *a, uint8_t sum)
{
	if (!sum)
		return -1;
	int i = 31 - __builtin_clz(sum);
	return i * 32 + 31 - __builtin_clz(a[i]);
}

/* x2APIC logical ID: cluster ID << 16 | one bit in the cluster (SDM
 * 11.12.10.2), fixed by the x2APIC ID. */
static uint32_t x2apic_ldr(uint32_t id)
{
	return (id >> 4) << 16 | 1u << (id & 15);
}

/* SDM 11.8.3.1: PPR is TPR, or the class of the highest vector in
 * service when that is higher. */
static uint32_t ppr(const struct vlapic *l)
{
	int isrv = vset_top(l->isr, l->isr_sum);
	uint32_t cls = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (l->tpr >> 4) >= (cls >> 4) ? l->tpr : cls;
}

static int sw_enabled(const struct vlapic *l)
{
	return (l->svr & SVR_ENABLE) != 0;
}

static int hw_enabled(const struct vlapic *l)
{
	return mode_of(l->base) == M_XAPIC || mode_of(l->base) == M_X2APIC;
}

static void raise_error(struct vlapic *l, uint32_t bit)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_ERROR];

	l->esr_new |= bit;
	/* An illegal error vector would only raise another error. */
	if (!(lvt & LVT_MASK) && (lvt & LVT_VECTOR) >= MIN_VECTOR)
		vlapic_accept(l, (uint8_t)lvt, 0);
}

void vlapic_accept(struct vlapic *l, uint8_t vector, int level_triggered)
{
	if (!hw_enabled(l) || !sw_enabled(l))
		return;
	if (vector < MIN_VECTOR) {
		raise_error(l, ESR_RECV_ILLEGAL);
		return;
	}
	vset_add(l->irr, &l->irr_sum, vector);
	if (level_triggered)
		set_bit(l->tmr, vector);
	else
		clr_bit(l->tmr, vector);
}

int vlapic_pending(const struct vlapic *l)
{
	int v = vset_top(l->irr, l->irr_sum);

	if (!hw_enabled(l) || v < 0)
		return -1;
	return ((uint32_t)v >> 4) > (ppr(l) >> 4) ? v : -1;
}

int vlapic_ack(struct vlapic *l)
{
	int v = vlapic_pending(l);

	if (v < 0)
		return (int)(l->svr & LVT_VECTOR); /* SDM 11.9 */
	vset_del(l->irr, &l->irr_sum, (unsigned)v);
	vset_add(l->isr, &l->isr_sum, (unsigned)v);
	return v;
}

/* SDM 11.8.5: EOI retires the highest vector in service (vlapic_eoi). */
static void eoi(struct vlapic *l)
{
	int level;

	(void)vlapic_eoi(l, &level);
}

int vlapic_eoi(struct vlapic *l, int *level)
{
	int v = vset_top(l->isr, l->isr_sum);

	*level = 0;
	if (v < 0)
		return -1;
	vset_del(l->isr, &l->isr_sum, (unsigned)v);
	if (test_bit(l->tmr, (unsigned)v)) {
		vset_add(l->eoi_level, &l->eoi_sum, (unsigned)v);
		*level = 1;
	}
	return v;
}

int vlapic_take_eoi(struct vlapic *l)
{
	int v = vset_top(l->eoi_level, l->eoi_sum);

	if (v >= 0)
		vset_del(l->eoi_level, &l->eoi_sum, (unsigned)v);
	return v;
}

/* --- Timer (SDM 11.5.4) --- */

/* Divide configuration bits 3, 1, 0 (Figure 11-10): 0 -> 2 ... 6 -> 128,
 * 7 -> 1; as a shift of the count. */
static unsigned div_shift(const struct vlapic *l)
{
	return (((l->dcr & 3) | (l->dcr >> 1 & 4)) + 1) & 7;
}

static unsigned timer_mode(const struct vlapic *l)
{
	unsigned m = TIMER_MODE(l->lvt[VLAPIC_LVT_TIMER]);

	return m == 3 ? ONE_SHOT : m;
}

static uint64_t expiry(const struct vlapic *l)
{
	return sat_add(l->t0, (uint64_t)l->c0 << div_shift(l));
}

static void timer_fire(struct vlapic *l)
{
	uint32_t lvt = l->lvt[VLAPIC_LVT_TIMER];

	if (!(lvt & LVT_MASK))
		vlapic_accept(l, (uint8_t)lvt, 0);
}

/* Missed periods merge into one interrupt, as IRR holds only one. */
static void count_expired(struct vlapic *l, uint64_t now)
{
	uint64_t at = expiry(l), period = (uint64_t)l->ict << div_shift(l);

	timer_fire(l);
	if (timer_mode(l) != PERIODIC || !l->ict) {
		l->counting = 0;
		return;
	}
	l->t0 = at + (now - at) / period * period;
	l->c0 = l->ict;
}

void vlapic_run_timer(struct vlapic *l, uint64_t now)
{
	if (timer_mode(l) == TSC_DEADLINE) {
		if (l->deadline && now >= l->deadline) {
			l->deadline = 0; /* SDM 11.5.4.1: it disarms */
			timer_fire(l);
		}
		return;
	}
	if (l->counting && now >= expiry(l))
		count_expired(l, now);
}

uint64_t vlapic_next_timer(const struct vlapic *l, uint64_t now)
{
	uint64_t at = UINT64_MAX;

	if (l->lvt[VLAPIC_LVT_TIMER] & LVT_MASK)
		return UINT64_MAX;
	if (timer_mode(l) == TSC_DEADLINE && l->deadline)
		at = l->deadline;
	else if (timer_mode(l) != TSC_DEADLINE && l->counting)
		at = expiry(l);
	return at < now ? now : at;
}

/* Current count; the timer must have been run up to now. */
static uint32_t current_count(const struct vlapic *l, uint64_t now)
{
	uint64_t gone;

	if (!l->counting || timer_mode(l) == TSC_DEADLINE)
		return 0;
	gone = (now > l->t0 ? now - l->t0 : 0) >> div_shift(l);
	return gone >= l->c0 ? 0 : l->c0 - (uint32_t)gone;
}

/* SDM 11.5.4: writing the initial count starts counting; 0 stops it.
 * In TSC-deadline mode the write is ignored. */
static void write_ict(struct vlapic *l, uint32_t val, uint64_t now)
{
	if (timer_mode(l) == TSC_DEADLINE)
		return;
	l->ict = val;
	l->c0 = val;
	l->t0 = now;
	l->counting = val != 0;
}

static void write_dcr(struct vlapic *l, uint32_t val, uint64_t now)
{
	uint32_t left = current_count(l, now);

	l->dcr = val & 0xb;
	if (l->counting) {
		l->c0 = left;
		l->t0 = now;
	}
}

/* SDM 11.5.4.1: a switch to or from TSC-deadline mode disarms. */
static void timer_mode_change(struct vlapic *l, uint32_t lvt)
{
	unsigned old = timer_mode(l), m = TIMER_MODE(lvt);

	if (m == 3)
		m = ONE_SHOT;
	if ((old == TSC_DEADLINE) != (m == TSC_DEADLINE)) {
		l->counting = 0;
		l->ict = 0;
		l->deadline = 0;
	}
}

uint64_t vlapic_tsc_deadline(const struct vlapic *l)
{
	return timer_mode(l) == TSC_DEADLINE ? l->deadline : 0;
}

void vlapic_set_tsc_deadline(struct vlapic *l, uint64_t tsc, uint64_t now)
{
	vlapic_run_timer(l, now);
	if (timer_mode(l) != TSC_DEADLINE)
		return;
	l->deadline = tsc;
	vlapic_run_timer(l, now);
}

/* --- Registers shared by both views --- */

static void reset_regs(struct vlapic *l)
{
	memset(l->irr, 0, sizeof(l->irr));
	memset(l->isr, 0, sizeof(l->isr));
	memset(l->tmr, 0, sizeof(l->tmr));
	memset(l->eoi_level, 0, sizeof(l->eoi_level));
	l->irr_sum = l->isr_sum = l->eoi_sum = 0;
	for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
		l->lvt[i] = LVT_MASK;
	l->tpr = l->ict = l->dcr = l->esr = l->esr_new = 0;
	l->icr = l->deadline = l->t0 = 0;
	l->c0 = 0;
	l->counting = 0;
	l->svr = 0xff;
	l->dfr = 0xffffffff;
	l->xid = l->id << 24;
	l->ldr = mode_of(l->base) == M_X2APIC ? x2apic_ldr(l->id) : 0;
}

/* LVT index of an offset, or -1. */
static int lvt_index(uint32_t off)
{
	if (off == R_CMCI)
		return VLAPIC_LVT_CMCI;
	if (off >= R_TIMER && off <= R_ERROR)
		return VLAPIC_LVT_TIMER + (int)((off - R_TIMER) >> 4);
	return -1;
}

/* SDM 11.4.7.2: while software-disabled, LVT masks cannot be cleared. */
static void write_lvt(struct vlapic *l, int i, uint32_t val)
{
	val &= lvt_bits[i];
	if (!sw_enabled(l))
		val |= LVT_MASK;
	if (i == VLAPIC_LVT_TIMER)
		timer_mode_change(l, val);
	l->lvt[i] = val;
}

static void write_svr(struct vlapic *l, uint32_t val)
{
	l->svr = val & SVR_BITS;
	if (sw_enabled(l))
		return;
	for (unsigned i = 0; i < VLAPIC_NR_LVT; i++)
		l->lvt[i] |= LVT_MASK;
}

/* Registers read the same way in both views; -1 if off is none. */
static int read_common(struct vlapic *l, uint32_t off, uint64_t now,
		       uint32_t *val)
{
	int i = lvt_index(off);

	if (i >= 0)
		*val = l->lvt[i];
	else if (off >= R_ISR && off < R_ISR + 0x80)
		*val = l->isr[(off - R_ISR) >> 4];
	else if (off >= R_TMR && off < R_TMR + 0x80)
		*val = l->tmr[(off - R_TMR) >> 4];
	else if (off >= R_IRR && off < R_IRR + 0x80)
		*val = l->irr[(off - R_IRR) >> 4];
	else if (off == R_VER)
		*val = VERSION;
	else if (off == R_TPR)
		*val = l->tpr;
	else if (off == R_APR)
		*val = 0;
	else if (off == R_PPR)
		*val = ppr(l);
	else if (off == R_SVR)
		*val = l->svr;
	else if (off == R_ESR)
		*val = l->esr;
	else if (off == R_ICT)
		*val = l->ict;
	else if (off == R_CCT)
		*val = current_count(l, now);
	else if (off == R_DCR)
		*val = l->dcr;
	else
		return -1;
	return 0;
}

/* Registers written the same way in both views; -1 if off is none or
 * read-only. */
static int write_common(struct vlapic *l, uint32_t off, uint32_t val,
			uint64_t now)
{
	int i = lvt_index(off);

	if (i >= 0)
		write_lvt(l, i, val);
	else if (off == R_TPR)
		l->tpr = val & 0xff;
	else if (off == R_EOI)
		eoi(l);
	else if (off == R_SVR)
		write_svr(l, val);
	else if (off == R_ESR) {
		l->esr = l->esr_new; /* SDM 11.5.3: a write latches errors */
		l->esr_new = 0;
	} else if (off == R_ICT)
		write_ict(l, val, now);
	else if (off == R_DCR)
		write_dcr(l, val, now);
	else
		return -1;
	return 0;
}

/* --- IPIs (SDM 11.6) --- */

static void send_ipi(struct vlapic *l, uint32_t lo, uint32_t dest)
{
	struct vlapic_ipi ipi = {
	    .dest = dest,
	    .vector = (uint8_t)lo,
	    .mode = (uint8_t)ICR_MODE(lo),
	    .shorthand = (uint8_t)(lo >> 18 & 3),
	    .dest_mode = (uint8_t)(lo >> 11 & 1),
	    .level = (lo & ICR_LEVEL) != 0,
	    .trigger = (lo & ICR_TRIGGER) != 0,
	};

	if (ipi.mode == MODE_INIT && !ipi.level && ipi.trigger)
		return; /* INIT level de-assert */
	if (ipi.mode <= MODE_LOWEST && ipi.vector < MIN_VECTOR) {
		raise_error(l, ESR_SEND_ILLEGAL);
		return;
	}
	if (l->fn)
		l->fn(l->ctx, &ipi);
}

int vlapic_match_dest(const struct vlapic *l, uint32_t dest, int logical)
{
	uint32_t ldr = l->ldr >> 24;

	if (mode_of(l->base) == M_X2APIC) {
		if (dest == X2APIC_BCAST)
			return 1;
		if (!logical)
			return dest == l->id;
		return dest >> 16 == l->ldr >> 16 && (dest & l->ldr & 0xffff);
	}
	if (!hw_enabled(l))
		return 0;
	dest &= 0xff;
	if (dest == XAPIC_BCAST)
		return 1;
	if (!logical)
		return dest == l->xid >> 24;
	if (l->dfr >> 28 == DFR_FLAT)
		return (dest & ldr) != 0;
	return dest >> 4 == ldr >> 4 && (dest & ldr & 0xf);
}

/* --- xAPIC view --- */

uint32_t vlapic_mmio_read(struct vlapic *l, uint32_t offset, uint64_t now)
{
	uint32_t val = 0;

	if (mode_of(l->base) != M_XAPIC || (offset & 0xf) || offset > R_DCR)
		return 0;
	vlapic_run_timer(l, now);
	if (offset == R_ID)
		return l->xid;
	if (offset == R_LDR)
		return l->ldr;
	if (offset == R_DFR)
		return l->dfr;
	if (offset == R_ICR_LO)
		return (uint32_t)l->icr;
	if (offset == R_ICR_HI)
		return (uint32_t)(l->icr >> 32);
	if (read_common(l, offset, now, &val))
		return 0;
	return val;
}

void vlapic_mmio_write(struct vlapic *l, uint32_t offset, uint32_t val,
		       uint64_t now)
{
	if (mode_of(l->base) != M_XAPIC || (offset & 0xf) || offset > R_DCR)
		return;
	vlapic_run_timer(l, now);
	if (offset == R_ID)
		l->xid = val & XAPIC_ID_BITS;
	else if (offset == R_LDR)
		l->ldr = val & XAPIC_ID_BITS;
	else if (offset == R_DFR)
		l->dfr = val | DFR_RESERVED;
	else if (offset == R_ICR_HI)
		l->icr = (uint64_t)(val & ICR_HI_BITS) << 32 | (uint32_t)l->icr;
	else if (offset == R_ICR_LO) {
		l->icr = (l->icr & ~0xffffffffull) | (val & ICR_LO_BITS);
		send_ipi(l, (uint32_t)l->icr, (uint32_t)(l->icr >> 56));
	} else
		(void)write_common(l, offset, val,
				   now); /* read-only: ignored */
}

/* --- x2APIC view (SDM 11.12.1) --- */

int vlapic_msr_read(struct vlapic *l, uint32_t msr, uint64_t *val, uint64_t now)
{
	uint32_t off = (msr - MSR_FIRST) << 4, v = 0;

	if (mode_of(l->base) != M_X2APIC || msr < MSR_FIRST || msr > MSR_LAST)
		return -1;
	vlapic_run_timer(l, now);
	if (msr == MSR_ICR) {
		*val = l->icr;
		return 0;
	}
	if (off == R_ID)
		v = l->id;
	else if (off == R_LDR)
		v = l->ldr;
	else if (read_common(l, off, now, &v))
		return -1;
	*val = v;
	return 0;
}

static void self_ipi(struct vlapic *l, uint8_t vector)
{
	send_ipi(l, vector | (uint32_t)SHORT_SELF << 18, l->id);
}

int vlapic_msr_write(struct vlapic *l, uint32_t msr, uint64_t val, uint64_t now)
{
	uint32_t off = (msr - MSR_FIRST) << 4;

	if (mode_of(l->base) != M_X2APIC || msr < MSR_FIRST || msr > MSR_LAST)
		return -1;
	vlapic_run_timer(l, now);
	if (msr == MSR_ICR) {
		l->icr = val & (~0ull << 32 | ICR_LO_BITS);
		send_ipi(l, (uint32_t)l->icr, (uint32_t)(val >> 32));
		return 0;
	}
	if (val >> 32)
		return -1;
	if (off == R_SELF) {
		if (val > 0xff)
			return -1;
		self_ipi(l, (uint8_t)val);
		return 0;
	}
	if ((off == R_EOI || off == R_ESR) && val)
		return -1;
	return write_common(l, off, (uint32_t)val, now);
}

/* --- IA32_APIC_BASE (SDM 11.4.4, 11.12.5) --- */

uint64_t vlapic_base(const struct vlapic *l)
{
	return l->base;
}

int vlapic_x2apic(const struct vlapic *l)
{
	return mode_of(l->base) == M_X2APIC;
}

int vlapic_set_base(struct vlapic *l, uint64_t v)
{
	const uint64_t flags =
	    VLAPIC_BASE_BSP | VLAPIC_BASE_EXTD | VLAPIC_BASE_EN;
	unsigned old = mode_of(l->base), m = mode_of(v);

	if ((v & ~flags) != VLAPIC_BASE_ADDR || m == M_INVALID)
		return -1;
	if ((old == M_X2APIC && m == M_XAPIC) ||
	    (old == M_DISABLED && m == M_X2APIC))
		return -1;
	l->base = (l->base & ~(uint64_t)(VLAPIC_BASE_EXTD | VLAPIC_BASE_EN)) |
		  (v & (VLAPIC_BASE_EXTD | VLAPIC_BASE_EN));
	if (m == old)
		return 0;
	if (m == M_DISABLED)
		reset_regs(l);
	else if (m == M_X2APIC)
		l->ldr = x2apic_ldr(l->id);
	return 0;
}

void vlapic_init(struct vlapic *l, uint32_t id, int bsp, uint64_t tsc_hz,
		 vlapic_ipi_fn fn, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->bus_hz = tsc_hz;
	l->fn = fn;
	l->ctx = ctx;
	l->base =
	    VLAPIC_BASE_ADDR | VLAPIC_BASE_EN | (bsp ? VLAPIC_BASE_BSP : 0);
	reset_regs(l);
}

void vlapic_init_signal(struct vlapic *l)
{
	reset_regs(l);
}

uint32_t vlapic_lvt(const struct vlapic *l, unsigned i)
{
	return i < VLAPIC_NR_LVT ? l->lvt[i] : LVT_MASK;
}
