// SPDX-License-Identifier: MIT
/* The vCPU loop of one physical CPU: pick a vCPU, run it, repeat. */
#include "vcpu.h"

#include "../arch.h"
#include "../bootinfo.h"
#include "../log.h"
#include "../smp.h"
#include "guest.h"
#include "irq.h"
#include "vconsole.h"

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

uint32_t vcpu_cpu_poked[BI_MAX_CPUS];
static struct vcpu *running[BI_MAX_CPUS]; /* in arch_vcpu_run, per CPU */

void vcpu_kick(const struct vcpu *t)
{
	if (smp_cpu_online(t->pcpu))
		arch_cpu_kick(boot_info->cpus[t->pcpu].apic_id);
}

/* From t's own CPU's loop nothing needs saying: the loop looks at every
 * vCPU before it picks one. */
void vcpu_poke(struct vcpu *t, uint32_t self)
{
	if (t->pcpu == self) { /* the running vCPU makes way for t */
		if (running[self] && running[self] != t)
			running[self]->leave = 1;
		return;
	}
	__atomic_store_n(&vcpu_cpu_poked[t->pcpu], 1, __ATOMIC_RELEASE);
	vcpu_kick(t);
}

void vcpu_wake(struct vcpu *t, uint32_t self)
{
	if (vcpu_move(t, VCPU_BLOCKED, VCPU_RUNNABLE))
		vcpu_poke(t, self);
}

/* INIT and SIPI that another vCPU sent to v, taken on v's own CPU since
 * they rebuild its VMCS: INIT sends it back to wait-for-SIPI, SIPI starts
 * it in real mode at the vector's page, CS = vector << 8, IP = 0. */
static void vcpu_signals(struct vcpu *v, uint32_t cpu)
{
	struct guest *g = v->guest;

	guest_lock(g, cpu);
	int init = v->init_pending, start = v->sipi_pending;
	uint8_t vector = v->sipi_vector;
	v->init_pending = v->sipi_pending = 0;
	guest_unlock(g);
	if (init) {
		arch_vcpu_reset(v);
		vcpu_move(v, VCPU_RUNNABLE, VCPU_BLOCKED);
	}
	if (start) {
		v->boot = (struct vcpu_boot){.mode = VCPU_MODE_REAL,
					     .cs = (uint16_t)(vector << 8)};
		arch_vcpu_reset(v);
		v->work = 1;
		vcpu_move(v, VCPU_BLOCKED, VCPU_RUNNABLE);
	}
}

/* Take the signals of cpu's vCPUs, wake the blocked ones with an
 * interrupt (their timers run first), stop a guest whose halted vCPU
 * nothing can ever wake.  Returns the earliest timer still to come
 * (UINT64_MAX: none). */
static uint64_t wake_sleepers(uint32_t cpu)
{
	uint64_t soonest = UINT64_MAX;

	for (uint32_t g = 0; g < nguests; g++) {
		struct guest *gu = &guests[g];
		for (uint32_t i = 0; i < gu->nvcpus; i++) {
			struct vcpu *v = &gu->vcpus[i];
			if (v->pcpu != cpu)
				continue;
			if (v->init_pending || v->sipi_pending)
				vcpu_signals(v, cpu);
			if (vcpu_state(v) != VCPU_BLOCKED || v->wait_sipi)
				continue;
			guest_lock(gu, cpu);
			uint64_t due = irq_run_timers(v, arch_now());
			if (irq_pending(v)) {
				v->work = 1;
				vcpu_move(v, VCPU_BLOCKED, VCPU_RUNNABLE);
			} else if (due == UINT64_MAX && !irq_can_wake(v)) {
				guest_stop(gu,
					   "vCPU %u halted with no timer or "
					   "interrupt that can wake it",
					   v->id);
			} else if (due < soonest) {
				soonest = due;
			}
			guest_unlock(gu);
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
		__atomic_store_n(&vcpu_cpu_poked[cpu], 0, __ATOMIC_RELEASE);
		if (cpu == 0) /* the console's interrupt comes here */
			vconsole_input(cpu);
		uint64_t soonest = wake_sleepers(cpu);
		struct vcpu *v = next(cpu, &pos);
		if (v) {
			if (!v->start_tsc)
				v->start_tsc = arch_now();
			running[cpu] = v;
			v->leave = 0;
			arch_vcpu_run(v, slice_for(cpu, soonest));
			running[cpu] = NULL;
			continue;
		}
		if (!count(cpu, VCPU_BLOCKED))
			return;
		arch_idle_until(soonest, &vcpu_cpu_poked[cpu]);
	}
}
