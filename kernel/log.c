// SPDX-License-Identifier: MIT
/* Kernel console output, panic and the final stop line. */
#include "log.h"

#include <stdarg.h>
#include <string.h>

#include "bootinfo.h"
#include "lib/fmt.h"
#include "lib/spinlock.h"

/* One line at a time from every CPU; a panicking CPU waits only so long
 * for a CPU that may itself be stuck holding it. */
static struct spinlock console_lock;
#define PANIC_SPINS 100000000ul

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

/* "<prefix><status> (<why>)" as one line. */
static void print_line(const char *prefix, const char *status, const char *fmt,
		       va_list ap)
{
	char buf[512];
	int n = fmt_snprintf(buf, sizeof(buf), "%s%s (", prefix, status);

	if (n > 0 && n < (int)sizeof(buf))
		fmt_vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	write_crlf(buf, strlen(buf));
	write_crlf(")\n", 2);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	spin_lock(&console_lock);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	spin_unlock(&console_lock);
}

void hv_stop(const char *status, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&console_lock);
	va_start(ap, fmt);
	print_line("hv: stop: ", status, fmt, ap);
	va_end(ap);
	console_flush();
	spin_unlock(&console_lock);
	arch_power_off(boot_info, cmdline_get("poweroff"));
	kprintf("hv: power-off failed; halting\n");
	console_flush();
	arch_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	spin_trylock(&console_lock, PANIC_SPINS);
	write_crlf("\nhv: PANIC: ", 12);
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	const char *tail = "\nhv: stop: panic (hypervisor bug; CPU halted)\n";
	write_crlf(tail, strlen(tail));
	console_flush();
	spin_unlock(&console_lock);
	arch_halt();
}
