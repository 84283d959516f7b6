/* SPDX-License-Identifier: MIT */
/* ELF64 executable validation: what to load where, checked before use. */
#ifndef ELF_H
#define ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 16

#define ELF_PF_X 1u
#define ELF_PF_W 2u
#define ELF_PF_R 4u

struct elf_seg {
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t offset; /* in the file */
	uint64_t filesz;
	uint64_t memsz; /* bytes past filesz are zero-filled */
	uint32_t flags; /* ELF_PF_* */
};

struct elf_info {
	uint64_t entry;
	uint64_t lo, hi; /* page-rounded span of all loadable segments */
	uint32_t nsegs;
	struct elf_seg segs[ELF_MAX_SEGS]; /* PT_LOAD only, in file order */
};

/*
 * Validate an x86-64 ELF executable of size bytes and describe its loadable
 * segments.  Every offset and size is bounds- and overflow-checked, so a
 * caller may copy segments without further checks.  Returns 0, or -1 with
 * the reason in err.
 */
int elf_parse(const void *img, size_t size, struct elf_info *out, char *err,
	      size_t err_size);

#endif
