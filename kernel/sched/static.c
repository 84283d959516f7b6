// SPDX-License-Identifier: MIT
/* "static": one vCPU owns the CPU; no slices, no timer, no choices. */
#include "../lib/fmt.h"
#include "sched.h"

static int static_admit(struct sched_cpu *c, struct sched_entity *e, char *err,
			size_t err_len)
{
	(void)e;
	if (c->n == 1)
		return 0;
	fmt_snprintf(err, err_len,
		     "policy static gives the CPU to one vCPU; %u are pinned "
		     "to it",
		     c->n);
	return -1;
}

static struct sched_entity *static_pick(struct sched_cpu *c, uint64_t now,
					uint64_t *until)
{
	(void)now;
	(void)until; /* stays SCHED_NEVER: nothing to take turns with */
	return c->n && c->ents[0]->runnable ? c->ents[0] : NULL;
}

const struct sched_policy sched_static = {
    .name = "static",
    .admit = static_admit,
    .pick = static_pick,
};
