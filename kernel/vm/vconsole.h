/* SPDX-License-Identifier: MIT */
/* A guest's console output: whole lines, prefixed with the guest's name. */
#ifndef VM_VCONSOLE_H
#define VM_VCONSOLE_H

#include <stdint.h>

struct guest;

/* Queue one byte of guest output; a newline prints the line as
 * "[name] text".  Escape sequences and carriage returns are dropped,
 * other control bytes shown as '?' (termfilter.h), so a guest cannot
 * forge hypervisor lines or move the cursor. */
void vconsole_putc(struct guest *g, char c);

/* The guest halted with part of a line said (a shell's prompt waits for
 * input that way): show it, and let what follows continue it on the
 * console as long as nothing else is printed in between (the echo of
 * what is typed at the prompt).  Called with g's lock held. */
void vconsole_pause(struct guest *g);

/* End the guest's line, printing what is queued of it (at a crash or a
 * stop).  Called with g's lock held. */
void vconsole_flush(struct guest *g);

/* Host console input goes to the guest with the focus, into its UART
 * (a documented escape switches focus: focus.h).  vconsole_input_start
 * says how, once the guests exist; vconsole_input takes what arrived
 * (called on cpu, from the console interrupt and the CPU's loop). */
void vconsole_input_start(void);
void vconsole_input(uint32_t cpu);

/* The boot CPU once its own vCPUs are done, while other CPUs still run
 * guests: take console input (their shells still want it), then idle
 * until more comes or a while has passed. */
void vconsole_serve(void);

/* Move queued input into g's UART as its FIFO has room; raise its IRQ.
 * Called with g's lock held. */
void vconsole_feed(struct guest *g);

#endif
