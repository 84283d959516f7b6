// SPDX-License-Identifier: MIT
/* hello: the smallest guest; prints a line and exits with status 0. */
#include "../lib/guest.h"

int main(void)
{
	guest_printf("hello from a guest\n");
	return 0;
}
