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
#define IER_RDA	 0x01
#define IER_THRE 0x02
#define IER_RLS	 0x04
#define IER_MSI	 0x08
#define FCR_ON	 0x01

/* IIR identifications (datasheet table IV), FIFO bits apart. */
#define IIR_NONE    0x01
#define IIR_MSI	    0x00
#define IIR_THRE    0x02
#define IIR_RDA	    0x04
#define IIR_RLS	    0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFOS   0xc0

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
	/* With IER 0 nothing is reported, whatever happens; bits 7-6 say
	 * whether the FIFOs are on. */
	start();
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	vuart_write(&u, FCR, 0x01);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	vuart_write(&u, FCR, 0xc7); /* 14-byte trigger, both resets */
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	for (unsigned i = 0; i < VUART_FIFO + 1; i++)
		vuart_receive(&u, 'x'); /* data and an overrun */
	vuart_write(&u, THR, 'y');
	vuart_write(&u, MCR, MCR_LOOP | MCR_OUT2); /* modem deltas */
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	CHECK_EQ(vuart_irq(&u), 0);
	vuart_write(&u, MCR, MCR_OUT2);
	CHECK_EQ(vuart_irq(&u), 0);
	vuart_write(&u, FCR, 0x00);
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
	vuart_write(&u, FCR, 0xc0); /* trigger level without enable */
	CHECK_EQ(vuart_read(&u, IIR), 0x01);
}

TEST(thre_on_ier_enable)
{
	/* Linux's startup test: enabling the THRE interrupt while THR is
	 * empty raises it, every time it goes from 0 to 1. */
	start();
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE); /* the read cleared it */
	vuart_write(&u, IER, 0);
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	/* Rewriting IER with bit 1 still set is no new edge. */
	vuart_write(&u, IER, IER_THRE | IER_RLS);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* Nor is writing DLM, which shares the offset. */
	vuart_write(&u, IER, 0);
	vuart_write(&u, LCR, LCR_DLAB);
	vuart_write(&u, DLM, IER_THRE);
	vuart_write(&u, LCR, 0x03);
	CHECK_EQ(vuart_read(&u, IER), 0);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* With FIFOs on the identification is the same, bits 7-6 set. */
	vuart_write(&u, FCR, FCR_ON);
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_NONE);
}

TEST(thre_after_thr_write)
{
	start();
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	/* The byte goes out at once, so THRE is pending again. */
	vuart_write(&u, THR, 'a');
	CHECK_EQ(sent.n, 1);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* One interrupt per write a driver answers, not per byte. */
	vuart_write(&u, THR, 'b');
	vuart_write(&u, THR, 'c');
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* A write while the interrupt is disabled still empties THR: it
	 * shows once enabled (that enable is an edge anyway). */
	vuart_write(&u, IER, 0);
	vuart_write(&u, THR, 'd');
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	/* In loopback too, with the byte received instead of sent. */
	vuart_write(&u, MCR, MCR_LOOP);
	vuart_write(&u, THR, 'e');
	CHECK_EQ(sent.n, 4);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, RBR), 'e');
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
}

TEST(iir_clears_thre_only_when_reported)
{
	start();
	vuart_write(&u, IER, IER_RDA | IER_THRE);
	CHECK_EQ(vuart_receive(&u, 'r'), 0);
	/* Received data outranks THRE; reading IIR leaves THRE pending. */
	CHECK_EQ(vuart_read(&u, IIR), IIR_RDA);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RDA);
	CHECK_EQ(vuart_read(&u, RBR), 'r');
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* Same under an overrun, and with THRE raised by a THR write. */
	vuart_write(&u, IER, IER_RLS | IER_THRE);
	vuart_write(&u, THR, 't');
	for (unsigned i = 0; i < VUART_FIFO + 1; i++)
		vuart_receive(&u, (uint8_t)i);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_OE, LSR_OE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
}

TEST(interrupt_priorities)
{
	/* Every source at once, in loopback so the modem inputs move. */
	start();
	vuart_write(&u, FCR, 0x81);	/* FIFOs on, 8-byte trigger */
	vuart_write(&u, MCR, MCR_LOOP); /* CTS, DSR, DCD drop */
	vuart_write(&u, IER, IER_RDA | IER_THRE | IER_RLS | IER_MSI);
	for (unsigned i = 0; i < VUART_FIFO + 1; i++)
		vuart_write(&u, THR, (uint8_t)i); /* the 17th overruns */
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_RLS);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_RLS);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_OE, LSR_OE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_RDA);
	for (unsigned i = 0; i < 10; i++)
		CHECK_EQ(vuart_read(&u, RBR), i);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_TIMEOUT);
	for (unsigned i = 10; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_read(&u, RBR), i);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_THRE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_MSI);
	CHECK_EQ(vuart_read(&u, MSR), 0x0b);
	CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_NONE);
}

TEST(rx_trigger_levels)
{
	static const struct {
		uint8_t fcr;
		unsigned level;
	} trig[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xc1, 14}};

	start();
	vuart_write(&u, IER, IER_RDA);
	for (size_t t = 0; t < sizeof(trig) / sizeof(trig[0]); t++) {
		vuart_write(&u, FCR, trig[t].fcr | 0x02);
		CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_NONE);
		/* Below the level: timeout indication; from it on: data. */
		for (unsigned n = 1; n <= VUART_FIFO; n++) {
			CHECK_EQ(vuart_receive(&u, (uint8_t)n), 0);
			CHECK_EQ(
			    vuart_read(&u, IIR),
			    IIR_FIFOS |
				(n >= trig[t].level ? IIR_RDA : IIR_TIMEOUT));
		}
		/* Reading drains it back through both. */
		for (unsigned n = VUART_FIFO; n > 0; n--) {
			CHECK_EQ(
			    vuart_read(&u, IIR),
			    IIR_FIFOS |
				(n >= trig[t].level ? IIR_RDA : IIR_TIMEOUT));
			CHECK_EQ(vuart_read(&u, RBR), VUART_FIFO + 1 - n);
		}
		CHECK_EQ(vuart_read(&u, IIR), IIR_FIFOS | IIR_NONE);
	}
}

TEST(timeout_indication)
{
	start();
	vuart_write(&u, FCR, 0xc1); /* 14-byte trigger */
	vuart_write(&u, IER, IER_RDA);
	CHECK_EQ(vuart_receive(&u, 'a'), 0);
	CHECK_EQ(vuart_receive(&u, 'b'), 0);
	/* Raised at once (no clock to wait four characters); reading IIR
	 * does not clear it, only reading the data does. */
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR);
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	CHECK_EQ(vuart_read(&u, RBR), 'a');
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	CHECK_EQ(vuart_read(&u, RBR), 'b');
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	/* IER bit 0 enables it too. */
	CHECK_EQ(vuart_receive(&u, 'c'), 0);
	vuart_write(&u, IER, IER_THRE | IER_RLS | IER_MSI);
	CHECK_EQ(vuart_read(&u, IIR), 0xc2); /* the THRE enable edge */
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	/* FCR's receiver reset ends it. */
	vuart_write(&u, IER, IER_RDA);
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	vuart_write(&u, FCR, 0xc3);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
}

TEST(fifo_disabled_mode)
{
	start();
	vuart_write(&u, IER, IER_RDA);
	/* 16450 mode: every byte is "data available", never a timeout,
	 * and IIR bits 7-6 stay 0, whatever trigger bits FCR holds. */
	vuart_write(&u, FCR, 0xc0);
	CHECK_EQ(vuart_receive(&u, 'p'), 0);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RDA);
	CHECK_EQ(vuart_receive(&u, 'q'), 0);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RDA);
	CHECK_EQ(vuart_read(&u, RBR), 'p');
	CHECK_EQ(vuart_read(&u, IIR), IIR_RDA);
	CHECK_EQ(vuart_read(&u, RBR), 'q');
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* Changing mode empties the receiver, either way. */
	CHECK_EQ(vuart_receive(&u, 'r'), 0);
	vuart_write(&u, FCR, 0xc1);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
	CHECK_EQ(vuart_read(&u, IIR), 0xc1);
	CHECK_EQ(vuart_receive(&u, 's'), 0);
	CHECK_EQ(vuart_read(&u, IIR), 0xcc);
	vuart_write(&u, FCR, 0x00);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_DR, 0);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	CHECK_EQ(vuart_rx_room(&u), VUART_FIFO);
}

TEST(rls_on_overrun)
{
	start();
	vuart_write(&u, IER, IER_RLS);
	for (unsigned i = 0; i < VUART_FIFO; i++)
		CHECK_EQ(vuart_receive(&u, (uint8_t)i), 0);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE); /* full is no error */
	CHECK_EQ(vuart_receive(&u, 0xee), -1);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS); /* not an IIR read's to clear */
	CHECK_EQ(vuart_read(&u, RBR), 0);	/* nor reading data */
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS);
	CHECK_EQ(vuart_read(&u, LSR), LSR_THRE | LSR_TEMT | LSR_DR | LSR_OE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	/* Latched while disabled; shows once IER bit 2 is set, until LSR
	 * is read. */
	vuart_write(&u, IER, 0);
	vuart_receive(&u, 0xfe);
	vuart_receive(&u, 0xff);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	vuart_write(&u, IER, IER_RLS);
	CHECK_EQ(vuart_read(&u, IIR), IIR_RLS);
	CHECK_EQ(vuart_read(&u, LSR) & LSR_OE, LSR_OE);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
}

TEST(msi_loopback_deltas)
{
	/* Each step writes MCR (loopback on) and reads MSR: line states
	 * in bits 7-4, deltas since the last read in bits 3-0. */
	static const struct {
		uint8_t mcr, msr;
	} step[] = {
	    /* Entering loopback with outputs off drops CTS, DSR, DCD. */
	    {MCR_LOOP, 0x0b},
	    {MCR_LOOP, 0x00},
	    {MCR_LOOP | MCR_RTS, MSR_CTS | 0x01},
	    {MCR_LOOP | MCR_RTS | MCR_DTR, MSR_CTS | MSR_DSR | 0x02},
	    {MCR_LOOP | MCR_OUT2, MSR_DCD | 0x0b},
	    /* RI rising sets nothing; TERI is its trailing edge. */
	    {MCR_LOOP | MCR_OUT2 | MCR_OUT1, MSR_DCD | MSR_RI},
	    {MCR_LOOP | MCR_OUT2, MSR_DCD | 0x04},
	    {MCR_LOOP, 0x08},
	    /* Leaving loopback: the fixed terminal's CTS, DSR, DCD. */
	    {MCR_OUT1, MSR_CTS | MSR_DSR | MSR_DCD | 0x0b},
	    {MCR_DTR | MCR_RTS | MCR_OUT2, MSR_CTS | MSR_DSR | MSR_DCD},
	    {0, MSR_CTS | MSR_DSR | MSR_DCD},
	};

	start();
	vuart_write(&u, IER, IER_MSI);
	for (size_t i = 0; i < sizeof(step) / sizeof(step[0]); i++) {
		vuart_write(&u, MCR, step[i].mcr);
		CHECK_EQ(vuart_read(&u, IIR),
			 step[i].msr & 0x0f ? IIR_MSI : IIR_NONE);
		CHECK_EQ(vuart_read(&u, MSR), step[i].msr);
		CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
		CHECK_EQ(vuart_read(&u, MSR) & 0x0f, 0);
	}
	/* Deltas gather until MSR is read: CTS up and down is a change. */
	vuart_write(&u, MCR, MCR_LOOP | MCR_OUT1);
	CHECK_EQ(vuart_read(&u, MSR), MSR_RI | 0x0b);
	vuart_write(&u, MCR, MCR_LOOP | MCR_OUT1 | MCR_RTS);
	vuart_write(&u, MCR, MCR_LOOP);
	CHECK_EQ(vuart_read(&u, MSR), 0x05);
	/* Only IER bit 3 lets them interrupt. */
	vuart_write(&u, IER, 0);
	vuart_write(&u, MCR, MCR_LOOP | MCR_DTR);
	CHECK_EQ(vuart_read(&u, IIR), IIR_NONE);
	vuart_write(&u, IER, IER_MSI);
	CHECK_EQ(vuart_read(&u, IIR), IIR_MSI);
	CHECK_EQ(vuart_read(&u, MSR), MSR_DSR | 0x02);
}

TEST(out2_gates_irq)
{
	start();
	vuart_write(&u, IER, IER_THRE);
	CHECK_EQ(vuart_irq(&u), 0); /* pending, but OUT2 is off */
	vuart_write(&u, MCR, MCR_DTR | MCR_RTS | MCR_OUT1);
	CHECK_EQ(vuart_irq(&u), 0);
	vuart_write(&u, MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	CHECK_EQ(vuart_irq(&u), 1);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_irq(&u), 0);
	/* Loopback disconnects the line, OUT2 or not; IIR still tells. */
	vuart_write(&u, MCR, MCR_LOOP | MCR_OUT2);
	vuart_write(&u, THR, 'l');
	CHECK_EQ(vuart_irq(&u), 0);
	CHECK_EQ(vuart_read(&u, RBR), 'l');
	vuart_write(&u, MCR, MCR_OUT2);
	CHECK_EQ(vuart_irq(&u), 1);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_irq(&u), 0);
	/* The line follows received data as the glue feeds it. */
	vuart_write(&u, IER, IER_RDA);
	CHECK_EQ(vuart_receive(&u, 'x'), 0);
	CHECK_EQ(vuart_irq(&u), 1);
	CHECK_EQ(vuart_read(&u, RBR), 'x');
	CHECK_EQ(vuart_irq(&u), 0);
}

TEST(linux_irq_probe)
{
	/* Linux's autoconfig_irq, loopback off: all interrupts enabled,
	 * sources cleared by reads, then a byte sent must raise the line. */
	start();
	vuart_write(&u, MCR, MCR_OUT1 | MCR_OUT2);
	vuart_write(&u, IER, 0);
	vuart_write(&u, MCR, 0);
	vuart_write(&u, MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	vuart_write(&u, IER, 0x0f);
	vuart_read(&u, LSR);
	vuart_read(&u, RBR);
	vuart_read(&u, IIR);
	vuart_read(&u, MSR);
	CHECK_EQ(vuart_irq(&u), 0);
	vuart_write(&u, THR, 0xff);
	CHECK_EQ(vuart_irq(&u), 1);
	CHECK_EQ(vuart_read(&u, IIR), IIR_THRE);
	CHECK_EQ(vuart_irq(&u), 0);
}

TEST(rx_room)
{
	start();
	CHECK_EQ(vuart_rx_room(&u), VUART_FIFO);
	for (int i = 1; i <= VUART_FIFO; i++) {
		CHECK_EQ(vuart_receive(&u, (uint8_t)i), 0);
		CHECK_EQ(vuart_rx_room(&u), VUART_FIFO - i);
	}
	CHECK_EQ(vuart_receive(&u, 0), -1);
	CHECK_EQ(vuart_rx_room(&u), 0);
	vuart_read(&u, RBR);
	CHECK_EQ(vuart_rx_room(&u), 1);
	vuart_write(&u, FCR, 0x03);
	CHECK_EQ(vuart_rx_room(&u), VUART_FIFO);
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
	RUN(thre_on_ier_enable);
	RUN(thre_after_thr_write);
	RUN(iir_clears_thre_only_when_reported);
	RUN(interrupt_priorities);
	RUN(rx_trigger_levels);
	RUN(timeout_indication);
	RUN(fifo_disabled_mode);
	RUN(rls_on_overrun);
	RUN(msi_loopback_deltas);
	RUN(out2_gates_irq);
	RUN(linux_irq_probe);
	RUN(rx_room);
	RUN(loopback_data);
	RUN(loopback_modem_lines);
	RUN(mcr_high_bits_zero);
	RUN(modem_status_without_loopback);
	RUN(scratch_register);
	RUN(lcr_read_back);
	RUN(lsr_msr_writes_ignored);
	return TEST_END();
}
