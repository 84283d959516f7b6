/* SPDX-License-Identifier: MIT */
/* The hypervisor's console: a byte sink provided by a host driver. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stddef.h>

/* Program the console device; output before this is lost. */
void console_init(void);

/* What the line carries: 115200 baud, 8N1. */
#define CONSOLE_BYTES_PER_SEC 11520u

/* Write n bytes, waiting for the device as needed (polled, no interrupts). */
void console_write(const char *s, size_t n);

/* Wait until every byte written has left the device. */
void console_flush(void);

/* Write what the device takes now without waiting (none if it is busy):
 * how many of the n bytes went.  console_tx_irq(1) asks for an interrupt
 * when it can take more (the input interrupt's line); (0) stops that. */
size_t console_write_some(const char *s, size_t n);
void console_tx_irq(int on);

/* A received byte, or -1 if none waits. */
int console_getc(void);

/* Make the device interrupt when input arrives: its ISA IRQ, or -1 if it
 * cannot (no device). */
int console_input_irq(void);

#endif
