// SPDX-License-Identifier: MIT
/* The vCPU loop of one physical CPU: pick a vCPU, run it, repeat. */
#include "vcpu.h"

#include "../arch.h"
#include "../log.h"
#include "guest.h"
#include "platform.h"

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

/* Wake the blocked vCPUs of cpu whose timers have fired into an
 * interrupt; stop a guest whose halted vCPU 0 nothing can ever wake.
 * Returns the earliest timer still to come (UINT64_MAX: none). */
static uint64_t wake_sleepers(uint32_t cpu)
{
	uint64_t soonest = UINT64_MAX;

	for (uint32_t g = 0; g < nguests; g++) {
		struct vcpu *v = &guests[g].vcpus[0];
		if (v->pcpu != cpu || vcpu_state(v) != VCPU_BLOCKED)
			continue;
		uint64_t now = arch_now(),
			 due = platform_next_timer(&guests[g]);
		if (due <= now) {
			platform_run_timers(&guests[g], now);
			due = platform_next_timer(&guests[g]);
		}
		if (platform_irq_pending(v)) {
			v->work = 1;
			vcpu_move(v, VCPU_BLOCKED, VCPU_RUNNABLE);
		} else if (due == UINT64_MAX) {
			guest_stop(&guests[g],
				   "vCPU 0 halted with no timer or interrupt "
				   "that can wake it");
		} else if (due < soonest) {
			soonest = due;
		}
	}
	return soonest;
}

/* How long v may run: until the next vCPU here wants the CPU, either
 * its turn (several runnable) or a sleeper's timer; 0 means no limit. */
static uint64_t slice_for(uint32_t cpu, uint64_t soonest)
{
	uint64_t slice = count(cpu, VCPU_RUNNABLE) > 1 ? SHARED_SLICE : 0;

	if (soonest != UINT64_MAX) {
		uint64_t now = arch_now();
		uint64_t until = soonest > now ? soonest - now : 1;
		if (!slice || until < slice)
			slice = until;
	}
	return slice;
}

void vcpu_run_cpu(uint32_t cpu)
{
	uint32_t pos = 0;

	for (;;) {
		uint64_t soonest = wake_sleepers(cpu);
		struct vcpu *v = next(cpu, &pos);
		if (v) {
			if (!v->start_tsc)
				v->start_tsc = arch_now();
			arch_vcpu_run(v, slice_for(cpu, soonest));
			continue;
		}
		if (!count(cpu, VCPU_BLOCKED))
			return;
		arch_idle_until(soonest);
	}
}
