// SPDX-License-Identifier: MIT
/* The vCPU loop of one physical CPU: its policy picks a vCPU, it runs,
 * it is charged, repeat. */
#include "vcpu.h"

#include <stddef.h>

#include "../arch.h"
#include "../bootinfo.h"
#include "../console.h"
#include "../log.h"
#include "../lib/fmt.h"
#include "../lib/spinlock.h"
#include "../smp.h"
#include "guest.h"
#include "irq.h"
#include "vconsole.h"

/* Each CPU's run queue (kernel/sched), filled at boot by vcpu_sched_init
 * and used only by its own CPU from then on. */
static struct sched_cpu runq[BI_MAX_CPUS];

static struct vcpu *vcpu_of(struct sched_entity *e)
{
	return (struct vcpu *)((char *)e - offsetof(struct vcpu, se));
}

/* The i-th vCPU pinned to cpu: its run queue holds them, in guest order. */
static struct vcpu *pinned(uint32_t cpu, uint32_t i)
{
	return vcpu_of(runq[cpu].ents[i]);
}

static uint32_t count(uint32_t cpu, enum vcpu_state state)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < runq[cpu].n; i++)
		n += vcpu_state(pinned(cpu, i)) == state;
	return n;
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

	/* All under the lock: a sibling halted on another CPU must see the
	 * signal pending or its effect (irq_can_wake), never neither. */
	guest_lock(g, cpu);
	int init = v->init_pending, start = v->sipi_pending;
	v->init_pending = v->sipi_pending = 0;
	if (init) {
		arch_vcpu_reset(v);
		vcpu_move(v, VCPU_RUNNABLE, VCPU_BLOCKED);
	}
	if (start) {
		v->boot =
		    (struct vcpu_boot){.mode = VCPU_MODE_REAL,
				       .cs = (uint16_t)(v->sipi_vector << 8)};
		arch_vcpu_reset(v);
		v->work = 1;
		vcpu_move(v, VCPU_BLOCKED, VCPU_RUNNABLE);
	}
	guest_unlock(g);
}

/* Take the signals of cpu's vCPUs, wake the blocked ones with an
 * interrupt (their timers run first), stop a guest whose halted vCPU
 * nothing can ever wake.  Returns the earliest timer still to come
 * (UINT64_MAX: none). */
static uint64_t wake_sleepers(uint32_t cpu)
{
	uint64_t soonest = UINT64_MAX;

	for (uint32_t i = 0; i < runq[cpu].n; i++) {
		struct vcpu *v = pinned(cpu, i);
		struct guest *gu = v->guest;
		if (v->init_pending || v->sipi_pending)
			vcpu_signals(v, cpu);
		if (vcpu_state(v) != VCPU_BLOCKED || vcpu_awaits_signal(v))
			continue;
		guest_lock(gu, cpu);
		uint64_t due = irq_run_timers(v, arch_now());
		if (irq_pending(v)) {
			v->work = 1;
			vcpu_move(v, VCPU_BLOCKED, VCPU_RUNNABLE);
		} else if (due == UINT64_MAX && !irq_can_wake(v)) {
			guest_stop(gu,
				   "vCPU %u halted with no timer or interrupt "
				   "that can wake it",
				   v->id);
		} else if (due < soonest) {
			soonest = due;
		}
		guest_unlock(gu);
	}
	return soonest;
}

static uint64_t us_to_tsc(uint64_t us)
{
	uint64_t khz = arch_tsc_khz() ? arch_tsc_khz() : 1000000;

	return us * khz / 1000;
}

static const struct sched_policy *policy_of(enum cfg_policy p, uint32_t n)
{
	static const char *const names[] = {"", "static", "rr", "credit",
					    "edf"};

	if (p == CFG_POLICY_DEFAULT)
		return n > 1 ? &sched_rr : &sched_static;
	return sched_policy_by_name(names[p]);
}

/* What the config and HC_SCHED_SET gave each CPU.  Changes at run time
 * are checked and recorded under change_lock by the CPU that asks, and
 * applied by the CPU itself (apply_changes) when change_due says so. */
static struct {
	const struct sched_policy *policy;
	uint64_t slice_us;
} setting[BI_MAX_CPUS];
static struct spinlock change_lock;
static uint32_t change_due[BI_MAX_CPUS];

/* v's accepted parameters, in TSC cycles, into e. */
static void params_to(struct sched_entity *e, const struct vcpu *v)
{
	e->weight = v->weight;
	e->cap = v->cap;
	e->budget = us_to_tsc(v->budget_us);
	e->period = us_to_tsc(v->period_us);
}

void vcpu_sched_init(const struct cfg *c)
{
	char err[160];

	for (uint32_t cpu = 0; cpu < BI_MAX_CPUS && cpu <= CFG_MAX_CPU_INDEX;
	     cpu++) {
		uint32_t n = 0;
		for (uint32_t g = 0; g < nguests; g++)
			for (uint32_t i = 0; i < guests[g].nvcpus; i++)
				n += guests[g].vcpus[i].pcpu == cpu;
		const struct cfg_cpu *cc = &c->cpus[cpu];
		setting[cpu].policy = policy_of(cc->policy, n);
		setting[cpu].slice_us =
		    cc->slice_us ? cc->slice_us : CFG_DEFAULT_SLICE_US;
		sched_cpu_init(&runq[cpu], setting[cpu].policy,
			       us_to_tsc(setting[cpu].slice_us),
			       arch_tsc_khz() * 1000);
		for (uint32_t g = 0; g < nguests; g++)
			for (uint32_t i = 0; i < guests[g].nvcpus; i++) {
				struct vcpu *v = &guests[g].vcpus[i];
				const struct cfg_guest *gc = guests[g].cfg;
				if (v->pcpu != cpu)
					continue;
				sched_entity_init(&v->se, g << 8 | i);
				v->weight = gc->weight;
				v->cap = gc->cap;
				v->budget_us = gc->budget_us;
				v->period_us = gc->period_us;
				params_to(&v->se, v);
				if (sched_add(&runq[cpu], &v->se, err,
					      sizeof(err)))
					hv_stop("error",
						"CPU %u (policy %s): guest %s "
						"vCPU %u: %s",
						cpu, runq[cpu].policy->name,
						guests[g].name, i, err);
			}
		if (n)
			kprintf("hv: sched: cpu %u: %s, %u vCPU%s, slice %llu "
				"us\n",
				cpu, runq[cpu].policy->name, n,
				n > 1 ? "s" : "",
				(unsigned long long)setting[cpu].slice_us);
	}
}

void vcpu_sched_get(const struct vcpu *v, struct vcpu_sched *out)
{
	spin_lock(&change_lock);
	*out = (struct vcpu_sched){setting[v->pcpu].policy,
				   setting[v->pcpu].slice_us,
				   v->weight,
				   v->cap,
				   v->budget_us,
				   v->period_us};
	spin_unlock(&change_lock);
}

/* The config's ranges (kernel/config.c), for settings from a hypercall. */
static int valid_time(uint64_t us)
{
	return us >= CFG_MIN_TIME_US && us <= CFG_MAX_TIME_US;
}

static int settings_valid(const struct vcpu_sched *s, char *err, size_t err_len)
{
	const char *why =
	    !s->policy				 ? "unknown policy"
	    : !valid_time(s->slice_us)		 ? "slice outside 10 us - 10 s"
	    : s->weight < 1 || s->weight > 65535 ? "weight outside 1-65535"
	    : s->cap > 100			 ? "cap over 100 %"
	    : !s->budget_us != !s->period_us ? "budget and period go together"
	    : s->period_us &&
		    (!valid_time(s->budget_us) || !valid_time(s->period_us))
		? "budget or period outside 10 us - 10 s"
	    : s->budget_us > s->period_us ? "budget longer than its period"
					  : NULL;

	if (why)
		fmt_snprintf(err, err_len, "%s", why);
	return !why;
}

int vcpu_sched_set(struct vcpu *v, const struct vcpu_sched *s, uint32_t self,
		   char *err, size_t err_len)
{
	/* The CPU's set as it would become, from the accepted settings (a
	 * change not applied yet included), v's replaced by s. */
	static struct sched_entity cand[SCHED_MAX_ENTITIES];
	static const struct sched_entity *with[SCHED_MAX_ENTITIES];
	uint32_t cpu = v->pcpu;

	if (!settings_valid(s, err, err_len))
		return -1;
	spin_lock(&change_lock);
	for (uint32_t i = 0; i < runq[cpu].n; i++) {
		const struct vcpu *o = pinned(cpu, i);
		sched_entity_init(&cand[i], o->se.id);
		params_to(&cand[i], o);
		if (o == v) {
			cand[i].weight = s->weight;
			cand[i].cap = s->cap;
			cand[i].budget = us_to_tsc(s->budget_us);
			cand[i].period = us_to_tsc(s->period_us);
		}
		with[i] = &cand[i];
	}
	if (sched_check(&runq[cpu], s->policy, us_to_tsc(s->slice_us), with,
			err, err_len)) {
		spin_unlock(&change_lock);
		return -2;
	}
	setting[cpu].policy = s->policy;
	setting[cpu].slice_us = s->slice_us;
	v->weight = s->weight;
	v->cap = s->cap;
	v->budget_us = s->budget_us;
	v->period_us = s->period_us;
	__atomic_store_n(&change_due[cpu], 1, __ATOMIC_RELEASE);
	spin_unlock(&change_lock);
	if (cpu == self && running[self]) /* its run ends at this exit */
		running[self]->leave = 1;
	else if (cpu != self)
		vcpu_poke(v, self);
	return 0;
}

/* On cpu, before it picks: take up the settings accepted for it. */
static void apply_changes(uint32_t cpu)
{
	if (!__atomic_load_n(&change_due[cpu], __ATOMIC_ACQUIRE))
		return;
	spin_lock(&change_lock);
	change_due[cpu] = 0;
	for (uint32_t i = 0; i < runq[cpu].n; i++)
		params_to(runq[cpu].ents[i], pinned(cpu, i));
	sched_restart(&runq[cpu], setting[cpu].policy,
		      us_to_tsc(setting[cpu].slice_us));
	const char *name = setting[cpu].policy->name;
	uint64_t slice_us = setting[cpu].slice_us;
	spin_unlock(&change_lock);
	kprintf("hv: sched: cpu %u: now %s, slice %llu us\n", cpu, name,
		(unsigned long long)slice_us);
}

const char *vcpu_sched_policy(uint32_t cpu)
{
	return runq[cpu].policy ? runq[cpu].policy->name : "none";
}

static struct vcpu_cpu_acct acct[BI_MAX_CPUS];

const struct vcpu_cpu_acct *vcpu_cpu_acct(uint32_t cpu)
{
	return &acct[cpu];
}

/* The vCPUs of cpu up to TSC t, each in the state its CPU saw at the
 * start of the step: the loop's part until mid, then ran's run (its own
 * counts have it) or idling.  A stopped vCPU is no longer counted. */
static void account_vcpus(uint32_t cpu, uint64_t mid, uint64_t t,
			  const struct vcpu *ran)
{
	for (uint32_t i = 0; i < runq[cpu].n; i++) {
		struct vcpu *v = pinned(cpu, i);
		if (!v->acct_t)
			continue;
		if (!v->acct_runnable) {
			v->blocked_cycles += t - v->acct_t;
		} else {
			v->wait_cycles += mid - v->acct_t;
			if (v != ran)
				v->steal_cycles += t - mid;
		}
		v->acct_t = vcpu_state(v) == VCPU_STOPPED ? 0 : t;
	}
}

/* The run queue learns what other CPUs and the exits changed: who is
 * runnable now. */
static void sync_runq(uint32_t cpu, uint64_t now)
{
	for (uint32_t i = 0; i < runq[cpu].n; i++) {
		struct vcpu *v = pinned(cpu, i);
		v->acct_runnable = vcpu_state(v) == VCPU_RUNNABLE;
		if (v->acct_runnable)
			sched_wake(&runq[cpu], &v->se, now);
		else
			sched_block(&runq[cpu], &v->se, now);
	}
}

/* Interval reports: every CPU samples its vCPUs at each boundary (its
 * runs end there) and prints, for the guests whose vCPU 0 it runs, the
 * interval before the last one, whose samples every CPU took an interval
 * ago. */
static uint64_t stats_interval, stats_origin;
static uint64_t stats_next[BI_MAX_CPUS];

/* About what one interval prints: a header, then a table row and an
 * @stats line per guest. */
#define STATS_HEADER_BYTES 110u
#define STATS_GUEST_BYTES  360u

void vcpu_stats_init(uint64_t interval_us)
{
	uint64_t need = (STATS_HEADER_BYTES + STATS_GUEST_BYTES * nguests) *
			1000000ull / (interval_us ? interval_us : 1);

	stats_interval = us_to_tsc(interval_us);
	stats_origin = arch_now(); /* before any CPU's loop starts */
	if (interval_us && need > CONSOLE_BYTES_PER_SEC / 4 * 3)
		kprintf("hv: stats: warning: %u guests every %llu ms print "
			"about %llu bytes/s, over 3/4 of the %u the console "
			"carries: reports will be dropped and guests' console "
			"output delayed; a longer stats_interval avoids it\n",
			nguests, (unsigned long long)(interval_us / 1000),
			(unsigned long long)need, CONSOLE_BYTES_PER_SEC);
}

static struct stats_sample sample_of(const struct vcpu *v)
{
	return (struct stats_sample){v->cycles_guest,	v->cycles_hv,
				     v->steal_cycles,	v->wait_cycles,
				     v->blocked_cycles, v->exits};
}

/* The guest's vCPUs summed at boundary k; 0 if one has no sample. */
static int guest_sample(const struct guest *g, uint64_t k,
			struct stats_sample *out)
{
	*out = (struct stats_sample){0};
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		const struct vcpu *v = &g->vcpus[i];
		if (__atomic_load_n(&v->st_seq[k % 4], __ATOMIC_ACQUIRE) != k)
			return 0;
		const struct stats_sample *s = &v->st[k % 4];
		out->guest += s->guest;
		out->hv += s->hv;
		out->steal += s->steal;
		out->wait += s->wait;
		out->blocked += s->blocked;
		out->exits += s->exits;
	}
	return 1;
}

/* The guest's most frequent exit reason over (k-1, k], or "-". */
static const char *top_exit(const struct guest *g, uint64_t k)
{
	uint32_t best = 0, most = 0, n;

	for (unsigned r = 0;
	     r < VCPU_EXIT_REASONS && arch_exit_name(r, &n, &g->vcpus[0]);
	     r++) {
		uint32_t sum = 0;
		for (uint32_t i = 0; i < g->nvcpus; i++)
			sum += g->vcpus[i].st_exits[k % 4][r] -
			       g->vcpus[i].st_exits[(k - 1) % 4][r];
		if (sum > most) {
			most = sum;
			best = r;
		}
	}
	return most ? arch_exit_name(best, &n, &g->vcpus[0]) : "-";
}

/* The CPU that heads each table: that of the first guest still running
 * (guest 0's may have stopped, its CPU no longer counting intervals). */
static int heads_table(uint32_t cpu)
{
	for (uint32_t g = 0; g < nguests; g++)
		if (!__atomic_load_n(&guests[g].stopped, __ATOMIC_ACQUIRE))
			return guests[g].vcpus[0].pcpu == cpu;
	return 0;
}

/* Interval (k-1, k] of the guests whose vCPU 0 runs on cpu and whose
 * vCPUs all sampled both ends. */
static void stats_print(uint32_t cpu, uint64_t k)
{
	char cpus[48], line[320];
	uint64_t hz = arch_tsc_khz() * 1000;
	uint64_t ms = k * stats_interval * 1000 / (hz ? hz : 1);

	if (heads_table(cpu))
		kqueue("hv: stats %llu ms: %s\n", (unsigned long long)ms,
		       stats_header());
	for (uint32_t g = 0; g < nguests; g++) {
		const struct guest *gu = &guests[g];
		struct stats_sample a, b;
		if (gu->vcpus[0].pcpu != cpu)
			continue;
		if (__atomic_load_n(&gu->stopped, __ATOMIC_ACQUIRE) ||
		    !guest_sample(gu, k - 1, &a) || !guest_sample(gu, k, &b))
			continue;
		uint32_t n = 0;
		for (uint32_t i = 0; i < gu->nvcpus && n + 4 < sizeof(cpus);
		     i++)
			n += (uint32_t)fmt_snprintf(cpus + n, sizeof(cpus) - n,
						    "%s%u", i ? "+" : "",
						    gu->vcpus[i].pcpu);
		const char *policy = runq[gu->vcpus[0].pcpu].policy->name;
		const char *top = top_exit(gu, k);
		stats_row(line, sizeof(line), gu->name, cpus, policy,
			  gu->nvcpus, &a, &b, stats_interval, hz, top);
		kqueue("hv: stats %llu ms: %s\n", (unsigned long long)ms, line);
		stats_line(line, sizeof(line), ms, gu->name, cpus, policy,
			   gu->nvcpus, &a, &b, stats_interval, hz, top);
		kqueue("%s\n", line);
	}
}

/* At or past this CPU's next boundary: sample its vCPUs (their counters
 * stand at t, the last checkpoint), then print its guests' lines. */
static void stats_tick(uint32_t cpu, uint64_t now)
{
	if (!stats_interval || now < stats_next[cpu])
		return;
	uint64_t k = (now - stats_origin) / stats_interval;
	stats_next[cpu] = stats_origin + (k + 1) * stats_interval;
	for (uint32_t i = 0; i < runq[cpu].n; i++) {
		struct vcpu *v = pinned(cpu, i);
		uint32_t n;
		v->st[k % 4] = sample_of(v);
		for (unsigned r = 0;
		     r < VCPU_EXIT_REASONS && arch_exit_name(r, &n, v); r++)
			v->st_exits[k % 4][r] = n;
		__atomic_store_n(&v->st_seq[k % 4], k, __ATOMIC_RELEASE);
	}
	if (k >= 2)
		stats_print(cpu, k - 1);
}

/*
 * Time: t is where this CPU's accounting stands.  Each step charges the
 * loop's own work since t to the CPU (hv), then either a vCPU's run
 * (arch_vcpu_run accounts exactly its [now, end)) or idling; the vCPUs'
 * runnable and blocked cycles follow the same checkpoints.
 */
void vcpu_run_cpu(uint32_t cpu)
{
	struct sched_cpu *rq = &runq[cpu];
	struct vcpu_cpu_acct *a = &acct[cpu];
	uint64_t t = arch_now();

	a->start = t;
	stats_next[cpu] = stats_origin + stats_interval;
	for (uint32_t i = 0; i < runq[cpu].n; i++)
		pinned(cpu, i)->acct_t = pinned(cpu, i)->acct_start = t;
	for (;;) {
		__atomic_store_n(&vcpu_cpu_poked[cpu], 0, __ATOMIC_RELEASE);
		if (cpu == 0) /* the console's interrupt comes here */
			vconsole_input(cpu);
		else
			kdrain();   /* queued console lines, if CPU 0 is busy */
		stats_tick(cpu, t); /* the counters stand at t */
		/* A sleeper's timer also ends a turn: its CPU must wake it;
		 * so does the next stats boundary. */
		uint64_t soonest = wake_sleepers(cpu), until;
		uint64_t now = arch_now();
		if (stats_interval && stats_next[cpu] < soonest)
			soonest = stats_next[cpu];
		apply_changes(cpu);
		sync_runq(cpu, now);
		struct sched_entity *e = sched_pick(rq, now, &until);
		if (until < soonest)
			soonest = until;
		a->hv += now - t;
		if (e) {
			struct vcpu *v = vcpu_of(e);
			if (!v->start_tsc)
				v->start_tsc = now;
			running[cpu] = v;
			v->leave = 0;
			t = arch_vcpu_run(v, now,
					  soonest == UINT64_MAX ? 0
					  : soonest > now	? soonest - now
								: 1);
			running[cpu] = NULL;
			a->run += t - now;
			sched_charge(rq, e, now, t);
			account_vcpus(cpu, now, t, v);
			continue;
		}
		if (!count(cpu, VCPU_BLOCKED) && !count(cpu, VCPU_RUNNABLE)) {
			account_vcpus(cpu, now, now, NULL);
			a->end = now;
			return;
		}
		t = arch_idle_until(soonest, &vcpu_cpu_poked[cpu]);
		a->idle += t - now;
		account_vcpus(cpu, now, t, NULL);
	}
}
