// SPDX-License-Identifier: MIT
/* Hypercalls: version, console write, yield, own utilisation,
 * scheduling settings. */
#include "hypercall.h"

#include <string.h>

#include "../arch.h"
#include "abi.h"
#include "guest.h"
#include "vconsole.h"

static __attribute__((noinline)) int64_t
console_write(struct vcpu *v, uint64_t gpa, uint64_t len)
{
	if (len > HV_CONSOLE_MAX)
		return HV_EINVAL;
	const char *s = guest_ram_ptr(v->guest, gpa, len);
	if (!s)
		return HV_EFAULT;
	for (uint64_t i = 0; i < len; i++)
		vconsole_putc(v->guest, s[i]);
	return (int64_t)len;
}

/* The first size bytes of struct hv_util; returns its full size. */
static __attribute__((noinline)) int64_t util(struct vcpu *v, uint64_t gpa,
					      uint64_t size)
{
	if (size % 8 || size > 4096)
		return HV_EINVAL;
	if (size > sizeof(struct hv_util))
		size = sizeof(struct hv_util);
	void *out = guest_ram_ptr(v->guest, gpa, size ? size : 1);
	if (!out)
		return HV_EFAULT;
	const struct hv_util u = {
	    .guest = v->cycles_guest,
	    .hv = v->cycles_hv,
	    .elapsed = arch_now() - v->acct_start,
	    .exits = v->exits,
	    .steal = v->steal_cycles,
	    .wait = v->wait_cycles,
	    .blocked = v->blocked_cycles,
	};
	memcpy(out, &u, size);
	return (int)sizeof(struct hv_util);
}

/* The vCPU a struct hv_sched names: guest by name ("" = v's own). */
static struct vcpu *sched_target(struct vcpu *v, const struct hv_sched *s)
{
	struct guest *g = v->guest;

	if (s->guest[0]) {
		g = NULL;
		for (uint32_t i = 0; i < nguests; i++)
			if (!strncmp(guests[i].name, s->guest,
				     sizeof(s->guest)))
				g = &guests[i];
	}
	return g && s->vcpu < g->nvcpus ? &g->vcpus[s->vcpu] : NULL;
}

static __attribute__((noinline)) int64_t sched(struct vcpu *v, int set,
					       uint64_t gpa, uint64_t size)
{
	struct hv_sched *s;
	struct vcpu_sched vs;
	char err[160];

	if (size != sizeof(*s))
		return HV_EINVAL;
	if (!(s = guest_ram_ptr(v->guest, gpa, sizeof(*s))))
		return HV_EFAULT;
	if (set && !v->guest->cfg->privileged) {
		guest_log(v->guest, "HC_SCHED_SET refused: the guest is not "
				    "privileged (config: privileged = yes)");
		return HV_EPERM;
	}
	struct hv_sched in = *s; /* one read: the guest may change it */
	struct vcpu *t = sched_target(v, &in);
	if (!t)
		return HV_ENOENT;
	if (!set) {
		vcpu_sched_get(t, &vs);
		s->cpu = t->pcpu;
		memset(s->policy, 0, sizeof(s->policy));
		for (size_t i = 0;
		     vs.policy->name[i] && i + 1 < sizeof(s->policy); i++)
			s->policy[i] = vs.policy->name[i];
		s->slice_us = vs.slice_us;
		s->weight = vs.weight;
		s->cap = vs.cap;
		s->budget_us = vs.budget_us;
		s->period_us = vs.period_us;
		return 0;
	}
	char name[sizeof(in.policy) + 1] = {0};
	memcpy(name, in.policy, sizeof(in.policy));
	vs = (struct vcpu_sched){sched_policy_by_name(name),
				 in.slice_us,
				 in.weight,
				 in.cap,
				 in.budget_us,
				 in.period_us};
	int r = vcpu_sched_set(t, &vs, v->pcpu, err, sizeof(err));
	if (r) {
		guest_log(v->guest, "HC_SCHED_SET for %s vCPU %u refused: %s",
			  t->guest->name, t->id, err);
		return r == -2 ? HV_ENOSPC : HV_EINVAL;
	}
	guest_log(v->guest,
		  "HC_SCHED_SET: %s vCPU %u on cpu %u: %s, slice %llu us, "
		  "weight %u, cap %u, budget %llu us, period %llu us",
		  t->guest->name, t->id, t->pcpu, vs.policy->name,
		  (unsigned long long)vs.slice_us, vs.weight, vs.cap,
		  (unsigned long long)vs.budget_us,
		  (unsigned long long)vs.period_us);
	return 0;
}

struct hc_result hypercall(struct vcpu *v, uint64_t nr, uint64_t a0,
			   uint64_t a1, uint64_t a2)
{
	(void)a2;
	switch (nr) {
	case HC_VERSION:
		return (struct hc_result){HV_ABI_VERSION, 0};
	case HC_CONSOLE_WRITE:
		return (struct hc_result){console_write(v, a0, a1), 0};
	case HC_YIELD:
		return (struct hc_result){0, 1};
	case HC_UTIL:
		return (struct hc_result){util(v, a0, a1), 0};
	case HC_SCHED_GET:
	case HC_SCHED_SET:
		return (struct hc_result){sched(v, nr == HC_SCHED_SET, a0, a1),
					  0};
	}
	return (struct hc_result){HV_ENOSYS, 0};
}
