// SPDX-License-Identifier: MIT
/*
 * sched: scheduling changed at run time by a privileged guest.
 *
 * cmdline "worker" (or "worker MS"): CPU-bound for WORKER_MS (or MS)
 * of its own TSC, then prints
 * what HC_UTIL says of it (guest, steal, ...) and whether the parts add
 * up.  It also tries HC_SCHED_SET, which it is not allowed.
 *
 * cmdline "ctl" (config: privileged = yes): changes the workers "a" and
 * "b" (one vCPU each, sharing a CPU under credit) in three phases of
 * PHASE_MS, printing a "phase" line at each so that the scenario's check
 * can cut the @stats lines: equal weights, then a's weight tripled, then
 * edf with reservations of 20 % and 60 %.  Between them it tries bad
 * changes and an edf set that does not fit.
 */
#include "../lib/apic.h"
#include "../lib/guest.h"

#define PHASE_MS  1200
#define WORKER_MS (3 * PHASE_MS + 100)
#define V_TIMER	  0x40

/* ctl sleeps in HLT until its TSC-deadline timer fires: its CPU idles. */
static volatile int woke;

static void on_timer(unsigned vector)
{
	(void)vector;
	woke = 1;
	xapic_write(APIC_EOI, 0);
}

static void sleep_until(uint64_t tsc)
{
	woke = 0;
	wrmsr(MSR_TSC_DEADLINE, tsc);
	while (!woke)
		sti_hlt();
}

static unsigned failures;

static void expect(const char *what, int64_t got, int64_t want)
{
	guest_printf("sched: %s -> %lld%s\n", what, (long long)got,
		     got == want ? "" : " (WRONG)");
	failures += got != want;
}

static uint64_t ms_to_tsc(uint64_t ms)
{
	return ms * (guest_boot->tsc_khz ? guest_boot->tsc_khz : 1000000);
}

static void copy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	while (i + 1 < n && *src)
		dst[i++] = *src++;
	while (i < n)
		dst[i++] = 0;
}

static struct hv_sched get(const char *guest)
{
	struct hv_sched s = {0};

	copy(s.guest, guest, sizeof(s.guest));
	expect("get", guest_hypercall(HC_SCHED_GET, (uint64_t)&s, sizeof(s)),
	       0);
	guest_printf("sched: %s vCPU %u: cpu %u, %s, slice %llu us, weight "
		     "%u, cap %u, budget %llu us, period %llu us\n",
		     guest[0] ? guest : "(self)", s.vcpu, s.cpu, s.policy,
		     (unsigned long long)s.slice_us, s.weight, s.cap,
		     (unsigned long long)s.budget_us,
		     (unsigned long long)s.period_us);
	return s;
}

static int64_t set(struct hv_sched *s)
{
	return guest_hypercall(HC_SCHED_SET, (uint64_t)s, sizeof(*s));
}

static void set_policy(struct hv_sched *s, const char *policy)
{
	copy(s->policy, policy, sizeof(s->policy));
}

static int worker(void)
{
	static struct hv_util u;
	struct hv_sched s = {0};
	uint64_t ms = WORKER_MS, x = 1;
	/* "worker MS": for MS ms instead. */
	const char *c = guest_boot->cmdline + 6;
	if (*c == ' ')
		for (ms = 0, c++; *c >= '0' && *c <= '9'; c++)
			ms = ms * 10 + (uint64_t)(*c - '0');
	uint64_t end = rdtsc() + ms_to_tsc(ms);

	expect("worker: get own",
	       guest_hypercall(HC_SCHED_GET, (uint64_t)&s, sizeof(s)), 0);
	expect("worker: set own (not privileged)", set(&s), HV_EPERM);
	while (rdtsc() < end)
		for (int i = 0; i < 1000; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull;
	expect("worker: util",
	       guest_hypercall(HC_UTIL, (uint64_t)&u, sizeof(u)), sizeof(u));
	uint64_t parts = u.guest + u.hv + u.steal + u.wait + u.blocked;
	/* Not in the parts yet: the last pick and this exit so far. */
	int sane = parts <= u.elapsed && u.elapsed - parts < 100000;
	guest_printf("sched: worker %s: elapsed %llu = guest %llu + hv %llu "
		     "+ steal %llu + wait %llu + blocked %llu (+%llu not yet)"
		     ": guest %llu%%, steal %llu%%%s (x %llx)\n",
		     guest_boot->name, (unsigned long long)u.elapsed,
		     (unsigned long long)u.guest, (unsigned long long)u.hv,
		     (unsigned long long)u.steal, (unsigned long long)u.wait,
		     (unsigned long long)u.blocked,
		     (unsigned long long)(u.elapsed - parts),
		     (unsigned long long)(100 * u.guest / u.elapsed),
		     (unsigned long long)(100 * u.steal / u.elapsed),
		     sane ? "" : " (WRONG)", (unsigned long long)(x & 0xf));
	return failures || !sane;
}

static int ctl(void)
{
	uint64_t t0 = rdtsc();
	struct hv_sched a = get("a"), b = get("b"), bad;

	guest_traps_init();
	guest_irq_set(V_TIMER, on_timer);
	xapic_write(APIC_SVR, 0x1ff);
	xapic_write(APIC_LVT_TIMER, V_TIMER | LVT_DEADLINE);

	get("");
	guest_printf("sched: phase 1: credit, weights 1:1\n");
	sleep_until(t0 + ms_to_tsc(PHASE_MS));
	a.weight = 3 * b.weight;
	expect("set a weight 3x", set(&a), 0);
	guest_printf("sched: phase 2: credit, weights 3:1\n");
	sleep_until(t0 + ms_to_tsc(2 * PHASE_MS));

	/* Refused, each for its own reason, and nothing changes. */
	expect("set, wrong size",
	       guest_hypercall(HC_SCHED_SET, (uint64_t)&a, sizeof(a) - 8),
	       HV_EINVAL);
	expect("set, outside RAM",
	       guest_hypercall(HC_SCHED_SET, 0xc0000000ull, sizeof(a)),
	       HV_EFAULT);
	bad = a;
	copy(bad.guest, "nosuch", sizeof(bad.guest));
	expect("set, unknown guest", set(&bad), HV_ENOENT);
	bad = a;
	bad.vcpu = 1;
	expect("set, no vCPU 1", set(&bad), HV_ENOENT);
	bad = a;
	set_policy(&bad, "fifo");
	expect("set, unknown policy", set(&bad), HV_EINVAL);
	bad = a;
	bad.weight = 0;
	expect("set, weight 0", set(&bad), HV_EINVAL);
	bad = a;
	bad.budget_us = 1000;
	expect("set, budget without period", set(&bad), HV_EINVAL);
	bad = a;
	set_policy(&bad, "static");
	expect("set, static with two vCPUs", set(&bad), HV_ENOSPC);
	bad = a;
	set_policy(&bad, "edf");
	expect("set, edf while b has no reservation", set(&bad), HV_ENOSPC);

	/* Reservations: b 60 % (credit ignores it), then a at 70 % does
	 * not fit and at 20 % does. */
	b.budget_us = 6000;
	b.period_us = 10000;
	expect("set b budget 6 ms / 10 ms", set(&b), 0);
	bad = a;
	set_policy(&bad, "edf");
	bad.budget_us = 7000;
	bad.period_us = 10000;
	expect("set a edf 7 ms / 10 ms", set(&bad), HV_ENOSPC);
	a = bad;
	a.budget_us = 2000;
	expect("set a edf 2 ms / 10 ms", set(&a), 0);
	guest_printf("sched: phase 3: edf, 20 %% and 60 %%\n");
	get("a");
	get("b");
	sleep_until(t0 + ms_to_tsc(3 * PHASE_MS));
	guest_printf("sched: ctl done, %u wrong\n", failures);
	return failures != 0;
}

int main(void)
{
	if (guest_boot->cmdline[0] == 'c')
		return ctl();
	return worker();
}
