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

/* Power the machine off, trying every method the platform offers; returns
 * only if none worked.  method limits it to one ("efi", "acpi", "bochs",
 * "qemu") or NULL for all in that order. */
void arch_power_off(const struct boot_info *bi, const char *method);

/* Stop this CPU for good. */
__attribute__((noreturn)) void arch_halt(void);

#endif
