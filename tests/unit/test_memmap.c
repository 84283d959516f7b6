// SPDX-License-Identifier: MIT
/* Tests for kernel/mm/memmap.c: sorted typed ranges, insert and retype. */
#include "mm/memmap.h"
#include "test.h"

#define USABLE	 BI_MEM_USABLE
#define RESERVED BI_MEM_RESERVED
#define ACPI	 BI_MEM_ACPI_RECLAIM
#define MMIO	 BI_MEM_MMIO

static struct bi_memmap m;

/* The map as text, "base-end type" per range, e.g. "1000-3000 usable". */
static const char *dump(const struct bi_memmap *map)
{
	static char buf[BI_MAX_MEM * 48];
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < map->count && n < sizeof(buf); i++)
		n += snprintf(
		    buf + n, sizeof(buf) - n, "%s%llx-%llx %s", i ? ", " : "",
		    (unsigned long long)map->r[i].base,
		    (unsigned long long)(map->r[i].base + map->r[i].size),
		    memmap_type_name(map->r[i].type));
	return buf;
}

/* The call must fail and the map still read `before`. */
#define CHECK_UNCHANGED(call, before)        \
	do {                                 \
		CHECK_EQ(call, -1);          \
		CHECK_STR(dump(&m), before); \
	} while (0)

TEST(add_keeps_ranges_sorted)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x5000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x1000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x9000, 0x1000, RESERVED), 0);
	CHECK_EQ(memmap_add(&m, 0x3000, 0x800, MMIO), 0);
	CHECK_EQ(m.count, 4);
	CHECK_STR(dump(&m), "1000-2000 usable, 3000-3800 mmio, "
			    "5000-6000 usable, 9000-a000 reserved");
}

TEST(add_merges_equal_typed_neighbours)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x2000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x1000, 0x1000, USABLE), 0); /* before */
	CHECK_EQ(memmap_add(&m, 0x3000, 0x1000, USABLE), 0); /* after */
	CHECK_STR(dump(&m), "1000-4000 usable");
	CHECK_EQ(memmap_add(&m, 0x5000, 0x1000, USABLE), 0); /* a gap */
	CHECK_STR(dump(&m), "1000-4000 usable, 5000-6000 usable");
	CHECK_EQ(memmap_add(&m, 0x4000, 0x1000, USABLE), 0); /* bridges */
	CHECK_EQ(m.count, 1);
	CHECK_STR(dump(&m), "1000-6000 usable");
	/* Touching but of another type: kept apart. */
	CHECK_EQ(memmap_add(&m, 0x6000, 0x1000, ACPI), 0);
	CHECK_EQ(memmap_add(&m, 0x0, 0x1000, RESERVED), 0);
	CHECK_STR(dump(&m),
		  "0-1000 reserved, 1000-6000 usable, 6000-7000 acpi");
}

TEST(add_refuses_overlap)
{
	const char *before = "1000-3000 usable, 5000-6000 mmio";

	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0x2000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x5000, 0x1000, MMIO), 0);
	CHECK_STR(dump(&m), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x1000, 0x2000, USABLE), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x0, 0x1001, USABLE), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x2fff, 0x10, USABLE), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x1800, 0x100, RESERVED), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x0, 0x10000, RESERVED), before);
	CHECK_UNCHANGED(memmap_add(&m, 0x3000, 0x2001, RESERVED), before);
	/* Empty or wrapping ranges are refused too. */
	CHECK_UNCHANGED(memmap_add(&m, 0x8000, 0, USABLE), before);
	CHECK_UNCHANGED(memmap_add(&m, UINT64_MAX - 0xfff, 0x2000, USABLE),
			before);
	/* Filling the gap exactly is fine. */
	CHECK_EQ(memmap_add(&m, 0x3000, 0x2000, RESERVED), 0);
	CHECK_STR(dump(&m),
		  "1000-3000 usable, 3000-5000 reserved, 5000-6000 mmio");
}

/* BI_MAX_MEM ranges of alternating type, 0x1000 each, 0x1000 apart. */
static void fill(void)
{
	memset(&m, 0, sizeof(m));
	for (uint64_t i = 0; i < BI_MAX_MEM; i++)
		memmap_add(&m, 0x2000 * i, 0x1000, i % 2 ? RESERVED : USABLE);
}

TEST(add_to_full_map)
{
	fill();
	CHECK_EQ(m.count, BI_MAX_MEM);
	CHECK_EQ(memmap_total(&m, USABLE), BI_MAX_MEM / 2 * 0x1000);
	CHECK_EQ(memmap_add(&m, 0x2000 * BI_MAX_MEM, 0x1000, ACPI), -1);
	CHECK_EQ(memmap_add(&m, 0x1000, 0x800, ACPI), -1);
	CHECK_EQ(m.count, BI_MAX_MEM);
	CHECK_EQ(m.r[0].size, 0x1000);
	CHECK_EQ(m.r[1].base, 0x2000);
	CHECK_EQ(m.r[BI_MAX_MEM - 1].base, 0x2000 * (BI_MAX_MEM - 1));
	CHECK_EQ(memmap_total(&m, ACPI), 0);
	/* Growing a range by merging needs no new entry. */
	CHECK_EQ(memmap_add(&m, 0x1000, 0x800, USABLE), 0);
	CHECK_EQ(m.count, BI_MAX_MEM);
	CHECK_EQ(m.r[0].size, 0x1800);
	CHECK_EQ(memmap_add(&m, 0x3000, 0x800, RESERVED), 0);
	CHECK_EQ(m.count, BI_MAX_MEM);
	CHECK_EQ(m.r[1].size, 0x1800);
}

TEST(set_splits_a_range_in_three)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0xf000, USABLE), 0);
	CHECK_EQ(memmap_set(&m, 0x4000, 0x2000, BI_MEM_HANDOVER), 0);
	CHECK_STR(dump(&m), "1000-4000 usable, 4000-6000 handover, "
			    "6000-10000 usable");
	/* At either end: in two. */
	CHECK_EQ(memmap_set(&m, 0x1000, 0x1000, RESERVED), 0);
	CHECK_EQ(memmap_set(&m, 0xf000, 0x1000, ACPI), 0);
	CHECK_STR(dump(&m), "1000-2000 reserved, 2000-4000 usable, "
			    "4000-6000 handover, 6000-f000 usable, "
			    "f000-10000 acpi");
	CHECK_EQ(memmap_total(&m, USABLE), 0x2000 + 0x9000);
}

TEST(set_spanning_ranges)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0x3000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x4000, 0x1000, ACPI), 0);
	CHECK_EQ(memmap_add(&m, 0x5000, 0x3000, USABLE), 0);
	/* Tail of the first, all of the second, head of the third. */
	CHECK_EQ(memmap_set(&m, 0x3000, 0x3000, RESERVED), 0);
	CHECK_STR(dump(&m), "1000-3000 usable, 3000-6000 reserved, "
			    "6000-8000 usable");
}

TEST(set_leaves_holes_alone)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x4000, 0x1000, USABLE), 0);
	/* Only the covered parts change; the hole stays a hole. */
	CHECK_EQ(memmap_set(&m, 0x0, 0x4800, BI_MEM_BAD), 0);
	CHECK_STR(dump(&m), "1000-2000 bad, 4000-4800 bad, 4800-5000 usable");
	/* Nothing covered at all: a successful no-op. */
	CHECK_EQ(memmap_set(&m, 0x8000, 0x1000, RESERVED), 0);
	CHECK_EQ(memmap_set(&m, 0x2000, 0x2000, RESERVED), 0);
	CHECK_EQ(memmap_set(&m, 0x1800, 0, RESERVED), 0);
	CHECK_STR(dump(&m), "1000-2000 bad, 4000-4800 bad, 4800-5000 usable");
}

TEST(set_merges_result)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x2000, 0x1000, ACPI), 0);
	CHECK_EQ(memmap_add(&m, 0x3000, 0x1000, USABLE), 0);
	CHECK_EQ(memmap_set(&m, 0x2000, 0x1000, USABLE), 0);
	CHECK_EQ(m.count, 1);
	CHECK_STR(dump(&m), "1000-4000 usable");
}

TEST(set_refusals_leave_map_unchanged)
{
	fill();
	/* Splitting one range in three needs two more entries. */
	CHECK_EQ(memmap_set(&m, 0x2400, 0x100, ACPI), -1);
	CHECK_EQ(m.count, BI_MAX_MEM);
	CHECK_EQ(m.r[1].base, 0x2000);
	CHECK_EQ(m.r[1].size, 0x1000);
	CHECK_EQ(m.r[1].type, RESERVED);
	CHECK_EQ(memmap_total(&m, ACPI), 0);
	/* Retyping a whole range in place needs none. */
	CHECK_EQ(memmap_set(&m, 0x2000, 0x1000, ACPI), 0);
	CHECK_EQ(m.r[1].type, ACPI);
	CHECK_EQ(memmap_total(&m, ACPI), 0x1000);

	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_add(&m, 0x1000, 0x1000, USABLE), 0);
	CHECK_UNCHANGED(memmap_set(&m, 0x1800, UINT64_MAX, ACPI),
			"1000-2000 usable");
}

TEST(total_by_type)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_total(&m, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x0, 0x9f000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x100000, 0x7f00000, USABLE), 0);
	CHECK_EQ(memmap_add(&m, 0x8000000, 0x10000, ACPI), 0);
	CHECK_EQ(memmap_add(&m, 0xfee00000, 0x1000, MMIO), 0);
	CHECK_EQ(memmap_total(&m, USABLE), 0x9f000 + 0x7f00000);
	CHECK_EQ(memmap_total(&m, ACPI), 0x10000);
	CHECK_EQ(memmap_total(&m, MMIO), 0x1000);
	CHECK_EQ(memmap_total(&m, BI_MEM_RUNTIME), 0);
}

TEST(ram_top_ignores_mmio_and_reserved)
{
	memset(&m, 0, sizeof(m));
	CHECK_EQ(memmap_ram_top(&m), 0);
	CHECK_EQ(memmap_add(&m, 0xfee00000, 0x1000, MMIO), 0);
	CHECK_EQ(memmap_ram_top(&m), 0);
	CHECK_EQ(memmap_add(&m, 0x0, 0x9f000, USABLE), 0);
	CHECK_EQ(memmap_ram_top(&m), 0x9f000);
	CHECK_EQ(memmap_add(&m, 0x7ff0000, 0x10000, ACPI), 0);
	CHECK_EQ(memmap_ram_top(&m), 0x8000000);
	CHECK_EQ(memmap_add(&m, 0xffc00000, 0x400000, RESERVED), 0);
	CHECK_EQ(memmap_ram_top(&m), 0x8000000);
	CHECK_EQ(memmap_add(&m, 0x100000000, 0x40000000, BI_MEM_RUNTIME), 0);
	CHECK_EQ(memmap_ram_top(&m), 0x140000000);
}

TEST(type_names)
{
	CHECK_STR(memmap_type_name(BI_MEM_USABLE), "usable");
	CHECK_STR(memmap_type_name(BI_MEM_RESERVED), "reserved");
	CHECK_STR(memmap_type_name(BI_MEM_ACPI_RECLAIM), "acpi");
	CHECK_STR(memmap_type_name(BI_MEM_ACPI_NVS), "acpi-nvs");
	CHECK_STR(memmap_type_name(BI_MEM_RUNTIME), "efi-runtime");
	CHECK_STR(memmap_type_name(BI_MEM_MMIO), "mmio");
	CHECK_STR(memmap_type_name(BI_MEM_BAD), "bad");
	CHECK_STR(memmap_type_name(BI_MEM_HANDOVER), "handover");
	CHECK_STR(memmap_type_name(0), "unknown");
	CHECK_STR(memmap_type_name(BI_MEM_TYPE_COUNT), "unknown");
	CHECK_STR(memmap_type_name(UINT32_MAX), "unknown");
}

int main(void)
{
	RUN(add_keeps_ranges_sorted);
	RUN(add_merges_equal_typed_neighbours);
	RUN(add_refuses_overlap);
	RUN(add_to_full_map);
	RUN(set_splits_a_range_in_three);
	RUN(set_spanning_ranges);
	RUN(set_leaves_holes_alone);
	RUN(set_merges_result);
	RUN(set_refusals_leave_map_unchanged);
	RUN(total_by_type);
	RUN(ram_top_ignores_mmio_and_reserved);
	RUN(type_names);
	return TEST_END();
}
