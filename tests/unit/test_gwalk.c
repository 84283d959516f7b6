// SPDX-License-Identifier: MIT
/* Tests for arch/x86/vmx/gwalk.c: guest page tables in each paging mode. */
#include "gwalk.h"
#include "test.h"

#include <stdint.h>

/*
 * Guest RAM is the first RAM_SIZE bytes of guest-physical space, where the
 * tests build page tables by hand; pages they map may lie beyond it, since
 * translating does not touch the page itself.
 */
#define RAM_SIZE (64 * 4096)
static uint8_t ram[RAM_SIZE];

static struct {
	int reads, misaligned, crossings;
} seen;

static int ram_read64(void *ctx, uint64_t gpa, uint64_t *val)
{
	(void)ctx;
	seen.reads++;
	if (gpa & 7)
		seen.misaligned++;
	if (gpa >= RAM_SIZE || RAM_SIZE - gpa < 8)
		return -1;
	memcpy(val, ram + gpa, 8);
	return 0;
}

static int ram_read(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	(void)ctx;
	if ((gpa & 0xfff) + len > 4096)
		seen.crossings++;
	if (gpa >= RAM_SIZE || RAM_SIZE - gpa < len)
		return -1;
	memcpy(dst, ram + gpa, len);
	return 0;
}

static const struct gwalk_ops ops = {ram_read64, ram_read, NULL};

static void reset(void)
{
	memset(ram, 0, sizeof(ram));
	memset(&seen, 0, sizeof(seen));
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

/* Entry bits (SDM vol. 3A, 4.3 and 4.5). */
#define P   0x001ull
#define RW  0x002ull
#define PS  0x080ull
#define PAT 0x1000ull /* bit 12 of a large-page entry: not an address bit */
#define XD  (1ull << 63)

/* ~0 when the translation fails, so failures show in CHECK_EQ output. */
static uint64_t xlate(enum gwalk_paging mode, uint64_t cr3, uint64_t la)
{
	uint64_t gpa;

	if (gwalk_translate(mode, cr3, la, &ops, &gpa, NULL, 0))
		return ~0ull;
	return gpa;
}

/* The reason a translation fails, or "" if it does not. */
static const char *why(enum gwalk_paging mode, uint64_t cr3, uint64_t la)
{
	static char err[64];
	uint64_t gpa;

	err[0] = '\0';
	if (gwalk_translate(mode, cr3, la, &ops, &gpa, err, sizeof(err)) == 0)
		return "";
	return err;
}

TEST(mode_from_control_registers)
{
	const uint64_t pg = 1ull << 31, pse = 1u << 4, pae = 1u << 5;
	const uint64_t la57 = 1u << 12, lma = 1u << 10;

	CHECK_EQ(gwalk_mode(0, pae | la57, lma), GWALK_NONE);
	CHECK_EQ(gwalk_mode(pg, 0, 0), GWALK_32);
	CHECK_EQ(gwalk_mode(pg, pse, 0), GWALK_32_PSE);
	CHECK_EQ(gwalk_mode(pg, pae, 0), GWALK_PAE);
	CHECK_EQ(gwalk_mode(pg, pae | pse, 0), GWALK_PAE);
	CHECK_EQ(gwalk_mode(pg, pae, lma), GWALK_4LEVEL);
	CHECK_EQ(gwalk_mode(pg, pae | la57, lma), GWALK_5LEVEL);
}

TEST(paging_off_is_identity)
{
	reset();
	CHECK_EQ(xlate(GWALK_NONE, 0x1000, 0x12345), 0x12345);
	CHECK_EQ(xlate(GWALK_NONE, 0, 0xfffffff0), 0xfffffff0);
	CHECK_EQ(xlate(GWALK_NONE, 0, 0x100001000), 0x1000); /* 32 bits */
	CHECK_EQ(seen.reads, 0);
}

/* 32-bit paging: directory at 0x1000, one table at 0x2000. */
static void build_32(void)
{
	reset();
	/* la 0x12345678: PDE 0x48, PTE 0x345 (odd: the high half of a
	 * qword), offset 0x678. */
	put32(0x1000 + 0x48 * 4, 0x2000 | P | RW);
	put32(0x2000 + 0x345 * 4, 0x0abcd000 | P);
	put32(0x2000 + 0x344 * 4, 0x0000f000 | P);
	put32(0x2000 + 0x346 * 4, 0x0abce000);	  /* not present */
	put32(0x1000 + 0x49 * 4, 0x7fff0000 | P); /* table outside RAM */
	/* A 4 MiB page at la 0xc0000000, and one above 4 GiB (PSE-36:
	 * PDE bits 20:13 are address bits 39:32). */
	put32(0x1000 + 0x300 * 4, 0x40000000 | PS | P);
	put32(0x1000 + 0x301 * 4, 0x00400000 | (0x05u << 13) | PS | P);
}

TEST(paging_32_4k)
{
	build_32();
	CHECK_EQ(xlate(GWALK_32, 0x1000, 0x12345678), 0x0abcd678);
	CHECK_EQ(xlate(GWALK_32, 0x1000, 0x12344fff), 0x0000ffff);
	/* CR3 flag bits and la bits above 31 do not matter. */
	CHECK_EQ(xlate(GWALK_32, 0x1018, 0x12345000), 0x0abcd000);
	CHECK_EQ(xlate(GWALK_32_PSE, 0x1000, 0xffffffff12345678), 0x0abcd678);
	CHECK_EQ(seen.misaligned, 0);
}

TEST(paging_32_faults)
{
	build_32();
	CHECK_STR(why(GWALK_32, 0x1000, 0x00400000), "PDE not present");
	CHECK_STR(why(GWALK_32, 0x1000, 0x12346000), "PTE not present");
	CHECK_STR(why(GWALK_32, 0x1000, 0x12400000), "PTE outside guest RAM");
	CHECK_STR(why(GWALK_32, 0x7fff0000, 0x12345678),
		  "PDE outside guest RAM");
}

TEST(paging_32_4m_needs_pse)
{
	build_32();
	CHECK_EQ(xlate(GWALK_32_PSE, 0x1000, 0xc0123456), 0x40123456);
	CHECK_EQ(xlate(GWALK_32_PSE, 0x1000, 0xc03fffff), 0x403fffff);
	CHECK_EQ(xlate(GWALK_32_PSE, 0x1000, 0xc0401234), 0x500401234);
	/* Without CR4.PSE the PS bit is ignored: 0x40000000 is a table,
	 * and not in guest RAM. */
	CHECK_STR(why(GWALK_32, 0x1000, 0xc0123456), "PTE outside guest RAM");
	/* 4 KiB pages still work with PSE on. */
	CHECK_EQ(xlate(GWALK_32_PSE, 0x1000, 0x12345678), 0x0abcd678);
}

/* PAE: PDPT at 0x3020 (32-byte aligned only), directory 0x4000, table
 * 0x5000. */
static void build_pae(void)
{
	reset();
	/* la 0x80401234: PDPTE 2, PDE 2, PTE 1, offset 0x234. */
	put64(0x3020 + 2 * 8, 0x4000 | P);
	put64(0x4000 + 2 * 8, 0x5000 | P | RW);
	put64(0x5000 + 1 * 8, XD | 0x876543000 | P);
	/* la 0x80600000: PDE 3 maps 2 MiB, PAT set. */
	put64(0x4000 + 3 * 8, 0x123400000 | PAT | PS | P);
	put64(0x4000 + 4 * 8, 0x200000 | PS); /* not present */
	/* PDPTE 3 with PS: reserved in PAE, so not a 1 GiB page. */
	put64(0x3020 + 3 * 8, 0x5000 | PS | P);
}

TEST(paging_pae)
{
	build_pae();
	CHECK_EQ(xlate(GWALK_PAE, 0x3020, 0x80401234), 0x876543234);
	CHECK_EQ(xlate(GWALK_PAE, 0x3020, 0x80605678), 0x123405678);
	CHECK_EQ(xlate(GWALK_PAE, 0x3020, 0xffffffff80401234), 0x876543234);
	/* Through PDPTE 3, 0x5000 is a directory whose entry 1 (PS clear)
	 * names a table outside guest RAM. */
	CHECK_STR(why(GWALK_PAE, 0x3020, 0xc0200000), "PTE outside guest RAM");
	CHECK_STR(why(GWALK_PAE, 0x3020, 0x40000000), "PDPTE not present");
	CHECK_STR(why(GWALK_PAE, 0x3020, 0x80800000), "PDE not present");
	CHECK_STR(why(GWALK_PAE, 0x3020, 0x80402000), "PTE not present");
	CHECK_EQ(seen.misaligned, 0);
}

/* A 4-level linear address from its table indices. */
#define LA4(l4, l3, l2, l1, off)                                              \
	((uint64_t)(l4) << 39 | (uint64_t)(l3) << 30 | (uint64_t)(l2) << 21 | \
	 (uint64_t)(l1) << 12 | (off))

#define HIGH (0xffffull << 48) /* sign extension of PML4 index >= 256 */

/* PML4 0x6000, PDPT 0x7000, directory 0x8000, table 0x9000. */
static void build_4level(void)
{
	reset();
	put64(0x6000 + 3 * 8, 0x7000 | P);
	put64(0x7000 + 5 * 8, 0x8000 | P);
	put64(0x8000 + 7 * 8, 0x9000 | P);
	put64(0x9000 + 9 * 8, XD | 0xfedcba000 | P);
	put64(0x7000 + 6 * 8, 0xc0000000 | PAT | PS | P); /* 1 GiB */
	put64(0x8000 + 8 * 8, 0x00a00000 | PAT | PS | P); /* 2 MiB */
	put64(0x8000 + 10 * 8, 0x10000000 | P);		  /* outside RAM */
	put64(0x6000 + 511 * 8, 0x7000 | P); /* the top 512 GiB too */
}

TEST(paging_4level_4k)
{
	build_4level();
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000, LA4(3, 5, 7, 9, 0x123)),
		 0xfedcba123);
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000 | 0x18, LA4(3, 5, 7, 9, 0xfff)),
		 0xfedcbafff);
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000, HIGH | LA4(511, 5, 7, 9, 0x42)),
		 0xfedcba042);
	CHECK_EQ(seen.reads, 12);
	CHECK_EQ(seen.misaligned, 0);
}

TEST(paging_4level_large_pages)
{
	build_4level();
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000, LA4(3, 6, 0x1ff, 0x1ff, 0xfff)),
		 0xffffffff);
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000, LA4(3, 6, 1, 2, 0x345)),
		 0xc0202345);
	CHECK_EQ(xlate(GWALK_4LEVEL, 0x6000, LA4(3, 5, 8, 0x1ab, 0xcde)),
		 0x00babcde);
}

TEST(paging_4level_faults)
{
	build_4level();
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(2, 5, 7, 9, 0)),
		  "PML4E not present");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(3, 4, 7, 9, 0)),
		  "PDPTE not present");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(3, 5, 6, 9, 0)),
		  "PDE not present");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(3, 5, 7, 8, 0)),
		  "PTE not present");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(3, 5, 10, 0, 0)),
		  "PTE outside guest RAM");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, 1ull << 47),
		  "non-canonical address");
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, LA4(511, 5, 7, 9, 0)),
		  "non-canonical address");
}

TEST(paging_5level)
{
	build_4level();
	/* PML5 at 0xa000: entry 1 leads to the 4-level tree. */
	put64(0xa000 + 1 * 8, 0x6000 | P);
	CHECK_EQ(
	    xlate(GWALK_5LEVEL, 0xa000, 1ull << 48 | LA4(3, 5, 7, 9, 0x77)),
	    0xfedcba077);
	CHECK_STR(why(GWALK_5LEVEL, 0xa000, LA4(3, 5, 7, 9, 0)),
		  "PML5E not present");
	CHECK_STR(why(GWALK_5LEVEL, 0xa000, 1ull << 56),
		  "non-canonical address");
	/* 1 << 48 is fine with 5 levels, not with 4. */
	CHECK_STR(why(GWALK_4LEVEL, 0x6000, 1ull << 48),
		  "non-canonical address");
}

TEST(bad_mode_and_err_buffer)
{
	char err[5] = "keep";
	uint64_t gpa;

	reset();
	CHECK(gwalk_translate((enum gwalk_paging)42, 0, 0, &ops, &gpa, err,
			      sizeof(err)) == -1);
	CHECK_STR(err, "unkn");
	CHECK(gwalk_translate(GWALK_4LEVEL, 0x6000, 0, &ops, &gpa, NULL, 0) ==
	      -1);
}

/* Code at la 0x400ff8..: its two pages are far apart, the second first. */
static void build_code(void)
{
	build_4level();
	put64(0x6000 + 0 * 8, 0x7000 | P);
	put64(0x7000 + 0 * 8, 0x8000 | P);
	put64(0x8000 + 2 * 8, 0x9000 | P);
	put64(0x9000 + 0 * 8, 0x30000 | P);
	put64(0x9000 + 1 * 8, 0x20000 | P);
	put64(0x9000 + 3 * 8, 0x3f000000 | P); /* outside RAM */
	for (int i = 0; i < 8; i++)
		ram[0x30ff8 + i] = (uint8_t)(0xa0 + i);
	for (int i = 0; i < 8; i++)
		ram[0x20000 + i] = (uint8_t)(0xb0 + i);
}

TEST(fetch_across_pages)
{
	static const uint8_t want[15] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4,
					 0xa5, 0xa6, 0xa7, 0xb0, 0xb1,
					 0xb2, 0xb3, 0xb4, 0xb5, 0xb6};
	uint8_t buf[15];

	build_code();
	CHECK_EQ(
	    gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x400ff8, buf, 15, &ops, NULL, 0),
	    15);
	CHECK(memcmp(buf, want, 15) == 0);
	CHECK_EQ(
	    gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x400ffc, buf, 4, &ops, NULL, 0),
	    4);
	CHECK(memcmp(buf, want + 4, 4) == 0);
	CHECK_EQ(seen.crossings, 0);
}

TEST(fetch_stops_at_a_bad_page)
{
	char err[64];
	uint8_t buf[15];

	build_code();
	/* la 0x401ffc: four bytes, then a page that is not present. */
	CHECK_EQ(gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x401ffc, buf, 15, &ops, err,
			     sizeof(err)),
		 4);
	CHECK_STR(err, "PTE not present");
	CHECK_EQ(gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x402000, buf, 15, &ops, err,
			     sizeof(err)),
		 0);
	CHECK_EQ(gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x403000, buf, 15, &ops, err,
			     sizeof(err)),
		 0);
	CHECK_STR(err, "code outside guest RAM");
	CHECK_EQ(gwalk_fetch(GWALK_4LEVEL, 0x6000, 0x400ff8, buf, 0, &ops, err,
			     sizeof(err)),
		 0);
}

TEST(fetch_without_paging)
{
	uint8_t buf[4];

	reset();
	ram[0x7ffe] = 1;
	ram[0x7fff] = 2;
	ram[0x8000] = 3;
	ram[0x8001] = 4;
	CHECK_EQ(gwalk_fetch(GWALK_NONE, 0, 0x7ffe, buf, 4, &ops, NULL, 0), 4);
	CHECK(memcmp(buf, "\x01\x02\x03\x04", 4) == 0);
	CHECK_EQ(seen.crossings, 0);
}

int main(void)
{
	RUN(mode_from_control_registers);
	RUN(paging_off_is_identity);
	RUN(paging_32_4k);
	RUN(paging_32_faults);
	RUN(paging_32_4m_needs_pse);
	RUN(paging_pae);
	RUN(paging_4level_4k);
	RUN(paging_4level_large_pages);
	RUN(paging_4level_faults);
	RUN(paging_5level);
	RUN(bad_mode_and_err_buffer);
	RUN(fetch_across_pages);
	RUN(fetch_stops_at_a_bad_page);
	RUN(fetch_without_paging);
	return TEST_END();
}
