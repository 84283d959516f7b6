/* SPDX-License-Identifier: MIT */
/* The CPUs the hypervisor runs guests on: start, release, wait. */
#ifndef SMP_H
#define SMP_H

#include <stdint.h>

struct boot_info;

/* Start every CPU the loader reported, one at a time; each enters VMX
 * operation and waits.  A CPU that fails is reported and left out, and
 * the guests with a vCPU on it are stopped: the others carry on. */
void smp_start(const struct boot_info *bi);

/* Let the started CPUs run their vCPUs. */
void smp_release(void);

/* Wait until every started CPU has no vCPU left to run, calling idle()
 * between looks (the boot CPU keeps serving the console meanwhile). */
void smp_wait(void (*idle)(void));

/* Is CPU index running vCPUs (the boot CPU always is)? */
int smp_cpu_online(uint32_t index);

#endif
