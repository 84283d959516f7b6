// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vioapic.c: the I/O APIC as a guest programs it. */
#include <stdint.h>

#include "../drivers/virt/vioapic.h"
#include "test.h"

/* Register indexes and entry bits as a guest writes them (82093AA
 * datasheet, "IOAPIC Registers" and "IOREDTBL[23:0]"). */
#define SEL	     0x00
#define WIN	     0x10
#define IDX_ID	     0x00
#define IDX_VER	     0x01
#define IDX_ARB	     0x02
#define LOWEST	     (1u << 8)
#define NMI	     (4u << 8)
#define LOGICAL	     (1u << 11)
#define STATUS	     (1u << 12)
#define ACTIVE_LOW   (1u << 13)
#define REMOTE_IRR   (1u << 14)
#define LEVEL	     (1u << 15)
#define MASKED	     (1u << 16)
#define DEST(n)	     ((uint32_t)(n) << 24)
#define MAX_MSGS     8
#define IOAPIC_ID    5
#define VERSION_WORD 0x00170011u /* 23 entries after the first; 0x11 */

static struct vioapic a;

/* What the local APIC side was handed. */
struct recorder {
	int count;
	int bad_ctx;
	struct vioapic_msg msg[MAX_MSGS];
};

static struct recorder got;

static void record(void *ctx, const struct vioapic_msg *m)
{
	struct recorder *r = ctx;

	if (r != &got) {
		got.bad_ctx = 1;
		r = &got;
	}
	if (r->count < MAX_MSGS)
		r->msg[r->count] = *m;
	r->count++;
}

static void start(void)
{
	memset(&got, 0, sizeof(got));
	vioapic_init(&a, IOAPIC_ID, record, &got);
}

static uint32_t reg(unsigned idx)
{
	vioapic_write(&a, SEL, idx);
	return vioapic_read(&a, WIN);
}

static void set_reg(unsigned idx, uint32_t val)
{
	vioapic_write(&a, SEL, idx);
	vioapic_write(&a, WIN, val);
}

static uint32_t low(unsigned pin)
{
	return reg(0x10 + 2 * pin);
}

static void program(unsigned pin, uint32_t lo, uint32_t hi)
{
	set_reg(0x11 + 2 * pin, hi);
	set_reg(0x10 + 2 * pin, lo);
}

static void pulse(unsigned pin)
{
	vioapic_set_irq(&a, pin, 1);
	vioapic_set_irq(&a, pin, 0);
}

TEST(id_version_arbitration)
{
	start();
	CHECK_EQ(reg(IDX_ID), IOAPIC_ID << 24);
	CHECK_EQ(reg(IDX_VER), VERSION_WORD);
	CHECK_EQ(reg(IDX_ARB), IOAPIC_ID << 24);
	CHECK_EQ(vioapic_read(&a, SEL), IDX_ARB);
	set_reg(IDX_ID, 0xffffffff); /* only bits 27-24 exist */
	CHECK_EQ(reg(IDX_ID), 0x0f000000);
	CHECK_EQ(reg(IDX_ARB), 0x0f000000);
	set_reg(IDX_VER, 0);
	set_reg(IDX_ARB, 0);
	CHECK_EQ(reg(IDX_VER), VERSION_WORD);
	CHECK_EQ(reg(IDX_ARB), 0x0f000000);
	vioapic_write(&a, SEL, 0x1234); /* IOREGSEL keeps 8 bits */
	CHECK_EQ(vioapic_read(&a, SEL), 0x34);
	vioapic_init(&a, 0x13, record, &got);
	CHECK_EQ(reg(IDX_ID), 0x03000000);
}

TEST(reset_masks_every_entry)
{
	start();
	program(4, LEVEL | 0x44, DEST(1));
	vioapic_set_irq(&a, 4, 1);
	CHECK_EQ(got.count, 1);
	start();
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		CHECK_EQ(low(pin), MASKED);
		CHECK_EQ(reg(0x11 + 2 * pin), 0);
	}
	set_reg(0x18, LEVEL | 0x44); /* init dropped the line too */
	CHECK_EQ(got.count, 0);
}

TEST(entry_readback_and_read_only_bits)
{
	start();
	set_reg(0x3e, 0xffffffff); /* pin 23; delivery 7 (ExtINT) acts edge */
	set_reg(0x3f, 0xffffffff);
	CHECK_EQ(reg(0x3e), 0x0001afff);
	CHECK_EQ(reg(0x3f), 0xff000000);
	CHECK_EQ(low(22), MASKED);
	program(0, MASKED | LEVEL | LOGICAL | ACTIVE_LOW | LOWEST | 0x5a,
		DEST(0xa5));
	CHECK_EQ(low(0), MASKED | LEVEL | LOGICAL | ACTIVE_LOW | LOWEST | 0x5a);
	CHECK_EQ(reg(0x11), DEST(0xa5));
	/* Line low and active-low: unmasking delivers and sets remote IRR;
	 * a write with bit 14 clear (and bit 12 set) changes neither. */
	set_reg(0x10, LEVEL | LOGICAL | ACTIVE_LOW | LOWEST | 0x5a);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(low(0),
		 LEVEL | REMOTE_IRR | LOGICAL | ACTIVE_LOW | LOWEST | 0x5a);
	set_reg(0x10, LEVEL | STATUS | 0x5b);
	CHECK_EQ(low(0), LEVEL | REMOTE_IRR | 0x5b);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(reg(0x11), DEST(0xa5)); /* the low write kept the high half */
}

TEST(masked_pins_deliver_nothing)
{
	start();
	program(1, MASKED | 0x31, 0);
	program(2, MASKED | LEVEL | 0x32, 0);
	pulse(1);
	vioapic_set_irq(&a, 2, 1);
	vioapic_eoi(&a, 0x32);
	CHECK_EQ(got.count, 0);
	CHECK_EQ(low(2), MASKED | LEVEL | 0x32);
	pulse(3); /* still masked since reset */
	CHECK_EQ(got.count, 0);
}

TEST(edge_delivers_once_per_rising_edge)
{
	start();
	program(3, LOWEST | LOGICAL | 0x41, DEST(0x0f));
	vioapic_set_irq(&a, 3, 1);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.bad_ctx, 0);
	CHECK_EQ(got.msg[0].vector, 0x41);
	CHECK_EQ(got.msg[0].delivery, 1);
	CHECK_EQ(got.msg[0].dest_mode, 1);
	CHECK_EQ(got.msg[0].dest, 0x0f);
	CHECK_EQ(got.msg[0].level, 0);
	CHECK_EQ(low(3), LOWEST | LOGICAL | 0x41); /* no remote IRR */
	vioapic_set_irq(&a, 3, 1);
	vioapic_set_irq(&a, 3, 0);
	CHECK_EQ(got.count, 1);
	vioapic_set_irq(&a, 3, 1);
	CHECK_EQ(got.count, 2);
	program(3, 0x42, DEST(2)); /* fixed, physical */
	pulse(3);
	CHECK_EQ(got.count, 2); /* the line was already high */
	pulse(3);
	CHECK_EQ(got.count, 3);
	CHECK_EQ(got.msg[2].vector, 0x42);
	CHECK_EQ(got.msg[2].delivery, 0);
	CHECK_EQ(got.msg[2].dest_mode, 0);
	CHECK_EQ(got.msg[2].dest, 2);
}

TEST(each_pin_uses_its_own_entry)
{
	start();
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		program(pin, 0x30 + pin, DEST(pin));
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		got.count = 0;
		pulse(pin);
		CHECK_EQ(got.count, 1);
		CHECK_EQ(got.msg[0].vector, 0x30 + pin);
		CHECK_EQ(got.msg[0].dest, pin);
	}
}

TEST(edge_while_masked_is_lost)
{
	start();
	program(5, MASKED | 0x50, 0);
	vioapic_set_irq(&a, 5, 1);
	set_reg(0x1a, 0x50);
	CHECK_EQ(got.count, 0);
	vioapic_set_irq(&a, 5, 0);
	vioapic_set_irq(&a, 5, 1);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.msg[0].vector, 0x50);
}

TEST(active_low_edge)
{
	start();
	vioapic_set_irq(&a, 6, 1); /* idle high before the guest looks */
	program(6, ACTIVE_LOW | 0x60, 0);
	CHECK_EQ(got.count, 0);
	vioapic_set_irq(&a, 6, 1);
	CHECK_EQ(got.count, 0);
	vioapic_set_irq(&a, 6, 0);
	CHECK_EQ(got.count, 1);
	vioapic_set_irq(&a, 6, 1);
	CHECK_EQ(got.count, 1);
	vioapic_set_irq(&a, 6, 0);
	CHECK_EQ(got.count, 2);
}

TEST(active_low_level)
{
	start();
	vioapic_set_irq(&a, 7, 1);
	program(7, ACTIVE_LOW | LEVEL | 0x70, 0);
	CHECK_EQ(got.count, 0);
	vioapic_set_irq(&a, 7, 0);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.msg[0].level, 1);
	vioapic_set_irq(&a, 7, 1);
	vioapic_eoi(&a, 0x70);
	CHECK_EQ(got.count, 1); /* deasserted (high) at the EOI */
	vioapic_set_irq(&a, 7, 0);
	CHECK_EQ(got.count, 2);
}

TEST(level_sets_remote_irr)
{
	start();
	program(8, LEVEL | 0x80, DEST(3));
	vioapic_set_irq(&a, 8, 1);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.msg[0].vector, 0x80);
	CHECK_EQ(got.msg[0].dest, 3);
	CHECK_EQ(got.msg[0].level, 1);
	CHECK_EQ(low(8), LEVEL | REMOTE_IRR | 0x80);
	vioapic_set_irq(&a, 8, 1);
	pulse(8);
	vioapic_set_irq(&a, 8, 1);
	CHECK_EQ(got.count, 1); /* no second message before the EOI */
	vioapic_set_irq(&a, 8, 0);
	CHECK_EQ(low(8), LEVEL | REMOTE_IRR | 0x80);
}

TEST(eoi_redelivers_while_asserted)
{
	start();
	program(9, LEVEL | 0x90, 0);
	vioapic_set_irq(&a, 9, 1);
	vioapic_eoi(&a, 0x90);
	CHECK_EQ(got.count, 2);
	CHECK_EQ(got.msg[1].vector, 0x90);
	CHECK_EQ(low(9), LEVEL | REMOTE_IRR | 0x90);
	vioapic_set_irq(&a, 9, 0);
	vioapic_eoi(&a, 0x90);
	CHECK_EQ(got.count, 2);
	CHECK_EQ(low(9), LEVEL | 0x90);
	vioapic_set_irq(&a, 9, 1);
	CHECK_EQ(got.count, 3);
}

TEST(eoi_for_another_vector_does_nothing)
{
	start();
	program(10, LEVEL | 0xa0, 0);
	program(11, LEVEL | 0xa1, 0);
	vioapic_set_irq(&a, 10, 1);
	vioapic_set_irq(&a, 11, 1);
	vioapic_eoi(&a, 0xa2);
	CHECK_EQ(got.count, 2);
	CHECK_EQ(low(10), LEVEL | REMOTE_IRR | 0xa0);
	vioapic_eoi(&a, 0xa1);
	CHECK_EQ(got.count, 3);
	CHECK_EQ(got.msg[2].vector, 0xa1);
	CHECK_EQ(low(10), LEVEL | REMOTE_IRR | 0xa0);
}

TEST(eoi_clears_every_entry_with_the_vector)
{
	start();
	program(12, LEVEL | 0xb0, 0);
	program(13, LEVEL | 0xb0, 0);
	vioapic_set_irq(&a, 12, 1);
	vioapic_set_irq(&a, 13, 1);
	vioapic_set_irq(&a, 12, 0);
	vioapic_set_irq(&a, 13, 0);
	vioapic_eoi(&a, 0xb0);
	CHECK_EQ(low(12), LEVEL | 0xb0);
	CHECK_EQ(low(13), LEVEL | 0xb0);
}

TEST(unmask_asserted_level_delivers)
{
	start();
	program(14, MASKED | LEVEL | 0xc0, DEST(4));
	vioapic_set_irq(&a, 14, 1);
	CHECK_EQ(got.count, 0);
	set_reg(0x2c, LEVEL | 0xc0);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.msg[0].dest, 4);
	/* Remote IRR set: masking and unmasking again sends nothing. */
	set_reg(0x2c, MASKED | LEVEL | 0xc0);
	set_reg(0x2c, LEVEL | 0xc0);
	CHECK_EQ(got.count, 1);
	/* An EOI while masked clears remote IRR but sends nothing... */
	set_reg(0x2c, MASKED | LEVEL | 0xc0);
	vioapic_eoi(&a, 0xc0);
	CHECK_EQ(got.count, 1);
	/* ...until the unmask. */
	set_reg(0x2c, LEVEL | 0xc0);
	CHECK_EQ(got.count, 2);
}

/* Linux's way to unstick a version 0x11 I/O APIC: edge, then level. */
TEST(edge_trigger_clears_remote_irr)
{
	start();
	program(15, LEVEL | 0xd0, 0);
	vioapic_set_irq(&a, 15, 1);
	set_reg(0x2e, MASKED | 0xd0);
	CHECK_EQ(low(15), MASKED | 0xd0);
	set_reg(0x2e, MASKED | LEVEL | 0xd0);
	CHECK_EQ(low(15), MASKED | LEVEL | 0xd0);
	set_reg(0x2e, LEVEL | 0xd0);
	CHECK_EQ(got.count, 2);
	/* Made edge while asserted: no edge, no message. */
	set_reg(0x2e, 0xd0);
	CHECK_EQ(got.count, 2);
}

/* The datasheet treats NMI as edge whatever the trigger bit says. */
TEST(nmi_programmed_level_acts_edge)
{
	start();
	program(16, NMI | LEVEL, DEST(0xff));
	vioapic_set_irq(&a, 16, 1);
	CHECK_EQ(got.count, 1);
	CHECK_EQ(got.msg[0].delivery, 4);
	CHECK_EQ(got.msg[0].level, 0);
	CHECK_EQ(low(16), NMI | LEVEL);
	pulse(16);
	CHECK_EQ(got.count, 1); /* still high: not an edge */
	vioapic_set_irq(&a, 16, 1);
	CHECK_EQ(got.count, 2); /* no EOI was needed */
}

/* Every register index as the guest reads it, and IOREGSEL. */
static void snapshot(uint32_t *regs)
{
	uint32_t sel = vioapic_read(&a, SEL);

	for (unsigned idx = 0; idx < 256; idx++)
		regs[idx] = reg(idx);
	vioapic_write(&a, SEL, sel);
	regs[256] = sel;
}

TEST(out_of_range_pins_and_offsets_ignored)
{
	static uint32_t before[257], after[257];
	static const unsigned pins[] = {24, 31, 32, 255, 100000};
	static const uint64_t offsets[] = {0x04,	   0x0c,	  0x14,
					   0x20,	   0x40,	  0xfff,
					   0x100000000ull, 0x100000010ull};

	start();
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++)
		program(pin, 0x20 + pin, 0);
	for (unsigned i = 0; i < sizeof(pins) / sizeof(pins[0]); i++)
		pulse(pins[i]);
	CHECK_EQ(got.count, 0);
	vioapic_write(&a, SEL, 0x10);
	snapshot(before);
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		CHECK_EQ(vioapic_read(&a, offsets[i]), 0);
		vioapic_write(&a, offsets[i], 0xffffffff);
	}
	for (unsigned idx = 0x03; idx < 0x10; idx++)
		set_reg(idx, 0xffffffff);
	for (unsigned idx = 0x40; idx < 0x100; idx++)
		set_reg(idx, 0xffffffff);
	vioapic_write(&a, SEL, 0x10);
	snapshot(after);
	CHECK(memcmp(before, after, sizeof(before)) == 0);
	for (unsigned idx = 0x03; idx < 0x10; idx++)
		CHECK_EQ(after[idx], 0);
	for (unsigned idx = 0x40; idx < 0x100; idx++)
		CHECK_EQ(after[idx], 0);
	CHECK_EQ(got.count, 0);
}

int main(void)
{
	RUN(id_version_arbitration);
	RUN(reset_masks_every_entry);
	RUN(entry_readback_and_read_only_bits);
	RUN(masked_pins_deliver_nothing);
	RUN(edge_delivers_once_per_rising_edge);
	RUN(each_pin_uses_its_own_entry);
	RUN(edge_while_masked_is_lost);
	RUN(active_low_edge);
	RUN(active_low_level);
	RUN(level_sets_remote_irr);
	RUN(eoi_redelivers_while_asserted);
	RUN(eoi_for_another_vector_does_nothing);
	RUN(eoi_clears_every_entry_with_the_vector);
	RUN(unmask_asserted_level_delivers);
	RUN(edge_trigger_clears_remote_irr);
	RUN(nmi_programmed_level_acts_edge);
	RUN(out_of_range_pins_and_offsets_ignored);
	return TEST_END();
}
