// SPDX-License-Identifier: MIT
/* compute: a CPU-bound run; prints its checksum and its TSC run time. */
#include "../lib/guest.h"
#include "work.h"

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	uint64_t t0 = rdtsc();
	uint64_t sum = compute_run(COMPUTE_ROUNDS);
	uint64_t t1 = rdtsc();

	guest_printf("compute: checksum 0x%016llx after %llu rounds in %llu "
		     "TSC cycles\n",
		     (unsigned long long)sum,
		     (unsigned long long)COMPUTE_ROUNDS,
		     (unsigned long long)(t1 - t0));
	return 0;
}
