// SPDX-License-Identifier: MIT
/* Boot information: checked once, then read-only. */
#include "bootinfo.h"

#include "lib/cmdline.h"
#include "log.h"

const struct boot_info *boot_info;

void bootinfo_init(const struct boot_info *bi)
{
	if (bi->magic != BOOT_INFO_MAGIC || bi->version != BOOT_INFO_VERSION ||
	    bi->size != sizeof(*bi)) {
		kprintf("hv: boot info version %u size %u, expected %u size "
			"%zu: loader and kernel come from different builds\n",
			bi->version, bi->size, BOOT_INFO_VERSION, sizeof(*bi));
		console_flush();
		arch_halt();
	}
	boot_info = bi;
}

const char *cmdline_get(const char *key)
{
	static char value[64];

	return boot_info
		   ? cmdline_find(boot_info->cmdline, key, value, sizeof(value))
		   : NULL;
}
