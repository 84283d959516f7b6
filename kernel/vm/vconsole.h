/* SPDX-License-Identifier: MIT */
/* A guest's console output: whole lines, prefixed with the guest's name. */
#ifndef VM_VCONSOLE_H
#define VM_VCONSOLE_H

struct guest;

/* Queue one byte of guest output; a newline (or a full line) prints it as
 * "[name] text".  Carriage returns are dropped, control bytes shown as
 * '?', so a guest cannot forge hypervisor lines or move the cursor. */
void vconsole_putc(struct guest *g, char c);

/* Print whatever partial line is queued. */
void vconsole_flush(struct guest *g);

#endif
