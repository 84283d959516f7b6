/* SPDX-License-Identifier: MIT */
/* The scheduler: one run queue per physical CPU, a policy per run queue. */
#ifndef SCHED_SCHED_H
#define SCHED_SCHED_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic, built for the hypervisor and for the host (unit tests, the
 * simulator in scripts/).  Time is TSC cycles, passed in; nothing here
 * reads a clock, takes a lock or knows what a vCPU is.
 *
 * Each physical CPU has a struct sched_cpu: the entities (vCPUs) pinned
 * to it and the policy that picks among them.  Only that CPU calls into
 * its run queue; other CPUs change an entity's runnable state through
 * the hypervisor, and the CPU's loop reports the change (sched_wake,
 * sched_block) before it picks again.
 *
 * A policy is an ops table (struct sched_policy): a new policy is one
 * file that fills one, plus a line in sched_policy_by_name.
 */

#define SCHED_MAX_ENTITIES 64	      /* per CPU */
#define SCHED_NEVER	   UINT64_MAX /* no time limit / nothing due */

struct sched_entity {
	uint32_t id;  /* caller's, for messages and tie-breaks */
	int runnable; /* kept by the core: wake/block */
	/* Parameters (config, hypercall); which ones a policy reads is in
	 * its file.  Defaults from sched_entity_init. */
	uint32_t weight;	 /* credit: relative share (default 256) */
	uint32_t cap;		 /* credit: at most cap % of the CPU; 0 none */
	uint64_t budget, period; /* edf: budget cycles every period cycles */
	/* Policy state. */
	uint64_t vtime;	   /* credit: weighted service received */
	uint64_t used;	   /* credit: cycles run in the current cap period */
	uint64_t deadline; /* edf: end of the current period */
	uint64_t left;	   /* edf: budget left in the current period */
};

struct sched_cpu;

struct sched_policy {
	const char *name;
	/* Boot: e joins c (already in c->ents when called).  0, or -1 with a
	 * reason in err (admission control, too many for "static"). */
	int (*admit)(struct sched_cpu *c, struct sched_entity *e, char *err,
		     size_t err_len);
	/* e became runnable / stopped being runnable at now. */
	void (*wake)(struct sched_cpu *c, struct sched_entity *e, uint64_t now);
	void (*block)(struct sched_cpu *c, struct sched_entity *e,
		      uint64_t now);
	/* The entity to run from now (NULL: none, idle), and in *until the
	 * TSC at which the policy wants to pick again (SCHED_NEVER: only
	 * when something wakes or blocks). */
	struct sched_entity *(*pick)(struct sched_cpu *c, uint64_t now,
				     uint64_t *until);
	/* e ran in guest mode or had the hypervisor work for it over
	 * [from, to): the policy charges it. */
	void (*charge)(struct sched_cpu *c, struct sched_entity *e,
		       uint64_t from, uint64_t to);
};

struct sched_cpu {
	const struct sched_policy *policy;
	uint64_t slice;	 /* rr and credit: the longest a pick lasts */
	uint64_t tsc_hz; /* for policies with periods in time */
	uint32_t n;
	struct sched_entity *ents[SCHED_MAX_ENTITIES];
	uint32_t last;	/* rr: index of the last pick */
	uint64_t epoch; /* credit: start of the current cap period */
};

/* The policy called name ("static", "rr", "credit", "edf"), or NULL. */
const struct sched_policy *sched_policy_by_name(const char *name);

/* Defaults: weight 256, no cap, no reservation, not runnable. */
void sched_entity_init(struct sched_entity *e, uint32_t id);

/* An empty run queue with policy p; slice in TSC cycles. */
void sched_cpu_init(struct sched_cpu *c, const struct sched_policy *p,
		    uint64_t slice, uint64_t tsc_hz);

/* Boot: add e to c, asking the policy; 0, or -1 and err says why (the
 * run queue is then unchanged). */
int sched_add(struct sched_cpu *c, struct sched_entity *e, char *err,
	      size_t err_len);

/*
 * Changes at run time.  sched_check: would policy p with slice admit c's
 * entities with the parameters in with[i] (one per c->ents[i], copies or
 * the entities themselves)?  0, or -1 and err says why; c is not
 * touched, so another CPU may ask while c's own runs.  sched_restart, on
 * c's own CPU once a check passed: c runs p with slice from now, every
 * entity's policy state cleared and none runnable (the caller wakes the
 * runnable ones), as at boot.
 */
int sched_check(const struct sched_cpu *c, const struct sched_policy *p,
		uint64_t slice, const struct sched_entity *const with[],
		char *err, size_t err_len);
void sched_restart(struct sched_cpu *c, const struct sched_policy *p,
		   uint64_t slice);

/* State changes, charging and picking, through the policy. */
void sched_wake(struct sched_cpu *c, struct sched_entity *e, uint64_t now);
void sched_block(struct sched_cpu *c, struct sched_entity *e, uint64_t now);
void sched_charge(struct sched_cpu *c, struct sched_entity *e, uint64_t from,
		  uint64_t to);
struct sched_entity *sched_pick(struct sched_cpu *c, uint64_t now,
				uint64_t *until);

/* The policies (static.c, rr.c, credit.c, edf.c). */
extern const struct sched_policy sched_static, sched_rr, sched_credit,
    sched_edf;

#endif
