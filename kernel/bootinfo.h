/* SPDX-License-Identifier: MIT */
/* The boot information the loader handed over, checked and kept. */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include "../boot/boot_info.h"

extern const struct boot_info *boot_info;

/* Keep bi after checking its magic, version and size; a mismatch means
 * loader and kernel come from different builds: stop with a clear line. */
void bootinfo_init(const struct boot_info *bi);

/* Value of key on the kernel command line, or NULL (static buffer). */
const char *cmdline_get(const char *key);

#endif
