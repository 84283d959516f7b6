/* SPDX-License-Identifier: MIT */
/* Guest-physical memory layout: where a partition's RAM appears. */
#ifndef VM_LAYOUT_H
#define VM_LAYOUT_H

#include <stdint.h>

/*
 * Pure logic.  A guest of M bytes sees RAM as on a PC: below the VGA hole
 * (0xA0000), from the BIOS area (0xE0000) to min(M, 3 GiB), and the rest
 * from 4 GiB up.  Partition offset = guest-physical address below 4 GiB,
 * so the 256 KiB behind the hole is simply not mapped.
 */
#define LAYOUT_MAX_RANGES 3
#define LAYOUT_VGA_HOLE	  0xa0000ull
#define LAYOUT_BIOS_AREA  0xe0000ull
#define LAYOUT_LOW_TOP	  (3ull << 30) /* MMIO from here to 4 GiB */
#define LAYOUT_HIGH_BASE  (4ull << 30)

struct guest_ram {
	uint32_t n;
	struct {
		uint64_t gpa, size;
		uint64_t offset; /* into the partition */
	} r[LAYOUT_MAX_RANGES];
};

/* Fill ram for a partition of mem bytes (a whole number of MiB, >= 1 MiB);
 * -1 if mem is not. */
int layout_ram(uint64_t mem, struct guest_ram *ram);

/* Is gpa in a window where a PC has devices rather than RAM: the legacy
 * VGA/ROM hole [0xA0000, 0xE0000) or [3 GiB, 4 GiB) (APICs, HPET, PCI)?
 * Accesses there are MMIO; anywhere else outside RAM they are faults. */
int layout_is_mmio(uint64_t gpa);

/* Partition offset of [gpa, gpa + len) if it lies inside one RAM range,
 * else -1 (also on overflow). */
int64_t layout_offset(const struct guest_ram *ram, uint64_t gpa, uint64_t len);

#endif
