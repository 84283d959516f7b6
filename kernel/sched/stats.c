// SPDX-License-Identifier: MIT
/* Interval utilisation figures and their two renderings (stats.h). */
#include "stats.h"

#include "../lib/fmt.h"

uint64_t stats_permille(uint64_t part, uint64_t whole)
{
	if (!whole)
		return 0;
	/* part * 1000 may overflow for long intervals: scale both first. */
	while (part > UINT64_MAX / 1000) {
		part >>= 1;
		whole >>= 1;
	}
	return (part * 1000 + whole / 2) / whole;
}

struct figures {
	uint64_t avail, used, util, steal, rate;
	struct stats_sample d;
};

static struct figures figures(uint32_t nvcpus, const struct stats_sample *p,
			      const struct stats_sample *c, uint64_t interval,
			      uint64_t tsc_hz)
{
	struct figures f;

	f.d = (struct stats_sample){
	    c->guest - p->guest, c->hv - p->hv,		  c->steal - p->steal,
	    c->wait - p->wait,	 c->blocked - p->blocked, c->exits - p->exits};
	f.avail = interval * nvcpus;
	f.used = f.d.guest + f.d.hv;
	f.util = stats_permille(f.used, f.avail);
	f.steal = stats_permille(f.d.steal, f.avail);
	f.rate = 0;
	uint64_t n = f.d.exits, span = interval;
	while (tsc_hz && n > UINT64_MAX / tsc_hz) { /* no 128-bit division */
		n >>= 1;
		span >>= 1;
	}
	if (span)
		f.rate = n * tsc_hz / span;
	return f;
}

int stats_line(char *buf, size_t len, uint64_t t_ms, const char *guest,
	       const char *cpus, const char *policy, uint32_t nvcpus,
	       const struct stats_sample *prev, const struct stats_sample *cur,
	       uint64_t interval, uint64_t tsc_hz, const char *top)
{
	struct figures f = figures(nvcpus, prev, cur, interval, tsc_hz);
	char word[32]; /* the reason as one word: "EPT violation" ->
			  EPT_violation */
	size_t i = 0;

	for (; top[i] && i + 1 < sizeof(word); i++)
		word[i] = top[i] == ' ' ? '_' : top[i];
	word[i] = 0;
	top = word;
	return fmt_snprintf(
	    buf, len,
	    "@stats t=%llu guest=%s cpus=%s policy=%s util=%llu.%llu "
	    "steal=%llu.%llu exits=%llu top=%s guest_cyc=%llu hv_cyc=%llu "
	    "steal_cyc=%llu wait_cyc=%llu blocked_cyc=%llu avail_cyc=%llu",
	    (unsigned long long)t_ms, guest, cpus, policy,
	    (unsigned long long)(f.util / 10),
	    (unsigned long long)(f.util % 10),
	    (unsigned long long)(f.steal / 10),
	    (unsigned long long)(f.steal % 10), (unsigned long long)f.rate, top,
	    (unsigned long long)f.d.guest, (unsigned long long)f.d.hv,
	    (unsigned long long)f.d.steal, (unsigned long long)f.d.wait,
	    (unsigned long long)f.d.blocked, (unsigned long long)f.avail);
}

const char *stats_header(void)
{
	return "guest            cpus     policy   util   steal  exits/s  top "
	       "exit";
}

int stats_row(char *buf, size_t len, const char *guest, const char *cpus,
	      const char *policy, uint32_t nvcpus,
	      const struct stats_sample *prev, const struct stats_sample *cur,
	      uint64_t interval, uint64_t tsc_hz, const char *top)
{
	struct figures f = figures(nvcpus, prev, cur, interval, tsc_hz);

	return fmt_snprintf(buf, len,
			    "%-16s %-8s %-8s %3llu.%llu%% %3llu.%llu%% "
			    "%8llu  %s",
			    guest, cpus, policy,
			    (unsigned long long)(f.util / 10),
			    (unsigned long long)(f.util % 10),
			    (unsigned long long)(f.steal / 10),
			    (unsigned long long)(f.steal % 10),
			    (unsigned long long)f.rate, top);
}
