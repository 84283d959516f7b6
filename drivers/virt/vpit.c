// SPDX-License-Identifier: MIT
/* Emulated 8254 programmable interval timer (Intel 8254 datasheet). */
#include "vpit.h"

#include <string.h>

#define PORT_CH0  0x40
#define PORT_CTRL 0x43
#define PORT_B	  0x61

/* Control word (datasheet, "Control Word Format"). */
#define CW_SC(v)   ((v) >> 6) /* counter select; 3 = read-back */
#define CW_RW(v)   (((v) >> 4) & 3)
#define CW_MODE(v) (((v) >> 1) & 7)
#define CW_BCD	   0x01
#define RW_LATCH   0 /* counter latch command */
#define RW_LSB	   1
#define RW_MSB	   2
#define RW_LSB_MSB 3
/* Read-back command (datasheet, "Read-Back Command"): active-low bits. */
#define RB_NO_COUNT  0x20
#define RB_NO_STATUS 0x10
#define RB_CNT(ch)   (2u << (ch))
/* Status byte (datasheet, "Read-Back Command", status format). */
#define ST_OUT	0x80
#define ST_NULL 0x40
/* Port 0x61 (PC/AT system control port B). */
#define PB_GATE2      0x01
#define PB_SPEAKER    0x02
#define PB_REFRESH    0x10
#define PB_OUT2	      0x20
#define REFRESH_TICKS 18 /* 15.085 us, the PC's DRAM refresh period */

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int periodic(unsigned mode)
{
	return mode == 2 || mode == 3;
}

/* Counting wraps at 2^16 binary or 10^4 decades. */
static uint32_t modulus(const struct vpit_chan *c)
{
	return c->ctrl & CW_BCD ? 10000 : 65536;
}

/* The count register as ticks; 0 is the largest count.  Nibbles above 9
 * in BCD are undefined on the chip; they weigh their value here. */
static uint32_t count_ticks(const struct vpit_chan *c)
{
	uint32_t n = c->cr;

	if (c->ctrl & CW_BCD)
		n = (n >> 12) * 1000 + (n >> 8 & 15) * 100 +
		    (n >> 4 & 15) * 10 + (n & 15);
	return n ? n : modulus(c);
}

static uint16_t to_bcd(uint32_t v)
{
	return (uint16_t)(v / 1000 << 12 | v / 100 % 10 << 8 |
			  v / 10 % 10 << 4 | v % 10);
}

/* The waveform in effect at t: a pending new count once it is due. */
static const struct vpit_seg *seg_at(const struct vpit_chan *c, uint64_t t)
{
	return c->pending && t >= c->next.begin ? &c->next : &c->cur;
}

/* Ticks into the waveform at t; periodic modes reduce it to one period
 * so that nothing overflows however large t grows. */
static uint64_t pos(const struct vpit_chan *c, const struct vpit_seg *s,
		    uint64_t t)
{
	uint64_t d = c->run && t > s->begin ? t - s->begin : 0;

	if (periodic(c->mode)) { /* ph < n: one reduction is enough */
		uint64_t p = s->ph + d % s->n;
		return p >= s->n ? p - s->n : p;
	}
	return sat_add(s->ph, d);
}

/* OUT at position p of a running waveform ("Mode Definitions"). */
static int wave_out(unsigned mode, uint32_t n, uint64_t p)
{
	switch (mode) {
	case 0:
	case 1:
		return p >= n; /* low until terminal count */
	case 2:
		return p != n - 1; /* low for the tick the count is 1 */
	case 3:
		return p < (n + 1) / 2; /* odd counts: high one tick longer */
	default:
		return p != n; /* modes 4 and 5: one-tick strobe */
	}
}

/* Counter contents at position p.  Mode 3 counts down by two each half,
 * starting from N - 1 when N is odd; the other modes wrap past 0. */
static uint32_t wave_count(unsigned mode, uint32_t n, uint64_t p, uint32_t m)
{
	uint32_t half = (n + 1) / 2;

	if (mode == 2) /* p < n <= m: only n - p = m wraps, to 0 */
		return (uint32_t)(n - p) == m ? 0 : (uint32_t)(n - p);
	if (mode == 3)
		return (uint32_t)((n & ~1u) - 2 * (p < half ? p : p - half)) %
		       m;
	return (uint32_t)((n + m - p % m) % m);
}

static inline __attribute__((always_inline)) uint16_t
count_now(const struct vpit_chan *c, uint64_t now)
{
	if (!c->armed)
		return c->frozen;
	const struct vpit_seg *s = seg_at(c, now);
	uint32_t v = wave_count(c->mode, s->n, pos(c, s, now), modulus(c));
	return c->ctrl & CW_BCD ? to_bcd(v) : (uint16_t)v;
}

int vpit_out(const struct vpit *t, unsigned ch, uint64_t now)
{
	if (ch > 2)
		return 0;
	const struct vpit_chan *c = &t->ch[ch];
	if (!c->armed)
		return c->mode != 0; /* mode 0 starts low, the others high */
	if (!c->run && periodic(c->mode))
		return 1; /* a low gate forces OUT high in modes 2 and 3 */
	const struct vpit_seg *s = seg_at(c, now);
	return wave_out(c->mode, s->n, pos(c, s, now));
}

/* Rising edges of OUT in (since, now] within one waveform. */
static uint64_t seg_rises(const struct vpit_chan *c, const struct vpit_seg *s,
			  uint64_t since, uint64_t now)
{
	uint64_t edges = 0;

	if (now < s->begin)
		return 0;
	if (since < s->begin) {
		edges = s->edge0;
		since = s->begin;
	}
	if (since >= now)
		return edges;
	uint64_t a = pos(c, s, since), b = pos(c, s, now), d = now - since;
	switch (c->mode) {
	case 0:
	case 1:
		return edges + (a < s->n && s->n <= b);
	case 4:
	case 5:
		return edges + (a <= s->n && s->n < b); /* rises at n + 1 */
	default: /* rises where the position wraps to 0 */
		if (s->n < 2)
			return edges;
		return edges + d / s->n + (d % s->n + a) / s->n;
	}
}

/* Tick of the first rising edge after t within one waveform. */
static uint64_t seg_next(const struct vpit_chan *c, const struct vpit_seg *s,
			 uint64_t t)
{
	if (t < s->begin)
		t = s->begin;
	uint64_t p = pos(c, s, t), at;
	if (periodic(c->mode)) {
		if (s->n < 2)
			return UINT64_MAX;
		return sat_add(t, s->n - p);
	}
	at = c->mode == 0 || c->mode == 1 ? s->n : (uint64_t)s->n + 1;
	return p < at ? sat_add(t, at - p) : UINT64_MAX;
}

unsigned vpit_irq0_edges(const struct vpit *t, uint64_t since, uint64_t now)
{
	const struct vpit_chan *c = &t->ch[0];
	uint64_t n;

	if (!c->armed || !c->run || now <= since)
		return 0;
	if (!c->pending)
		n = seg_rises(c, &c->cur, since, now);
	else /* the edge at the switch belongs to the old period */
		n = seg_rises(c, &c->cur, since,
			      now < c->next.begin ? now : c->next.begin) +
		    seg_rises(c, &c->next,
			      since > c->next.begin ? since : c->next.begin,
			      now);
	return n > ~0u ? ~0u : (unsigned)n;
}

uint64_t vpit_next_irq0(const struct vpit *t, uint64_t now)
{
	const struct vpit_chan *c = &t->ch[0];

	if (!c->armed || !c->run)
		return UINT64_MAX;
	if (c->pending && now < c->next.begin) {
		uint64_t at = seg_next(c, &c->cur, now);
		return at <= c->next.begin
			   ? at
			   : seg_next(c, &c->next, c->next.begin);
	}
	return seg_next(c, seg_at(c, now), now);
}

/* A new count that has come due becomes the current one; writes call
 * this first so that they change the waveform actually running. */
static void settle(struct vpit_chan *c, uint64_t now)
{
	if (c->pending && now >= c->next.begin) {
		c->cur = c->next;
		c->pending = 0;
		c->null_cnt = 0;
	}
}

/* The count register goes into the counting element and counting starts
 * (unless the gate holds it). */
static void load(struct vpit_chan *c, uint64_t now)
{
	c->cur = (struct vpit_seg){.begin = now, .n = count_ticks(c)};
	c->armed = 1;
	c->pending = 0;
	c->null_cnt = 0;
	c->run = c->gate || c->mode == 1 || c->mode == 5;
}

/* Modes 2 and 3 keep the current period (mode 3: half-cycle) and switch
 * to the new count when it ends. */
static void schedule(struct vpit_chan *c, uint64_t now)
{
	uint32_t n = c->cur.n, half = (n + 1) / 2, nn = count_ticks(c);
	uint64_t p = pos(c, &c->cur, now);
	int in_high = c->mode == 3 && p < half;

	c->next.n = nn;
	c->next.begin = sat_add(now, (in_high ? half : n) - p);
	c->next.ph = in_high ? (nn + 1) / 2 : 0; /* enters the low half */
	c->next.edge0 = !in_high;
	c->pending = 1;
}

static void new_count(struct vpit_chan *c, uint64_t now)
{
	c->have_cr = 1;
	c->null_cnt = 1;
	if (c->mode == 1 || c->mode == 5)
		return; /* loaded by the next gate trigger */
	if (periodic(c->mode) && c->armed) {
		if (c->run)
			schedule(c, now);
		return; /* held by the gate: its rising edge loads the count */
	}
	load(c, now);
}

static void write_count(struct vpit_chan *c, uint8_t val, uint64_t now)
{
	switch (CW_RW(c->ctrl)) {
	case RW_LATCH:
		return; /* no control word yet: nothing to write to */
	case RW_LSB:
		c->cr = val;
		break;
	case RW_MSB:
		c->cr = (uint16_t)(val << 8);
		break;
	default:
		c->wr_msb ^= 1;
		if (c->wr_msb) {
			c->cr = (uint16_t)((c->cr & 0xff00) | val);
			if (c->mode == 0) { /* first byte stops, OUT low */
				c->frozen = count_now(c, now);
				c->armed = c->run = c->pending = 0;
			}
			return;
		}
		c->cr = (uint16_t)((c->cr & 0x00ff) | val << 8);
	}
	new_count(c, now);
}

static void latch_count(struct vpit_chan *c, uint64_t now)
{
	if (CW_RW(c->ctrl) != RW_LATCH && !c->latched) {
		c->latch = count_now(c, now);
		c->latched = 1;
	}
}

static void latch_status(struct vpit *t, unsigned ch, uint64_t now)
{
	struct vpit_chan *c = &t->ch[ch];

	if (c->stat_latched)
		return;
	c->status = (uint8_t)((vpit_out(t, ch, now) ? ST_OUT : 0) | c->ctrl);
	if (c->null_cnt && !(c->pending && now >= c->next.begin))
		c->status |= ST_NULL;
	c->stat_latched = 1;
}

static void read_back(struct vpit *t, uint8_t val, uint64_t now)
{
	for (unsigned ch = 0; ch < 3; ch++) {
		if (!(val & RB_CNT(ch)))
			continue;
		if (!(val & RB_NO_COUNT))
			latch_count(&t->ch[ch], now);
		if (!(val & RB_NO_STATUS))
			latch_status(t, ch, now);
	}
}

/* A control word resets the channel: the count must be written again. */
static void control(struct vpit *t, uint8_t val, uint64_t now)
{
	if (CW_SC(val) == 3) {
		read_back(t, val, now);
		return;
	}
	struct vpit_chan *c = &t->ch[CW_SC(val)];
	if (CW_RW(val) == RW_LATCH) {
		latch_count(c, now);
		return;
	}
	settle(c, now);
	c->frozen = count_now(c, now);
	c->ctrl = val & 0x3f;
	c->mode = CW_MODE(val) >= 6 ? CW_MODE(val) - 4 : CW_MODE(val);
	c->have_cr = c->armed = c->run = c->pending = 0;
	c->null_cnt = 1;
	c->wr_msb = c->rd_msb = 0;
	c->latched = c->stat_latched = 0;
}

/* Gate low holds the count (modes 0, 2, 3, 4); a rising gate resumes
 * modes 0 and 4 and reloads the count in the others. */
static void set_gate(struct vpit_chan *c, uint8_t level, uint64_t now)
{
	if (level == c->gate)
		return;
	settle(c, now);
	c->gate = level;
	if (!level) {
		/* A pending count is dropped: the rising gate loads it. */
		if (c->armed && c->run && c->mode != 1 && c->mode != 5) {
			c->cur.ph = pos(c, &c->cur, now);
			c->run = 0;
			c->pending = 0;
		}
	} else if (c->mode == 0 || c->mode == 4) {
		if (c->armed && !c->run) {
			c->cur.begin = now;
			c->run = 1;
		}
	} else if (c->have_cr) {
		load(c, now);
	}
}

static uint8_t read_count(struct vpit_chan *c, uint64_t now)
{
	if (c->stat_latched) {
		c->stat_latched = 0;
		return c->status;
	}
	unsigned rw = CW_RW(c->ctrl);
	uint16_t v = c->latched ? c->latch : count_now(c, now);
	int msb = rw == RW_MSB;
	if (rw == RW_LSB_MSB) {
		msb = c->rd_msb;
		c->rd_msb ^= 1;
	}
	if (rw != RW_LSB_MSB || msb)
		c->latched = 0; /* the whole count has been read */
	if (rw == RW_LATCH)
		return 0;
	return (uint8_t)(msb ? v >> 8 : v);
}

void vpit_init(struct vpit *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned ch = 0; ch < 3; ch++) {
		t->ch[ch].gate = ch != 2;
		t->ch[ch].null_cnt = 1;
	}
}

uint8_t vpit_read(struct vpit *t, uint16_t port, uint64_t now)
{
	if (port >= PORT_CH0 && port < PORT_CTRL)
		return read_count(&t->ch[port - PORT_CH0], now);
	if (port != PORT_B)
		return 0xff; /* the control word register is write-only */
	return (uint8_t)((t->ch[2].gate ? PB_GATE2 : 0) |
			 (t->speaker ? PB_SPEAKER : 0) |
			 (now / REFRESH_TICKS & 1 ? PB_REFRESH : 0) |
			 (vpit_out(t, 2, now) ? PB_OUT2 : 0));
}

void vpit_write(struct vpit *t, uint16_t port, uint8_t val, uint64_t now)
{
	if (port >= PORT_CH0 && port < PORT_CTRL) {
		struct vpit_chan *c = &t->ch[port - PORT_CH0];
		settle(c, now);
		write_count(c, val, now);
	} else if (port == PORT_CTRL) {
		control(t, val, now);
	} else if (port == PORT_B) {
		t->speaker = !!(val & PB_SPEAKER);
		set_gate(&t->ch[2], val & PB_GATE2, now);
	}
}
