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

/* The queue of kqueue and kprintf lines, already in \r\n form; q_sent
 * counts the bytes that ever left it, so a kprintf caller can wait for
 * its own line without holding the lock. */
#define QUEUE 8192
static char queue[QUEUE];
static size_t q_head, q_len;
static uint64_t q_dropped, q_sent;

static void drain_locked(int wait)
{
	while (q_len) {
		size_t run = q_head + q_len <= QUEUE ? q_len : QUEUE - q_head;
		size_t n = wait ? (console_write(queue + q_head, run), run)
				: console_write_some(queue + q_head, run);
		q_head = (q_head + n) % QUEUE;
		q_len -= n;
		q_sent += n;
		if (!n)
			break;
	}
	console_tx_irq(q_len != 0);
}

/* Never waits: a CPU that finds the console busy leaves the queue to
 * whoever holds it. */
void kdrain(void)
{
	if (!__atomic_load_n(&q_len, __ATOMIC_RELAXED) ||
	    spin_trylock(&console_lock, 1))
		return;
	drain_locked(0);
	spin_unlock(&console_lock);
}

static void enqueue(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		queue[(q_head + q_len++) % QUEUE] = s[i];
}

/* Whose partial line the console shows, not yet ended (kguest_text):
 * anything else printed ends it first, so every line stays one speaker's. */
static const void *open_owner;

/* Bytes that ending it takes; then end it (room checked by the caller). */
static size_t open_bytes(void)
{
	return open_owner ? 2 : 0;
}

static void end_open(void)
{
	if (open_owner)
		enqueue("\r\n", 2);
	open_owner = NULL;
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
	char line[1040], note[64];
	va_list ap;
	size_t k = 0;

	va_start(ap, fmt);
	size_t m = format_crlf(line, fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	if (q_dropped)
		k = (size_t)fmt_snprintf(note, sizeof(note),
					 "hv: %llu queued line(s) dropped\r\n",
					 (unsigned long long)q_dropped);
	if (q_len + open_bytes() + k + m <= QUEUE) { /* note with a line */
		end_open();
		enqueue(note, k);
		enqueue(line, m);
		q_dropped = 0;
	} else {
		q_dropped++;
	}
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

/* Take the lock with room for need bytes in the queue, sending what the
 * console takes meanwhile.  need counts the 2 that ending an open line
 * may take. */
static void lock_room(size_t need)
{
	for (;;) {
		spin_lock(&console_lock);
		if (q_len + need <= QUEUE)
			return;
		drain_locked(0);
		spin_unlock(&console_lock);
	}
}

/* A formatted line behind the queued ones, in order.  wait: the caller
 * waits until it is out when nothing was queued before it (it may be the
 * last word before a hang), re-taking the lock only to feed the UART so
 * that other CPUs queue theirs meanwhile.  Otherwise it does not wait:
 * the console's interrupt and the CPU loops (kdrain) send it.  A full
 * queue makes either wait for room. */
static void put_line(int wait, const char *fmt, va_list ap)
{
	char line[1040];
	size_t m = format_crlf(line, fmt, ap);
	uint64_t out;
	int behind;

	lock_room(2 + m);
	behind = q_len != 0;
	end_open();
	enqueue(line, m);
	out = q_sent + q_len;
	for (;;) {
		drain_locked(0);
		int done = !wait || behind || q_sent >= out;
		spin_unlock(&console_lock);
		/* Give other CPUs a chance at the lock (it is not fair). */
		for (int i = 0; i < 64 && !done; i++)
			done =
			    __atomic_load_n(&q_sent, __ATOMIC_RELAXED) >= out;
		if (done)
			return;
		spin_lock(&console_lock);
	}
}

/* Never waits but for room, as kprintf_nowait. */
void kguest_text(const void *owner, const char *prefix, const char *text,
		 size_t n, int end)
{
	size_t p = strlen(prefix);

	lock_room(2 + p + n + 2);
	int cont = open_owner == owner;
	if (cont || n) { /* else its open line was ended for it */
		if (!cont) {
			end_open();
			enqueue(prefix, p);
		}
		enqueue(text, n);
		if (end)
			enqueue("\r\n", 2);
		open_owner = end ? NULL : owner;
	}
	drain_locked(0);
	spin_unlock(&console_lock);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_line(1, fmt, ap);
	va_end(ap);
}

void kprintf_nowait(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_line(0, fmt, ap);
	va_end(ap);
}

void hv_stop(const char *status, const char *fmt, ...)
{
	va_list ap;

	spin_lock(&console_lock);
	drain_locked(1);
	if (open_owner)
		write_crlf("\n", 1);
	open_owner = NULL;
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
