// SPDX-License-Identifier: MIT
/* Tests for arch/x86/vmx/ept.c: page sizes, holes, refusals, entry bits. */
#include "ept.h"
#include "test.h"

#include <stdlib.h>

#define KIB4 EPT_PAGE_4K
#define MIB2 EPT_PAGE_2M
#define GIB  EPT_PAGE_1G
#define BOTH (EPT_LARGE_2M | EPT_LARGE_1G)

/*
 * Every page handed out is remembered, so a test that stops at a failed
 * CHECK leaks nothing either: the next start() or main() frees it.
 */
#define POOL_MAX 64
static struct {
	void *page[POOL_MAX];
	int n;
	int limit; /* pages to give before reporting no memory; -1: no limit */
} pool;

static void *pool_page(void *ctx)
{
	void *p;

	(void)ctx;
	if (pool.n == pool.limit || pool.n == POOL_MAX)
		return NULL;
	p = aligned_alloc(4096, 4096);
	if (!p)
		return NULL;
	memset(p, 0, 4096);
	pool.page[pool.n++] = p;
	return p;
}

static void pool_release(void)
{
	while (pool.n > 0)
		free(pool.page[--pool.n]);
	pool.limit = -1;
}

static int start(struct ept *e, unsigned large)
{
	pool_release();
	return ept_init(e, (struct ept_alloc){pool_page, NULL}, large);
}

/* Leaves as ept_walk reports them, for counting and before/after diffs. */
#define LEAVES_MAX 1100
struct leaves {
	uint64_t n, by_size[3]; /* 4K, 2M, 1G */
	struct {
		uint64_t gpa, hpa, size;
		unsigned perm, mt;
	} l[LEAVES_MAX];
};

static void collect(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size,
		    unsigned perm, unsigned mt)
{
	struct leaves *s = ctx;

	s->by_size[size == KIB4 ? 0 : size == MIB2 ? 1 : 2]++;
	if (s->n < LEAVES_MAX) {
		s->l[s->n].gpa = gpa;
		s->l[s->n].hpa = hpa;
		s->l[s->n].size = size;
		s->l[s->n].perm = perm;
		s->l[s->n].mt = mt;
	}
	s->n++;
}

static uint64_t snapshot(const struct ept *e, struct leaves *s)
{
	memset(s, 0, sizeof(*s));
	return ept_walk(e, collect, s);
}

static int same(const struct leaves *a, const struct leaves *b)
{
	return a->n == b->n && !memcmp(a->l, b->l, sizeof(a->l));
}

static uint64_t hpa_of(const struct ept *e, uint64_t gpa)
{
	uint64_t hpa;

	return ept_lookup(e, gpa, &hpa, NULL, NULL, NULL) ? ~0ull : hpa;
}

TEST(one_gib_leaves_when_supported)
{
	static struct leaves s;
	struct ept e;
	uint64_t size;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, GIB, 4 * GIB, 2 * GIB, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 2);
	CHECK_EQ(s.by_size[2], 2);
	CHECK_EQ(s.l[1].gpa, 2 * GIB);
	CHECK_EQ(s.l[1].hpa, 5 * GIB);
	CHECK(ept_lookup(&e, GIB + 0x1234, NULL, NULL, NULL, &size) == 0);
	CHECK_EQ(size, GIB);
	CHECK_EQ(hpa_of(&e, 3 * GIB - KIB4), 6 * GIB - KIB4);
	CHECK_EQ(e.tables, 2); /* PML4, PDPT */
	pool_release();
}

TEST(two_mib_leaves_without_1g)
{
	static struct leaves s;
	struct ept e;

	CHECK(start(&e, EPT_LARGE_2M) == 0);
	CHECK(ept_map(&e, GIB, 4 * GIB, 2 * GIB, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 1024);
	CHECK_EQ(s.by_size[1], 1024);
	CHECK_EQ(hpa_of(&e, 2 * GIB + MIB2 + 8), 5 * GIB + MIB2 + 8);
	CHECK_EQ(e.tables, 4); /* PML4, PDPT, two PDs */
	pool_release();
}

TEST(four_kib_leaves_without_large_pages)
{
	static struct leaves s;
	struct ept e;

	CHECK(start(&e, 0) == 0);
	CHECK(ept_map(&e, 0, GIB, 2 * MIB2, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 1024);
	CHECK_EQ(s.by_size[0], 1024);
	CHECK_EQ(e.tables, 5);
	pool_release();
}

TEST(unaligned_ends_get_4k_middle_2m)
{
	static struct leaves s;
	struct ept e;
	uint64_t gpa = MIB2 - 4 * KIB4;

	CHECK(start(&e, BOTH) == 0);
	/* 4 pages before the first 2 MiB boundary, 2 x 2 MiB, 2 pages. */
	CHECK(ept_map(&e, gpa, gpa + 2 * GIB, 4 * KIB4 + 2 * MIB2 + 2 * KIB4,
		      EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 8);
	CHECK_EQ(s.by_size[0], 6);
	CHECK_EQ(s.by_size[1], 2);
	CHECK_EQ(s.by_size[2], 0);
	CHECK_EQ(s.l[3].size, KIB4);
	CHECK_EQ(s.l[4].gpa, MIB2);
	CHECK_EQ(s.l[4].size, MIB2);
	CHECK_EQ(s.l[6].gpa, 3 * MIB2);
	CHECK_EQ(s.l[6].size, KIB4);
	for (uint64_t i = 1; i < s.n; i++)
		CHECK(s.l[i].gpa == s.l[i - 1].gpa + s.l[i - 1].size);
	pool_release();
}

TEST(different_alignment_falls_back)
{
	static struct leaves s;
	struct ept e;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, MIB2, 3 * MIB2 + KIB4, 2 * MIB2, EPT_RWX,
		      EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 1024);
	CHECK_EQ(s.by_size[0], 1024);
	CHECK_EQ(hpa_of(&e, 2 * MIB2 + 0x10), 4 * MIB2 + KIB4 + 0x10);
	/* 1 GiB-aligned gpa, hpa only 2 MiB-aligned: 2 MiB leaves. */
	CHECK(ept_map(&e, GIB, 8 * GIB + MIB2, GIB, EPT_R, EPT_MT_WB) == 0);
	CHECK_EQ(snapshot(&e, &s), 1024 + 512);
	CHECK_EQ(s.by_size[1], 512);
	CHECK_EQ(s.by_size[2], 0);
	pool_release();
}

#define BASE 0x40000000ull
#define MIB  0x100000ull

static void outside_partition(void *ctx, uint64_t gpa, uint64_t hpa,
			      uint64_t size, unsigned perm, unsigned mt)
{
	uint64_t *bad = ctx;

	(void)perm;
	(void)mt;
	if (hpa < BASE || hpa + size > BASE + 16 * MIB || hpa != BASE + gpa)
		++*bad;
}

TEST(pc_layout_16m_guest)
{
	static struct leaves s;
	struct ept e;
	uint64_t bad = 0, bytes = 0;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, 0, BASE, 0xA0000, EPT_RWX, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, 0xE0000, BASE + 0xE0000, 16 * MIB - 0xE0000, EPT_RWX,
		      EPT_MT_WB) == 0);
	for (uint64_t gpa = 0xA0000; gpa < 0xE0000; gpa += 0x7ff)
		CHECK(ept_lookup(&e, gpa, NULL, NULL, NULL, NULL) == -1);
	CHECK(ept_lookup(&e, 16 * MIB, NULL, NULL, NULL, NULL) == -1);
	CHECK_EQ(hpa_of(&e, 0), BASE);
	CHECK_EQ(hpa_of(&e, 0x9FFFF), BASE + 0x9FFFF);
	CHECK_EQ(hpa_of(&e, 0xE0000), BASE + 0xE0000);
	CHECK_EQ(hpa_of(&e, 0x100000), BASE + 0x100000);
	CHECK_EQ(hpa_of(&e, 5 * MIB + 3), BASE + 5 * MIB + 3);
	CHECK_EQ(hpa_of(&e, 16 * MIB - 1), BASE + 16 * MIB - 1);
	ept_walk(&e, outside_partition, &bad);
	CHECK_EQ(bad, 0);
	CHECK_EQ(snapshot(&e, &s), 160 + 288 + 7);
	for (uint64_t i = 0; i < s.n; i++)
		bytes += s.l[i].size;
	CHECK_EQ(bytes, 16 * MIB - 0x40000);
	CHECK_EQ(e.tables, 4);
	pool_release();
}

TEST(overlap_refused_tables_unchanged)
{
	static struct leaves before, after;
	struct ept e;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, MIB2, GIB + MIB2, 2 * MIB2, EPT_RWX, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, 2 * GIB, 2 * GIB, GIB, EPT_RWX, EPT_MT_WB) == 0);
	snapshot(&e, &before);
	uint32_t tables = e.tables;
	/* Tail, head, inside, around, and a single page in a 1 GiB leaf;
	 * the first also needs a new table before it reaches the overlap. */
	CHECK(ept_map(&e, 0, KIB4, MIB2 + KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 3 * MIB2 - KIB4, 0, MIB2, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, MIB2 + KIB4, 0, KIB4, EPT_R, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, GIB, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 2 * GIB + 5 * KIB4, 0, KIB4, EPT_R, EPT_MT_UC) == -1);
	snapshot(&e, &after);
	CHECK(same(&before, &after));
	CHECK_EQ(e.tables, tables);
	CHECK_EQ(e.spares, 0);
	/* Right next to the existing ranges is fine. */
	CHECK(ept_map(&e, 0, 0, MIB2, EPT_RWX, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, 3 * MIB2, 0, KIB4, EPT_RWX, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, 2 * GIB - KIB4, 0, KIB4, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(ept_walk(&e, NULL, NULL), before.n + 3);
	pool_release();
}

TEST(bad_arguments_refused)
{
	struct ept e;
	const uint64_t top = 1ull << 48, hpa_top = 1ull << 46;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, 0x1000 + 8, 0, KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0x800, KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, 0x800, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, 0, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_W, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_W | EPT_X, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, 0, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, 8 | EPT_R, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, 1) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, 5) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, 7) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, 8 | EPT_MT_WB) == -1);
	CHECK(ept_map(&e, top, 0, KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, top - KIB4, 0, 2 * KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, ~0ull - KIB4 + 1, 0, 2 * KIB4, EPT_RWX, EPT_MT_WB) ==
	      -1);
	CHECK(ept_map(&e, KIB4, 0, ~0ull - KIB4 + 1, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, hpa_top, KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_map(&e, 0, ~0ull - KIB4 + 1, 2 * KIB4, EPT_RWX, EPT_MT_WB) ==
	      -1);
	CHECK_EQ(ept_walk(&e, NULL, NULL), 0);
	CHECK_EQ(e.tables, 1);
	CHECK_EQ(pool.n, 1);
	/* The very last pages on both sides are in bounds. */
	CHECK(ept_map(&e, top - KIB4, hpa_top - KIB4, KIB4, EPT_R, EPT_MT_WB) ==
	      0);
	CHECK_EQ(hpa_of(&e, top - 1), hpa_top - 1);
	CHECK(ept_lookup(&e, top, NULL, NULL, NULL, NULL) == -1);
	pool_release();
}

TEST(out_of_memory_leaves_mappings_unchanged)
{
	static struct leaves before, after;
	struct ept e;
	uint64_t pml4_copy[512];

	CHECK(start(&e, EPT_LARGE_2M) == 0);
	CHECK(ept_map(&e, 0, GIB, 4 * MIB2, EPT_RWX, EPT_MT_WB) == 0);
	snapshot(&e, &before);
	memcpy(pml4_copy, e.pml4, sizeof(pml4_copy));
	uint32_t tables = e.tables;
	/* Needs a PDPT, a PD and three PTs past 512 GiB; two pages left. */
	pool.limit = pool.n + 2;
	CHECK(ept_map(&e, 512 * GIB + KIB4, 2 * KIB4, 2 * MIB2, EPT_RWX,
		      EPT_MT_WB) == -1);
	snapshot(&e, &after);
	CHECK(same(&before, &after));
	CHECK(!memcmp(pml4_copy, e.pml4, sizeof(pml4_copy)));
	CHECK_EQ(e.tables, tables);
	CHECK_EQ(e.tables + e.spares, pool.n);
	/* With memory back, the same call succeeds and uses the spares. */
	pool.limit = -1;
	CHECK(ept_map(&e, 512 * GIB + KIB4, 2 * KIB4, 2 * MIB2, EPT_RWX,
		      EPT_MT_WB) == 0);
	CHECK_EQ(e.spares, 0);
	CHECK_EQ(e.tables, tables + 5);
	CHECK_EQ(e.tables, pool.n);
	CHECK_EQ(hpa_of(&e, 512 * GIB + 2 * MIB2), 2 * MIB2 + KIB4);
	pool_release();
}

TEST(init_out_of_memory)
{
	struct ept e;

	pool_release();
	pool.limit = 0;
	CHECK(ept_init(&e, (struct ept_alloc){pool_page, NULL}, BOTH) == -1);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, EPT_MT_WB) == -1);
	CHECK(ept_lookup(&e, 0, NULL, NULL, NULL, NULL) == -1);
	CHECK_EQ(ept_walk(&e, NULL, NULL), 0);
	pool_release();
}

TEST(type_and_permissions_round_trip)
{
	static const unsigned perms[] = {
	    EPT_R, EPT_R | EPT_W, EPT_R | EPT_X, EPT_RWX, EPT_X,
	};
	static const unsigned mts[] = {EPT_MT_UC, EPT_MT_WB};
	struct ept e;
	uint64_t gpa = 0, hpa, size;
	unsigned perm, mt;

	CHECK(start(&e, BOTH) == 0);
	for (size_t i = 0; i < sizeof(perms) / sizeof(perms[0]); i++) {
		for (size_t j = 0; j < 2; j++, gpa += KIB4) {
			CHECK(ept_map(&e, gpa, gpa + MIB, KIB4, perms[i],
				      mts[j]) == 0);
			CHECK(ept_lookup(&e, gpa + 9, &hpa, &perm, &mt,
					 &size) == 0);
			CHECK_EQ(hpa, gpa + MIB + 9);
			CHECK_EQ(perm, perms[i]);
			CHECK_EQ(mt, mts[j]);
			CHECK_EQ(size, KIB4);
		}
	}
	CHECK(ept_map(&e, GIB, GIB, MIB2, EPT_R | EPT_W, EPT_MT_UC) == 0);
	CHECK(ept_lookup(&e, GIB + MIB, &hpa, &perm, &mt, &size) == 0);
	CHECK_EQ(perm, EPT_R | EPT_W);
	CHECK_EQ(mt, EPT_MT_UC);
	CHECK_EQ(size, MIB2);
	pool_release();
}

/* The raw bits the CPU reads, not just what lookup decodes back. */
TEST(entry_bits)
{
	struct ept e;
	const uint64_t addr = 0x000ffffffffff000ull;

	CHECK(start(&e, BOTH) == 0);
	CHECK(ept_map(&e, 0, 3 * GIB, GIB, EPT_R | EPT_X, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, GIB, 2 * MIB2, MIB2, EPT_R, EPT_MT_UC) == 0);
	CHECK(ept_map(&e, GIB + MIB2, 5 * KIB4, KIB4, EPT_RWX, EPT_MT_WB) == 0);
	uint64_t pml4e = e.pml4[0];
	CHECK_EQ(pml4e & ~addr, EPT_RWX);
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4e & addr);
	CHECK_EQ(pdpt[0], 3 * GIB | 1ull << 7 | 6 << 3 | EPT_R | EPT_X);
	CHECK_EQ(pdpt[1] & ~addr, EPT_RWX);
	uint64_t *pd = (uint64_t *)(uintptr_t)(pdpt[1] & addr);
	CHECK_EQ(pd[0], 2 * MIB2 | 1ull << 7 | EPT_R); /* memory type 0: UC */
	CHECK_EQ(pd[1] & ~addr, EPT_RWX);
	uint64_t *pt = (uint64_t *)(uintptr_t)(pd[1] & addr);
	CHECK_EQ(pt[0], 5 * KIB4 | 6 << 3 | EPT_RWX);
	CHECK_EQ(pt[1], 0);
	pool_release();
}

TEST(eptp_format)
{
	struct ept e;

	CHECK(start(&e, BOTH) == 0);
	uint64_t p = ept_pointer(&e);
	CHECK_EQ(p & 7, 6);
	CHECK_EQ(p >> 3 & 7, 3);
	CHECK_EQ(p >> 6 & 1, 0);
	CHECK_EQ(p & 0xf80, 0);
	CHECK_EQ(p & ~0xfffull, (uintptr_t)e.pml4);
	pool_release();
}

TEST(table_count_matches_allocations)
{
	struct ept e;

	CHECK(start(&e, BOTH) == 0);
	CHECK_EQ(e.tables, pool.n);
	CHECK(ept_map(&e, 0, 0, KIB4, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(e.tables, 4);
	CHECK_EQ(e.tables, pool.n);
	/* Same page table, then same PD, then new PML4 slot. */
	CHECK(ept_map(&e, KIB4, 0, KIB4, EPT_RWX, EPT_MT_WB) == 0);
	CHECK(ept_map(&e, MIB2, 0, MIB2, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(e.tables, 4);
	CHECK(ept_map(&e, 1024 * GIB, 0, GIB + MIB2, EPT_RWX, EPT_MT_WB) == 0);
	CHECK_EQ(e.tables, 6);
	CHECK_EQ(e.tables, pool.n);
	pool_release();
}

int main(void)
{
	pool.limit = -1;
	RUN(one_gib_leaves_when_supported);
	RUN(two_mib_leaves_without_1g);
	RUN(four_kib_leaves_without_large_pages);
	RUN(unaligned_ends_get_4k_middle_2m);
	RUN(different_alignment_falls_back);
	RUN(pc_layout_16m_guest);
	RUN(overlap_refused_tables_unchanged);
	RUN(bad_arguments_refused);
	RUN(out_of_memory_leaves_mappings_unchanged);
	RUN(init_out_of_memory);
	RUN(type_and_permissions_round_trip);
	RUN(entry_bits);
	RUN(eptp_format);
	RUN(table_count_matches_allocations);
	pool_release();
	return TEST_END();
}
