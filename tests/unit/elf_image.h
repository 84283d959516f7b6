/* SPDX-License-Identifier: MIT */
/* ELF64 executables written into a test's buffer (System V gABI). */
#ifndef TEST_ELF_IMAGE_H
#define TEST_ELF_IMAGE_H

#include <stdint.h>
#include <string.h>

#define ELF_EHDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define ELF_PT_LOAD   1
#define ELF_PT_NOTE   4

struct elf_test_ph {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* Store v little-endian in `bytes` bytes at img + off. */
static inline void elf_put(uint8_t *img, size_t off, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		img[off + i] = (uint8_t)(v >> (8 * i));
}

/* A valid x86-64 executable header with n program headers right after
 * it; bytes past them are left to the caller. */
static inline void elf_write(uint8_t *img, uint64_t entry,
			     const struct elf_test_ph *ph, unsigned n)
{
	memset(img, 0, ELF_EHDR_SIZE + n * ELF_PHDR_SIZE);
	memcpy(img, "\177ELF", 4);
	img[4] = 2;			    /* ELFCLASS64 */
	img[5] = 1;			    /* ELFDATA2LSB */
	img[6] = 1;			    /* EV_CURRENT */
	elf_put(img, 16, 2, 2);		    /* e_type: ET_EXEC */
	elf_put(img, 18, 62, 2);	    /* e_machine: EM_X86_64 */
	elf_put(img, 20, 1, 4);		    /* e_version */
	elf_put(img, 24, entry, 8);	    /* e_entry */
	elf_put(img, 32, ELF_EHDR_SIZE, 8); /* e_phoff */
	elf_put(img, 52, ELF_EHDR_SIZE, 2); /* e_ehsize */
	elf_put(img, 54, ELF_PHDR_SIZE, 2); /* e_phentsize */
	elf_put(img, 56, n, 2);		    /* e_phnum */
	for (unsigned i = 0; i < n; i++) {
		size_t o = ELF_EHDR_SIZE + i * ELF_PHDR_SIZE;
		elf_put(img, o, ph[i].type, 4);
		elf_put(img, o + 4, ph[i].flags, 4);
		elf_put(img, o + 8, ph[i].offset, 8);
		elf_put(img, o + 16, ph[i].vaddr, 8);
		elf_put(img, o + 24, ph[i].paddr, 8);
		elf_put(img, o + 32, ph[i].filesz, 8);
		elf_put(img, o + 40, ph[i].memsz, 8);
		elf_put(img, o + 48, 0x1000, 8);
	}
}

#endif
