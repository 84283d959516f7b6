/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a buffer, for kernel, loader and tests. */
#ifndef FMT_H
#define FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supports %s (with precision .N or .*) %c %d %i %u %x %X %p %% with the length
 * modifiers l, ll, z and an optional '-' flag, '0' flag and field width. Output
 * is always terminated when size > 0; returns the length the whole result
 * needed, like C's vsnprintf, so callers can detect truncation.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
