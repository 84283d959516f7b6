// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vrtc.c: the MC146818A clock as PC software uses it. */
#include <stdint.h>

#include "../drivers/virt/vrtc.h"
#include "test.h"

enum { IDX = 0x70, DATA = 0x71 };

/* Register indices and bits (MC146818A datasheet). */
enum {
	SEC = 0x00,
	SEC_AL,
	MIN,
	MIN_AL,
	HOUR,
	HOUR_AL,
	DOW,
	DAY,
	MON,
	YEAR,
	RA,
	RB,
	RC,
	RD,
	CENTURY = 0x32
};
#define A_UIP  0x80
#define B_SET  0x80
#define B_PIE  0x40
#define B_AIE  0x20
#define B_UIE  0x10
#define B_DM   0x04
#define B_24H  0x02
#define C_IRQF 0x80
#define C_PF   0x40
#define C_AF   0x20
#define C_UF   0x10
#define PM     0x80

#define S	 1000000000ull
#define T0	 (7 * S + 123456) /* an arbitrary origin for guest time */
#define FRI_2009 1234567890ull	  /* 2009-02-13 23:31:30, a Friday */

static struct vrtc r;

static void init_at(uint64_t epoch)
{
	vrtc_init(&r, epoch, T0, 640, 0, 0);
}

static unsigned rd(unsigned idx, uint64_t now)
{
	vrtc_write(&r, IDX, (uint8_t)idx, now);
	return vrtc_read(&r, DATA, now);
}

static void wr(unsigned idx, unsigned val, uint64_t now)
{
	vrtc_write(&r, IDX, (uint8_t)idx, now);
	vrtc_write(&r, DATA, (uint8_t)val, now);
}

/* Seconds, minutes, hours packed as 0xhhmmss of the register bytes. */
static unsigned hms(uint64_t now)
{
	return rd(HOUR, now) << 16 | rd(MIN, now) << 8 | rd(SEC, now);
}

/* Century, year, month, day packed as 0xccyymmdd. */
static unsigned cymd(uint64_t now)
{
	return rd(CENTURY, now) << 24 | rd(YEAR, now) << 16 |
	       rd(MON, now) << 8 | rd(DAY, now);
}

TEST(date_at_epochs)
{
	static const struct {
		uint64_t epoch;
		unsigned cymd, hms, dow;
	} cases[] = {
	    {0, 0x19700101, 0x000000, 5},
	    {68169600, 0x19720229, 0x000000, 3},
	    {946684799, 0x19991231, 0x235959, 6},
	    {951782400, 0x20000229, 0x000000, 3},
	    {951868799, 0x20000229, 0x235959, 3},
	    {978307199, 0x20001231, 0x235959, 1},
	    {978307200, 0x20010101, 0x000000, 2},
	    {FRI_2009, 0x20090213, 0x233130, 6},
	    {1709251199, 0x20240229, 0x235959, 5},
	    {4102444799, 0x20991231, 0x235959, 5},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		init_at(cases[i].epoch);
		CHECK_EQ(cymd(T0), cases[i].cymd);
		CHECK_EQ(hms(T0), cases[i].hms);
		CHECK_EQ(rd(DOW, T0), cases[i].dow);
	}
}

/* A calendar kept by counting, one day at a time from 1970-01-01. */
static unsigned cal_y, cal_m, cal_d, cal_dow;

static void cal_start(void)
{
	cal_y = 1970;
	cal_m = cal_d = 1;
	cal_dow = 5; /* Thursday */
}

static void cal_next(void)
{
	static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30,
					   31, 31, 30, 31, 30, 31};

	cal_dow = cal_dow % 7 + 1;
	if (++cal_d <= mdays[cal_m - 1] + (cal_m == 2 && cal_y % 4 == 0))
		return;
	cal_d = 1;
	if (++cal_m > 12) {
		cal_m = 1;
		cal_y++;
	}
}

/* Every day of 1970-2099 as the clock shows it. */
TEST(calendar_every_day)
{
	cal_start();
	for (uint64_t day = 0; cal_y < 2100; day++, cal_next()) {
		init_at(day * 86400 + 45296); /* 12:34:56 */
		wr(RB, B_DM | B_24H, T0);
		CHECK_EQ(rd(CENTURY, T0) * 100 + rd(YEAR, T0), cal_y);
		CHECK_EQ(rd(MON, T0), cal_m);
		CHECK_EQ(rd(DAY, T0), cal_d);
		CHECK_EQ(rd(DOW, T0), cal_dow);
		CHECK_EQ(hms(T0), 12u << 16 | 34 << 8 | 56);
	}
	CHECK_EQ(cal_y, 2100);
}

/* Every day of 1970-2099 written under SET and read back running. */
TEST(written_date_every_day)
{
	uint64_t t = T0;

	init_at(0);
	for (cal_start(); cal_y < 2100; cal_next(), t += S) {
		wr(RB, B_SET | B_DM | B_24H, t);
		wr(CENTURY, cal_y / 100, t);
		wr(YEAR, cal_y % 100, t);
		wr(MON, cal_m, t);
		wr(DAY, cal_d, t);
		wr(RB, B_DM | B_24H, t);
		CHECK_EQ(rd(CENTURY, t) * 100 + rd(YEAR, t), cal_y);
		CHECK_EQ(rd(MON, t), cal_m);
		CHECK_EQ(rd(DAY, t), cal_d);
		CHECK_EQ(rd(DOW, t), cal_dow);
	}
}

TEST(binary_vs_bcd)
{
	init_at(946684799);	     /* 1999-12-31 23:59:59 */
	CHECK_EQ(rd(RB, T0), B_24H); /* BCD after init, as a BIOS leaves */
	CHECK_EQ(hms(T0), 0x235959);
	CHECK_EQ(cymd(T0), 0x19991231);
	wr(RB, B_DM | B_24H, T0);
	CHECK_EQ(hms(T0), 23u << 16 | 59 << 8 | 59);
	CHECK_EQ(cymd(T0), 19u << 24 | 99 << 16 | 12 << 8 | 31);
	CHECK_EQ(rd(DOW, T0), 6);
	/* A binary write, read back in BCD. */
	wr(MIN, 42, T0 + S / 2);
	wr(RB, B_24H, T0 + S / 2);
	CHECK_EQ(hms(T0 + S / 2), 0x234259);
	CHECK_EQ(cymd(T0 + S / 2), 0x19991231);
}

TEST(twelve_hour_pm)
{
	static const struct {
		uint64_t tod;
		unsigned bcd, bin;
	} cases[] = {
	    {0 * 3600 + 1800, 0x12, 12},	   /* 12:30 AM */
	    {1 * 3600, 0x01, 1},		   /* 1 AM */
	    {11 * 3600 + 3599, 0x11, 11},	   /* 11:59 AM */
	    {12 * 3600 + 900, PM | 0x12, PM | 12}, /* 12:15 PM */
	    {13 * 3600, PM | 0x01, PM | 1},
	    {23 * 3600 + 3599, PM | 0x11, PM | 11},
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		init_at(FRI_2009 - 84690 + cases[i].tod); /* 2009-02-13 */
		wr(RB, 0, T0);
		CHECK_EQ(rd(HOUR, T0), cases[i].bcd);
		wr(RB, B_DM, T0);
		CHECK_EQ(rd(HOUR, T0), cases[i].bin);
		wr(RB, B_24H, T0);
		CHECK_EQ(rd(HOUR, T0), (cases[i].tod / 3600 / 10) << 4 |
					   cases[i].tod / 3600 % 10);
	}
	/* 7 PM written in 12-hour BCD is 19:00. */
	wr(RB, B_SET, T0);
	wr(HOUR, PM | 0x07, T0);
	wr(RB, 0, T0);
	CHECK_EQ(rd(HOUR, T0), PM | 0x07);
	wr(RB, B_24H, T0);
	CHECK_EQ(rd(HOUR, T0), 0x19);
	/* 12 AM written is midnight. */
	wr(RB, B_DM, T0);
	wr(HOUR, 12, T0);
	wr(RB, B_DM | B_24H, T0);
	CHECK_EQ(rd(HOUR, T0), 0);
}

TEST(clock_advances)
{
	init_at(946684798); /* 1999-12-31 23:59:58 */
	CHECK_EQ(hms(T0 + S - 1), 0x235958);
	CHECK_EQ(hms(T0 + S), 0x235959);
	CHECK_EQ(cymd(T0 + 2 * S - 1), 0x19991231);
	CHECK_EQ(hms(T0 + 2 * S), 0x000000);
	CHECK_EQ(cymd(T0 + 2 * S), 0x20000101);
	CHECK_EQ(rd(DOW, T0 + 2 * S), 7); /* Saturday */
	CHECK_EQ(hms(T0 + 63 * S), 0x000101);
	/* 60 days and an hour on: 2000-02-29 01:00:00, a Tuesday. */
	uint64_t t = T0 + 2 * S + (59 * 86400ull + 3600) * S;
	CHECK_EQ(cymd(t), 0x20000229);
	CHECK_EQ(hms(t), 0x010000);
	CHECK_EQ(rd(DOW, t), 3);
	/* Thirty years on: 2030-03-01 01:00:00, a Friday. */
	t += 10958ull * 86400 * S;
	CHECK_EQ(cymd(t), 0x20300301);
	CHECK_EQ(hms(t), 0x010000);
	CHECK_EQ(rd(DOW, t), 6);
}

TEST(uip_only_before_update)
{
	init_at(FRI_2009);
	for (uint64_t k = 1; k <= 3; k++) {
		uint64_t up = T0 + k * S;
		CHECK_EQ(rd(RA, up - 244001), 0x26);
		CHECK_EQ(rd(RA, up - 244000), A_UIP | 0x26);
		CHECK_EQ(rd(RA, up - 1), A_UIP | 0x26);
		CHECK_EQ(hms(up - 1), 0x233130 + k - 1);
		CHECK_EQ(rd(RA, up), 0x26);
		CHECK_EQ(hms(up), 0x233130 + k);
		CHECK_EQ(rd(RA, up + S / 2), 0x26);
	}
	/* Nor while SET holds the clock. */
	wr(RB, B_SET | B_24H, T0 + 4 * S);
	CHECK_EQ(rd(RA, T0 + 5 * S - 1000), 0x26);
	/* UIP is read-only. */
	wr(RB, B_24H, T0 + 5 * S + 1);
	wr(RA, A_UIP | 0x26, T0 + 5 * S + 2);
	CHECK_EQ(rd(RA, T0 + 5 * S + 3), 0x26);
}

TEST(set_freezes_and_new_time_takes_effect)
{
	init_at(FRI_2009);
	wr(RB, B_SET | B_24H, T0 + S / 4);
	CHECK_EQ(hms(T0 + 9 * S), 0x233130);
	/* 2024-02-29 23:59:58, day of week written wrong. */
	uint64_t t = T0 + 9 * S + S / 2;
	wr(CENTURY, 0x20, t);
	wr(YEAR, 0x24, t);
	wr(MON, 0x02, t);
	wr(DAY, 0x29, t);
	wr(HOUR, 0x23, t);
	wr(MIN, 0x59, t);
	wr(SEC, 0x58, t);
	wr(DOW, 0x01, t);
	CHECK_EQ(rd(DOW, t + 1), 1); /* held as written */
	CHECK_EQ(hms(t + 5 * S), 0x235958);
	wr(RB, B_24H, t + 5 * S);
	/* The divider never stopped: updates keep their whole seconds. */
	CHECK_EQ(hms(T0 + 15 * S - 1), 0x235958);
	CHECK_EQ(rd(DOW, T0 + 15 * S - 1), 5); /* worked out: Thursday */
	CHECK_EQ(hms(T0 + 15 * S), 0x235959);
	CHECK_EQ(hms(T0 + 16 * S), 0x000000);
	CHECK_EQ(cymd(T0 + 16 * S), 0x20240301);
	/* A write while running keeps the rest and the phase. */
	wr(MIN, 0x30, T0 + 16 * S + S / 2);
	CHECK_EQ(hms(T0 + 17 * S - 1), 0x003000);
	CHECK_EQ(hms(T0 + 17 * S), 0x003001);
	CHECK_EQ(cymd(T0 + 17 * S), 0x20240301);
}

/* One field written under SET into 2024-02-10 12:00:00 (BCD, 24-hour);
 * the date or the time read back after. */
static unsigned written(unsigned idx, unsigned val, int date)
{
	init_at(1707566400);
	wr(RB, B_SET | B_24H, T0);
	wr(idx, val, T0);
	wr(RB, B_24H, T0);
	return date ? cymd(T0) : hms(T0);
}

TEST(out_of_range_fields_clamped)
{
	CHECK_EQ(written(DAY, 0x00, 1), 0x20240201);
	CHECK_EQ(written(DAY, 0x31, 1), 0x20240302); /* rolls over */
	CHECK_EQ(written(DAY, 0x45, 1), 0x20240302);
	CHECK_EQ(written(MON, 0x00, 1), 0x20240110);
	CHECK_EQ(written(MON, 0x13, 1), 0x20241210);
	CHECK_EQ(written(YEAR, 0x69, 1), 0x20690210);
	CHECK_EQ(written(CENTURY, 0x19, 1), 0x19700210);
	CHECK_EQ(written(CENTURY, 0x21, 1), 0x20990210);
	CHECK_EQ(written(HOUR, 0x24, 0), 0x230000);
	CHECK_EQ(written(MIN, 0x60, 0), 0x125900);
	CHECK_EQ(written(SEC, 0x99, 0), 0x120059);
	/* 13 o'clock in 12-hour mode. */
	wr(RB, B_SET, T0);
	wr(HOUR, 0x13, T0);
	wr(RB, 0, T0);
	wr(RB, B_24H, T0);
	CHECK_EQ(hms(T0), 0x230059);
}

TEST(divider_stops_and_restarts)
{
	init_at(FRI_2009);
	wr(RA, 0x76, T0 + S / 4); /* 110: divider reset */
	rd(RC, T0 + S / 4);
	CHECK_EQ(hms(T0 + 30 * S), 0x233130);
	CHECK_EQ(rd(RA, T0 + 31 * S - 1000), 0x76); /* no UIP */
	wr(RB, B_24H | B_PIE | B_UIE, T0 + 30 * S);
	CHECK_EQ(vrtc_next_event(&r, T0 + 30 * S), UINT64_MAX);
	wr(SEC, 0x00, T0 + 40 * S);
	CHECK_EQ(rd(RC, T0 + 40 * S), 0); /* nothing happened meanwhile */
	wr(RA, 0x26, T0 + 50 * S);
	CHECK_EQ(hms(T0 + 50 * S + S / 2 - 1), 0x233100);
	CHECK_EQ(hms(T0 + 50 * S + S / 2), 0x233101);
	CHECK_EQ(hms(T0 + 51 * S + S / 2), 0x233102);
	/* The periodic interrupt restarts with the chain: 1024 Hz. */
	CHECK_EQ(vrtc_next_event(&r, T0 + 50 * S), T0 + 50 * S + 976563);
	/* Divider 000 is a time base the model does not run. */
	wr(RA, 0x06, T0 + 52 * S);
	CHECK_EQ(hms(T0 + 60 * S), 0x233102);
}

/* Events of register C in (from, from + span], each seen through
 * vrtc_next_event with IRQ 8 low just before it and high at it (flags of
 * disabled events may come up meanwhile). */
static unsigned count_events(uint64_t from, uint64_t span, unsigned flag)
{
	unsigned n = 0;
	uint64_t at, end = from + span;

	rd(RC, from);
	while ((at = vrtc_next_event(&r, from)) <= end) {
		if (at <= from || vrtc_irq(&r, at - 1))
			return ~0u;
		if (!vrtc_irq(&r, at) ||
		    (rd(RC, at) & (C_IRQF | flag)) != (C_IRQF | flag))
			return ~0u;
		if (vrtc_irq(&r, at))
			return ~0u;
		from = at;
		n++;
	}
	return n;
}

TEST(periodic_1024hz_and_2hz)
{
	init_at(FRI_2009);
	wr(RB, B_24H | B_PIE, T0);
	CHECK_EQ(vrtc_next_event(&r, T0), T0 + 976563); /* 1/1024 s */
	CHECK_EQ(count_events(T0, S, C_PF), 1024);
	CHECK_EQ(count_events(T0 + 5 * S + 12345, S, C_PF), 1024);
	wr(RA, 0x2f, T0 + 10 * S + 1); /* 2 Hz */
	CHECK_EQ(vrtc_next_event(&r, T0 + 10 * S + 1), T0 + 10 * S + S / 2);
	CHECK_EQ(count_events(T0 + 10 * S + 1, S, C_PF), 2);
	CHECK_EQ(count_events(T0 + 20 * S, 10 * S, C_PF), 20);
	wr(RA, 0x21, T0 + 40 * S); /* rate 1: 256 Hz */
	CHECK_EQ(count_events(T0 + 40 * S, S, C_PF), 256);
	wr(RA, 0x22, T0 + 41 * S); /* rate 2: 128 Hz */
	CHECK_EQ(count_events(T0 + 41 * S, S, C_PF), 128);
	wr(RA, 0x23, T0 + 42 * S); /* rate 3: 8192 Hz */
	CHECK_EQ(count_events(T0 + 42 * S, S, C_PF), 8192);
	wr(RA, 0x20, T0 + 43 * S); /* rate 0: off */
	CHECK_EQ(vrtc_next_event(&r, T0 + 43 * S), UINT64_MAX);
	rd(RC, T0 + 43 * S);
	CHECK_EQ(rd(RC, T0 + 50 * S), C_UF);
}

TEST(flags_set_with_interrupts_disabled)
{
	init_at(FRI_2009);
	wr(SEC_AL, 0x32, T0);
	wr(MIN_AL, 0xff, T0);
	wr(HOUR_AL, 0xff, T0);
	CHECK_EQ(vrtc_next_event(&r, T0), UINT64_MAX);
	CHECK_EQ(rd(RC, T0 + S / 2), C_PF);
	CHECK_EQ(rd(RC, T0 + S), C_PF | C_UF);
	CHECK_EQ(rd(RC, T0 + 2 * S), C_PF | C_UF | C_AF);
	CHECK_EQ(vrtc_irq(&r, T0 + 3 * S), 0);
	/* Enabling one raises IRQF for a flag already up. */
	wr(RB, B_24H | B_UIE, T0 + 3 * S);
	CHECK_EQ(vrtc_irq(&r, T0 + 3 * S), 1);
	CHECK_EQ(rd(RC, T0 + 3 * S), C_IRQF | C_PF | C_UF);
}

TEST(alarm_with_dont_care)
{
	init_at(FRI_2009); /* 23:31:30 */
	wr(RB, B_24H | B_AIE, T0);
	wr(HOUR_AL, 0xc0, T0);
	wr(MIN_AL, 0xff, T0);
	wr(SEC_AL, 0x45, T0);
	/* Every minute at :45. */
	CHECK_EQ(vrtc_next_event(&r, T0), T0 + 15 * S);
	CHECK_EQ(count_events(T0, 180 * S, C_AF), 3);
	CHECK_EQ(vrtc_next_event(&r, T0 + 15 * S), T0 + 75 * S);
	/* 23:33:00 exactly, then again a day later. */
	wr(HOUR_AL, 0x23, T0 + 181 * S);
	wr(MIN_AL, 0x33, T0 + 181 * S);
	wr(SEC_AL, 0x00, T0 + 181 * S);
	uint64_t first = vrtc_next_event(&r, T0 + 181 * S);
	CHECK_EQ(first, T0 + 90 * S + 86400 * S);
	CHECK_EQ(rd(RC, first - 1) & (C_IRQF | C_AF), 0);
	CHECK_EQ(rd(RC, first) & (C_IRQF | C_AF), C_IRQF | C_AF);
	CHECK_EQ(hms(first), 0x233300);
	CHECK_EQ(vrtc_next_event(&r, first), first + 86400 * S);
	/* All three don't-care: every second. */
	wr(HOUR_AL, 0xff, first);
	wr(MIN_AL, 0xc0, first);
	wr(SEC_AL, 0xd5, first);
	CHECK_EQ(count_events(first, 10 * S, C_AF), 10);
	/* Only the hour given, in 12-hour binary: 2 AM, 02:00:00-02:59:59,
	 * from 23:33:10. */
	uint64_t t = first + 10 * S;
	wr(RB, B_DM | B_AIE, t);
	wr(HOUR_AL, 2, t);
	uint64_t two = vrtc_next_event(&r, t);
	CHECK_EQ(two, t + (2 * 3600 + 26 * 60 + 50) * S);
	CHECK_EQ(count_events(two - 1, 7200 * S, C_AF), 3600);
	/* 2 PM is another hour. */
	t = two - 1 + 7200 * S;
	wr(HOUR_AL, PM | 2, t);
	CHECK_EQ(vrtc_next_event(&r, t), two + 12 * 3600 * S);
	/* A value no time has never matches. */
	wr(SEC_AL, 61, t);
	CHECK_EQ(vrtc_next_event(&r, t), UINT64_MAX);
}

TEST(update_ended_once_per_second)
{
	init_at(FRI_2009);
	wr(RB, B_24H | B_UIE, T0 + 300000000);
	CHECK_EQ(vrtc_next_event(&r, T0 + 300000000), T0 + S);
	CHECK_EQ(count_events(T0 + 300000000, 10 * S, C_UF), 10);
	CHECK_EQ(vrtc_next_event(&r, T0 + 10 * S), T0 + 11 * S);
	CHECK_EQ(count_events(T0 + 10 * S, 3600 * S, C_UF), 3600);
	/* Held by SET, no updates. */
	wr(RB, B_SET | B_24H | B_UIE, T0 + 4000 * S);
	CHECK_EQ(vrtc_next_event(&r, T0 + 4000 * S), UINT64_MAX);
	rd(RC, T0 + 4000 * S);
	CHECK_EQ(rd(RC, T0 + 4010 * S), C_PF); /* the periodic goes on */
}

TEST(reg_c_read_clears_and_lowers_irq8)
{
	init_at(FRI_2009);
	wr(RB, B_24H | B_PIE | B_UIE, T0);
	CHECK_EQ(vrtc_irq(&r, T0), 0);
	CHECK_EQ(vrtc_irq(&r, T0 + S), 1);
	CHECK_EQ(vrtc_irq(&r, T0 + S + 5), 1); /* a level: stays up */
	CHECK_EQ(rd(RC, T0 + S + 10), C_IRQF | C_PF | C_UF);
	CHECK_EQ(vrtc_irq(&r, T0 + S + 10), 0);
	CHECK_EQ(rd(RC, T0 + S + 10), 0);
	/* Writes to C change nothing. */
	wr(RC, 0xff, T0 + S + 20);
	CHECK_EQ(rd(RC, T0 + S + 20), 0);
	/* PF without PIE leaves IRQF down. */
	wr(RB, B_24H, T0 + S + 20);
	CHECK_EQ(vrtc_irq(&r, T0 + 2 * S), 0);
	CHECK_EQ(rd(RC, T0 + 2 * S), C_PF | C_UF);
}

TEST(reg_d_vrt)
{
	init_at(FRI_2009);
	CHECK_EQ(rd(RD, T0), 0x80);
	wr(RD, 0x00, T0);
	CHECK_EQ(rd(RD, T0 + S), 0x80);
}

TEST(nmi_mask_bit)
{
	init_at(FRI_2009);
	CHECK_EQ(vrtc_nmi_masked(&r), 0);
	vrtc_write(&r, IDX, 0x80 | RD, T0);
	CHECK_EQ(vrtc_nmi_masked(&r), 1);
	CHECK_EQ(vrtc_read(&r, DATA, T0), 0x80); /* index without bit 7 */
	vrtc_write(&r, IDX, 0x80 | 0x40, T0);
	vrtc_write(&r, DATA, 0x5a, T0);
	CHECK_EQ(vrtc_nmi_masked(&r), 1);
	CHECK_EQ(rd(0x40, T0), 0x5a); /* rd's index write unmasks */
	CHECK_EQ(vrtc_nmi_masked(&r), 0);
	CHECK_EQ(vrtc_read(&r, IDX, T0), 0xff);
	CHECK_EQ(vrtc_read(&r, 0x72, T0), 0xff);
}

TEST(cmos_scratch_reads_back)
{
	init_at(FRI_2009);
	for (unsigned i = 0x0e; i < 128; i++)
		if (i != CENTURY)
			wr(i, i * 7 + 3, T0);
	for (unsigned i = 0x0e; i < 128; i++)
		if (i != CENTURY)
			CHECK_EQ(rd(i, T0 + S), (uint8_t)(i * 7 + 3));
	CHECK_EQ(hms(T0 + S), 0x233131);
	CHECK_EQ(cymd(T0 + S), 0x20090213);
	/* Alarm bytes are storage too. */
	wr(SEC_AL, 0x12, T0 + S);
	wr(MIN_AL, 0x34, T0 + S);
	wr(HOUR_AL, 0x56, T0 + S);
	CHECK_EQ(rd(SEC_AL, T0 + 2 * S), 0x12);
	CHECK_EQ(rd(MIN_AL, T0 + 2 * S), 0x34);
	CHECK_EQ(rd(HOUR_AL, T0 + 2 * S), 0x56);
}

static unsigned le(unsigned at, unsigned n)
{
	unsigned v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= rd(at + i, T0) << 8 * i;
	return v;
}

TEST(memory_size_bytes)
{
	/* 32 MiB: 31 MiB extended, 16 MiB of it above 16 MiB. */
	vrtc_init(&r, FRI_2009, T0, 640, 31 * 1024, 0);
	CHECK_EQ(le(0x15, 2), 640);
	CHECK_EQ(le(0x17, 2), 31 * 1024);
	CHECK_EQ(le(0x30, 2), 31 * 1024);
	CHECK_EQ(le(0x34, 2), 256);
	CHECK_EQ(le(0x5b, 3), 0);
	unsigned sum = 0;
	for (unsigned i = 0x10; i <= 0x2d; i++)
		sum += rd(i, T0);
	CHECK_EQ(rd(0x2e, T0) << 8 | rd(0x2f, T0), sum);
	CHECK(sum != 0);
	/* 3 GiB below 4 GiB and 2 GiB above: the 16-bit fields cap. */
	vrtc_init(&r, FRI_2009, T0, 640, 3u * 1024 * 1024 - 1024, 2ull << 30);
	CHECK_EQ(le(0x17, 2), 0xffff);
	CHECK_EQ(le(0x30, 2), 0xffff);
	CHECK_EQ(le(0x34, 2), 0xbf00);
	CHECK_EQ(le(0x5b, 3), 0x8000);
	/* 2 TiB above 4 GiB caps the 24-bit field; 12 MiB has none above
	 * 16 MiB. */
	vrtc_init(&r, FRI_2009, T0, 639, 11 * 1024, 2ull << 40);
	CHECK_EQ(le(0x15, 2), 639);
	CHECK_EQ(le(0x34, 2), 0);
	CHECK_EQ(le(0x5b, 3), 0xffffff);
	CHECK_EQ(le(0x5e, 1), 0);
}

int main(void)
{
	RUN(date_at_epochs);
	RUN(calendar_every_day);
	RUN(written_date_every_day);
	RUN(binary_vs_bcd);
	RUN(twelve_hour_pm);
	RUN(clock_advances);
	RUN(uip_only_before_update);
	RUN(set_freezes_and_new_time_takes_effect);
	RUN(out_of_range_fields_clamped);
	RUN(divider_stops_and_restarts);
	RUN(periodic_1024hz_and_2hz);
	RUN(flags_set_with_interrupts_disabled);
	RUN(alarm_with_dont_care);
	RUN(update_ended_once_per_second);
	RUN(reg_c_read_clears_and_lowers_irq8);
	RUN(reg_d_vrt);
	RUN(nmi_mask_bit);
	RUN(cmos_scratch_reads_back);
	RUN(memory_size_bytes);
	return TEST_END();
}
