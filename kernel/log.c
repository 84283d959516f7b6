// SPDX-License-Identifier: MIT
/* Kernel console output, panic and the final stop line. */
#include "log.h"

#include <stdarg.h>

#include "bootinfo.h"
#include "lib/fmt.h"

/* "\n" becomes "\r\n" so raw terminals and logs show clean lines. */
static void write_crlf(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		console_write(s + start, i - start);
		console_write("\r\n", 2);
		start = i + 1;
	}
	console_write(s + start, n - start);
}

static void vprint(const char *fmt, va_list ap)
{
	char buf[512];
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	write_crlf(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void hv_stop(const char *status, const char *fmt, ...)
{
	va_list ap;

	kprintf("hv: stop: %s (", status);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	kprintf(")\n");
	console_flush();
	arch_power_off(boot_info, cmdline_get("poweroff"));
	kprintf("hv: power-off failed; halting\n");
	console_flush();
	arch_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	kprintf("\nhv: PANIC: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	kprintf("\nhv: stop: panic (hypervisor bug; CPU halted)\n");
	console_flush();
	arch_halt();
}
