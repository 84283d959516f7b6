// SPDX-License-Identifier: MIT
/* Debug-exit port: any write ends the guest with the value as status. */
#include "debugexit.h"

#include "../../kernel/vm/guest.h"

static void access(void *dev, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct guest *g = dev;

	(void)port;
	if (!write) {
		*val = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
		return;
	}
	g->exit_status = (int)*val;
	guest_stop(g, "exit status %u (debug-exit port)", *val);
}

int debugexit_attach(struct guest *g)
{
	return emul_io_register(&g->io, DEBUGEXIT_PORT, DEBUGEXIT_LEN, access,
				g);
}
