// SPDX-License-Identifier: MIT
/* Scheduler core, "static" and "rr" (kernel/sched). */
#include "../../kernel/sched/sched.h"

#include "test.h"

#define SLICE 1000000ull

static struct sched_cpu cpu;
static struct sched_entity ents[4];
static uint64_t got[4];

static void setup(const char *policy, uint32_t n)
{
	char err[120];

	sched_cpu_init(&cpu, sched_policy_by_name(policy), SLICE, 1000000000);
	for (uint32_t i = 0; i < n; i++) {
		sched_entity_init(&ents[i], i);
		got[i] = 0;
		if (sched_add(&cpu, &ents[i], err, sizeof(err)))
			printf("    add %u: %s\n", i, err);
	}
}

/* Run the CPU from now for len cycles, picking when the policy asks;
 * returns the idle cycles. */
static uint64_t run(uint64_t now, uint64_t len)
{
	uint64_t end = now + len, idle = 0;

	while (now < end) {
		uint64_t until;
		struct sched_entity *e = sched_pick(&cpu, now, &until);
		uint64_t next = until < end ? until : end;
		if (!e) {
			idle += next - now;
			now = next;
			continue;
		}
		if (next <= now)
			return UINT64_MAX; /* a pick that lasts nothing */
		sched_charge(&cpu, e, now, next);
		got[e->id] += next - now;
		now = next;
	}
	return idle;
}

TEST(policies_by_name)
{
	CHECK(sched_policy_by_name("static") == &sched_static);
	CHECK(sched_policy_by_name("rr") == &sched_rr);
	CHECK(sched_policy_by_name("credit") == &sched_credit);
	CHECK(sched_policy_by_name("edf") == &sched_edf);
	CHECK(sched_policy_by_name("fifo") == NULL);
	CHECK(sched_policy_by_name("") == NULL);
	CHECK(sched_policy_by_name("rrr") == NULL);
}

TEST(static_one_owner)
{
	char err[120] = "";

	setup("static", 1);
	CHECK_EQ(cpu.n, 1);
	CHECK_EQ(sched_add(&cpu, &ents[1], err, sizeof(err)), -1);
	CHECK_EQ(cpu.n, 1); /* refused: unchanged */
	CHECK_CONTAINS(err, "static");
	uint64_t until;
	CHECK(sched_pick(&cpu, 0, &until) == NULL); /* not runnable yet */
	sched_wake(&cpu, &ents[0], 0);
	CHECK(sched_pick(&cpu, 5, &until) == &ents[0]);
	CHECK_EQ(until, SCHED_NEVER); /* no timer at all */
	sched_block(&cpu, &ents[0], 10);
	CHECK(sched_pick(&cpu, 10, &until) == NULL);
}

TEST(rr_fair)
{
	setup("rr", 3);
	for (int i = 0; i < 3; i++)
		sched_wake(&cpu, &ents[i], 0);
	CHECK_EQ(run(0, 3000 * SLICE), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(got[i], 1000 * SLICE);
}

TEST(rr_turns_in_order)
{
	uint64_t until;

	setup("rr", 3);
	for (int i = 0; i < 3; i++)
		sched_wake(&cpu, &ents[i], 0);
	uint32_t seen[6];
	for (int k = 0; k < 6; k++) {
		seen[k] = sched_pick(&cpu, (uint64_t)k * SLICE, &until)->id;
		CHECK_EQ(until, (uint64_t)(k + 1) * SLICE);
	}
	for (int k = 0; k < 6; k++)
		CHECK_EQ(seen[k], (uint32_t)(k + 1) % 3);
}

TEST(rr_alone_no_limit)
{
	uint64_t until;

	setup("rr", 2);
	sched_wake(&cpu, &ents[1], 0);
	CHECK(sched_pick(&cpu, 0, &until) == &ents[1]);
	CHECK_EQ(until, SCHED_NEVER);
	sched_block(&cpu, &ents[1], 7);
	CHECK(sched_pick(&cpu, 7, &until) == NULL);
	CHECK_EQ(until, SCHED_NEVER);
}

/* A vCPU that sleeps half the time gives the other its time. */
TEST(rr_blocked_gives_way)
{
	setup("rr", 2);
	sched_wake(&cpu, &ents[0], 0);
	sched_wake(&cpu, &ents[1], 0);
	uint64_t now = 0;
	for (int round = 0; round < 100; round++) {
		run(now, 10 * SLICE);
		now += 10 * SLICE;
		sched_block(&cpu, &ents[1], now);
		CHECK_EQ(run(now, 10 * SLICE), 0);
		now += 10 * SLICE;
		sched_wake(&cpu, &ents[1], now);
	}
	CHECK_EQ(got[0] + got[1], now);
	CHECK_EQ(got[0], 1500 * SLICE);
	CHECK_EQ(got[1], 500 * SLICE);
}

TEST(wake_and_block_idempotent)
{
	setup("rr", 1);
	sched_wake(&cpu, &ents[0], 0);
	sched_wake(&cpu, &ents[0], 1);
	CHECK_EQ(ents[0].runnable, 1);
	sched_block(&cpu, &ents[0], 2);
	sched_block(&cpu, &ents[0], 3);
	CHECK_EQ(ents[0].runnable, 0);
}

TEST(too_many_refused)
{
	static struct sched_entity many[SCHED_MAX_ENTITIES + 1];
	char err[120] = "";

	sched_cpu_init(&cpu, &sched_rr, SLICE, 1);
	for (uint32_t i = 0; i < SCHED_MAX_ENTITIES; i++) {
		sched_entity_init(&many[i], i);
		CHECK_EQ(sched_add(&cpu, &many[i], err, sizeof(err)), 0);
	}
	CHECK_EQ(sched_add(&cpu, &many[SCHED_MAX_ENTITIES], err, sizeof(err)),
		 -1);
	CHECK_EQ(cpu.n, SCHED_MAX_ENTITIES);
	CHECK_CONTAINS(err, "more than");
}

/* A run-time change is checked against copies: the live queue and its
 * entities stay as they were, refused or not. */
TEST(check_leaves_queue_alone)
{
	char err[120] = "";
	struct sched_entity a = ents[0], b = ents[1];
	const struct sched_entity *with[2] = {&a, &b};

	setup("rr", 2);
	a = ents[0];
	b = ents[1];
	a.budget = b.budget = 6 * SLICE;
	a.period = b.period = 10 * SLICE;
	/* edf at 60 % + 60 %: refused, named, nothing changed. */
	CHECK_EQ(sched_check(&cpu, &sched_edf, SLICE, with, err, sizeof(err)),
		 -1);
	CHECK_CONTAINS(err, "120.0%");
	CHECK(cpu.policy == &sched_rr);
	CHECK_EQ(cpu.n, 2);
	CHECK_EQ(ents[0].budget, 0);
	/* 60 % + 40 % fits exactly. */
	b.budget = 4 * SLICE;
	CHECK_EQ(sched_check(&cpu, &sched_edf, SLICE, with, err, sizeof(err)),
		 0);
	CHECK(cpu.policy == &sched_rr);
	/* static with two vCPUs, and credit with weight 0, are refused. */
	CHECK_EQ(
	    sched_check(&cpu, &sched_static, SLICE, with, err, sizeof(err)),
	    -1);
	CHECK_CONTAINS(err, "static");
	a.weight = 0;
	CHECK_EQ(
	    sched_check(&cpu, &sched_credit, SLICE, with, err, sizeof(err)),
	    -1);
	CHECK_CONTAINS(err, "weight");
}

/* After a restart the new policy runs from a clean state: nobody is
 * runnable until woken, and the new slice holds. */
TEST(restart_switches_policy)
{
	uint64_t until;

	setup("credit", 2);
	for (int i = 0; i < 2; i++)
		sched_wake(&cpu, &ents[i], 0);
	run(0, 100 * SLICE);
	CHECK(ents[0].vtime > 0);
	sched_restart(&cpu, &sched_rr, 2 * SLICE);
	CHECK(cpu.policy == &sched_rr);
	CHECK_EQ(cpu.n, 2);
	CHECK(cpu.ents[0] == &ents[0] && cpu.ents[1] == &ents[1]);
	CHECK_EQ(ents[0].vtime, 0);
	CHECK_EQ(ents[0].runnable, 0);
	CHECK(sched_pick(&cpu, 100 * SLICE, &until) == NULL);
	sched_wake(&cpu, &ents[0], 100 * SLICE);
	sched_wake(&cpu, &ents[1], 100 * SLICE);
	CHECK(sched_pick(&cpu, 100 * SLICE, &until) != NULL);
	CHECK_EQ(until, 102 * SLICE);
	got[0] = got[1] = 0;
	run(100 * SLICE, 100 * SLICE);
	CHECK_EQ(got[0], 50 * SLICE);
	CHECK_EQ(got[1], 50 * SLICE);
}

int main(void)
{
	RUN(policies_by_name);
	RUN(static_one_owner);
	RUN(rr_fair);
	RUN(rr_turns_in_order);
	RUN(rr_alone_no_limit);
	RUN(rr_blocked_gives_way);
	RUN(wake_and_block_idempotent);
	RUN(too_many_refused);
	RUN(check_leaves_queue_alone);
	RUN(restart_switches_policy);
	return TEST_END();
}
