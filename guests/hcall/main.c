// SPDX-License-Identifier: MIT
/* hcall: every hypercall of the ABI (kernel/vm/abi.h), good and bad. */
#include "../lib/guest.h"

static int64_t vmcall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	uint64_t rax = nr;

	__asm__ volatile("vmcall" : "+a"(rax) : "D"(a0), "S"(a1) : "memory");
	return (int64_t)rax;
}

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

	expect("version", vmcall(HC_VERSION, 0, 0), HV_ABI_VERSION);
	expect("console write", vmcall(HC_CONSOLE_WRITE, (uint64_t)line, len),
	       (int64_t)len);
	expect("console write, too long",
	       vmcall(HC_CONSOLE_WRITE, (uint64_t)line, HV_CONSOLE_MAX + 1),
	       HV_EINVAL);
	expect("console write, outside RAM",
	       vmcall(HC_CONSOLE_WRITE, 0xc0000000ull, 8), HV_EFAULT);
	expect("yield", vmcall(HC_YIELD, 0, 0), 0);
	expect("utilisation", vmcall(HC_UTIL, (uint64_t)&u, 0), 0);
	expect("utilisation, outside RAM", vmcall(HC_UTIL, 0xc0000000ull, 0),
	       HV_EFAULT);
	expect("unknown call 99", vmcall(99, 0, 0), HV_ENOSYS);
	/* The figures add up: guest and hypervisor time within elapsed. */
	int sane = u.guest > 0 && u.hv > 0 && u.exits >= 5 &&
		   u.guest + u.hv <= u.elapsed;
	guest_printf(
	    "hcall: util guest %llu hv %llu elapsed %llu exits %llu%s\n",
	    (unsigned long long)u.guest, (unsigned long long)u.hv,
	    (unsigned long long)u.elapsed, (unsigned long long)u.exits,
	    sane ? "" : " (WRONG)");
	return failures || !sane;
}
