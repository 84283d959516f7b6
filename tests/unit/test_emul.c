// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/emul.c: port claims, dispatch, unclaimed ports. */
#include <stdint.h>

#include "test.h"
#include "vm/emul.h"

/* A device that records its last access and answers reads with reply. */
struct dev {
	int calls;
	uint16_t port;
	unsigned size;
	int write;
	uint32_t written;
	uint32_t reply;
};

static void dev_io(void *d, uint16_t port, unsigned size, int write,
		   uint32_t *val)
{
	struct dev *x = d;

	x->calls++;
	x->port = port;
	x->size = size;
	x->write = write;
	if (write)
		x->written = *val;
	else
		*val = x->reply;
}

static struct emul_io io, saved;
static struct dev uart, kbd, dbg;

static void reset(void)
{
	memset(&io, 0, sizeof(io));
	memset(&uart, 0, sizeof(uart));
	memset(&kbd, 0, sizeof(kbd));
	memset(&dbg, 0, sizeof(dbg));
	uart.reply = 0x11111111;
	kbd.reply = 0x22222222;
	dbg.reply = 0x33333333;
}

/* Three devices: a UART at 0x3f8-0x3ff, the keyboard at 0x60, and a
 * debug port at 0xf4. */
static int three(void)
{
	reset();
	return emul_io_register(&io, 0x3f8, 8, dev_io, &uart) ||
	       emul_io_register(&io, 0x60, 1, dev_io, &kbd) ||
	       emul_io_register(&io, 0xf4, 1, dev_io, &dbg);
}

/* The table as it was when saved (field by field: padding may differ). */
static int same_table(void)
{
	if (io.n != saved.n)
		return 0;
	for (unsigned i = 0; i < EMUL_MAX_IO; i++)
		if (io.r[i].base != saved.r[i].base ||
		    io.r[i].len != saved.r[i].len ||
		    io.r[i].fn != saved.r[i].fn ||
		    io.r[i].dev != saved.r[i].dev)
			return 0;
	return memcmp(io.touched, saved.touched, sizeof(io.touched)) == 0;
}

static int access_(uint16_t port, unsigned size, int write, uint32_t *val,
		   int *first)
{
	*first = -1;
	return emul_io_access(&io, port, size, write, val, first);
}

TEST(dispatch_write)
{
	uint32_t val = 0x41;
	int first;

	CHECK_EQ(three(), 0);
	CHECK_EQ(io.n, 3);
	CHECK_EQ(access_(0x3f8, 1, 1, &val, &first), 1);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(uart.port, 0x3f8);
	CHECK_EQ(uart.size, 1);
	CHECK_EQ(uart.write, 1);
	CHECK_EQ(uart.written, 0x41);
	CHECK_EQ(kbd.calls + dbg.calls, 0);
	val = 0xcafe;
	CHECK_EQ(access_(0xf4, 2, 1, &val, &first), 1);
	CHECK_EQ(dbg.calls, 1);
	CHECK_EQ(dbg.port, 0xf4);
	CHECK_EQ(dbg.size, 2);
	CHECK_EQ(dbg.write, 1);
	CHECK_EQ(dbg.written, 0xcafe);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(kbd.calls, 0);
}

TEST(dispatch_read)
{
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	/* Last port of the UART's range, as a 4-byte read. */
	CHECK_EQ(access_(0x3ff, 4, 0, &val, &first), 1);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(uart.port, 0x3ff);
	CHECK_EQ(uart.size, 4);
	CHECK_EQ(uart.write, 0);
	CHECK_EQ(val, 0x11111111);
	CHECK_EQ(access_(0x60, 1, 0, &val, &first), 1);
	CHECK_EQ(kbd.calls, 1);
	CHECK_EQ(kbd.port, 0x60);
	CHECK_EQ(kbd.size, 1);
	CHECK_EQ(kbd.write, 0);
	CHECK_EQ(val, 0x22222222);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(dbg.calls, 0);
}

TEST(dispatch_range_edges)
{
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	for (uint16_t p = 0x3f8; p <= 0x3ff; p++) {
		CHECK_EQ(access_(p, 1, 0, &val, &first), 1);
		CHECK_EQ(uart.port, p);
	}
	CHECK_EQ(uart.calls, 8);
	/* One port either side, and either side of the keyboard's. */
	CHECK_EQ(access_(0x3f7, 1, 0, &val, &first), 0);
	CHECK_EQ(access_(0x400, 1, 0, &val, &first), 0);
	CHECK_EQ(access_(0x5f, 1, 0, &val, &first), 0);
	CHECK_EQ(access_(0x61, 1, 0, &val, &first), 0);
	CHECK_EQ(uart.calls, 8);
	CHECK_EQ(kbd.calls + dbg.calls, 0);
}

TEST(overlap_refused)
{
	static const struct {
		uint16_t base, len;
	} bad[] = {
	    {0x3f8, 8},	    /* the same */
	    {0x3f8, 1},	    /* first port */
	    {0x3ff, 1},	    /* last port */
	    {0x3fa, 2},	    /* inside */
	    {0x3f0, 9},	    /* ends on the first port */
	    {0x3ff, 0x10},  /* starts on the last port */
	    {0x300, 0x200}, /* covers it */
	    {0x60, 1},	    /* another claim */
	    {0x5f, 2},
	};
	struct dev other = {0};
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	saved = io;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(emul_io_register(&io, bad[i].base, bad[i].len, dev_io,
					  &other),
			 -1);
		CHECK(same_table());
	}
	/* The old claims still answer. */
	CHECK_EQ(access_(0x3f8, 1, 0, &val, &first), 1);
	CHECK_EQ(access_(0x60, 1, 0, &val, &first), 1);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(kbd.calls, 1);
	CHECK_EQ(other.calls, 0);
}

TEST(adjacent_accepted)
{
	struct dev below = {0}, above = {0};
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	CHECK_EQ(emul_io_register(&io, 0x3f0, 8, dev_io, &below), 0);
	CHECK_EQ(emul_io_register(&io, 0x400, 8, dev_io, &above), 0);
	CHECK_EQ(io.n, 5);
	CHECK_EQ(access_(0x3f7, 1, 0, &val, &first), 1);
	CHECK_EQ(access_(0x3f8, 1, 0, &val, &first), 1);
	CHECK_EQ(access_(0x400, 1, 0, &val, &first), 1);
	CHECK_EQ(below.calls, 1);
	CHECK_EQ(below.port, 0x3f7);
	CHECK_EQ(uart.calls, 1);
	CHECK_EQ(above.calls, 1);
	CHECK_EQ(above.port, 0x400);
}

TEST(full_table_refused)
{
	struct dev d[EMUL_MAX_IO + 1];
	uint32_t val = 0;
	int first;

	reset();
	memset(d, 0, sizeof(d));
	for (unsigned i = 0; i < EMUL_MAX_IO; i++)
		CHECK_EQ(emul_io_register(&io, (uint16_t)(0x1000 + 4 * i), 4,
					  dev_io, &d[i]),
			 0);
	CHECK_EQ(io.n, EMUL_MAX_IO);
	saved = io;
	/* A free, non-overlapping range: refused only for want of room. */
	CHECK_EQ(emul_io_register(&io, 0x2000, 4, dev_io, &d[EMUL_MAX_IO]), -1);
	CHECK(same_table());
	CHECK_EQ(access_(0x2000, 1, 0, &val, &first), 0);
	CHECK_EQ(d[EMUL_MAX_IO].calls, 0);
	/* Every registered claim, the last one too, is dispatched. */
	for (unsigned i = 0; i < EMUL_MAX_IO; i++) {
		CHECK_EQ(
		    access_((uint16_t)(0x1000 + 4 * i + 3), 1, 0, &val, &first),
		    1);
		CHECK_EQ(d[i].calls, 1);
		CHECK_EQ(d[i].port, 0x1000 + 4 * i + 3);
	}
}

TEST(wrap_refused)
{
	struct dev top = {0}, other = {0};
	uint32_t val = 0;
	int first;

	reset();
	CHECK_EQ(emul_io_register(&io, 0xffff, 2, dev_io, &other), -1);
	CHECK_EQ(emul_io_register(&io, 0xfff0, 0x11, dev_io, &other), -1);
	CHECK_EQ(emul_io_register(&io, 0x8000, 0xffff, dev_io, &other), -1);
	CHECK_EQ(emul_io_register(&io, 0xffff, 0xffff, dev_io, &other), -1);
	CHECK_EQ(io.n, 0);
	/* A range wrapping to port 0 would claim it: check it does not. */
	CHECK_EQ(access_(0, 1, 0, &val, &first), 0);
	CHECK_EQ(other.calls, 0);
	/* Ending exactly at 0xffff is fine. */
	CHECK_EQ(emul_io_register(&io, 0xfff0, 0x10, dev_io, &top), 0);
	CHECK_EQ(access_(0xffff, 2, 1, &val, &first), 1);
	CHECK_EQ(top.port, 0xffff);
	saved = io;
	CHECK_EQ(emul_io_register(&io, 0xffff, 2, dev_io, &other), -1);
	CHECK(same_table());
	/* The whole space but the last port, from 0. */
	CHECK_EQ(emul_io_register(&io, 0, 0xfff0, dev_io, &other), 0);
	CHECK_EQ(access_(0, 1, 0, &val, &first), 1);
	CHECK_EQ(access_(0xffef, 1, 0, &val, &first), 1);
	CHECK_EQ(other.calls, 2);
	CHECK_EQ(top.calls, 1);
}

TEST(empty_claim_claims_nothing)
{
	struct dev d = {0};
	uint32_t val = 0;
	int first;

	reset();
	emul_io_register(&io, 0x80, 0, dev_io, &d);
	CHECK_EQ(access_(0x80, 1, 0, &val, &first), 0);
	CHECK_EQ(access_(0x7f, 1, 0, &val, &first), 0);
	CHECK_EQ(d.calls, 0);
}

TEST(unclaimed_reads_all_ones)
{
	static const struct {
		unsigned size;
		uint32_t ones;
	} cases[] = {{1, 0xff}, {2, 0xffff}, {4, 0xffffffff}};
	uint32_t val;
	int first;

	CHECK_EQ(three(), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		val = 0x12345678; /* upper bytes must not survive */
		CHECK_EQ(access_(0x80, cases[i].size, 0, &val, &first), 0);
		CHECK_EQ(val, cases[i].ones);
		val = 0;
		CHECK_EQ(access_(0xcfc, cases[i].size, 0, &val, &first), 0);
		CHECK_EQ(val, cases[i].ones);
	}
	CHECK_EQ(uart.calls + kbd.calls + dbg.calls, 0);
}

TEST(unclaimed_writes_dropped)
{
	uint32_t val = 0xdeadbeef;
	int first;

	CHECK_EQ(three(), 0);
	saved = io;
	CHECK_EQ(access_(0x80, 1, 1, &val, &first), 0);
	CHECK_EQ(access_(0x3f7, 2, 1, &val, &first), 0);
	CHECK_EQ(access_(0x400, 4, 1, &val, &first), 0);
	CHECK_EQ(val, 0xdeadbeef);
	CHECK_EQ(uart.calls + kbd.calls + dbg.calls, 0);
	/* The claims are as they were (only the first-touch record moved). */
	memcpy(saved.touched, io.touched, sizeof(io.touched));
	CHECK(same_table());
}

TEST(first_touch_per_port)
{
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	CHECK_EQ(access_(0x80, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0x80, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 0);
	/* Another size or direction is the same port. */
	CHECK_EQ(access_(0x80, 4, 1, &val, &first), 0);
	CHECK_EQ(first, 0);
	CHECK_EQ(access_(0x80, 2, 0, &val, &first), 0);
	CHECK_EQ(first, 0);
	/* Its neighbours are not, although a 4-byte access at 0x80 spans
	 * them: the report is per port addressed. */
	CHECK_EQ(access_(0x81, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0x7f, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0x88, 1, 1, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0x88, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 0);
	CHECK_EQ(access_(0x81, 1, 1, &val, &first), 0);
	CHECK_EQ(first, 0);
	/* Both ends of the port space. */
	CHECK_EQ(access_(0, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0xffff, 1, 1, &val, &first), 0);
	CHECK_EQ(first, 1);
	CHECK_EQ(access_(0, 2, 1, &val, &first), 0);
	CHECK_EQ(first, 0);
	CHECK_EQ(access_(0xffff, 4, 0, &val, &first), 0);
	CHECK_EQ(first, 0);
}

TEST(first_touch_every_port_once)
{
	uint32_t val = 0;
	int first;

	reset();
	for (uint32_t p = 0; p < 0x10000; p++) {
		CHECK_EQ(access_((uint16_t)p, 1, p & 1, &val, &first), 0);
		CHECK_EQ(first, 1);
	}
	for (uint32_t p = 0; p < 0x10000; p++) {
		CHECK_EQ(access_((uint16_t)p, 1, 0, &val, &first), 0);
		CHECK_EQ(first, 0);
	}
}

TEST(first_touch_per_guest)
{
	static struct emul_io other;
	uint32_t val = 0;
	int first;

	reset();
	memset(&other, 0, sizeof(other));
	CHECK_EQ(access_(0x80, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
	first = -1;
	CHECK_EQ(emul_io_access(&other, 0x80, 1, 0, &val, &first), 0);
	CHECK_EQ(first, 1);
}

TEST(claimed_ports_not_reported)
{
	uint32_t val = 0;
	int first;

	CHECK_EQ(three(), 0);
	saved = io;
	CHECK_EQ(access_(0x3f8, 1, 0, &val, &first), 1);
	CHECK_EQ(access_(0x60, 1, 1, &val, &first), 1);
	/* Claimed accesses leave the unclaimed-port record alone. */
	CHECK(memcmp(io.touched, saved.touched, sizeof(io.touched)) == 0);
}

int main(void)
{
	RUN(dispatch_write);
	RUN(dispatch_read);
	RUN(dispatch_range_edges);
	RUN(overlap_refused);
	RUN(adjacent_accepted);
	RUN(full_table_refused);
	RUN(wrap_refused);
	RUN(empty_claim_claims_nothing);
	RUN(unclaimed_reads_all_ones);
	RUN(unclaimed_writes_dropped);
	RUN(first_touch_per_port);
	RUN(first_touch_every_port_once);
	RUN(first_touch_per_guest);
	RUN(claimed_ports_not_reported);
	return TEST_END();
}
