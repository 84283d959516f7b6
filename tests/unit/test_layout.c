// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/layout.c: guest RAM ranges, holes, partition offsets. */
#include <stdint.h>

#include "test.h"
#include "vm/layout.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)

/* Neither hole may hold RAM: VGA/ROM below 1 MiB, MMIO below 4 GiB. */
static const struct {
	uint64_t lo, hi;
} holes[] = {
    {0xa0000, 0xe0000},
    {3 * GIB, 4 * GIB},
};

static struct guest_ram ram;

/* Ranges and offsets that every layout must satisfy for a guest of mem
 * bytes: ascending, non-empty, non-wrapping, outside the holes, and with
 * offsets in the partition that do not overlap one another.  Returns 0 if
 * all hold, else the number of the failed rule. */
static int sane(uint64_t mem)
{
	for (uint32_t i = 0; i < ram.n; i++) {
		uint64_t gpa = ram.r[i].gpa, size = ram.r[i].size;
		uint64_t off = ram.r[i].offset;
		if (!size || gpa + size < gpa)
			return 1;
		if (i && gpa < ram.r[i - 1].gpa + ram.r[i - 1].size)
			return 2;
		for (size_t h = 0; h < sizeof(holes) / sizeof(holes[0]); h++)
			if (gpa < holes[h].hi && holes[h].lo < gpa + size)
				return 3;
		if (off > mem || size > mem - off)
			return 4;
		for (uint32_t j = 0; j < i; j++)
			if (off < ram.r[j].offset + ram.r[j].size &&
			    ram.r[j].offset < off + size)
				return 5;
	}
	return 0;
}

static uint64_t total(void)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < ram.n; i++)
		sum += ram.r[i].size;
	return sum;
}

#define CHECK_RANGE(i, gpa_, size_, offset_)        \
	do {                                        \
		CHECK_EQ(ram.r[i].gpa, gpa_);       \
		CHECK_EQ(ram.r[i].size, size_);     \
		CHECK_EQ(ram.r[i].offset, offset_); \
	} while (0)

TEST(one_mib)
{
	CHECK_EQ(layout_ram(MIB, &ram), 0);
	CHECK_EQ(ram.n, 2);
	CHECK_RANGE(0, 0, 0xa0000, 0);
	CHECK_RANGE(1, 0xe0000, 0x20000, 0xe0000);
	CHECK_EQ(sane(MIB), 0);
	CHECK_EQ(total(), MIB - 256 * KIB);
}

TEST(sixteen_mib)
{
	CHECK_EQ(layout_ram(16 * MIB, &ram), 0);
	CHECK_EQ(ram.n, 2);
	CHECK_RANGE(0, 0, 0xa0000, 0);
	CHECK_RANGE(1, 0xe0000, 16 * MIB - 0xe0000, 0xe0000);
	CHECK_EQ(sane(16 * MIB), 0);
	CHECK_EQ(total(), 16 * MIB - 256 * KIB);
}

TEST(exactly_three_gib)
{
	/* All of it fits below the MMIO hole: no range at 4 GiB. */
	CHECK_EQ(layout_ram(3 * GIB, &ram), 0);
	CHECK_EQ(ram.n, 2);
	CHECK_RANGE(0, 0, 0xa0000, 0);
	CHECK_RANGE(1, 0xe0000, 3 * GIB - 0xe0000, 0xe0000);
	CHECK_EQ(sane(3 * GIB), 0);
	CHECK_EQ(total(), 3 * GIB - 256 * KIB);
}

TEST(three_gib_and_one_mib)
{
	/* The one MiB above 3 GiB moves to 4 GiB, right after the low part
	 * in the partition. */
	CHECK_EQ(layout_ram(3 * GIB + MIB, &ram), 0);
	CHECK_EQ(ram.n, 3);
	CHECK_RANGE(0, 0, 0xa0000, 0);
	CHECK_RANGE(1, 0xe0000, 3 * GIB - 0xe0000, 0xe0000);
	CHECK_RANGE(2, 4 * GIB, MIB, 3 * GIB);
	CHECK_EQ(sane(3 * GIB + MIB), 0);
	CHECK_EQ(total(), 3 * GIB + MIB - 256 * KIB);
}

TEST(eight_gib)
{
	CHECK_EQ(layout_ram(8 * GIB, &ram), 0);
	CHECK_EQ(ram.n, 3);
	CHECK_RANGE(0, 0, 0xa0000, 0);
	CHECK_RANGE(1, 0xe0000, 3 * GIB - 0xe0000, 0xe0000);
	CHECK_RANGE(2, 4 * GIB, 5 * GIB, 3 * GIB);
	CHECK_EQ(sane(8 * GIB), 0);
	CHECK_EQ(total(), 8 * GIB - 256 * KIB);
}

TEST(every_mib_size_up_to_64)
{
	for (uint64_t m = 1; m <= 64; m++) {
		CHECK_EQ(layout_ram(m * MIB, &ram), 0);
		CHECK_EQ(ram.n, 2);
		CHECK_EQ(ram.r[1].gpa + ram.r[1].size, m * MIB);
		CHECK_EQ(sane(m * MIB), 0);
	}
}

TEST(invalid_sizes)
{
	static const uint64_t bad[] = {
	    0,
	    1,
	    4096,
	    512 * KIB,
	    MIB - 1,
	    MIB + 1,
	    MIB + 512 * KIB,
	    16 * MIB - 4096,
	    3 * GIB + 4096,
	    UINT64_MAX,
	    UINT64_MAX - MIB +
		1, /* a MiB multiple; 4 GiB + mem - 3 GiB wraps */
	    UINT64_MAX - GIB + 1,
	    1ull << 60, /* beyond any physical address width (52 bits) */
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_EQ(layout_ram(bad[i], &ram), -1);
}

TEST(offset_inside_ranges)
{
	CHECK_EQ(layout_ram(8 * GIB, &ram), 0);
	CHECK_EQ(layout_offset(&ram, 0, 1), 0);
	CHECK_EQ(layout_offset(&ram, 0, 0xa0000), 0);
	CHECK_EQ(layout_offset(&ram, 0x7c00, 512), 0x7c00);
	CHECK_EQ(layout_offset(&ram, 0x9ffff, 1), 0x9ffff);
	CHECK_EQ(layout_offset(&ram, 0xe0000, 1), 0xe0000);
	CHECK_EQ(layout_offset(&ram, 0x100000, 0x1000), 0x100000);
	CHECK_EQ(layout_offset(&ram, 0xe0000, 3 * GIB - 0xe0000), 0xe0000);
	CHECK_EQ(layout_offset(&ram, 3 * GIB - 1, 1), 3 * GIB - 1);
	/* Above 4 GiB the partition offset is 1 GiB lower. */
	CHECK_EQ(layout_offset(&ram, 4 * GIB, 1), 3 * GIB);
	CHECK_EQ(layout_offset(&ram, 4 * GIB + 0x1234, 8), 3 * GIB + 0x1234);
	CHECK_EQ(layout_offset(&ram, 4 * GIB, 5 * GIB), 3 * GIB);
	CHECK_EQ(layout_offset(&ram, 9 * GIB - 4096, 4096), 8 * GIB - 4096);
	CHECK_EQ(layout_offset(&ram, 9 * GIB - 1, 1), 8 * GIB - 1);
}

TEST(offset_outside_ranges)
{
	CHECK_EQ(layout_ram(8 * GIB, &ram), 0);
	CHECK_EQ(layout_offset(&ram, 0xa0000, 1), -1);
	CHECK_EQ(layout_offset(&ram, 0xb8000, 4000), -1); /* VGA text */
	CHECK_EQ(layout_offset(&ram, 0xdffff, 1), -1);
	CHECK_EQ(layout_offset(&ram, 3 * GIB, 1), -1);
	CHECK_EQ(layout_offset(&ram, 0xfee00000, 4), -1); /* local APIC */
	CHECK_EQ(layout_offset(&ram, 4 * GIB - 1, 1), -1);
	CHECK_EQ(layout_offset(&ram, 9 * GIB, 1), -1);
	CHECK_EQ(layout_offset(&ram, 1ull << 47, 1), -1);
	CHECK_EQ(layout_offset(&ram, UINT64_MAX, 1), -1);
}

TEST(offset_straddling)
{
	CHECK_EQ(layout_ram(8 * GIB, &ram), 0);
	/* Into a hole, out of one, and across one from RAM to RAM. */
	CHECK_EQ(layout_offset(&ram, 0x9ffff, 2), -1);
	CHECK_EQ(layout_offset(&ram, 0xdffff, 2), -1);
	CHECK_EQ(layout_offset(&ram, 0x9f000, 0x42000), -1);
	CHECK_EQ(layout_offset(&ram, 3 * GIB - 1, 2), -1);
	CHECK_EQ(layout_offset(&ram, 4 * GIB - 1, 2), -1);
	CHECK_EQ(layout_offset(&ram, 3 * GIB - 4096, GIB + 8192), -1);
	CHECK_EQ(layout_offset(&ram, 0xe0000, 3 * GIB - 0xe0000 + 1), -1);
	/* Past the end of RAM. */
	CHECK_EQ(layout_offset(&ram, 9 * GIB - 4096, 4097), -1);
	CHECK_EQ(layout_ram(16 * MIB, &ram), 0);
	CHECK_EQ(layout_offset(&ram, 16 * MIB - 4096, 4096), 16 * MIB - 4096);
	CHECK_EQ(layout_offset(&ram, 16 * MIB - 4096, 4097), -1);
	CHECK_EQ(layout_offset(&ram, 16 * MIB, 1), -1);
	CHECK_EQ(layout_ram(MIB, &ram), 0);
	CHECK_EQ(layout_offset(&ram, 0xfffff, 1), 0xfffff);
	CHECK_EQ(layout_offset(&ram, 0xfffff, 2), -1);
	CHECK_EQ(layout_offset(&ram, MIB, 4096), -1);
}

TEST(offset_overflow)
{
	CHECK_EQ(layout_ram(8 * GIB, &ram), 0);
	/* gpa + len wraps to an address inside RAM: still refused. */
	CHECK_EQ(layout_offset(&ram, 1, UINT64_MAX), -1);
	CHECK_EQ(layout_offset(&ram, 0x100000, UINT64_MAX - 0xfffff + 0x1000),
		 -1);
	CHECK_EQ(layout_offset(&ram, 4 * GIB, UINT64_MAX), -1);
	CHECK_EQ(layout_offset(&ram, UINT64_MAX, 2), -1);
	CHECK_EQ(layout_offset(&ram, UINT64_MAX - 0xfff, 0x2000), -1);
	CHECK_EQ(layout_offset(&ram, 0, UINT64_MAX), -1);
}

TEST(offset_without_ranges)
{
	CHECK_EQ(layout_ram(0, &ram), -1);
	ram.n = 0;
	CHECK_EQ(layout_offset(&ram, 0, 1), -1);
	CHECK_EQ(layout_offset(&ram, 0x100000, 4096), -1);
}

int main(void)
{
	RUN(one_mib);
	RUN(sixteen_mib);
	RUN(exactly_three_gib);
	RUN(three_gib_and_one_mib);
	RUN(eight_gib);
	RUN(every_mib_size_up_to_64);
	RUN(invalid_sizes);
	RUN(offset_inside_ranges);
	RUN(offset_outside_ranges);
	RUN(offset_straddling);
	RUN(offset_overflow);
	RUN(offset_without_ranges);
	return TEST_END();
}
