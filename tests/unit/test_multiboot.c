// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/loader_multiboot.c: Multiboot 1 images built here. */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "vm/loader.h"

#define MIB	 (1u << 20)
#define GUEST	 (16 * MIB)
#define IMG_SIZE 0x3000
#define MAGIC	 0x1badb002u
#define F_MEM	 0x3u	  /* page-align modules, memory information */
#define F_ADDR	 0x10000u /* the a.out kludge's address fields */
#define EHDR	 52	  /* ELF32 header */
#define PHDR	 32	  /* ELF32 program header */
#define MB_OFF	 0x400	  /* the header in ELF images, after 17 phdrs */
#define PT_LOAD	 1
#define PT_NOTE	 4

/* Multiboot information offsets, specification 0.6.96 section 3.3. */
#define I_FLAGS	  0
#define I_LOWER	  4
#define I_UPPER	  8
#define I_CMDLINE 16
#define I_NMODS	  20
#define I_MODS	  24
#define I_MMAPLEN 44
#define I_MMAP	  48
#define I_LOADER  64

struct ph {
	uint32_t type, offset, paddr, filesz, memsz;
};

static uint8_t img[IMG_SIZE];
static uint8_t mod0[0x1234], mod1[0x10];
static struct loader_module mods[LOADER_MAX_MODULES + 1];
static struct guest_ram ram;
static struct mb_info_plan plan;
static struct vcpu_boot boot;
static uint8_t *mem;
static char err[200];

static void put(size_t off, uint32_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t rd(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, mem + gpa, sizeof(v)); /* identity below 3 GiB */
	return v;
}

static uint64_t rd64(uint64_t gpa)
{
	return rd(gpa) | (uint64_t)rd(gpa + 4) << 32;
}

/* A fresh zeroed 16 MiB guest, an image of filler and two modules. */
static void setup(void)
{
	free(mem);
	mem = calloc(1, GUEST);
	layout_ram(GUEST, &ram);
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 13 + 5);
	for (size_t i = 0; i < sizeof(mod0); i++)
		mod0[i] = (uint8_t)(i + 1);
	memset(mod1, 0x77, sizeof(mod1));
	mods[0] = (struct loader_module){mod0, sizeof(mod0), "/boot/initrd"};
	mods[1] = (struct loader_module){mod1, sizeof(mod1), "extra a=1"};
	for (int i = 2; i <= LOADER_MAX_MODULES; i++)
		mods[i] = (struct loader_module){mod1, 1, "m"};
}

static void header(size_t off, uint32_t flags)
{
	put(off, MAGIC, 4);
	put(off + 4, flags, 4);
	put(off + 8, 0u - MAGIC - flags, 4);
}

/* Kludge fields: header_addr, load_addr, load_end, bss_end, entry. */
static void kludge_at(size_t off, const uint32_t f[5])
{
	header(off, F_MEM | F_ADDR);
	for (int i = 0; i < 5; i++)
		put(off + 12 + 4 * i, f[i], 4);
}

/* Loads file [0, 0x2000) at 1 MiB, bss to 0x105000, header at 0x20. */
static const uint32_t good_kludge[5] = {0x100020, 0x100000, 0x102000, 0x105000,
					0x100100};

static void kludge(const uint32_t f[5])
{
	setup();
	kludge_at(0x20, f);
}

/* One field of the good kludge header changed. */
static void kludge_with(int field, uint32_t v)
{
	uint32_t f[5];

	memcpy(f, good_kludge, sizeof(f));
	f[field] = v;
	kludge(f);
}

/* An i386 executable with n program headers and a header at MB_OFF. */
static void elf(uint32_t entry, const struct ph *ph, unsigned n)
{
	setup();
	memset(img, 0, EHDR + n * PHDR);
	memcpy(img, "\177ELF", 4);
	img[4] = 1;	   /* ELFCLASS32 */
	img[5] = 1;	   /* ELFDATA2LSB */
	img[6] = 1;	   /* EV_CURRENT */
	put(16, 2, 2);	   /* e_type: ET_EXEC */
	put(18, 3, 2);	   /* e_machine: EM_386 */
	put(20, 1, 4);	   /* e_version */
	put(24, entry, 4); /* e_entry */
	put(28, EHDR, 4);  /* e_phoff */
	put(40, EHDR, 2);  /* e_ehsize */
	put(42, PHDR, 2);  /* e_phentsize */
	put(44, n, 2);	   /* e_phnum */
	for (unsigned i = 0; i < n; i++) {
		size_t o = EHDR + i * PHDR;
		put(o, ph[i].type, 4);
		put(o + 4, ph[i].offset, 4);
		put(o + 8, ph[i].paddr + 0xc0000000u, 4); /* p_vaddr */
		put(o + 12, ph[i].paddr, 4);
		put(o + 16, ph[i].filesz, 4);
		put(o + 20, ph[i].memsz, 4);
		put(o + 24, 5, 4);
		put(o + 28, 0x1000, 4);
	}
	header(MB_OFF, F_MEM);
}

/* Text, a note, an empty load segment, data with bss. */
static const struct ph good_ph[] = {
    {PT_LOAD, 0x1000, 0x200000, 0x800, 0x800},
    {PT_NOTE, 0x1800, 0x300000, 0x20, 0x20},
    {PT_LOAD, 0x2000, 0x0, 0, 0},
    {PT_LOAD, 0x2000, 0x201000, 0x100, 0x3000},
};
#define NGOOD	   (sizeof(good_ph) / sizeof(good_ph[0]))
#define GOOD_ENTRY 0x200010u

static int check(size_t size, const char *cmdline, uint32_t nmods)
{
	err[0] = '\0';
	return loader_multiboot_check(&ram, img, size, cmdline, mods, nmods,
				      &plan, err, sizeof(err));
}

static int check_and_load(const char *cmdline, uint32_t nmods)
{
	if (check(IMG_SIZE, cmdline, nmods))
		return -1;
	memset(&boot, 0xa5, sizeof(boot));
	loader_multiboot_load(mem, &ram, img, &plan, cmdline, mods, nmods,
			      &boot);
	return 0;
}

#define CHECK_REFUSED(what)                           \
	do {                                          \
		CHECK_EQ(check(IMG_SIZE, "", 0), -1); \
		CHECK_CONTAINS(err, what);            \
	} while (0)

static int all_zero(uint64_t gpa, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (mem[gpa + i])
			return 0;
	return 1;
}

TEST(kludge_loads_image_and_modules)
{
	kludge(good_kludge);
	CHECK_EQ(check_and_load("root=/dev/ram0", 2), 0);
	CHECK_STR(err, "");
	CHECK(memcmp(mem + 0x100000, img, 0x2000) == 0);
	CHECK(all_zero(0x102000, 0x3000)); /* bss */
	CHECK(all_zero(0xff000, 0x1000));
	CHECK_EQ(plan.mod[0], 0x105000); /* first page after the bss */
	CHECK(memcmp(mem + 0x105000, mod0, sizeof(mod0)) == 0);
	CHECK_EQ(plan.mod[1], 0x107000); /* 0x106234 page-aligned */
	CHECK(memcmp(mem + 0x107000, mod1, sizeof(mod1)) == 0);
	CHECK(all_zero(0x105000 + sizeof(mod0), 0x107000 - 0x106234));
	CHECK(all_zero(0x107010, 0x1000));
}

TEST(kludge_boot_state)
{
	kludge(good_kludge);
	CHECK_EQ(check_and_load("", 0), 0);
	CHECK_EQ(boot.mode, VCPU_MODE_PROT32);
	CHECK_EQ(boot.rip, 0x100100);
	CHECK_EQ(boot.rax, 0x2badb002);
	CHECK_EQ(boot.rbx, 0x9000);
	CHECK_EQ(boot.cs, 0x08);
	CHECK_EQ(boot.ds, 0x10);
	CHECK_EQ(boot.cr3, 0);
	CHECK_EQ(boot.rsp, 0x9000);
	CHECK_EQ(boot.rsi, 0);
	CHECK_EQ(boot.rdi, 0);
	CHECK_EQ(boot.rdx, 0);
	CHECK_EQ(boot.gdt_base, 0x1000);
	CHECK_EQ(boot.gdt_limit, 23);
	CHECK_EQ(rd64(0x1000), 0);
	CHECK_EQ(rd64(0x1008), 0x00cf9a000000ffffull);
	CHECK_EQ(rd64(0x1010), 0x00cf92000000ffffull);
}

TEST(info_structure)
{
	kludge(good_kludge);
	CHECK_EQ(check_and_load("root=/dev/ram0 quiet", 2), 0);
	uint64_t mi = boot.rbx;
	CHECK_EQ(rd(mi + I_FLAGS), 0x24d); /* bits 0, 2, 3, 6, 9 */
	CHECK_EQ(rd(mi + I_LOWER), 640);
	CHECK_EQ(rd(mi + I_UPPER), 15 * 1024);
	CHECK_EQ(rd(mi + 12), 0); /* no boot device */
	CHECK_STR((char *)mem + rd(mi + I_CMDLINE), "root=/dev/ram0 quiet");
	CHECK_STR((char *)mem + rd(mi + I_LOADER), "hv");
	CHECK_EQ(rd(mi + I_NMODS), 2);
	uint32_t ml = rd(mi + I_MODS);
	CHECK_EQ(ml % 4, 0);
	CHECK_EQ(rd(ml), 0x105000);
	CHECK_EQ(rd(ml + 4), 0x105000 + sizeof(mod0));
	CHECK_STR((char *)mem + rd(ml + 8), "/boot/initrd");
	CHECK_EQ(rd(ml + 12), 0);
	CHECK_EQ(rd(ml + 16), 0x107000);
	CHECK_EQ(rd(ml + 20), 0x107010);
	CHECK_STR((char *)mem + rd(ml + 24), "extra a=1");
	/* Everything it points to lies in the boot area above the stack. */
	uint32_t ptrs[] = {rd(mi + I_CMDLINE), rd(mi + I_LOADER), ml,
			   rd(mi + I_MMAP),    rd(ml + 8),	  rd(ml + 24)};
	for (size_t i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++)
		CHECK(ptrs[i] > mi && ptrs[i] < 0x9f000);
	CHECK(all_zero(0x1018, 0x9000 - 0x1018)); /* the stack */
}

/* The memory map lists the layout's RAM and the VGA hole, in order. */
TEST(mmap_matches_layout)
{
	static const uint64_t want[][3] = {
	    {0, 0xa0000, 1},
	    {0xa0000, 0x40000, 2},
	    {0xe0000, GUEST - 0xe0000, 1},
	};
	kludge(good_kludge);
	CHECK_EQ(check_and_load(NULL, 0), 0);
	uint64_t mi = boot.rbx;
	uint32_t mm = rd(mi + I_MMAP);
	CHECK_EQ(rd(mi + I_MMAPLEN), 3 * 24);
	CHECK_EQ(mm % 4, 0);
	for (unsigned i = 0; i < 3; i++) {
		uint32_t e = mm + 24 * i;
		CHECK_EQ(rd(e), 20);
		CHECK_EQ(rd64(e + 4), want[i][0]);
		CHECK_EQ(rd64(e + 12), want[i][1]);
		CHECK_EQ(rd(e + 20), want[i][2]);
	}
	CHECK_STR((char *)mem + rd(mi + I_CMDLINE), ""); /* none given */
	CHECK_EQ(rd(mi + I_NMODS), 0);
}

/* Above 3 GiB the RAM continues at 4 GiB: listed, but not in mem_upper. */
TEST(big_guest_plan)
{
	kludge(good_kludge);
	layout_ram(5ull << 30, &ram);
	CHECK_EQ(check(IMG_SIZE, "", 1), 0);
	CHECK_EQ(plan.mem_lower, 640);
	CHECK_EQ(plan.mem_upper, (3u << 20) - 1024);
	CHECK_EQ(plan.mmap_length, 4 * 24);
	CHECK_EQ(plan.mod[0], 0x105000);
}

TEST(kludge_whole_file_from_offset)
{
	/* Header at 0x1010 for 0x100010: loading starts at file offset
	 * 0x1000 and, with load_end_addr 0, runs to the end of the file. */
	setup();
	static const uint32_t f[5] = {0x100010, 0x100000, 0, 0, 0x100010};
	kludge_at(0x1010, f);
	CHECK_EQ(check_and_load("", 1), 0);
	CHECK_EQ(plan.segs[0].offset, 0x1000);
	CHECK_EQ(plan.segs[0].filesz, IMG_SIZE - 0x1000);
	CHECK(memcmp(mem + 0x100000, img + 0x1000, IMG_SIZE - 0x1000) == 0);
	CHECK_EQ(plan.mod[0], 0x102000); /* no bss: right after the file */
	CHECK_EQ(boot.rip, 0x100010);
	/* The last loaded byte may be the entry, not one past it. */
	static const uint32_t g[5] = {0x100010, 0x100000, 0, 0, 0x101fff};
	kludge_at(0x1010, g);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	kludge_at(0x1010,
		  (const uint32_t[5]){0x100010, 0x100000, 0, 0, 0x102000});
	CHECK_REFUSED("entry point 0x102000 is not inside the loaded image");
}

TEST(elf32_loads_segments)
{
	elf(GOOD_ENTRY, good_ph, NGOOD);
	CHECK_EQ(check_and_load("x", 1), 0);
	CHECK_EQ(plan.nsegs, 2);
	CHECK(memcmp(mem + 0x200000, img + 0x1000, 0x800) == 0);
	CHECK(memcmp(mem + 0x201000, img + 0x2000, 0x100) == 0);
	CHECK(all_zero(0x200800, 0x800));
	CHECK(all_zero(0x201100, 0x2f00)); /* bss */
	CHECK(all_zero(0x300000, 0x20));   /* the note is not loaded */
	CHECK_EQ(plan.mod[0], 0x204000);
	CHECK(memcmp(mem + 0x204000, mod0, sizeof(mod0)) == 0);
	CHECK_EQ(boot.rip, GOOD_ENTRY);
	CHECK_EQ(boot.rax, 0x2badb002);
	CHECK_STR((char *)mem + rd(boot.rbx + I_CMDLINE), "x");
}

/* Segments in reverse order: modules still go after the highest byte. */
TEST(elf32_modules_after_highest_segment)
{
	static const struct ph ph[] = {
	    {PT_LOAD, 0x2000, 0x400000, 0x100, 0x1001},
	    {PT_LOAD, 0x1000, 0x200000, 0x800, 0x800},
	};
	elf(0x200000, ph, 2);
	CHECK_EQ(check_and_load("", 2), 0);
	CHECK_EQ(plan.mod[0], 0x402000);
	CHECK_EQ(plan.mod[1], 0x404000);
}

TEST(detect)
{
	kludge(good_kludge);
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 1);
	CHECK_EQ(loader_multiboot_detect(img, 0x20 + 12), 1);
	CHECK_EQ(loader_multiboot_detect(img, 0x20 + 11), 0);
	CHECK_EQ(loader_multiboot_detect(img, 0), 0);
	elf(GOOD_ENTRY, good_ph, NGOOD);
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 1);
	put(MB_OFF + 8, 0, 4); /* checksum */
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 0);
	setup();
	header(0x22, F_MEM); /* not 4-byte aligned */
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 0);
	setup();
	header(0x1ff4, F_MEM); /* ends at byte 8192: the last place */
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 1);
	setup();
	header(0x1ff8, F_MEM);
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 0);
	header(0x2000, F_MEM);
	CHECK_EQ(loader_multiboot_detect(img, IMG_SIZE), 0);
}

TEST(no_header)
{
	setup();
	CHECK_REFUSED("no multiboot header (magic 0x1badb002, valid checksum, "
		      "4-byte aligned) in the first 8192 bytes");
	CHECK_EQ(check(0, "", 0), -1);
	CHECK_CONTAINS(err, "no multiboot header");
}

TEST(bad_checksum)
{
	kludge(good_kludge);
	put(0x28, 0x12345678, 4);
	CHECK_REFUSED("no multiboot header");
	/* A valid one later on is found. */
	kludge_at(0x40, (const uint32_t[5]){0x100040, 0x100000, 0x102000, 0,
					    0x100100});
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	CHECK_EQ(plan.segs[0].offset, 0);
}

TEST(header_past_8192)
{
	setup();
	header(0x2000, F_MEM);
	CHECK_REFUSED("no multiboot header");
	/* Found, but the address fields spill past byte 8192. */
	setup();
	kludge_at(0x1ff0, good_kludge);
	CHECK_REFUSED("multiboot address fields (flag 16) at offset 0x1ff0 "
		      "run past the file or its first 8192 bytes");
	/* ...or past the end of a short file. */
	kludge(good_kludge);
	CHECK_EQ(check(0x20 + 31, "", 0), -1);
	CHECK_CONTAINS(err, "run past the file");
}

TEST(unsupported_flags)
{
	setup();
	header(0x20, F_MEM | 0x8);
	CHECK_REFUSED("multiboot header requires unsupported feature bits 0x8");
	header(0x20, 0x8000 | 0x10 | 0x4 | 0x1);
	CHECK_REFUSED("unsupported feature bits 0x8010");
	/* Video (bit 2) is accepted and ignored; unknown optional bits too. */
	kludge(good_kludge);
	header(0x20, F_MEM | 0x4 | F_ADDR | 0x80000000u);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
}

TEST(kludge_fields_out_of_bounds)
{
	kludge_with(0, 0xfffff); /* header_addr below load_addr */
	CHECK_REFUSED("multiboot header_addr 0xfffff is below load_addr "
		      "0x100000");
	kludge_with(1, 0xfff00); /* would start 0x100 before the file */
	CHECK_REFUSED("multiboot load_addr 0xfff00 would load from before "
		      "the start of the file");
	kludge_with(2, 0xfffff);
	CHECK_REFUSED("multiboot load_end_addr 0xfffff is below load_addr "
		      "0x100000");
	kludge_with(2, 0x100000 + IMG_SIZE + 1);
	CHECK_REFUSED("multiboot load_end_addr 0x103001 lies past the end of "
		      "the file (12288 bytes)");
	kludge_with(2, 0xffffffff);
	CHECK_REFUSED("lies past the end of the file");
	kludge_with(3, 0x101fff);
	CHECK_REFUSED("multiboot bss_end_addr 0x101fff is below the end of "
		      "the loaded image 0x102000");
	/* Exactly the file's end and an empty bss are fine. */
	kludge_with(2, 0x100000 + IMG_SIZE);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	kludge_with(3, 0x102000);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	CHECK_EQ(plan.segs[0].memsz, 0x2000);
}

TEST(kludge_entry_outside)
{
	kludge_with(4, 0xfffff);
	CHECK_REFUSED("entry point 0xfffff is not inside the loaded image");
	kludge_with(4, 0x102000); /* first byte of the bss */
	CHECK_REFUSED("entry point 0x102000 is not inside");
	kludge_with(4, 0);
	CHECK_REFUSED("entry point 0x0 is not inside");
	/* Nothing loaded at all: no entry can be inside. */
	kludge_with(2, 0x100000);
	CHECK_REFUSED("entry point 0x100100 is not inside");
}

TEST(kludge_outside_ram)
{
	/* Below 1 MiB: the hypervisor's boot area. */
	kludge((const uint32_t[5]){0xff020, 0xff000, 0x101000, 0, 0xff100});
	CHECK_REFUSED("segment 0 at 0xff000-0x101000 is not in the guest's "
		      "RAM between 1 MiB and 4 GiB");
	/* Past the 16 MiB of RAM, by the loaded bytes or by the bss. */
	kludge((const uint32_t[5]){0xfff020, 0xfff000, 0x1001000, 0, 0xfff100});
	CHECK_REFUSED("segment 0 at 0xfff000-0x1001000 is not in the guest's");
	kludge_with(3, GUEST + 1);
	CHECK_REFUSED("segment 0 at 0x100000-0x1000001 is not in");
	kludge_with(3, 0xffffffff);
	CHECK_REFUSED("is not in the guest's RAM");
	/* Ending exactly at the end of RAM is fine. */
	kludge_with(3, GUEST);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	/* The whole-file load near 4 GiB: past RAM, no wrap. */
	kludge((const uint32_t[5]){0xfffff020, 0xfffff000, 0, 0, 0xfffff100});
	CHECK_REFUSED("segment 0 at 0xfffff000-0x100002000 is not in");
}

/* The good ELF image with the header field at off set to v. */
static void elf_with(size_t off, uint32_t v, int bytes)
{
	elf(GOOD_ENTRY, good_ph, NGOOD);
	put(off, v, bytes);
}

TEST(elf32_bad_header)
{
	elf_with(0, 0x464c457e, 4); /* "~ELF" */
	CHECK_REFUSED("image is not ELF and its multiboot header has no "
		      "address fields (flag 16)");
	elf_with(4, 2, 1); /* ELFCLASS64 */
	CHECK_REFUSED("multiboot ELF image is not 32-bit (class 2)");
	elf_with(5, 2, 1); /* ELFDATA2MSB */
	CHECK_REFUSED("not a little-endian ELF version 1 file");
	elf_with(18, 62, 2); /* EM_X86_64 */
	CHECK_REFUSED("ELF machine 62 is not i386");
	elf_with(16, 3, 2); /* ET_DYN */
	CHECK_REFUSED("ELF type 3 is not an executable");
	elf_with(42, 56, 2);
	CHECK_REFUSED("ELF has no usable program headers");
	elf_with(44, 0, 2);
	CHECK_REFUSED("ELF has no usable program headers");
	/* Too short for the ELF32 header, though the magic is there. */
	elf(GOOD_ENTRY, good_ph, NGOOD);
	memmove(img + 16, img + MB_OFF, 12);
	CHECK_EQ(check(EHDR - 1, "", 0), -1);
	CHECK_STR(err, "file too small for an ELF32 header (51 bytes)");
}

TEST(elf32_truncated_phdrs)
{
	const size_t table = NGOOD * PHDR;

	/* A table ending exactly at the end of the file is fine... */
	elf(GOOD_ENTRY, good_ph, NGOOD);
	memcpy(img + IMG_SIZE - table, img + EHDR, table);
	put(28, IMG_SIZE - table, 4);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	/* ...one byte further is not. */
	put(28, IMG_SIZE - table + 1, 4);
	CHECK_REFUSED("ELF program headers lie outside the file (12288 "
		      "bytes)");
	elf_with(28, IMG_SIZE - 3 * PHDR, 4);
	CHECK_REFUSED("ELF program headers lie outside the file");
	elf_with(28, 0xffffffff, 4);
	CHECK_REFUSED("ELF program headers lie outside the file");
	elf_with(44, 0xffff, 2);
	CHECK_REFUSED("ELF program headers lie outside the file");
}

/* The good ELF image with one PT_LOAD replaced (index 3, the data). */
static void elf_seg(struct ph s)
{
	struct ph ph[NGOOD];

	memcpy(ph, good_ph, sizeof(ph));
	ph[3] = s;
	elf(GOOD_ENTRY, ph, NGOOD);
}

TEST(elf32_bad_segments)
{
	elf_seg((struct ph){PT_LOAD, IMG_SIZE - 0x10, 0x201000, 0x11, 0x100});
	CHECK_REFUSED("segment 3 lies outside the file");
	elf_seg((struct ph){PT_LOAD, 0xffffffff, 0x201000, 2, 0x100});
	CHECK_REFUSED("segment 3 lies outside the file");
	elf_seg((struct ph){PT_LOAD, 0x2000, 0x201000, 0x101, 0x100});
	CHECK_REFUSED("segment 3: file size exceeds memory size");
	elf_seg((struct ph){PT_LOAD, 0x2000, 0xff000, 0x100, 0x1000});
	CHECK_REFUSED("segment 3 at 0xff000-0x100000 is not in the guest's "
		      "RAM between 1 MiB and 4 GiB");
	elf_seg((struct ph){PT_LOAD, 0x2000, GUEST - 0x100, 0x100, 0x101});
	CHECK_REFUSED("segment 3 at 0xffff00-0x1000001 is not in");
	elf_seg((struct ph){PT_LOAD, 0x2000, 0xfffff000, 0, 0xffffffff});
	CHECK_REFUSED("segment 3 at 0xfffff000-0x1ffffefff is not in");
	/* A segment with no memory is skipped, wherever it points. */
	elf_seg((struct ph){PT_LOAD, 0xffffffff, 0xffffffff, 0, 0});
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	CHECK_EQ(plan.nsegs, 1);
}

TEST(elf32_no_or_too_many_segments)
{
	struct ph ph[MB_MAX_SEGS + 1];

	for (unsigned i = 0; i <= MB_MAX_SEGS; i++)
		ph[i] = (struct ph){PT_LOAD, 0x1000, 0x200000 + i * 0x1000,
				    0x10, 0x1000};
	elf(0x200000, ph, MB_MAX_SEGS);
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
	CHECK_EQ(plan.nsegs, MB_MAX_SEGS);
	elf(0x200000, ph, MB_MAX_SEGS + 1);
	CHECK_REFUSED("more than 16 loadable segments");
	elf(0x200000, good_ph + 1, 2); /* a note and an empty segment */
	CHECK_REFUSED("ELF has no loadable segment");
}

TEST(elf32_entry_outside)
{
	elf(0x200800, good_ph, NGOOD); /* just past the text */
	CHECK_REFUSED("entry point 0x200800 is not inside the loaded image");
	elf(0x201100, good_ph, NGOOD); /* the bss */
	CHECK_REFUSED("entry point 0x201100 is not inside");
	elf(0xc0200010, good_ph, NGOOD); /* virtual, not physical */
	CHECK_REFUSED("entry point 0xc0200010 is not inside");
	elf(0x2010ff, good_ph, NGOOD); /* the last byte of the data */
	CHECK_EQ(check(IMG_SIZE, "", 0), 0);
}

/* With flag 16 the address fields win, even in an ELF file. */
TEST(kludge_wins_over_elf)
{
	elf(GOOD_ENTRY, good_ph, NGOOD);
	kludge_at(MB_OFF, (const uint32_t[5]){0x100000 + MB_OFF, 0x100000,
					      0x101000, 0, 0x100000});
	CHECK_EQ(check_and_load("", 0), 0);
	CHECK_EQ(plan.nsegs, 1);
	CHECK(memcmp(mem + 0x100000, img, 0x1000) == 0);
	CHECK(all_zero(0x200000, 0x800));
}

TEST(modules_that_do_not_fit)
{
	static uint8_t big[GUEST - 0x105000];

	kludge(good_kludge);
	CHECK_EQ(check(IMG_SIZE, "", LOADER_MAX_MODULES + 1), -1);
	CHECK_STR(err, "5 modules given, at most 4 are supported");
	CHECK_EQ(check(IMG_SIZE, "", LOADER_MAX_MODULES), 0);
	/* A module filling RAM exactly to its end fits... */
	mods[0] = (struct loader_module){big, sizeof(big), "big"};
	CHECK_EQ(check(IMG_SIZE, "", 1), 0);
	CHECK_EQ(plan.mod[0], 0x105000);
	/* ...a byte more, or anything after it, does not. */
	mods[0].size = sizeof(big) + 1;
	CHECK_EQ(check(IMG_SIZE, "", 1), -1);
	CHECK_STR(err, "module 0 (15708161 bytes at 0x105000) does not fit "
		       "in the guest's RAM below 4 GiB");
	mods[0].size = sizeof(big);
	CHECK_EQ(check(IMG_SIZE, "", 2), -1);
	CHECK_CONTAINS(err, "module 1 (16 bytes at 0x1000000) does not fit");
	mods[0].size = SIZE_MAX;
	CHECK_EQ(check(IMG_SIZE, "", 1), -1);
	CHECK_CONTAINS(err, "module 0");
}

TEST(empty_module_and_no_name)
{
	kludge(good_kludge);
	mods[0] = (struct loader_module){NULL, 0, NULL};
	CHECK_EQ(check_and_load("", 2), 0);
	CHECK_EQ(plan.mod[0], 0x105000);
	CHECK_EQ(plan.mod[1], 0x105000); /* the empty one takes no page */
	uint32_t ml = rd(boot.rbx + I_MODS);
	CHECK_EQ(rd(ml), 0x105000);
	CHECK_EQ(rd(ml + 4), 0x105000);
	CHECK_STR((char *)mem + rd(ml + 8), "");
	CHECK(memcmp(mem + 0x105000, mod1, sizeof(mod1)) == 0);
}

/* The boot area holds the information and strings; no other limit. */
TEST(command_line_too_long)
{
	static char cmd[0x9f000 - 0x9000 + 1];
	const size_t n = sizeof(cmd) - 1;
	/* 0x9000 + 88 info + 3 * 24 mmap, "hv", the string and its NUL. */
	const size_t most = n - 88 - 72 - 3 - 1;

	kludge(good_kludge);
	memset(cmd, 'a', n);
	cmd[n] = '\0';
	CHECK_EQ(check(IMG_SIZE, cmd, 0), -1);
	CHECK_STR(err, "command line (614400 bytes) does not fit in the "
		       "guest's boot area below 0x9f000");
	cmd[most] = '\0';
	CHECK_EQ(check_and_load(cmd, 0), 0);
	CHECK_EQ(strlen((char *)mem + rd(boot.rbx + I_CMDLINE)), most);
	CHECK_EQ(mem[0x9f000 - 1], 0);
	CHECK_EQ(mem[0x9f000 - 2], 'a');
	cmd[most] = 'a';
	cmd[most + 1] = '\0';
	CHECK_EQ(check(IMG_SIZE, cmd, 0), -1);
	CHECK_STR(err, "command line (614237 bytes) does not fit in the "
		       "guest's boot area below 0x9f000");
	/* The module names share the area (the list takes 16 bytes more). */
	cmd[most - 20] = '\0';
	CHECK_EQ(check(IMG_SIZE, cmd, 1), -1);
	CHECK_STR(err, "module 0's name (12 bytes) does not fit in the "
		       "guest's boot area below 0x9f000");
	cmd[most - 16 - 13] = '\0';
	CHECK_EQ(check(IMG_SIZE, cmd, 1), 0);
}

TEST(guest_too_small)
{
	kludge(good_kludge);
	layout_ram(MIB, &ram);
	CHECK_REFUSED("segment 0 at 0x100000-0x105000 is not in the guest's "
		      "RAM");
	ram.n = 0;
	CHECK_REFUSED("guest RAM does not cover the boot area");
}

int main(void)
{
	RUN(kludge_loads_image_and_modules);
	RUN(kludge_boot_state);
	RUN(info_structure);
	RUN(mmap_matches_layout);
	RUN(big_guest_plan);
	RUN(kludge_whole_file_from_offset);
	RUN(elf32_loads_segments);
	RUN(elf32_modules_after_highest_segment);
	RUN(detect);
	RUN(no_header);
	RUN(bad_checksum);
	RUN(header_past_8192);
	RUN(unsupported_flags);
	RUN(kludge_fields_out_of_bounds);
	RUN(kludge_entry_outside);
	RUN(kludge_outside_ram);
	RUN(elf32_bad_header);
	RUN(elf32_truncated_phdrs);
	RUN(elf32_bad_segments);
	RUN(elf32_no_or_too_many_segments);
	RUN(elf32_entry_outside);
	RUN(kludge_wins_over_elf);
	RUN(modules_that_do_not_fit);
	RUN(empty_module_and_no_name);
	RUN(command_line_too_long);
	RUN(guest_too_small);
	free(mem);
	return TEST_END();
}
