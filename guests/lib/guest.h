/* SPDX-License-Identifier: MIT */
/* Guest runtime: what every bare-metal test guest gets. */
#ifndef GUEST_H
#define GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "../../kernel/vm/abi.h"

/* What the hypervisor says about this guest (RDI at entry). */
extern const struct hv_boot *guest_boot;

/* Print to the (emulated) COM1 UART. */
void guest_puts(const char *s);
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the guest with a status through the QEMU-compatible debug-exit port
 * (0xf4); the hypervisor logs it.  Halts if nothing stops the guest. */
__attribute__((noreturn)) void guest_exit(uint8_t status);

/* Each guest defines its main; returning from it exits with its value. */
int main(void);

#endif
