// SPDX-License-Identifier: MIT
/* Tests for kernel/elf.c: ELF64 images built in memory, good and malformed. */
#include <stdint.h>

#include "elf.h"
#include "elf_image.h"
#include "test.h"

#define EHDR	 ELF_EHDR_SIZE
#define PHDR	 ELF_PHDR_SIZE
#define PT_LOAD	 ELF_PT_LOAD
#define PT_NOTE	 ELF_PT_NOTE
#define RX	 (ELF_PF_R | ELF_PF_X)
#define RW	 (ELF_PF_R | ELF_PF_W)
#define IMG_SIZE 0x3000

struct ph {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

static uint8_t img[IMG_SIZE];
static struct elf_info info;
static char err[128];

/* Store v little-endian in `bytes` bytes at off. */
static void put(size_t off, uint64_t v, int bytes)
{
	elf_put(img, off, v, bytes);
}

/*
 * A valid x86-64 executable with n program headers; each segment's paddr
 * is its vaddr minus 0x1000.  The rest of the image is filler standing in
 * for segment contents.
 */
static void build(uint64_t entry, const struct ph *ph, unsigned n)
{
	struct elf_test_ph full[ELF_MAX_SEGS + 1];

	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)i;
	for (unsigned i = 0; i < n && i <= ELF_MAX_SEGS; i++)
		full[i] = (struct elf_test_ph){
		    ph[i].type,	 ph[i].flags,	       ph[i].offset,
		    ph[i].vaddr, ph[i].vaddr - 0x1000, ph[i].filesz,
		    ph[i].memsz};
	elf_write(img, entry, full, n <= ELF_MAX_SEGS ? n : ELF_MAX_SEGS + 1);
}

/* Text, a note, an empty load segment, data with bss. */
static const struct ph good[] = {
    {PT_LOAD, RX, 0x1000, 0x100080, 0x234, 0x234},
    {PT_NOTE, ELF_PF_R, 0x1400, 0x100400, 0x20, 0x20},
    {PT_LOAD, RW, 0x2000, 0x0, 0, 0},
    {PT_LOAD, RW, 0x2000, 0x102100, 0x10, 0x3000},
};
#define NGOOD (sizeof(good) / sizeof(good[0]))

static int parse(size_t size)
{
	err[0] = '\0';
	return elf_parse(img, size, &info, err, sizeof(err));
}

#define CHECK_REFUSED(size, what)          \
	do {                               \
		CHECK_EQ(parse(size), -1); \
		CHECK_CONTAINS(err, what); \
	} while (0)

/* The good image with header field at off (bytes wide) set to v. */
static void good_with(size_t off, uint64_t v, int bytes)
{
	build(0x100090, good, NGOOD);
	put(off, v, bytes);
}

TEST(valid_executable)
{
	build(0x100090, good, NGOOD);
	CHECK_EQ(parse(IMG_SIZE), 0);
	CHECK_STR(err, "");
	CHECK_EQ(info.entry, 0x100090);
	CHECK_EQ(info.nsegs, 2);
	CHECK_EQ(info.segs[0].vaddr, 0x100080);
	CHECK_EQ(info.segs[0].paddr, 0xff080);
	CHECK_EQ(info.segs[0].offset, 0x1000);
	CHECK_EQ(info.segs[0].filesz, 0x234);
	CHECK_EQ(info.segs[0].memsz, 0x234);
	CHECK_EQ(info.segs[0].flags, RX);
	CHECK_EQ(info.segs[1].vaddr, 0x102100);
	CHECK_EQ(info.segs[1].offset, 0x2000);
	CHECK_EQ(info.segs[1].filesz, 0x10);
	CHECK_EQ(info.segs[1].memsz, 0x3000);
	CHECK_EQ(info.segs[1].flags, RW);
	/* Span rounded out to pages: [0x100080, 0x105100) */
	CHECK_EQ(info.lo, 0x100000);
	CHECK_EQ(info.hi, 0x106000);
}

TEST(segment_ends_exactly_at_file_end)
{
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0x400000, 0x2000, 0x2000},
	};
	build(0x400000, ph, 1);
	CHECK_EQ(parse(0x3000), 0);
	CHECK_EQ(info.lo, 0x400000);
	CHECK_EQ(info.hi, 0x402000);
	CHECK_REFUSED(0x2fff, "segment 0 lies outside the file");
}

TEST(kernel_at_top_of_address_space)
{
	/* Ends one page below 2^64: the most check_seg allows. */
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0xffffffffffffd800, 0x100, 0x17ff},
	};
	build(0xffffffffffffd800, ph, 1);
	CHECK_EQ(parse(IMG_SIZE), 0);
	CHECK_EQ(info.lo, 0xffffffffffffd000);
	CHECK_EQ(info.hi, 0xfffffffffffff000);
}

TEST(too_short)
{
	build(0x100090, good, NGOOD);
	CHECK_REFUSED(EHDR - 1, "file too small for an ELF header (63 bytes)");
	CHECK_REFUSED(0, "too small");
}

TEST(bad_ident)
{
	good_with(0, 0x464c457e, 4); /* "~ELF" */
	CHECK_REFUSED(IMG_SIZE, "not an ELF file (bad magic)");
	good_with(3, 'f', 1);
	CHECK_REFUSED(IMG_SIZE, "bad magic");
	good_with(4, 1, 1); /* ELFCLASS32 */
	CHECK_REFUSED(IMG_SIZE, "not a 64-bit ELF file");
	good_with(5, 2, 1); /* ELFDATA2MSB */
	CHECK_REFUSED(IMG_SIZE, "not a little-endian ELF version 1 file");
	good_with(6, 0, 1); /* EV_NONE */
	CHECK_REFUSED(IMG_SIZE, "ELF version 1");
}

TEST(wrong_machine)
{
	good_with(18, 3, 2); /* EM_386 */
	CHECK_REFUSED(IMG_SIZE, "ELF machine 3 is not x86-64");
	good_with(18, 183, 2); /* EM_AARCH64 */
	CHECK_REFUSED(IMG_SIZE, "ELF machine 183 is not x86-64");
}

TEST(not_an_executable)
{
	good_with(16, 3, 2); /* ET_DYN: a PIE */
	CHECK_REFUSED(IMG_SIZE, "ELF type 3 is not an executable");
	good_with(16, 1, 2); /* ET_REL */
	CHECK_REFUSED(IMG_SIZE, "ELF type 1 is not an executable");
}

TEST(unusable_program_headers)
{
	good_with(56, 0, 2);
	CHECK_REFUSED(IMG_SIZE, "ELF has no usable program headers");
	good_with(54, 32, 2);
	CHECK_REFUSED(IMG_SIZE, "no usable program headers");
}

TEST(program_headers_out_of_bounds)
{
	const size_t table = NGOOD * PHDR;

	/* A table ending exactly at the end of the file is fine... */
	build(0x100090, good, NGOOD);
	memcpy(img + IMG_SIZE - table, img + EHDR, table);
	put(32, IMG_SIZE - table, 8);
	CHECK_EQ(parse(IMG_SIZE), 0);
	CHECK_EQ(info.nsegs, 2);
	/* ...one byte further is not. */
	put(32, IMG_SIZE - table + 1, 8);
	CHECK_REFUSED(IMG_SIZE, "ELF program headers lie outside the file "
				"(12288 bytes)");
	good_with(32, IMG_SIZE, 8);
	CHECK_REFUSED(IMG_SIZE, "outside the file");
	good_with(32, IMG_SIZE + 1, 8);
	CHECK_REFUSED(IMG_SIZE, "outside the file");
	build(0x100090, good, NGOOD);
	CHECK_REFUSED(EHDR + table - 1, "outside the file");
	good_with(32, UINT64_MAX - 8, 8); /* phoff + table size wraps */
	CHECK_REFUSED(IMG_SIZE, "outside the file");
	good_with(56, 0xffff, 2);
	CHECK_REFUSED(IMG_SIZE, "outside the file");
}

/* One PT_LOAD segment `s` after a note, so its index is 1. */
static void one_bad(struct ph s)
{
	const struct ph ph[] = {
	    {PT_NOTE, ELF_PF_R, 0x1400, 0x100400, 0x20, 0x20},
	    s,
	};
	build(s.vaddr, ph, 2);
}

TEST(segment_outside_file)
{
	one_bad((struct ph){PT_LOAD, RX, 0x2ff0, 0x100000, 0x11, 0x1000});
	CHECK_REFUSED(IMG_SIZE, "segment 1 lies outside the file");
	one_bad((struct ph){PT_LOAD, RX, IMG_SIZE + 1, 0x100000, 0, 0x1000});
	CHECK_REFUSED(IMG_SIZE, "segment 1 lies outside the file");
	/* offset + filesz wraps to a small number */
	one_bad(
	    (struct ph){PT_LOAD, RX, 0x1000, 0x100000, UINT64_MAX, UINT64_MAX});
	CHECK_REFUSED(IMG_SIZE, "segment 1 lies outside the file");
	one_bad((struct ph){PT_LOAD, RX, UINT64_MAX, 0x100000, 2, 0x1000});
	CHECK_REFUSED(IMG_SIZE, "segment 1 lies outside the file");
	/* A segment with no memory is skipped, wherever it points. */
	one_bad((struct ph){PT_LOAD, RX, UINT64_MAX, 0x100000, 0, 0});
	CHECK_REFUSED(IMG_SIZE, "ELF has no loadable segment");
}

TEST(filesz_exceeds_memsz)
{
	one_bad((struct ph){PT_LOAD, RX, 0x1000, 0x100000, 0x101, 0x100});
	CHECK_REFUSED(IMG_SIZE, "segment 1: file size exceeds memory size");
}

TEST(address_wraps)
{
	one_bad(
	    (struct ph){PT_LOAD, RX, 0x1000, UINT64_MAX - 0xfff, 0, 0x2000});
	CHECK_REFUSED(IMG_SIZE, "segment 1 wraps the address space");
	/* No wrap, but rounding the end up to a page would. */
	one_bad((struct ph){PT_LOAD, RX, 0x1000, 0xfffffffffffff000, 0, 1});
	CHECK_REFUSED(IMG_SIZE, "segment 1 wraps the address space");
	one_bad((struct ph){PT_LOAD, RX, 0x1000, 0x1000, 0, UINT64_MAX});
	CHECK_REFUSED(IMG_SIZE, "wraps");
}

TEST(too_many_segments)
{
	struct ph ph[ELF_MAX_SEGS + 1];

	for (unsigned i = 0; i < ELF_MAX_SEGS + 1; i++)
		ph[i] = (struct ph){
		    PT_LOAD, RX, 0x1000, 0x100000 + i * 0x1000, 0x10, 0x1000};
	build(0x100000, ph, ELF_MAX_SEGS);
	CHECK_EQ(parse(IMG_SIZE), 0);
	CHECK_EQ(info.nsegs, ELF_MAX_SEGS);
	CHECK_EQ(info.hi, 0x100000 + ELF_MAX_SEGS * 0x1000);
	build(0x100000, ph, ELF_MAX_SEGS + 1);
	CHECK_REFUSED(IMG_SIZE, "more than 16 loadable segments");
}

TEST(no_loadable_segment)
{
	static const struct ph ph[] = {
	    {PT_NOTE, ELF_PF_R, 0x1400, 0x100400, 0x20, 0x20},
	    {PT_LOAD, RX, 0x1000, 0x100000, 0, 0},
	};
	build(0x100400, ph, 2);
	CHECK_REFUSED(IMG_SIZE, "ELF has no loadable segment");
}

TEST(overlapping_segments)
{
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0x100000, 0x100, 0x1000},
	    {PT_LOAD, RW, 0x2000, 0x101000, 0x100, 0x1000}, /* adjacent */
	    {PT_LOAD, RW, 0x2000, 0x101fff, 0x1, 0x10},	    /* overlaps 1 */
	};
	/* Adjacent in file order and in reverse order: both fine. */
	static const struct ph rev[] = {
	    {PT_LOAD, RX, 0x1000, 0x101000, 0x100, 0x1000},
	    {PT_LOAD, RW, 0x2000, 0x100000, 0x100, 0x1000},
	};
	build(0x100000, ph, 2);
	CHECK_EQ(parse(IMG_SIZE), 0);
	build(0x101000, rev, 2);
	CHECK_EQ(parse(IMG_SIZE), 0);
	CHECK_EQ(info.lo, 0x100000);
	CHECK_EQ(info.hi, 0x102000);
	build(0x100000, ph, 3);
	CHECK_REFUSED(IMG_SIZE, "segments 1 and 2 overlap");
}

TEST(entry_outside_executable_segment)
{
	build(0x100080 + 0x234, good, NGOOD); /* just past the text */
	CHECK_REFUSED(IMG_SIZE,
		      "entry point 0x1002b4 is not in an executable segment");
	build(0x100080 - 1, good, NGOOD); /* just before it */
	CHECK_REFUSED(IMG_SIZE, "entry point 0x10007f is not in an");
	build(0x102100, good, NGOOD); /* in data, which is not executable */
	CHECK_REFUSED(IMG_SIZE, "entry point 0x102100 is not in an");
	build(0x100080 + 0x233, good, NGOOD); /* last byte of the text */
	CHECK_EQ(parse(IMG_SIZE), 0);
}

int main(void)
{
	RUN(valid_executable);
	RUN(segment_ends_exactly_at_file_end);
	RUN(kernel_at_top_of_address_space);
	RUN(too_short);
	RUN(bad_ident);
	RUN(wrong_machine);
	RUN(not_an_executable);
	RUN(unusable_program_headers);
	RUN(program_headers_out_of_bounds);
	RUN(segment_outside_file);
	RUN(filesz_exceeds_memsz);
	RUN(address_wraps);
	RUN(too_many_segments);
	RUN(no_loadable_segment);
	RUN(overlapping_segments);
	RUN(entry_outside_executable_segment);
	return TEST_END();
}
