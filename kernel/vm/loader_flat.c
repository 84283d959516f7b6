// SPDX-License-Identifier: MIT
/* Flat binaries: loaded like a boot sector at 0x7c00, real-mode start. */
#include <string.h>

#include "../lib/fmt.h"
#include "loader.h"

#define FLAT_MAX   (LAYOUT_VGA_HOLE - LOADER_FLAT_BASE)
#define BOOT_DRIVE 0x80 /* DL: the first hard disk, as a BIOS would say */

int loader_flat_check(const struct guest_ram *ram, size_t size, char *err,
		      size_t err_size)
{
	if (size == 0) {
		fmt_snprintf(err, err_size, "flat image is empty");
		return -1;
	}
	if (size > FLAT_MAX || layout_offset(ram, LOADER_FLAT_BASE, size) < 0) {
		fmt_snprintf(err, err_size,
			     "flat image of %zu bytes does not fit between "
			     "0x7c00 and the VGA hole at 0xa0000 (at most %llu "
			     "bytes)",
			     size, FLAT_MAX);
		return -1;
	}
	return 0;
}

void loader_flat_load(uint8_t *mem, const struct guest_ram *ram,
		      const void *img, size_t size, struct vcpu_boot *boot)
{
	memcpy(mem + layout_offset(ram, LOADER_FLAT_BASE, size), img, size);
	*boot = (struct vcpu_boot){
	    .mode = VCPU_MODE_REAL,
	    .rip = LOADER_FLAT_BASE,
	    .rsp = LOADER_FLAT_BASE,
	    .gdt_base = 0,
	    .gdt_limit = 0xffff,
	    .cs = 0, /* CS:IP = 0000:7C00, DS = ES = SS = 0 */
	    .ds = 0,
	    .rdx = BOOT_DRIVE,
	};
}
