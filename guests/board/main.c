// SPDX-License-Identifier: MIT
/* board: probes PCI like a kernel (finds only the host bridge), writes
 * POST codes, then reboots through port 0xCF9 and, once restarted,
 * through the keyboard controller; the third boot exits with 0. */
#include "../lib/guest.h"
#include "../lib/io.h"

static uint32_t config(unsigned dev, unsigned fn, unsigned reg)
{
	outl(0xcf8, 1u << 31 | dev << 11 | fn << 8 | reg);
	return inl(0xcfc);
}

static unsigned probe(void)
{
	unsigned found = 0;

	for (unsigned dev = 0; dev < 32; dev++)
		for (unsigned fn = 0; fn < 8; fn++) {
			uint32_t id = config(dev, fn, 0);
			if (id == 0xffffffffu)
				continue;
			guest_printf("board: pci 00:%02x.%u %04x:%04x class "
				     "%06x\n",
				     dev, fn, id & 0xffff, id >> 16,
				     config(dev, fn, 8) >> 8);
			found++;
		}
	return found;
}

int main(void)
{
	unsigned boot = guest_boot->restarts + 1;

	outb(0x80, (uint8_t)boot); /* a POST code: silently taken */
	guest_printf("board: boot %u, %u PCI function(s)\n", boot, probe());
	if (boot == 1) {
		guest_printf("board: rebooting through port 0xcf9\n");
		outb(0xcf9, 0x06);
	} else if (boot == 2) {
		guest_printf("board: rebooting through the keyboard "
			     "controller\n");
		outb(0x64, 0xfe);
	}
	return boot == 3 ? 0 : 1;
}
