// SPDX-License-Identifier: MIT
/* EPT builder: pure table logic, shared by the kernel and host tests. */
#include "ept.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Entry formats: SDM vol. 3C, 29.3.2, the tables "Format of an EPT PML4
 * Entry" through "Format of an EPT Page-Table Entry that Maps a 4-KByte
 * Page".  Bits 2:0 all clear means not present.  Bit 6 (ignore PAT) stays
 * 0 so the guest's PAT still combines with the EPT memory type.
 */
#define ENT_PRESENT  0x7ull
#define ENT_MT_SHIFT 3
#define ENT_LARGE    (1ull << 7) /* PDPTE/PDE maps a 1 GiB/2 MiB page */
#define ENT_ADDR     0x000ffffffffff000ull /* bits 51:12 */

/* EPTP, SDM vol. 3C, 25.6.11. */
#define EPTP_MT_WB  6ull	/* bits 2:0: paging structures' memory type */
#define EPTP_WALK_4 (3ull << 3) /* bits 5:3: page-walk length minus 1 */

#define GPA_LIMIT (1ull << 48) /* what a 4-level walk can translate */
#define HPA_LIMIT (1ull << 46) /* sane bound, well under the 52-bit format */
#define TOP_LEVEL 4	       /* 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT */

/* What one ept_map asks for, the same at every level. */
struct req {
	uint64_t delta; /* hpa - gpa, modulo 2^64 */
	uint64_t attr;	/* leaf bits 6:0 */
};

struct leaf {
	uint64_t hpa, size;
	unsigned perm, mt;
};

static unsigned shift(int level)
{
	return 12 + 9 * (unsigned)(level - 1);
}

static uint64_t span(int level)
{
	return 1ull << shift(level);
}

static unsigned slot(uint64_t gpa, int level)
{
	return (unsigned)(gpa >> shift(level)) & 511;
}

static uint64_t *table_of(uint64_t ent)
{
	return (uint64_t *)(uintptr_t)(ent & ENT_ADDR);
}

static int is_leaf(uint64_t ent, int level)
{
	return level == 1 || (ent & ENT_LARGE);
}

/* End of the level-sized block holding a, clipped to end. */
static uint64_t chunk_end(uint64_t a, uint64_t end, int level)
{
	uint64_t next = (a & ~(span(level) - 1)) + span(level);

	return next < end ? next : end;
}

static int size_allowed(const struct ept *e, int level)
{
	if (level == 3)
		return (e->large & EPT_LARGE_1G) != 0;
	if (level == 2)
		return (e->large & EPT_LARGE_2M) != 0;
	return level == 1;
}

/* Whether [a, stop) can be a single leaf at this level. */
static int fits_leaf(const struct ept *e, int level, uint64_t a, uint64_t stop,
		     const struct req *r)
{
	uint64_t mask = span(level) - 1;

	return size_allowed(e, level) && stop - a == span(level) &&
	       !(a & mask) && !((a + r->delta) & mask);
}

static struct leaf decode(uint64_t ent, int level)
{
	struct leaf l;

	l.size = span(level);
	/* Address bits below the page size are reserved in large leaves. */
	l.hpa = ent & ENT_ADDR & ~(l.size - 1);
	l.perm = (unsigned)(ent & EPT_RWX);
	l.mt = (unsigned)(ent >> ENT_MT_SHIFT) & 7;
	return l;
}

/*
 * Dry run of install(): fails if any page of [a, end) is mapped, else adds
 * to *need the tables install() will create.  t is NULL below an entry
 * that does not exist yet.
 */
static int plan(const struct ept *e, const uint64_t *t, int level, uint64_t a,
		uint64_t end, const struct req *r, uint64_t *need)
{
	if (!t && level == 1)
		return 0; /* a new page table holds only new leaves */
	for (; a < end; a = chunk_end(a, end, level)) {
		uint64_t ent = t ? t[slot(a, level)] : 0;
		uint64_t stop = chunk_end(a, end, level);

		if (ent & ENT_PRESENT) {
			if (is_leaf(ent, level) ||
			    plan(e, table_of(ent), level - 1, a, stop, r, need))
				return -1;
		} else if (!fits_leaf(e, level, a, stop, r)) {
			++*need;
			plan(e, NULL, level - 1, a, stop, r, need);
		}
	}
	return 0;
}

/* Top the spare list up to n pages; all or nothing is not possible without
 * a way to free, so what was obtained stays there for the next call. */
static int reserve(struct ept *e, uint64_t n)
{
	while (e->spares < n) {
		uint64_t *p = e->alloc.page(e->alloc.ctx);

		if (!p)
			return -1;
		p[0] = (uint64_t)(uintptr_t)e->spare;
		e->spare = p;
		e->spares++;
	}
	return 0;
}

static uint64_t *take_spare(struct ept *e)
{
	uint64_t *p = e->spare;

	e->spare = (uint64_t *)(uintptr_t)p[0];
	p[0] = 0;
	e->spares--;
	e->tables++;
	return p;
}

/* Permissions live in the leaves; a table entry grants everything. */
static uint64_t table_entry(const uint64_t *t)
{
	return (uint64_t)(uintptr_t)t | EPT_RWX;
}

static uint64_t leaf_entry(uint64_t hpa, int level, const struct req *r)
{
	return hpa | r->attr | (level > 1 ? ENT_LARGE : 0);
}

/* Only after plan() and reserve() succeeded: it cannot fail. */
static void install(struct ept *e, uint64_t *t, int level, uint64_t a,
		    uint64_t end, const struct req *r)
{
	uint64_t stop;

	for (; a < end; a = stop) {
		uint64_t *ent = &t[slot(a, level)];

		stop = chunk_end(a, end, level);
		if (!(*ent & ENT_PRESENT)) {
			if (fits_leaf(e, level, a, stop, r)) {
				*ent = leaf_entry(a + r->delta, level, r);
				continue;
			}
			*ent = table_entry(take_spare(e));
		}
		install(e, table_of(*ent), level - 1, a, stop, r);
	}
}

/* W without R is an EPT misconfiguration (29.3.3.1); no rights at all
 * would read back as a hole. */
static int perm_ok(unsigned perm)
{
	if (perm == 0 || perm > EPT_RWX)
		return 0;
	return !(perm & EPT_W) || (perm & EPT_R);
}

static int args_ok(uint64_t gpa, uint64_t hpa, uint64_t size, unsigned perm,
		   unsigned mt)
{
	if (size == 0 || ((gpa | hpa | size) & (EPT_PAGE_4K - 1)))
		return 0;
	/* Written as subtractions so that gpa + size cannot wrap. */
	if (size > GPA_LIMIT || gpa > GPA_LIMIT - size)
		return 0;
	if (size > HPA_LIMIT || hpa > HPA_LIMIT - size)
		return 0;
	return perm_ok(perm) && (mt == EPT_MT_UC || mt == EPT_MT_WB);
}

int ept_init(struct ept *e, struct ept_alloc alloc, unsigned large)
{
	memset(e, 0, sizeof(*e));
	e->alloc = alloc;
	e->large = large & (EPT_LARGE_2M | EPT_LARGE_1G);
	e->pml4 = alloc.page(alloc.ctx);
	if (!e->pml4)
		return -1;
	e->tables = 1;
	return 0;
}

int ept_map(struct ept *e, uint64_t gpa, uint64_t hpa, uint64_t size,
	    unsigned perm, unsigned mt)
{
	struct req r = {hpa - gpa, perm | (uint64_t)mt << ENT_MT_SHIFT};
	uint64_t need = 0;

	if (!e->pml4 || !args_ok(gpa, hpa, size, perm, mt))
		return -1;
	if (plan(e, e->pml4, TOP_LEVEL, gpa, gpa + size, &r, &need) ||
	    reserve(e, need))
		return -1;
	install(e, e->pml4, TOP_LEVEL, gpa, gpa + size, &r);
	return 0;
}

int ept_lookup(const struct ept *e, uint64_t gpa, uint64_t *hpa, unsigned *perm,
	       unsigned *mt, uint64_t *page_size)
{
	const uint64_t *t = e->pml4;
	int level = TOP_LEVEL;
	uint64_t ent;

	if (!t || gpa >= GPA_LIMIT)
		return -1;
	for (;; level--, t = table_of(ent)) {
		ent = t[slot(gpa, level)];
		if (!(ent & ENT_PRESENT))
			return -1;
		if (is_leaf(ent, level))
			break;
	}
	struct leaf l = decode(ent, level);
	if (hpa)
		*hpa = l.hpa | (gpa & (l.size - 1));
	if (perm)
		*perm = l.perm;
	if (mt)
		*mt = l.mt;
	if (page_size)
		*page_size = l.size;
	return 0;
}

uint64_t ept_pointer(const struct ept *e)
{
	return (uint64_t)(uintptr_t)e->pml4 | EPTP_MT_WB | EPTP_WALK_4;
}

static uint64_t walk(const uint64_t *t, int level, uint64_t base,
		     ept_leaf_fn *fn, void *ctx)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t ent = t[i];
		uint64_t gpa = base + i * span(level);

		if (!(ent & ENT_PRESENT))
			continue;
		if (!is_leaf(ent, level)) {
			n += walk(table_of(ent), level - 1, gpa, fn, ctx);
			continue;
		}
		if (fn) {
			struct leaf l = decode(ent, level);
			fn(ctx, gpa, l.hpa, l.size, l.perm, l.mt);
		}
		n++;
	}
	return n;
}

uint64_t ept_walk(const struct ept *e, ept_leaf_fn *fn, void *ctx)
{
	return e->pml4 ? walk(e->pml4, TOP_LEVEL, 0, fn, ctx) : 0;
}
