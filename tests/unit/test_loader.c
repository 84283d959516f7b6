// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/loader_elf.c: ELF64 guests checked, loaded, started. */
#include <stdint.h>
#include <stdlib.h>

#include "elf_image.h"
#include "test.h"
#include "vm/abi.h"
#include "vm/loader.h"

#define MIB	 (1ull << 20)
#define GIB	 (1ull << 30)
#define EHDR	 ELF_EHDR_SIZE
#define PHDR	 ELF_PHDR_SIZE
#define PT_LOAD	 ELF_PT_LOAD
#define PT_NOTE	 ELF_PT_NOTE
#define RX	 (ELF_PF_R | ELF_PF_X)
#define RW	 (ELF_PF_R | ELF_PF_W)
#define IMG_SIZE 0x4000
#define PART	 (16 * MIB)

#define ph elf_test_ph

static uint8_t img[IMG_SIZE];
static struct guest_ram ram;
static struct elf_info info;
static struct vcpu_boot boot;
static char err[160];

/* Store v little-endian in `bytes` bytes at off. */
static void put(size_t off, uint64_t v, int bytes)
{
	elf_put(img, off, v, bytes);
}

/* The filler standing in for segment contents: no zero bytes, so a byte
 * that was not copied shows. */
static uint8_t fill(size_t off)
{
	return (uint8_t)(off % 251 + 1);
}

/* A valid x86-64 executable; filler where segment contents go. */
static void build(uint64_t entry, const struct ph *ph, unsigned n)
{
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = fill(i);
	elf_write(img, entry, ph, n);
}

/* One segment at gpa, vaddr == paddr, with the entry at its start. */
static void build_one(uint64_t gpa, uint64_t filesz, uint64_t memsz)
{
	const struct ph ph[] = {{PT_LOAD, RX, 0x1000, gpa, gpa, filesz, memsz}};

	build(gpa, ph, 1);
}

static int check(uint64_t mem)
{
	if (layout_ram(mem, &ram))
		return -2;
	memset(err, 'X', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return loader_elf_check(&ram, img, sizeof(img), &info, err,
				sizeof(err));
}

#define CHECK_REFUSED(mem, what)           \
	do {                               \
		CHECK_EQ(check(mem), -1);  \
		CHECK_CONTAINS(err, what); \
	} while (0)

/* Text at 1 MiB, a note, data with bss at 2 MiB. */
static const struct ph good[] = {
    {PT_LOAD, RX, 0x1000, 0x100000, 0x100000, 0x234, 0x234},
    {PT_NOTE, ELF_PF_R, 0x1400, 0, 0, 0x20, 0x20},
    {PT_LOAD, RW, 0x2000, 0x200000, 0x200000, 0x10, 0x3000},
};
#define NGOOD (sizeof(good) / sizeof(good[0]))
#define ENTRY 0x100010

/* The partition, allocated to its exact size so ASan sees any stray
 * write; tests that stop early leave it for the next one to free. */
static uint8_t *mem;

static uint8_t *partition(uint64_t size)
{
	free(mem);
	mem = calloc(1, size);
	return mem;
}

/* Load the good image into a guest of size bytes (layout_ram's). */
static int load_good(uint64_t size)
{
	build(ENTRY, good, NGOOD);
	if (check(size) || !partition(size))
		return -1;
	memset(&boot, 0xa5, sizeof(boot));
	loader_elf_load(mem, &ram, img, &info, &boot);
	return 0;
}

static uint64_t rd64(uint64_t off)
{
	uint64_t v;

	memcpy(&v, mem + off, sizeof(v));
	return v;
}

/* Bytes [lo, hi) of the partition are all zero. */
static int zero(uint64_t lo, uint64_t hi)
{
	for (uint64_t i = lo; i < hi; i++)
		if (mem[i])
			return 0;
	return 1;
}

TEST(check_accepts_good_image)
{
	build(ENTRY, good, NGOOD);
	CHECK_EQ(check(PART), 0);
	CHECK_EQ(info.entry, ENTRY);
	CHECK_EQ(info.nsegs, 2);
	CHECK_EQ(info.segs[0].paddr, 0x100000);
	CHECK_EQ(info.segs[1].paddr, 0x200000);
	CHECK_EQ(info.segs[1].memsz, 0x3000);
}

TEST(load_copies_segments)
{
	CHECK_EQ(load_good(PART), 0);
	/* Text: every file byte at its physical address. */
	CHECK(memcmp(mem + 0x100000, img + 0x1000, 0x234) == 0);
	/* Data: the file part, then zeroes up to memsz. */
	CHECK(memcmp(mem + 0x200000, img + 0x2000, 0x10) == 0);
	CHECK(zero(0x200010, 0x203000));
	/* Nothing else above 1 MiB was written: not the file bytes after
	 * filesz, nor the note. */
	CHECK(zero(0x100234, 0x200000));
	CHECK(zero(0x203000, PART));
}

TEST(boot_state)
{
	CHECK_EQ(load_good(PART), 0);
	CHECK_EQ(boot.mode, VCPU_MODE_LONG64);
	CHECK_EQ(boot.rip, ENTRY);
	CHECK_EQ(boot.rsp, HV_BOOT_STACK);
	CHECK_EQ(boot.rsp, 0x80000);
	CHECK_EQ(boot.cr3, 0x2000);
	CHECK_EQ(boot.rdi, 0x8000);
	CHECK_EQ(boot.gdt_base, 0x1000);
	CHECK_EQ(boot.gdt_limit, 4 * 8 - 1);
	CHECK_EQ(boot.cs, 0x08);
	CHECK_EQ(boot.ds, 0x10);
	/* The stack is usable RAM below the VGA hole. */
	CHECK(layout_offset(&ram, boot.rsp - 4096, 4096) >= 0);
}

/* A segment descriptor's fields (SDM vol. 3A, 3.4.5). */
struct desc {
	uint32_t base, limit;
	unsigned type, s, dpl, p, l, db, g;
};

static struct desc desc(uint64_t d)
{
	return (struct desc){
	    .base =
		(uint32_t)(((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24),
	    .limit = (uint32_t)((d & 0xffff) | ((d >> 48) & 0xf) << 16),
	    .type = (unsigned)(d >> 40) & 15,
	    .s = (unsigned)(d >> 44) & 1,
	    .dpl = (unsigned)(d >> 45) & 3,
	    .p = (unsigned)(d >> 47) & 1,
	    .l = (unsigned)(d >> 53) & 1,
	    .db = (unsigned)(d >> 54) & 1,
	    .g = (unsigned)(d >> 55) & 1,
	};
}

/* Flat, present, ring 0, 4 KiB granular code or data. */
#define CHECK_FLAT(d)                         \
	do {                                  \
		CHECK_EQ((d).base, 0);        \
		CHECK_EQ((d).limit, 0xfffff); \
		CHECK_EQ((d).g, 1);           \
		CHECK_EQ((d).s, 1);           \
		CHECK_EQ((d).p, 1);           \
		CHECK_EQ((d).dpl, 0);         \
	} while (0)

TEST(gdt)
{
	CHECK_EQ(load_good(PART), 0);
	const uint64_t gdt = boot.gdt_base;
	CHECK_EQ(rd64(gdt), 0); /* null descriptor */
	/* 0x08: 64-bit code, execute/read (L = 1 needs D = 0). */
	struct desc code64 = desc(rd64(gdt + 0x08));
	CHECK_FLAT(code64);
	CHECK_EQ(code64.type & 0xa, 0xa);
	CHECK_EQ(code64.l, 1);
	CHECK_EQ(code64.db, 0);
	/* 0x10: data, read/write, 32-bit stack. */
	struct desc data = desc(rd64(gdt + 0x10));
	CHECK_FLAT(data);
	CHECK_EQ(data.type & 0xa, 0x2);
	CHECK_EQ(data.db, 1);
	CHECK_EQ(data.l, 0);
	/* 0x18: 32-bit code, execute/read. */
	struct desc code32 = desc(rd64(gdt + 0x18));
	CHECK_FLAT(code32);
	CHECK_EQ(code32.type & 0xa, 0xa);
	CHECK_EQ(code32.l, 0);
	CHECK_EQ(code32.db, 1);
}

#define PTE_P	 1ull
#define PTE_W	 2ull
#define PTE_PS	 0x80ull
#define PTE_NX	 (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

/* A paging structure's page, which must lie in the boot area the ABI gives
 * the tables: from 0x2000 up to the boot information at 0x8000.  Returns
 * its partition offset or 0. */
static uint64_t table(uint64_t entry)
{
	uint64_t pa = entry & PTE_ADDR;
	int64_t off = layout_offset(&ram, pa, 4096);

	if (pa < HV_BOOT_PML4 || pa + 4096 > HV_BOOT_INFO || off < 0)
		return 0;
	return (uint64_t)off;
}

/* Translate va through the guest's 4-level tables as the CPU would;
 * -1 if not mapped, -2 if mapped but not as a writable, executable
 * 2 MiB page. */
static int64_t walk(uint64_t va)
{
	uint64_t t = table(boot.cr3), e;

	if (!t)
		return -2;
	/* PML4 and PDPT entries point to the next table. */
	for (int shift = 39; shift >= 30; shift -= 9) {
		e = rd64(t + 8 * ((va >> shift) & 511));
		if (!(e & PTE_P))
			return -1;
		if (!(e & PTE_W) || (e & (PTE_PS | PTE_NX)))
			return -2;
		t = table(e);
		if (!t)
			return -2;
	}
	e = rd64(t + 8 * ((va >> 21) & 511));
	if (!(e & PTE_P))
		return -1;
	if (!(e & PTE_W) || !(e & PTE_PS) || (e & PTE_NX) ||
	    (e & PTE_ADDR & 0x1fffff))
		return -2;
	return (int64_t)((e & PTE_ADDR) + (va & 0x1fffff));
}

TEST(page_tables_identity_map_4gib)
{
	CHECK_EQ(load_good(PART), 0);
	CHECK_EQ(boot.cr3 & 0xfff, 0);
	for (uint64_t va = 0; va < 4 * GIB; va += 2 * MIB) {
		CHECK_EQ(walk(va), va);
		CHECK_EQ(walk(va + 0x1ffff8), va + 0x1ffff8);
	}
	CHECK_EQ(walk(ENTRY), ENTRY);
	/* Nothing past 4 GiB, nor in the upper half. */
	CHECK_EQ(walk(4 * GIB), -1);
	CHECK_EQ(walk(512 * GIB), -1);
	CHECK_EQ(walk(0xffff800000000000ull), -1);
	CHECK_EQ(walk(0xffffffff80000000ull), -1);
}

TEST(page_tables_in_small_guest)
{
	/* A 1 MiB guest has the same boot area, hence the same tables. */
	build(ENTRY, good, NGOOD);
	CHECK_EQ(layout_ram(MIB, &ram), 0);
	CHECK(partition(MIB));
	info = (struct elf_info){.entry = ENTRY}; /* no segments to copy */
	loader_elf_load(mem, &ram, img, &info, &boot);
	CHECK_EQ(boot.cr3, HV_BOOT_PML4);
	CHECK_EQ(walk(0), 0);
	CHECK_EQ(walk(3 * GIB + 0x1234), 3 * GIB + 0x1234);
	CHECK_EQ(walk(4 * GIB - 1), 4 * GIB - 1);
	CHECK_EQ(walk(4 * GIB), -1);
	CHECK_EQ(rd64(HV_BOOT_INFO), HV_BOOT_MAGIC);
	CHECK(zero(0xa0000 - 0x1000, MIB));
}

static const struct hv_boot *hv_boot(void)
{
	return (const struct hv_boot *)(mem + boot.rdi);
}

TEST(boot_information)
{
	CHECK_EQ(load_good(PART), 0);
	const struct hv_boot *b = hv_boot();
	CHECK_EQ(b->magic, HV_BOOT_MAGIC);
	CHECK_EQ(b->version, HV_ABI_VERSION);
	CHECK_EQ(b->size, sizeof(struct hv_boot));
	CHECK_EQ(b->nram, 2);
	CHECK_EQ(b->ram[0].base, 0);
	CHECK_EQ(b->ram[0].size, 0xa0000);
	CHECK_EQ(b->ram[1].base, 0xe0000);
	CHECK_EQ(b->ram[1].size, PART - 0xe0000);
	CHECK_EQ(b->memory, PART - 0x40000);
	/* It lies clear of the page tables and the GDT. */
	CHECK(boot.rdi >= HV_BOOT_PML4 + 6 * 4096);
	CHECK(boot.gdt_base + boot.gdt_limit < HV_BOOT_PML4);
}

TEST(boot_information_high_ram)
{
	/* A layout with RAM above 4 GiB, over a 17 MiB partition: the low
	 * 16 MiB as layout_ram makes it, then 1 MiB at 4 GiB. */
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0x100000, 0x100000, 0x100, 0x100},
	    {PT_LOAD, RW, 0x2000, 4 * GIB + 0x800, 4 * GIB + 0x800, 0x40,
	     0x1000},
	};

	CHECK_EQ(layout_ram(PART, &ram), 0);
	ram.r[2].gpa = 4 * GIB;
	ram.r[2].size = MIB;
	ram.r[2].offset = PART;
	ram.n = 3;
	build(0x100000, ph, 2);
	CHECK_EQ(
	    loader_elf_check(&ram, img, sizeof(img), &info, err, sizeof(err)),
	    0);
	CHECK(partition(PART + MIB));
	loader_elf_load(mem, &ram, img, &info, &boot);
	/* The high segment lands at its partition offset. */
	CHECK(memcmp(mem + PART + 0x800, img + 0x2000, 0x40) == 0);
	CHECK(zero(PART, PART + 0x800));
	CHECK(zero(PART + 0x840, PART + MIB));
	const struct hv_boot *b = hv_boot();
	CHECK_EQ(b->nram, 3);
	for (uint32_t i = 0; i < 3; i++) {
		CHECK_EQ(b->ram[i].base, ram.r[i].gpa);
		CHECK_EQ(b->ram[i].size, ram.r[i].size);
	}
	CHECK_EQ(b->memory, PART + MIB - 0x40000);
}

TEST(refuses_virtual_not_physical)
{
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0xffffffff80100000ull, 0x100000, 0x100,
	     0x100},
	};

	build(0xffffffff80100000ull, ph, 1);
	CHECK_REFUSED(PART, "segment 0: virtual 0xffffffff80100000 differs "
			    "from physical 0x100000");
	/* The second loadable segment, off by a page. */
	static const struct ph ph2[] = {
	    {PT_LOAD, RX, 0x1000, 0x100000, 0x100000, 0x100, 0x100},
	    {PT_LOAD, RW, 0x2000, 0x201000, 0x200000, 0x100, 0x100},
	};
	build(0x100000, ph2, 2);
	CHECK_REFUSED(PART, "segment 1: virtual 0x201000 differs");
}

TEST(refuses_below_1mib)
{
	/* In RAM (the BIOS area), but the hypervisor's. */
	build_one(0xf0000, 0x100, 0x100);
	CHECK_REFUSED(PART, "not in the guest's RAM above 1 MiB");
	CHECK_CONTAINS(err, "segment 0 at 0xf0000-0xf0100");
	build_one(0x7c00, 0x200, 0x200);
	CHECK_REFUSED(PART, "above 1 MiB");
	build_one(0x1000, 0x100, 0x100); /* over the GDT */
	CHECK_REFUSED(PART, "above 1 MiB");
	/* Starting one page short of 1 MiB. */
	build_one(0xff000, 0x100, 0x2000);
	CHECK_REFUSED(PART, "segment 0 at 0xff000-0x101000 is not");
	/* One byte short. */
	build_one(MIB - 1, 1, 1);
	CHECK_REFUSED(PART, "above 1 MiB");
	build_one(MIB, 1, 1);
	CHECK_EQ(check(PART), 0);
}

TEST(refuses_beyond_ram)
{
	build_one(PART, 0x100, 0x100);
	CHECK_REFUSED(PART, "not in the guest's RAM");
	build_one(4 * GIB, 0x100, 0x100);
	CHECK_REFUSED(PART, "not in the guest's RAM");
	build_one(3 * GIB, 0x100, 0x100); /* the MMIO hole */
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
	build_one(9 * GIB, 0x100, 0x100);
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
}

TEST(refuses_crossing_ram_end)
{
	/* Ending exactly at the end of RAM is fine; a byte more is not, if
	 * only bss. */
	build_one(PART - 0x1000, 0x100, 0x1000);
	CHECK_EQ(check(PART), 0);
	build_one(PART - 0x1000, 0x100, 0x1001);
	CHECK_REFUSED(PART, "segment 0 at 0xfff000-0x1000001 is not in");
	build_one(9 * GIB - 0x1000, 0x100, 0x1000);
	CHECK_EQ(check(8 * GIB), 0);
	build_one(9 * GIB - 0x1000, 0x100, 0x1001);
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
}

TEST(refuses_straddling_holes)
{
	/* A 1 MiB guest has no RAM above 1 MiB at all. */
	build_one(MIB, 0x100, 0x100);
	CHECK_REFUSED(MIB, "not in the guest's RAM above 1 MiB");
	/* Across the VGA hole, RAM at both ends. */
	build_one(0x9f000, 0x100, 0x42000);
	CHECK_REFUSED(MIB, "not in the guest's RAM");
	CHECK_REFUSED(PART, "not in the guest's RAM");
	/* Into, and across, the MMIO hole below 4 GiB. */
	build_one(3 * GIB - 0x1000, 0x100, 0x1000);
	CHECK_EQ(check(8 * GIB), 0);
	build_one(3 * GIB - 0x1000, 0x100, 0x2000);
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
	build_one(3 * GIB - 0x1000, 0x100, GIB + 0x2000);
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
	build_one(4 * GIB - 0x1000, 0x100, 0x2000);
	CHECK_REFUSED(8 * GIB, "not in the guest's RAM");
	build_one(4 * GIB, 0x100, 0x2000);
	CHECK_EQ(check(8 * GIB), 0);
}

TEST(refuses_second_segment)
{
	/* The first segment fits; the second does not. */
	static const struct ph ph[] = {
	    {PT_LOAD, RX, 0x1000, 0x100000, 0x100000, 0x100, 0x100},
	    {PT_LOAD, RW, 0x2000, 0x2000000, 0x2000000, 0x100, 0x100},
	};

	build(0x100000, ph, 2);
	CHECK_REFUSED(PART, "segment 1 at 0x2000000-0x2000100 is not");
	CHECK_EQ(check(64 * MIB), 0);
}

TEST(passes_elf_parse_errors)
{
	build(ENTRY, good, NGOOD);
	img[1] = 'X';
	CHECK_REFUSED(PART, "not an ELF file (bad magic)");
	build(ENTRY, good, NGOOD);
	put(18, 3, 2); /* EM_386 */
	CHECK_REFUSED(PART, "ELF machine 3 is not x86-64");
	/* Parsing comes first: below 1 MiB, but the entry is not code. */
	build_one(0x7c00, 0x200, 0x200);
	put(24, 0x7e00, 8);
	CHECK_REFUSED(PART, "entry point 0x7e00 is not in an executable");
}

int main(void)
{
	RUN(check_accepts_good_image);
	RUN(load_copies_segments);
	RUN(boot_state);
	RUN(gdt);
	RUN(page_tables_identity_map_4gib);
	RUN(page_tables_in_small_guest);
	RUN(boot_information);
	RUN(boot_information_high_ram);
	RUN(refuses_virtual_not_physical);
	RUN(refuses_below_1mib);
	RUN(refuses_beyond_ram);
	RUN(refuses_crossing_ram_end);
	RUN(refuses_straddling_holes);
	RUN(refuses_second_segment);
	RUN(passes_elf_parse_errors);
	free(mem);
	return TEST_END();
}
