// SPDX-License-Identifier: MIT
/* crash: triple-faults on purpose until it has been restarted "crashes"
 * times (command line "crashes=N", default 1), then exits with 0.  With
 * command line "hang" it halts with interrupts on but none that can
 * come, with "hang-cli" with interrupts off: nothing can ever wake it,
 * which the hypervisor must see. */
#include "../lib/guest.h"

static unsigned wanted(void)
{
	const char *c = guest_boot->cmdline;

	for (; *c; c++)
		if (c[0] == 'c' && c[1] == 'r' && c[2] == 'a' && c[3] == 's' &&
		    c[4] == 'h' && c[5] == 'e' && c[6] == 's' && c[7] == '=')
			return (unsigned)(c[8] - '0');
	return 1;
}

/* An empty IDT: the breakpoint cannot be delivered (#GP), nor can that
 * (#DF), nor that: a triple fault, which the hypervisor sees. */
static void triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) none = {0, 0};

	__asm__ volatile("lidt %0; int3" ::"m"(none));
}

int main(void)
{
	guest_printf("crash: boot %u\n", guest_boot->restarts + 1);
	if (guest_boot->cmdline[0] == 'h') {
		int off = guest_boot->cmdline[5] == 'c';
		guest_printf("crash: halting with interrupts %s\n",
			     off ? "off" : "on");
		for (;;)
			if (off)
				__asm__ volatile("cli; hlt");
			else
				__asm__ volatile("sti; hlt");
	}
	if (guest_boot->restarts < wanted()) {
		guest_printf("crash: triple-faulting now\n");
		triple_fault();
	}
	guest_printf("crash: done after %u restart(s)\n", guest_boot->restarts);
	return 0;
}
