/* SPDX-License-Identifier: MIT */
/* The compute workload, shared by the guest, the native EFI app and the
 * host unit test, so all three run the very same code. */
#ifndef COMPUTE_WORK_H
#define COMPUTE_WORK_H

#include <stdint.h>

#define COMPUTE_ROUNDS 2000000ull

/* Pure integer work: no memory traffic, no exits, a checksum of it all. */
uint64_t compute_run(uint64_t rounds);

#endif
