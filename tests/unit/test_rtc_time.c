// SPDX-License-Identifier: MIT
/* Tests for drivers/host/rtc_time.c: calendar to epoch, BCD, 12-hour. */
#include "../drivers/host/rtc.h"
#include "test.h"

static uint64_t at(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi,
		   unsigned s)
{
	struct rtc_time t = {y, mo, d, h, mi, s};

	return rtc_to_epoch(&t);
}

TEST(known_instants)
{
	CHECK_EQ(at(1970, 1, 1, 0, 0, 0), 0);
	CHECK_EQ(at(2000, 1, 1, 0, 0, 0), 946684800);
	/* Bochs' time0 in scripts/run. */
	CHECK_EQ(at(2023, 11, 14, 22, 13, 20), 1700000000);
	CHECK_EQ(at(2099, 12, 31, 23, 59, 59), 4102444799ull);
}

TEST(leap_days)
{
	CHECK_EQ(at(2024, 3, 1, 0, 0, 0) - at(2024, 2, 28, 0, 0, 0), 2 * 86400);
	CHECK_EQ(at(2023, 3, 1, 0, 0, 0) - at(2023, 2, 28, 0, 0, 0), 86400);
	/* 2000 is a leap year (divisible by 400). */
	CHECK_EQ(at(2000, 3, 1, 0, 0, 0) - at(2000, 2, 28, 0, 0, 0), 2 * 86400);
	CHECK_EQ(at(2001, 1, 1, 0, 0, 0) - at(2000, 1, 1, 0, 0, 0),
		 366 * 86400);
}

TEST(bcd_and_binary)
{
	CHECK_EQ(rtc_decode(0x59, 0x02), 59); /* BCD (bit 2 clear) */
	CHECK_EQ(rtc_decode(0x59, 0x06), 0x59);
	CHECK_EQ(rtc_decode(0x00, 0x02), 0);
}

TEST(twelve_hour_mode)
{
	CHECK_EQ(rtc_decode_hour(0x12, 0x00), 0);	/* 12 AM */
	CHECK_EQ(rtc_decode_hour(0x92, 0x00), 12);	/* 12 PM */
	CHECK_EQ(rtc_decode_hour(0x81, 0x00), 13);	/* 1 PM */
	CHECK_EQ(rtc_decode_hour(0x11, 0x00), 11);	/* 11 AM */
	CHECK_EQ(rtc_decode_hour(0x23, 0x02), 23);	/* 24-hour BCD */
	CHECK_EQ(rtc_decode_hour(0x80 | 11, 0x04), 23); /* binary, PM */
}

int main(void)
{
	RUN(known_instants);
	RUN(leap_days);
	RUN(bcd_and_binary);
	RUN(twelve_hour_mode);
	return TEST_END();
}
