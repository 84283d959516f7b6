/* SPDX-License-Identifier: MIT */
/* The hypervisor's console: a byte sink provided by a host driver. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

/* Program the console device; output before this is lost. */
void console_init(void);

/* Write n bytes, waiting for the device as needed (polled, no interrupts). */
void console_write(const char *s, size_t n);

/* Wait until every byte written has left the device. */
void console_flush(void);

#endif
