/* SPDX-License-Identifier: MIT */
/* Console focus: which guest the host serial console's input goes to. */
#ifndef VM_FOCUS_H
#define VM_FOCUS_H

#include <stdint.h>

/*
 * Pure logic, byte by byte; the hypervisor acts on what it returns
 * (feeds the guest's UART, prints the focus, the list or the help).
 * The protocol, as in QEMU and screen, behind an escape byte, Ctrl-A:
 *
 *   Ctrl-A 0-9     focus that guest; a digit with no guest behind it
 *                  gives FOCUS_LIST, so the user sees the valid ones
 *   Ctrl-A n       focus the next guest, the last wrapping to 0; the
 *                  only way to guests 10 and up
 *   Ctrl-A l       FOCUS_LIST
 *   Ctrl-A Ctrl-A  a literal Ctrl-A to the focused guest
 *   Ctrl-A ? or h  FOCUS_HELP; so is Ctrl-A and any other byte, which
 *                  is dropped: a mistyped command reaches no guest
 *   anything else  to the focused guest
 *
 * Deliberate choices:
 * - Command keys are lower case only; upper case is "any other byte".
 * - Focusing the guest that has it is still FOCUS_SWITCH, so the user
 *   sees the confirmation asked for.
 * - A lone Ctrl-A gives FOCUS_NONE and waits for its command: there is
 *   no timeout, the next byte always completes it.
 * - With no guests every byte gives FOCUS_NONE: nothing to focus, list
 *   or deliver to.
 */
#define FOCUS_ESCAPE 0x01 /* Ctrl-A, as in QEMU and screen */

struct focus {
	uint32_t nguests, current;
	int escaped; /* the last byte was an unanswered Ctrl-A */
};

enum focus_kind {
	FOCUS_NONE,    /* nothing to do (a Ctrl-A waiting, or no guests) */
	FOCUS_DELIVER, /* give byte to guest */
	FOCUS_SWITCH,  /* guest has the focus now */
	FOCUS_LIST,    /* print the guests, marking guest as focused */
	FOCUS_HELP,    /* print focus_help() */
};

/* byte is always the input byte (for FOCUS_DELIVER, the one to give);
 * guest is the focused guest after it. */
struct focus_action {
	enum focus_kind kind;
	uint8_t byte;
	uint32_t guest;
};

/* nguests guests, guest 0 focused, no Ctrl-A pending. */
void focus_init(struct focus *f, uint32_t nguests);

/* What one input byte from the host console does. */
struct focus_action focus_input(struct focus *f, uint8_t byte);

/* One line for the hypervisor to print, without a newline. */
const char *focus_help(void);

#endif
