/* SPDX-License-Identifier: MIT */
/* What the generic kernel needs from the architecture, and nothing more. */
#ifndef ARCH_H
#define ARCH_H

#include <stddef.h>
#include <stdint.h>

struct boot_info;

/* Descriptor tables and exception handlers for the boot CPU; after this a
 * fault prints its vector, error code, RIP, CR2 and registers. */
void arch_cpu_init(void);

/* Replace the loader's page tables with the kernel's own: physical memory
 * identity-mapped, kernel sections with their own permissions.  Page-table
 * frames come from the frame allocator. */
void arch_paging_init(const struct boot_info *bi);

/* One line on the boot CPU: vendor, brand string, family/model/stepping. */
void arch_cpu_describe(char *buf, size_t size);

/* Can this CPU run guests?  0 if VT-x with EPT and unrestricted guest is
 * usable (enabling it in IA32_FEATURE_CONTROL where firmware left that
 * unlocked); otherwise -1 and one line naming what is missing and how to
 * get it.  what gets a short summary of the features found either way. */
int arch_virt_probe(char *what, size_t what_size, char *why, size_t why_size);

/* Enter VMX operation on this CPU; -1 with why on failure. */
int arch_virt_cpu_on(char *why, size_t size);

/* Measure the TSC frequency once (PIT channel 2); arch_tsc_khz() gives it,
 * or 0 if there was nothing to measure against. */
void arch_tsc_calibrate(void);
uint64_t arch_tsc_khz(void);

/* Whether the TSC keeps its rate in every power state (invariant TSC);
 * guests read the same TSC, offset, and see the same CPUID bit. */
int arch_tsc_invariant(void);

/* The time-stamp counter now. */
uint64_t arch_now(void);

/* How idle CPUs wait, said in a few words: in HLT where the platform can
 * wake them at a deadline, else (or with poll) polling.  Once, on the
 * boot CPU, before the other CPUs start. */
const char *arch_idle_init(int poll);

/* Nothing to run on this CPU: wait until TSC deadline, until *wake is
 * set (another CPU gave this one work: it sets *wake, then kicks this
 * CPU with arch_cpu_kick), or a little while.  Returns the TSC when it
 * stopped waiting. */
uint64_t arch_idle_until(uint64_t deadline, const uint32_t *wake);

struct guest;
struct vcpu;

/* A guest's second-level address space (EPT) and MSR policy; then its
 * RAM, mapped write-back and fully accessible.  -1 when out of memory or
 * on a bad range. */
int arch_guest_init(struct guest *g);
int arch_guest_map_ram(struct guest *g, uint64_t gpa, uint64_t hpa,
		       uint64_t size);

/* Allocate the vCPU's control structure; it is filled from v->boot on
 * the vCPU's own CPU when it first runs.  -1 when out of memory. */
int arch_vcpu_init(struct vcpu *v);

/* Forget v's state: its next run starts it afresh from v->boot. */
void arch_vcpu_reset(struct vcpu *v);

/* Run v on this CPU from TSC start (read just before) until it has to
 * leave: it blocked, yielded, its guest stopped, or slice TSC cycles
 * passed (0: no limit).  Returns the TSC at the end: what it adds to v's
 * guest and hypervisor cycles is exactly end - start. */
uint64_t arch_vcpu_run(struct vcpu *v, uint64_t start, uint64_t slice);

/* Deliver the console's ISA interrupt to this CPU: a guest running here
 * then exits and vconsole_input runs.  -1 if the platform cannot. */
int arch_console_irq(unsigned isa_irq);

/* Exit reason reason's name and how often v took it; NULL past the last
 * reason. */
const char *arch_exit_name(unsigned reason, uint32_t *count,
			   const struct vcpu *v);

/* Of v's hypervisor cycles, those its CPU's scheduling took: switching
 * it in, and ending each run (from the exit that ends it to leaving). */
uint64_t arch_sched_cycles(const struct vcpu *v);

/* Prepare to start other CPUs (trampoline below 1 MiB); each then runs
 * entry(index) on its own stack and tables.  -1 if no low page is free. */
int arch_smp_init(const struct boot_info *bi, void (*entry)(uint32_t index));

/* Start CPU index (APIC ID apic_id) and wait up to timeout_us for it to
 * reach entry; -1 if it did not. */
int arch_cpu_start(uint32_t index, uint32_t apic_id, uint64_t timeout_us);

/* Force the CPU with this APIC ID out of guest mode soon. */
void arch_cpu_kick(uint32_t apic_id);

/* Power the machine off, trying every method the platform offers; returns
 * only if none worked.  method limits it to one ("efi", "acpi", "bochs",
 * "qemu") or NULL for all in that order. */
void arch_power_off(const struct boot_info *bi, const char *method);

/* Stop this CPU for good. */
__attribute__((noreturn)) void arch_halt(void);

#endif
