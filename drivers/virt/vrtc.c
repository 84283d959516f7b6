// SPDX-License-Identifier: MIT
/* Emulated MC146818A real-time clock and CMOS RAM (Motorola datasheet). */
#include "vrtc.h"

#include <stddef.h>
#include <string.h>

/* Address map (datasheet, "Address Map"); the century byte is the
 * PC/AT's convention, not the chip's. */
#define R_SEC	  0x00
#define R_SEC_AL  0x01
#define R_MIN	  0x02
#define R_MIN_AL  0x03
#define R_HOUR	  0x04
#define R_HOUR_AL 0x05
#define R_DOW	  0x06
#define R_DAY	  0x07
#define R_MON	  0x08
#define R_YEAR	  0x09
#define R_A	  0x0a
#define R_B	  0x0b
#define R_C	  0x0c
#define R_D	  0x0d
#define R_CENTURY 0x32

/* Register A (datasheet, "Register A"). */
#define A_UIP	0x80
#define A_DV(a) (((a) >> 4) & 7) /* divider DV2-0 */
#define DV_32K	2		 /* 010: 32.768 kHz time base */
#define A_RS(a) ((a)&0x0f)	 /* rate select RS3-0 */
/* Register B (datasheet, "Register B"); SQWE and DSE are not used. */
#define B_SET 0x80
#define B_PIE 0x40
#define B_AIE 0x20
#define B_UIE 0x10
#define B_DM  0x04 /* 1 = binary, 0 = BCD */
#define B_24H 0x02
/* Register C (datasheet, "Register C"): each flag sits at the same bit
 * as its enable in register B. */
#define C_IRQF	0x80
#define C_PF	0x40
#define C_AF	0x20
#define C_UF	0x10
#define C_FLAGS (C_PF | C_AF | C_UF)
/* Register D (datasheet, "Register D"). */
#define D_VRT 0x80
/* Time and alarm bytes (datasheet, "Time, Calendar, and Alarm Data
 * Modes"). */
#define HOUR_PM	  0x80 /* hours byte in 12-hour mode */
#define DONT_CARE 0xc0 /* alarm byte 11xxxxxx matches any value */

/* PC/AT CMOS layout: memory sizes and the checksum of 0x10-0x2d. */
#define M_BASE	   0x15
#define M_EXT	   0x17
#define M_EXT2	   0x30
#define M_ABOVE16  0x34
#define M_ABOVE4G  0x5b /* QEMU and SeaBIOS, 3 bytes */
#define SUM_FIRST  0x10
#define SUM_LAST   0x2d
#define M_SUM	   0x2e
#define KIB_1M_16M (15u * 1024)

#define NS_PER_S   1000000000ull
#define XTAL_HZ	   32768u
#define UIP_NS	   244000u	/* tBUC: UIP rises this long before */
#define RESTART_NS 500000000ull /* divider start to first update */
#define DAY_S	   86400u
#define ANY	   0x100u /* alarm wants any value */
#define NO_HOUR	   99u	  /* a 12-hour byte outside 1-12 */
#define DAYS_1968  731u	  /* 1968 (a leap year) and 1969 */

static int dividing(const struct vrtc *r)
{
	return A_DV(r->cmos[R_A]) == DV_32K;
}

/* The time registers count: SET clear and the divider running. */
static int ticking(const struct vrtc *r)
{
	return dividing(r) && !(r->cmos[R_B] & B_SET);
}

/* Update instants at or before t: upd_ns and every second after. */
static uint64_t updates(const struct vrtc *r, uint64_t t)
{
	return t < r->upd_ns ? 0 : (t - r->upd_ns) / NS_PER_S + 1;
}

static uint64_t next_update(const struct vrtc *r, uint64_t now)
{
	if (!ticking(r))
		return UINT64_MAX;
	return r->upd_ns + updates(r, now) * NS_PER_S;
}

/* The clock's reading at now, valid while it ticks. */
static uint64_t clock_s(const struct vrtc *r, uint64_t now)
{
	if (now < r->t0)
		now = r->t0;
	return r->sec0 + updates(r, now) - updates(r, r->t0);
}

/* Crystal cycles in ns nanoseconds, split so that nothing overflows. */
static uint64_t xtal_cycles(uint64_t ns)
{
	return ns / NS_PER_S * XTAL_HZ + ns % NS_PER_S * XTAL_HZ / NS_PER_S;
}

/* The first nanosecond at which xtal_cycles reaches k. */
static uint64_t xtal_ns(uint64_t k)
{
	return k / XTAL_HZ * NS_PER_S +
	       (k % XTAL_HZ * NS_PER_S + XTAL_HZ - 1) / XTAL_HZ;
}

/* Periodic interrupt period in crystal cycles, 0 if off (datasheet,
 * "Periodic Interrupt Rate": rates 1 and 2 repeat rates 8 and 9). */
static uint32_t period(const struct vrtc *r)
{
	unsigned rs = A_RS(r->cmos[R_A]);

	if (!rs)
		return 0;
	if (rs < 3)
		rs += 7;
	return 1u << (rs - 1);
}

/* Periodic ticks are taps of the divider chain, so they keep its phase
 * whatever the rate. */
static uint64_t next_periodic(const struct vrtc *r, uint64_t now)
{
	uint32_t p = period(r);

	if (!p || !dividing(r))
		return UINT64_MAX;
	uint64_t e = now > r->div_ns ? now - r->div_ns : 0;
	return r->div_ns + xtal_ns((xtal_cycles(e) / p + 1) * p);
}

/* 1970-2099 holds no century year but 2000, which is a leap year. */
static int leap(unsigned y)
{
	return y % 4 == 0;
}

static const uint16_t days_before[12] = {0,   31,  59,	90,  120, 151,
					 181, 212, 243, 273, 304, 334};

/* Days before month m (1-12) of year y. */
static unsigned month_start(unsigned y, unsigned m)
{
	return days_before[m - 1] + (m > 2 && leap(y));
}

/* Counting from 1968, a leap year, makes every fourth year the leap one. */
static uint64_t days_from_civil(unsigned y, unsigned m, unsigned d)
{
	unsigned n = y - 1968;

	return (uint64_t)n * 365 + (n + 3) / 4 + month_start(y, m) + d - 1 -
	       DAYS_1968;
}

struct date {
	unsigned year, mon, day;
};

static struct date civil_from_days(uint64_t days)
{
	uint64_t d = days + DAYS_1968;
	unsigned y = 1968 + 4 * (unsigned)(d / 1461), r = d % 1461, m = 1;

	if (r >= 366) { /* past the leap year that starts each four */
		r -= 366;
		y += 1 + r / 365;
		r %= 365;
	}
	while (m < 12 && r >= month_start(y, m + 1))
		m++;
	return (struct date){y, m, r - month_start(y, m) + 1};
}

static uint8_t to_reg(const struct vrtc *r, unsigned v)
{
	if (r->cmos[R_B] & B_DM)
		return (uint8_t)v;
	return (uint8_t)(v / 10 << 4 | v % 10);
}

static unsigned from_reg(const struct vrtc *r, uint8_t b)
{
	if (r->cmos[R_B] & B_DM)
		return b;
	return (b >> 4) * 10u + (b & 15);
}

/* 12-hour mode: 12 AM is midnight, 12 PM noon. */
static uint8_t hour_to_reg(const struct vrtc *r, unsigned h)
{
	if (r->cmos[R_B] & B_24H)
		return to_reg(r, h);
	return (uint8_t)(to_reg(r, h % 12 ? h % 12 : 12) |
			 (h >= 12 ? HOUR_PM : 0));
}

static unsigned hour_from_reg(const struct vrtc *r, uint8_t b)
{
	if (r->cmos[R_B] & B_24H)
		return from_reg(r, b);
	unsigned h = from_reg(r, (uint8_t)(b & ~HOUR_PM));
	if (!h || h > 12)
		return NO_HOUR;
	return h % 12 + (b & HOUR_PM ? 12 : 0);
}

/* Writes the reading s into the time bytes in the current format. */
static void show(struct vrtc *r, uint64_t s)
{
	uint64_t days = s / DAY_S;
	unsigned tod = (unsigned)(s % DAY_S);
	struct date d = civil_from_days(days);

	r->cmos[R_SEC] = to_reg(r, tod % 60);
	r->cmos[R_MIN] = to_reg(r, tod / 60 % 60);
	r->cmos[R_HOUR] = hour_to_reg(r, tod / 3600);
	/* 1 = Sunday; 1970-01-01 was a Thursday. */
	r->cmos[R_DOW] = to_reg(r, (unsigned)((days + 4) % 7 + 1));
	r->cmos[R_DAY] = to_reg(r, d.day);
	r->cmos[R_MON] = to_reg(r, d.mon);
	r->cmos[R_YEAR] = to_reg(r, d.year % 100);
	r->cmos[R_CENTURY] = to_reg(r, d.year / 100);
}

static unsigned clamp(unsigned v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The time bytes as a reading; day of week plays no part. */
static uint64_t parse(const struct vrtc *r)
{
	const uint8_t *c = r->cmos;
	unsigned y = from_reg(r, c[R_CENTURY]) * 100 + from_reg(r, c[R_YEAR]);
	unsigned tod = clamp(hour_from_reg(r, c[R_HOUR]), 0, 23) * 3600 +
		       clamp(from_reg(r, c[R_MIN]), 0, 59) * 60 +
		       clamp(from_reg(r, c[R_SEC]), 0, 59);

	y = clamp(y, 1970, 2099);
	return days_from_civil(y, clamp(from_reg(r, c[R_MON]), 1, 12),
			       clamp(from_reg(r, c[R_DAY]), 1, 31)) *
		   DAY_S +
	       tod;
}

static unsigned alarm_want(const struct vrtc *r, unsigned reg)
{
	uint8_t b = r->cmos[reg];

	if ((b & DONT_CARE) == DONT_CARE)
		return ANY;
	return reg == R_HOUR_AL ? hour_from_reg(r, b) : from_reg(r, b);
}

static int hits(unsigned want, unsigned v)
{
	return want == ANY || want == v;
}

static int possible(unsigned want, unsigned limit)
{
	return want == ANY || want < limit;
}

/* Seconds from reading s to the first later one whose time of day the
 * alarm matches, 0 if none does.  A mismatched hour or minute skips to
 * the next, so finding a match takes at most about 200 steps. */
static uint64_t alarm_wait(const struct vrtc *r, uint64_t s)
{
	unsigned ws = alarm_want(r, R_SEC_AL), wm = alarm_want(r, R_MIN_AL);
	unsigned wh = alarm_want(r, R_HOUR_AL), tod = (unsigned)(s % DAY_S);

	if (!possible(ws, 60) || !possible(wm, 60) || !possible(wh, 24))
		return 0;
	for (unsigned j = 1;;) {
		unsigned t = (tod + j) % DAY_S;
		if (!hits(wh, t / 3600))
			j += 3600 - t % 3600;
		else if (!hits(wm, t / 60 % 60))
			j += 60 - t % 60;
		else if (!hits(ws, t % 60))
			j++;
		else
			return j;
	}
}

/* The alarm is checked at each update against the new reading. */
static uint64_t next_alarm(const struct vrtc *r, uint64_t now)
{
	uint64_t up = next_update(r, now);

	if (up == UINT64_MAX)
		return up;
	uint64_t j = alarm_wait(r, clock_s(r, now));
	return j ? up + (j - 1) * NS_PER_S : UINT64_MAX;
}

/* Sets the flags of events in (seen_ns, now].  Every change of state
 * comes after this, so the events counted are those of the state that
 * held through the interval. */
static void catch_up(struct vrtc *r, uint64_t now)
{
	uint64_t a = r->seen_ns;
	uint8_t *c = &r->cmos[R_C];

	if (now <= a)
		return;
	if (!(*c & C_PF) && next_periodic(r, a) <= now)
		*c |= C_PF;
	if (!(*c & C_UF) && next_update(r, a) <= now)
		*c |= C_UF;
	if (!(*c & C_AF) && next_alarm(r, a) <= now)
		*c |= C_AF;
	r->seen_ns = now;
}

static uint8_t irqf(const struct vrtc *r)
{
	return (r->cmos[R_C] & r->cmos[R_B] & C_FLAGS) ? C_IRQF : 0;
}

static uint8_t uip(const struct vrtc *r, uint64_t now)
{
	return ticking(r) && next_update(r, now) - now <= UIP_NS ? A_UIP : 0;
}

static int is_time(unsigned idx)
{
	return idx == R_SEC || idx == R_MIN || idx == R_HOUR ||
	       (idx >= R_DOW && idx <= R_YEAR) || idx == R_CENTURY;
}

/* The time bytes become the reading from now on; the update phase stays
 * the divider's. */
static void start(struct vrtc *r, uint64_t now)
{
	r->sec0 = parse(r);
	r->t0 = now;
}

/* Stopping the clock (SET, divider) leaves its reading in the time bytes,
 * in the format just written; starting it reads them back. */
static void set_control(struct vrtc *r, unsigned reg, uint8_t val, uint64_t now)
{
	int was = ticking(r);
	uint64_t s = was ? clock_s(r, now) : 0;

	r->cmos[reg] = val;
	if (was && !ticking(r))
		show(r, s);
	else if (!was && ticking(r))
		start(r, now);
}

static void write_a(struct vrtc *r, uint8_t val, uint64_t now)
{
	if (!dividing(r) && A_DV(val) == DV_32K) {
		r->div_ns = now;
		r->upd_ns = now + RESTART_NS;
	}
	set_control(r, R_A, (uint8_t)(val & ~A_UIP), now);
}

/* A running clock takes the new field and keeps the rest of its
 * reading and the phase of its second. */
static void write_time(struct vrtc *r, unsigned idx, uint8_t val, uint64_t now)
{
	int run = ticking(r);

	if (run)
		show(r, clock_s(r, now));
	r->cmos[idx] = val;
	if (run)
		start(r, now);
}

static uint8_t read_reg(struct vrtc *r, unsigned idx, uint64_t now)
{
	uint8_t v;

	switch (idx) {
	case R_A:
		return (uint8_t)(r->cmos[R_A] | uip(r, now));
	case R_C:
		v = (uint8_t)(r->cmos[R_C] | irqf(r));
		r->cmos[R_C] = 0;
		return v;
	case R_D:
		return D_VRT;
	}
	if (is_time(idx) && ticking(r))
		show(r, clock_s(r, now));
	return r->cmos[idx];
}

static void write_reg(struct vrtc *r, unsigned idx, uint8_t val, uint64_t now)
{
	switch (idx) {
	case R_A:
		write_a(r, val, now);
		break;
	case R_B:
		set_control(r, R_B, val, now);
		break;
	case R_C:
	case R_D:
		break; /* read-only */
	default:
		if (is_time(idx))
			write_time(r, idx, val, now);
		else
			r->cmos[idx] = val;
	}
}

/* Little-endian, n bytes, saturating. */
static void put_le(struct vrtc *r, unsigned at, uint64_t v, unsigned n)
{
	uint64_t max = (1ull << (8 * n)) - 1;

	if (v > max)
		v = max;
	for (unsigned i = 0; i < n; i++)
		r->cmos[at + i] = (uint8_t)(v >> 8 * i);
}

static void fill_memory(struct vrtc *r, uint32_t base_kib, uint32_t ext_kib,
			uint64_t high_bytes)
{
	unsigned sum = 0;

	put_le(r, M_BASE, base_kib, 2);
	put_le(r, M_EXT, ext_kib, 2);
	put_le(r, M_EXT2, ext_kib, 2);
	put_le(r, M_ABOVE16,
	       ext_kib > KIB_1M_16M ? (ext_kib - KIB_1M_16M) / 64 : 0, 2);
	put_le(r, M_ABOVE4G, high_bytes >> 16, 3);
	for (unsigned i = SUM_FIRST; i <= SUM_LAST; i++)
		sum += r->cmos[i];
	r->cmos[M_SUM] = (uint8_t)(sum >> 8); /* big-endian, unlike the rest */
	r->cmos[M_SUM + 1] = (uint8_t)sum;
}

void vrtc_init(struct vrtc *r, uint64_t epoch_s, uint64_t now_ns,
	       uint32_t base_kib, uint32_t ext_kib, uint64_t high_bytes)
{
	memset(r, 0, sizeof(*r));
	r->cmos[R_A] = DV_32K << 4 | 6;
	r->cmos[R_B] = B_24H;
	r->sec0 = epoch_s;
	r->t0 = now_ns;
	r->div_ns = now_ns;
	r->upd_ns = now_ns + NS_PER_S;
	r->seen_ns = now_ns;
	fill_memory(r, base_kib, ext_kib, high_bytes);
}

uint8_t vrtc_read(struct vrtc *r, uint16_t port, uint64_t now_ns)
{
	if (port != VRTC_DATA)
		return 0xff; /* the index port is write-only */
	catch_up(r, now_ns);
	return read_reg(r, r->index, now_ns);
}

void vrtc_write(struct vrtc *r, uint16_t port, uint8_t val, uint64_t now_ns)
{
	if (port == VRTC_INDEX) {
		r->index = val & (VRTC_SIZE - 1);
		r->nmi_off = val >> 7;
	} else if (port == VRTC_DATA) {
		catch_up(r, now_ns);
		write_reg(r, r->index, val, now_ns);
	}
}

int vrtc_nmi_masked(const struct vrtc *r)
{
	return r->nmi_off;
}

int vrtc_irq(struct vrtc *r, uint64_t now_ns)
{
	catch_up(r, now_ns);
	return irqf(r) != 0;
}

static uint64_t earlier(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t vrtc_next_event(const struct vrtc *r, uint64_t now_ns)
{
	uint8_t b = r->cmos[R_B];
	uint64_t at = UINT64_MAX;

	if (b & B_PIE)
		at = earlier(at, next_periodic(r, now_ns));
	if (b & B_AIE)
		at = earlier(at, next_alarm(r, now_ns));
	if (b & B_UIE)
		at = earlier(at, next_update(r, now_ns));
	return at;
}
