// SPDX-License-Identifier: MIT
/* Port I/O dispatch (see emul.h). */
#include "emul.h"

int emul_io_register(struct emul_io *io, uint16_t base, uint16_t len,
		     emul_io_fn fn, void *dev)
{
	uint32_t end = (uint32_t)base + len;

	if (!len || end > 0x10000 || io->n == EMUL_MAX_IO)
		return -1;
	for (uint32_t i = 0; i < io->n; i++)
		if (base < io->r[i].base + io->r[i].len && io->r[i].base < end)
			return -1;
	io->r[io->n].base = base;
	io->r[io->n].len = len;
	io->r[io->n].fn = fn;
	io->r[io->n].dev = dev;
	io->n++;
	return 0;
}

int emul_io_access(struct emul_io *io, uint16_t port, unsigned size, int write,
		   uint32_t *val, int *first)
{
	*first = 0;
	for (uint32_t i = 0; i < io->n; i++) {
		if (port < io->r[i].base ||
		    port >= (uint32_t)io->r[i].base + io->r[i].len)
			continue;
		io->r[i].fn(io->r[i].dev, port, size, write, val);
		return 1;
	}
	if (!write)
		*val = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	uint8_t bit = (uint8_t)(1u << (port % 8));
	*first = !(io->touched[port / 8] & bit);
	io->touched[port / 8] |= bit;
	return 0;
}
