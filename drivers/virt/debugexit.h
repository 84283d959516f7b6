/* SPDX-License-Identifier: MIT */
/* QEMU-compatible debug-exit port: a test guest ends with a status. */
#ifndef VIRT_DEBUGEXIT_H
#define VIRT_DEBUGEXIT_H

#define DEBUGEXIT_PORT 0xf4
#define DEBUGEXIT_LEN  4

struct guest;

/* Claim the port for g: a write stops g and logs the value written. */
int debugexit_attach(struct guest *g);

#endif
