// SPDX-License-Identifier: MIT
/* Tests for arch/x86/vmx/xstate.c: the XSAVE layout guests are told of. */
#include "test.h"
#include "xstate.h"

/* CPUID leaf 0xD as a CPU answers it: sub-leaf 0's EDX:EAX and, for each
 * component i, EAX (size), EBX (offset), ECX. */
struct leaf {
	uint64_t listed;
	uint32_t sub[XSTATE_MAX][3];
};

/* Bochs 2.7, model tigerlake (read off a Linux guest's boot log): PKRU
 * listed with neither size nor offset. */
static const struct leaf bochs = {
    .listed = 0x2e7,
    .sub = {[2] = {0x100, 0x240, 0},
	    [5] = {0x40, 0x440, 0},
	    [6] = {0x200, 0x480, 0},
	    [7] = {0x400, 0x680, 0}},
};

/* A Skylake-SP as the SDM's tables give it: PKRU described. */
static const struct leaf skylake = {
    .listed = 0x2ff,
    .sub = {[2] = {0x100, 0x240, 0},
	    [3] = {0x40, 0x3c0, 0},
	    [4] = {0x40, 0x400, 0},
	    [5] = {0x40, 0x440, 0},
	    [6] = {0x200, 0x480, 0},
	    [7] = {0x400, 0x680, 0},
	    [9] = {0x8, 0xa80, 0}},
};

static struct xstate_layout lay;

static void build(const struct leaf *f)
{
	xstate_init(&lay);
	for (unsigned i = 0; i < XSTATE_MAX; i++)
		xstate_describe(&lay, f->listed, i, f->sub[i][0], f->sub[i][1],
				f->sub[i][2]);
}

TEST(undescribed_components_are_not_offered)
{
	build(&bochs);
	CHECK_EQ(lay.offered, 0xe7); /* PKRU (bit 9) dropped */
	CHECK_EQ(xstate_size_standard(&lay, lay.offered), 0xa80);
	/* What Linux enables: x87, SSE, AVX and AVX-512. */
	CHECK_EQ(xstate_size_standard(&lay, 0x2e7), 0xa80);
	CHECK_EQ(xstate_size_compacted(&lay, 0xe7),
		 576 + 256 + 64 + 512 + 1024);
}

TEST(described_components_are_offered)
{
	build(&skylake);
	CHECK_EQ(lay.offered, 0x2ff);
	CHECK_EQ(xstate_size_standard(&lay, lay.offered), 0xa88);
	CHECK_EQ(xstate_size_standard(&lay, XSTATE_X87_SSE), XSTATE_BASE);
	CHECK_EQ(xstate_size_standard(&lay, 0x7), 0x340);
	/* Compacted: packed in order, MPX and PKRU included. */
	CHECK_EQ(xstate_size_compacted(&lay, lay.offered),
		 576 + 256 + 64 + 64 + 64 + 512 + 1024 + 8);
	CHECK_EQ(xstate_size_compacted(&lay, 0x207), 576 + 256 + 8);
	CHECK_EQ(xstate_size_compacted(&lay, XSTATE_X87_SSE), XSTATE_BASE);
}

/* AMX-like: TILECFG and TILEDATA (17, 18), the second marked aligned. */
static const struct leaf amx = {
    .listed = 0x60007,
    .sub = {[2] = {0x100, 0x240, 0},
	    [17] = {0x40, 0xac0, 0},
	    [18] = {0x2000, 0xb00, 2}},
};

TEST(aligned_components_start_on_64_bytes)
{
	struct leaf f = amx;
	build(&f);
	CHECK_EQ(lay.offered, 0x60007);
	/* 576 + 256 + 64 = 896, a multiple of 64 already; make it not. */
	f.sub[17][0] = 0x10;
	build(&f);
	CHECK_EQ(xstate_size_compacted(&lay, 0x60007),
		 ((576 + 256 + 16 + 63) & ~63u) + 0x2000);
	CHECK_EQ(xstate_size_compacted(&lay, 0x20007), 576 + 256 + 16);
	CHECK_EQ(xstate_size_standard(&lay, 0x60007), 0xb00 + 0x2000);
}

TEST(bad_descriptions_are_ignored)
{
	struct leaf f = {.listed = 0x277,
			 .sub = {[2] = {0x100, 0x240, 0},
				 [4] = {0x40, 0x100, 0}, /* inside the header */
				 [5] = {0x40, 0xffffffe0, 0}, /* wraps */
				 [6] = {0x200, 0x480, 0},
				 [8] = {0x80, 0x500, 0}}}; /* not listed */
	build(&f);
	CHECK_EQ(lay.offered, 0x47);
	/* Sub-leaves 0 and 1 are not components. */
	xstate_describe(&lay, ~0ull, 1, 0x40, 0x600, 0);
	xstate_describe(&lay, ~0ull, 63, 0x40, 0x600, 0);
	CHECK_EQ(lay.offered, 0x47);
}

TEST(xcr0_values_xsetbv_takes)
{
	build(&skylake);
	CHECK(xstate_xcr0_valid(&lay, 0x1));
	CHECK(xstate_xcr0_valid(&lay, 0x3));
	CHECK(xstate_xcr0_valid(&lay, 0x7));
	CHECK(xstate_xcr0_valid(&lay, 0xe7));
	CHECK(xstate_xcr0_valid(&lay, 0x2ff));
	CHECK(xstate_xcr0_valid(&lay, 0x1b)); /* MPX without AVX */
	CHECK(!xstate_xcr0_valid(&lay, 0x0)); /* no x87 */
	CHECK(!xstate_xcr0_valid(&lay, 0x2));
	CHECK(!xstate_xcr0_valid(&lay, 0x5));	/* AVX without SSE */
	CHECK(!xstate_xcr0_valid(&lay, 0xb));	/* BNDREGS alone */
	CHECK(!xstate_xcr0_valid(&lay, 0x13));	/* BNDCSR alone */
	CHECK(!xstate_xcr0_valid(&lay, 0x27));	/* opmask alone */
	CHECK(!xstate_xcr0_valid(&lay, 0xa7));	/* two of AVX-512's three */
	CHECK(!xstate_xcr0_valid(&lay, 0xe3));	/* AVX-512 without AVX */
	CHECK(!xstate_xcr0_valid(&lay, 0x403)); /* not offered */
	CHECK(!xstate_xcr0_valid(&lay, 1ull << 63));
	build(&bochs);
	CHECK(!xstate_xcr0_valid(&lay, 0x2e7)); /* PKRU is not offered */
	CHECK(xstate_xcr0_valid(&lay, 0xe7));
}

TEST(amx_goes_whole)
{
	build(&amx);
	CHECK(xstate_xcr0_valid(&lay, 0x60007));
	CHECK(!xstate_xcr0_valid(&lay, 0x20007));
	CHECK(!xstate_xcr0_valid(&lay, 0x40007));
}

TEST(no_xsave_offers_the_legacy_area_only)
{
	xstate_init(&lay);
	CHECK_EQ(lay.offered, XSTATE_X87_SSE);
	CHECK_EQ(xstate_size_standard(&lay, ~0ull), XSTATE_BASE);
	CHECK_EQ(xstate_size_compacted(&lay, ~0ull), XSTATE_BASE);
}

int main(void)
{
	RUN(undescribed_components_are_not_offered);
	RUN(described_components_are_offered);
	RUN(aligned_components_start_on_64_bytes);
	RUN(bad_descriptions_are_ignored);
	RUN(xcr0_values_xsetbv_takes);
	RUN(amx_goes_whole);
	RUN(no_xsave_offers_the_legacy_area_only);
	return TEST_END();
}
