// SPDX-License-Identifier: MIT
/* ELF64 executable validation (System V gABI, x86-64 psABI). */
#include "elf.h"

#include <string.h>

#include "lib/fmt.h"

/* File layouts, System V gABI "ELF Header" and "Program Header". */
struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
};

struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr is 56 bytes");

#define EI_CLASS    4
#define EI_DATA	    5
#define EI_VERSION  6
#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC	    2
#define EM_X86_64   62
#define PT_LOAD	    1
#define PAGE	    4096ull

static int fail(char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_header(const struct elf64_ehdr *eh, size_t size, char *err,
			size_t es)
{
	if (memcmp(eh->ident, "\177ELF", 4) != 0)
		return fail(err, es, "not an ELF file (bad magic)");
	if (eh->ident[EI_CLASS] != ELFCLASS64)
		return fail(err, es, "not a 64-bit ELF file");
	if (eh->ident[EI_DATA] != ELFDATA2LSB || eh->ident[EI_VERSION] != 1)
		return fail(err, es, "not a little-endian ELF version 1 file");
	if (eh->machine != EM_X86_64)
		return fail(err, es, "ELF machine %u is not x86-64",
			    eh->machine);
	if (eh->type != ET_EXEC)
		return fail(err, es,
			    "ELF type %u is not an executable "
			    "(link it static, not as PIE or object)",
			    eh->type);
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phnum == 0)
		return fail(err, es, "ELF has no usable program headers");
	uint64_t phend = (uint64_t)eh->phnum * sizeof(struct elf64_phdr);
	if (eh->phoff > size || phend > size - eh->phoff)
		return fail(err, es,
			    "ELF program headers lie outside the "
			    "file (%zu bytes)",
			    size);
	return 0;
}

static int check_seg(const struct elf64_phdr *ph, size_t size, unsigned idx,
		     char *err, size_t es)
{
	if (ph->filesz > ph->memsz)
		return fail(err, es,
			    "segment %u: file size exceeds memory "
			    "size",
			    idx);
	if (ph->offset > size || ph->filesz > size - ph->offset)
		return fail(err, es, "segment %u lies outside the file", idx);
	if (ph->vaddr + ph->memsz < ph->vaddr ||
	    ph->vaddr + ph->memsz > UINT64_MAX - PAGE)
		return fail(err, es, "segment %u wraps the address space", idx);
	return 0;
}

/* Segments must not overlap: a later one would overwrite an earlier one. */
static int check_overlap(const struct elf_info *out, char *err, size_t es)
{
	for (uint32_t i = 0; i < out->nsegs; i++)
		for (uint32_t j = i + 1; j < out->nsegs; j++) {
			const struct elf_seg *a = &out->segs[i];
			const struct elf_seg *b = &out->segs[j];
			if (a->vaddr < b->vaddr + b->memsz &&
			    b->vaddr < a->vaddr + a->memsz)
				return fail(err, es,
					    "segments %u and %u overlap", i, j);
		}
	return 0;
}

static int check_entry(const struct elf_info *out, char *err, size_t es)
{
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf_seg *s = &out->segs[i];
		if ((s->flags & ELF_PF_X) && out->entry >= s->vaddr &&
		    out->entry < s->vaddr + s->memsz)
			return 0;
	}
	return fail(err, es,
		    "entry point 0x%llx is not in an executable "
		    "segment",
		    (unsigned long long)out->entry);
}

static int collect(const uint8_t *img, const struct elf64_ehdr *eh, size_t size,
		   struct elf_info *out, char *err, size_t es)
{
	for (unsigned i = 0; i < eh->phnum; i++) {
		struct elf64_phdr ph;
		memcpy(&ph, img + eh->phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (check_seg(&ph, size, i, err, es))
			return -1;
		if (out->nsegs == ELF_MAX_SEGS)
			return fail(err, es, "more than %d loadable segments",
				    ELF_MAX_SEGS);
		out->segs[out->nsegs++] =
		    (struct elf_seg){ph.vaddr,	ph.paddr, ph.offset,
				     ph.filesz, ph.memsz, ph.flags};
	}
	if (!out->nsegs)
		return fail(err, es, "ELF has no loadable segment");
	return 0;
}

static void span(struct elf_info *out)
{
	out->lo = UINT64_MAX;
	out->hi = 0;
	for (uint32_t i = 0; i < out->nsegs; i++) {
		const struct elf_seg *s = &out->segs[i];
		if (s->vaddr < out->lo)
			out->lo = s->vaddr;
		if (s->vaddr + s->memsz > out->hi)
			out->hi = s->vaddr + s->memsz;
	}
	out->lo &= ~(PAGE - 1);
	out->hi = (out->hi + PAGE - 1) & ~(PAGE - 1);
}

int elf_parse(const void *img, size_t size, struct elf_info *out, char *err,
	      size_t err_size)
{
	struct elf64_ehdr eh;

	memset(out, 0, sizeof(*out));
	if (size < sizeof(eh))
		return fail(err, err_size,
			    "file too small for an ELF header "
			    "(%zu bytes)",
			    size);
	memcpy(&eh, img, sizeof(eh));
	if (check_header(&eh, size, err, err_size) ||
	    collect(img, &eh, size, out, err, err_size))
		return -1;
	out->entry = eh.entry;
	span(out);
	if (check_overlap(out, err, err_size) ||
	    check_entry(out, err, err_size))
		return -1;
	return 0;
}
