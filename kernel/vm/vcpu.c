// SPDX-License-Identifier: MIT
/* The vCPU loop of one physical CPU: pick a vCPU, run it, repeat. */
#include "vcpu.h"

#include "../arch.h"
#include "../log.h"
#include "guest.h"

/*
 * Until the scheduler lands (kernel/sched), vCPUs that share a CPU take
 * turns in fixed slices, in guest order; a CPU with one vCPU gives it the
 * CPU without a time limit.
 */
#define SHARED_SLICE (1ull << 22) /* TSC cycles */

static uint32_t count(uint32_t cpu, enum vcpu_state state)
{
	uint32_t n = 0;

	for (uint32_t g = 0; g < nguests; g++)
		for (uint32_t i = 0; i < guests[g].nvcpus; i++)
			n += guests[g].vcpus[i].pcpu == cpu &&
			     vcpu_state(&guests[g].vcpus[i]) == state;
	return n;
}

/* The next runnable vCPU on cpu after *pos in guest order, round robin. */
static struct vcpu *next(uint32_t cpu, uint32_t *pos)
{
	uint32_t total = nguests * CFG_MAX_VCPUS;

	for (uint32_t k = 1; k <= total; k++) {
		uint32_t p = (*pos + k) % total;
		struct guest *g = &guests[p / CFG_MAX_VCPUS];
		uint32_t i = p % CFG_MAX_VCPUS;
		if (i < g->nvcpus && g->vcpus[i].pcpu == cpu &&
		    vcpu_state(&g->vcpus[i]) == VCPU_RUNNABLE) {
			*pos = p;
			return &g->vcpus[i];
		}
	}
	return NULL;
}

/* No virtual interrupt source exists yet, so a vCPU blocked in HLT with
 * interrupts on can never wake: say so rather than idle forever. */
static void stop_sleepers(uint32_t cpu)
{
	for (uint32_t g = 0; g < nguests; g++)
		for (uint32_t i = 0; i < guests[g].nvcpus; i++)
			if (guests[g].vcpus[i].pcpu == cpu &&
			    guests[g].vcpus[i].state == VCPU_BLOCKED &&
			    (i == 0 ||
			     guests[g].vcpus[0].state != VCPU_RUNNABLE))
				guest_stop(&guests[g],
					   "vCPU %u halted and no device can "
					   "interrupt it yet",
					   i);
}

void vcpu_run_cpu(uint32_t cpu)
{
	uint32_t pos = 0;

	for (;;) {
		struct vcpu *v = next(cpu, &pos);
		if (!v) {
			if (!count(cpu, VCPU_BLOCKED))
				return;
			stop_sleepers(cpu);
			continue;
		}
		if (!v->start_tsc)
			v->start_tsc = arch_now();
		arch_vcpu_run(v,
			      count(cpu, VCPU_RUNNABLE) > 1 ? SHARED_SLICE : 0);
	}
}
