// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/loader_flat.c: boot-sector-style flat binaries. */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"
#include "vm/loader.h"

#define MIB	 (1u << 20)
#define GUEST	 (16 * MIB)
#define BASE	 0x7c00u
#define FLAT_MAX (0xa0000u - BASE)

static struct guest_ram ram;
static uint8_t *mem;
static uint8_t img[FLAT_MAX + 1];
static struct vcpu_boot boot;
static char err[160];

static int check(size_t size)
{
	err[0] = '\0';
	return loader_flat_check(&ram, size, err, sizeof(err));
}

/* A fresh zeroed 16 MiB guest and an image of recognisable bytes. */
static void setup(void)
{
	free(mem);
	mem = calloc(1, GUEST);
	layout_ram(GUEST, &ram);
	for (size_t i = 0; i < sizeof(img); i++)
		img[i] = (uint8_t)(i * 7 + 1);
	memset(&boot, 0xa5, sizeof(boot));
}

TEST(boot_sector)
{
	setup();
	img[510] = 0x55;
	img[511] = 0xaa;
	CHECK_EQ(check(512), 0);
	CHECK_STR(err, "");
	loader_flat_load(mem, &ram, img, 512, &boot);
	CHECK(memcmp(mem + BASE, img, 512) == 0);
	CHECK_EQ(mem[BASE - 1], 0);
	CHECK_EQ(mem[BASE + 512], 0);
	CHECK_EQ(mem[BASE + 510], 0x55);
	CHECK_EQ(boot.mode, VCPU_MODE_REAL);
	CHECK_EQ(boot.rip, 0x7c00);
	CHECK_EQ(boot.cs, 0);
	CHECK_EQ(boot.ds, 0);
	CHECK_EQ(boot.rsp, 0x7c00);
	CHECK_EQ(boot.rdx, 0x80);
	CHECK_EQ(boot.gdt_base, 0);
	CHECK_EQ(boot.gdt_limit, 0xffff);
	CHECK_EQ(boot.cr3, 0);
	CHECK_EQ(boot.rax, 0);
	CHECK_EQ(boot.rbx, 0);
	CHECK_EQ(boot.rsi, 0);
	CHECK_EQ(boot.rdi, 0);
}

TEST(largest_fits_up_to_the_vga_hole)
{
	setup();
	CHECK_EQ(check(FLAT_MAX), 0);
	loader_flat_load(mem, &ram, img, FLAT_MAX, &boot);
	CHECK(memcmp(mem + BASE, img, FLAT_MAX) == 0);
	CHECK_EQ(mem[0xa0000], 0);
	CHECK_EQ(check(1), 0);
	/* Even the smallest guest has the low 640 KiB. */
	layout_ram(MIB, &ram);
	CHECK_EQ(check(FLAT_MAX), 0);
}

TEST(empty_refused)
{
	setup();
	CHECK_EQ(check(0), -1);
	CHECK_STR(err, "flat image is empty");
}

TEST(too_big_refused)
{
	setup();
	CHECK_EQ(check(FLAT_MAX + 1), -1);
	CHECK_STR(err, "flat image of 623617 bytes does not fit between "
		       "0x7c00 and the VGA hole at 0xa0000 (at most 623616 "
		       "bytes)");
	CHECK_EQ(check(SIZE_MAX), -1);
	CHECK_CONTAINS(err, "does not fit");
}

TEST(ram_without_low_memory_refused)
{
	setup();
	ram.n = 0; /* no RAM at all: nothing is accepted */
	CHECK_EQ(check(512), -1);
	CHECK_CONTAINS(err, "does not fit");
}

int main(void)
{
	RUN(boot_sector);
	RUN(largest_fits_up_to_the_vga_hole);
	RUN(empty_refused);
	RUN(too_big_refused);
	RUN(ram_without_low_memory_refused);
	free(mem);
	return TEST_END();
}
