// SPDX-License-Identifier: MIT
/* The compute workload: xorshift and multiply-rotate, register-bound. */
#include "work.h"

uint64_t compute_run(uint64_t rounds)
{
	uint64_t x = 0x9e3779b97f4a7c15ull, sum = 0;

	for (uint64_t i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sum += x * (i | 1);
		sum = (sum << 5) | (sum >> 59);
	}
	return sum ^ x;
}
