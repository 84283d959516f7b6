// SPDX-License-Identifier: MIT
/* Linux bzImage guests: x86 boot protocol 2.12+, entered in 64-bit mode. */
#include <string.h>

#include "../lib/fmt.h"
#include "abi.h"
#include "loader.h"

/*
 * Documentation/arch/x86/boot.rst, "THE REAL-MODE KERNEL HEADER": offsets
 * in the image's first sector, and the same offsets in the zero page,
 * whose hdr (struct setup_header) starts at 0x1F1 too.
 */
#define HDR_SETUP_SECTS	  0x1f1 /* 1 byte: 0 means 4 */
#define HDR_BOOT_FLAG	  0x1fe /* 2 bytes: 0xAA55 */
#define HDR_JUMP	  0x200 /* 0xEB, then the header's length - 2 */
#define HDR_HEADER	  0x202 /* "HdrS" */
#define HDR_VERSION	  0x206
#define HDR_TYPE_LOADER	  0x210
#define HDR_LOADFLAGS	  0x211
#define HDR_CODE32_START  0x214
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE  0x21c
#define HDR_CMD_LINE_PTR  0x228
#define HDR_INITRD_MAX	  0x22c /* 2.03+: highest byte the initrd may use */
#define HDR_XLOADFLAGS	  0x236 /* 2.12+ */
#define HDR_CMDLINE_SIZE  0x238 /* 2.06+: without the terminating NUL */
#define HDR_SETUP_DATA	  0x250 /* 2.09+ */
#define HDR_PREF_ADDRESS  0x258 /* 2.10+ */
#define HDR_INIT_SIZE	  0x260 /* 2.10+ */
#define HDR_END_2_12	  0x268 /* handover_offset, the last 2.12 field */

#define BOOT_FLAG	0xaa55
#define HDR_MAGIC	"HdrS"
#define VERSION_MIN	0x020c /* xloadflags, hence XLF_KERNEL_64 */
#define LOADED_HIGH	0x01   /* loadflags bit 0 */
#define XLF_KERNEL_64	0x01   /* xloadflags bit 0: entry at +0x200 */
#define ENTRY_64	0x200
#define TYPE_UNDEFINED	0xff /* type_of_loader: no assigned ID */
#define MIN_IMAGE	1024 /* boot sector and at least one setup sector */
#define SECTOR		512
#define SETUP_SECTS_DEF 4

/*
 * Documentation/arch/x86/zero-page.rst (struct boot_params): the fields
 * outside hdr that a boot loader fills.  The setup header may not run
 * into edd_mbr_sig_buffer at 0x290.
 */
#define ZP_SIZE		     4096
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE  0x0c4
#define ZP_EXT_CMD_LINE_PTR  0x0c8
#define ZP_E820_ENTRIES	     0x1e8 /* 1 byte */
#define ZP_HDR_LIMIT	     0x290
#define ZP_E820_TABLE	     0x2d0 /* struct boot_e820_entry, packed */
#define ZP_E820_MAX	     128
#define E820_ENTRY	     20 /* u64 addr, u64 size, u32 type */
#define E820_RAM	     1
#define E820_RESERVED	     2

_Static_assert(ZP_E820_TABLE + ZP_E820_MAX * E820_ENTRY <= ZP_SIZE,
	       "the e820 table lies inside the zero page");
_Static_assert(LAYOUT_MAX_RANGES * 3 <= ZP_E820_MAX,
	       "each RAM range splits into at most three entries");
_Static_assert(LINUX_ZERO_PAGE >= HV_BOOT_INFO + 4096 &&
		   LINUX_ZERO_PAGE + ZP_SIZE <= LINUX_CMDLINE &&
		   LINUX_CMDLINE_END <= LINUX_STACK &&
		   LINUX_STACK <= LAYOUT_VGA_HOLE,
	       "boot area: page tables, hv_boot's page, zero page, command "
	       "line, stack, in that order below the VGA hole");

/*
 * Nothing goes below 1 MiB but our boot area (and the ACPI tables from
 * 0xE0000).  All of it stays below 4 GiB, which the page tables map.
 */
#define LOAD_MIN    LINUX_ACPI_END
#define MAP_END	    (4ull << 30)
#define PAGE	    4096ull
#define GDT_ENTRIES 4
#define BOOT_CS	    0x10 /* __BOOT_CS, "64-bit BOOT PROTOCOL" */
#define BOOT_DS	    0x18 /* __BOOT_DS */
#define GDT_CODE64  0x00af9a000000ffffull
#define GDT_DATA    0x00cf92000000ffffull

/* What every check step needs. */
struct ctx {
	const struct guest_ram *ram;
	const uint8_t *img;
	size_t size;
	struct linux_plan *plan;
	char *err;
	size_t es;
};

static int fail(const struct ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(const struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(c->err, c->es, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The header is little-endian and not aligned: read and write bytewise. */
static uint32_t rd(const uint8_t *p, int bytes)
{
	uint32_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd(p, 4) | (uint64_t)rd(p + 4, 4) << 32;
}

static void wr(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static int has_signature(const uint8_t *img, size_t size)
{
	return size >= MIN_IMAGE && rd(img + HDR_BOOT_FLAG, 2) == BOOT_FLAG &&
	       memcmp(img + HDR_HEADER, HDR_MAGIC, 4) == 0;
}

int loader_linux_detect(const void *img, size_t size)
{
	return has_signature(img, size);
}

/* Does [gpa, gpa + len) lie in one RAM range, clear of the boot area
 * and the ACPI tables below 1 MiB, and inside the identity map? */
static int fits(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
	return gpa >= LOAD_MIN && gpa <= MAP_END && len <= MAP_END - gpa &&
	       layout_offset(ram, gpa, len) >= 0;
}

/* The header's fields that decide whether we can boot it at all. */
static int check_header(const struct ctx *c)
{
	const uint8_t *k = c->img;
	struct linux_plan *p = c->plan;

	if (c->size < MIN_IMAGE)
		return fail(c,
			    "not a bzImage: %zu bytes is too small for a boot "
			    "sector and setup header",
			    c->size);
	if (rd(k + HDR_BOOT_FLAG, 2) != BOOT_FLAG)
		return fail(c, "not a bzImage: no boot_flag 0xAA55 at 0x1fe");
	if (memcmp(k + HDR_HEADER, HDR_MAGIC, 4) != 0)
		return fail(c, "not a bzImage: no 'HdrS' signature at 0x202");
	uint32_t v = rd(k + HDR_VERSION, 2);
	if (v < VERSION_MIN)
		return fail(c,
			    "boot protocol %u.%02u is too old (2.12 or later "
			    "needed for 64-bit entry)",
			    v >> 8, v & 0xff);
	if (!(k[HDR_LOADFLAGS] & LOADED_HIGH))
		return fail(c,
			    "loadflags 0x%x lack LOADED_HIGH: the kernel "
			    "wants to be loaded at 0x10000 (zImage)",
			    (unsigned)k[HDR_LOADFLAGS]);
	if (!(rd(k + HDR_XLOADFLAGS, 2) & XLF_KERNEL_64))
		return fail(c,
			    "xloadflags 0x%x lack XLF_KERNEL_64: the kernel "
			    "has no 64-bit entry point",
			    rd(k + HDR_XLOADFLAGS, 2));
	/* boot.rst, "64-bit BOOT PROTOCOL": the header ends at 0x202 plus
	 * the jump's offset byte; what lies past 0x290 has no room in the
	 * zero page, and is not header by any protocol version so far. */
	p->hdr_end = HDR_HEADER + k[HDR_JUMP + 1];
	if (p->hdr_end < HDR_END_2_12)
		return fail(c,
			    "setup header ends at 0x%x (0x202 + byte at "
			    "0x201), before the 2.12 fields end at 0x%x",
			    p->hdr_end, HDR_END_2_12);
	if (p->hdr_end > ZP_HDR_LIMIT)
		p->hdr_end = ZP_HDR_LIMIT;
	uint32_t sects = k[HDR_SETUP_SECTS];
	if (!sects)
		sects = SETUP_SECTS_DEF;
	p->setup_size = (sects + 1) * SECTOR;
	if (p->setup_size >= c->size)
		return fail(c,
			    "truncated image: the protected-mode kernel "
			    "starts at 0x%x (setup_sects %u), but the file "
			    "has only %zu bytes",
			    p->setup_size, sects, c->size);
	p->kernel_size = c->size - p->setup_size;
	uint32_t init_size = rd(k + HDR_INIT_SIZE, 4);
	p->footprint = init_size > p->kernel_size ? init_size : p->kernel_size;
	return 0;
}

/*
 * boot.rst, pref_address (2.10+).  The kernel goes there, relocatable or
 * not: an x86-64 decompressor runs at the higher of its load address and
 * the address it was built for (which pref_address reports), so loading a
 * relocatable one lower would not keep it out of the RAM above, and
 * higher buys nothing in a guest whose RAM is one range up to 3 GiB.
 */
static int place_kernel(const struct ctx *c)
{
	struct linux_plan *p = c->plan;
	uint64_t pref = rd64((const uint8_t *)c->img + HDR_PREF_ADDRESS);

	if (fits(c->ram, pref, p->footprint)) {
		p->load = pref;
		return 0;
	}
	if (pref >= LOAD_MIN && pref + p->footprint <= LAYOUT_LOW_TOP)
		return fail(c,
			    "the kernel runs at 0x%llx (pref_address) and "
			    "needs 0x%llx bytes there (init_size): give the "
			    "guest at least %llu MiB",
			    (unsigned long long)pref,
			    (unsigned long long)p->footprint,
			    (unsigned long long)((pref + p->footprint +
						  (1ull << 20) - 1) >>
						 20));
	return fail(c,
		    "the kernel runs at 0x%llx (pref_address), outside the "
		    "RAM a guest has between 1 MiB and 3 GiB",
		    (unsigned long long)pref);
}

/* Highest page-aligned start for size bytes inside [lo, hi), or 0. */
static uint64_t top_down(uint64_t lo, uint64_t hi, uint64_t size)
{
	if (hi <= lo || hi - lo < size)
		return 0;
	uint64_t a = (hi - size) & ~(PAGE - 1);
	return a >= lo ? a : 0;
}

/*
 * boot.rst, initrd_addr_max (2.03+) is the highest address the initrd
 * may occupy; the kernel's [load, load + init_size) is its to use while
 * decompressing.  Above the kernel or below it, in any RAM range from
 * 1 MiB: the highest place wins, as other boot loaders do.
 */
static int place_initrd(const struct ctx *c, uint64_t size)
{
	const struct guest_ram *ram = c->ram;
	struct linux_plan *p = c->plan;
	uint32_t max = rd(c->img + HDR_INITRD_MAX, 4);
	uint64_t limit = (uint64_t)max + 1, best = 0;
	uint64_t kend = p->load + p->footprint;

	p->initrd_size = size;
	if (!size)
		return 0;
	for (uint32_t i = 0; i < ram->n; i++) {
		uint64_t lo = ram->r[i].gpa, hi = lo + ram->r[i].size;
		if (lo < LOAD_MIN)
			lo = LOAD_MIN;
		if (hi > limit)
			hi = limit;
		uint64_t below =
		    top_down(lo, hi < p->load ? hi : p->load, size);
		uint64_t above = top_down(lo > kend ? lo : kend, hi, size);
		if (below > best)
			best = below;
		if (above > best)
			best = above;
	}
	if (!best)
		return fail(c,
			    "initrd of %llu bytes does not fit below "
			    "initrd_addr_max 0x%x in the guest's RAM beside "
			    "the kernel",
			    (unsigned long long)size, max);
	p->initrd = best;
	return 0;
}

static int check_cmdline(const struct ctx *c, const char *cmdline)
{
	struct linux_plan *p = c->plan;
	uint32_t max = rd(c->img + HDR_CMDLINE_SIZE, 4);

	p->cmdline_len = strlen(or_empty(cmdline));
	if (p->cmdline_len > max)
		return fail(c,
			    "command line of %zu bytes exceeds cmdline_size %u",
			    p->cmdline_len, max);
	if (p->cmdline_len >= LINUX_CMDLINE_END - LINUX_CMDLINE)
		return fail(c,
			    "command line of %zu bytes does not fit in the "
			    "guest's boot area (at most %llu)",
			    p->cmdline_len,
			    LINUX_CMDLINE_END - LINUX_CMDLINE - 1);
	return 0;
}

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static uint32_t e820_put(uint8_t *zp, uint32_t n, uint64_t base, uint64_t end,
			 uint32_t type)
{
	if (end <= base)
		return 0;
	if (zp) {
		uint8_t *e = zp + ZP_E820_TABLE + n * E820_ENTRY;
		wr(e, base, 8);
		wr(e + 8, end - base, 8);
		wr(e + 16, type, 4);
	}
	return 1;
}

/*
 * The guest's RAM ranges in order, the ACPI tables' part of them as
 * reserved; fills zp's table unless NULL, returns the number of entries.
 * Holes get no entry: the VGA window, and [3 GiB, 4 GiB) where the guest
 * finds its devices from ACPI (Linux takes a gap in the map below 4 GiB
 * as room for PCI, which that window is).
 */
static uint32_t e820_fill(const struct guest_ram *ram, uint8_t *zp)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ram->n; i++) {
		uint64_t lo = ram->r[i].gpa, hi = lo + ram->r[i].size;
		uint64_t rlo = clamp(LINUX_ACPI_BASE, lo, hi);
		uint64_t rhi = clamp(LINUX_ACPI_END, lo, hi);
		n += e820_put(zp, n, lo, rlo, E820_RAM);
		n += e820_put(zp, n, rlo, rhi, E820_RESERVED);
		n += e820_put(zp, n, rhi, hi, E820_RAM);
	}
	return n;
}

int loader_linux_check(const struct guest_ram *ram, const void *img,
		       size_t size, const char *cmdline, const void *initrd,
		       size_t initrd_size, struct linux_plan *plan, char *err,
		       size_t err_size)
{
	const struct ctx c = {ram, img, size, plan, err, err_size};

	memset(plan, 0, sizeof(*plan));
	if (check_header(&c))
		return -1;
	if (layout_offset(ram, HV_BOOT_GDT, LINUX_STACK - HV_BOOT_GDT) < 0)
		return fail(&c, "guest RAM does not cover the boot area "
				"0x1000-0x80000");
	if (place_kernel(&c) || check_cmdline(&c, cmdline) ||
	    place_initrd(&c, initrd ? initrd_size : 0))
		return -1;
	plan->e820_entries = e820_fill(ram, NULL);
	return 0;
}

static void *at(uint8_t *mem, const struct guest_ram *ram, uint64_t gpa,
		uint64_t len)
{
	return mem + layout_offset(ram, gpa, len); /* checked by the caller */
}

/*
 * boot.rst, "64-bit BOOT PROTOCOL": the setup header copied from the
 * image, then the fields a boot loader writes ("Details of header
 * fields", marked "write").  All addresses are below 4 GiB, so the ext_
 * halves are 0; written all the same, as the protocol has them.
 */
static void zero_page(uint8_t *zp, const struct guest_ram *ram,
		      const uint8_t *img, const struct linux_plan *p)
{
	memcpy(zp + HDR_SETUP_SECTS, img + HDR_SETUP_SECTS,
	       p->hdr_end - HDR_SETUP_SECTS);
	zp[HDR_TYPE_LOADER] = TYPE_UNDEFINED;
	/* Not QUIET_FLAG, KEEP_SEGMENTS or CAN_USE_HEAP: there is no heap
	 * (heap_end_ptr is for the real-mode setup code we skip). */
	zp[HDR_LOADFLAGS] = LOADED_HIGH;
	wr(zp + HDR_CODE32_START, p->load, 4);
	wr(zp + HDR_CMD_LINE_PTR, LINUX_CMDLINE, 4);
	wr(zp + ZP_EXT_CMD_LINE_PTR, LINUX_CMDLINE >> 32, 4);
	wr(zp + HDR_RAMDISK_IMAGE, p->initrd, 4);
	wr(zp + ZP_EXT_RAMDISK_IMAGE, p->initrd >> 32, 4);
	wr(zp + HDR_RAMDISK_SIZE, p->initrd_size, 4);
	wr(zp + ZP_EXT_RAMDISK_SIZE, p->initrd_size >> 32, 4);
	/* An image's own setup_data would be a pointer into nowhere. */
	wr(zp + HDR_SETUP_DATA, 0, 8);
	zp[ZP_E820_ENTRIES] = (uint8_t)e820_fill(ram, zp);
}

void loader_linux_load(uint8_t *mem, const struct guest_ram *ram,
		       const void *img, const char *cmdline, const void *initrd,
		       const struct linux_plan *plan, struct vcpu_boot *boot)
{
	const uint8_t *k = img;
	uint64_t *gdt = at(mem, ram, HV_BOOT_GDT, GDT_ENTRIES * 8);

	memcpy(at(mem, ram, plan->load, plan->footprint), k + plan->setup_size,
	       plan->kernel_size);
	if (plan->initrd_size)
		memcpy(at(mem, ram, plan->initrd, plan->initrd_size), initrd,
		       plan->initrd_size);
	memcpy(at(mem, ram, LINUX_CMDLINE, plan->cmdline_len + 1),
	       or_empty(cmdline), plan->cmdline_len + 1);
	zero_page(at(mem, ram, LINUX_ZERO_PAGE, ZP_SIZE), ram, k, plan);
	gdt[BOOT_CS / 8] = GDT_CODE64;
	gdt[BOOT_DS / 8] = GDT_DATA;
	loader_identity_map(mem, ram);
	*boot = (struct vcpu_boot){
	    .mode = VCPU_MODE_LONG64,
	    .rip = plan->load + ENTRY_64,
	    .rsp = LINUX_STACK,
	    .cr3 = HV_BOOT_PML4,
	    .gdt_base = HV_BOOT_GDT,
	    .gdt_limit = GDT_ENTRIES * 8 - 1,
	    .cs = BOOT_CS,
	    .ds = BOOT_DS,
	    .rsi = LINUX_ZERO_PAGE,
	};
}
