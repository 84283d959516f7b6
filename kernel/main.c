// SPDX-License-Identifier: MIT
/* The boot story of the hypervisor, from the loader's jump to the end. */
#include "arch.h"
#include "bootinfo.h"
#include "config.h"
#include "console.h"
#include "lib/fmt.h"
#include "log.h"
#include "mm/frame.h"
#include "mm/memmap.h"
#include "smp.h"
#include "wallclock.h"
#include "vm/guest.h"
#include "vm/vconsole.h"

#include <string.h>

#define LOW_MEMORY	    (1ull << 20) /* left alone: real-mode trampolines */
#define SELFTEST_FAULT_ADDR 0x00007ead00000000ull /* never mapped */

static struct cfg cfg;

static void print_cpus(const struct boot_info *bi)
{
	char line[200];

	arch_cpu_describe(line, sizeof(line));
	kprintf("hv: cpu: %s\n", line);
	kprintf("hv: cpus: %u found, APIC IDs", bi->ncpus);
	for (uint32_t i = 0; i < bi->ncpus; i++)
		kprintf(" %u%s", bi->cpus[i].apic_id,
			bi->cpus[i].flags & BI_CPU_BSP ? " (boot)" : "");
	kprintf("\n");
}

static void print_memory(const struct boot_info *bi)
{
	uint64_t usable = memmap_total(&bi->mem, BI_MEM_USABLE);
	uint64_t handover = memmap_total(&bi->mem, BI_MEM_HANDOVER);

	kprintf("hv: memory: %llu MiB usable, %llu MiB free for the "
		"hypervisor and guests, %llu KiB from the loader, %u ranges\n",
		(unsigned long long)(usable >> 20),
		(unsigned long long)(frames.free_bytes >> 20),
		(unsigned long long)(handover >> 10), bi->mem.count);
	if (bi->acpi_rsdp)
		kprintf("hv: acpi: RSDP at 0x%llx\n",
			(unsigned long long)bi->acpi_rsdp);
	else
		kprintf("hv: acpi: none (the firmware provides no tables)\n");
}

/* The loader validated the config; the kernel parses its own copy. */
static void load_config(const struct boot_info *bi)
{
	char err[CFG_ERR_MAX];
	const struct bi_file *f = &bi->files[0];

	if (cfg_parse((const char *)f->addr, f->size, &cfg, err, sizeof(err)))
		hv_stop("error", "hv.cfg:%s", err);
	for (uint32_t i = 0; i < cfg.nguests; i++) {
		const struct cfg_guest *g = &cfg.guests[i];
		kprintf("hv: guest %s: image %s (%llu bytes), %llu MiB, "
			"%u vCPU%s\n",
			g->name, g->image,
			(unsigned long long)bi->files[i + 1].size,
			(unsigned long long)(g->memory >> 20), g->nvcpus,
			g->nvcpus == 1 ? "" : "s");
	}
}

static void check_virt(void)
{
	char what[160], why[320];

	if (arch_virt_probe(what, sizeof(what), why, sizeof(why))) {
		kprintf("hv: %s\n", why);
		hv_stop("novmx", "no usable VT-x");
	}
	kprintf("hv: vt-x: %s\n", what);
	if (arch_virt_cpu_on(why, sizeof(why)))
		hv_stop("novmx", "cpu 0: %s", why);
}

static void measure_time(void)
{
	arch_tsc_calibrate();
	wallclock_init();
	kprintf("hv: tsc: %llu kHz, %s; clock: %llu s since 1970\n",
		(unsigned long long)arch_tsc_khz(),
		arch_tsc_invariant() ? "invariant" : "not invariant",
		(unsigned long long)wallclock_at(arch_now()));
	const char *idle = cmdline_get("idle");
	kprintf("hv: idle: CPUs %s\n",
		arch_idle_init(idle && strcmp(idle, "poll") == 0));
}

/* Its exits by reason, most frequent first, at most five. */
static void report_exits(const struct guest *g, const struct vcpu *v)
{
	char line[200];
	uint32_t shown = 0, len = 0, taken[80] = {0};

	line[0] = 0;
	while (shown < 5 && len < sizeof(line)) {
		uint32_t best = 0, n, max = 0;
		for (unsigned r = 0; arch_exit_name(r, &n, v); r++)
			if (n > max && !taken[r]) {
				max = n;
				best = r;
			}
		if (!max)
			break;
		taken[best] = 1;
		len += (uint32_t)fmt_snprintf(line + len, sizeof(line) - len,
					      "%s%s %u", shown ? ", " : "",
					      arch_exit_name(best, &n, v), max);
		shown++;
	}
	if (shown)
		guest_log(g, "vCPU %u: exits by reason: %s", v->id, line);
}

/* When the guest's clock started (its TSC reads 0 there; the last
 * start, after restarts), counted from the loader's first instruction:
 * with the guest's own TSC readings this times its boot from the
 * hypervisor's start (make bench). */
static void report_start(const struct guest *g)
{
	if (!g->tsc_zero || g->tsc_zero < boot_info->loader_tsc)
		return;
	guest_log(g,
		  "started %llu cycles after the loader (its TSC 0 is "
		  "host TSC %llu)",
		  (unsigned long long)(g->tsc_zero - boot_info->loader_tsc),
		  (unsigned long long)g->tsc_zero);
}

/* One line per vCPU that ran: where its cycles went. */
static void report_guests(void)
{
	for (uint32_t g = 0; g < nguests; g++) {
		report_start(&guests[g]);
		for (uint32_t i = 0; i < guests[g].nvcpus; i++) {
			const struct vcpu *v = &guests[g].vcpus[i];
			if (!v->start_tsc)
				continue;
			guest_log(&guests[g],
				  "vCPU %u: %llu cycles in guest, %llu in "
				  "hypervisor, %llu exits; %llu steal, %llu "
				  "waiting for its CPU's loop, %llu blocked",
				  i, (unsigned long long)v->cycles_guest,
				  (unsigned long long)v->cycles_hv,
				  (unsigned long long)v->exits,
				  (unsigned long long)v->steal_cycles,
				  (unsigned long long)v->wait_cycles,
				  (unsigned long long)v->blocked_cycles);
			report_exits(&guests[g], v);
		}
	}
}

/* One line per CPU that ran vCPUs: where its cycles went, and whether
 * the vCPUs' own counts (kept by the exit path) match what the CPU's
 * loop measured around their runs. */
static void report_cpus(void)
{
	for (uint32_t cpu = 0; cpu < boot_info->ncpus; cpu++) {
		const struct vcpu_cpu_acct *a = vcpu_cpu_acct(cpu);
		uint64_t own = 0, exits = 0, sched = 0;
		uint32_t pinned = 0;
		for (uint32_t g = 0; g < nguests; g++)
			for (uint32_t i = 0; i < guests[g].nvcpus; i++)
				if (guests[g].vcpus[i].pcpu == cpu) {
					own += guests[g].vcpus[i].cycles_guest +
					       guests[g].vcpus[i].cycles_hv;
					exits += guests[g].vcpus[i].cycles_hv;
					sched += arch_sched_cycles(
					    &guests[g].vcpus[i]);
					pinned++;
				}
		if (!pinned || !a->end)
			continue;
		uint64_t elapsed = a->end - a->start,
			 parts = a->run + a->idle + a->hv;
		/* The hypervisor's share, all of it and what scheduling took:
		 * the loop, switching vCPUs in, ending their runs. */
		uint64_t div = elapsed ? elapsed : 1;
		uint64_t all = (a->hv + exits) * 100000 / div,
			 sch = (a->hv + sched) * 100000 / div;
		kprintf("hv: cpu %u: %llu cycles = %llu running vCPUs + %llu "
			"idle + %llu hypervisor%s; the vCPUs' own counts %s "
			"(%llu); hypervisor %llu.%03llu%%, of which scheduling "
			"%llu.%03llu%%\n",
			cpu, (unsigned long long)elapsed,
			(unsigned long long)a->run, (unsigned long long)a->idle,
			(unsigned long long)a->hv,
			parts == elapsed ? "" : " (parts do not add up!)",
			own == a->run ? "match" : "differ",
			(unsigned long long)own, (unsigned long long)all / 1000,
			(unsigned long long)all % 1000,
			(unsigned long long)sch / 1000,
			(unsigned long long)sch % 1000);
	}
}

/* Test hook for tests/integration: prove that a fault in the hypervisor
 * is reported (vector, error code, RIP, CR2, registers) and stops it. */
static void selftest(void)
{
	const char *what = cmdline_get("selftest");

	if (!what || strcmp(what, "fault") != 0)
		return;
	kprintf("hv: selftest: writing to unmapped address 0x%llx\n",
		(unsigned long long)SELFTEST_FAULT_ADDR);
	*(volatile uint64_t *)SELFTEST_FAULT_ADDR = 1;
}

void kernel_main(const struct boot_info *bi);

void kernel_main(const struct boot_info *bi)
{
	console_init(); /* first, so everything after can report */
	kprintf("\nhv: hypervisor " HV_VERSION " starting\n");
	bootinfo_init(bi); /* trust nothing else in bi before this */
	arch_cpu_init();   /* own GDT, TSS, IDT: faults now report */
	frame_pool_init(&frames);
	if (frame_pool_add_memmap(&frames, &bi->mem, LOW_MEMORY))
		panic("memory map has more free ranges than the allocator");
	arch_paging_init(bi); /* own page tables, from the frame pool */
	print_cpus(bi);
	print_memory(bi);
	load_config(bi);
	selftest();
	check_virt();	/* VMXON on this CPU, or a clear stop */
	measure_time(); /* TSC rate for CPUID, date for the guests RTCs,
			 * how idle CPUs wait */
	guests_create(&cfg, bi); /* partitions, images, devices */
	vcpu_sched_init(&cfg);	 /* run queues, policies, admission */
	vcpu_stats_init(cfg.stats_interval_us); /* interval reports */
	vconsole_input_start();	  /* console input to the focused guest */
	smp_start(bi);		  /* the other CPUs, each in VMX operation */
	smp_release();		  /* every CPU runs its own vCPUs ... */
	vcpu_run_cpu(0);	  /* ... this one too, until none is left */
	smp_wait(vconsole_serve); /* the console's input is CPU 0's */
	report_guests();
	report_cpus();
	hv_stop("ok", "%u guest(s) ran and stopped", cfg.nguests);
}
