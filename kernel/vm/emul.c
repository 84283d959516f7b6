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
	/* A direct map: an access costs the same however many claims. */
	for (uint32_t p = base; p < end; p++)
		io->owner[p] = (uint8_t)io->n;
	return 0;
}

int emul_mmio_register(struct emul_mmio *m, uint64_t base, uint64_t len,
		       emul_mmio_fn fn, void *dev)
{
	if (!len || base + len < base || m->n == EMUL_MAX_MMIO)
		return -1;
	for (uint32_t i = 0; i < m->n; i++)
		if (base < m->r[i].base + m->r[i].len &&
		    m->r[i].base < base + len)
			return -1;
	m->r[m->n].base = base;
	m->r[m->n].len = len;
	m->r[m->n].fn = fn;
	m->r[m->n].dev = dev;
	m->n++;
	return 0;
}

static int first_touch(struct emul_mmio *m, uint64_t page)
{
	for (uint32_t i = 0; i < m->nreported; i++)
		if (m->reported[i] == page)
			return 0;
	if (m->nreported == EMUL_MMIO_REPORTS)
		return 0;
	m->reported[m->nreported++] = page;
	return 1;
}

int emul_mmio_access(struct emul_mmio *m, uint64_t gpa, unsigned size,
		     int write, uint64_t *val, int *first)
{
	*first = 0;
	for (uint32_t i = 0; i < m->n; i++) {
		if (gpa < m->r[i].base || gpa - m->r[i].base >= m->r[i].len)
			continue;
		m->r[i].fn(m->r[i].dev, gpa, size, write, val);
		return 1;
	}
	if (!write)
		*val = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
	*first = first_touch(m, gpa >> 12);
	return 0;
}
