// SPDX-License-Identifier: MIT
/* Guest console lines on the hypervisor console (see vconsole.h). */
#include "vconsole.h"

#include "../log.h"
#include "guest.h"

void vconsole_flush(struct guest *g)
{
	if (!g->line_len)
		return;
	kprintf("[%s] %.*s\n", g->name, (int)g->line_len, g->line);
	g->line_len = 0;
}

void vconsole_putc(struct guest *g, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		if (g->line_len)
			vconsole_flush(g);
		else
			kprintf("[%s]\n", g->name);
		return;
	}
	if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
		c = c == '\t' ? ' ' : '?';
	g->line[g->line_len++] = c;
	if (g->line_len == sizeof(g->line))
		vconsole_flush(g);
}
