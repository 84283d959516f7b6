// SPDX-License-Identifier: MIT
/* "rr": round robin, in the order vCPUs were pinned, slice by slice. */
#include "sched.h"

/* The runnable entity after the last one picked, cyclically; a lone one
 * runs without a limit, since there is no one to take turns with. */
static struct sched_entity *rr_pick(struct sched_cpu *c, uint64_t now,
				    uint64_t *until)
{
	uint32_t found = 0, runnable = 0;

	for (uint32_t k = 1; k <= c->n; k++) {
		uint32_t i = (c->last + k) % c->n;
		if (!c->ents[i]->runnable)
			continue;
		if (!runnable++)
			found = i;
	}
	if (!runnable)
		return NULL;
	c->last = found;
	if (runnable > 1)
		*until = now + c->slice;
	return c->ents[found];
}

const struct sched_policy sched_rr = {
    .name = "rr",
    .pick = rr_pick,
};
