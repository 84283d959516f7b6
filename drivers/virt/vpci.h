/* SPDX-License-Identifier: MIT */
/* PCI configuration mechanism #1 with one device: the host bridge. */
#ifndef VIRT_VPCI_H
#define VIRT_VPCI_H

#include <stdint.h>

/*
 * Pure logic.  CONFIG_ADDRESS at 0xCF8 (32-bit), CONFIG_DATA at
 * 0xCFC-0xCFF (PCI Local Bus spec 3.0, 3.2.2.3.2).  Bus 0, device 0,
 * function 0 is an Intel 440FX-style host bridge, read-only; every other
 * function reads as absent (all-ones), which is how a guest kernel's
 * probe learns that there is nothing else.
 */
#define VPCI_ADDR 0xcf8
#define VPCI_DATA 0xcfc

struct vpci {
	uint32_t address; /* CONFIG_ADDRESS as last written */
};

void vpci_init(struct vpci *p);

/* An access of size 1, 2 or 4 at port (0xCF8-0xCFF). */
uint32_t vpci_read(struct vpci *p, uint16_t port, unsigned size);
void vpci_write(struct vpci *p, uint16_t port, unsigned size, uint32_t val);

#endif
