/* SPDX-License-Identifier: MIT */
/* Kernel console output and the end-of-run protocol. */
#ifndef LOG_H
#define LOG_H

#include "arch.h"
#include "console.h"

/* Formatted output to the console (see lib/fmt.h for conversions).  The
 * caller waits until the line is out, unless queued lines are ahead of
 * it: then it joins the queue (waiting only if the queue is full). */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As kprintf, but the caller never waits for the line to leave (only for
 * room in a full queue): for guests' console lines, so that a vCPU does
 * not stall in an exit for as long as the serial line takes to send one
 * (its timer interrupts would pile up meanwhile). */
void kprintf_nowait(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* As kprintf, but queued: the line goes out as the console takes it (its
 * interrupt, or kdrain), so the caller does not wait for a slow serial
 * line.  Lines that do not fit the queue are dropped and counted (the
 * count is printed with the next line that fits).  kprintf lines come
 * after everything queued before them. */
void kqueue(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Part of a line spoken by owner (a guest's console): n bytes of text,
 * behind prefix unless the console still shows owner's unended line, in
 * which case they continue it; end finishes the line.  Any other output
 * ends an open line first.  Never waits but for room in the queue. */
void kguest_text(const void *owner, const char *prefix, const char *text,
		 size_t n, int end);

/* Send what of the queue the console takes now; never waits. */
void kdrain(void);

/*
 * Every run ends with exactly one line "hv: stop: <status> (<why>)"; test
 * harnesses read the verdict from it.  Statuses: ok, novmx, error, panic.
 */
__attribute__((noreturn)) void hv_stop(const char *status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A hypervisor bug: report and stop this CPU; never for guest actions. */
__attribute__((noreturn)) void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
