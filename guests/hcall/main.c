// SPDX-License-Identifier: MIT
/* hcall: every hypercall of the ABI (kernel/vm/abi.h), good and bad. */
#include "../lib/guest.h"

static unsigned failures;

static void expect(const char *what, int64_t got, int64_t want)
{
	guest_printf("hcall: %s -> %lld%s\n", what, (long long)got,
		     got == want ? "" : " (WRONG)");
	failures += got != want;
}

int main(void)
{
	static const char line[] = "hcall: written by HC_CONSOLE_WRITE\n";
	static struct hv_util u;
	const uint64_t len = sizeof(line) - 1;

	expect("version", guest_hypercall(HC_VERSION, 0, 0), HV_ABI_VERSION);
	expect("console write",
	       guest_hypercall(HC_CONSOLE_WRITE, (uint64_t)line, len),
	       (int64_t)len);
	expect("console write, too long",
	       guest_hypercall(HC_CONSOLE_WRITE, (uint64_t)line,
			       HV_CONSOLE_MAX + 1),
	       HV_EINVAL);
	expect("console write, outside RAM",
	       guest_hypercall(HC_CONSOLE_WRITE, 0xc0000000ull, 8), HV_EFAULT);
	expect("yield", guest_hypercall(HC_YIELD, 0, 0), 0);
	expect("utilisation", guest_hypercall(HC_UTIL, (uint64_t)&u, sizeof(u)),
	       sizeof(u));
	/* A guest built for ABI 1 asks for the first four fields: it gets
	 * them and nothing past them; size 0 only asks the size. */
	static struct hv_util v1 = {.steal = 12345};
	expect("utilisation, ABI 1 size",
	       guest_hypercall(HC_UTIL, (uint64_t)&v1, 32), sizeof(u));
	expect("utilisation, ABI 1 size, rest untouched", (int64_t)v1.steal,
	       12345);
	expect("utilisation, size 0", guest_hypercall(HC_UTIL, 0, 0),
	       sizeof(u));
	expect("utilisation, size 12",
	       guest_hypercall(HC_UTIL, (uint64_t)&u, 12), HV_EINVAL);
	expect("utilisation, outside RAM",
	       guest_hypercall(HC_UTIL, 0xc0000000ull, sizeof(u)), HV_EFAULT);
	static struct hv_sched s;
	expect("sched get own",
	       guest_hypercall(HC_SCHED_GET, (uint64_t)&s, sizeof(s)), 0);
	expect("sched get own: weight", s.weight, 256);
	expect("sched set, not privileged",
	       guest_hypercall(HC_SCHED_SET, (uint64_t)&s, sizeof(s)),
	       HV_EPERM);
	expect("unknown call 99", guest_hypercall(99, 0, 0), HV_ENOSYS);
	/* The figures add up: guest and hypervisor time within elapsed. */
	int sane = u.guest > 0 && u.hv > 0 && u.exits >= 5 &&
		   u.guest + u.hv + u.steal + u.wait + u.blocked <= u.elapsed &&
		   v1.guest >= u.guest; /* v1 was read later */
	guest_printf("hcall: util guest %llu hv %llu elapsed %llu exits %llu "
		     "steal %llu wait %llu blocked %llu%s\n",
		     (unsigned long long)u.guest, (unsigned long long)u.hv,
		     (unsigned long long)u.elapsed, (unsigned long long)u.exits,
		     (unsigned long long)u.steal, (unsigned long long)u.wait,
		     (unsigned long long)u.blocked, sane ? "" : " (WRONG)");
	return failures || !sane;
}
