// SPDX-License-Identifier: MIT
/* Guest console lines on the hypervisor console, host console input to
 * the guest with the focus (see vconsole.h). */
#include "vconsole.h"

#include "../arch.h"
#include "../console.h"
#include "../log.h"
#include "focus.h"
#include "guest.h"
#include "irq.h"
#include "termfilter.h"
#include "../lib/fmt.h"

#define COM1_IRQ 4

static struct focus focus;

/* What the line buffer holds, behind "[name] " unless it continues the
 * line the console shows of this guest; end: the line is finished. */
static void show(struct guest *g, int end)
{
	char prefix[CFG_NAME_MAX + 4];

	fmt_snprintf(prefix, sizeof(prefix), "[%s] ", g->name);
	kguest_text(g, prefix, g->line, g->line_len, end);
	g->line_len = 0;
	g->line_open = !end;
}

void vconsole_flush(struct guest *g)
{
	if (g->line_len || g->line_open)
		show(g, 1);
}

void vconsole_pause(struct guest *g)
{
	if (g->line_len)
		show(g, 0);
}

void vconsole_putc(struct guest *g, char byte)
{
	int c = termfilter(&g->term, (uint8_t)byte);

	if (c < 0)
		return;
	if (c == '\n') {
		if (g->line_len || g->line_open)
			vconsole_flush(g);
		else
			kprintf_nowait("[%s]\n", g->name);
		return;
	}
	g->line[g->line_len++] = (char)c;
	if (g->line_len == sizeof(g->line))
		show(g, 0);
}

void vconsole_feed(struct guest *g)
{
	while (g->in_count && vuart_rx_room(&g->uart) > 0) {
		vuart_receive(&g->uart, g->in[g->in_head]);
		g->in_head = (g->in_head + 1) % sizeof(g->in);
		g->in_count--;
	}
	int level = vuart_irq(&g->uart);
	if (level != g->uart_line) { /* most accesses change nothing */
		g->uart_line = level;
		irq_line(g, COM1_IRQ, level);
	}
}

/* A full queue drops the byte: the guest is not reading its UART. */
static void deliver(struct guest *g, uint8_t byte, uint32_t cpu)
{
	if (__atomic_load_n(&g->stopped, __ATOMIC_ACQUIRE))
		return;
	guest_lock(g, cpu);
	if (g->in_count < sizeof(g->in)) {
		g->in[(g->in_head + g->in_count) % sizeof(g->in)] = byte;
		g->in_count++;
	}
	vconsole_feed(g);
	guest_unlock(g);
}

static void list(void)
{
	for (uint32_t i = 0; i < nguests; i++)
		kprintf("hv: console: %c %u %s%s\n",
			i == focus.current ? '*' : ' ', i, guests[i].name,
			guests[i].stopped ? " (stopped)" : "");
}

void vconsole_input(uint32_t cpu)
{
	int c;

	kdrain(); /* the same interrupt says the console can take more */
	while ((c = console_getc()) >= 0) {
		struct focus_action a = focus_input(&focus, (uint8_t)c);
		switch (a.kind) {
		case FOCUS_DELIVER:
			deliver(&guests[a.guest], a.byte, cpu);
			break;
		case FOCUS_SWITCH:
			kprintf("hv: console: input goes to guest %s\n",
				guests[a.guest].name);
			break;
		case FOCUS_LIST:
			list();
			break;
		case FOCUS_HELP:
			kprintf("hv: %s\n", focus_help());
			break;
		case FOCUS_NONE:
			break;
		}
	}
}

void vconsole_serve(void)
{
	static uint32_t never; /* the console's interrupt wakes the CPU */

	vconsole_input(0);
	arch_idle_until(UINT64_MAX, &never);
}

void vconsole_input_start(void)
{
	int irq = console_input_irq();

	focus_init(&focus, nguests);
	if (!nguests || irq < 0)
		return;
	if (arch_console_irq((unsigned)irq))
		kprintf("hv: console: no I/O APIC for the console's IRQ %d; "
			"input is read only between guest runs\n",
			irq);
	kprintf("hv: console: input goes to guest %s; %s\n", guests[0].name,
		focus_help());
}
