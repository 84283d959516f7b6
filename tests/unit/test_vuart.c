// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vuart.c: 16550A registers as the datasheet has them.
 */
#include <stdint.h>

#include "../drivers/virt/vuart.h"
#include "test.h"

/* Register offsets (PC16550D datasheet, table II). */
enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2 };
enum { LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

#define LCR_DLAB 0x80
#define LSR_DR	 0x01
#define LSR_OE	 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_DTR	 0x01
#define MCR_RTS	 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MSR_CTS	 0x10
#define MSR_DSR	 0x20
#define MSR_RI	 0x40
#define MSR_DCD	 0x80

/* What the UART transmitted, and through which context. */
static struct {
	uint8_t byte[64];
	unsigned n;
	void *ctx;
} sent;

static struct vuart u;

static void tx(void *ctx, uint8_t byte)
{
	sent.ctx = ctx;
	if (sent.n < sizeof(sent.byte))
		sent.byte[sent.n] = byte;
	sent.n++;
}

static void start(void)
{
	memset(&sent, 0, sizeof(sent));
	vuart_init(&u, tx, &sent);
}

TEST(reset_state)
{
	start();
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	CHECK_EQ(vuart_read(&u, LCR), 0);
	CHECK_EQ(vuart_read(&u, MCR), 0);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	CHECK_EQ(sent.n, 0);
}

TEST(thr_transmits)
{
	start();
	vuart_write(&u, LCR, 0x03); /* 8N1 */
	vuart_write(&u, THR, 'h');
	CHECK_EQ(sent.n, 1);
	CHECK_EQ(sent.byte[0], 'h');
	CHECK(sent.ctx == &sent);
	/* Transmission is instant: THR and the shifter are empty again. */
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	vuart_write(&u, THR, 'i');
	vuart_write(&u, THR, 0x00);
	vuart_write(&u, THR, 0xff);
	CHECK_EQ(sent.n, 4);
	CHECK_EQ(sent.byte[1], 'i');
	CHECK_EQ(sent.byte[2], 0x00);
	CHECK_EQ(sent.byte[3], 0xff);
	/* Nothing transmitted comes back without loopback. */
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
}

TEST(divisor_latch)
{
	start();
	vuart_write(&u, IER, 0x05);
	vuart_write(&u, LCR, LCR_DLAB | 0x03);
	CHECK_EQ(vuart_read(&u, LCR), LCR_DLAB | 0x03);
	vuart_write(&u, DLL, 0x01); /* 115200 baud */
	vuart_write(&u, DLM, 0x00);
	CHECK_EQ(sent.n, 0); /* offset 0 is DLL, not THR */
	CHECK_EQ(vuart_read(&u, DLL), 0x01);
	CHECK_EQ(vuart_read(&u, DLM), 0x00);
	vuart_write(&u, DLL, 0x0c); /* 9600 baud */
	vuart_write(&u, DLM, 0x12);
	CHECK_EQ(vuart_read(&u, DLL), 0x0c);
	CHECK_EQ(vuart_read(&u, DLM), 0x12);
	/* Back to THR/RBR and IER, which the latch did not disturb. */
	vuart_write(&u, LCR, 0x03);
	CHECK_EQ(vuart_read(&u, IER), 0x05);
	vuart_write(&u, THR, 'x');
	CHECK_EQ(sent.n, 1);
	CHECK_EQ(sent.byte[0], 'x');
	/* And the divisor is still there when DLAB is set again. */
	vuart_write(&u, IER, 0x02);
	vuart_write(&u, LCR, LCR_DLAB);
	CHECK_EQ(vuart_read(&u, DLL), 0x0c);
	CHECK_EQ(vuart_read(&u, DLM), 0x12);
	vuart_write(&u, LCR, 0);
	CHECK_EQ(vuart_read(&u, IER), 0x02);
}

TEST(dlab_leaves_rx_fifo_alone)
{
	start();
	CHECK_EQ(vuart_receive(&u, 'a'), 0);
	vuart_write(&u, LCR, LCR_DLAB);
	vuart_write(&u, DLL, 0x01);
	CHECK_EQ(vuart_read(&u, DLL), 0x01); /* not the received byte */
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, LSR_DR);
	/* Offsets 2-7 do not depend on DLAB. */
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	vuart_write(&u, SCR, 0x5a);
	CHECK_EQ(vuart_read(&u, SCR), 0x5a);
	vuart_write(&u, LCR, 0x03);
	CHECK_EQ(vuart_read(&u, RBR), 'a');
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
}

TEST(ier_high_bits_zero)
{
	/* IER bits 4-7 are always 0. */
	start();
	vuart_write(&u, IER, 0xff);
	CHECK_EQ(vuart_read(&u, IER), 0x0f);
	vuart_write(&u, IER, 0xa0);
	CHECK_EQ(vuart_read(&u, IER), 0x00);
}

TEST(lsr_data_ready)
{
	start();
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	CHECK_EQ(vuart_receive(&u, 'q'), 0);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR);
	/* Reading LSR does not consume the byte. */
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR);
	CHECK_EQ(vuart_read(&u, RBR), 'q');
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
}

TEST(rx_fifo_order)
{
	const char *msg = "hello";

	start();
	for (const char *p = msg; *p; p++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)*p), 0);
	for (const char *p = msg; *p; p++) {
		CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, LSR_DR);
		CHECK_EQ(vuart_read(&u, RBR), (uint8_t)*p);
	}
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
	/* Interleaved, ten bytes waiting, around the ring several times. */
	unsigned in = 0, out = 0;
	while (in < 10)
		CHECK_EQ(vuart_receive(&u, (uint8_t)in++), 0);
	while (in < 5 * VUART_FIFO) {
		CHECK_EQ(vuart_receive(&u, (uint8_t)in++), 0);
		CHECK_EQ(vuart_read(&u, RBR), (uint8_t)out++);
	}
	while (out < in)
		CHECK_EQ(vuart_read(&u, RBR), (uint8_t)out++);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
}

TEST(rx_fifo_limit_and_overrun)
{
	start();
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)('A' + i)), 0);
	CHECK_EQ(VUART_FIFO, 16);
	CHECK_EQ(vuart_receive(&u, '!'), -1);
	CHECK_EQ(vuart_receive(&u, '?'), -1);
	/* OE once, for both lost bytes; reading LSR clears it. */
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR | LSR_OE);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR);
	/* The FIFO kept the first 16 bytes; the later ones were lost. */
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_read(&u, RBR), 'A' + i);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	/* Room again after reading. */
	CHECK_EQ(vuart_receive(&u, 'z'), 0);
	CHECK_EQ(vuart_read(&u, RBR), 'z');
}

TEST(overrun_after_wrap)
{
	start();
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)i), 0);
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(vuart_read(&u, RBR), i);
	/* Head is now mid-ring: still exactly 16 fit. */
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)(0x40 + i)), 0);
	CHECK_EQ(vuart_receive(&u, 0xee), -1);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_OE, LSR_OE);
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_read(&u, RBR), 0x40 + i);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
}

TEST(fcr_clears_rx)
{
	start();
	vuart_write(&u, FCR, 0x01);
	for (unsigned i = 0; i < 3; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)('a' + i)), 0);
	/* Enable bit alone, or with XMIT reset: the receive FIFO stays. */
	vuart_write(&u, FCR, 0x01);
	vuart_write(&u, FCR, 0x05);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, LSR_DR);
	CHECK_EQ(vuart_read(&u, RBR), 'a');
	vuart_write(&u, FCR, 0x03); /* FIFO enable | RCVR FIFO reset */
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
	/* No stale byte comes back, and the FIFO takes 16 again. */
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)(0x30 + i)), 0);
	CHECK_EQ(vuart_receive(&u, 0xee), -1);
	vuart_write(&u, FCR, 0x07);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
	CHECK_EQ(vuart_receive(&u, 'z'), 0);
	CHECK_EQ(vuart_read(&u, RBR), 'z');
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
}

TEST(iir_no_interrupt)
{
	start();
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	vuart_write(&u, FCR, 0x01);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	vuart_write(&u, FCR, 0xc7); /* 14-byte trigger, both resets */
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	vuart_write(&u, IER, 0x0f); /* interrupts are not modelled */
	CHECK_EQ(vuart_receive(&u, 'x'), 0);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	vuart_write(&u, FCR, 0x00);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	vuart_write(&u, FCR, 0xc0); /* trigger level without enable */
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
}

TEST(loopback_data)
{
	start();
	vuart_write(&u, MCR, MCR_LOOP);
	CHECK_EQ(vuart_read(&u, MCR), MCR_LOOP);
	vuart_write(&u, THR, 'L');
	vuart_write(&u, THR, 'o');
	CHECK_EQ(sent.n, 0);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR);
	CHECK_EQ(vuart_read(&u, RBR), 'L');
	CHECK_EQ(vuart_read(&u, RBR), 'o');
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	/* Looped back bytes fill the same FIFO. */
	for (unsigned i = 0; i < VUART_FIFO + 1; i++)
		vuart_write(&u, THR, (uint8_t)i);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR | LSR_OE);
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_read(&u, RBR), i);
	/* Out of loopback, THR goes to the line again. */
	vuart_write(&u, MCR, MCR_DTR | MCR_RTS);
	vuart_write(&u, THR, 'T');
	CHECK_EQ(sent.n, 1);
	CHECK_EQ(sent.byte[0], 'T');
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
}

TEST(loopback_modem_lines)
{
	static const struct {
		uint8_t mcr, msr;
	} wire[] = {
	    {0, 0},
	    {MCR_DTR, MSR_DSR},
	    {MCR_RTS, MSR_CTS},
	    {MCR_OUT1, MSR_RI},
	    {MCR_OUT2, MSR_DCD},
	    {MCR_DTR | MCR_OUT2, MSR_DSR | MSR_DCD},
	    {MCR_RTS | MCR_OUT1, MSR_CTS | MSR_RI},
	    {0x0f, MSR_CTS | MSR_DSR | MSR_RI | MSR_DCD},
	};

	start();
	for (size_t i = 0; i < sizeof(wire) / sizeof(wire[0]); i++) {
		vuart_write(&u, MCR, MCR_LOOP | wire[i].mcr);
		/* The upper nibble holds the line states. */
		CHECK_EQ(vuart_read(&u, MSR) & 0xf0, wire[i].msr);
	}
}

TEST(mcr_high_bits_zero)
{
	/* MCR bits 5-7 are permanently 0 on the 16550. */
	start();
	vuart_write(&u, MCR, 0xff);
	CHECK_EQ(vuart_read(&u, MCR), 0x1f);
	vuart_write(&u, MCR, 0xe3);
	CHECK_EQ(vuart_read(&u, MCR), 0x03);
	vuart_write(&u, THR, 'n'); /* bit 4 was cleared: no loopback */
	CHECK_EQ(sent.n, 1);
}

TEST(modem_status_without_loopback)
{
	/* A connected, ready terminal, whatever the outputs say. */
	start();
	CHECK_EQ(vuart_read(&u, MSR) & 0xf0, MSR_CTS | MSR_DSR | MSR_DCD);
	vuart_write(&u, MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	CHECK_EQ(vuart_read(&u, MSR) & 0xf0, MSR_CTS | MSR_DSR | MSR_DCD);
}

TEST(scratch_register)
{
	start();
	for (unsigned v = 0; v < 256; v += 17) {
		vuart_write(&u, SCR, (uint8_t)v);
		CHECK_EQ(vuart_read(&u, SCR), v);
	}
	vuart_write(&u, SCR, 0xa5);
	/* It is storage only: no effect on the others. */
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	CHECK_EQ(vuart_read(&u, LCR), 0);
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(sent.n, 0);
	CHECK_EQ(vuart_read(&u, SCR), 0xa5);
}

TEST(lcr_read_back)
{
	start();
	vuart_write(&u, LCR, 0x1b); /* 8 bits, 1 stop, even parity */
	CHECK_EQ(vuart_read(&u, LCR), 0x1b);
	vuart_write(&u, LCR, 0x7f);
	CHECK_EQ(vuart_read(&u, LCR), 0x7f);
	vuart_write(&u, THR, 'p'); /* bit 7 clear: still THR */
	CHECK_EQ(sent.n, 1);
}

TEST(lsr_msr_writes_ignored)
{
	start();
	vuart_write(&u, LSR, 0xff);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	vuart_write(&u, LSR, 0x00);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT);
	vuart_write(&u, MCR, MCR_LOOP | MCR_DTR);
	vuart_write(&u, MSR, 0xff);
	CHECK_EQ(vuart_read(&u, MSR) & 0xf0, MSR_DSR);
	vuart_write(&u, MSR, 0x00);
	CHECK_EQ(vuart_read(&u, MSR) & 0xf0, MSR_DSR);
	/* And neither write touched the other registers. */
	CHECK_EQ(vuart_read(&u, MCR), MCR_LOOP | MCR_DTR);
	CHECK_EQ(vuart_read(&u, LCR), 0);
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(vuart_read(&u, SCR), 0);
	CHECK_EQ(sent.n, 0);
}

int main(void)
{
	RUN(reset_state);
	RUN(thr_transmits);
	RUN(divisor_latch);
	RUN(dlab_leaves_rx_fifo_alone);
	RUN(ier_high_bits_zero);
	RUN(lsr_data_ready);
	RUN(rx_fifo_order);
	RUN(rx_fifo_limit_and_overrun);
	RUN(overrun_after_wrap);
	RUN(fcr_clears_rx);
	RUN(iir_no_interrupt);
	RUN(loopback_data);
	RUN(loopback_modem_lines);
	RUN(mcr_high_bits_zero);
	RUN(modem_status_without_loopback);
	RUN(scratch_register);
	RUN(lcr_read_back);
	RUN(lsr_msr_writes_ignored);
	return TEST_END();
}
