/* SPDX-License-Identifier: MIT */
/* Utilisation figures over an interval, as the hypervisor and the
 * simulator print them: the @stats line and the console table row. */
#ifndef SCHED_STATS_H
#define SCHED_STATS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic.  A sample holds a guest's cumulative TSC cycles (all its
 * vCPUs together) at one moment; two samples and the cycles between
 * them give the interval's figures.  Percentages are of what the guest's
 * vCPUs could have used: interval x nvcpus.
 *
 * @stats line (one per guest per interval, space-separated key=value):
 *   t        end of the interval, ms since the CPUs started
 *   guest    name        cpus  its vCPUs' CPUs, e.g. 1+2
 *   policy   of its first vCPU's CPU
 *   util     (guest + hv cycles) / available, %, one decimal
 *   steal    steal cycles / available, %, one decimal
 *   exits    exits per second
 *   top      most frequent exit reason in the interval (- if none)
 *   guest_cyc hv_cyc steal_cyc wait_cyc blocked_cyc  the interval's cycles
 *   avail_cyc  interval x nvcpus
 */
struct stats_sample {
	uint64_t guest, hv, steal, wait, blocked, exits;
};

/* Per mille of part in whole, rounded; 0 if whole is 0. */
uint64_t stats_permille(uint64_t part, uint64_t whole);

/* The @stats line for [prev, cur], interval cycles long (tsc_hz for the
 * rate).  Returns the length written (as snprintf). */
int stats_line(char *buf, size_t len, uint64_t t_ms, const char *guest,
	       const char *cpus, const char *policy, uint32_t nvcpus,
	       const struct stats_sample *prev, const struct stats_sample *cur,
	       uint64_t interval, uint64_t tsc_hz, const char *top);

/* The console row for the same figures: fixed-width columns under
 * stats_header(). */
const char *stats_header(void);
int stats_row(char *buf, size_t len, const char *guest, const char *cpus,
	      const char *policy, uint32_t nvcpus,
	      const struct stats_sample *prev, const struct stats_sample *cur,
	      uint64_t interval, uint64_t tsc_hz, const char *top);

#endif
