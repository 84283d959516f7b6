// SPDX-License-Identifier: MIT
/* Bringing up the other CPUs and collecting them at the end. */
#include "smp.h"

#include "arch.h"
#include "bootinfo.h"
#include "log.h"
#include "vm/guest.h"
#include "vm/vcpu.h"

#define START_TIMEOUT_US 200000 /* generous: Bochs is slow */

enum cpu_phase { CPU_OFF, CPU_READY, CPU_FAILED, CPU_DONE };

static int phase[BI_MAX_CPUS];
static int go;

static void set_phase(uint32_t cpu, enum cpu_phase p)
{
	__atomic_store_n(&phase[cpu], p, __ATOMIC_RELEASE);
}

static enum cpu_phase get_phase(uint32_t cpu)
{
	return (enum cpu_phase)__atomic_load_n(&phase[cpu], __ATOMIC_ACQUIRE);
}

/* Each started CPU: VMX on, then wait for the word, run, report. */
static void cpu_main(uint32_t cpu)
{
	char why[160];

	if (arch_virt_cpu_on(why, sizeof(why))) {
		kprintf("hv: cpu %u: %s; left out\n", cpu, why);
		set_phase(cpu, CPU_FAILED);
		return;
	}
	set_phase(cpu, CPU_READY);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	vcpu_run_cpu(cpu);
	set_phase(cpu, CPU_DONE);
}

static void stop_guests_on(uint32_t cpu)
{
	for (uint32_t g = 0; g < nguests; g++)
		for (uint32_t i = 0; i < guests[g].nvcpus; i++)
			if (guests[g].vcpus[i].pcpu == cpu)
				guest_stop(&guests[g],
					   "vCPU %u: its CPU %u did not start",
					   i, cpu);
}

void smp_start(const struct boot_info *bi)
{
	uint32_t up = 1;

	set_phase(0, CPU_READY);
	if (bi->ncpus > 1 && arch_smp_init(bi, cpu_main)) {
		kprintf("hv: smp: no free page below 1 MiB for the start "
			"code; running on the boot CPU only\n");
	}
	for (uint32_t i = 1; i < bi->ncpus; i++) {
		if (arch_cpu_start(i, bi->cpus[i].apic_id, START_TIMEOUT_US)) {
			kprintf("hv: cpu %u (APIC ID %u) did not start; left "
				"out\n",
				i, bi->cpus[i].apic_id);
			set_phase(i, CPU_FAILED);
		}
		while (get_phase(i) == CPU_OFF)
			; /* it runs cpu_main: wait for its verdict */
		if (get_phase(i) == CPU_READY)
			up++;
		else
			stop_guests_on(i);
	}
	kprintf("hv: smp: %u of %u CPU(s) in VMX operation\n", up, bi->ncpus);
}

void smp_release(void)
{
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
}

void smp_wait(void (*idle)(void))
{
	for (uint32_t i = 1; i < BI_MAX_CPUS; i++)
		while (get_phase(i) == CPU_READY)
			idle();
}

int smp_cpu_online(uint32_t index)
{
	return index < BI_MAX_CPUS && get_phase(index) != CPU_OFF &&
	       get_phase(index) != CPU_FAILED;
}
