// SPDX-License-Identifier: MIT
/* PCI configuration space: the host bridge and nothing else. */
#include "vpci.h"

#define ADDR_ENABLE   (1u << 31)
#define ADDR_BUS(a)   (((a) >> 16) & 0xff)
#define ADDR_DEV(a)   (((a) >> 11) & 0x1f)
#define ADDR_FN(a)    (((a) >> 8) & 0x7)
#define ADDR_REG(a)   ((a)&0xfc)
#define ADDR_WRITABLE 0x80fffffcu /* bits 30-24 and 1-0 are reserved */

/* Type 0 header of the host bridge (PCI spec 6.1): vendor 8086, device
 * 1237 (82441FX), command: memory space, status: medium DEVSEL, revision
 * 2, class 06/00/00 (host bridge), header type 0. */
static const uint32_t bridge[16] = {
    0x12378086u,
    0x02000006u,
    0x06000002u,
    0x00000000u,
};

void vpci_init(struct vpci *p)
{
	p->address = 0;
}

static uint32_t config_dword(uint32_t a)
{
	if (!(a & ADDR_ENABLE) || ADDR_BUS(a) || ADDR_DEV(a) || ADDR_FN(a))
		return 0xffffffffu; /* no device answers: master abort */
	return ADDR_REG(a) < sizeof(bridge) ? bridge[ADDR_REG(a) / 4] : 0;
}

uint32_t vpci_read(struct vpci *p, uint16_t port, unsigned size)
{
	uint32_t ones = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

	if (port == VPCI_ADDR)
		return size == 4 ? p->address : ones;
	if (port < VPCI_DATA || port > VPCI_DATA + 3)
		return ones;
	unsigned shift = 8 * (port - VPCI_DATA);
	return (config_dword(p->address) >> shift) & ones;
}

/* The bridge's header is read-only here: configuration writes are
 * accepted and dropped (nothing behind it to enable or move). */
void vpci_write(struct vpci *p, uint16_t port, unsigned size, uint32_t val)
{
	if (port == VPCI_ADDR && size == 4)
		p->address = val & ADDR_WRITABLE;
}
