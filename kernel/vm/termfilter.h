/* SPDX-License-Identifier: MIT */
/* A guest's console bytes as the text of its console lines. */
#ifndef VM_TERMFILTER_H
#define VM_TERMFILTER_H

#include <stdint.h>

/*
 * Pure logic, byte by byte, one state per guest (start it at 0).  The
 * hypervisor prints guest output as "[name] text" lines among its own,
 * so nothing a guest writes may move the cursor, change colours or end
 * a line early: escape sequences are dropped whole (ESC [ ... final byte,
 * as shells and ls --color send; ESC and one more byte otherwise), CR is
 * dropped, tab becomes a space and any other control or non-ASCII byte
 * '?'.  Returns the byte to keep ('\n' ends the line) or -1 to drop c.
 */
int termfilter(uint8_t *state, uint8_t c);

#endif
