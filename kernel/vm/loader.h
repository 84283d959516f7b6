/* SPDX-License-Identifier: MIT */
/* Guest image loaders: check an image against a guest, then load it. */
#ifndef VM_LOADER_H
#define VM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#include "../elf.h"
#include "layout.h"
#include "vcpu.h"

/*
 * ELF64 (abi.h describes the start state).  Pure: the check only reads the
 * image; the load writes through mem, the partition's first byte, with
 * guest-physical layout ram, and must follow a successful check.
 */
int loader_elf_check(const struct guest_ram *ram, const void *img, size_t size,
		     struct elf_info *info, char *err, size_t err_size);
void loader_elf_load(uint8_t *mem, const struct guest_ram *ram, const void *img,
		     const struct elf_info *info, struct vcpu_boot *boot);

#endif
