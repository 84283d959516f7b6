// SPDX-License-Identifier: MIT
/* Guest runtime: polled UART output and the debug-exit port. */
#include <stdarg.h>

#include "../../kernel/lib/fmt.h"
#include "guest.h"
#include "io.h"

#define COM1		0x3f8
#define LSR_THRE	0x20
#define DEBUG_EXIT_PORT 0xf4

static void putc_raw(char c)
{
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

void guest_puts(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_raw('\r');
		putc_raw(*s);
	}
}

void guest_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	guest_puts(buf);
}

void guest_exit(uint8_t status)
{
	outb(DEBUG_EXIT_PORT, status);
	for (;;)
		__asm__ volatile("cli; hlt");
}
