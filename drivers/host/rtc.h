/* SPDX-License-Identifier: MIT */
/* The machine's own CMOS clock, read once at boot for the guests' RTCs. */
#ifndef HOST_RTC_H
#define HOST_RTC_H

#include <stdint.h>

/* A calendar date and time as the clock chip holds it, already decoded
 * from BCD and 12-hour form. */
struct rtc_time {
	unsigned year, month, day, hour, minute, second;
};

/* Seconds since 1970-01-01 00:00:00 for a time in 1970..2099; pure. */
uint64_t rtc_to_epoch(const struct rtc_time *t);

/* Decode one register as the chip's register B says (bit 2: binary);
 * hours also carry the PM flag in 12-hour mode (bit 1 clear).  Pure. */
unsigned rtc_decode(uint8_t raw, uint8_t reg_b);
unsigned rtc_decode_hour(uint8_t raw, uint8_t reg_b);

/* Read the host clock (ports 0x70/0x71), waiting out an update; 0 if it
 * reads as absent or nonsense. */
uint64_t rtc_host_epoch(void);

#endif
