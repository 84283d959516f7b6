// SPDX-License-Identifier: MIT
/*
 * mboot: a Multiboot 1 test guest (32-bit protected mode, paging off).
 * Prints what the loader handed over and checks it: the magic, the CPU
 * mode, the information flags, memory sizes, command line, modules, memory
 * map and boot loader name.  Words of the command line state what the
 * config provides, so the guest can check it exactly:
 *   mem=NM        the guest has N MiB: mem_upper is (N - 1) * 1024 KiB
 *   mods=N        N modules
 *   modtext=TEXT  module 0 begins with TEXT
 * Other words are ignored.  main's value is the exit status: 0 if every
 * check passed, else 1.
 */
#include <stddef.h>
#include <stdint.h>

#define MB_BOOT_MAGIC 0x2badb002u
#define COM1	      0x3f8
#define LSR_THRE      0x20
#define CR0_PE	      (1u << 0)
#define CR0_PG	      (1u << 31)
#define EFLAGS_IF     (1u << 9)
#define EFLAGS_VM     (1u << 17)
#define PAGE	      4096u
#define MIB	      0x100000u
#define MMAP_RAM      1

/* Multiboot 0.6.96, 3.3: the information flags this guest reads. */
#define MBI_MEM	    (1u << 0)
#define MBI_CMDLINE (1u << 2)
#define MBI_MODS    (1u << 3)
#define MBI_MMAP    (1u << 6)
#define MBI_LOADER  (1u << 9)
#define MBI_WANTED  (MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP | MBI_LOADER)

/* Multiboot 0.6.96, 3.3 "Boot information format", up to the loader name. */
struct mb_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
};

struct mb_module {
	uint32_t mod_start, mod_end, string, reserved;
};

/* size counts the bytes after itself; the 64-bit fields are split. */
struct mb_mmap {
	uint32_t size;
	uint32_t base_lo, base_hi, len_lo, len_hi;
	uint32_t type;
};

_Static_assert(sizeof(struct mb_info) == 68, "information to the loader name");
_Static_assert(sizeof(struct mb_module) == 16, "module entry is 16 bytes");
_Static_assert(sizeof(struct mb_mmap) == 24, "mmap entry is 4 + 20 bytes");

/* What the command line says to expect; 0 / NULL: not checked. */
struct expect {
	uint32_t mem_mib, mods;
	int mods_given;
	const char *modtext;
	uint32_t modtext_len;
};

extern char _end[]; /* the linker script: first byte after the image */

int main(uint32_t magic, const struct mb_info *info);

static unsigned failures;

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void put_char(char c)
{
	if (c == '\n')
		put_char('\r');
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(COM1, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

static void put_hex(uint32_t v)
{
	int shift = 28;

	put_str("0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(v >> shift) & 0xf]);
}

/* hi:lo as one hex number, without leading zeros. */
static void put_hex64(uint32_t hi, uint32_t lo)
{
	if (!hi) {
		put_hex(lo);
		return;
	}
	put_hex(hi);
	for (int shift = 28; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(lo >> shift) & 0xf]);
}

static void put_dec(uint32_t v)
{
	char buf[11];
	int i = 0;

	do {
		buf[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (i)
		put_char(buf[--i]);
}

/* Up to max bytes of s, '.' for anything unprintable, up to a NUL or a
 * line end. */
static void put_text(const char *s, uint32_t max)
{
	for (uint32_t i = 0; i < max && s[i] && s[i] != '\n'; i++)
		put_char(s[i] >= ' ' && s[i] <= '~' ? s[i] : '.');
}

static void fail(const char *what)
{
	put_str("mboot: FAIL: ");
	put_str(what);
	put_char('\n');
	failures++;
}

static void check(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

static int str_eq(const char *a, const char *b)
{
	for (; *a && *a == *b; a++)
		b++;
	return *a == *b;
}

/* 1 if the n bytes at a equal those at b. */
static int bytes_eq(const char *a, const char *b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* If the word w of n bytes starts with key (e.g. "mem="), the value's
 * start, else NULL. */
static const char *value_of(const char *w, uint32_t n, const char *key)
{
	uint32_t k = 0;

	while (key[k])
		k++;
	return n >= k && bytes_eq(w, key, k) ? w + k : NULL;
}

/* A decimal number of n bytes at s; -1 if it is not one. */
static int64_t parse_dec(const char *s, uint32_t n)
{
	uint32_t v = 0;

	if (!n || n > 9)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

static void expect_word(struct expect *e, const char *w, uint32_t n)
{
	const char *v;
	int64_t num;

	if ((v = value_of(w, n, "mem="))) {
		uint32_t len = n - (uint32_t)(v - w);
		num = len && v[len - 1] == 'M' ? parse_dec(v, len - 1) : -1;
		if (num <= 0)
			fail("command line: mem= wants a size like 16M");
		else
			e->mem_mib = (uint32_t)num;
	} else if ((v = value_of(w, n, "mods="))) {
		num = parse_dec(v, n - (uint32_t)(v - w));
		if (num < 0) {
			fail("command line: mods= wants a number");
		} else {
			e->mods = (uint32_t)num;
			e->mods_given = 1;
		}
	} else if ((v = value_of(w, n, "modtext="))) {
		e->modtext = v;
		e->modtext_len = n - (uint32_t)(v - w);
	}
}

static void parse_cmdline(const char *s, struct expect *e)
{
	while (*s) {
		uint32_t n = 0;
		while (*s == ' ')
			s++;
		while (s[n] && s[n] != ' ')
			n++;
		if (n)
			expect_word(e, s, n);
		s += n;
	}
}

static void check_cpu(void)
{
	uint32_t cr0, eflags;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushfl; popl %0" : "=r"(eflags));
	put_str("mboot: cr0 ");
	put_hex(cr0);
	put_str(": protected mode (PE=");
	put_dec(cr0 & CR0_PE);
	put_str("), paging off (PG=");
	put_dec(cr0 >> 31);
	put_str("); eflags ");
	put_hex(eflags);
	put_char('\n');
	check(cr0 & CR0_PE, "CR0.PE is clear: not in protected mode");
	check(!(cr0 & CR0_PG), "CR0.PG is set: paging is on");
	check(!(eflags & (EFLAGS_IF | EFLAGS_VM)), "EFLAGS.IF or VM is set");
}

static void check_memory(const struct mb_info *mi, const struct expect *e)
{
	put_str("mboot: mem_lower ");
	put_dec(mi->mem_lower);
	put_str(" KiB, mem_upper ");
	put_dec(mi->mem_upper);
	put_str(" KiB\n");
	check(mi->mem_lower == 640, "mem_lower is not 640 KiB");
	if (e->mem_mib)
		check(mi->mem_upper == (e->mem_mib - 1) * 1024,
		      "mem_upper is not the memory size less 1 MiB");
}

static void check_module(uint32_t i, const struct mb_module *m,
			 const struct expect *e)
{
	const char *name = (const char *)m->string;
	const char *data = (const char *)m->mod_start;
	uint32_t size = m->mod_end - m->mod_start;

	put_str("mboot: module ");
	put_dec(i);
	put_str(": ");
	put_str(name ? name : "(no name)");
	put_str(", ");
	put_hex(m->mod_start);
	put_str("-");
	put_hex(m->mod_end);
	put_str(" (");
	put_dec(size);
	put_str(" bytes), begins \"");
	put_text(data, size < 40 ? size : 40);
	put_str("\"\n");
	check(m->mod_end >= m->mod_start, "module ends before it starts");
	check(!(m->mod_start % PAGE), "module is not page-aligned");
	check(m->mod_start >= (uint32_t)(uintptr_t)_end,
	      "module overlaps the guest image");
	check(name && *name, "module has no name");
	if (i == 0 && e->modtext)
		check(size >= e->modtext_len &&
			  bytes_eq(data, e->modtext, e->modtext_len),
		      "module 0 does not begin with the modtext= text");
}

static void check_modules(const struct mb_info *mi, const struct expect *e)
{
	const struct mb_module *m = (const struct mb_module *)mi->mods_addr;

	put_str("mboot: ");
	put_dec(mi->mods_count);
	put_str(" module(s) at ");
	put_hex(mi->mods_addr);
	put_char('\n');
	if (e->mods_given)
		check(mi->mods_count == e->mods,
		      "module count differs from mods=");
	for (uint32_t i = 0; i < mi->mods_count; i++)
		check_module(i, &m[i], e);
}

/* Prints every entry; the RAM below 640 KiB and from 1 MiB must be there
 * and agree with mem_lower and mem_upper. */
static void check_mmap(const struct mb_info *mi)
{
	uint32_t at = mi->mmap_addr, end = mi->mmap_addr + mi->mmap_length;
	int low = 0, high = 0;

	put_str("mboot: memory map at ");
	put_hex(mi->mmap_addr);
	put_str(", ");
	put_dec(mi->mmap_length);
	put_str(" bytes\n");
	for (uint32_t i = 0; at < end; i++) {
		const struct mb_mmap *m = (const struct mb_mmap *)at;
		put_str("mboot: mmap ");
		put_dec(i);
		put_str(": base ");
		put_hex64(m->base_hi, m->base_lo);
		put_str(" length ");
		put_hex64(m->len_hi, m->len_lo);
		put_str(" type ");
		put_dec(m->type);
		put_char('\n');
		if (m->size < 20) {
			fail("memory map entry smaller than 20 bytes");
			return;
		}
		if (m->type == MMAP_RAM && !m->base_hi && !m->len_hi) {
			uint32_t top = m->base_lo + m->len_lo;
			if (m->base_lo == 0)
				low = m->len_lo == mi->mem_lower * 1024;
			if (m->base_lo <= MIB && top > MIB)
				high = (top - MIB) / 1024 == mi->mem_upper;
		}
		at += m->size + 4;
	}
	check(low, "no RAM entry at 0 of mem_lower KiB");
	check(high, "no RAM entry from 1 MiB of mem_upper KiB");
}

int main(uint32_t magic, const struct mb_info *mi)
{
	struct expect e = {0, 0, 0, NULL, 0};

	put_str("mboot: magic ");
	put_hex(magic);
	put_str(", info at ");
	put_hex((uint32_t)(uintptr_t)mi);
	put_char('\n');
	if (magic != MB_BOOT_MAGIC) {
		fail("bad magic: not started by a Multiboot loader");
		return 1;
	}
	check_cpu();
	put_str("mboot: flags ");
	put_hex(mi->flags);
	put_char('\n');
	if ((mi->flags & MBI_WANTED) != MBI_WANTED) {
		fail(
		    "flags lack memory, cmdline, modules, mmap or loader name");
		return 1;
	}
	put_str("mboot: cmdline \"");
	put_str((const char *)mi->cmdline);
	put_str("\"\n");
	parse_cmdline((const char *)mi->cmdline, &e);
	check_memory(mi, &e);
	check_modules(mi, &e);
	check_mmap(mi);
	put_str("mboot: boot loader \"");
	put_str((const char *)mi->boot_loader_name);
	put_str("\"\n");
	check(str_eq((const char *)mi->boot_loader_name, "hv"),
	      "boot loader name is not \"hv\"");
	if (failures) {
		put_str("mboot: ");
		put_dec(failures);
		put_str(" check(s) failed\n");
		return 1;
	}
	put_str("mboot: all checks passed\n");
	return 0;
}
