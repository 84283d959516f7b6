// SPDX-License-Identifier: MIT
/* The scheduler core: run queues over a policy's ops table (sched.h). */
#include "sched.h"

#include "../lib/fmt.h"

static const struct sched_policy *const policies[] = {
    &sched_static,
    &sched_rr,
    &sched_credit,
    &sched_edf,
};

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const struct sched_policy *sched_policy_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
		if (same(policies[i]->name, name))
			return policies[i];
	return NULL;
}

void sched_entity_init(struct sched_entity *e, uint32_t id)
{
	*e = (struct sched_entity){.id = id, .weight = 256};
}

void sched_cpu_init(struct sched_cpu *c, const struct sched_policy *p,
		    uint64_t slice, uint64_t tsc_hz)
{
	*c = (struct sched_cpu){.policy = p, .slice = slice, .tsc_hz = tsc_hz};
}

int sched_add(struct sched_cpu *c, struct sched_entity *e, char *err,
	      size_t err_len)
{
	if (c->n == SCHED_MAX_ENTITIES) {
		fmt_snprintf(err, err_len, "more than %u vCPUs on one CPU",
			     SCHED_MAX_ENTITIES);
		return -1;
	}
	c->ents[c->n++] = e;
	if (c->policy->admit && c->policy->admit(c, e, err, err_len)) {
		c->n--;
		return -1;
	}
	return 0;
}

int sched_check(const struct sched_cpu *c, const struct sched_policy *p,
		uint64_t slice, const struct sched_entity *const with[],
		char *err, size_t err_len)
{
	struct sched_cpu t;

	sched_cpu_init(&t, p, slice, c->tsc_hz);
	for (uint32_t i = 0; i < c->n; i++)
		if (sched_add(&t, (struct sched_entity *)with[i], err, err_len))
			return -1;
	return 0;
}

void sched_restart(struct sched_cpu *c, const struct sched_policy *p,
		   uint64_t slice)
{
	c->policy = p;
	c->slice = slice;
	c->last = 0;
	c->epoch = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		struct sched_entity *e = c->ents[i];
		e->runnable = 0;
		e->vtime = e->used = e->deadline = e->left = 0;
	}
}

void sched_wake(struct sched_cpu *c, struct sched_entity *e, uint64_t now)
{
	if (e->runnable)
		return;
	e->runnable = 1;
	if (c->policy->wake)
		c->policy->wake(c, e, now);
}

void sched_block(struct sched_cpu *c, struct sched_entity *e, uint64_t now)
{
	if (!e->runnable)
		return;
	e->runnable = 0;
	if (c->policy->block)
		c->policy->block(c, e, now);
}

void sched_charge(struct sched_cpu *c, struct sched_entity *e, uint64_t from,
		  uint64_t to)
{
	if (c->policy->charge && to > from)
		c->policy->charge(c, e, from, to);
}

struct sched_entity *sched_pick(struct sched_cpu *c, uint64_t now,
				uint64_t *until)
{
	*until = SCHED_NEVER;
	return c->policy->pick(c, now, until);
}
