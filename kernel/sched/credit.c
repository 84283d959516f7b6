// SPDX-License-Identifier: MIT
/*
 * "credit": proportional share by weight, an optional cap, work-conserving.
 *
 * The promise: vCPUs that stay runnable share the CPU in proportion to
 * their weights, each within a slice of its share; a vCPU with a cap runs
 * at most cap % of every cap period; and the CPU never idles while an
 * uncapped vCPU is runnable.
 *
 * Weighted fair queueing by virtual time.  Running d cycles advances an
 * entity's vtime by d * 256 / weight (weight 256, the default, moves at
 * wall-clock speed); pick runs the eligible runnable entity with the least
 * vtime (the lowest index on a tie) for at most a slice when another one
 * is eligible, and without a limit when it is alone.
 *
 * Deliberate choices:
 *  - No banking, and a small wake-up lead.  A waking entity's vtime is
 *    raised to half a slice (in its own weighted time) below the least
 *    vtime of the others that compete (runnable and within their cap;
 *    failing those, the runnable ones): it gets its share from the
 *    moment it wakes, not a burst that pays back its sleep, but it is
 *    picked first, so an I/O-bound vCPU answers its interrupt at once
 *    instead of after a CPU-bound one's slice (as Xen's BOOST does).  The
 *    lead is worth half a slice at most, once per sleep behind the
 *    others.  One that ran ahead before sleeping keeps its higher vtime:
 *    debt is not forgiven.
 *  - Cap periods are fixed windows of CAP_PERIOD_SLICES (100) slices,
 *    aligned to multiples of the period counted from TSC 0: c->epoch
 *    starts at 0 (sched_cpu_init) and only ever moves forward by whole
 *    periods.  The windows are then a function of time alone (no state
 *    from when the first pick happened), which tests and the simulator
 *    can compute.  Within a window an entity runs at most cap % of it,
 *    cap * slice cycles (e->used counts them); then it is throttled until
 *    the next window, where every used count restarts at 0.  The bound is
 *    per window: across a window boundary a capped entity can run the end
 *    of one allowance and the start of the next back to back.
 *  - Caps are not work-conserving, by design: when only throttled entities
 *    are runnable the CPU idles until the next window.  That is what a cap
 *    is for (a guest held to 20 % stays at 20 % on an idle machine).
 *    Uncapped entities are never throttled, so the CPU never idles while
 *    one is runnable.
 *  - A throttled entity re-enters at the next window like a waking
 *    sleeper: its vtime stood still while it was not allowed to compete,
 *    and without the lift it would spend its whole allowance in one burst
 *    at every window start instead of interleaving by weight.
 *  - vtime is relative: only differences between entities matter, so when
 *    one passes VTIME_REBASE all are shifted down by the least runnable
 *    vtime (sleepers below it clamp to 0; their wake lifts them anyway).
 *    Weight 1 gains 256 vtime per cycle and would otherwise wrap 64 bits
 *    within a year of running.  Absurd single charges (above 2^56 cycles
 *    at weight 1) saturate rather than wrap.
 */
#include "../lib/fmt.h"
#include "sched.h"

#define CAP_PERIOD_SLICES 100	       /* a cap period is this many slices */
#define VTIME_SCALE	  256	       /* vtime per cycle at weight 1 */
#define VTIME_REBASE	  (1ull << 62) /* shift every vtime down past this */

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* d * VTIME_SCALE / w without a 128-bit division (freestanding: no
 * __udivti3): d = q * w + r, so the result is q * 256 + r * 256 / w, and
 * r * 256 < 2^40 fits. */
static uint64_t scaled(uint64_t d, uint32_t weight)
{
	uint64_t w = weight ? weight : 1; /* admit refuses 0; stay defined */
	uint64_t q = d / w, r = d % w;

	if (q > UINT64_MAX / VTIME_SCALE)
		return UINT64_MAX;
	return q * VTIME_SCALE + r * VTIME_SCALE / w;
}

static uint64_t cap_period(const struct sched_cpu *c)
{
	uint64_t s = c->slice ? c->slice : 1;

	return s <= UINT64_MAX / CAP_PERIOD_SLICES ? s * CAP_PERIOD_SLICES
						   : UINT64_MAX;
}

/* Cycles e may run per window: cap % of it, cap * slice. */
static uint64_t allowance(const struct sched_cpu *c,
			  const struct sched_entity *e)
{
	return cap_period(c) / 100 * e->cap;
}

static int throttled(const struct sched_cpu *c, const struct sched_entity *e)
{
	return e->cap && e->used >= allowance(c, e);
}

/* The least vtime among the entities other than skip that compete for the
 * CPU now (runnable, not throttled); failing those, among the runnable
 * ones.  0 if there are none: the caller keeps what it has. */
static int least_vtime(const struct sched_cpu *c,
		       const struct sched_entity *skip, uint64_t *out)
{
	int found = 0;

	for (int pass = 0; pass < 2 && !found; pass++)
		for (uint32_t i = 0; i < c->n; i++) {
			const struct sched_entity *o = c->ents[i];
			if (o == skip || !o->runnable ||
			    (pass == 0 && throttled(c, o)))
				continue;
			if (!found || o->vtime < *out)
				*out = o->vtime;
			found = 1;
		}
	return found;
}

/* Move to the window holding now: throttled entities rejoin (lifted like
 * sleepers, before their used resets, since that is what marks them) and
 * every used count restarts. */
static void roll(struct sched_cpu *c, uint64_t now)
{
	uint64_t p = cap_period(c), floor = 0;

	if (now < c->epoch || now - c->epoch < p)
		return;
	int lift = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		const struct sched_entity *o = c->ents[i];
		if (o->runnable && !throttled(c, o) &&
		    (!lift || o->vtime < floor)) {
			floor = o->vtime;
			lift = 1;
		}
	}
	for (uint32_t i = 0; i < c->n; i++) {
		struct sched_entity *e = c->ents[i];
		if (lift && e->runnable && throttled(c, e) && e->vtime < floor)
			e->vtime = floor;
		e->used = 0;
	}
	c->epoch += (now - c->epoch) / p * p;
}

/* Shift every vtime down by the least runnable one (e's included, runnable
 * or not, as it was just charged): order and differences among the
 * runnable stay, the numbers stay small. */
static void rebase(struct sched_cpu *c, const struct sched_entity *e)
{
	uint64_t base = e->vtime;

	for (uint32_t i = 0; i < c->n; i++)
		if (c->ents[i]->runnable)
			base = min64(base, c->ents[i]->vtime);
	for (uint32_t i = 0; i < c->n; i++) {
		struct sched_entity *o = c->ents[i];
		o->vtime = o->vtime > base ? o->vtime - base : 0;
	}
}

static int credit_admit(struct sched_cpu *c, struct sched_entity *e, char *err,
			size_t err_len)
{
	if (!e->weight) {
		fmt_snprintf(err, err_len,
			     "policy credit needs a weight of at least 1; "
			     "vCPU %u has weight 0",
			     e->id);
		return -1;
	}
	if (e->cap > 100) {
		fmt_snprintf(err, err_len,
			     "policy credit caps at most 100%% of a CPU; "
			     "vCPU %u asks for cap %u",
			     e->id, e->cap);
		return -1;
	}
	if (!c->slice) {
		/* Every shared pick would last nothing. */
		fmt_snprintf(err, err_len, "policy credit needs a slice > 0");
		return -1;
	}
	return 0;
}

static void credit_wake(struct sched_cpu *c, struct sched_entity *e,
			uint64_t now)
{
	uint64_t least;

	roll(c, now); /* who is throttled depends on the window */
	if (!least_vtime(c, e, &least))
		return;
	uint64_t lead = scaled(c->slice / 2, e->weight);
	uint64_t floor = least > lead ? least - lead : 0;
	if (e->vtime < floor)
		e->vtime = floor;
}

/* The runnable, unthrottled entity with the least vtime, and until when:
 * a slice if another one competes, no later than the end of its
 * allowance if capped, no later than the window's end if a cap is in
 * play (throttled entities rejoin there, e's own allowance renews). */
static struct sched_entity *credit_pick(struct sched_cpu *c, uint64_t now,
					uint64_t *until)
{
	struct sched_entity *best = NULL;
	uint32_t competing = 0;
	int waiting = 0;

	roll(c, now);
	for (uint32_t i = 0; i < c->n; i++) {
		struct sched_entity *e = c->ents[i];
		if (!e->runnable)
			continue;
		if (throttled(c, e)) {
			waiting = 1;
			continue;
		}
		competing++;
		if (!best || e->vtime < best->vtime)
			best = e;
	}
	uint64_t limit = SCHED_NEVER;
	if (waiting || (best && best->cap))
		limit = add_sat(c->epoch, cap_period(c));
	if (best && competing > 1)
		limit = min64(limit, add_sat(now, c->slice));
	if (best && best->cap)
		limit =
		    min64(limit, add_sat(now, allowance(c, best) - best->used));
	*until = limit; /* nothing runnable at all: SCHED_NEVER */
	return best;
}

static void credit_charge(struct sched_cpu *c, struct sched_entity *e,
			  uint64_t from, uint64_t to)
{
	if (to <= from)
		return;
	e->vtime = add_sat(e->vtime, scaled(to - from, e->weight));
	/* A run may end past its window (the CPU's loop charges up to when
	 * the vCPU actually left, maybe after until): the part before the
	 * window to falls in belongs to a window that is over. */
	roll(c, to);
	if (to > c->epoch)
		e->used =
		    add_sat(e->used, to - (from > c->epoch ? from : c->epoch));
	if (e->vtime > VTIME_REBASE)
		rebase(c, e);
}

const struct sched_policy sched_credit = {
    .name = "credit",
    .admit = credit_admit,
    .wake = credit_wake,
    .pick = credit_pick,
    .charge = credit_charge,
};
