// SPDX-License-Identifier: MIT
/* Reading the host's MC146818-compatible clock at ports 0x70/0x71. */
#include "rtc.h"

#include "../../arch/x86/cpu.h"
#include "../../kernel/arch.h"
#include "../../kernel/wallclock.h"

#define INDEX	   0x70
#define DATA	   0x71
#define NMI_OFF	   0x80 /* keep NMIs masked while we select registers */
#define REG_A	   0x0a
#define REG_B	   0x0b
#define REG_A_UIP  0x80
#define CENTURY	   0x32
#define SPIN_LIMIT 1000000

static uint8_t cmos(uint8_t reg)
{
	outb(INDEX, NMI_OFF | reg);
	return inb(DATA);
}

static struct rtc_time sample(uint8_t b)
{
	struct rtc_time t;

	for (int i = 0; i < SPIN_LIMIT && (cmos(REG_A) & REG_A_UIP); i++)
		cpu_relax();
	t.second = rtc_decode(cmos(0x00), b);
	t.minute = rtc_decode(cmos(0x02), b);
	t.hour = rtc_decode_hour(cmos(0x04), b);
	t.day = rtc_decode(cmos(0x07), b);
	t.month = rtc_decode(cmos(0x08), b);
	t.year = rtc_decode(cmos(0x09), b) + 100 * rtc_decode(cmos(CENTURY), b);
	return t;
}

static int same(const struct rtc_time *a, const struct rtc_time *b)
{
	return a->second == b->second && a->minute == b->minute &&
	       a->hour == b->hour && a->day == b->day && a->month == b->month &&
	       a->year == b->year;
}

/* Two equal samples in a row: no update happened between the reads. */
uint64_t rtc_host_epoch(void)
{
	uint8_t b = cmos(REG_B);
	struct rtc_time t = sample(b), u = sample(b);

	for (int i = 0; i < 8 && !same(&t, &u); i++) {
		t = u;
		u = sample(b);
	}
	if (t.year < 100) /* no century register: assume 20xx */
		t.year += 2000;
	if (b == 0xff || t.month < 1 || t.month > 12 || t.day < 1 ||
	    t.day > 31 || t.hour > 23 || t.minute > 59 || t.second > 59 ||
	    t.year < 1970 || t.year > 2099)
		return 0;
	return rtc_to_epoch(&t);
}

static uint64_t epoch_at_boot, tsc_at_boot;

/* Without a readable clock the guests' RTCs start at 2000-01-01. */
void wallclock_init(void)
{
	epoch_at_boot = rtc_host_epoch();
	if (!epoch_at_boot)
		epoch_at_boot = 946684800;
	tsc_at_boot = rdtsc();
}

uint64_t wallclock_at(uint64_t tsc)
{
	uint64_t khz = arch_tsc_khz() ? arch_tsc_khz() : 1000000;

	return epoch_at_boot + (tsc - tsc_at_boot) / (khz * 1000);
}
