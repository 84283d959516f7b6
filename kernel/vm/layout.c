// SPDX-License-Identifier: MIT
/* Guest-physical RAM layout of a partition (see layout.h). */
#include "layout.h"

#define MIB (1ull << 20)

static void add(struct guest_ram *ram, uint64_t gpa, uint64_t end,
		uint64_t offset)
{
	ram->r[ram->n].gpa = gpa;
	ram->r[ram->n].size = end - gpa;
	ram->r[ram->n].offset = offset;
	ram->n++;
}

int layout_ram(uint64_t mem, struct guest_ram *ram)
{
	ram->n = 0;
	if (mem < MIB || mem % MIB || mem > (1ull << 46))
		return -1;
	add(ram, 0, LAYOUT_VGA_HOLE, 0);
	uint64_t low_end = mem < LAYOUT_LOW_TOP ? mem : LAYOUT_LOW_TOP;
	add(ram, LAYOUT_BIOS_AREA, low_end, LAYOUT_BIOS_AREA);
	if (mem > LAYOUT_LOW_TOP)
		add(ram, LAYOUT_HIGH_BASE,
		    LAYOUT_HIGH_BASE + mem - LAYOUT_LOW_TOP, LAYOUT_LOW_TOP);
	return 0;
}

int64_t layout_offset(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa + len < gpa)
		return -1;
	for (uint32_t i = 0; i < ram->n; i++) {
		uint64_t lo = ram->r[i].gpa, hi = lo + ram->r[i].size;
		if (gpa >= lo && gpa + len <= hi)
			return (int64_t)(ram->r[i].offset + (gpa - lo));
	}
	return -1;
}

int layout_is_mmio(uint64_t gpa)
{
	return (gpa >= LAYOUT_VGA_HOLE && gpa < LAYOUT_BIOS_AREA) ||
	       (gpa >= LAYOUT_LOW_TOP && gpa < LAYOUT_HIGH_BASE);
}
