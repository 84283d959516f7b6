/* SPDX-License-Identifier: MIT */
/* A guest's PC board: its interrupt controller, timers and their clock. */
#ifndef VM_PLATFORM_H
#define VM_PLATFORM_H

#include <stdint.h>

struct guest;
struct vcpu;

/* Claim the board's ports (PIC, ELCR, PIT, port 0x61) for g; its clock
 * starts at host TSC `now`. */
int platform_attach(struct guest *g, uint64_t now);

/* Power the board on again (a guest restart); its clock starts at now. */
void platform_reset(struct guest *g, uint64_t now);

/* Bring the board's timers up to host TSC now: edges they produced since
 * the last call become interrupt requests. */
void platform_run_timers(struct guest *g, uint64_t now);

/* Host TSC when the next timer event is due, or UINT64_MAX. */
uint64_t platform_next_timer(const struct guest *g);

/* The PIC's interrupt acknowledge cycle: the vector to inject into v. */
int platform_ack(struct vcpu *v);

#endif
