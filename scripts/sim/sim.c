// SPDX-License-Identifier: MIT
/* sim: the hypervisor's scheduler (kernel/sched, the very same files) on
 * a described workload, in simulated TSC cycles; prints the @stats lines
 * the hypervisor prints, so runs and simulations compare line for line.
 *
 * usage: sim WORKLOAD        (format: scripts/README.md, "sim")
 *
 * Each vCPU is a guest of its own.  Simulated time has no hypervisor
 * cost: hv_cyc and wait_cyc are 0, and every cycle of a CPU goes to a
 * vCPU or to idle.
 */
#define _POSIX_C_SOURCE 200809L /* strtok_r */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/sched/sched.h"
#include "../../kernel/sched/stats.h"

#define MAX_VCPUS 64
#define MAX_CPUS  8

enum kind { CPU_BOUND, IO, PERIODIC };

struct svcpu {
	char name[32];
	uint32_t cpu;
	enum kind kind;
	uint64_t run, gap; /* io: run then sleep gap; periodic: run every gap */
	uint64_t left;	   /* work left before it blocks */
	uint64_t wake_at;  /* when blocked: when it wakes */
	struct sched_entity se;
	struct stats_sample now, prev;
};

static struct svcpu vs[MAX_VCPUS];
static uint32_t nv;
static struct sched_cpu cpus[MAX_CPUS];
static uint64_t hz = 1000000000, duration, interval;

static void die(int line, const char *why)
{
	fprintf(stderr, "sim: line %d: %s\n", line, why);
	exit(2);
}

/* "10ms", "500us", "2s" or plain cycles, to cycles. */
static uint64_t cycles(const char *v, int line)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);

	if (end == v)
		die(line, "expected a time (us, ms, s) or cycles");
	if (!strcmp(end, "us"))
		return n * hz / 1000000;
	if (!strcmp(end, "ms"))
		return n * hz / 1000;
	if (!strcmp(end, "s"))
		return n * hz;
	if (*end)
		die(line, "unknown time unit");
	return n;
}

static const char *value(const char *tok, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(tok, key, n) && tok[n] == '=' ? tok + n + 1 : NULL;
}

static void parse(FILE *f)
{
	char buf[512], err[160];
	int line = 0;

	while (fgets(buf, sizeof(buf), f)) {
		line++;
		char *hash = strchr(buf, '#'), *tok[16], *save = NULL;
		int n = 0;
		if (hash)
			*hash = 0;
		for (char *t = strtok_r(buf, " \t\r\n", &save); t && n < 16;
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[n++] = t;
		if (!n)
			continue;
		if (!strcmp(tok[0], "tsc_hz") && n == 2) {
			hz = strtoull(tok[1], NULL, 10);
		} else if (!strcmp(tok[0], "duration") && n == 2) {
			duration = cycles(tok[1], line);
		} else if (!strcmp(tok[0], "stats_interval") && n == 2) {
			interval = cycles(tok[1], line);
		} else if (!strcmp(tok[0], "cpu") && n >= 2) {
			uint32_t c = (uint32_t)atoi(tok[1]);
			const char *pol = "rr";
			uint64_t slice = cycles("10ms", line);
			if (c >= MAX_CPUS)
				die(line, "cpu number out of range");
			for (int i = 2; i < n; i++) {
				const char *v;
				if ((v = value(tok[i], "policy")))
					pol = v;
				else if ((v = value(tok[i], "slice")))
					slice = cycles(v, line);
				else
					die(line, "cpu takes policy= slice=");
			}
			if (!sched_policy_by_name(pol))
				die(line, "unknown policy");
			sched_cpu_init(&cpus[c], sched_policy_by_name(pol),
				       slice, hz);
		} else if (!strcmp(tok[0], "vcpu") && n >= 2) {
			struct svcpu *v = &vs[nv];
			if (nv == MAX_VCPUS)
				die(line, "too many vcpus");
			memset(v, 0, sizeof(*v));
			snprintf(v->name, sizeof(v->name), "%s", tok[1]);
			sched_entity_init(&v->se, nv);
			for (int i = 2; i < n; i++) {
				const char *x;
				if ((x = value(tok[i], "cpu")))
					v->cpu = (uint32_t)atoi(x);
				else if ((x = value(tok[i], "weight")))
					v->se.weight = (uint32_t)atoi(x);
				else if ((x = value(tok[i], "cap")))
					v->se.cap = (uint32_t)atoi(x);
				else if ((x = value(tok[i], "budget")))
					v->se.budget = cycles(x, line);
				else if ((x = value(tok[i], "period")))
					v->se.period = cycles(x, line);
				else if ((x = value(tok[i], "run")))
					v->run = cycles(x, line);
				else if ((x = value(tok[i], "sleep")))
					v->gap = cycles(x, line), v->kind = IO;
				else if ((x = value(tok[i], "every")))
					v->gap = cycles(x, line),
					v->kind = PERIODIC;
				else
					die(line,
					    "vcpu takes cpu= weight= cap= "
					    "budget= period= run= "
					    "sleep= every=");
			}
			if (v->cpu >= MAX_CPUS || !cpus[v->cpu].policy)
				die(line, "vcpu on a cpu not declared before");
			if (v->kind != CPU_BOUND && !v->run)
				die(line, "sleep= and every= need run=");
			if (sched_add(&cpus[v->cpu], &v->se, err, sizeof(err)))
				die(line, err);
			v->left = v->run;
			nv++;
		} else {
			die(line, "expected tsc_hz, duration, stats_interval, "
				  "cpu or vcpu");
		}
	}
	if (!duration || !interval)
		die(line, "duration and stats_interval are required");
}

static struct svcpu *of(struct sched_entity *e)
{
	return &vs[e->id];
}

/* Blocked vCPUs of cpu whose time came wake; returns the next wake. */
static uint64_t wake(uint32_t c, uint64_t now)
{
	uint64_t next = SCHED_NEVER;

	for (uint32_t i = 0; i < nv; i++) {
		struct svcpu *v = &vs[i];
		if (v->cpu != c || v->se.runnable || v->kind == CPU_BOUND)
			continue;
		if (v->wake_at <= now) {
			v->left = v->run;
			sched_wake(&cpus[c], &v->se, now);
		} else if (v->wake_at < next) {
			next = v->wake_at;
		}
	}
	return next;
}

/* Run cpu c from *t to end. */
static void advance(uint32_t c, uint64_t *t, uint64_t end)
{
	uint64_t now = *t;

	while (now < end) {
		uint64_t until, next = wake(c, now);
		struct sched_entity *e = sched_pick(&cpus[c], now, &until);
		uint64_t stop = end < until ? end : until;
		if (next < stop)
			stop = next;
		if (e && of(e)->kind != CPU_BOUND && now + of(e)->left < stop)
			stop = now + of(e)->left;
		if (stop <= now)
			stop = now + 1; /* a policy asking for 0 cycles */
		for (uint32_t i = 0; i < nv; i++) {
			struct svcpu *v = &vs[i];
			if (v->cpu != c)
				continue;
			if (&v->se == e)
				v->now.guest += stop - now;
			else if (v->se.runnable)
				v->now.steal += stop - now;
			else
				v->now.blocked += stop - now;
		}
		if (e) {
			struct svcpu *v = of(e);
			sched_charge(&cpus[c], e, now, stop);
			if (v->kind != CPU_BOUND) {
				v->left -= stop - now;
				if (!v->left) {
					v->wake_at =
					    v->kind == IO
						? stop + v->gap
						: (stop / v->gap + 1) * v->gap;
					sched_block(&cpus[c], e, stop);
				}
			}
		}
		now = stop;
	}
	*t = now;
}

int main(int argc, char **argv)
{
	FILE *f = argc == 2 ? fopen(argv[1], "r") : NULL;
	uint64_t t[MAX_CPUS] = {0};
	char line[400], cpu[8];

	if (!f) {
		fprintf(stderr, "usage: sim WORKLOAD (scripts/README.md)\n");
		return 2;
	}
	parse(f);
	fclose(f);
	for (uint32_t i = 0; i < nv; i++) /* everyone starts with work */
		sched_wake(&cpus[vs[i].cpu], &vs[i].se, 0);
	for (uint64_t b = interval; b <= duration; b += interval) {
		for (uint32_t c = 0; c < MAX_CPUS; c++)
			if (cpus[c].policy)
				advance(c, &t[c], b);
		for (uint32_t i = 0; i < nv; i++) {
			struct svcpu *v = &vs[i];
			snprintf(cpu, sizeof(cpu), "%u", v->cpu);
			stats_line(line, sizeof(line), b * 1000 / hz, v->name,
				   cpu, cpus[v->cpu].policy->name, 1, &v->prev,
				   &v->now, interval, hz, "-");
			puts(line);
			v->prev = v->now;
		}
	}
	return 0;
}
