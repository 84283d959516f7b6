// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/loader_linux.c: bzImages built here, loaded, started. */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "vm/abi.h"
#include "vm/loader.h"

#define MIB	  (1ull << 20)
#define GIB	  (1ull << 30)
#define GUEST	  (64 * MIB)
#define SETUP	  0xa00 /* setup_sects 4: boot sector and 4 sectors */
#define PAYLOAD	  0x3000
#define IMG_SIZE  (SETUP + PAYLOAD)
#define PREF	  0x1000000ull /* 16 MiB, as x86-64 kernels are built */
#define INIT_SIZE 0x800000ull
#define INITRD	  0x5432
#define ZP	  LINUX_ZERO_PAGE

/* Setup header offsets, boot.rst "THE REAL-MODE KERNEL HEADER". */
#define H_SETUP_SECTS 0x1f1
#define H_BOOT_FLAG   0x1fe
#define H_JUMP	      0x200
#define H_MAGIC	      0x202
#define H_VERSION     0x206
#define H_TYPE_LOADER 0x210
#define H_LOADFLAGS   0x211
#define H_CODE32      0x214
#define H_RD_IMAGE    0x218
#define H_RD_SIZE     0x21c
#define H_CMDLINE     0x228
#define H_INITRD_MAX  0x22c
#define H_ALIGN	      0x230
#define H_RELOC	      0x234
#define H_XLOADFLAGS  0x236
#define H_CMDLINE_MAX 0x238
#define H_SETUP_DATA  0x250
#define H_PREF	      0x258
#define H_INIT_SIZE   0x260
#define H_END	      0x26c /* 2.15: up to kernel_info_offset */

/* Zero page offsets, zero-page.rst. */
#define Z_EXT_RD_IMAGE 0x0c0
#define Z_EXT_RD_SIZE  0x0c4
#define Z_EXT_CMDLINE  0x0c8
#define Z_E820_ENTRIES 0x1e8
#define Z_E820_TABLE   0x2d0

#define PTE_P	 1ull
#define PTE_W	 2ull
#define PTE_PS	 0x80ull
#define PTE_ADDR 0x000ffffffffff000ull

static uint8_t img[IMG_SIZE];
static uint8_t initrd[INITRD];
static struct guest_ram ram;
static struct linux_plan plan;
static struct vcpu_boot boot;
static char err[200];

/* The partition, allocated to its exact size so ASan sees any stray
 * write; tests that stop early leave it for the next one to free. */
static uint8_t *mem;

static void put(size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* Filler with no zero bytes, so a byte that was not copied shows. */
static uint8_t fill(size_t off)
{
	return (uint8_t)(off % 251 + 1);
}

/* A good bzImage: 2.15 header, relocatable, 64-bit entry, payload of
 * filler after four setup sectors; fields not set here keep filler. */
static void build(void)
{
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = fill(i);
	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 7 + 3);
	put(H_SETUP_SECTS, 4, 1);
	put(H_BOOT_FLAG, 0xaa55, 2);
	put(H_JUMP, 0xeb, 1);
	put(H_JUMP + 1, H_END - 0x202, 1);
	memcpy(img + H_MAGIC, "HdrS", 4);
	put(H_VERSION, 0x020f, 2);
	put(H_TYPE_LOADER, 0, 1);
	put(H_LOADFLAGS, 0xe1, 1); /* LOADED_HIGH, and flags we clear */
	put(H_CODE32, 0x100000, 4);
	put(H_RD_IMAGE, 0, 8);
	put(H_CMDLINE, 0, 4);
	put(H_INITRD_MAX, 0x7fffffff, 4);
	put(H_ALIGN, 0x200000, 4);
	put(H_RELOC, 1, 1);
	put(H_XLOADFLAGS, 0x3, 2); /* XLF_KERNEL_64, above 4G */
	put(H_CMDLINE_MAX, 2047, 4);
	put(H_SETUP_DATA, 0xdeadbeef, 8); /* must not reach the guest */
	put(H_PREF, PREF, 8);
	put(H_INIT_SIZE, INIT_SIZE, 4);
}

static int check_size(uint64_t guest, size_t size, const char *cmdline,
		      const void *rd, size_t rd_size)
{
	if (layout_ram(guest, &ram))
		return -2;
	memset(err, 'X', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return loader_linux_check(&ram, img, size, cmdline, rd, rd_size, &plan,
				  err, sizeof(err));
}

static int check(uint64_t guest, const char *cmdline, size_t rd_size)
{
	return check_size(guest, IMG_SIZE, cmdline, initrd, rd_size);
}

/* ram as set; the partition is as big as its ranges. */
static int load(const char *cmdline)
{
	uint64_t size = 0;

	for (uint32_t i = 0; i < ram.n; i++)
		if (ram.r[i].offset + ram.r[i].size > size)
			size = ram.r[i].offset + ram.r[i].size;
	free(mem);
	mem = calloc(1, size);
	if (!mem)
		return -1;
	memset(&boot, 0xa5, sizeof(boot));
	loader_linux_load(mem, &ram, img, cmdline, initrd, &plan, &boot);
	return 0;
}

static int check_and_load(uint64_t guest, const char *cmdline, size_t rd_size)
{
	if (check(guest, cmdline, rd_size))
		return -1;
	return load(cmdline);
}

#define CHECK_REFUSED(guest, cmdline, rd_size, what)          \
	do {                                                  \
		CHECK_EQ(check(guest, cmdline, rd_size), -1); \
		CHECK_CONTAINS(err, what);                    \
	} while (0)

static uint8_t *gp(uint64_t gpa, uint64_t len)
{
	int64_t off = layout_offset(&ram, gpa, len);

	return off < 0 ? NULL : mem + off;
}

static uint64_t rdn(uint64_t gpa, int bytes)
{
	const uint8_t *p = gp(gpa, (uint64_t)bytes);
	uint64_t v = 0;

	if (!p)
		return ~0ull;
	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t rd32(uint64_t gpa)
{
	return rdn(gpa, 4);
}

static uint64_t rd64(uint64_t gpa)
{
	return rdn(gpa, 8);
}

static int all_zero(uint64_t gpa, uint64_t len)
{
	const uint8_t *p = gp(gpa, len);

	for (uint64_t i = 0; p && i < len; i++)
		if (p[i])
			return 0;
	return p != NULL;
}

/* Translate va through the guest's tables as the CPU would: -1 if not
 * mapped, -2 if mapped other than writable through a 2 MiB page. */
static int64_t walk(uint64_t va)
{
	uint64_t t = boot.cr3 & PTE_ADDR, e;

	for (int shift = 39; shift >= 30; shift -= 9) {
		e = rd64(t + 8 * ((va >> shift) & 511));
		if (!(e & PTE_P))
			return -1;
		if (!(e & PTE_W) || (e & PTE_PS))
			return -2;
		t = e & PTE_ADDR;
	}
	e = rd64(t + 8 * ((va >> 21) & 511));
	if (!(e & PTE_P))
		return -1;
	if (!(e & PTE_W) || !(e & PTE_PS))
		return -2;
	return (int64_t)((e & PTE_ADDR & ~0x1fffffull) + (va & 0x1fffff));
}

static int identity(uint64_t gpa, uint64_t len)
{
	return walk(gpa) == (int64_t)gpa &&
	       walk(gpa + len - 1) == (int64_t)(gpa + len - 1);
}

static int overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

TEST(good_image_loads_payload)
{
	build();
	CHECK_EQ(check_and_load(GUEST, "console=ttyS0", INITRD), 0);
	CHECK_EQ(plan.load, PREF);
	CHECK_EQ(plan.footprint, INIT_SIZE);
	CHECK(memcmp(mem + PREF, img + SETUP, PAYLOAD) == 0);
	CHECK(all_zero(PREF + PAYLOAD, INIT_SIZE - PAYLOAD));
	CHECK(all_zero(PREF - 0x1000, 0x1000)); /* no setup code before */
	CHECK(memcmp(mem + plan.initrd, initrd, INITRD) == 0);
	CHECK_STR((char *)mem + LINUX_CMDLINE, "console=ttyS0");
	/* Nothing in the ACPI tables' area, the VGA hole has no backing. */
	CHECK(all_zero(LINUX_ACPI_BASE, LINUX_ACPI_END - LINUX_ACPI_BASE));
}

TEST(zero_page_fields)
{
	build();
	CHECK_EQ(check_and_load(GUEST, "root=/dev/vda ro", INITRD), 0);
	CHECK_EQ(mem[ZP + H_TYPE_LOADER], 0xff);
	CHECK_EQ(mem[ZP + H_LOADFLAGS], 0x01);
	CHECK_EQ(rd32(ZP + H_CMDLINE), LINUX_CMDLINE);
	CHECK_EQ(rd32(ZP + Z_EXT_CMDLINE), 0);
	CHECK_STR((char *)mem + rd32(ZP + H_CMDLINE), "root=/dev/vda ro");
	CHECK_EQ(rd32(ZP + H_RD_IMAGE), plan.initrd);
	CHECK_EQ(rd32(ZP + H_RD_SIZE), INITRD);
	CHECK_EQ(rd32(ZP + Z_EXT_RD_IMAGE), 0);
	CHECK_EQ(rd32(ZP + Z_EXT_RD_SIZE), 0);
	CHECK(memcmp(mem + rd32(ZP + H_RD_IMAGE), initrd, INITRD) == 0);
	CHECK_EQ(rd32(ZP + H_CODE32), PREF);
	CHECK_EQ(rd64(ZP + H_SETUP_DATA), 0);
	/* The rest of the header is the image's, byte for byte. */
	for (uint32_t off = H_SETUP_SECTS; off < H_END; off++) {
		int ours = off == H_TYPE_LOADER || off == H_LOADFLAGS ||
			   (off >= H_CODE32 && off < H_RD_SIZE + 4) ||
			   (off >= H_CMDLINE && off < H_CMDLINE + 4) ||
			   (off >= H_SETUP_DATA && off < H_SETUP_DATA + 8);
		if (!ours && mem[ZP + off] != img[off]) {
			printf("    header byte 0x%x differs\n", off);
			CHECK(0);
		}
	}
	/* Past the header's end, and before it but for what we fill. */
	CHECK(all_zero(ZP + H_END, Z_E820_TABLE - H_END));
	CHECK(all_zero(ZP, Z_E820_ENTRIES));
	CHECK(all_zero(ZP + Z_E820_ENTRIES + 1, H_SETUP_SECTS - 0x1e9));
}

TEST(e820_matches_layout)
{
	static const uint64_t want[][3] = {
	    {0, 0xa0000, 1},
	    {0xe0000, 0x20000, 2}, /* the ACPI tables */
	    {0x100000, GUEST - 0x100000, 1},
	};
	build();
	CHECK_EQ(check_and_load(GUEST, "", 0), 0);
	CHECK_EQ(plan.e820_entries, 3);
	CHECK_EQ(mem[ZP + Z_E820_ENTRIES], 3);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t e = ZP + Z_E820_TABLE + 20 * i;
		CHECK_EQ(rd64(e), want[i][0]);
		CHECK_EQ(rd64(e + 8), want[i][1]);
		CHECK_EQ(rd32(e + 16), want[i][2]);
	}
	CHECK(all_zero(ZP + Z_E820_TABLE + 3 * 20, 20));
}

/* The ACPI tables fill a 1 MiB guest's second range: reserved, no RAM. */
TEST(e820_one_mib_guest)
{
	build();
	CHECK_EQ(layout_ram(MIB, &ram), 0);
	/* No room for a kernel, so no check: a plan with nothing to copy. */
	plan = (struct linux_plan){.load = 0x100000,
				   .setup_size = SETUP,
				   .hdr_end = H_END,
				   .e820_entries = 2};
	CHECK_EQ(load(""), 0);
	CHECK_EQ(mem[ZP + Z_E820_ENTRIES], 2);
	CHECK_EQ(rd64(ZP + Z_E820_TABLE + 20), 0xe0000);
	CHECK_EQ(rd64(ZP + Z_E820_TABLE + 28), 0x20000);
	CHECK_EQ(rd32(ZP + Z_E820_TABLE + 36), 2);
}

/* RAM above 4 GiB: a layout as layout_ram makes it for 64 MiB, then
 * 2 MiB at 4 GiB, so the partition stays small. */
TEST(e820_high_ram)
{
	build();
	CHECK_EQ(layout_ram(GUEST, &ram), 0);
	ram.r[2].gpa = 4 * GIB;
	ram.r[2].size = 2 * MIB;
	ram.r[2].offset = GUEST;
	ram.n = 3;
	CHECK_EQ(loader_linux_check(&ram, img, IMG_SIZE, "", initrd, INITRD,
				    &plan, err, sizeof(err)),
		 0);
	CHECK_EQ(plan.e820_entries, 4);
	CHECK_EQ(load(""), 0);
	CHECK_EQ(mem[ZP + Z_E820_ENTRIES], 4);
	uint64_t e = ZP + Z_E820_TABLE + 3 * 20;
	CHECK_EQ(rd64(e), 4 * GIB);
	CHECK_EQ(rd64(e + 8), 2 * MIB);
	CHECK_EQ(rd32(e + 16), 1);
	/* Kernel and initrd stay below 4 GiB, in the identity map. */
	CHECK(plan.initrd + INITRD <= GUEST);
	CHECK(all_zero(4 * GIB, 2 * MIB));
}

/* A real 5 GiB layout, plan only: the map lists the range at 4 GiB, the
 * initrd stays below initrd_addr_max + 1 = 2 GiB. */
TEST(big_guest_plan)
{
	build();
	CHECK_EQ(check(5 * GIB, "", INITRD), 0);
	CHECK_EQ(plan.e820_entries, 4);
	CHECK_EQ(plan.load, PREF);
	CHECK_EQ(plan.initrd, (2 * GIB - INITRD) & ~0xfffull);
}

TEST(vcpu_start_state)
{
	build();
	CHECK_EQ(check_and_load(GUEST, "quiet", INITRD), 0);
	CHECK_EQ(boot.mode, VCPU_MODE_LONG64);
	CHECK_EQ(boot.rip, PREF + 0x200);
	CHECK_EQ(boot.rsi, ZP);
	CHECK_EQ(boot.cs, 0x10);
	CHECK_EQ(boot.ds, 0x18);
	CHECK_EQ(boot.cr3, HV_BOOT_PML4);
	CHECK_EQ(boot.gdt_base, HV_BOOT_GDT);
	CHECK(boot.gdt_limit >= 0x1f);
	/* __BOOT_CS: present, code, readable, 64-bit (L, not D); __BOOT_DS:
	 * present, writable data, base 0, limit 4 GiB with 4 KiB pages. */
	uint64_t cs = rd64(boot.gdt_base + 0x10);
	uint64_t ds = rd64(boot.gdt_base + 0x18);
	CHECK_EQ((cs >> 40) & 0xff, 0x9a);
	CHECK_EQ((cs >> 53) & 3, 1);
	CHECK_EQ((ds >> 40) & 0xff, 0x92);
	CHECK_EQ(ds & 0xff0f00ffffffffffull, 0x000f00000000ffffull);
	CHECK_EQ((ds >> 55) & 1, 1);
	/* The kernel's init_size, the zero page, command line and initrd
	 * are identity-mapped. */
	CHECK(identity(plan.load, plan.footprint));
	CHECK(identity(ZP, 4096));
	CHECK(identity(LINUX_CMDLINE, 6));
	CHECK(identity(plan.initrd, INITRD));
	CHECK_EQ(walk(4 * GIB), -1);
	/* The stack: 16-byte aligned in RAM below the VGA hole, its page
	 * clear of the zero page, command line, tables and GDT. */
	CHECK_EQ(boot.rsp % 16, 0);
	CHECK(boot.rsp <= 0xa0000);
	CHECK(!overlap(boot.rsp - 4096, 4096, HV_BOOT_GDT, 0x7000));
	CHECK(!overlap(boot.rsp - 4096, 4096, ZP, 4096));
	CHECK(!overlap(boot.rsp - 4096, 4096, LINUX_CMDLINE,
		       plan.cmdline_len + 1));
	CHECK(!overlap(ZP, 4096, HV_BOOT_GDT, 0x7000));
}

TEST(initrd_at_top_of_ram)
{
	build();
	CHECK_EQ(check_and_load(GUEST, "", INITRD), 0);
	CHECK_EQ(plan.initrd % 4096, 0);
	CHECK_EQ(plan.initrd, (GUEST - INITRD) & ~0xfffull);
	CHECK(memcmp(mem + plan.initrd, initrd, INITRD) == 0);
}

TEST(initrd_below_initrd_addr_max)
{
	build();
	put(H_INITRD_MAX, 0x1ffffff, 4); /* 32 MiB - 1 */
	CHECK_EQ(check_and_load(GUEST, "", INITRD), 0);
	CHECK_EQ(plan.initrd, (32 * MIB - INITRD) & ~0xfffull);
	CHECK(memcmp(mem + plan.initrd, initrd, INITRD) == 0);
	/* initrd_addr_max is the last byte it may use: a whole number of
	 * pages ends right at it. */
	CHECK_EQ(check(GUEST, "", 0x8000), 0);
	CHECK_EQ(plan.initrd, 32 * MIB - 0x8000);
}

/* initrd_addr_max falls inside the kernel's [16, 24) MiB: the initrd
 * must go below it, not over the kernel's init_size. */
TEST(initrd_not_over_kernel)
{
	build();
	put(H_INITRD_MAX, 0x13fffff, 4); /* 20 MiB - 1 */
	CHECK_EQ(check_and_load(GUEST, "", INITRD), 0);
	CHECK(!overlap(plan.initrd, INITRD, plan.load, INIT_SIZE));
	CHECK_EQ(plan.initrd, (PREF - INITRD) & ~0xfffull);
	CHECK(memcmp(mem + PREF, img + SETUP, PAYLOAD) == 0);
	CHECK(memcmp(mem + plan.initrd, initrd, INITRD) == 0);
}

/* A 25 MiB guest has 1 MiB above the kernel's [16, 24) MiB: the initrd
 * goes at its top; with initrd_addr_max at 24 MiB, below the kernel. */
TEST(initrd_above_kernel)
{
	build();
	CHECK_EQ(check(25 * MIB, "", 0x8000), 0);
	CHECK_EQ(plan.initrd, 25 * MIB - 0x8000);
	put(H_INITRD_MAX, 0x17fffff, 4); /* 24 MiB - 1 */
	CHECK_EQ(check(25 * MIB, "", 0x8000), 0);
	CHECK_EQ(plan.initrd, PREF - 0x8000);
}

TEST(no_initrd)
{
	build();
	CHECK_EQ(check_size(GUEST, IMG_SIZE, "", NULL, 123), 0);
	CHECK_EQ(plan.initrd_size, 0);
	CHECK_EQ(load(""), 0);
	CHECK_EQ(rd32(ZP + H_RD_IMAGE), 0);
	CHECK_EQ(rd32(ZP + H_RD_SIZE), 0);
}

TEST(initrd_too_big)
{
	build();
	/* Only its size is read by the check: no 60 MiB buffer needed. */
	CHECK_REFUSED(GUEST, "", 60 * MIB,
		      "initrd of 62914560 bytes does not fit below "
		      "initrd_addr_max 0x7fffffff");
	put(H_INITRD_MAX, 0xfffff, 4); /* only below 1 MiB: never */
	CHECK_REFUSED(GUEST, "", 1, "initrd_addr_max 0xfffff");
}

TEST(empty_command_line)
{
	build();
	CHECK_EQ(check_and_load(GUEST, NULL, 0), 0);
	CHECK_EQ(rd32(ZP + H_CMDLINE), LINUX_CMDLINE);
	CHECK_EQ(mem[LINUX_CMDLINE], 0);
}

TEST(command_line_too_long)
{
	build();
	put(H_CMDLINE_MAX, 16, 4);
	CHECK_EQ(check(GUEST, "0123456789abcdef", 0), 0); /* exactly 16 */
	CHECK_REFUSED(GUEST, "0123456789abcdefg", 0,
		      "command line of 17 bytes exceeds cmdline_size 16");
	/* A kernel allowing more than the boot area holds. */
	put(H_CMDLINE_MAX, 0xffffffff, 4);
	static char huge[0x60000];
	memset(huge, 'a', sizeof(huge) - 1);
	CHECK_REFUSED(GUEST, huge, 0, "does not fit in the guest's boot area");
}

/* The kernel goes at pref_address, relocatable or not (its decompressor
 * would run there anyway); a guest too small for it is told how big it
 * must be. */
TEST(loads_at_pref)
{
	build();
	put(H_PREF, 0x2000000, 8); /* 32 MiB */
	CHECK_EQ(check_and_load(GUEST, "", INITRD), 0);
	CHECK_EQ(plan.load, 32 * MIB);
	CHECK_EQ(boot.rip, 32 * MIB + 0x200);
	CHECK(memcmp(mem + 32 * MIB, img + SETUP, PAYLOAD) == 0);
	CHECK(!overlap(plan.initrd, INITRD, plan.load, INIT_SIZE));
	put(H_RELOC, 0, 1);
	put(H_PREF, 0x200000, 8);
	CHECK_EQ(check_and_load(GUEST, "", 0), 0);
	CHECK_EQ(plan.load, 0x200000);
	CHECK_EQ(boot.rip, 0x200200);
	CHECK(memcmp(mem + 0x200000, img + SETUP, PAYLOAD) == 0);
}

TEST(guest_too_small_for_kernel)
{
	build(); /* pref 16 MiB, init_size 8 MiB */
	CHECK_REFUSED(16 * MIB, "", 0,
		      "the kernel runs at 0x1000000 (pref_address) and needs "
		      "0x800000 bytes there (init_size): give the guest at "
		      "least 24 MiB");
	CHECK_REFUSED(24 * MIB - MIB, "", 0, "at least 24 MiB");
	CHECK_EQ(check(24 * MIB, "", 0), 0); /* exactly init_size at 16 */
	put(H_PREF, 0x4000000, 8);
	CHECK_REFUSED(32 * MIB, "", 0, "at least 72 MiB");
}

TEST(pref_outside_ram)
{
	build();
	/* Not into the boot area or the ACPI tables below 1 MiB. */
	put(H_PREF, 0xe0000, 8);
	CHECK_REFUSED(GUEST, "", 0,
		      "runs at 0xe0000 (pref_address), outside the RAM");
	/* Nor into the MMIO window of a big guest. */
	put(H_PREF, 3 * GIB, 8);
	CHECK_REFUSED(5 * GIB, "", 0, "runs at 0xc0000000");
}

TEST(setup_sects_zero_means_four)
{
	build();
	put(H_SETUP_SECTS, 0, 1);
	CHECK_EQ(check_and_load(GUEST, "", 0), 0);
	CHECK_EQ(plan.setup_size, SETUP);
	CHECK(memcmp(mem + PREF, img + SETUP, PAYLOAD) == 0);
	put(H_SETUP_SECTS, 1, 1);
	CHECK_EQ(check(GUEST, "", 0), 0);
	CHECK_EQ(plan.kernel_size, IMG_SIZE - 0x400);
}

TEST(bad_signature)
{
	build();
	put(H_BOOT_FLAG, 0xaa56, 2);
	CHECK_REFUSED(GUEST, "", 0, "not a bzImage: no boot_flag 0xAA55");
	build();
	img[H_MAGIC + 3] = 's';
	CHECK_REFUSED(GUEST, "", 0,
		      "not a bzImage: no 'HdrS' signature at 0x202");
}

TEST(old_protocol)
{
	build();
	put(H_VERSION, 0x0206, 2);
	CHECK_REFUSED(GUEST, "", 0,
		      "boot protocol 2.06 is too old (2.12 or later needed "
		      "for 64-bit entry)");
	put(H_VERSION, 0x020b, 2);
	CHECK_REFUSED(GUEST, "", 0, "boot protocol 2.11 is too old");
	put(H_VERSION, 0x020c, 2);
	CHECK_EQ(check(GUEST, "", 0), 0);
}

TEST(no_64bit_entry)
{
	build();
	put(H_XLOADFLAGS, 0x2, 2);
	CHECK_REFUSED(GUEST, "", 0, "lack XLF_KERNEL_64");
}

TEST(not_loaded_high)
{
	build();
	put(H_LOADFLAGS, 0x80, 1);
	CHECK_REFUSED(GUEST, "", 0, "lack LOADED_HIGH");
}

TEST(truncated_image)
{
	build();
	CHECK_EQ(check_size(GUEST, SETUP, "", NULL, 0), -1);
	CHECK_CONTAINS(err, "truncated image: the protected-mode kernel "
			    "starts at 0xa00");
	CHECK_EQ(check_size(GUEST, SETUP + 1, "", NULL, 0), 0);
	CHECK_EQ(check_size(GUEST, 1023, "", NULL, 0), -1);
	CHECK_CONTAINS(err, "1023 bytes is too small");
	put(H_SETUP_SECTS, 0x1f, 1); /* 16 KiB of setup in 14.5 KiB */
	CHECK_REFUSED(GUEST, "", 0, "setup_sects 31");
}

TEST(setup_header_length)
{
	build();
	put(H_JUMP + 1, 0x60, 1); /* ends at 0x262: cuts init_size */
	CHECK_REFUSED(GUEST, "", 0, "setup header ends at 0x262");
	/* Longer than the zero page has room for: only up to 0x290. */
	put(H_JUMP + 1, 0xff, 1);
	CHECK_EQ(check_and_load(GUEST, "", 0), 0);
	CHECK_EQ(mem[ZP + 0x28f], img[0x28f]);
	CHECK(all_zero(ZP + 0x290, Z_E820_TABLE - 0x290));
}

TEST(detect)
{
	build();
	CHECK_EQ(loader_linux_detect(img, IMG_SIZE), 1);
	CHECK_EQ(loader_linux_detect(img, 1023), 0);
	put(H_VERSION, 0x0200, 2); /* detected, refused by the check */
	CHECK_EQ(loader_linux_detect(img, IMG_SIZE), 1);
	put(H_BOOT_FLAG, 0, 2);
	CHECK_EQ(loader_linux_detect(img, IMG_SIZE), 0);
	build();
	memcpy(img + H_MAGIC, "HdrZ", 4);
	CHECK_EQ(loader_linux_detect(img, IMG_SIZE), 0);
	/* An ELF file is not one. */
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	CHECK_EQ(loader_linux_detect(img, IMG_SIZE), 0);
}

int main(void)
{
	RUN(good_image_loads_payload);
	RUN(zero_page_fields);
	RUN(e820_matches_layout);
	RUN(e820_one_mib_guest);
	RUN(e820_high_ram);
	RUN(big_guest_plan);
	RUN(vcpu_start_state);
	RUN(initrd_at_top_of_ram);
	RUN(initrd_below_initrd_addr_max);
	RUN(initrd_not_over_kernel);
	RUN(initrd_above_kernel);
	RUN(no_initrd);
	RUN(initrd_too_big);
	RUN(empty_command_line);
	RUN(command_line_too_long);
	RUN(loads_at_pref);
	RUN(guest_too_small_for_kernel);
	RUN(pref_outside_ram);
	RUN(setup_sects_zero_means_four);
	RUN(bad_signature);
	RUN(old_protocol);
	RUN(no_64bit_entry);
	RUN(not_loaded_high);
	RUN(truncated_image);
	RUN(setup_header_length);
	RUN(detect);
	free(mem);
	return TEST_END();
}
