/* SPDX-License-Identifier: MIT */
/* A virtual CPU: its state, its physical CPU and its accounting. */
#ifndef VM_VCPU_H
#define VM_VCPU_H

#include <stdint.h>

#include "../../drivers/virt/vlapic.h"
#include "../config.h"
#include "../sched/sched.h"
#include "../sched/stats.h"
#include "arch_vcpu.h"

struct guest;

enum vcpu_state {
	VCPU_RUNNABLE, /* may run; is running when it is its CPU's current */
	VCPU_BLOCKED,  /* in HLT, waiting for an interrupt */
	VCPU_STOPPED,  /* its guest stopped: never runs again */
};

/* Where a vCPU starts: the loaders fill this, arch_vcpu_init applies it. */
enum vcpu_mode { VCPU_MODE_REAL, VCPU_MODE_PROT32, VCPU_MODE_LONG64 };

struct vcpu_boot {
	enum vcpu_mode mode;
	uint64_t rip, rsp;
	uint64_t cr3;	   /* LONG64: guest-physical PML4 */
	uint64_t gdt_base; /* guest-physical */
	uint16_t gdt_limit;
	uint16_t cs, ds; /* selectors into that GDT (not REAL) */
	uint64_t rax, rbx, rsi, rdi;
	uint64_t rdx;
};

#define VCPU_EXIT_REASONS 80 /* at least the architecture's count */
#define VCPU_WORK_EVENTS  1u /* interrupts, timers or state changed */
#define VCPU_WORK_TIMER	  2u /* a timer is armed, nothing else new */

struct vcpu {
	struct guest *guest;
	uint32_t id;   /* within its guest, 0 = boot vCPU */
	uint32_t pcpu; /* physical CPU index it is pinned to */
	enum vcpu_state state;
	/* Something to look at before the next entry, kept off the common
	 * exit path.  Device models set WORK_EVENTS (writing 1 is enough:
	 * the entry path then looks at everything); the entry path leaves
	 * WORK_TIMER alone while a timer is armed and nothing else is new.
	 * Set from another CPU only under the guest's lock, then a kick. */
	uint32_t work;
	struct vcpu_boot boot;	/* its start state, from the image loader */
	struct sched_entity se; /* in its CPU's run queue */
	/* Its scheduling parameters as last accepted (config, HC_SCHED_SET);
	 * se holds them once its CPU has applied them. */
	uint32_t weight, cap;
	uint64_t budget_us, period_us;
	struct vlapic lapic;
	uint64_t timer_next; /* host TSC of its APIC timer's expiry */
	/* INIT and SIPI from another vCPU: set under the guest's lock, acted
	 * on by the vCPU's own CPU (vcpu_signals), which owns its VMCS. */
	uint8_t wait_sipi;    /* in wait-for-SIPI: not started, or INITed */
	uint8_t parked;	      /* in HLT with interrupts off: INIT ends it */
	uint8_t init_pending; /* INIT to take: back to wait-for-SIPI */
	uint8_t sipi_pending; /* SIPI to take: start at sipi_vector's page */
	uint8_t sipi_vector;
	uint8_t leave;	       /* set on its own CPU: leave at the next exit */
	uint64_t start_tsc;    /* when it first ran */
	uint64_t acct_start;   /* when its CPU's accounting of it began */
	uint64_t cycles_guest; /* TSC cycles in guest mode */
	uint64_t cycles_hv;    /* TSC cycles handling its exits */
	uint64_t exits;
	/* Its CPU's view, from the TSC at each of its loop's steps, up to
	 * acct_t: runnable while another vCPU ran or the CPU idled under
	 * its policy (steal), runnable while the CPU's loop chose (wait),
	 * blocked.  With guest and hv cycles they add up to its time. */
	uint64_t acct_t, steal_cycles, wait_cycles, blocked_cycles;
	int acct_runnable; /* as its CPU last saw it */
	/* Its counters at stats boundary k, in st[k % 4] with st_seq, taken
	 * by its CPU; CPU 0 reads two of them an interval later. */
	struct stats_sample st[4];
	uint64_t st_seq[4];
	uint32_t st_exits[4][VCPU_EXIT_REASONS]; /* by reason, same times */
	struct vcpu_arch arch;
};

/* The state is shared between CPUs: a guest stopped from one CPU stops
 * its vCPUs on the others, so every read and change is atomic, and only
 * a change from the expected state succeeds. */
static inline enum vcpu_state vcpu_state(const struct vcpu *v)
{
	return (enum vcpu_state)__atomic_load_n((const int *)&v->state,
						__ATOMIC_ACQUIRE);
}

/* Waiting for INIT or SIPI (not started, INITed, or parked in HLT with
 * interrupts off): no interrupt wakes it, and it sends none. */
static inline int vcpu_awaits_signal(const struct vcpu *v)
{
	return v->wait_sipi || v->parked;
}

static inline int vcpu_move(struct vcpu *v, enum vcpu_state from,
			    enum vcpu_state to)
{
	return __atomic_compare_exchange_n((int *)&v->state, (int *)&from, to,
					   0, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* Boot, once the guests exist: each CPU's run queue with the policy its
 * [cpu N] section names (static for one vCPU, rr for several by default)
 * and its vCPUs with their guest's parameters.  A set a policy refuses
 * (edf admission, static with two vCPUs) stops the boot, named. */
void vcpu_sched_init(const struct cfg *c);

/* A vCPU's scheduling settings and its CPU's, in the config's units. */
struct vcpu_sched {
	const struct sched_policy *policy; /* its CPU's */
	uint64_t slice_us;		   /* its CPU's */
	uint32_t weight, cap;
	uint64_t budget_us, period_us;
};

/* The settings of v and its CPU as last accepted. */
void vcpu_sched_get(const struct vcpu *v, struct vcpu_sched *out);

/* Give v and its CPU the settings s, from any CPU (self).  They are
 * checked as the config checks them, then the CPU's policy must admit
 * the CPU's whole set as it would become; 0, and v's CPU applies them
 * before it next picks (its policy starts afresh).  Else nothing changes
 * and err says why: -1, out of range; -2, the policy refuses the set. */
int vcpu_sched_set(struct vcpu *v, const struct vcpu_sched *s, uint32_t self,
		   char *err, size_t err_len);

/* Report every interval_us (0: never): a table on the console and one
 * @stats line per guest (kernel/sched/stats.h).  Warns at boot when the
 * reports would take over 3/4 of what the console line carries. */
void vcpu_stats_init(uint64_t interval_us);
const char *vcpu_sched_policy(uint32_t cpu);

/* Where a CPU's cycles went, from its loop's start to its end: running
 * vCPUs (their guest and hypervisor cycles), idle, and its own loop and
 * scheduler (hv).  Each TSC interval goes to exactly one part. */
struct vcpu_cpu_acct {
	uint64_t start, end;
	uint64_t run, idle, hv;
};
const struct vcpu_cpu_acct *vcpu_cpu_acct(uint32_t cpu);

/* Run vCPUs pinned to physical CPU cpu until all of them have stopped. */
void vcpu_run_cpu(uint32_t cpu);

/* A blocked t has an interrupt: make it runnable and its CPU look again
 * (self is the CPU calling).  vcpu_poke only makes t's CPU look again;
 * vcpu_kick only forces t's CPU out of guest mode. */
void vcpu_wake(struct vcpu *t, uint32_t self);
void vcpu_poke(struct vcpu *t, uint32_t self);
void vcpu_kick(const struct vcpu *t);

/* Should v, running, leave its CPU at this exit?  Its guest stopped, or
 * this CPU itself woke another of its vCPUs or sent v an INIT (leave).
 * Other CPUs make a vCPU leave by a kick: vcpu_kicked_out says then. */
static inline int vcpu_should_leave(const struct vcpu *v)
{
	return vcpu_state(v) != VCPU_RUNNABLE || v->leave;
}

extern uint32_t vcpu_cpu_poked[];
static inline int vcpu_kicked_out(const struct vcpu *v)
{
	return vcpu_should_leave(v) || v->init_pending ||
	       __atomic_load_n(&vcpu_cpu_poked[v->pcpu], __ATOMIC_ACQUIRE);
}

#endif
