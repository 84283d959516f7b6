// SPDX-License-Identifier: MIT
/* Policy "credit" (kernel/sched/credit.c): shares by weight, caps, no
 * banking, work conservation, held by a one-CPU simulation. */
#include "../../kernel/sched/sched.h"

#include "test.h"

#define SLICE  1000000ull
#define PERIOD (100 * SLICE) /* credit's cap window: 100 slices from TSC 0 */
#define MAXE   4

/* One wake or block of entity ent at TSC at; lists are sorted by at. */
struct ev {
	uint64_t at;
	uint32_t ent;
	int wake;
};

static struct sched_cpu cpu;
static struct sched_entity ents[MAXE];
static uint64_t got[MAXE];     /* cycles each ran */
static uint64_t idle;	       /* cycles nothing ran */
static uint64_t idle_uncapped; /* of those, while an uncapped one waited */
static uint64_t win;	       /* the cap window the simulation is in */
static uint64_t win_got[MAXE]; /* cycles each ran in it */
static const char *sim_err;    /* the first broken promise seen */

static void start(void)
{
	sched_cpu_init(&cpu, sched_policy_by_name("credit"), SLICE, 1000000000);
	for (uint32_t i = 0; i < MAXE; i++) {
		sched_entity_init(&ents[i], i);
		got[i] = win_got[i] = 0;
	}
	idle = idle_uncapped = 0;
	win = 0;
	sim_err = NULL;
}

static int add(uint32_t i, uint32_t weight, uint32_t cap)
{
	char err[120] = "";

	ents[i].weight = weight;
	ents[i].cap = cap;
	if (sched_add(&cpu, &ents[i], err, sizeof(err))) {
		printf("    add %u: %s\n", i, err);
		return -1;
	}
	return 0;
}

static void fail(const char *why, uint64_t now)
{
	if (!sim_err)
		printf("    at 0x%llx: %s\n", (unsigned long long)now, why);
	sim_err = why;
}

static int uncapped_runnable(void)
{
	for (uint32_t i = 0; i < cpu.n; i++)
		if (cpu.ents[i]->runnable && !cpu.ents[i]->cap)
			return 1;
	return 0;
}

/*
 * One CPU from now for len cycles: apply the events due, pick, run the
 * pick until it asked to be asked again, the next event or the end,
 * charge it, repeat.  Checks on the way that no pick lasts nothing, only
 * runnable entities run, the CPU never idles beside a runnable uncapped
 * entity, and no capped entity runs past its allowance in a window (or
 * across a window's end).  Returns the time it stopped.
 */
static uint64_t sim(uint64_t now, uint64_t len, const struct ev *ev, size_t nev)
{
	uint64_t end = now + len;
	size_t k = 0;

	while (now < end) {
		for (; k < nev && ev[k].at <= now; k++) {
			struct sched_entity *x = &ents[ev[k].ent];
			if (ev[k].wake)
				sched_wake(&cpu, x, now);
			else
				sched_block(&cpu, x, now);
		}
		if (now / PERIOD != win) {
			win = now / PERIOD;
			for (uint32_t i = 0; i < MAXE; i++)
				win_got[i] = 0;
		}
		uint64_t until, next = end;
		if (k < nev && ev[k].at < next)
			next = ev[k].at;
		struct sched_entity *e = sched_pick(&cpu, now, &until);
		if (until < next)
			next = until;
		if (next <= now) {
			fail("a pick that lasts nothing", now);
			return now;
		}
		if (!e) {
			idle += next - now;
			if (uncapped_runnable())
				idle_uncapped += next - now;
			now = next;
			continue;
		}
		if (!e->runnable)
			fail("picked an entity that is not runnable", now);
		if (e->cap) {
			if ((next - 1) / PERIOD != win)
				fail("a capped run crosses a window's end",
				     now);
			win_got[e->id] += next - now;
			if (win_got[e->id] > e->cap * SLICE)
				fail("a capped entity ran past its allowance",
				     now);
		}
		sched_charge(&cpu, e, now, next);
		got[e->id] += next - now;
		now = next;
	}
	return now;
}

/* sim without events: everyone stays as they are. */
static uint64_t run(uint64_t now, uint64_t len)
{
	static const struct ev none[1];

	return sim(now, len, none, 0);
}

/* part is expect_pm per mille of total, give or take tol_pm per mille
 * (total at least 1000 cycles; everything computed on total / 1000, so
 * nothing overflows at 2^58 cycles). */
static int share_near(uint32_t i, uint64_t part, uint64_t total,
		      uint64_t expect_pm, uint64_t tol_pm)
{
	uint64_t unit = total / 1000;

	if (part >= unit * (expect_pm - tol_pm) &&
	    part <= unit * (expect_pm + tol_pm))
		return 1;
	uint64_t pm = part / unit;
	printf("    entity %u got %llu of %llu cycles (%llu.%llu%%), want "
	       "%llu.%llu%% +- %llu.%llu%%\n",
	       i, (unsigned long long)part, (unsigned long long)total,
	       (unsigned long long)(pm / 10), (unsigned long long)(pm % 10),
	       (unsigned long long)(expect_pm / 10),
	       (unsigned long long)(expect_pm % 10),
	       (unsigned long long)(tol_pm / 10),
	       (unsigned long long)(tol_pm % 10));
	return 0;
}

static void wake_all(uint32_t n, uint64_t now)
{
	for (uint32_t i = 0; i < n; i++)
		sched_wake(&cpu, &ents[i], now);
}

/* 1. Weights 1:2:1 share 25/50/25. */
TEST(weights_share)
{
	start();
	CHECK_EQ(add(0, 256, 0), 0);
	CHECK_EQ(add(1, 512, 0), 0);
	CHECK_EQ(add(2, 256, 0), 0);
	wake_all(3, 0);
	uint64_t len = 10000 * SLICE;
	CHECK_EQ(run(0, len), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK_EQ(got[0] + got[1] + got[2], len);
	CHECK(share_near(0, got[0], len, 250, 20));
	CHECK(share_near(1, got[1], len, 500, 20));
	CHECK(share_near(2, got[2], len, 250, 20));
}

/* 2. Equal weights share equally, to within 1 %; any weight works, only
 * ratios matter. */
TEST(equal_weights_equal_shares)
{
	start();
	for (uint32_t i = 0; i < 4; i++)
		CHECK_EQ(add(i, 100, 0), 0);
	wake_all(4, 0);
	uint64_t len = 10000 * SLICE;
	CHECK_EQ(run(0, len), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	for (uint32_t i = 0; i < 4; i++)
		CHECK(share_near(i, got[i], len, 250, 10));
}

/* 3a. Capped at 20 % and alone: 20 % of every window, the CPU idles the
 * rest; idle picks wait exactly for the next window. */
TEST(cap_alone_idles)
{
	uint64_t until;

	start();
	CHECK_EQ(add(0, 256, 20), 0);
	wake_all(1, 0);
	uint64_t len = 1000 * SLICE; /* 10 windows */
	CHECK_EQ(run(0, len), len);
	CHECK(!sim_err);
	CHECK(got[0] <= len / 5 + SLICE);
	CHECK(got[0] + SLICE >= len / 5); /* a cap is not a throttle to 0 */
	CHECK_EQ(idle, len - got[0]);
	/* Throttled 30 slices into the next window (it took its 20 at the
	 * window's start). */
	CHECK_EQ(run(len, 30 * SLICE + 7), len + 30 * SLICE + 7);
	CHECK(sched_pick(&cpu, len + 30 * SLICE + 7, &until) == NULL);
	CHECK_EQ(until, len + PERIOD);
	/* A capped pick never outlasts its allowance. */
	CHECK(sched_pick(&cpu, len + PERIOD, &until) == &ents[0]);
	CHECK_EQ(until, len + PERIOD + 20 * SLICE);

	/* The CPU's loop charges up to when the vCPU left, maybe past
	 * until: what ran past the window's end counts in the next one. */
	start();
	CHECK_EQ(add(0, 256, 20), 0);
	wake_all(1, 0);
	CHECK(sched_pick(&cpu, 90 * SLICE, &until) == &ents[0]);
	CHECK_EQ(until, PERIOD); /* not 110: the window ends first */
	sched_charge(&cpu, &ents[0], 90 * SLICE, PERIOD + 3 * SLICE);
	CHECK_EQ(ents[0].used, 3 * SLICE);
	CHECK(sched_pick(&cpu, PERIOD + 3 * SLICE, &until) == &ents[0]);
	CHECK_EQ(until, PERIOD + 20 * SLICE);
}

/* 3b. Capped at 20 % beside an uncapped competitor of the same weight:
 * it gets its 20 % (its fair 50 % is more), the other everything else,
 * and the CPU never idles.  Started mid-window: the per-window bound is
 * checked by sim. */
TEST(cap_with_competitor)
{
	uint64_t until;

	start();
	CHECK_EQ(add(0, 256, 20), 0);
	CHECK_EQ(add(1, 256, 0), 0);
	uint64_t t0 = 37 * SLICE + 12345, len = 1000 * SLICE;
	wake_all(2, t0);
	CHECK_EQ(run(t0, len), t0 + len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK_EQ(got[0] + got[1], len);
	/* Windows 1..9 are whole: 20 slices each; the two partial ones
	 * (63 slices, 37 slices) at most 20 each. */
	CHECK(got[0] <= 9 * 20 * SLICE + 40 * SLICE);
	CHECK(got[0] >= 9 * 20 * SLICE);
	/* From the same start aligned to a window: exactly one fifth. */
	start();
	CHECK_EQ(add(0, 256, 20), 0);
	CHECK_EQ(add(1, 256, 0), 0);
	wake_all(2, 0);
	CHECK_EQ(run(0, len), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK(share_near(0, got[0], len, 200, 10));
	CHECK(share_near(1, got[1], len, 800, 10));
	/* Mid-window with 0 throttled: 1 runs, but only to the window's end,
	 * where 0 may run again. */
	/* A new window: 0 rejoins level with 1 and they take turns; it
	 * does not spend its 20 slices in one burst. */
	uint64_t g0 = got[0];
	CHECK_EQ(run(len, 10 * SLICE), len + 10 * SLICE);
	CHECK(got[0] - g0 <= 6 * SLICE);
	CHECK_EQ(run(len + 10 * SLICE, 50 * SLICE), len + 60 * SLICE);
	CHECK(ents[0].used >= 20 * SLICE);
	CHECK(sched_pick(&cpu, len + 60 * SLICE, &until) == &ents[1]);
	CHECK_EQ(until, len + PERIOD);
}

/* 3c. A cap bounds, it does not reserve: capped at 60 % but weighted
 * 1:3, the entity gets its 25 %. */
TEST(cap_above_fair_share_is_inert)
{
	start();
	CHECK_EQ(add(0, 256, 60), 0);
	CHECK_EQ(add(1, 768, 0), 0);
	wake_all(2, 0);
	uint64_t len = 1000 * SLICE;
	CHECK_EQ(run(0, len), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK(share_near(0, got[0], len, 250, 20));
}

/* Entity ent sleeps from off to off + sleep in every round of period
 * cycles, for rounds rounds from t0. */
static size_t sleeper_events(struct ev *ev, uint32_t ent, uint64_t t0,
			     uint64_t period, uint64_t off, uint64_t sleep,
			     uint32_t rounds)
{
	size_t n = 0;

	for (uint32_t r = 0; r < rounds; r++) {
		uint64_t at = t0 + r * period + off;
		ev[n++] = (struct ev){.at = at, .ent = ent, .wake = 0};
		ev[n++] = (struct ev){.at = at + sleep, .ent = ent, .wake = 1};
	}
	return n;
}

/* 4. An entity blocked half the time leaves its time to the others, and
 * the CPU is busy whenever anything is runnable. */
TEST(blocking_is_work_conserving)
{
	static struct ev ev[2000];

	start();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, 256, 0), 0);
	wake_all(3, 0);
	/* 2 sleeps 100 slices of every 200 (off the slice grid): long
	 * naps, so that its third while awake is measured over many
	 * turns. */
	size_t n = sleeper_events(ev, 2, 0, 200 * SLICE, 100 * SLICE + 333,
				  100 * SLICE, 100);
	uint64_t len = 20000 * SLICE;
	CHECK_EQ(sim(0, len, ev, n), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK_EQ(got[0] + got[1] + got[2], len);
	/* Awake half the time with a third of the CPU: 1/6; the others
	 * (1/3 + 1/2) / 2 = 5/12 each. */
	CHECK(share_near(2, got[2], len, 167, 10));
	CHECK(share_near(0, got[0], len, 417, 10));
	CHECK(share_near(1, got[1], len, 417, 10));

	/* Alone and blocking half the time: the CPU idles exactly then. */
	start();
	CHECK_EQ(add(0, 256, 0), 0);
	CHECK_EQ(add(1, 256, 0), 0);
	wake_all(1, 0);
	n = sleeper_events(ev, 0, 0, 20 * SLICE, 5 * SLICE, 10 * SLICE, 100);
	len = 2000 * SLICE;
	CHECK_EQ(sim(0, len, ev, n), len);
	CHECK(!sim_err);
	CHECK_EQ(got[0], len / 2);
	CHECK_EQ(idle, len / 2);
	CHECK_EQ(idle_uncapped, 0);
}

/* 5. A long sleeper gets its share from its wake on, not a burst paying
 * back its sleep; debt survives a sleep; alone, it keeps its vtime. */
TEST(sleeper_does_not_bank)
{
	uint64_t until;

	start();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, 256, 0), 0);
	wake_all(2, 0); /* 2 sleeps from the start */
	uint64_t t = run(0, 1000 * SLICE);
	CHECK(!sim_err);
	sched_wake(&cpu, &ents[2], t);
	CHECK(sched_pick(&cpu, t, &until) != NULL);
	CHECK_EQ(until, t + SLICE); /* still taking turns */
	for (uint32_t i = 0; i < 3; i++)
		got[i] = 0;
	CHECK_EQ(run(t, 30 * SLICE), t + 30 * SLICE);
	CHECK(!sim_err);
	CHECK(got[2] <= 11 * SLICE); /* its third, not all 30 slices */
	CHECK(got[2] >= 9 * SLICE);
	t += 30 * SLICE;
	for (uint32_t i = 0; i < 3; i++)
		got[i] = 0;
	CHECK_EQ(run(t, PERIOD), t + PERIOD);
	CHECK(share_near(2, got[2], PERIOD, 333, 10));

	/* The waker joins at the least vtime of those competing: not the
	 * most, and not a throttled one's (it stood still). */
	start();
	CHECK_EQ(add(0, 256, 0), 0);
	CHECK_EQ(add(1, 256, 0), 0);
	CHECK_EQ(add(2, 256, 0), 0);
	CHECK_EQ(add(3, 512, 10), 0);
	sched_wake(&cpu, &ents[0], 0);
	sched_wake(&cpu, &ents[1], 0);
	sched_wake(&cpu, &ents[3], 0);
	sched_charge(&cpu, &ents[3], 0, 10 * SLICE); /* throttled, vtime 5 */
	sched_charge(&cpu, &ents[0], 10 * SLICE, 20 * SLICE);
	sched_charge(&cpu, &ents[1], 20 * SLICE, 40 * SLICE);
	CHECK_EQ(ents[3].vtime, 5 * SLICE);
	sched_wake(&cpu, &ents[2], 40 * SLICE);
	CHECK_EQ(ents[2].vtime, 10 * SLICE - SLICE / 2); /* its lead */

	/* Debt: 2 ran ahead alone and slept; the others woke at vtime 0.
	 * Back, 2 keeps its higher vtime and waits until they pass it. */
	start();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, 256, 0), 0);
	wake_all(3, 0);
	sched_block(&cpu, &ents[0], 0);
	sched_block(&cpu, &ents[1], 0);
	sched_charge(&cpu, &ents[2], 0, 100 * SLICE);
	uint64_t debt = ents[2].vtime;
	CHECK(debt > 0);
	sched_block(&cpu, &ents[2], 100 * SLICE);
	sched_wake(&cpu, &ents[2], 110 * SLICE); /* alone: keeps its vtime */
	CHECK_EQ(ents[2].vtime, debt);
	sched_block(&cpu, &ents[2], 110 * SLICE);
	sched_wake(&cpu, &ents[0], 120 * SLICE);
	sched_wake(&cpu, &ents[1], 120 * SLICE);
	CHECK_EQ(ents[0].vtime, 0);
	sched_wake(&cpu, &ents[2], 150 * SLICE);
	CHECK_EQ(ents[2].vtime, debt); /* max: not pulled down */
	for (uint32_t i = 0; i < 3; i++)
		got[i] = 0;
	/* 0 and 1 need 100 slices each to draw level. */
	CHECK_EQ(run(150 * SLICE, 190 * SLICE), 340 * SLICE);
	CHECK(!sim_err);
	CHECK_EQ(got[2], 0);
	CHECK_EQ(got[0] + got[1], 190 * SLICE);
}

/* 5b. A waker behind the others is picked at once (its lead), but the
 * lead buys no more than its share: one that naps briefly and often,
 * awake 98 % of the time, gets a third beside two CPU-bound ones. */
TEST(waker_goes_first)
{
	static struct ev ev[8000];
	uint64_t until;

	start();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, 256, 0), 0);
	wake_all(2, 0);
	uint64_t t = run(0, 100 * SLICE + SLICE / 3);
	sched_wake(&cpu, &ents[2], t);
	CHECK(sched_pick(&cpu, t, &until) == &ents[2]);
	CHECK_EQ(until, t + SLICE);

	start();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, 256, 0), 0);
	wake_all(3, 0);
	size_t n =
	    sleeper_events(ev, 2, 0, SLICE / 2, SLICE / 4, SLICE / 100, 4000);
	uint64_t len = 2000 * SLICE;
	CHECK_EQ(sim(0, len, ev, n), len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	CHECK(share_near(2, got[2], len, 333, 20));
	CHECK(share_near(0, got[0], len, 333, 20));
}

/* 6. Admission: weight 0 and caps over 100 % are refused with a reason;
 * the run queue is then unchanged. */
TEST(admit_checks)
{
	char err[120] = "";

	start();
	ents[0].weight = 0;
	CHECK_EQ(sched_add(&cpu, &ents[0], err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "weight");
	CHECK_CONTAINS(err, "vCPU 0");
	CHECK_EQ(cpu.n, 0);
	err[0] = 0;
	ents[1].cap = 150;
	CHECK_EQ(sched_add(&cpu, &ents[1], err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "cap 150");
	CHECK_CONTAINS(err, "100%");
	CHECK_EQ(cpu.n, 0);
	CHECK_EQ(add(2, 1, 100), 0);
	CHECK_EQ(add(3, 0xffffffffu, 0), 0);
	CHECK_EQ(cpu.n, 2);
	/* A zero slice would make every shared pick last nothing. */
	sched_cpu_init(&cpu, &sched_credit, 0, 1000000000);
	sched_entity_init(&ents[0], 0);
	err[0] = 0;
	CHECK_EQ(sched_add(&cpu, &ents[0], err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "slice");
}

/* 7. Alone and uncapped: no timer; with company: a slice; capped: no
 * longer than its allowance. */
TEST(alone_runs_unlimited)
{
	uint64_t until;

	start();
	CHECK_EQ(add(0, 256, 0), 0);
	CHECK_EQ(add(1, 256, 0), 0);
	CHECK(sched_pick(&cpu, 0, &until) == NULL);
	CHECK_EQ(until, SCHED_NEVER);
	sched_wake(&cpu, &ents[1], 5);
	CHECK(sched_pick(&cpu, 5, &until) == &ents[1]);
	CHECK_EQ(until, SCHED_NEVER);
	sched_wake(&cpu, &ents[0], 9);
	CHECK(sched_pick(&cpu, 9, &until) != NULL);
	CHECK_EQ(until, 9 + SLICE);
	sched_block(&cpu, &ents[1], 10);
	CHECK(sched_pick(&cpu, 10, &until) == &ents[0]);
	CHECK_EQ(until, SCHED_NEVER);
	/* 2 idle vCPUs sharing: still nothing. */
	sched_block(&cpu, &ents[0], 11);
	CHECK(sched_pick(&cpu, 11, &until) == NULL);
	CHECK_EQ(until, SCHED_NEVER);

	start();
	CHECK_EQ(add(0, 256, 50), 0);
	wake_all(1, 3 * SLICE);
	CHECK(sched_pick(&cpu, 3 * SLICE, &until) == &ents[0]);
	CHECK_EQ(until, 53 * SLICE);
}

/* 8. TSC values near 2^62 and beyond, weight 1 (256 vtime per cycle),
 * absurdly long charges: shares hold, nothing wraps. */
TEST(large_times_no_overflow)
{
	uint64_t t0 = 1ull << 62, until;

	start();
	CHECK_EQ(add(0, 256, 0), 0);
	CHECK_EQ(add(1, 512, 0), 0);
	CHECK_EQ(add(2, 256, 20), 0);
	wake_all(3, t0);
	uint64_t len = 10000 * SLICE;
	CHECK_EQ(run(t0, len), t0 + len);
	CHECK(!sim_err);
	CHECK_EQ(idle, 0);
	/* 2 holds at 20 % (give or take its partial windows); 0 and 1 split
	 * the rest 1:2. */
	CHECK(share_near(2, got[2], len, 200, 5));
	CHECK(share_near(0, got[0], got[0] + got[1], 333, 10));

	/* Weight 1 against weight 3 with slices of 2^48 cycles: vtime
	 * passes 2^62 many times over; shares must hold through the
	 * rebasing. */
	sched_cpu_init(&cpu, &sched_credit, 1ull << 48, 1000000000);
	for (uint32_t i = 0; i < MAXE; i++) {
		sched_entity_init(&ents[i], i);
		got[i] = 0;
	}
	CHECK_EQ(add(0, 1, 0), 0);
	CHECK_EQ(add(1, 3, 0), 0);
	wake_all(2, t0);
	len = 1ull << 58; /* 1024 slices; vtime ~2^64 at weight 1 */
	for (uint64_t now = t0; now < t0 + len;) {
		struct sched_entity *e = sched_pick(&cpu, now, &until);
		CHECK(e != NULL);
		CHECK_EQ(until, now + (1ull << 48));
		sched_charge(&cpu, e, now, until);
		got[e->id] += until - now;
		now = until;
	}
	CHECK(share_near(0, got[0], len, 250, 10));
	CHECK(ents[0].vtime <= (1ull << 62) && ents[1].vtime <= (1ull << 62));

	/* One charge of 2^62 cycles (2^70 vtime at weight 1) saturates
	 * rather than wrapping: the other runs next. */
	uint64_t now = t0 + len;
	struct sched_entity *e = sched_pick(&cpu, now, &until);
	CHECK(e != NULL);
	sched_charge(&cpu, e, now, now + t0);
	CHECK(sched_pick(&cpu, now + t0, &until) == &ents[e == &ents[0]]);
	CHECK(until > now + t0);

	/* Cap windows near 2^63, starting 3 slices before one's end. */
	start();
	CHECK_EQ(add(0, 256, 20), 0);
	uint64_t t = UINT64_MAX / 2 / PERIOD * PERIOD - 3 * SLICE;
	wake_all(1, t);
	CHECK(sched_pick(&cpu, t, &until) == &ents[0]);
	uint64_t wend = (t / PERIOD + 1) * PERIOD;
	CHECK_EQ(until, wend < t + 20 * SLICE ? wend : t + 20 * SLICE);
	sched_charge(&cpu, &ents[0], t, until);
	CHECK(sched_pick(&cpu, until, &until) == &ents[0]); /* renewed */
	CHECK_EQ(until, wend + 20 * SLICE);
}

int main(void)
{
	RUN(weights_share);
	RUN(equal_weights_equal_shares);
	RUN(cap_alone_idles);
	RUN(cap_with_competitor);
	RUN(cap_above_fair_share_is_inert);
	RUN(blocking_is_work_conserving);
	RUN(sleeper_does_not_bank);
	RUN(waker_goes_first);
	RUN(admit_checks);
	RUN(alone_runs_unlimited);
	RUN(large_times_no_overflow);
	return TEST_END();
}
