// SPDX-License-Identifier: MIT
/* I/O instruction exits: decode the qualification, hand to device models. */
#include "exit.h"
#include "qual.h"

/* The bits of RAX an access of each size moves; 0: no such size. */
static const uint32_t masks[9] = {0, 0xff, 0xffff, 0, 0xffffffffu};

int exit_io(struct vcpu *v, const struct exit_ctx *x)
{
	struct io_qual q = io_qual_decode(exit_qual());
	unsigned size = q.size;
	uint16_t port = q.port;
	uint64_t *rax = &v->arch.gpr[GPR_RAX];
	uint32_t mask = masks[size];

	if (q.string)
		return exit_stop(v, x, "string I/O (INS/OUTS), not emulated");
	if (!mask)
		return exit_stop(v, x, "I/O access of invalid size");
	if (q.in) {
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
	/* A debug exit stops the guest, a reset port restarts it (and its
	 * VMCS), a device woke a vCPU of this CPU: then this vCPU leaves. */
	return !vcpu_should_leave(v) && v->arch.ready ? EXIT_RESUME
						      : EXIT_LEAVE;
}
