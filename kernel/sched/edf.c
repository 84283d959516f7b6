// SPDX-License-Identifier: MIT
/*
 * "edf": budget/period reservations, earliest deadline first (like Xen's
 * RTDS), with an exact admission test at boot.
 *
 * Each vCPU reserves budget cycles in every period cycles (0 < budget <=
 * period).  The promise: if the reservations on a CPU add up to at most
 * 100% (admit refuses more), a vCPU that stays runnable receives its full
 * budget within each of its periods, and never more.  That is EDF's
 * optimality for implicit-deadline periodic jobs; the unit tests check
 * it by simulation, at exactly 100% too.  It assumes the others want the
 * CPU from the start of their periods: see sleepers, below.
 *
 * Deliberate choices:
 * - Periods are aligned to absolute time: a vCPU's periods are
 *   [k*period, (k+1)*period) counted from TSC 0, so its deadline is
 *   floor(now/period)*period + period.  All vCPUs start synchronised,
 *   no state depends on when a vCPU first woke, and a period boundary is
 *   a pure function of the clock.  A vCPU that first wakes mid-period
 *   gets a full budget for the rest of that period.
 * - Replenishment is lazy: pick and wake refill any vCPU whose deadline
 *   has passed, jumping straight to the current period; missed periods
 *   leave no backlog and no debt.
 * - Not work-conserving: a vCPU that used its budget waits for its next
 *   period even if the CPU would idle (RTDS's default).  Reservations are
 *   then also limits: what a vCPU gets does not grow when its neighbours
 *   are idle, so it is the same on a busy and a quiet machine.
 * - A sleeper keeps what is left of its budget until its period ends, as
 *   in RTDS (a deferrable server), and one waking in a new period gets a
 *   whole budget for what is left of it.  So the guarantee above is for
 *   vCPUs that stay runnable: a sleeper may not get all of its own, and
 *   at high utilisation its late demand can make others miss theirs
 *   (2/4 waking at 2 beside an always-runnable 1/2: in [2, 4) both want
 *   the CPU by 4: 3 cycles of work in 2).
 * - Ties go to the lower index in the run queue (pinning order).
 * - A run that overshoots (the loop comes back late) is charged exactly:
 *   the budget never goes below 0, and cycles past a period boundary come
 *   out of the new period's budget.
 *
 * Reads: budget, period.  Keeps: deadline, left.
 */
#include "../lib/fmt.h"
#include "sched.h"

/* Start a new period if e's has ended by now: the period holding now. */
static void replenish(struct sched_entity *e, uint64_t now)
{
	if (e->deadline > now)
		return;
	uint64_t start = now - now % e->period;
	e->left = e->budget;
	/* A period that would end past 2^64 cycles (centuries) never ends. */
	e->deadline =
	    start <= SCHED_NEVER - e->period ? start + e->period : SCHED_NEVER;
}

static void edf_wake(struct sched_cpu *c, struct sched_entity *e, uint64_t now)
{
	(void)c;
	replenish(e, now);
}

/* The runnable entity with budget and the earliest deadline.  *until is
 * when it runs out of budget or the first runnable entity's period ends,
 * whichever is sooner: a replenishment may bring back a job with an
 * earlier deadline (or the picked one's own, with a later one). */
static struct sched_entity *edf_pick(struct sched_cpu *c, uint64_t now,
				     uint64_t *until)
{
	struct sched_entity *best = NULL;
	uint64_t soonest = SCHED_NEVER;

	for (uint32_t i = 0; i < c->n; i++) {
		struct sched_entity *e = c->ents[i];
		if (!e->runnable)
			continue;
		replenish(e, now);
		if (e->deadline < soonest)
			soonest = e->deadline;
		if (e->left && (!best || e->deadline < best->deadline))
			best = e;
	}
	/* soonest is the first replenishment: with no one to run, the CPU
	 * idles until then rather than give anyone more than its budget. */
	if (best && best->left < soonest - now)
		soonest = now + best->left;
	*until = soonest;
	return best;
}

/* Only the period holding the last cycle run (to - 1) still matters:
 * earlier ones are over, whatever was left of them. */
static void edf_charge(struct sched_cpu *c, struct sched_entity *e,
		       uint64_t from, uint64_t to)
{
	(void)c;
	uint64_t last = to - 1;

	if (e->deadline <= last) {
		uint64_t start = last - last % e->period;
		replenish(e, last);
		if (from < start)
			from = start;
	}
	uint64_t ran = to - from;
	e->left -= ran < e->left ? ran : e->left;
}

/*
 * Admission: sum(budget_i / period_i) <= 1, exactly.  With D the product
 * of the periods and N the sum of each budget times the other periods,
 * the test is N <= D: no division, just multiplication of integers of up
 * to 64 words (64 periods of 64 bits each), done at boot.
 */
#define WORDS (SCHED_MAX_ENTITIES + 1) /* N < 64 * D < 2^(64*64 + 6) */

/* a *= x; a never outgrows WORDS (see above). */
static void big_mul(uint64_t *a, uint64_t x)
{
	uint64_t carry = 0;

	for (int i = 0; i < WORDS; i++) {
		unsigned __int128 t = (unsigned __int128)a[i] * x + carry;
		a[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
}

static void big_add(uint64_t *a, const uint64_t *b)
{
	uint64_t carry = 0;

	for (int i = 0; i < WORDS; i++) {
		unsigned __int128 t = (unsigned __int128)a[i] + b[i] + carry;
		a[i] = (uint64_t)t;
		carry = (uint64_t)(t >> 64);
	}
}

/* a <= b? */
static int big_le(const uint64_t *a, const uint64_t *b)
{
	for (int i = WORDS - 1; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i];
	return 1;
}

static int fits(const struct sched_cpu *c)
{
	uint64_t n[WORDS] = {0}, d[WORDS] = {1}, t[WORDS];

	/* n/d += b/p as n = n*p + b*d, d = d*p. */
	for (uint32_t i = 0; i < c->n; i++) {
		const struct sched_entity *e = c->ents[i];
		for (int w = 0; w < WORDS; w++)
			t[w] = d[w];
		big_mul(t, e->budget);
		big_mul(n, e->period);
		big_add(n, t);
		big_mul(d, e->period);
	}
	return big_le(n, d);
}

/* floor(b * 2^64 / p) for b < p, by long division one bit at a time (a
 * 128-bit division would need libgcc). */
static uint64_t frac64(uint64_t b, uint64_t p)
{
	uint64_t q = 0, r = b;

	for (int i = 0; i < 64; i++) {
		uint64_t top = r >> 63;
		r <<= 1; /* 2r, less than 2p: one subtraction is enough */
		q <<= 1;
		if (top || r >= p) {
			r -= p;
			q |= 1;
		}
	}
	return q;
}

/* budget/period as a fraction of 2^64 (1 is 2^64). */
static unsigned __int128 share(const struct sched_entity *e)
{
	if (e->budget == e->period)
		return (unsigned __int128)1 << 64;
	return frac64(e->budget, e->period);
}

/* A share in tenths of a percent, rounded to nearest: for messages. */
static unsigned permille(unsigned __int128 s)
{
	return (unsigned)((s * 1000 + ((unsigned __int128)1 << 63)) >> 64);
}

static int edf_admit(struct sched_cpu *c, struct sched_entity *e, char *err,
		     size_t err_len)
{
	if (!e->budget || !e->period) {
		fmt_snprintf(err, err_len,
			     "edf: every vCPU needs a budget and a period; "
			     "this one has budget %llu, period %llu cycles",
			     (unsigned long long)e->budget,
			     (unsigned long long)e->period);
		return -1;
	}
	if (e->budget > e->period) {
		fmt_snprintf(err, err_len,
			     "edf: budget %llu cycles is longer than the "
			     "period %llu",
			     (unsigned long long)e->budget,
			     (unsigned long long)e->period);
		return -1;
	}
	if (fits(c))
		return 0;

	/* Refused: say by how much, in percent.  The total is rounded, so
	 * one just over 100% reads "100.0%": then say "over 100.0%". */
	unsigned __int128 total = 0;
	for (uint32_t i = 0; i < c->n; i++)
		total += share(c->ents[i]);
	unsigned all = permille(total), mine = permille(share(e));
	const char *over = "";
	if (all <= 1000) {
		all = 1000;
		over = "over ";
	}
	fmt_snprintf(err, err_len,
		     "edf: reservations need %s%u.%u%% of the CPU; this vCPU "
		     "adds %u.%u%% (budget %llu of period %llu cycles)",
		     over, all / 10, all % 10, mine / 10, mine % 10,
		     (unsigned long long)e->budget,
		     (unsigned long long)e->period);
	return -1;
}

const struct sched_policy sched_edf = {
    .name = "edf",
    .admit = edf_admit,
    .wake = edf_wake,
    .pick = edf_pick,
    .charge = edf_charge,
};
