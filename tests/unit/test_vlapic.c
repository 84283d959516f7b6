// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vlapic.c: the local APIC as guest kernels use it. */
#include <stdint.h>

#include "../drivers/virt/vlapic.h"
#include "test.h"

/* xAPIC offsets (Intel SDM vol. 3A, Table 11-1). */
enum {
	ID = 0x020,
	VER = 0x030,
	TPR = 0x080,
	APR = 0x090,
	PPR = 0x0a0,
	EOI = 0x0b0,
	LDR = 0x0d0,
	DFR = 0x0e0,
	SVR = 0x0f0,
	ISR = 0x100,
	TMR = 0x180,
	IRR = 0x200,
	ESR = 0x280,
	CMCI = 0x2f0,
	ICR_LO = 0x300,
	ICR_HI = 0x310,
	LVT_TIMER = 0x320,
	LVT_THERMAL = 0x330,
	LVT_PERF = 0x340,
	LVT_LINT0 = 0x350,
	LVT_LINT1 = 0x360,
	LVT_ERROR = 0x370,
	ICT = 0x380,
	CCT = 0x390,
	DCR = 0x3e0,
};

#define MSR(off)     (0x800u + (off) / 16)
#define MSR_ICR	     0x830u
#define MSR_SELF     0x83fu
#define GP	     0xbad0bad0bad0bad0ull /* msr() when the read faults */
#define EN	     0x800u
#define EXTD	     0x400u
#define BSP	     0x100u
#define BASE	     0xfee00000u
#define MASKED	     0x10000u
#define PERIODIC     (1u << 17)
#define DEADLINE     (2u << 17)
#define DIV1	     0xb
#define TSC_HZ	     3000000000ull
#define LEVEL_ASSERT 0x4000u
#define TRIG_LEVEL   0x8000u
#define LOGICAL	     0x800u

static struct vlapic l;
static struct vlapic_ipi sent[8];
static int nsent;

static void record(void *ctx, const struct vlapic_ipi *ipi)
{
	(void)ctx;
	if (nsent < 8)
		sent[nsent] = *ipi;
	nsent++;
}

static void setup(uint32_t id, int bsp)
{
	nsent = 0;
	vlapic_init(&l, id, bsp, TSC_HZ, record, NULL);
}

static uint32_t rd(uint32_t off, uint64_t now)
{
	return vlapic_mmio_read(&l, off, now);
}

static void wr(uint32_t off, uint32_t val, uint64_t now)
{
	vlapic_mmio_write(&l, off, val, now);
}

static uint64_t msr(uint32_t m, uint64_t now)
{
	uint64_t v = 0;

	return vlapic_msr_read(&l, m, &v, now) ? GP : v;
}

/* Software-enabled, spurious vector 0xff, as every OS starts. */
static void enabled(uint32_t id)
{
	setup(id, 1);
	wr(SVR, 0x1ff, 0);
}

static int to_x2apic(void)
{
	return vlapic_set_base(&l, BASE | EN | EXTD);
}

/* Deliver v: pending says it, ack takes it. */
static int take(void)
{
	int v = vlapic_pending(&l);
	return v < 0 ? -1 : vlapic_ack(&l);
}

TEST(reset_values)
{
	setup(3, 1);
	CHECK_EQ(vlapic_base(&l), BASE | EN | BSP);
	CHECK_EQ(vlapic_x2apic(&l), 0);
	CHECK_EQ(rd(ID, 0), 3u << 24);
	CHECK_EQ(rd(VER, 0), 0x60014);
	CHECK_EQ(rd(TPR, 0), 0);
	CHECK_EQ(rd(APR, 0), 0);
	CHECK_EQ(rd(PPR, 0), 0);
	CHECK_EQ(rd(LDR, 0), 0);
	CHECK_EQ(rd(DFR, 0), 0xffffffff);
	CHECK_EQ(rd(SVR, 0), 0xff);
	CHECK_EQ(rd(ESR, 0), 0);
	CHECK_EQ(rd(ICR_LO, 0), 0);
	CHECK_EQ(rd(ICR_HI, 0), 0);
	CHECK_EQ(rd(ICT, 0), 0);
	CHECK_EQ(rd(CCT, 0), 0);
	CHECK_EQ(rd(DCR, 0), 0);
	CHECK_EQ(rd(CMCI, 0), MASKED);
	for (uint32_t off = LVT_TIMER; off <= LVT_ERROR; off += 16)
		CHECK_EQ(rd(off, 0), MASKED);
	for (uint32_t i = 0; i < 8; i++) {
		CHECK_EQ(rd(ISR + 16 * i, 0), 0);
		CHECK_EQ(rd(TMR + 16 * i, 0), 0);
		CHECK_EQ(rd(IRR + 16 * i, 0), 0);
	}
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_next_timer(&l, 0), UINT64_MAX);
	CHECK_EQ(vlapic_tsc_deadline(&l), 0);
	CHECK_EQ(vlapic_take_eoi(&l), -1);
	CHECK_EQ(msr(MSR(TPR), 0), GP); /* xAPIC mode: no MSRs */
	setup(1, 0);
	CHECK_EQ(vlapic_base(&l), BASE | EN);
	CHECK_EQ(rd(ID, 0), 1u << 24);
}

TEST(mmio_register_readback)
{
	setup(0, 1);
	wr(ID, 0xffffffff, 0);
	CHECK_EQ(rd(ID, 0), 0xff000000);
	wr(TPR, 0x1234, 0);
	CHECK_EQ(rd(TPR, 0), 0x34);
	wr(LDR, 0x12345678, 0);
	CHECK_EQ(rd(LDR, 0), 0x12000000);
	wr(DFR, 0x00000000, 0);
	CHECK_EQ(rd(DFR, 0), 0x0fffffff);
	wr(SVR, 0xffffffff, 0);
	CHECK_EQ(rd(SVR, 0), 0x3ff);
	/* LVTs keep their own writable bits; delivery status never set. */
	wr(CMCI, 0xffffffff, 0);
	CHECK_EQ(rd(CMCI, 0), 0x107ff);
	wr(LVT_TIMER, 0xffffffff, 0);
	CHECK_EQ(rd(LVT_TIMER, 0), 0x700ff);
	wr(LVT_THERMAL, 0xffffffff, 0);
	CHECK_EQ(rd(LVT_THERMAL, 0), 0x107ff);
	wr(LVT_PERF, 0xffffffff, 0);
	CHECK_EQ(rd(LVT_PERF, 0), 0x107ff);
	wr(LVT_LINT0, 0xffffffff, 0);
	CHECK_EQ(rd(LVT_LINT0, 0), 0x1a7ff);
	CHECK_EQ(vlapic_lvt(&l, VLAPIC_LVT_LINT0), 0x1a7ff);
	wr(LVT_LINT1, 0x0000c7ff, 0);
	CHECK_EQ(rd(LVT_LINT1, 0), 0x87ff);
	wr(LVT_ERROR, 0xffffffff, 0);
	CHECK_EQ(rd(LVT_ERROR, 0), 0x100ff);
	wr(DCR, 0xffffffff, 0);
	CHECK_EQ(rd(DCR, 0), 0xb);
	wr(LVT_TIMER, 0, 0);
	wr(ICT, 0x87654321, 0);
	CHECK_EQ(rd(ICT, 0), 0x87654321);
	wr(ICR_HI, 0xffffffff, 0);
	CHECK_EQ(rd(ICR_HI, 0), 0xff000000);
}

TEST(mmio_read_only_and_reserved)
{
	enabled(2);
	vlapic_accept(&l, 0x41, 1);
	wr(VER, 0, 0);
	wr(PPR, 0xff, 0);
	wr(APR, 0xff, 0);
	wr(IRR + 0x20, 0, 0);
	wr(TMR + 0x20, 0, 0);
	wr(CCT, 5, 0);
	CHECK_EQ(rd(VER, 0), 0x60014);
	CHECK_EQ(rd(PPR, 0), 0);
	CHECK_EQ(rd(IRR + 0x20, 0), 2);
	CHECK_EQ(rd(TMR + 0x20, 0), 2);
	CHECK_EQ(rd(CCT, 0), 0);
	/* Reserved, unaligned, x2APIC-only and out-of-page offsets. */
	wr(0x040, 0x55, 0);
	CHECK_EQ(rd(0x040, 0), 0);
	CHECK_EQ(rd(TPR + 4, 0), 0);
	wr(TPR + 4, 0x77, 0);
	CHECK_EQ(rd(TPR, 0), 0);
	CHECK_EQ(rd(0x3f0, 0), 0);
	CHECK_EQ(rd(0x400, 0), 0);
	CHECK_EQ(rd(EOI, 0), 0);
}

TEST(x2apic_msr_readback)
{
	setup(0x12345, 1);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(vlapic_x2apic(&l), 1);
	CHECK_EQ(vlapic_base(&l), BASE | EN | EXTD | BSP);
	CHECK_EQ(msr(MSR(ID), 0), 0x12345);
	/* Cluster 0x1234, bit 5 of the cluster (SDM 11.12.10.2). */
	CHECK_EQ(msr(MSR(LDR), 0), 0x12340020);
	CHECK_EQ(msr(MSR(VER), 0), 0x60014);
	CHECK_EQ(vlapic_msr_write(&l, MSR(TPR), 0x50, 0), 0);
	CHECK_EQ(msr(MSR(TPR), 0), 0x50);
	CHECK_EQ(msr(MSR(PPR), 0), 0x50);
	CHECK_EQ(vlapic_msr_write(&l, MSR(SVR), 0x1f0, 0), 0);
	CHECK_EQ(msr(MSR(SVR), 0), 0x1f0);
	CHECK_EQ(vlapic_msr_write(&l, MSR(LVT_LINT0), 0x700, 0), 0);
	CHECK_EQ(msr(MSR(LVT_LINT0), 0), 0x700);
	CHECK_EQ(vlapic_msr_write(&l, MSR(CMCI), 0x30, 0), 0);
	CHECK_EQ(msr(MSR(CMCI), 0), 0x30);
	CHECK_EQ(vlapic_msr_write(&l, MSR(DCR), 0x3, 0), 0);
	CHECK_EQ(msr(MSR(DCR), 0), 0x3);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ICT), 100, 0), 0);
	CHECK_EQ(msr(MSR(ICT), 0), 100);
	CHECK_EQ(msr(MSR(CCT), 16), 99); /* divide by 16 */
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x0000000700000000ull | 0x30, 0),
		 0);
	CHECK_EQ(msr(MSR_ICR, 0), 0x0000000700000030ull);
	vlapic_accept(&l, 0x99, 0);
	CHECK_EQ(msr(MSR(IRR + 0x40), 0), 1u << 25);
	/* The MMIO page is not decoded in x2APIC mode. */
	CHECK_EQ(rd(TPR, 0), 0);
	wr(TPR, 0x90, 0);
	CHECK_EQ(msr(MSR(TPR), 0), 0x50);
}

TEST(x2apic_msr_gp)
{
	setup(7, 1);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(msr(MSR(DFR), 0), GP);
	CHECK_EQ(vlapic_msr_write(&l, MSR(DFR), 0, 0), -1);
	CHECK_EQ(msr(MSR(ICR_HI), 0), GP);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ICR_HI), 0, 0), -1);
	CHECK_EQ(msr(MSR(EOI), 0), GP);
	CHECK_EQ(msr(MSR_SELF, 0), GP);
	CHECK_EQ(msr(MSR(0x040), 0), GP);
	CHECK_EQ(msr(0x7ff, 0), GP);
	CHECK_EQ(msr(0x900, 0), GP);
	CHECK_EQ(vlapic_msr_write(&l, 0x900, 0, 0), -1);
	/* Read-only registers. */
	CHECK_EQ(vlapic_msr_write(&l, MSR(ID), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(LDR), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(VER), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(PPR), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ISR), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(IRR), 9, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(CCT), 9, 0), -1);
	CHECK_EQ(msr(MSR(ID), 0), 7);
	/* Upper half, non-zero EOI and ESR, self IPI reserved bits. */
	CHECK_EQ(vlapic_msr_write(&l, MSR(TPR), 1ull << 32, 0), -1);
	CHECK_EQ(msr(MSR(TPR), 0), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR(EOI), 1, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(EOI), 0, 0), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ESR), 1, 0), -1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ESR), 0, 0), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR_SELF, 0x140, 0), -1);
	CHECK_EQ(nsent, 0);
}

TEST(x2apic_switch_rules)
{
	setup(1, 1);
	/* The base cannot move; reserved bits; EXTD without EN. */
	CHECK_EQ(vlapic_set_base(&l, 0xfed00000u | EN), -1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | 1), -1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | 0x200), -1);
	CHECK_EQ(vlapic_set_base(&l, (1ull << 40) | BASE | EN), -1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EXTD), -1);
	CHECK_EQ(vlapic_base(&l), BASE | EN | BSP);
	/* xAPIC -> x2APIC -> xAPIC refused -> disabled -> x2APIC refused. */
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | EXTD | BSP), 0);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | BSP), -1);
	CHECK_EQ(vlapic_x2apic(&l), 1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | EXTD), 0); /* BSP ignored */
	CHECK_EQ(vlapic_base(&l), BASE | EN | EXTD | BSP);
	CHECK_EQ(vlapic_set_base(&l, BASE), 0);
	CHECK_EQ(vlapic_base(&l), BASE | BSP);
	CHECK_EQ(vlapic_x2apic(&l), 0);
	CHECK_EQ(msr(MSR(TPR), 0), GP);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | EXTD), -1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN), 0);
	CHECK_EQ(vlapic_base(&l), BASE | EN | BSP);
	CHECK_EQ(rd(VER, 0), 0x60014);
	/* xAPIC -> disabled -> xAPIC is allowed too. */
	CHECK_EQ(vlapic_set_base(&l, BASE), 0);
	CHECK_EQ(rd(VER, 0), 0); /* page not decoded */
	CHECK_EQ(vlapic_set_base(&l, BASE | EN), 0);
}

TEST(disable_resets_registers)
{
	enabled(4);
	wr(ID, 0x09000000, 0);
	wr(TPR, 0x20, 0);
	wr(LDR, 0x01000000, 0);
	wr(LVT_LINT0, 0x700, 0);
	vlapic_accept(&l, 0x80, 0);
	CHECK_EQ(vlapic_set_base(&l, BASE | BSP), 0);
	vlapic_accept(&l, 0x90, 0); /* dropped: globally disabled */
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_set_base(&l, BASE | EN | BSP), 0);
	CHECK_EQ(rd(ID, 0), 4u << 24);
	CHECK_EQ(rd(TPR, 0), 0);
	CHECK_EQ(rd(LDR, 0), 0);
	CHECK_EQ(rd(SVR, 0), 0xff);
	CHECK_EQ(rd(LVT_LINT0, 0), MASKED);
	CHECK_EQ(rd(IRR + 0x40, 0), 0);
	CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(x2apic_switch_keeps_state)
{
	enabled(0x21);
	wr(TPR, 0x30, 0);
	wr(LVT_LINT1, 0x400, 0);
	wr(LDR, 0x01000000, 0);
	vlapic_accept(&l, 0x70, 1);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(msr(MSR(TPR), 0), 0x30);
	CHECK_EQ(msr(MSR(LVT_LINT1), 0), 0x400);
	CHECK_EQ(msr(MSR(SVR), 0), 0x1ff);
	CHECK_EQ(msr(MSR(LDR), 0), 0x00020002);
	CHECK_EQ(msr(MSR(TMR + 0x30), 0), 1u << 16);
	CHECK_EQ(vlapic_ack(&l), 0x70);
	CHECK_EQ(vlapic_msr_write(&l, MSR(EOI), 0, 0), 0);
	CHECK_EQ(vlapic_take_eoi(&l), 0x70);
}

TEST(tpr_ppr)
{
	enabled(0);
	wr(TPR, 0x35, 0);
	CHECK_EQ(rd(PPR, 0), 0x35);
	vlapic_accept(&l, 0x61, 0);
	CHECK_EQ(take(), 0x61);
	CHECK_EQ(rd(ISR + 0x30, 0), 2);
	CHECK_EQ(rd(PPR, 0), 0x60); /* ISR class wins, low nibble 0 */
	wr(TPR, 0x75, 0);
	CHECK_EQ(rd(PPR, 0), 0x75);
	wr(TPR, 0x6f, 0);
	CHECK_EQ(rd(PPR, 0), 0x6f); /* same class: TPR */
	wr(TPR, 0, 0);
	wr(EOI, 0, 0);
	CHECK_EQ(rd(PPR, 0), 0);
	CHECK_EQ(rd(ISR + 0x30, 0), 0);
}

TEST(priority_delivery)
{
	enabled(0);
	vlapic_accept(&l, 0x40, 0);
	CHECK_EQ(vlapic_pending(&l), 0x40);
	CHECK_EQ(vlapic_ack(&l), 0x40);
	CHECK_EQ(rd(IRR + 0x20, 0), 0);
	CHECK_EQ(rd(ISR + 0x20, 0), 1);
	vlapic_accept(&l, 0x30, 0); /* lower class waits */
	CHECK_EQ(vlapic_pending(&l), -1);
	vlapic_accept(&l, 0x4f, 0); /* same class waits */
	CHECK_EQ(vlapic_pending(&l), -1);
	vlapic_accept(&l, 0x50, 0); /* higher class preempts */
	CHECK_EQ(vlapic_pending(&l), 0x50);
	CHECK_EQ(vlapic_ack(&l), 0x50);
	CHECK_EQ(vlapic_pending(&l), -1);
	wr(EOI, 0, 0);
	CHECK_EQ(vlapic_pending(&l), -1); /* 0x4f still below 0x40 in ISR */
	wr(EOI, 0, 0);
	CHECK_EQ(take(), 0x4f);
	wr(EOI, 0, 0);
	CHECK_EQ(take(), 0x30);
	wr(EOI, 0, 0);
	/* TPR blocks its class and below. */
	wr(TPR, 0x70, 0);
	vlapic_accept(&l, 0x7f, 0);
	CHECK_EQ(vlapic_pending(&l), -1);
	vlapic_accept(&l, 0x81, 0);
	CHECK_EQ(vlapic_pending(&l), 0x81);
	CHECK_EQ(vlapic_ack(&l), 0x81);
	wr(EOI, 0, 0);
	wr(TPR, 0x6f, 0);
	CHECK_EQ(vlapic_pending(&l), 0x7f);
}

TEST(spurious_when_nothing_deliverable)
{
	enabled(0);
	wr(SVR, 0x1e7, 0);
	CHECK_EQ(vlapic_ack(&l), 0xe7);
	vlapic_accept(&l, 0x20, 0);
	wr(TPR, 0x20, 0); /* raised between pending and ack */
	CHECK_EQ(vlapic_ack(&l), 0xe7);
	CHECK_EQ(rd(ISR, 0) | rd(ISR + 0x10, 0), 0);
	CHECK_EQ(rd(IRR + 0x10, 0), 1);
}

TEST(eoi_nested_order)
{
	enabled(0);
	vlapic_accept(&l, 0x31, 0);
	CHECK_EQ(take(), 0x31);
	vlapic_accept(&l, 0x52, 0);
	CHECK_EQ(take(), 0x52);
	vlapic_accept(&l, 0xe3, 0);
	CHECK_EQ(take(), 0xe3);
	CHECK_EQ(rd(PPR, 0), 0xe0);
	wr(EOI, 0x1234, 0); /* any value in xAPIC mode */
	CHECK_EQ(rd(ISR + 0x70, 0), 0);
	CHECK_EQ(rd(ISR + 0x20, 0), 1u << 18);
	CHECK_EQ(rd(PPR, 0), 0x50);
	wr(EOI, 0, 0);
	CHECK_EQ(rd(ISR + 0x20, 0), 0);
	CHECK_EQ(rd(ISR + 0x10, 0), 1u << 17);
	CHECK_EQ(rd(PPR, 0), 0x30);
	wr(EOI, 0, 0);
	CHECK_EQ(rd(ISR + 0x10, 0), 0);
	CHECK_EQ(rd(PPR, 0), 0);
	wr(EOI, 0, 0); /* nothing in service: harmless */
	CHECK_EQ(rd(PPR, 0), 0);
	CHECK_EQ(vlapic_take_eoi(&l), -1); /* all were edge */
}

TEST(level_eoi_reported)
{
	enabled(0);
	vlapic_accept(&l, 0x55, 1);
	CHECK_EQ(rd(TMR + 0x20, 0), 1u << 21);
	vlapic_accept(&l, 0x66, 1);
	CHECK_EQ(take(), 0x66);
	CHECK_EQ(vlapic_take_eoi(&l), -1);
	wr(EOI, 0, 0);
	CHECK_EQ(take(), 0x55);
	wr(EOI, 0, 0);
	CHECK_EQ(vlapic_take_eoi(&l), 0x66);
	CHECK_EQ(vlapic_take_eoi(&l), 0x55);
	CHECK_EQ(vlapic_take_eoi(&l), -1);
	/* The same vector later edge-triggered clears TMR: no report. */
	vlapic_accept(&l, 0x55, 0);
	CHECK_EQ(rd(TMR + 0x20, 0), 0);
	CHECK_EQ(take(), 0x55);
	wr(EOI, 0, 0);
	CHECK_EQ(vlapic_take_eoi(&l), -1);
}

TEST(illegal_vectors_and_esr)
{
	enabled(0);
	vlapic_accept(&l, 5, 0);
	CHECK_EQ(rd(IRR, 0), 0);
	CHECK_EQ(rd(ESR, 0), 0); /* not latched until written */
	wr(ESR, 0, 0);
	CHECK_EQ(rd(ESR, 0), 0x40);
	wr(ICR_LO, 0x0000000f, 0); /* fixed, vector 15 */
	CHECK_EQ(nsent, 0);
	wr(ESR, 0, 0);
	CHECK_EQ(rd(ESR, 0), 0x20);
	wr(ESR, 0, 0);
	CHECK_EQ(rd(ESR, 0), 0);
	/* An unmasked error LVT raises its vector. */
	wr(LVT_ERROR, 0xfe, 0);
	vlapic_accept(&l, 1, 0);
	CHECK_EQ(vlapic_pending(&l), 0xfe);
}

/* One-shot, initial count 100, each divide: fires at 100 * divisor. */
TEST(timer_oneshot_divides)
{
	static const uint32_t dcr[8] = {0, 1, 2, 3, 8, 9, 10, 11};
	static const uint32_t div[8] = {2, 4, 8, 16, 32, 64, 128, 1};
	const uint64_t t0 = 1000003;

	for (int i = 0; i < 8; i++) {
		enabled(0);
		wr(LVT_TIMER, 0x31, 0);
		wr(DCR, dcr[i], 0);
		wr(ICT, 100, t0);
		uint64_t at = t0 + 100 * div[i];
		CHECK_EQ(vlapic_next_timer(&l, t0), at);
		vlapic_run_timer(&l, at - 1);
		CHECK_EQ(vlapic_pending(&l), -1);
		vlapic_run_timer(&l, at);
		CHECK_EQ(take(), 0x31);
		wr(EOI, 0, at);
		CHECK_EQ(rd(CCT, at), 0);
		CHECK_EQ(vlapic_next_timer(&l, at), UINT64_MAX);
		vlapic_run_timer(&l, at + 100000);
		CHECK_EQ(vlapic_pending(&l), -1); /* once only */
	}
}

TEST(timer_periodic)
{
	const uint64_t t0 = 500;

	enabled(0);
	wr(LVT_TIMER, PERIODIC | 0xec, 0);
	wr(DCR, 0, 0); /* divide by 2: period 2000 */
	wr(ICT, 1000, t0);
	for (uint64_t k = 1; k <= 50; k++) {
		uint64_t at = t0 + 2000 * k;
		CHECK_EQ(vlapic_next_timer(&l, at - 2000), at);
		vlapic_run_timer(&l, at - 1);
		CHECK_EQ(vlapic_pending(&l), -1);
		vlapic_run_timer(&l, at);
		CHECK_EQ(take(), 0xec);
		wr(EOI, 0, at);
		CHECK_EQ(rd(CCT, at), 1000);
	}
	/* Missed periods give one interrupt, and the phase is kept. */
	uint64_t now = t0 + 2000 * 55 + 7;
	vlapic_run_timer(&l, now);
	CHECK_EQ(take(), 0xec);
	wr(EOI, 0, now);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_next_timer(&l, now), t0 + 2000 * 56);
	CHECK_EQ(rd(CCT, now), 1000 - 3);
	/* Initial count 0 stops it. */
	wr(ICT, 0, now);
	CHECK_EQ(vlapic_next_timer(&l, now), UINT64_MAX);
	vlapic_run_timer(&l, now + 100000);
	CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(timer_current_count)
{
	const uint64_t t0 = 77;

	enabled(0);
	wr(LVT_TIMER, 0x40, 0);
	wr(DCR, 1, 0); /* divide by 4 */
	wr(ICT, 1000, t0);
	CHECK_EQ(rd(CCT, t0), 1000);
	CHECK_EQ(rd(CCT, t0 + 3), 1000);
	CHECK_EQ(rd(CCT, t0 + 4), 999);
	uint32_t prev = 1000;
	for (uint64_t e = 0; e < 4000; e += 13) {
		uint32_t c = rd(CCT, t0 + e);
		CHECK(c <= prev);
		CHECK_EQ(c, 1000 - e / 4);
		prev = c;
	}
	CHECK_EQ(rd(CCT, t0 + 3999), 1);
	CHECK_EQ(rd(CCT, t0 + 4000), 0);
	CHECK_EQ(take(), 0x40); /* the read ran the timer */
	/* Rewriting the initial count restarts from it. */
	wr(ICT, 10, 10000);
	CHECK_EQ(rd(CCT, 10004), 9);
}

TEST(timer_divide_change_keeps_count)
{
	enabled(0);
	wr(LVT_TIMER, 0x40, 0);
	wr(DCR, DIV1, 0);
	wr(ICT, 1000, 0);
	CHECK_EQ(rd(CCT, 400), 600);
	wr(DCR, 0, 400); /* divide by 2 from here on */
	CHECK_EQ(rd(CCT, 400), 600);
	CHECK_EQ(rd(CCT, 600), 500);
	CHECK_EQ(vlapic_next_timer(&l, 600), 400 + 1200);
	/* Periodic reloads use the new divide. */
	wr(LVT_TIMER, PERIODIC | 0x40, 600);
	vlapic_run_timer(&l, 1600);
	CHECK_EQ(take(), 0x40);
	CHECK_EQ(vlapic_next_timer(&l, 1600), 1600 + 2000);
}

TEST(timer_mode_switch_oneshot_periodic)
{
	enabled(0);
	wr(LVT_TIMER, PERIODIC | 0x40, 0);
	wr(DCR, DIV1, 0);
	wr(ICT, 100, 0);
	wr(LVT_TIMER, 0x40, 250); /* one-shot: this period is the last */
	CHECK_EQ(take(), 0x40);
	wr(EOI, 0, 250);
	CHECK_EQ(vlapic_next_timer(&l, 250), 300);
	vlapic_run_timer(&l, 300);
	CHECK_EQ(take(), 0x40);
	wr(EOI, 0, 300);
	CHECK_EQ(vlapic_next_timer(&l, 300), UINT64_MAX);
	wr(LVT_TIMER, PERIODIC | 0x40, 350); /* expired stays stopped */
	vlapic_run_timer(&l, 10000);
	CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(tsc_deadline)
{
	enabled(0);
	wr(LVT_TIMER, DEADLINE | 0x50, 0);
	vlapic_set_tsc_deadline(&l, 5000, 1000);
	CHECK_EQ(vlapic_tsc_deadline(&l), 5000);
	CHECK_EQ(vlapic_next_timer(&l, 1000), 5000);
	vlapic_run_timer(&l, 4999);
	CHECK_EQ(vlapic_pending(&l), -1);
	vlapic_run_timer(&l, 5000);
	CHECK_EQ(take(), 0x50);
	wr(EOI, 0, 5000);
	CHECK_EQ(vlapic_tsc_deadline(&l), 0); /* disarmed by firing */
	CHECK_EQ(vlapic_next_timer(&l, 5000), UINT64_MAX);
	vlapic_run_timer(&l, 90000);
	CHECK_EQ(vlapic_pending(&l), -1);
	/* 0 disarms. */
	vlapic_set_tsc_deadline(&l, 100000, 90000);
	vlapic_set_tsc_deadline(&l, 0, 90001);
	CHECK_EQ(vlapic_next_timer(&l, 90001), UINT64_MAX);
	vlapic_run_timer(&l, 200000);
	CHECK_EQ(vlapic_pending(&l), -1);
	/* A deadline already past fires at once. */
	vlapic_set_tsc_deadline(&l, 10, 200000);
	CHECK_EQ(take(), 0x50);
	/* Initial count and current count do nothing in this mode. */
	wr(ICT, 100, 200000);
	CHECK_EQ(rd(ICT, 200000), 0);
	CHECK_EQ(rd(CCT, 200000), 0);
}

TEST(tsc_deadline_only_in_its_mode)
{
	enabled(0);
	wr(LVT_TIMER, 0x50, 0); /* one-shot */
	vlapic_set_tsc_deadline(&l, 5000, 0);
	CHECK_EQ(vlapic_tsc_deadline(&l), 0);
	vlapic_run_timer(&l, 6000);
	CHECK_EQ(vlapic_pending(&l), -1);
	/* Leaving the mode disarms, and so does entering it. */
	wr(LVT_TIMER, DEADLINE | 0x50, 6000);
	vlapic_set_tsc_deadline(&l, 8000, 6000);
	wr(LVT_TIMER, 0x50, 7000);
	wr(LVT_TIMER, DEADLINE | 0x50, 7000);
	CHECK_EQ(vlapic_tsc_deadline(&l), 0);
	vlapic_run_timer(&l, 9000);
	CHECK_EQ(vlapic_pending(&l), -1);
	wr(LVT_TIMER, 0x50, 9000);
	wr(ICT, 100, 9000);
	wr(LVT_TIMER, DEADLINE | 0x50, 9050);
	vlapic_run_timer(&l, 20000);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_next_timer(&l, 20000), UINT64_MAX);
}

TEST(masked_timer_sets_no_irr)
{
	enabled(0);
	wr(LVT_TIMER, MASKED | 0x40, 0);
	wr(DCR, DIV1, 0);
	wr(ICT, 100, 0);
	CHECK_EQ(vlapic_next_timer(&l, 0), UINT64_MAX);
	CHECK_EQ(rd(CCT, 40), 60); /* still counting */
	vlapic_run_timer(&l, 100);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(rd(IRR + 0x20, 100), 0);
	/* Periodic and masked, then unmasked: the next period fires. */
	wr(LVT_TIMER, MASKED | PERIODIC | 0x40, 100);
	wr(ICT, 100, 100);
	vlapic_run_timer(&l, 450);
	wr(LVT_TIMER, PERIODIC | 0x40, 450);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_next_timer(&l, 450), 500);
	vlapic_run_timer(&l, 500);
	CHECK_EQ(take(), 0x40);
	/* TSC-deadline masked: fires (disarms) without IRR. */
	wr(EOI, 0, 500);
	wr(LVT_TIMER, MASKED | DEADLINE | 0x40, 500);
	vlapic_set_tsc_deadline(&l, 600, 500);
	vlapic_run_timer(&l, 600);
	CHECK_EQ(vlapic_pending(&l), -1);
	CHECK_EQ(vlapic_tsc_deadline(&l), 0);
}

TEST(software_disable)
{
	enabled(0);
	wr(LVT_TIMER, 0x40, 0);
	wr(LVT_LINT0, 0x700, 0);
	vlapic_accept(&l, 0x80, 0);
	wr(SVR, 0xff, 0); /* software-disabled */
	CHECK_EQ(rd(LVT_TIMER, 0), MASKED | 0x40);
	CHECK_EQ(rd(LVT_LINT0, 0), MASKED | 0x700);
	wr(LVT_LINT0, 0x700, 0); /* the mask cannot be cleared */
	CHECK_EQ(rd(LVT_LINT0, 0), MASKED | 0x700);
	wr(LVT_TIMER, 0x41, 0);
	CHECK_EQ(rd(LVT_TIMER, 0), MASKED | 0x41);
	wr(DCR, DIV1, 0);
	wr(ICT, 10, 0);
	vlapic_run_timer(&l, 10);
	CHECK_EQ(rd(IRR + 0x20, 10), 0);
	vlapic_accept(&l, 0x90, 0);	 /* dropped */
	CHECK_EQ(rd(IRR + 0x40, 10), 1); /* 0x80 is held */
	CHECK_EQ(take(), 0x80);
	/* Re-enabling leaves the masks set; software clears them. */
	wr(SVR, 0x1ff, 10);
	CHECK_EQ(rd(LVT_LINT0, 10), MASKED | 0x700);
	wr(LVT_LINT0, 0x700, 10);
	CHECK_EQ(rd(LVT_LINT0, 10), 0x700);
	vlapic_accept(&l, 0x90, 0);
	CHECK_EQ(vlapic_pending(&l), 0x90);
}

TEST(ipi_xapic_modes)
{
	enabled(0);
	wr(ICR_HI, 3u << 24, 0);
	wr(ICR_LO, 0x4041, 0); /* fixed, assert */
	CHECK_EQ(nsent, 1);
	CHECK_EQ(sent[0].dest, 3);
	CHECK_EQ(sent[0].vector, 0x41);
	CHECK_EQ(sent[0].mode, 0);
	CHECK_EQ(sent[0].shorthand, 0);
	CHECK_EQ(sent[0].dest_mode, 0);
	CHECK_EQ(sent[0].level, 1);
	CHECK_EQ(sent[0].trigger, 0);
	CHECK_EQ(rd(ICR_LO, 0), 0x4041); /* delivery status 0 */
	wr(ICR_LO, 0xc500, 0);		 /* INIT assert, level */
	CHECK_EQ(nsent, 2);
	CHECK_EQ(sent[1].mode, 5);
	CHECK_EQ(sent[1].level, 1);
	CHECK_EQ(sent[1].trigger, 1);
	wr(ICR_LO, 0x8500, 0); /* INIT de-assert: not sent */
	CHECK_EQ(nsent, 2);
	wr(ICR_LO, 0x4698, 0); /* SIPI, page 0x98 */
	CHECK_EQ(nsent, 3);
	CHECK_EQ(sent[2].mode, 6);
	CHECK_EQ(sent[2].vector, 0x98);
	CHECK_EQ(sent[2].dest, 3);
	wr(ICR_HI, 0x0c000000, 0);
	wr(ICR_LO, LOGICAL | 0x4400, 0); /* NMI, logical */
	CHECK_EQ(nsent, 4);
	CHECK_EQ(sent[3].mode, 4);
	CHECK_EQ(sent[3].dest_mode, 1);
	CHECK_EQ(sent[3].dest, 0x0c);
	CHECK_EQ(rd(ICR_LO, 0), LOGICAL | 0x4400);
	wr(ICR_LO, 0x1000 | 0x0141, 0); /* lowest; status bit dropped */
	CHECK_EQ(nsent, 5);
	CHECK_EQ(sent[4].mode, 1);
	CHECK_EQ(rd(ICR_LO, 0), 0x0141);
	/* Writing the high half alone sends nothing. */
	wr(ICR_HI, 0x01000000, 0);
	CHECK_EQ(nsent, 5);
}

TEST(ipi_xapic_shorthands)
{
	static const uint32_t lo[4] = {0x000c4030, 0x00044031, 0x00084032,
				       0x000c4500};

	enabled(0);
	wr(ICR_HI, 0x05000000, 0);
	for (int i = 0; i < 4; i++)
		wr(ICR_LO, lo[i], 0);
	CHECK_EQ(nsent, 4);
	CHECK_EQ(sent[0].shorthand, 3);
	CHECK_EQ(sent[0].vector, 0x30);
	CHECK_EQ(sent[1].shorthand, 1);
	CHECK_EQ(sent[1].vector, 0x31);
	CHECK_EQ(sent[2].shorthand, 2);
	CHECK_EQ(sent[3].shorthand, 3);
	CHECK_EQ(sent[3].mode, 5);
	CHECK_EQ(sent[3].dest, 5);
}

TEST(ipi_x2apic)
{
	setup(0x10, 1);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR(SVR), 0x1ff, 0), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x0001234500004061ull, 0), 0);
	CHECK_EQ(nsent, 1);
	CHECK_EQ(sent[0].dest, 0x12345);
	CHECK_EQ(sent[0].vector, 0x61);
	CHECK_EQ(sent[0].mode, 0);
	CHECK_EQ(sent[0].level, 1);
	CHECK_EQ(sent[0].shorthand, 0);
	CHECK_EQ(msr(MSR_ICR, 0), 0x0001234500004061ull);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x0000000700004500ull, 0), 0);
	CHECK_EQ(sent[1].mode, 5);
	CHECK_EQ(sent[1].dest, 7);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x0000000700004608ull, 0), 0);
	CHECK_EQ(sent[2].mode, 6);
	CHECK_EQ(sent[2].vector, 8); /* SIPI vectors may be below 16 */
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x000f0001000c4400ull, 0), 0);
	CHECK_EQ(sent[3].mode, 4);
	CHECK_EQ(sent[3].shorthand, 3);
	CHECK_EQ(sent[3].dest, 0x000f0001);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x0001000200004850ull, 0), 0);
	CHECK_EQ(sent[4].dest_mode, 1);
	CHECK_EQ(sent[4].dest, 0x00010002);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x00084052ull, 0), 0);
	CHECK_EQ(sent[5].shorthand, 2);
	CHECK_EQ(vlapic_msr_write(&l, MSR_ICR, 0x00044053ull, 0), 0);
	CHECK_EQ(sent[6].shorthand, 1);
	CHECK_EQ(nsent, 7);
}

/* The callback delivers to this vlapic, as the hypervisor would. */
static void loopback(void *ctx, const struct vlapic_ipi *ipi)
{
	record(ctx, ipi);
	if (ipi->shorthand == 1 && ipi->mode == 0)
		vlapic_accept(&l, ipi->vector, ipi->trigger);
}

TEST(self_ipi_msr)
{
	nsent = 0;
	vlapic_init(&l, 0x22, 0, TSC_HZ, loopback, NULL);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR(SVR), 0x1ff, 0), 0);
	CHECK_EQ(vlapic_msr_write(&l, MSR_SELF, 0xa7, 0), 0);
	CHECK_EQ(nsent, 1);
	CHECK_EQ(sent[0].vector, 0xa7);
	CHECK_EQ(sent[0].mode, 0);
	CHECK_EQ(sent[0].shorthand, 1);
	CHECK_EQ(sent[0].trigger, 0);
	CHECK_EQ(sent[0].dest, 0x22);
	CHECK_EQ(take(), 0xa7);
	/* An illegal vector is an ESR send error, not an IPI. */
	CHECK_EQ(vlapic_msr_write(&l, MSR_SELF, 0x0e, 0), 0);
	CHECK_EQ(nsent, 1);
	CHECK_EQ(vlapic_msr_write(&l, MSR(ESR), 0, 0), 0);
	CHECK_EQ(msr(MSR(ESR), 0), 0x20);
}

TEST(match_dest)
{
	setup(5, 0);
	CHECK_EQ(vlapic_match_dest(&l, 5, 0), 1);
	CHECK_EQ(vlapic_match_dest(&l, 6, 0), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0xff, 0), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x105, 0), 1); /* 8 bits in xAPIC */
	/* Flat model: LDR bit mask. */
	wr(LDR, 0x24000000, 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x04, 1), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x09, 1), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0xff, 1), 1);
	/* Cluster model: cluster 2, member bit 2. */
	wr(DFR, 0x0fffffff, 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x24, 1), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x26, 1), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x34, 1), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x21, 1), 0);
	/* x2APIC: 32-bit ID, cluster in 31-16. */
	setup(0x35, 0);
	CHECK_EQ(to_x2apic(), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x35, 0), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x135, 0), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0xffffffff, 0), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x00030020, 1), 1);
	CHECK_EQ(vlapic_match_dest(&l, 0x0003ffdf, 1), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x00020020, 1), 0);
	/* Globally disabled: nothing. */
	CHECK_EQ(vlapic_set_base(&l, BASE), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0x35, 0), 0);
	CHECK_EQ(vlapic_match_dest(&l, 0xff, 0), 0);
}

TEST(init_signal_keeps_mode_and_id)
{
	enabled(0x41);
	wr(TPR, 0x40, 0);
	vlapic_accept(&l, 0x66, 0);
	CHECK_EQ(to_x2apic(), 0);
	vlapic_init_signal(&l);
	CHECK_EQ(vlapic_x2apic(&l), 1);
	CHECK_EQ(msr(MSR(ID), 0), 0x41);
	CHECK_EQ(msr(MSR(LDR), 0), 0x00040002);
	CHECK_EQ(msr(MSR(TPR), 0), 0);
	CHECK_EQ(msr(MSR(SVR), 0), 0xff);
	CHECK_EQ(msr(MSR(LVT_TIMER), 0), MASKED);
	CHECK_EQ(vlapic_pending(&l), -1);
}

/* vlapic_eoi retires the highest in-service vector, as the register
 * write does: the next one then goes in. */
TEST(eoi_call_as_register)
{
	enabled(0);
	vlapic_accept(&l, 0x40, 0);
	vlapic_accept(&l, 0x50, 1);
	int level = -1;
	CHECK_EQ(take(), 0x50);
	CHECK_EQ(vlapic_pending(&l), -1); /* 0x40 is below 0x50's class */
	CHECK_EQ(vlapic_eoi(&l, &level), 0x50);
	CHECK_EQ(level, 1);
	CHECK_EQ(vlapic_take_eoi(&l), 0x50); /* level: for the I/O APIC */
	CHECK_EQ(take(), 0x40);
	CHECK_EQ(vlapic_eoi(&l, &level), 0x40);
	CHECK_EQ(level, 0);
	CHECK_EQ(vlapic_take_eoi(&l), -1); /* edge: nothing to pass on */
	CHECK_EQ(take(), -1);
	CHECK_EQ(vlapic_eoi(&l, &level), -1); /* nothing in service */
	CHECK_EQ(level, 0);
	CHECK_EQ(vlapic_pending(&l), -1);
}

int main(void)
{
	RUN(reset_values);
	RUN(mmio_register_readback);
	RUN(mmio_read_only_and_reserved);
	RUN(x2apic_msr_readback);
	RUN(x2apic_msr_gp);
	RUN(x2apic_switch_rules);
	RUN(disable_resets_registers);
	RUN(x2apic_switch_keeps_state);
	RUN(tpr_ppr);
	RUN(priority_delivery);
	RUN(spurious_when_nothing_deliverable);
	RUN(eoi_nested_order);
	RUN(level_eoi_reported);
	RUN(illegal_vectors_and_esr);
	RUN(timer_oneshot_divides);
	RUN(timer_periodic);
	RUN(timer_current_count);
	RUN(timer_divide_change_keeps_count);
	RUN(timer_mode_switch_oneshot_periodic);
	RUN(tsc_deadline);
	RUN(tsc_deadline_only_in_its_mode);
	RUN(masked_timer_sets_no_irr);
	RUN(software_disable);
	RUN(ipi_xapic_modes);
	RUN(ipi_xapic_shorthands);
	RUN(ipi_x2apic);
	RUN(self_ipi_msr);
	RUN(match_dest);
	RUN(init_signal_keeps_mode_and_id);
	RUN(eoi_call_as_register);
	return TEST_END();
}
