// SPDX-License-Identifier: MIT
/* I/O instruction exits: decode the qualification, hand to device models. */
#include "exit.h"

/* Exit qualification for I/O instructions (SDM vol. 3C, table 28-5). */
#define IO_SIZE(q) ((unsigned)((q)&7) + 1)
#define IO_IN	   (1ull << 3)
#define IO_STRING  (1ull << 4)
#define IO_PORT(q) ((uint16_t)((q) >> 16))

int exit_io(struct vcpu *v, const struct exit_ctx *x)
{
	unsigned size = IO_SIZE(x->qual);
	uint16_t port = IO_PORT(x->qual);
	uint64_t *rax = &v->arch.gpr[GPR_RAX];
	uint32_t mask = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;

	if (x->qual & IO_STRING)
		return exit_stop(v, x, "string I/O (INS/OUTS), not emulated");
	if (size != 1 && size != 2 && size != 4)
		return exit_stop(v, x, "I/O access of invalid size");
	if (x->qual & IO_IN) {
		uint32_t val = 0;
		vm_port_io(v, port, size, 0, &val);
		/* A 32-bit IN zero-extends into RAX; narrower ones merge. */
		*rax = size == 4 ? (val & mask)
				 : (*rax & ~(uint64_t)mask) | (val & mask);
	} else {
		uint32_t val = (uint32_t)*rax & mask;
		vm_port_io(v, port, size, 1, &val);
	}
	exit_skip(v, x);
	return vcpu_state(v) == VCPU_RUNNABLE ? EXIT_RESUME : EXIT_LEAVE;
}
