// SPDX-License-Identifier: MIT
/* Tests for kernel/sched/edf.c: reservations met, admission exact. */
#include <stdint.h>

#include "../../kernel/sched/sched.h"
#include "test.h"

#define HZ   2400000000ull /* a 2.4 GHz TSC: periods are not round numbers */
#define MS   (HZ / 1000)
#define MAXE 8

static struct sched_cpu cpu;
static struct sched_entity ents[MAXE];
static char err[160];

/*
 * The simulated CPU: what each entity received, period by period.  A
 * period is met when its entity received exactly its budget in it (less
 * is a miss; more would break the non-work-conserving promise).
 */
struct track {
	uint64_t k;	  /* index of the period being counted: t / period */
	uint64_t got;	  /* cycles received in it so far */
	int partial;	  /* it began before the simulation: not judged */
	uint64_t total;	  /* cycles received in the whole run */
	uint64_t checked; /* periods judged */
	uint64_t missed;  /* of which not given exactly the budget */
};

static struct track tr[MAXE];
static uint64_t idle;	   /* cycles no one ran */
static uint64_t picks;	   /* picks that ran someone */
static uint64_t past_left; /* picks whose until exceeded the budget left */
static uint64_t bad_pick;  /* picked a blocked or exhausted entity */
static uint64_t stuck;	   /* until <= now: a pick that lasts nothing */

static void reset_stats(void)
{
	memset(tr, 0, sizeof(tr));
	idle = picks = past_left = bad_pick = stuck = 0;
}

static void init(void)
{
	sched_cpu_init(&cpu, &sched_edf, 10 * MS, HZ);
	memset(ents, 0, sizeof(ents));
	err[0] = '\0';
	reset_stats();
}

/* Add entity i with budget b and period p; sched_add's result. */
static int add(uint32_t i, uint64_t b, uint64_t p)
{
	sched_entity_init(&ents[i], i);
	ents[i].budget = b;
	ents[i].period = p;
	return sched_add(&cpu, &ents[i], err, sizeof(err));
}

/* Judge entity i's periods before period k. */
static void close_until(uint32_t i, uint64_t k)
{
	struct track *t = &tr[i];

	while (t->k < k) {
		if (!t->partial) {
			t->checked++;
			t->missed += t->got != ents[i].budget;
		}
		t->partial = 0;
		t->got = 0;
		t->k++;
	}
}

/* Entity i received [from, to): count it in the periods it falls in. */
static void account(uint32_t i, uint64_t from, uint64_t to)
{
	uint64_t p = ents[i].period;

	tr[i].total += to - from;
	while (from < to) {
		uint64_t k = from / p;
		close_until(i, k);
		uint64_t end = (k + 1) * p;
		uint64_t seg = (to < end ? to : end) - from;
		tr[i].got += seg;
		from += seg;
	}
}

/* Start tracking at t0 with every entity runnable (always, from now). */
static void start(uint64_t t0)
{
	reset_stats();
	for (uint32_t i = 0; i < cpu.n; i++) {
		uint32_t id = cpu.ents[i]->id;
		tr[id].k = t0 / ents[id].period;
		tr[id].partial = t0 % ents[id].period != 0;
		sched_wake(&cpu, &ents[id], t0);
	}
}

/*
 * Run the CPU over [now, now + len): pick at now, run the pick until
 * the policy asks to pick again (or the end), charge it, repeat; with
 * no pick, idle until the policy's time.  Periods that ended by the end
 * are judged.
 */
static void run(uint64_t now, uint64_t len)
{
	uint64_t end = now + len;

	while (now < end) {
		uint64_t until;
		struct sched_entity *e = sched_pick(&cpu, now, &until);
		if (until <= now) {
			stuck++;
			return;
		}
		uint64_t next = until < end ? until : end;
		if (!e) {
			idle += next - now;
			now = next;
			continue;
		}
		picks++;
		if (!e->runnable || !e->left)
			bad_pick++;
		if (until - now > e->left)
			past_left++;
		sched_charge(&cpu, e, now, next);
		account(e->id, now, next);
		now = next;
	}
	for (uint32_t i = 0; i < cpu.n; i++) {
		uint32_t id = cpu.ents[i]->id;
		close_until(id, end / ents[id].period);
	}
}

/* Everything the simulation flags, for the always-runnable tests. */
#define CHECK_CLEAN()                                             \
	do {                                                      \
		CHECK_EQ(stuck, 0);                               \
		CHECK_EQ(bad_pick, 0);                            \
		CHECK_EQ(past_left, 0);                           \
		CHECK(picks > 0);                                 \
		for (uint32_t i_ = 0; i_ < cpu.n; i_++) {         \
			CHECK(tr[cpu.ents[i_]->id].checked > 0);  \
			CHECK_EQ(tr[cpu.ents[i_]->id].missed, 0); \
		}                                                 \
	} while (0)

TEST(exactly_full_meets_every_deadline)
{
	init();
	CHECK_EQ(add(0, 1 * MS, 4 * MS), 0); /* 25% */
	CHECK_EQ(add(1, 2 * MS, 8 * MS), 0); /* 25% */
	CHECK_EQ(add(2, 1 * MS, 2 * MS), 0); /* 50%: 100% in all */
	CHECK_EQ(cpu.n, 3);
	start(0);
	run(0, 100 * 8 * MS); /* 100 hyperperiods */
	CHECK_CLEAN();
	CHECK_EQ(tr[0].checked, 200);
	CHECK_EQ(tr[1].checked, 100);
	CHECK_EQ(tr[2].checked, 400);
	CHECK_EQ(idle, 0); /* 100%: never idle */
	CHECK_EQ(tr[0].total, 200 * MS);
	CHECK_EQ(tr[1].total, 200 * MS);
	CHECK_EQ(tr[2].total, 400 * MS);
}

/* 95%: periods of 2 and 4 ms (harmonic) with 3, 5 and 7 ms. */
TEST(mixed_periods_at_95_percent)
{
	static const uint64_t bp[][2] = {
	    {2 * MS / 5, 2 * MS}, /* 20% */
	    {3 * MS / 5, 4 * MS}, /* 15% */
	    {3 * MS / 5, 3 * MS}, /* 20% */
	    {1 * MS, 5 * MS},	  /* 20% */
	    {7 * MS / 5, 7 * MS}, /* 20% */
	};
	uint64_t len = 2 * 420 * MS; /* two hyperperiods */

	init();
	for (uint32_t i = 0; i < 5; i++)
		CHECK_EQ(add(i, bp[i][0], bp[i][1]), 0);
	start(0);
	run(0, len);
	CHECK_CLEAN();
	for (uint32_t i = 0; i < 5; i++)
		CHECK_EQ(tr[i].checked, len / bp[i][1]);
	CHECK_EQ(idle, len / 20); /* the 5% left over, exactly */
}

/* Periods with no common factor to speak of, at about 99.9%. */
TEST(odd_periods_near_full)
{
	static const uint64_t bp[][2] = {
	    {300007, 1000003},	/* 30.0% */
	    {499999, 1999993},	/* 25.0% */
	    {1345678, 3000017}, /* 44.9% */
	};

	init();
	for (uint32_t i = 0; i < 3; i++)
		CHECK_EQ(add(i, bp[i][0], bp[i][1]), 0);
	start(0);
	run(0, 300 * MS);
	CHECK_CLEAN();
	CHECK(idle > 0);
}

/* Random sets filled to 99-100%, period lengths 0.5 to 20 ms. */
TEST(random_sets_meet_every_deadline)
{
	uint64_t seed = 0x2545f4914f6cdd1dull, judged = 0;

	for (int trial = 0; trial < 40; trial++) {
		uint32_t n = 2 + trial % 6;
		uint32_t left = 9900 + (uint32_t)(trial * 37) % 101;
		init();
		for (uint32_t i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull +
			       1442695040888963407ull;
			uint64_t p = MS / 2 + (seed >> 20) % (20 * MS);
			/* share in 1/10000: the last takes what is left */
			uint32_t s = i + 1 < n ? 1 + (uint32_t)(seed >> 50) %
							 (left / 2 + 1)
					       : left;
			left -= s;
			uint64_t b = p * s / 10000; /* rounds down: <= 100% */
			CHECK_EQ(add(i, b, p), 0);
		}
		/* At least 99% taken: 2% more does not fit. */
		CHECK_EQ(add(n, 2 * MS, 100 * MS), -1);
		CHECK_EQ(cpu.n, n);
		start(0);
		run(0, 200 * MS);
		CHECK_CLEAN();
		for (uint32_t i = 0; i < n; i++)
			judged += tr[i].checked;
	}
	CHECK(judged > 5000); /* 5872 periods judged */
}

TEST(over_full_refused)
{
	init();
	CHECK_EQ(add(0, 1 * MS, 4 * MS), 0);   /* 25% */
	CHECK_EQ(add(1, 1 * MS, 2 * MS), 0);   /* 50% */
	CHECK_EQ(add(2, 3 * MS, 10 * MS), -1); /* +30% */
	CHECK_EQ(cpu.n, 2);
	CHECK_CONTAINS(err, "edf");
	CHECK_CONTAINS(err, "105.0%");
	CHECK_CONTAINS(err, "30.0%");
	/* The refused one is not in the queue; the others are served. */
	CHECK(cpu.ents[0] == &ents[0] && cpu.ents[1] == &ents[1]);
	CHECK_EQ(add(2, 1 * MS, 4 * MS), 0); /* the last 25% still fits */
	CHECK_EQ(cpu.n, 3);
	start(0);
	run(0, 40 * MS);
	CHECK_CLEAN();
}

/* The test is exact where floating point (or rounding to any fixed
 * number of bits) would call these sums equal. */
TEST(admission_is_exact)
{
	uint64_t third = 3000000000000000000ull; /* 3e18: divisible by 3 */
	uint64_t p1 = UINT64_MAX - 58;		 /* 2^64 - 59, a prime */

	init();
	CHECK_EQ(add(0, third / 3, third), 0);
	CHECK_EQ(add(1, MS, 3 * MS), 0);
	CHECK_EQ(add(2, 7, 21), 0); /* 1/3 + 1/3 + 1/3 = 1 */
	CHECK_EQ(add(3, 1, UINT64_MAX), -1);
	CHECK_CONTAINS(err, "over 100.0%");
	CHECK_EQ(cpu.n, 3);

	/* (p1 - 1)/p1 + 1/(2^64 - 1) < 1, since 2^64 - 1 > p1 */
	init();
	CHECK_EQ(add(0, p1 - 1, p1), 0);
	CHECK_EQ(add(1, 1, UINT64_MAX), 0);
	CHECK_EQ(cpu.n, 2);
	/* (2^64 - 2)/(2^64 - 1) + 1/p1 > 1 */
	init();
	CHECK_EQ(add(0, UINT64_MAX - 1, UINT64_MAX), 0);
	CHECK_EQ(add(1, 1, p1), -1);
	CHECK_EQ(cpu.n, 1);

	/* A full queue of 64 at 1/64 each: exactly 100%, then no more. */
	static struct sched_entity many[SCHED_MAX_ENTITIES];
	init();
	for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
		sched_entity_init(&many[i], i);
		many[i].period =
		    UINT64_MAX - i; /* all different, coprime-ish */
		many[i].budget = many[i].period / 64;
		CHECK_EQ(sched_add(&cpu, &many[i], err, sizeof(err)), 0);
	}
	init();
	for (uint32_t i = 0; i < SCHED_MAX_ENTITIES - 1; i++) {
		sched_entity_init(&many[i], i);
		many[i].period = 64 * (i + 1);
		many[i].budget = i + 1;
		CHECK_EQ(sched_add(&cpu, &many[i], err, sizeof(err)), 0);
	}
	sched_entity_init(&many[63], 63);
	many[63].period = 64 * 64 + 1;
	many[63].budget = 65; /* 65/4097 > 1/64 */
	CHECK_EQ(sched_add(&cpu, &many[63], err, sizeof(err)), -1);
	CHECK_EQ(cpu.n, 63);
	many[63].budget = 64; /* 64/4097 < 1/64 */
	CHECK_EQ(sched_add(&cpu, &many[63], err, sizeof(err)), 0);
	CHECK_EQ(cpu.n, 64);
}

TEST(bad_reservations_refused)
{
	init();
	CHECK_EQ(add(0, 0, 10 * MS), -1);
	CHECK_CONTAINS(err, "budget 0");
	CHECK_EQ(cpu.n, 0);
	CHECK_EQ(add(0, 10 * MS, 0), -1);
	CHECK_CONTAINS(err, "period 0");
	CHECK_EQ(cpu.n, 0);
	CHECK_EQ(add(0, 0, 0), -1);
	CHECK_EQ(cpu.n, 0);
	CHECK_EQ(add(0, 10 * MS + 1, 10 * MS), -1);
	CHECK_CONTAINS(err, "longer than the period");
	CHECK_EQ(cpu.n, 0);
	CHECK_EQ(add(0, 10 * MS, 10 * MS), 0); /* budget == period is fine */
	CHECK_EQ(cpu.n, 1);
}

/* Half the CPU is half, even with nothing else to run. */
TEST(not_work_conserving)
{
	uint64_t until;

	init();
	CHECK_EQ(add(0, 5 * MS, 10 * MS), 0);
	start(0);
	CHECK(sched_pick(&cpu, 0, &until) == &ents[0]);
	CHECK_EQ(until, 5 * MS);
	sched_charge(&cpu, &ents[0], 0, 5 * MS);
	CHECK(sched_pick(&cpu, 5 * MS, &until) == NULL);
	CHECK_EQ(until, 10 * MS); /* idle until the budget comes back */
	CHECK(sched_pick(&cpu, 10 * MS, &until) == &ents[0]);
	CHECK_EQ(until, 15 * MS);

	init();
	CHECK_EQ(add(0, 5 * MS, 10 * MS), 0);
	start(0);
	run(0, 1000 * MS);
	CHECK_CLEAN();
	CHECK_EQ(tr[0].checked, 100);
	CHECK_EQ(tr[0].total, 500 * MS);
	CHECK_EQ(idle, 500 * MS);
}

TEST(sleeper_keeps_budget_then_starts_afresh)
{
	struct sched_entity *a = &ents[0];
	uint64_t until;

	init();
	CHECK_EQ(add(0, 4 * MS, 10 * MS), 0);
	sched_wake(&cpu, a, 0);
	CHECK(sched_pick(&cpu, 0, &until) == a);
	sched_charge(&cpu, a, 0, 1 * MS);
	sched_block(&cpu, a, 1 * MS);
	CHECK(sched_pick(&cpu, 2 * MS, &until) == NULL);
	CHECK_EQ(until, SCHED_NEVER); /* nothing runnable: no timer */

	/* Back in the same period: the 3 ms left, not a new 4. */
	sched_wake(&cpu, a, 6 * MS);
	CHECK_EQ(a->left, 3 * MS);
	CHECK(sched_pick(&cpu, 6 * MS, &until) == a);
	CHECK_EQ(until, 9 * MS);
	sched_charge(&cpu, a, 6 * MS, 9 * MS);
	CHECK_EQ(a->left, 0);
	sched_block(&cpu, a, 9 * MS);
	sched_wake(&cpu, a, 9 * MS + 1); /* spent: no more this period */
	CHECK(sched_pick(&cpu, 9 * MS + 1, &until) == NULL);
	CHECK_EQ(until, 10 * MS);

	/* A long sleep: one fresh budget in the current period, no
	 * backlog from the five it missed, ending with the period. */
	sched_block(&cpu, a, 9 * MS + 1);
	sched_wake(&cpu, a, 57 * MS + MS / 2);
	CHECK_EQ(a->left, 4 * MS);
	CHECK_EQ(a->deadline, 60 * MS);
	CHECK(sched_pick(&cpu, 57 * MS + MS / 2, &until) == a);
	CHECK_EQ(until, 60 * MS); /* the period ends before the budget */
	sched_charge(&cpu, a, 57 * MS + MS / 2, 60 * MS);
	CHECK_EQ(a->left, 1 * MS + MS / 2);
	/* What was left does not carry over either. */
	CHECK(sched_pick(&cpu, 60 * MS, &until) == a);
	CHECK_EQ(a->left, 4 * MS);
	CHECK_EQ(until, 64 * MS);

	/* Blocked across a boundary with budget left: the same. */
	sched_charge(&cpu, a, 60 * MS, 61 * MS);
	sched_block(&cpu, a, 61 * MS);
	sched_wake(&cpu, a, 75 * MS);
	CHECK_EQ(a->left, 4 * MS);
	CHECK_EQ(a->deadline, 80 * MS);

	/* And a sleeper does not delay the others. */
	init();
	CHECK_EQ(add(0, 5 * MS, 10 * MS), 0);
	CHECK_EQ(add(1, 2 * MS, 4 * MS), 0);
	start(0);
	sched_block(&cpu, &ents[0], 0);
	run(0, 40 * MS);
	CHECK_EQ(tr[1].checked, 10);
	CHECK_EQ(tr[1].missed, 0);
	CHECK_EQ(tr[0].total, 0);
	CHECK_EQ(idle, 20 * MS); /* not 0: 1 gets its half only */
}

/* Near 2^62 and at the very end of the TSC's range. */
TEST(late_start_no_overflow)
{
	uint64_t hyper = 8 * MS, t0 = (1ull << 62) / hyper * hyper, until;

	init();
	CHECK_EQ(add(0, 1 * MS, 4 * MS), 0);
	CHECK_EQ(add(1, 2 * MS, 8 * MS), 0);
	CHECK_EQ(add(2, 1 * MS, 2 * MS), 0);
	start(t0);
	run(t0, 50 * hyper);
	CHECK_CLEAN();
	CHECK_EQ(tr[2].checked, 200);
	CHECK_EQ(idle, 0);

	/* Not aligned: the first periods are short and not judged. */
	init();
	CHECK_EQ(add(0, 1 * MS, 4 * MS), 0);
	CHECK_EQ(add(1, 2 * MS, 8 * MS), 0);
	CHECK_EQ(add(2, 1 * MS, 2 * MS), 0);
	start(t0 + 12345);
	run(t0 + 12345, 50 * hyper);
	CHECK_EQ(stuck, 0);
	CHECK_EQ(bad_pick, 0);
	CHECK_EQ(past_left, 0);

	/* The last period before 2^64 would end past it: it never ends,
	 * and nothing wraps around to a time in the past. */
	init();
	uint64_t p = 3 * MS, last = UINT64_MAX - UINT64_MAX % p;
	CHECK(UINT64_MAX - last < p / 2); /* the budget outlasts 2^64 too */
	CHECK_EQ(add(0, p / 2, p), 0);
	sched_wake(&cpu, &ents[0], last + 1);
	CHECK_EQ(ents[0].deadline, SCHED_NEVER);
	CHECK(sched_pick(&cpu, last + 1, &until) == &ents[0]);
	CHECK(until > last + 1);
	sched_charge(&cpu, &ents[0], last + 1, UINT64_MAX);
	CHECK_EQ(ents[0].left, p / 2 - (UINT64_MAX - last - 1));
}

/* until never lets a run outlast the budget; a run that does anyway
 * (the loop came back late) is charged exactly. */
TEST(until_honoured_and_overruns_charged)
{
	struct sched_entity *a = &ents[0];
	uint64_t until;

	init();
	CHECK_EQ(add(0, 3 * MS, 10 * MS), 0);
	CHECK_EQ(add(1, 1 * MS + 7, 3 * MS), 0);
	start(0);
	run(0, 300 * MS);
	CHECK_CLEAN(); /* includes: until - now <= left at every pick */
	CHECK(picks >= 30 + 100);

	/* Overruns: 1 ms past the boundary comes out of the new budget. */
	init();
	CHECK_EQ(add(0, 3 * MS, 10 * MS), 0);
	sched_wake(&cpu, a, 8 * MS);
	CHECK(sched_pick(&cpu, 8 * MS, &until) == a);
	CHECK_EQ(until, 10 * MS);
	sched_charge(&cpu, a, 8 * MS, 11 * MS);
	CHECK_EQ(a->left, 2 * MS);
	CHECK_EQ(a->deadline, 20 * MS);
	/* Over several periods: only the last one's share counts. */
	sched_charge(&cpu, a, 11 * MS, 31 * MS);
	CHECK_EQ(a->left, 2 * MS);
	CHECK_EQ(a->deadline, 40 * MS);
	sched_charge(&cpu, a, 31 * MS, 35 * MS);
	CHECK_EQ(a->left, 0); /* never below 0 */
	CHECK(sched_pick(&cpu, 35 * MS, &until) == NULL);
	CHECK_EQ(until, 40 * MS);
	/* Ending exactly on the boundary leaves the new period whole. */
	sched_charge(&cpu, a, 39 * MS, 40 * MS);
	CHECK_EQ(a->deadline, 40 * MS);
	CHECK(sched_pick(&cpu, 40 * MS, &until) == a);
	CHECK_EQ(a->left, 3 * MS);
	CHECK_EQ(until, 43 * MS);
}

/* Earliest deadline first; equal deadlines go to the first pinned. */
TEST(earliest_deadline_then_lowest_index)
{
	uint64_t until;

	init();
	CHECK_EQ(add(0, 2 * MS, 6 * MS), 0);
	CHECK_EQ(add(1, 1 * MS, 3 * MS), 0);
	CHECK_EQ(add(2, 1 * MS, 3 * MS), 0);
	start(0);
	CHECK(sched_pick(&cpu, 0, &until) == &ents[1]);
	CHECK_EQ(until, 1 * MS);
	sched_charge(&cpu, &ents[1], 0, 1 * MS);
	CHECK(sched_pick(&cpu, 1 * MS, &until) == &ents[2]);
	sched_charge(&cpu, &ents[2], 1 * MS, 2 * MS);
	CHECK(sched_pick(&cpu, 2 * MS, &until) == &ents[0]);
	/* until: the others' replenishment at 3 ms, before its budget
	 * runs out at 4 ms. */
	CHECK_EQ(until, 3 * MS);
	sched_charge(&cpu, &ents[0], 2 * MS, 2 * MS + MS / 2);
	CHECK(sched_pick(&cpu, 2 * MS + MS / 2, &until) == &ents[0]);
	CHECK_EQ(until, 3 * MS);
	sched_charge(&cpu, &ents[0], 2 * MS + MS / 2, 3 * MS);
	/* All three now have deadline 6 ms: the first pinned goes first,
	 * until its budget (1 ms left) runs out. */
	CHECK(sched_pick(&cpu, 3 * MS, &until) == &ents[0]);
	CHECK_EQ(until, 4 * MS);
	sched_charge(&cpu, &ents[0], 3 * MS, 4 * MS);
	CHECK(sched_pick(&cpu, 4 * MS, &until) == &ents[1]);
	CHECK_EQ(until, 5 * MS);
	CHECK(sched_policy_by_name("edf") == &sched_edf);
}

int main(void)
{
	RUN(exactly_full_meets_every_deadline);
	RUN(mixed_periods_at_95_percent);
	RUN(odd_periods_near_full);
	RUN(random_sets_meet_every_deadline);
	RUN(over_full_refused);
	RUN(admission_is_exact);
	RUN(bad_reservations_refused);
	RUN(not_work_conserving);
	RUN(sleeper_keeps_budget_then_starts_afresh);
	RUN(late_start_no_overflow);
	RUN(until_honoured_and_overruns_charged);
	RUN(earliest_deadline_then_lowest_index);
	return TEST_END();
}
