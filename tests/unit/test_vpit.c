// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vpit.c: the 8254 timer as PC software uses it. */
#include <stdint.h>

#include "../drivers/virt/vpit.h"
#include "test.h"

enum { CH0 = 0x40, CH1 = 0x41, CH2 = 0x42, CTRL = 0x43, PORTB = 0x61 };

/* Control word fields (8254 datasheet, "Control Word Format"). */
#define SC(ch)	   ((ch) << 6)
#define RW_LSB	   0x10
#define RW_MSB	   0x20
#define RW_BOTH	   0x30
#define MODE(m)	   ((m) << 1)
#define BCD	   0x01
#define READ_BACK  0xc0
#define RB_NOCOUNT 0x20
#define RB_NOSTAT  0x10
#define RB_CH(ch)  (2 << (ch))
#define ST_OUT	   0x80
#define ST_NULL	   0x40
#define PB_GATE2   0x01
#define PB_SPEAKER 0x02
#define PB_REFRESH 0x10
#define PB_OUT2	   0x20

#define HZ100 11932u /* VPIT_HZ / 100, rounded */

static struct vpit t;

/* Control word for channel ch, LSB-then-MSB, then the count. */
static void program(unsigned ch, unsigned mode, uint16_t count, uint64_t now)
{
	vpit_write(&t, CTRL, (uint8_t)(SC(ch) | RW_BOTH | MODE(mode)), now);
	vpit_write(&t, (uint16_t)(CH0 + ch), (uint8_t)count, now);
	vpit_write(&t, (uint16_t)(CH0 + ch), (uint8_t)(count >> 8), now);
}

/* Two reads, LSB then MSB, both at now. */
static unsigned read16(unsigned ch, uint64_t now)
{
	unsigned lo = vpit_read(&t, (uint16_t)(CH0 + ch), now);
	return lo | (unsigned)vpit_read(&t, (uint16_t)(CH0 + ch), now) << 8;
}

static unsigned status(unsigned ch, uint64_t now)
{
	vpit_write(&t, CTRL, (uint8_t)(READ_BACK | RB_NOCOUNT | RB_CH(ch)),
		   now);
	return vpit_read(&t, (uint16_t)(CH0 + ch), now);
}

TEST(power_on_state)
{
	vpit_init(&t);
	for (unsigned ch = 0; ch < 3; ch++) {
		CHECK_EQ(vpit_out(&t, ch, 0), 0);
		CHECK_EQ(vpit_out(&t, ch, 1000000000), 0);
	}
	CHECK_EQ(vpit_out(&t, 3, 0), 0);
	CHECK_EQ(vpit_read(&t, CTRL, 0), 0xff); /* write-only */
	CHECK_EQ(vpit_read(&t, PORTB, 0), 0);	/* gate 2 low, OUT2 low */
	CHECK_EQ(vpit_irq0_edges(&t, 0, 1000000000), 0);
	CHECK_EQ(vpit_next_irq0(&t, 0), UINT64_MAX);
	CHECK_EQ(read16(0, 5000), 0);
}

TEST(unprogrammed_writes_ignored)
{
	vpit_init(&t);
	/* Counts, latch and read-back before any control word. */
	vpit_write(&t, CH0, 0x12, 10);
	vpit_write(&t, CH0, 0x34, 11);
	vpit_write(&t, CH0, 0x56, 12);
	vpit_write(&t, CH2, 0x01, 13);
	vpit_write(&t, CTRL, SC(0) | 0x00, 14); /* latch */
	vpit_write(&t, CTRL, READ_BACK | RB_NOSTAT | RB_CH(0) | RB_CH(2), 15);
	vpit_write(&t, 0x44, 0x99, 16); /* not ours */
	CHECK_EQ(vpit_read(&t, 0x44, 16), 0xff);
	CHECK_EQ(read16(0, 100000), 0);
	CHECK_EQ(vpit_out(&t, 0, 100000), 0);
	CHECK_EQ(vpit_out(&t, 2, 100000), 0);
	CHECK_EQ(vpit_irq0_edges(&t, 0, 100000), 0);
	CHECK_EQ(vpit_next_irq0(&t, 100000), UINT64_MAX);
	/* Then programming works from a clean state. */
	program(0, 2, 1000, 200000);
	CHECK_EQ(read16(0, 200010), 990);
	CHECK_EQ(vpit_next_irq0(&t, 200000), 201000);
}

TEST(mode2_100hz_one_edge_per_period)
{
	const uint64_t t0 = 123456789;

	vpit_init(&t);
	program(0, 2, HZ100, t0);
	uint64_t prev = t0;
	for (uint64_t k = 1; k <= 6000; k++) { /* one minute */
		uint64_t at = vpit_next_irq0(&t, prev);
		CHECK_EQ(at, t0 + k * HZ100);
		CHECK_EQ(vpit_irq0_edges(&t, prev, at - 1), 0);
		CHECK_EQ(vpit_irq0_edges(&t, at - 1, at), 1);
		CHECK_EQ(vpit_next_irq0(&t, at - 1), at);
		prev = at;
	}
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 6000 * HZ100), 6000);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 6000 * HZ100 - 1), 5999);
	/* Polling at an unrelated rate loses and duplicates nothing. */
	unsigned sum = 0;
	for (uint64_t now = t0; now < t0 + 6000 * HZ100; now += 7919)
		sum += vpit_irq0_edges(&t, now, now + 7919);
	CHECK_EQ(sum, 6000);
}

TEST(mode2_out_and_count)
{
	const uint64_t t0 = 1000;

	vpit_init(&t);
	program(0, 2, 100, t0);
	for (uint64_t e = 0; e < 300; e++) {
		CHECK_EQ(vpit_out(&t, 0, t0 + e), e % 100 != 99);
		CHECK_EQ(read16(0, t0 + e), 100 - e % 100); /* never 0 */
	}
}

TEST(mode3_even_square_wave)
{
	const uint64_t t0 = 777;
	unsigned high = 0;

	vpit_init(&t);
	program(0, 3, 1000, t0);
	for (uint64_t e = 0; e < 3000; e++) {
		int out = vpit_out(&t, 0, t0 + e);
		CHECK_EQ(out, e % 1000 < 500);
		high += (unsigned)out;
	}
	CHECK_EQ(high, 1500);
	CHECK_EQ(vpit_next_irq0(&t, t0), t0 + 1000);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 1000), t0 + 2000);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 999), 0);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 3000), 3);
	CHECK_EQ(vpit_irq0_edges(&t, t0 + 500, t0 + 1500), 1); /* not falls */
}

TEST(mode3_odd_square_wave)
{
	const uint64_t t0 = 5;

	/* Odd N: high (N + 1) / 2 ticks, low (N - 1) / 2. */
	vpit_init(&t);
	program(0, 3, 1001, t0);
	for (uint64_t e = 0; e < 3003; e++)
		CHECK_EQ(vpit_out(&t, 0, t0 + e), e % 1001 < 501);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 1), t0 + 1001);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 3003), 3);
	/* Count 3: high 2, low 1. */
	program(0, 3, 3, 100);
	CHECK_EQ(vpit_out(&t, 0, 100), 1);
	CHECK_EQ(vpit_out(&t, 0, 101), 1);
	CHECK_EQ(vpit_out(&t, 0, 102), 0);
	CHECK_EQ(vpit_out(&t, 0, 103), 1);
}

TEST(mode3_count_steps_by_two)
{
	static const unsigned even[] = {10, 8, 6, 4, 2, 10, 8, 6, 4, 2, 10};
	static const unsigned odd[] = {8, 6, 4, 2, 0, 8, 6, 4, 2, 8};

	vpit_init(&t);
	program(0, 3, 10, 50);
	for (unsigned e = 0; e < 11; e++)
		CHECK_EQ(read16(0, 50 + e), even[e]);
	/* Odd: N - 1 is loaded, so the count is always even. */
	program(0, 3, 9, 100);
	for (unsigned e = 0; e < 10; e++)
		CHECK_EQ(read16(0, 100 + e), odd[e]);
}

TEST(mode0_terminal_count)
{
	const uint64_t t0 = 4242;

	vpit_init(&t);
	program(0, 0, 500, t0);
	CHECK_EQ(vpit_out(&t, 0, t0), 0);
	CHECK_EQ(vpit_out(&t, 0, t0 + 499), 0);
	CHECK_EQ(vpit_out(&t, 0, t0 + 500), 1);
	CHECK_EQ(vpit_out(&t, 0, t0 + 1000000000000ull), 1); /* stays */
	CHECK_EQ(vpit_next_irq0(&t, t0), t0 + 500);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 499), t0 + 500);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 500), UINT64_MAX);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 499), 0);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 1000000000000ull), 1);
	CHECK_EQ(vpit_irq0_edges(&t, t0 + 500, t0 + 1000000000000ull), 0);
	/* The counter goes on through 0 and wraps. */
	CHECK_EQ(read16(0, t0 + 1), 499);
	CHECK_EQ(read16(0, t0 + 500), 0);
	CHECK_EQ(read16(0, t0 + 501), 0xffff);
	CHECK_EQ(read16(0, t0 + 500 + 65536), 0);
}

TEST(mode0_new_count)
{
	vpit_init(&t);
	program(0, 0, 100, 0);
	CHECK_EQ(vpit_out(&t, 0, 150), 1);
	/* The first byte stops counting and drops OUT at once. */
	vpit_write(&t, CH0, 200 & 0xff, 150);
	CHECK_EQ(vpit_out(&t, 0, 150), 0);
	CHECK_EQ(vpit_out(&t, 0, 10000), 0);
	CHECK_EQ(read16(0, 160), 0x10000 - 50);
	CHECK_EQ(read16(0, 9000), 0x10000 - 50); /* held */
	CHECK_EQ(vpit_next_irq0(&t, 9000), UINT64_MAX);
	/* The second byte starts the new count. */
	vpit_write(&t, CH0, 200 >> 8, 10000);
	CHECK_EQ(read16(0, 10000), 200);
	CHECK_EQ(vpit_out(&t, 0, 10199), 0);
	CHECK_EQ(vpit_out(&t, 0, 10200), 1);
	CHECK_EQ(vpit_irq0_edges(&t, 10000, 10200), 1);
	/* Single-byte access: each write restarts. */
	vpit_write(&t, CTRL, SC(0) | RW_LSB | MODE(0), 20000);
	vpit_write(&t, CH0, 30, 20000);
	CHECK_EQ(vpit_out(&t, 0, 20030), 1);
	vpit_write(&t, CH0, 40, 20100);
	CHECK_EQ(vpit_out(&t, 0, 20100), 0);
	CHECK_EQ(vpit_out(&t, 0, 20139), 0);
	CHECK_EQ(vpit_out(&t, 0, 20140), 1);
}

TEST(mode4_strobe)
{
	const uint64_t t0 = 600;

	vpit_init(&t);
	program(0, 4, 300, t0);
	CHECK_EQ(vpit_out(&t, 0, t0), 1);
	CHECK_EQ(vpit_out(&t, 0, t0 + 299), 1);
	CHECK_EQ(vpit_out(&t, 0, t0 + 300), 0); /* one tick low */
	CHECK_EQ(vpit_out(&t, 0, t0 + 301), 1);
	CHECK_EQ(vpit_out(&t, 0, t0 + 70000), 1); /* once only */
	CHECK_EQ(vpit_next_irq0(&t, t0), t0 + 301);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 301), UINT64_MAX);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 300), 0);
	CHECK_EQ(vpit_irq0_edges(&t, t0 + 300, t0 + 301), 1);
	CHECK_EQ(vpit_irq0_edges(&t, t0, t0 + 10000000), 1);
	/* A new count retriggers, as Linux's one-shot clockevent does. */
	program(0, 4, 300, 2000);
	vpit_write(&t, CH0, 50, 2100);
	CHECK_EQ(vpit_out(&t, 0, 2100), 1); /* first byte: no effect */
	CHECK_EQ(vpit_next_irq0(&t, 2100), 2301);
	vpit_write(&t, CH0, 0, 2100);
	CHECK_EQ(vpit_next_irq0(&t, 2100), 2151);
	CHECK_EQ(vpit_out(&t, 0, 2150), 0);
	CHECK_EQ(vpit_out(&t, 0, 2300), 1);
	CHECK_EQ(vpit_irq0_edges(&t, 2100, 3000), 1);
}

TEST(count_read_byte_order)
{
	vpit_init(&t);
	program(0, 2, 0x1234, 0);
	/* Unlatched, each byte is the count when it is read. */
	CHECK_EQ(vpit_read(&t, CH0, 0x10), 0x24);
	CHECK_EQ(vpit_read(&t, CH0, 0x240), 0x0f);
	CHECK_EQ(vpit_read(&t, CH0, 0x34), 0x00); /* LSB again */
	CHECK_EQ(vpit_read(&t, CH0, 0x34), 0x12);
	/* The count goes down with time. */
	unsigned last = 0x10000;
	for (uint64_t now = 0; now < 0x1234; now += 97) {
		unsigned v = read16(0, now);
		CHECK(v < last);
		CHECK_EQ(v, 0x1234 - now);
		last = v;
	}
	/* LSB only and MSB only, for reads and writes. */
	vpit_write(&t, CTRL, SC(0) | RW_LSB | MODE(2), 100);
	vpit_write(&t, CH0, 0xc8, 100);
	CHECK_EQ(vpit_read(&t, CH0, 110), 0xbe);
	CHECK_EQ(vpit_read(&t, CH0, 111), 0xbd);
	vpit_write(&t, CTRL, SC(0) | RW_MSB | MODE(2), 200);
	vpit_write(&t, CH0, 0x02, 200); /* 0x200 */
	CHECK_EQ(vpit_next_irq0(&t, 200), 200 + 0x200);
	CHECK_EQ(vpit_read(&t, CH0, 200 + 0x101), 0x00);
	CHECK_EQ(vpit_read(&t, CH0, 200 + 0xff), 0x01);
}

TEST(read_and_write_toggles_separate)
{
	vpit_init(&t);
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(2), 0);
	vpit_write(&t, CH0, 0x00, 0); /* LSB of 0x3000 */
	/* A read between the bytes takes the read toggle, not the write's. */
	vpit_read(&t, CH0, 1);
	vpit_write(&t, CH0, 0x30, 2); /* MSB */
	CHECK_EQ(vpit_next_irq0(&t, 2), 2 + 0x3000);
	CHECK_EQ(vpit_read(&t, CH0, 3), 0x2f); /* MSB: toggle was at MSB */
	CHECK_EQ(read16(0, 0x12), 0x3000 - 0x10);
}

TEST(latch_freezes_count)
{
	vpit_init(&t);
	program(0, 2, 40000, 0);
	vpit_write(&t, CTRL, SC(0), 100); /* counter latch command */
	CHECK_EQ(vpit_read(&t, CH0, 5000), (40000 - 100) & 0xff);
	vpit_write(&t, CTRL, SC(0), 6000); /* ignored: still latched */
	CHECK_EQ(vpit_read(&t, CH0, 7000), (40000 - 100) >> 8);
	/* Released once both bytes are read. */
	CHECK_EQ(read16(0, 8000), 40000 - 8000);
	vpit_write(&t, CTRL, SC(0), 9000);
	CHECK_EQ(read16(0, 12345), 40000 - 9000);
	/* A control word discards an unread latch. */
	vpit_write(&t, CTRL, SC(0), 13000);
	program(0, 2, 500, 14000);
	CHECK_EQ(read16(0, 14010), 490);
	/* Single-byte mode: one read releases it. */
	vpit_write(&t, CTRL, SC(0) | RW_LSB | MODE(2), 15000);
	vpit_write(&t, CH0, 200, 15000);
	vpit_write(&t, CTRL, SC(0), 15010);
	CHECK_EQ(vpit_read(&t, CH0, 15020), 190);
	CHECK_EQ(vpit_read(&t, CH0, 15020), 180);
}

TEST(read_back_status_and_count)
{
	vpit_init(&t);
	vpit_write(&t, PORTB, PB_GATE2, 0);
	vpit_write(&t, CTRL, SC(2) | RW_BOTH | MODE(0), 0);
	/* Null count until the count is written; mode 0 OUT starts low. */
	CHECK_EQ(status(2, 0), ST_NULL | RW_BOTH | MODE(0));
	vpit_write(&t, CH2, 1000 & 0xff, 10);
	vpit_write(&t, CH2, 1000 >> 8, 10);
	/* Status first, then the count, all as of the command. */
	vpit_write(&t, CTRL, READ_BACK | RB_CH(2), 20);
	CHECK_EQ(vpit_read(&t, CH2, 500), RW_BOTH | MODE(0));
	CHECK_EQ(read16(2, 600), 990);
	CHECK_EQ(read16(2, 600), 1000 - 590); /* then live again */
	CHECK_EQ(status(2, 1010), ST_OUT | RW_BOTH | MODE(0));
	/* A second status latch is ignored until the first is read. */
	vpit_write(&t, CTRL, SC(0) | RW_LSB | MODE(5) | BCD, 1100);
	vpit_write(&t, CTRL, READ_BACK | RB_NOCOUNT | RB_CH(0) | RB_CH(2),
		   1120);
	vpit_write(&t, CH2, 0, 1130); /* restarts: OUT2 low again */
	vpit_write(&t, CH2, 0, 1130);
	vpit_write(&t, CTRL, READ_BACK | RB_NOCOUNT | RB_CH(2), 1140);
	CHECK_EQ(vpit_read(&t, CH2, 1150), ST_OUT | RW_BOTH | MODE(0));
	CHECK_EQ(vpit_read(&t, CH0, 1150),
		 ST_OUT | ST_NULL | RW_LSB | MODE(5) | BCD);
	CHECK_EQ(status(2, 1160), RW_BOTH | MODE(0));
	/* Count only, from two counters at once. */
	program(1, 2, 300, 1200);
	vpit_write(&t, CTRL, READ_BACK | RB_NOSTAT | RB_CH(1) | RB_CH(2), 1300);
	CHECK_EQ(read16(1, 1350), 200);
	CHECK_EQ(read16(2, 1350), 0x10000 - 170);
}

TEST(mode2_new_count_at_end_of_period)
{
	vpit_init(&t);
	program(0, 2, 1000, 0);
	vpit_write(&t, CH0, 400 & 0xff, 300);
	vpit_write(&t, CH0, 400 >> 8, 300);
	CHECK_EQ(status(0, 301) & ST_NULL, ST_NULL);
	CHECK_EQ(read16(0, 500), 500); /* still the old count */
	CHECK_EQ(vpit_out(&t, 0, 999), 0);
	CHECK_EQ(vpit_next_irq0(&t, 300), 1000);
	CHECK_EQ(status(0, 1000) & ST_NULL, 0);
	CHECK_EQ(read16(0, 1000), 400);
	CHECK_EQ(vpit_next_irq0(&t, 1000), 1400);
	CHECK_EQ(vpit_out(&t, 0, 1399), 0);
	CHECK_EQ(vpit_out(&t, 0, 1398), 1);
	CHECK_EQ(vpit_irq0_edges(&t, 300, 1800), 3); /* 1000, 1400, 1800 */
	CHECK_EQ(vpit_irq0_edges(&t, 999, 1000), 1);
	CHECK_EQ(vpit_irq0_edges(&t, 1000, 1399), 0);
	/* Another count once the first is in: ends the 400-tick period. */
	vpit_write(&t, CH0, 100, 1500);
	vpit_write(&t, CH0, 0, 1500);
	CHECK_EQ(vpit_irq0_edges(&t, 1500, 1800), 1);
	CHECK_EQ(vpit_next_irq0(&t, 1800), 1900);
	CHECK_EQ(vpit_irq0_edges(&t, 1500, 2200), 5);
}

TEST(mode3_new_count_at_end_of_half_cycle)
{
	/* Written in the high half: the new count starts with its low half
	 * when the current high half ends. */
	vpit_init(&t);
	program(0, 3, 1000, 0);
	vpit_write(&t, CH0, 300 & 0xff, 100);
	vpit_write(&t, CH0, 300 >> 8, 100);
	CHECK_EQ(vpit_out(&t, 0, 499), 1);
	CHECK_EQ(vpit_out(&t, 0, 500), 0);
	CHECK_EQ(vpit_out(&t, 0, 649), 0);
	CHECK_EQ(vpit_out(&t, 0, 650), 1);
	CHECK_EQ(vpit_out(&t, 0, 799), 1);
	CHECK_EQ(vpit_out(&t, 0, 800), 0);
	CHECK_EQ(vpit_next_irq0(&t, 100), 650);
	CHECK_EQ(vpit_next_irq0(&t, 650), 950);
	CHECK_EQ(vpit_irq0_edges(&t, 100, 1250), 3); /* 650, 950, 1250 */
	/* Written in the low half: it ends (a rising edge), then the new
	 * count starts high. */
	program(0, 3, 1000, 10000);
	vpit_write(&t, CH0, 300 & 0xff, 10700);
	vpit_write(&t, CH0, 300 >> 8, 10700);
	CHECK_EQ(vpit_out(&t, 0, 10999), 0);
	CHECK_EQ(vpit_next_irq0(&t, 10700), 11000);
	CHECK_EQ(vpit_out(&t, 0, 11149), 1);
	CHECK_EQ(vpit_out(&t, 0, 11150), 0);
	CHECK_EQ(vpit_next_irq0(&t, 11000), 11300);
	CHECK_EQ(vpit_irq0_edges(&t, 10700, 11300), 2);
}

TEST(port61_bits)
{
	vpit_init(&t);
	vpit_write(&t, PORTB, PB_GATE2 | PB_SPEAKER, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 0), PB_GATE2 | PB_SPEAKER);
	vpit_write(&t, PORTB, PB_SPEAKER, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 0), PB_SPEAKER);
	/* Only bits 0 and 1 are writable; OUT2 (bit 5) is read-only. */
	vpit_write(&t, PORTB, 0xfc, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 0), 0);
	program(2, 2, 100, 0); /* mode 2: OUT2 high */
	CHECK_EQ(vpit_read(&t, PORTB, 0), PB_OUT2);
	vpit_write(&t, PORTB, 0xfe, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 0), PB_OUT2 | PB_SPEAKER);
	/* Bit 4 flips every 18 ticks. */
	CHECK_EQ(vpit_read(&t, PORTB, 17) & PB_REFRESH, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 18) & PB_REFRESH, PB_REFRESH);
	CHECK_EQ(vpit_read(&t, PORTB, 35) & PB_REFRESH, PB_REFRESH);
	CHECK_EQ(vpit_read(&t, PORTB, 36) & PB_REFRESH, 0);
}

/* Linux's pit_calibrate_tsc(): gate on, speaker off, channel 2 in mode
 * 0, poll OUT2. */
static int calibrate(uint64_t t0, uint16_t latch, uint64_t *rose)
{
	uint8_t b = vpit_read(&t, PORTB, t0);
	vpit_write(&t, PORTB, (uint8_t)((b & ~PB_SPEAKER) | PB_GATE2), t0);
	vpit_write(&t, CTRL, 0xb0, t0);
	vpit_write(&t, CH2, (uint8_t)latch, t0);
	vpit_write(&t, CH2, (uint8_t)(latch >> 8), t0);
	for (uint64_t now = t0; now < t0 + 200000; now += 37) {
		if (vpit_read(&t, PORTB, now) & PB_OUT2) {
			*rose = now;
			return 1;
		}
	}
	return 0;
}

TEST(linux_tsc_calibration)
{
	const uint16_t latch = VPIT_HZ / 20; /* 50 ms */
	uint64_t rose = 0;

	vpit_init(&t);
	CHECK(calibrate(1000, latch, &rose));
	CHECK(rose >= 1000 + latch && rose < 1000 + latch + 37);
	CHECK_EQ(vpit_read(&t, PORTB, 1000 + latch - 1) & PB_OUT2, 0);
	CHECK_EQ(vpit_read(&t, PORTB, 1000 + latch) & PB_OUT2, PB_OUT2);
	/* Again at a later time: the new control word drops OUT2. */
	CHECK(calibrate(500000, latch, &rose));
	CHECK(rose >= 500000 + latch && rose < 500000 + latch + 37);
	/* quick_pit_calibrate(): count 0xffff, unlatched MSB reads. */
	vpit_write(&t, CTRL, 0xb0, 1000000);
	vpit_write(&t, CH2, 0xff, 1000000);
	vpit_write(&t, CH2, 0xff, 1000000);
	for (unsigned k = 1; k < 200; k++) {
		uint64_t now = 1000000 + 256 * k;
		vpit_read(&t, CH2, now);
		CHECK_EQ(vpit_read(&t, CH2, now), 0xff - k);
	}
	/* Without the gate it never fires. */
	vpit_write(&t, PORTB, 0, 2000000);
	vpit_write(&t, CTRL, 0xb0, 2000000);
	vpit_write(&t, CH2, 10, 2000000);
	vpit_write(&t, CH2, 0, 2000000);
	CHECK_EQ(vpit_read(&t, PORTB, 9000000) & PB_OUT2, 0);
}

TEST(gate2_holds_mode0_and_mode4)
{
	vpit_init(&t);
	vpit_write(&t, PORTB, PB_GATE2, 0);
	program(2, 0, 1000, 0);
	vpit_write(&t, PORTB, 0, 300);
	CHECK_EQ(read16(2, 5000), 700);
	CHECK_EQ(vpit_out(&t, 2, 5000), 0);
	vpit_write(&t, PORTB, PB_GATE2, 6000);
	CHECK_EQ(read16(2, 6100), 600);
	CHECK_EQ(vpit_out(&t, 2, 6699), 0);
	CHECK_EQ(vpit_out(&t, 2, 6700), 1);
	/* Loaded with the gate low: waits for it. */
	vpit_write(&t, PORTB, 0, 7000);
	program(2, 4, 50, 7000);
	CHECK_EQ(vpit_out(&t, 2, 9000), 1);
	CHECK_EQ(read16(2, 9000), 50);
	vpit_write(&t, PORTB, PB_GATE2, 10000);
	CHECK_EQ(vpit_out(&t, 2, 10049), 1);
	CHECK_EQ(vpit_out(&t, 2, 10050), 0);
	CHECK_EQ(vpit_out(&t, 2, 10051), 1);
}

TEST(gate2_restarts_mode2_and_mode3)
{
	vpit_init(&t);
	vpit_write(&t, PORTB, PB_GATE2, 0);
	program(2, 2, 100, 0);
	CHECK_EQ(vpit_out(&t, 2, 99), 0);
	vpit_write(&t, PORTB, 0, 99); /* forces OUT high at once */
	CHECK_EQ(vpit_out(&t, 2, 99), 1);
	CHECK_EQ(read16(2, 400), 1); /* held */
	CHECK_EQ(vpit_out(&t, 2, 400), 1);
	vpit_write(&t, PORTB, PB_GATE2, 500); /* reloads */
	CHECK_EQ(read16(2, 500), 100);
	CHECK_EQ(vpit_out(&t, 2, 598), 1);
	CHECK_EQ(vpit_out(&t, 2, 599), 0);
	CHECK_EQ(vpit_out(&t, 2, 600), 1);
	/* A count written while the gate is low loads on its rise. */
	vpit_write(&t, PORTB, 0, 700);
	vpit_write(&t, CH2, 40, 710);
	vpit_write(&t, CH2, 0, 710);
	CHECK_EQ(status(2, 720) & ST_NULL, ST_NULL);
	vpit_write(&t, PORTB, PB_GATE2, 800);
	CHECK_EQ(status(2, 800) & ST_NULL, 0);
	CHECK_EQ(vpit_out(&t, 2, 839), 0);
	CHECK_EQ(vpit_out(&t, 2, 840), 1);
	/* Mode 3 low half, gate low: OUT high; rise restarts high. */
	program(2, 3, 100, 1000);
	CHECK_EQ(vpit_out(&t, 2, 1060), 0);
	vpit_write(&t, PORTB, 0, 1060);
	CHECK_EQ(vpit_out(&t, 2, 1060), 1);
	vpit_write(&t, PORTB, PB_GATE2, 2000);
	CHECK_EQ(vpit_out(&t, 2, 2049), 1);
	CHECK_EQ(vpit_out(&t, 2, 2050), 0);
	CHECK_EQ(vpit_out(&t, 2, 2100), 1);
}

TEST(modes1_and_5_gate_triggered)
{
	vpit_init(&t);
	program(2, 1, 100, 0);
	CHECK_EQ(vpit_out(&t, 2, 5000), 1); /* waits for a trigger */
	CHECK_EQ(status(2, 5000) & ST_NULL, ST_NULL);
	vpit_write(&t, PORTB, PB_GATE2, 10000);
	CHECK_EQ(vpit_out(&t, 2, 10000), 0);
	CHECK_EQ(vpit_out(&t, 2, 10099), 0);
	CHECK_EQ(vpit_out(&t, 2, 10100), 1);
	/* Retriggerable; a new count waits for the next trigger. */
	vpit_write(&t, CH2, 10, 20000);
	vpit_write(&t, CH2, 0, 20000);
	vpit_write(&t, PORTB, 0, 20000);
	vpit_write(&t, PORTB, PB_GATE2, 20005);
	CHECK_EQ(vpit_out(&t, 2, 20014), 0);
	CHECK_EQ(vpit_out(&t, 2, 20015), 1);
	/* Mode 5: a strobe N ticks after the trigger. */
	vpit_write(&t, PORTB, 0, 30000);
	program(2, 5, 20, 30000);
	vpit_write(&t, PORTB, PB_GATE2, 30100);
	CHECK_EQ(vpit_out(&t, 2, 30119), 1);
	CHECK_EQ(vpit_out(&t, 2, 30120), 0);
	CHECK_EQ(vpit_out(&t, 2, 30121), 1);
	/* Channel 0's gate is tied high: no rising edge ever comes. */
	program(0, 1, 20, 40000);
	CHECK_EQ(vpit_out(&t, 0, 100000), 1);
	CHECK_EQ(vpit_next_irq0(&t, 40000), UINT64_MAX);
}

TEST(channel1_gate_tied_high)
{
	vpit_init(&t);
	program(1, 2, 18, 100);
	CHECK_EQ(vpit_out(&t, 1, 116), 1);
	CHECK_EQ(vpit_out(&t, 1, 117), 0);
	CHECK_EQ(read16(1, 105), 13);
	CHECK_EQ(vpit_irq0_edges(&t, 0, 100000), 0); /* not IRQ 0 */
	CHECK_EQ(vpit_out(&t, 0, 117), 0);
}

TEST(control_word_resets_channel)
{
	vpit_init(&t);
	program(0, 0, 10, 0);
	CHECK_EQ(vpit_out(&t, 0, 20), 1);
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(0), 30);
	CHECK_EQ(vpit_out(&t, 0, 30), 0);
	CHECK_EQ(vpit_out(&t, 0, 100000), 0); /* no count: no counting */
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(2), 40);
	CHECK_EQ(vpit_out(&t, 0, 40), 1);
	CHECK_EQ(vpit_irq0_edges(&t, 40, 1000000), 0);
	CHECK_EQ(vpit_next_irq0(&t, 40), UINT64_MAX);
	/* Mode bits 6 and 7 are modes 2 and 3; status shows them as written.
	 */
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(6), 50);
	vpit_write(&t, CH0, 10, 50);
	vpit_write(&t, CH0, 0, 50);
	CHECK_EQ(vpit_out(&t, 0, 59), 0);
	CHECK_EQ(status(0, 60), ST_OUT | RW_BOTH | MODE(6));
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(7), 100);
	vpit_write(&t, CH0, 10, 100);
	vpit_write(&t, CH0, 0, 100);
	CHECK_EQ(vpit_out(&t, 0, 104), 1);
	CHECK_EQ(vpit_out(&t, 0, 105), 0);
}

TEST(count_zero_is_65536)
{
	vpit_init(&t);
	program(0, 2, 0, 1000);
	CHECK_EQ(read16(0, 1000), 0);
	CHECK_EQ(read16(0, 1001), 0xffff);
	CHECK_EQ(vpit_next_irq0(&t, 1000), 1000 + 65536);
	CHECK_EQ(vpit_irq0_edges(&t, 1000, 1000 + 10 * 65536), 10);
	const uint64_t t1 = 1000000;
	program(0, 0, 0, t1);
	CHECK_EQ(vpit_out(&t, 0, t1 + 65535), 0);
	CHECK_EQ(vpit_out(&t, 0, t1 + 65536), 1);
	program(0, 3, 0, 2 * t1);
	CHECK_EQ(vpit_out(&t, 0, 2 * t1 + 32767), 1);
	CHECK_EQ(vpit_out(&t, 0, 2 * t1 + 32768), 0);
	/* One byte of 0 is 65536 too. */
	vpit_write(&t, CTRL, SC(0) | RW_LSB | MODE(2), 3 * t1);
	vpit_write(&t, CH0, 0, 3 * t1);
	CHECK_EQ(vpit_next_irq0(&t, 3 * t1), 3 * t1 + 65536);
}

TEST(bcd_counting)
{
	vpit_init(&t);
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(2) | BCD, 0);
	vpit_write(&t, CH0, 0x00, 0);
	vpit_write(&t, CH0, 0x10, 0); /* 1000 */
	CHECK_EQ(vpit_next_irq0(&t, 0), 1000);
	CHECK_EQ(read16(0, 1), 0x0999);
	CHECK_EQ(read16(0, 988), 0x0012);
	/* 0 is 10000 in BCD. */
	vpit_write(&t, CTRL, SC(0) | RW_BOTH | MODE(0) | BCD, 2000);
	vpit_write(&t, CH0, 0, 2000);
	vpit_write(&t, CH0, 0, 2000);
	CHECK_EQ(read16(0, 2001), 0x9999);
	CHECK_EQ(vpit_out(&t, 0, 2000 + 9999), 0);
	CHECK_EQ(vpit_out(&t, 0, 2000 + 10000), 1);
	CHECK_EQ(read16(0, 2000 + 10001), 0x9999); /* wraps in decades */
}

TEST(huge_now_does_not_overflow)
{
	const uint64_t t0 = UINT64_MAX - 3 * HZ100 - 5;

	vpit_init(&t);
	/* Running since tick 0: a count of 2 has about 2^63 edges. */
	program(0, 2, 2, 0);
	CHECK_EQ(vpit_irq0_edges(&t, 0, UINT64_MAX), ~0u);
	CHECK_EQ(read16(0, UINT64_MAX - 2), 1); /* odd: mid-period */
	CHECK_EQ(vpit_next_irq0(&t, UINT64_MAX - 2), UINT64_MAX - 1);
	CHECK_EQ(vpit_next_irq0(&t, UINT64_MAX - 1), UINT64_MAX);
	program(0, 2, HZ100, t0);
	CHECK_EQ(vpit_next_irq0(&t, t0), t0 + HZ100);
	CHECK_EQ(vpit_irq0_edges(&t, t0, UINT64_MAX), 3);
	CHECK_EQ(vpit_next_irq0(&t, t0 + 3 * HZ100), UINT64_MAX);
	CHECK_EQ(read16(0, UINT64_MAX), HZ100 - 5);
	CHECK_EQ(vpit_out(&t, 0, t0 + 3 * HZ100 - 1), 0);
	/* Mode 0 whose terminal count would come after 2^64. */
	program(0, 0, 100, UINT64_MAX - 50);
	CHECK_EQ(vpit_next_irq0(&t, UINT64_MAX - 50), UINT64_MAX);
	CHECK_EQ(vpit_out(&t, 0, UINT64_MAX), 0);
	/* Mode 3 with a count whose half-cycle switch is near the end. */
	program(0, 3, 1000, UINT64_MAX - 10000);
	vpit_write(&t, CH0, 0x10, UINT64_MAX - 9900);
	vpit_write(&t, CH0, 0x00, UINT64_MAX - 9900);
	CHECK_EQ(vpit_out(&t, 0, UINT64_MAX - 9500), 0);
	CHECK_EQ(vpit_next_irq0(&t, UINT64_MAX - 9900), UINT64_MAX - 9492);
}

int main(void)
{
	RUN(power_on_state);
	RUN(unprogrammed_writes_ignored);
	RUN(mode2_100hz_one_edge_per_period);
	RUN(mode2_out_and_count);
	RUN(mode3_even_square_wave);
	RUN(mode3_odd_square_wave);
	RUN(mode3_count_steps_by_two);
	RUN(mode0_terminal_count);
	RUN(mode0_new_count);
	RUN(mode4_strobe);
	RUN(count_read_byte_order);
	RUN(read_and_write_toggles_separate);
	RUN(latch_freezes_count);
	RUN(read_back_status_and_count);
	RUN(mode2_new_count_at_end_of_period);
	RUN(mode3_new_count_at_end_of_half_cycle);
	RUN(port61_bits);
	RUN(linux_tsc_calibration);
	RUN(gate2_holds_mode0_and_mode4);
	RUN(gate2_restarts_mode2_and_mode3);
	RUN(modes1_and_5_gate_triggered);
	RUN(channel1_gate_tied_high);
	RUN(control_word_resets_channel);
	RUN(count_zero_is_65536);
	RUN(bcd_counting);
	RUN(huge_now_does_not_overflow);
	return TEST_END();
}
