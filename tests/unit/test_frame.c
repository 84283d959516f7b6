// SPDX-License-Identifier: MIT
/* Tests for kernel/mm/frame.c: the free-range page allocator. */
#include "mm/frame.h"
#include "test.h"

#define PG  FRAME_SIZE
#define MIB (1ull << 20)

static struct frame_pool p;

/* The pool as text, "base-end" per free range, e.g. "1000-3000 5000-6000". */
static const char *dump(const struct frame_pool *pool)
{
	static char buf[FRAME_MAX_RANGES * 40];
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < pool->n && n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%s%llx-%llx",
			      i ? " " : "", (unsigned long long)pool->r[i].base,
			      (unsigned long long)pool->r[i].end);
	return buf;
}

/* The call must fail and leave the pool as `before`, free_bytes included. */
#define CHECK_UNCHANGED(call, before, bytes)   \
	do {                                   \
		CHECK_EQ(call, -1);            \
		CHECK_STR(dump(&p), before);   \
		CHECK_EQ(p.free_bytes, bytes); \
	} while (0)

TEST(init_empties_pool)
{
	memset(&p, 0xa5, sizeof(p));
	frame_pool_init(&p);
	CHECK_EQ(p.n, 0);
	CHECK_EQ(p.free_bytes, 0);
	CHECK_EQ(frame_pool_alloc(&p, PG, PG), 0);
}

TEST(free_shrinks_to_whole_frames)
{
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x1800, 0x2000), 0); /* [1800, 3800) */
	CHECK_STR(dump(&p), "2000-3000");
	CHECK_EQ(p.free_bytes, PG);
	CHECK_EQ(frame_pool_free(&p, 0x5000, 0x1000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x8001, 0x2ffe), 0); /* [8001, afff) */
	CHECK_STR(dump(&p), "2000-3000 5000-6000 9000-a000");
	CHECK_EQ(p.free_bytes, 3 * PG);
	/* Less than one whole frame: accepted, adds nothing. */
	CHECK_EQ(frame_pool_free(&p, 0xc001, 0x1000), 0);
	CHECK_EQ(frame_pool_free(&p, 0xd000, 0xfff), 0);
	CHECK_EQ(frame_pool_free(&p, 0xe000, 0), 0);
	CHECK_STR(dump(&p), "2000-3000 5000-6000 9000-a000");
	CHECK_EQ(p.free_bytes, 3 * PG);
}

TEST(free_merges_neighbours)
{
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x1000, 0x1000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x5000, 0x1000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x2000, 0x1000), 0); /* joins before */
	CHECK_EQ(frame_pool_free(&p, 0x4000, 0x1000), 0); /* joins after */
	CHECK_STR(dump(&p), "1000-3000 4000-6000");
	CHECK_EQ(p.n, 2);
	CHECK_EQ(frame_pool_free(&p, 0x3000, 0x1000), 0); /* joins both */
	CHECK_STR(dump(&p), "1000-6000");
	CHECK_EQ(p.n, 1);
	CHECK_EQ(p.free_bytes, 5 * PG);
	/* Out of order inserts stay sorted. */
	CHECK_EQ(frame_pool_free(&p, 0x10000, 0x1000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x8000, 0x1000), 0);
	CHECK_STR(dump(&p), "1000-6000 8000-9000 10000-11000");
}

TEST(free_refuses_overlap)
{
	const char *before = "2000-4000 8000-9000";

	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x2000, 0x2000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x8000, 0x1000), 0);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x2000, 0x2000), before, 3 * PG);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x3000, 0x1000), before, 3 * PG);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x1000, 0x2000), before, 3 * PG);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x3000, 0x2000), before, 3 * PG);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x0, 0x10000), before, 3 * PG);
	CHECK_UNCHANGED(frame_pool_free(&p, 0x4000, 0x5000), before, 3 * PG);
	/* Overlap only in a partial frame that is shrunk away is fine. */
	CHECK_EQ(frame_pool_free(&p, 0x3800, 0x1800), 0);
	CHECK_STR(dump(&p), "2000-5000 8000-9000");
}

TEST(free_refuses_wrap)
{
	frame_pool_init(&p);
	CHECK_UNCHANGED(frame_pool_free(&p, UINT64_MAX - 0xfff, 0x2000), "", 0);
	/* Within the last page: no whole frame, and nothing else either. */
	CHECK_EQ(frame_pool_free(&p, UINT64_MAX - 0x7ff, 0x100), 0);
	CHECK_STR(dump(&p), "");
	CHECK_EQ(p.free_bytes, 0);
}

TEST(free_into_full_table)
{
	frame_pool_init(&p);
	for (uint64_t i = 0; i < FRAME_MAX_RANGES; i++)
		CHECK_EQ(frame_pool_free(&p, 0x2000 * i, PG), 0);
	CHECK_EQ(p.n, FRAME_MAX_RANGES);
	CHECK_EQ(p.free_bytes, FRAME_MAX_RANGES * PG);
	CHECK_EQ(frame_pool_free(&p, 0x2000 * FRAME_MAX_RANGES, PG), -1);
	CHECK_EQ(p.n, FRAME_MAX_RANGES);
	CHECK_EQ(p.free_bytes, FRAME_MAX_RANGES * PG);
	CHECK_EQ(p.r[FRAME_MAX_RANGES - 1].end,
		 0x2000 * (FRAME_MAX_RANGES - 1) + PG);
	/* Joining needs no new entry; joining two frees one. */
	CHECK_EQ(frame_pool_free(&p, 0x2000 * FRAME_MAX_RANGES - PG, PG), 0);
	CHECK_EQ(p.n, FRAME_MAX_RANGES);
	CHECK_EQ(frame_pool_free(&p, PG, PG), 0);
	CHECK_EQ(p.n, FRAME_MAX_RANGES - 1);
	CHECK_EQ(p.r[0].end, 0x3000);
	CHECK_EQ(p.free_bytes, (FRAME_MAX_RANGES + 2) * PG);
}

TEST(alloc_takes_lowest_fit)
{
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x10000, 0x10000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x1000, 0x1000), 0);
	CHECK_EQ(frame_pool_alloc(&p, 0x2000, PG), 0x10000); /* 1st too small */
	CHECK_EQ(frame_pool_alloc(&p, 0x1000, PG), 0x1000);
	CHECK_EQ(frame_pool_alloc(&p, 0x1000, PG), 0x12000);
	CHECK_STR(dump(&p), "13000-20000");
	CHECK_EQ(p.free_bytes, 0xd000);
	/* Sizes round up to whole frames. */
	CHECK_EQ(frame_pool_alloc(&p, 1, PG), 0x13000);
	CHECK_EQ(frame_pool_alloc(&p, 0x1001, PG), 0x14000);
	CHECK_STR(dump(&p), "16000-20000");
	CHECK_EQ(p.free_bytes, 0xa000);
	/* Exactly the rest empties the pool. */
	CHECK_EQ(frame_pool_alloc(&p, 0xa000, PG), 0x16000);
	CHECK_EQ(p.n, 0);
	CHECK_EQ(p.free_bytes, 0);
}

TEST(alloc_honours_alignment)
{
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x1000, 8 * MIB - 0x1000), 0);
	CHECK_EQ(frame_pool_alloc(&p, PG, 2 * MIB), 2 * MIB);
	CHECK_STR(dump(&p), "1000-200000 201000-800000");
	CHECK_EQ(frame_pool_alloc(&p, 3 * MIB, 2 * MIB), 4 * MIB);
	CHECK_STR(dump(&p), "1000-200000 201000-400000 700000-800000");
	CHECK_EQ(frame_pool_alloc(&p, PG, 0x10000), 0x10000);
	CHECK_EQ(frame_pool_alloc(&p, 0x3000, 0x8000), 0x8000);
	CHECK_STR(dump(&p), "1000-8000 b000-10000 11000-200000 "
			    "201000-400000 700000-800000");
	CHECK_EQ(p.free_bytes, 8 * MIB - 0x1000 - PG - 3 * MIB - PG - 0x3000);

	/* 2 MiB free in a row, but not from a 2 MiB boundary. */
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, MIB + PG, 2 * MIB), 0);
	CHECK_EQ(frame_pool_alloc(&p, 2 * MIB, 2 * MIB), 0);
	CHECK_STR(dump(&p), "101000-301000");
	CHECK_EQ(frame_pool_alloc(&p, 2 * MIB, PG), MIB + PG);
	CHECK_EQ(p.n, 0);
}

TEST(alloc_refuses_bad_arguments)
{
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x100000, MIB), 0);
	CHECK_EQ(frame_pool_alloc(&p, 0, PG), 0);
	CHECK_EQ(frame_pool_alloc(&p, PG, 0), 0);
	CHECK_EQ(frame_pool_alloc(&p, PG, PG / 2), 0);
	CHECK_EQ(frame_pool_alloc(&p, PG, 3 * PG), 0);
	/* A size that rounds up past 2^64 must not become "0 bytes". */
	CHECK_EQ(frame_pool_alloc(&p, UINT64_MAX, PG), 0);
	CHECK_EQ(frame_pool_alloc(&p, UINT64_MAX - PG + 2, PG), 0);
	/* An alignment no free range can meet. */
	CHECK_EQ(frame_pool_alloc(&p, PG, 1ull << 63), 0);
	CHECK_STR(dump(&p), "100000-200000");
	CHECK_EQ(p.free_bytes, MIB);
}

TEST(alloc_needing_a_split_in_full_table)
{
	frame_pool_init(&p);
	for (uint64_t i = 0; i < FRAME_MAX_RANGES; i++)
		CHECK_EQ(frame_pool_free(&p, 0x10000 * i + PG, 0x4000), 0);
	/* Every range is [i*10000+1000, i*10000+5000): a 0x2000-aligned
	 * frame sits in the middle, which would need one more entry. */
	CHECK_EQ(frame_pool_alloc(&p, PG, 0x2000), 0);
	CHECK_EQ(p.n, FRAME_MAX_RANGES);
	CHECK_EQ(p.free_bytes, FRAME_MAX_RANGES * 0x4000);
	/* Taking a range's head needs no new entry. */
	CHECK_EQ(frame_pool_alloc(&p, PG, PG), PG);
	CHECK_EQ(p.r[0].base, 0x2000);
}

TEST(add_memmap_takes_usable_above_min)
{
	static struct bi_memmap m;
	static const struct bi_mem_range r[] = {
	    {0x0, 0x9f000, BI_MEM_USABLE, 0},
	    {0x9f000, 0x61000, BI_MEM_RESERVED, 0},
	    {0x100000, 0x7f00000, BI_MEM_USABLE, 0},
	    {0x8000000, 0x10000, BI_MEM_ACPI_RECLAIM, 0},
	    {0x8010000, 0x10000, BI_MEM_HANDOVER, 0},
	    {0x8020000, 0x7fe0800, BI_MEM_USABLE, 0}, /* ends mid-frame */
	    {0xfee00000, 0x1000, BI_MEM_MMIO, 0},
	};

	m.count = sizeof(r) / sizeof(r[0]);
	memcpy(m.r, r, sizeof(r));
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_add_memmap(&p, &m, MIB), 0);
	CHECK_STR(dump(&p), "100000-8000000 8020000-10000000");
	CHECK_EQ(p.free_bytes, 0x7f00000 + 0x7fe0000);

	/* min_addr inside a usable range clips it. */
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_add_memmap(&p, &m, 0x4000000), 0);
	CHECK_STR(dump(&p), "4000000-8000000 8020000-10000000");
	frame_pool_init(&p);
	CHECK_EQ(frame_pool_add_memmap(&p, &m, 0), 0);
	CHECK_STR(dump(&p), "0-9f000 100000-8000000 8020000-10000000");
	/* Adding the same map twice overlaps. */
	CHECK_EQ(frame_pool_add_memmap(&p, &m, 0), -1);
}

/* xorshift64: a fixed, portable sequence. */
static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(uint64_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state % n;
}

#define LIVE_MAX 128

struct live {
	uint64_t base, size;
};

/* The pool's invariants: sorted, merged, disjoint from live, sum exact. */
static int pool_consistent(const struct live *lv, unsigned nlive)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < p.n; i++) {
		const struct frame_range *r = &p.r[i];
		if (r->base >= r->end || (r->base | r->end) % PG)
			return 0;
		if (i && p.r[i - 1].end >= r->base)
			return 0;
		for (unsigned j = 0; j < nlive; j++)
			if (lv[j].base < r->end &&
			    r->base < lv[j].base + lv[j].size)
				return 0;
		sum += r->end - r->base;
	}
	return sum == p.free_bytes;
}

TEST(random_alloc_free_round_trip)
{
	static const char *const start =
	    "1000-9f000 100000-4000000 5000000-5400000";
	struct live lv[LIVE_MAX];
	unsigned nlive = 0, allocs = 0, misses = 0;
	uint64_t total, used = 0;

	frame_pool_init(&p);
	CHECK_EQ(frame_pool_free(&p, 0x1000, 0x9e000), 0);
	CHECK_EQ(frame_pool_free(&p, 0x5000000, 4 * MIB), 0);
	CHECK_EQ(frame_pool_free(&p, MIB, 63 * MIB), 0);
	CHECK_STR(dump(&p), start);
	total = p.free_bytes;

	for (int step = 0; step < 20000; step++) {
		if (nlive < LIVE_MAX && (nlive == 0 || rnd(3))) {
			uint64_t size = 1 + rnd(rnd(4) ? 16 * PG : 4 * MIB);
			uint64_t align = PG << rnd(10); /* 4 KiB to 2 MiB */
			uint64_t a = frame_pool_alloc(&p, size, align);
			size = (size + PG - 1) & ~(PG - 1);
			if (!a) {
				misses++;
				continue;
			}
			CHECK_EQ(a % align, 0);
			CHECK((a >= 0x1000 && a + size <= 0x9f000) ||
			      (a >= MIB && a + size <= 64 * MIB) ||
			      (a >= 0x5000000 && a + size <= 0x5400000));
			for (unsigned j = 0; j < nlive; j++)
				CHECK(a + size <= lv[j].base ||
				      lv[j].base + lv[j].size <= a);
			lv[nlive++] = (struct live){a, size};
			used += size;
			allocs++;
		} else {
			unsigned j = (unsigned)rnd(nlive);
			CHECK_EQ(frame_pool_free(&p, lv[j].base, lv[j].size),
				 0);
			/* A second free of the same run is refused. */
			CHECK_EQ(frame_pool_free(&p, lv[j].base, lv[j].size),
				 -1);
			used -= lv[j].size;
			lv[j] = lv[--nlive];
		}
		CHECK_EQ(p.free_bytes, total - used);
		CHECK(pool_consistent(lv, nlive));
	}
	CHECK(allocs > 5000);
	CHECK(misses > 0);
	while (nlive) {
		nlive--;
		CHECK_EQ(frame_pool_free(&p, lv[nlive].base, lv[nlive].size),
			 0);
	}
	CHECK_STR(dump(&p), start);
	CHECK_EQ(p.free_bytes, total);
}

int main(void)
{
	RUN(init_empties_pool);
	RUN(free_shrinks_to_whole_frames);
	RUN(free_merges_neighbours);
	RUN(free_refuses_overlap);
	RUN(free_refuses_wrap);
	RUN(free_into_full_table);
	RUN(alloc_takes_lowest_fit);
	RUN(alloc_honours_alignment);
	RUN(alloc_refuses_bad_arguments);
	RUN(alloc_needing_a_split_in_full_table);
	RUN(add_memmap_takes_usable_above_min);
	RUN(random_alloc_free_round_trip);
	return TEST_END();
}
