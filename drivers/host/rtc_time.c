// SPDX-License-Identifier: MIT
/* Calendar arithmetic for the CMOS clock: pure, host-tested. */
#include "rtc.h"

#define REG_B_BINARY (1u << 2)
#define REG_B_24H    (1u << 1)
#define HOUR_PM	     0x80u

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian), counting
 * from March so that the leap day ends the year. */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	uint64_t yy = y - (m <= 2);
	uint64_t era = yy / 400, yoe = yy % 400;
	uint64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	uint64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

uint64_t rtc_to_epoch(const struct rtc_time *t)
{
	return days_from_civil(t->year, t->month, t->day) * 86400 +
	       t->hour * 3600ull + t->minute * 60ull + t->second;
}

unsigned rtc_decode(uint8_t raw, uint8_t reg_b)
{
	return (reg_b & REG_B_BINARY) ? raw : (raw >> 4) * 10u + (raw & 15u);
}

/* 12-hour mode: 12 AM is 0, 12 PM is 12, PM adds 12 otherwise. */
unsigned rtc_decode_hour(uint8_t raw, uint8_t reg_b)
{
	unsigned h = rtc_decode(raw & (uint8_t)~HOUR_PM, reg_b);

	if (reg_b & REG_B_24H)
		return rtc_decode(raw, reg_b);
	return (h % 12) + (raw & HOUR_PM ? 12 : 0);
}
