// SPDX-License-Identifier: MIT
/* Console focus: the Ctrl-A protocol of the host console (see focus.h). */
#include "focus.h"

void focus_init(struct focus *f, uint32_t nguests)
{
	f->nguests = nguests;
	f->current = 0;
	f->escaped = 0;
}

static struct focus_action act(const struct focus *f, enum focus_kind kind,
			       uint8_t byte)
{
	return (struct focus_action){
	    .kind = kind, .byte = byte, .guest = f->current};
}

static struct focus_action focus_on(struct focus *f, uint32_t guest,
				    uint8_t byte)
{
	f->current = guest;
	return act(f, FOCUS_SWITCH, byte);
}

/* The byte after a Ctrl-A. */
static struct focus_action command(struct focus *f, uint8_t byte)
{
	if (byte >= '0' && byte <= '9') {
		uint32_t guest = (uint32_t)(byte - '0');

		if (guest >= f->nguests)
			return act(f, FOCUS_LIST, byte);
		return focus_on(f, guest, byte);
	}
	switch (byte) {
	case FOCUS_ESCAPE:
		return act(f, FOCUS_DELIVER, byte);
	case 'n':
		return focus_on(f, (f->current + 1) % f->nguests, byte);
	case 'l':
		return act(f, FOCUS_LIST, byte);
	default: /* '?', 'h' and every mistyped key */
		return act(f, FOCUS_HELP, byte);
	}
}

struct focus_action focus_input(struct focus *f, uint8_t byte)
{
	if (!f->nguests) {
		f->escaped = 0;
		return act(f, FOCUS_NONE, byte);
	}
	if (f->escaped) {
		f->escaped = 0;
		return command(f, byte);
	}
	if (byte == FOCUS_ESCAPE) {
		f->escaped = 1;
		return act(f, FOCUS_NONE, byte);
	}
	return act(f, FOCUS_DELIVER, byte);
}

const char *focus_help(void)
{
	/* Under 80 columns, so it stays one line on a terminal. */
	return "console: Ctrl-A then 0-9 focus guest, n next, l list, Ctrl-A "
	       "sends Ctrl-A";
}
