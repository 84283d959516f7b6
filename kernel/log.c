// SPDX-License-Identifier: MIT
/* Kernel console output, panic and the final stop line. */
#include "log.h"

#include <stdarg.h>
#include <string.h>

#include "bootinfo.h"
#include "console.h"
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

/* The queue of kqueue lines, already in \r\n form. */
#define QUEUE 8192
static char queue[QUEUE];
static size_t q_head, q_len;
static uint64_t q_dropped;

static void drain_locked(int wait)
{
	while (q_len) {
		size_t run = q_head + q_len <= QUEUE ? q_len : QUEUE - q_head;
		size_t n = wait ? (console_write(queue + q_head, run), run)
				: console_write_some(queue + q_head, run);
		q_head = (q_head + n) % QUEUE;
		q_len -= n;
		if (!n)
			break;
	}
	console_tx_irq(q_len != 0);
}

void kdrain(void)
{
	if (!__atomic_load_n(&q_len, __ATOMIC_RELAXED))
		return;
	spin_lock(&console_lock);
	drain_locked(0);
	spin_unlock(&console_lock);
}

static void enqueue(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		queue[(q_head + q_len++) % QUEUE] = s[i];
}

/* fmt formatted, "\n" as "\r\n": its length in line (1040 bytes). */
static size_t format_crlf(char *line, const char *fmt, va_list ap)
{
	char buf[512];
	size_t m = 0;
	int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	for (int i = 0; i < n; i++) {
		if (buf[i] == '\n')
			line[m++] = '\r';
		line[m++] = buf[i];
	}
	return m;
}

void kqueue(const char *fmt, ...)
{
	char line[1040];
	va_list ap;

	va_start(ap, fmt);
	size_t m = format_crlf(line, fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	if (q_dropped && q_len + 64 <= QUEUE) {
		char note[64];
		int k = fmt_snprintf(note, sizeof(note),
				     "hv: %llu queued line(s) dropped\r\n",
				     (unsigned long long)q_dropped);
		enqueue(note, (size_t)k);
		q_dropped = 0;
	}
	if (q_len + m <= QUEUE)
		enqueue(line, m);
	else
		q_dropped++;
	drain_locked(0);
	spin_unlock(&console_lock);
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

	char line[1040];

	va_start(ap, fmt);
	size_t m = format_crlf(line, fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	/* After queued lines, in order: behind them while they wait (the
	 * caller does not wait for them), else straight out. */
	if (q_len && q_len + m <= QUEUE) {
		enqueue(line, m);
		drain_locked(0);
	} else {
		drain_locked(1);
		console_write(line, m);
	}
	spin_unlock(&console_lock);
}

void hv_stop(const char *status, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&console_lock);
	drain_locked(1);
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
