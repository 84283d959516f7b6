// SPDX-License-Identifier: MIT
/* hello: the smallest guest; prints a line and exits with status 0. */
#include "../lib/guest.h"

int main(void)
{
	guest_printf("hello from guest %s: %llu KiB of RAM, %u vCPU(s)\n",
		     guest_boot->name,
		     (unsigned long long)(guest_boot->memory >> 10),
		     guest_boot->nvcpus);
	return 0;
}
