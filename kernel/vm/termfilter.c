// SPDX-License-Identifier: MIT
/* Guest console bytes to printable text (see termfilter.h). */
#include "termfilter.h"

enum { TEXT, ESC, CSI };

#define CSI_MAX 32 /* a sequence longer than this is not one: text again */

int termfilter(uint8_t *state, uint8_t c)
{
	uint8_t s = *state & 3, n = *state >> 2;

	if (s == ESC) {
		*state = c == '[' ? CSI : TEXT;
		return -1;
	}
	if (s == CSI) {
		/* Parameters and intermediates (0x20-0x3F) until a final byte
		 * (0x40-0x7E); anything else ends it too. */
		if (c >= 0x20 && c <= 0x3f && n < CSI_MAX)
			*state = (uint8_t)(CSI | (n + 1) << 2);
		else
			*state = TEXT;
		return -1;
	}
	if (c == 0x1b) {
		*state = ESC;
		return -1;
	}
	if (c == '\r')
		return -1;
	if (c == '\n')
		return '\n';
	if (c == '\t')
		return ' ';
	return c < 0x20 || c >= 0x7f ? '?' : c;
}
