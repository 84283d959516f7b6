/* SPDX-License-Identifier: MIT */
/* The hypervisor's own local APIC: IPIs for CPU bring-up and kicks. */
#ifndef X86_LAPIC_H
#define X86_LAPIC_H

#include <stdint.h>

/* Host interrupt vectors; kicks between CPUs are NMIs (smp.c). */
#define WAKE_VECTOR    0xf0 /* the idle CPU's deadline (tsc.c) */
#define CONSOLE_VECTOR 0xf1 /* host console input (ioapic.c) */

/* Use x2APIC MSRs where the firmware enabled x2APIC, else the MMIO page;
 * the timer, where the CPU has TSC-deadline mode, in that mode with
 * WAKE_VECTOR and unarmed.  On each CPU, once paging maps the page. */
void lapic_init(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* INIT, start-up (vector = page number of the start code) and fixed
 * IPIs to the CPU with APIC ID apic_id. */
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t vector);
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);

/* Whether the timer has TSC-deadline mode; then WAKE_VECTOR comes when
 * the TSC reaches tsc (0: never). */
int lapic_has_deadline(void);
void lapic_set_deadline(uint64_t tsc);

#endif
