// SPDX-License-Identifier: MIT
/* Multiboot 1 guests: ELF32 or a.out-kludge kernels, modules, 32-bit start. */
#include <string.h>

#include "../lib/fmt.h"
#include "loader.h"

/* Multiboot 0.6.96, 3.1.1 "The layout of Multiboot header"; the address
 * fields are only there when flag 16 is set. */
struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

/* Multiboot 0.6.96, 3.3 "Boot information format", up to the VBE fields. */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;		  /* flag 0, KiB */
	uint32_t boot_device;			  /* flag 1 */
	uint32_t cmdline;			  /* flag 2 */
	uint32_t mods_count, mods_addr;		  /* flag 3 */
	uint32_t syms[4];			  /* flags 4 and 5 */
	uint32_t mmap_length, mmap_addr;	  /* flag 6 */
	uint32_t drives_length, drives_addr;	  /* flag 7 */
	uint32_t config_table;			  /* flag 8 */
	uint32_t boot_loader_name;		  /* flag 9 */
	uint32_t apm_table;			  /* flag 10 */
	uint32_t vbe_control_info, vbe_mode_info; /* flag 11 */
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off;
	uint16_t vbe_interface_len;
};

/* Multiboot 0.6.96, 3.3: one entry of the mods_addr list. */
struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
};

/* Multiboot 0.6.96, 3.3: one memory map entry.  size counts the bytes
 * after itself; the 64-bit base_addr and length sit at offsets 4 and 12,
 * so they are split here to need no packing. */
struct mb_mmap {
	uint32_t size;
	uint32_t base_lo, base_hi, len_lo, len_hi;
	uint32_t type;
};

/* System V gABI "ELF Header" and "Program Header", 32-bit class. */
struct elf32_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf32_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

_Static_assert(sizeof(struct mb_header) == 32, "header with address fields");
_Static_assert(sizeof(struct mb_info) == 88, "0.6.96 information is 88 B");
_Static_assert(sizeof(struct mb_module) == 16, "module entry is 16 bytes");
_Static_assert(sizeof(struct mb_mmap) == 24, "mmap entry is 4 + 20 bytes");
_Static_assert(sizeof(struct elf32_ehdr) == 52, "ELF32 header is 52 bytes");
_Static_assert(sizeof(struct elf32_phdr) == 32, "ELF32 phdr is 32 bytes");

#define MB_MAGIC      0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u /* in EAX at the entry point */
#define MB_SEARCH     8192	  /* the header lies within these bytes */
#define MB_MIN_HEADER 12	  /* magic, flags, checksum */
#define MB_REQUIRED   0xffffu	  /* flags a loader must refuse if unknown */
#define MB_KNOWN      0x7u	  /* page-align modules, memory, video */
#define MB_ADDRESS    (1u << 16)

#define MBI_MEM	     (1u << 0)
#define MBI_CMDLINE  (1u << 2)
#define MBI_MODS     (1u << 3)
#define MBI_MMAP     (1u << 6)
#define MBI_LOADER   (1u << 9)
#define MMAP_RAM     1
#define MMAP_RESERVE 2
#define LOADER_NAME  "hv"

#define EI_CLASS    4
#define EI_DATA	    5
#define EI_VERSION  6
#define ELFCLASS32  1
#define ELFDATA2LSB 1
#define ET_EXEC	    2
#define EM_386	    3
#define PT_LOAD	    1

/*
 * Guest memory below 1 MiB is ours: a flat GDT at 0x1000, the stack
 * growing down from 0x9000 toward it, then the information, its tables and
 * strings from 0x9000 up to the EBDA-like top at 0x9f000.  The kernel and
 * modules live from 1 MiB to 4 GiB (no paging: 32-bit addresses).
 */
#define LOW_GDT	   0x1000ull
#define LOW_STACK  0x9000ull
#define LOW_BASE   0x9000ull
#define LOW_END	   0x9f000ull
#define LOAD_MIN   (1ull << 20)
#define LOAD_MAX   (4ull << 30)
#define PAGE	   4096ull
#define GDT_CODE32 0x00cf9a000000ffffull
#define GDT_DATA   0x00cf92000000ffffull

/* What every check step needs. */
struct ctx {
	const struct guest_ram *ram;
	const uint8_t *img;
	size_t size;
	struct mb_info_plan *plan;
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

/* Offset of the first valid header, -1 if none; the header is read as far
 * as the file goes, the rest left zero. */
static int64_t find_header(const uint8_t *img, size_t size, struct mb_header *h)
{
	size_t end = size < MB_SEARCH ? size : MB_SEARCH;

	for (size_t off = 0; off + MB_MIN_HEADER <= end; off += 4) {
		size_t n = size - off < sizeof(*h) ? size - off : sizeof(*h);
		memset(h, 0, sizeof(*h));
		memcpy(h, img + off, n);
		uint32_t sum = h->magic + h->flags + h->checksum;
		if (h->magic == MB_MAGIC && sum == 0)
			return (int64_t)off;
	}
	return -1;
}

int loader_multiboot_detect(const void *img, size_t size)
{
	struct mb_header h;

	return find_header(img, size, &h) >= 0;
}

static int in_ram(const struct guest_ram *ram, uint64_t gpa, uint64_t len)
{
	return gpa >= LOAD_MIN && gpa <= LOAD_MAX && len <= LOAD_MAX - gpa &&
	       layout_offset(ram, gpa, len) >= 0;
}

/* Record a segment, which must land in RAM between 1 MiB and 4 GiB. */
static int add_seg(const struct ctx *c, unsigned idx, struct mb_seg s)
{
	struct mb_info_plan *p = c->plan;

	if (!in_ram(c->ram, s.paddr, s.memsz))
		return fail(c,
			    "segment %u at 0x%llx-0x%llx is not in the "
			    "guest's RAM between 1 MiB and 4 GiB",
			    idx, (unsigned long long)s.paddr,
			    (unsigned long long)(s.paddr + s.memsz));
	if (p->nsegs == MB_MAX_SEGS)
		return fail(c, "more than %d loadable segments", MB_MAX_SEGS);
	p->segs[p->nsegs++] = s;
	return 0;
}

/* Where the kludge's load starts in the file, and how much it loads. */
static int kludge_file(const struct ctx *c, const struct mb_header *h,
		       uint64_t off, uint64_t *from, uint64_t *len)
{
	if (h->header_addr < h->load_addr)
		return fail(
		    c, "multiboot header_addr 0x%x is below load_addr 0x%x",
		    h->header_addr, h->load_addr);
	if (h->header_addr - h->load_addr > off)
		return fail(c,
			    "multiboot load_addr 0x%x would load from before "
			    "the start of the file",
			    h->load_addr);
	*from = off - (h->header_addr - h->load_addr);
	*len = c->size - *from;
	if (!h->load_end_addr)
		return 0;
	if (h->load_end_addr < h->load_addr)
		return fail(c,
			    "multiboot load_end_addr 0x%x is below load_addr "
			    "0x%x",
			    h->load_end_addr, h->load_addr);
	*len = h->load_end_addr - h->load_addr;
	if (*len > c->size - *from)
		return fail(c,
			    "multiboot load_end_addr 0x%x lies past the end "
			    "of the file (%zu bytes)",
			    h->load_end_addr, c->size);
	return 0;
}

/* Flag 16: the header's address fields say what to load where. */
static int kludge(const struct ctx *c, const struct mb_header *h, size_t off)
{
	uint64_t from, len;

	if (off + sizeof(*h) > MB_SEARCH || sizeof(*h) > c->size - off)
		return fail(c,
			    "multiboot address fields (flag 16) at offset "
			    "0x%zx run past the file or its first 8192 bytes",
			    off);
	if (kludge_file(c, h, off, &from, &len))
		return -1;
	uint64_t memsz = len;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + len)
			return fail(c,
				    "multiboot bss_end_addr 0x%x is below the "
				    "end of the loaded image 0x%llx",
				    h->bss_end_addr,
				    (unsigned long long)(h->load_addr + len));
		memsz = h->bss_end_addr - h->load_addr;
	}
	c->plan->entry = h->entry_addr;
	return add_seg(c, 0, (struct mb_seg){h->load_addr, from, len, memsz});
}

static int elf32_header(const struct ctx *c, struct elf32_ehdr *eh)
{
	if (memcmp(c->img, "\177ELF", 4) != 0) /* size >= MB_MIN_HEADER */
		return fail(c, "image is not ELF and its multiboot header has "
			       "no address fields (flag 16)");
	if (c->size < sizeof(*eh))
		return fail(c, "file too small for an ELF32 header (%zu bytes)",
			    c->size);
	memcpy(eh, c->img, sizeof(*eh));
	if (eh->ident[EI_CLASS] != ELFCLASS32)
		return fail(c, "multiboot ELF image is not 32-bit (class %u)",
			    eh->ident[EI_CLASS]);
	if (eh->ident[EI_DATA] != ELFDATA2LSB || eh->ident[EI_VERSION] != 1)
		return fail(c, "not a little-endian ELF version 1 file");
	if (eh->machine != EM_386)
		return fail(c, "ELF machine %u is not i386", eh->machine);
	if (eh->type != ET_EXEC)
		return fail(c, "ELF type %u is not an executable", eh->type);
	if (eh->phentsize != sizeof(struct elf32_phdr) || eh->phnum == 0)
		return fail(c, "ELF has no usable program headers");
	uint64_t end = (uint64_t)eh->phoff +
		       (uint64_t)eh->phnum * sizeof(struct elf32_phdr);
	if (end > c->size)
		return fail(c,
			    "ELF program headers lie outside the file (%zu "
			    "bytes)",
			    c->size);
	return 0;
}

/* No flag 16: an i386 ELF executable, segments at their p_paddr. */
static int elf32(const struct ctx *c)
{
	struct elf32_ehdr eh;

	if (elf32_header(c, &eh))
		return -1;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf32_phdr ph;
		memcpy(&ph, c->img + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (ph.filesz > ph.memsz)
			return fail(
			    c, "segment %u: file size exceeds memory size", i);
		if (ph.offset > c->size || ph.filesz > c->size - ph.offset)
			return fail(c, "segment %u lies outside the file", i);
		if (add_seg(c, i,
			    (struct mb_seg){ph.paddr, ph.offset, ph.filesz,
					    ph.memsz}))
			return -1;
	}
	if (!c->plan->nsegs)
		return fail(c, "ELF has no loadable segment");
	c->plan->entry = eh.entry;
	return 0;
}

/* Jumping into zero-filled memory is never meant: the entry must be in
 * bytes that come from the file. */
static int check_entry(const struct ctx *c)
{
	const struct mb_info_plan *p = c->plan;

	for (uint32_t i = 0; i < p->nsegs; i++)
		if (p->entry >= p->segs[i].paddr &&
		    p->entry - p->segs[i].paddr < p->segs[i].filesz)
			return 0;
	return fail(c, "entry point 0x%llx is not inside the loaded image",
		    (unsigned long long)p->entry);
}

/* Each module on its own page after the kernel's last byte (bss too). */
static int place_modules(const struct ctx *c, const struct loader_module *mods,
			 uint32_t nmods)
{
	struct mb_info_plan *p = c->plan;
	uint64_t next = 0;

	if (nmods > LOADER_MAX_MODULES)
		return fail(c, "%u modules given, at most %d are supported",
			    nmods, LOADER_MAX_MODULES);
	for (uint32_t i = 0; i < p->nsegs; i++)
		if (p->segs[i].paddr + p->segs[i].memsz > next)
			next = p->segs[i].paddr + p->segs[i].memsz;
	for (uint32_t i = 0; i < nmods; i++) {
		next = (next + PAGE - 1) & ~(PAGE - 1);
		if (!in_ram(c->ram, next, mods[i].size))
			return fail(c,
				    "module %u (%zu bytes at 0x%llx) does not "
				    "fit in the guest's RAM below 4 GiB",
				    i, mods[i].size, (unsigned long long)next);
		p->mod[i] = next;
		next += mods[i].size;
	}
	p->nmods = nmods;
	return 0;
}

static uint32_t mmap_put(struct mb_mmap *e, uint32_t n, uint64_t base,
			 uint64_t len, uint32_t type)
{
	if (e)
		e[n] = (struct mb_mmap){sizeof(*e) - 4,		(uint32_t)base,
					(uint32_t)(base >> 32), (uint32_t)len,
					(uint32_t)(len >> 32),	type};
	return 1;
}

/* The guest's RAM ranges, with the VGA hole as reserved; fills e unless
 * NULL, returns the number of entries. */
static uint32_t mmap_fill(const struct guest_ram *ram, struct mb_mmap *e)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < ram->n; i++) {
		uint64_t end = ram->r[i].gpa + ram->r[i].size;
		n += mmap_put(e, n, ram->r[i].gpa, ram->r[i].size, MMAP_RAM);
		if (end == LAYOUT_VGA_HOLE)
			n += mmap_put(e, n, LAYOUT_VGA_HOLE,
				      LAYOUT_BIOS_AREA - LAYOUT_VGA_HOLE,
				      MMAP_RESERVE);
	}
	return n;
}

/* KiB of RAM from base up to the first hole; 0 if base is not RAM. */
static uint32_t kib_from(const struct guest_ram *ram, uint64_t base)
{
	for (uint32_t i = 0; i < ram->n; i++) {
		uint64_t lo = ram->r[i].gpa, hi = lo + ram->r[i].size;
		if (base >= lo && base < hi)
			return (uint32_t)((hi - base) >> 10);
	}
	return 0;
}

/* Take len bytes of low memory at *cur, aligned; -1 if past LOW_END. */
static int low_take(uint64_t *cur, uint64_t len, uint64_t align,
		    uint64_t *where)
{
	uint64_t a = (*cur + align - 1) & ~(align - 1);

	if (a > LOW_END || len > LOW_END - a)
		return -1;
	*where = a;
	*cur = a + len;
	return 0;
}

/* The information first (fixed size, always fits), then the strings. */
static int place_low(const struct ctx *c, const char *cmdline,
		     const struct loader_module *mods, uint32_t nmods)
{
	struct mb_info_plan *p = c->plan;
	uint64_t cur = LOW_BASE;

	p->mmap_length = mmap_fill(c->ram, NULL) * sizeof(struct mb_mmap);
	p->cmdline_len = strlen(or_empty(cmdline));
	if (low_take(&cur, sizeof(struct mb_info), 8, &p->info) ||
	    low_take(&cur, p->mmap_length, 8, &p->mmap) ||
	    low_take(&cur, nmods * sizeof(struct mb_module), 8, &p->mods) ||
	    low_take(&cur, sizeof(LOADER_NAME), 1, &p->loader_name) ||
	    low_take(&cur, p->cmdline_len + 1ull, 1, &p->cmdline))
		return fail(c,
			    "command line (%zu bytes) does not fit in the "
			    "guest's boot area below 0x%llx",
			    p->cmdline_len, LOW_END);
	for (uint32_t i = 0; i < nmods; i++) {
		p->name_len[i] = strlen(or_empty(mods[i].name));
		if (low_take(&cur, p->name_len[i] + 1ull, 1, &p->names[i]))
			return fail(c,
				    "module %u's name (%zu bytes) does not fit "
				    "in the guest's boot area below 0x%llx",
				    i, p->name_len[i], LOW_END);
	}
	return 0;
}

int loader_multiboot_check(const struct guest_ram *ram, const void *img,
			   size_t size, const char *cmdline,
			   const struct loader_module *mods, uint32_t nmods,
			   struct mb_info_plan *plan, char *err,
			   size_t err_size)
{
	const struct ctx c = {ram, img, size, plan, err, err_size};
	struct mb_header h;

	memset(plan, 0, sizeof(*plan));
	int64_t off = find_header(img, size, &h);
	if (off < 0)
		return fail(&c,
			    "no multiboot header (magic 0x%x, valid "
			    "checksum, 4-byte aligned) in the first 8192 "
			    "bytes",
			    MB_MAGIC);
	if (h.flags & MB_REQUIRED & ~MB_KNOWN)
		return fail(&c,
			    "multiboot header requires unsupported feature "
			    "bits 0x%x",
			    h.flags & MB_REQUIRED & ~MB_KNOWN);
	if (layout_offset(ram, LOW_GDT, LOW_END - LOW_GDT) < 0)
		return fail(&c, "guest RAM does not cover the boot area "
				"0x1000-0x9f000");
	if ((h.flags & MB_ADDRESS) ? kludge(&c, &h, (size_t)off) : elf32(&c))
		return -1;
	if (check_entry(&c) || place_modules(&c, mods, nmods) ||
	    place_low(&c, cmdline, mods, nmods))
		return -1;
	plan->mem_lower = kib_from(ram, 0);
	plan->mem_upper = kib_from(ram, LOAD_MIN);
	return 0;
}

static void *at(uint8_t *mem, const struct guest_ram *ram, uint64_t gpa,
		uint64_t len)
{
	return mem + layout_offset(ram, gpa, len); /* checked by the caller */
}

static void load_files(uint8_t *mem, const struct guest_ram *ram,
		       const uint8_t *img, const struct mb_info_plan *p,
		       const struct loader_module *mods)
{
	for (uint32_t i = 0; i < p->nsegs; i++) {
		const struct mb_seg *s = &p->segs[i];
		memcpy(at(mem, ram, s->paddr, s->memsz), img + s->offset,
		       s->filesz);
	}
	for (uint32_t i = 0; i < p->nmods; i++)
		if (mods[i].size)
			memcpy(at(mem, ram, p->mod[i], mods[i].size),
			       mods[i].data, mods[i].size);
}

static void load_strings(uint8_t *mem, const struct guest_ram *ram,
			 const struct mb_info_plan *p, const char *cmdline,
			 const struct loader_module *mods)
{
	memcpy(at(mem, ram, p->loader_name, sizeof(LOADER_NAME)), LOADER_NAME,
	       sizeof(LOADER_NAME));
	memcpy(at(mem, ram, p->cmdline, p->cmdline_len + 1), or_empty(cmdline),
	       p->cmdline_len + 1);
	for (uint32_t i = 0; i < p->nmods; i++)
		memcpy(at(mem, ram, p->names[i], p->name_len[i] + 1),
		       or_empty(mods[i].name), p->name_len[i] + 1);
}

/* All addresses in the plan are below 4 GiB: the casts lose nothing. */
static void load_info(uint8_t *mem, const struct guest_ram *ram,
		      const struct mb_info_plan *p,
		      const struct loader_module *mods)
{
	struct mb_info *mi = at(mem, ram, p->info, sizeof(*mi));
	struct mb_module *ml = at(mem, ram, p->mods, p->nmods * sizeof(*ml));

	mi->flags = MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER;
	mi->mem_lower = p->mem_lower;
	mi->mem_upper = p->mem_upper;
	mi->cmdline = (uint32_t)p->cmdline;
	mi->mods_count = p->nmods;
	mi->mods_addr = (uint32_t)p->mods;
	mi->mmap_length = p->mmap_length;
	mi->mmap_addr = (uint32_t)p->mmap;
	mi->boot_loader_name = (uint32_t)p->loader_name;
	for (uint32_t i = 0; i < p->nmods; i++)
		ml[i] = (struct mb_module){(uint32_t)p->mod[i],
					   (uint32_t)(p->mod[i] + mods[i].size),
					   (uint32_t)p->names[i], 0};
	mmap_fill(ram, at(mem, ram, p->mmap, p->mmap_length));
}

void loader_multiboot_load(uint8_t *mem, const struct guest_ram *ram,
			   const void *img, const struct mb_info_plan *plan,
			   const char *cmdline,
			   const struct loader_module *mods, uint32_t nmods,
			   struct vcpu_boot *boot)
{
	uint64_t *gdt = at(mem, ram, LOW_GDT, 3 * 8);

	(void)nmods; /* the plan's count, which the check took from it */
	load_files(mem, ram, img, plan, mods);
	load_strings(mem, ram, plan, cmdline, mods);
	load_info(mem, ram, plan, mods);
	gdt[1] = GDT_CODE32;
	gdt[2] = GDT_DATA;
	*boot = (struct vcpu_boot){
	    .mode = VCPU_MODE_PROT32,
	    .rip = plan->entry,
	    .rsp = LOW_STACK,
	    .gdt_base = LOW_GDT,
	    .gdt_limit = 3 * 8 - 1,
	    .cs = 0x08,
	    .ds = 0x10,
	    .rax = MB_BOOT_MAGIC,
	    .rbx = plan->info,
	};
}
