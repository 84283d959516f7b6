/* SPDX-License-Identifier: MIT */
/* Port I/O dispatch: which device model claims which ports of a guest. */
#ifndef VM_EMUL_H
#define VM_EMUL_H

#include <stdint.h>

/*
 * Pure logic.  Device models register port ranges; an access nobody claims
 * reads as all-ones and its writes are dropped, and the first touch of each
 * unclaimed port is reported once per guest.
 */
#define EMUL_MAX_IO	  32
#define EMUL_MAX_MMIO	  16
#define EMUL_MMIO_REPORTS 32 /* unclaimed MMIO pages reported per guest */

_Static_assert(EMUL_MAX_IO < 256, "a claim index fits emul_io.owner");

/* A device's port handler: size is 1, 2 or 4; a read stores into *val. */
typedef void (*emul_io_fn)(void *dev, uint16_t port, unsigned size, int write,
			   uint32_t *val);

struct emul_io {
	uint32_t n;
	struct {
		uint16_t base, len;
		emul_io_fn fn;
		void *dev;
	} r[EMUL_MAX_IO];
	uint8_t owner[65536];	    /* claim index + 1 per port, 0: none */
	uint8_t touched[65536 / 8]; /* unclaimed ports already reported */
};

/* A device's MMIO handler: size is 1, 2, 4 or 8. */
typedef void (*emul_mmio_fn)(void *dev, uint64_t gpa, unsigned size, int write,
			     uint64_t *val);

struct emul_mmio {
	uint32_t n;
	struct {
		uint64_t base, len;
		emul_mmio_fn fn;
		void *dev;
	} r[EMUL_MAX_MMIO];
	uint32_t nreported;
	uint64_t reported[EMUL_MMIO_REPORTS]; /* pages, first touch logged */
};

/* Claim [base, base + len); -1 if it overlaps a claim or the table is full
 * or the range wraps past port 0xffff. */
int emul_io_register(struct emul_io *io, uint16_t base, uint16_t len,
		     emul_io_fn fn, void *dev);

/* Does a device claim port?  Then emul_io_claimed_access dispatches to
 * it, without looking again. */
static inline int emul_io_claimed(const struct emul_io *io, uint16_t port)
{
	return io->owner[port] != 0;
}

static inline void emul_io_claimed_access(struct emul_io *io, uint16_t port,
					  unsigned size, int write,
					  uint32_t *val)
{
	uint32_t i = io->owner[port] - 1u;

	io->r[i].fn(io->r[i].dev, port, size, write, val);
}

/* Dispatch one access.  Returns 1 if a device handled it; 0 if unclaimed
 * (reads give all-ones in *val), and then *first is 1 on the port's first
 * unclaimed touch. */
static inline int emul_io_access(struct emul_io *io, uint16_t port,
				 unsigned size, int write, uint32_t *val,
				 int *first)
{
	uint32_t i = io->owner[port]; /* inline: on every port exit's path */

	*first = 0;
	if (i) {
		io->r[i - 1].fn(io->r[i - 1].dev, port, size, write, val);
		return 1;
	}
	if (!write)
		*val = size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	uint8_t bit = (uint8_t)(1u << (port % 8));
	*first = !(io->touched[port / 8] & bit);
	io->touched[port / 8] |= bit;
	return 0;
}

/* As for ports: claim a range, then dispatch.  Unclaimed reads give
 * all-ones; *first is 1 on the first touch of an unclaimed page while
 * fewer than EMUL_MMIO_REPORTS pages were reported. */
int emul_mmio_register(struct emul_mmio *m, uint64_t base, uint64_t len,
		       emul_mmio_fn fn, void *dev);
int emul_mmio_access(struct emul_mmio *m, uint64_t gpa, unsigned size,
		     int write, uint64_t *val, int *first);

#endif
