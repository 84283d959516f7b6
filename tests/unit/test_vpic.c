// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vpic.c: the PC's 8259A pair as a guest drives it. */
#include <stdint.h>

#include "../drivers/virt/vpic.h"
#include "test.h"

enum { M_CMD = 0x20, M_DATA = 0x21, S_CMD = 0xa0, S_DATA = 0xa1 };
enum { ELCR_M = 0x4d0, ELCR_S = 0x4d1 };

/* Command words as guests write them (8259A datasheet, "Operation
 * Command Words"); OCW2 codes take the level in bits 0-2. */
#define EOI	      0x20
#define SPECIFIC_EOI  0x60
#define ROTATE_EOI    0xa0
#define ROTATE_SEOI   0xe0
#define ROTATE_AEOI   0x80
#define NO_ROTATE     0x00
#define SET_PRIORITY  0xc0
#define OCW2_NOP      0x40
#define READ_IRR      0x0a
#define READ_ISR      0x0b
#define POLL	      0x0c
#define SMM_ON	      0x68
#define SMM_OFF	      0x48
#define ICW4_8086     0x01
#define ICW4_AEOI     0x02
#define POLL_REQUEST  0x80
#define MASTER_VECTOR 0x20
#define SLAVE_VECTOR  0x28

static struct vpic p;

static void init_chip(uint16_t cmd, uint8_t base, uint8_t icw3, uint8_t icw4)
{
	vpic_write(&p, cmd, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	vpic_write(&p, cmd + 1, base);
	vpic_write(&p, cmd + 1, icw3);
	vpic_write(&p, cmd + 1, icw4);
}

/* What the BIOS and Linux do; every IRQ is left unmasked. */
static void start_with(uint8_t master_icw4, uint8_t slave_icw4)
{
	vpic_init(&p);
	init_chip(M_CMD, MASTER_VECTOR, 1u << VPIC_CASCADE, master_icw4);
	init_chip(S_CMD, SLAVE_VECTOR, VPIC_CASCADE, slave_icw4);
}

static void start(void)
{
	start_with(ICW4_8086, ICW4_8086);
}

static void pulse(unsigned irq)
{
	vpic_set_irq(&p, irq, 1);
	vpic_set_irq(&p, irq, 0);
}

static uint8_t irr(uint16_t cmd)
{
	vpic_write(&p, cmd, READ_IRR);
	return vpic_read(&p, cmd);
}

static uint8_t isr(uint16_t cmd)
{
	uint8_t v;

	vpic_write(&p, cmd, READ_ISR);
	v = vpic_read(&p, cmd);
	vpic_write(&p, cmd, READ_IRR);
	return v;
}

/* A poll command and the read that completes it. */
static uint8_t poll(uint16_t cmd)
{
	vpic_write(&p, cmd, POLL);
	return vpic_read(&p, cmd);
}

TEST(power_on_delivers_nothing)
{
	vpic_init(&p);
	CHECK_EQ(vpic_read(&p, M_DATA), 0xff);
	CHECK_EQ(vpic_read(&p, S_DATA), 0xff);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0);
	CHECK_EQ(vpic_read(&p, ELCR_S), 0);
	vpic_set_irq(&p, 0, 1);
	vpic_set_irq(&p, 9, 1);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x01); /* latched, but masked */
	/* Unmasking is not enough: there is no vector base yet. */
	vpic_write(&p, M_DATA, 0);
	vpic_write(&p, S_DATA, 0);
	CHECK_EQ(vpic_read(&p, M_DATA), 0);
	CHECK_EQ(vpic_output(&p), 0);
	/* ICW1 resets the edge latches: the old edges are forgotten. */
	init_chip(M_CMD, MASTER_VECTOR, 4, ICW4_8086);
	init_chip(S_CMD, SLAVE_VECTOR, 2, ICW4_8086);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(M_CMD), 0);
	CHECK_EQ(irr(S_CMD), 0);
	vpic_set_irq(&p, 9, 0);
	vpic_set_irq(&p, 9, 1);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x29);
}

TEST(init_sequence_and_imr)
{
	vpic_init(&p);
	vpic_write(&p, M_DATA, 0x5a); /* OCW1 before any ICW */
	CHECK_EQ(vpic_read(&p, M_DATA), 0x5a);
	vpic_write(&p, M_CMD, 0x11);
	CHECK_EQ(vpic_read(&p, M_DATA), 0); /* ICW1 clears IMR */
	vpic_write(&p, M_DATA, 0x27);	    /* ICW2: low 3 bits ignored */
	vpic_write(&p, M_DATA, 0x04);
	vpic_write(&p, M_DATA, 0x01);
	CHECK_EQ(vpic_read(&p, M_DATA), 0); /* those were ICWs, not OCW1 */
	vpic_write(&p, M_DATA, 0x3b);
	CHECK_EQ(vpic_read(&p, M_DATA), 0x3b);
	pulse(0);
	CHECK_EQ(vpic_output(&p), 0);
	pulse(6);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x26);
	vpic_write(&p, M_CMD, EOI);
	init_chip(S_CMD, 0x75, 2, ICW4_8086);
	pulse(8);
	CHECK_EQ(vpic_ack(&p), 0x70);
}

TEST(nothing_delivered_mid_sequence)
{
	start();
	vpic_write(&p, M_CMD, 0x11);
	pulse(1);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_DATA, 0x40);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_DATA, 0x04);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_DATA, ICW4_8086);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x41);
}

TEST(masked_irqs_not_delivered)
{
	start();
	vpic_write(&p, M_DATA, 0x02);
	pulse(1);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(M_CMD), 0x02); /* IRR sits before the mask */
	pulse(3);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x23);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_DATA, 0x00);
	CHECK_EQ(vpic_ack(&p), 0x21);
	vpic_write(&p, M_CMD, EOI);
	/* A slave IRQ is held back by the slave's IMR... */
	vpic_write(&p, S_DATA, 0x10);
	pulse(12);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(S_CMD), 0x10);
	CHECK_EQ(irr(M_CMD), 0x00);
	/* ...or by the master's mask on the cascade. */
	vpic_write(&p, M_DATA, 0x04);
	vpic_write(&p, S_DATA, 0x00);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(M_CMD), 0x04);
	vpic_write(&p, M_DATA, 0x00);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x2c);
}

TEST(priority_lower_waits_for_eoi)
{
	start();
	pulse(1);
	pulse(0);
	CHECK_EQ(vpic_ack(&p), 0x20);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 1 waits behind IRQ 0 */
	CHECK_EQ(isr(M_CMD), 0x01);
	CHECK_EQ(irr(M_CMD), 0x02);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
	pulse(7);
	pulse(5);
	pulse(6);
	for (unsigned ir = 5; ir <= 7; ir++) {
		CHECK_EQ(vpic_ack(&p), MASTER_VECTOR + ir);
		CHECK_EQ(vpic_output(&p), 0);
		vpic_write(&p, M_CMD, EOI);
	}
	CHECK_EQ(isr(M_CMD), 0);
}

TEST(higher_priority_nests)
{
	start();
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	pulse(4);
	CHECK_EQ(vpic_output(&p), 0);
	pulse(1);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	CHECK_EQ(isr(M_CMD), 0x0a);
	/* A non-specific EOI ends the innermost (highest) level. */
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0x08);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(vpic_ack(&p), 0x24);
}

TEST(slave_through_irq2)
{
	start();
	pulse(10);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(irr(M_CMD), 0x04);
	CHECK_EQ(irr(S_CMD), 0x04);
	CHECK_EQ(vpic_ack(&p), 0x2a);
	CHECK_EQ(isr(M_CMD), 0x04);
	CHECK_EQ(isr(S_CMD), 0x04);
	pulse(11);
	CHECK_EQ(vpic_output(&p), 0);
	/* Master IRQ 1 outranks the cascade level; IRQ 3 does not. */
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0x04);
	pulse(3);
	CHECK_EQ(vpic_output(&p), 0);
	/* The slave's EOI alone leaves IRQ 2 in service on the master. */
	vpic_write(&p, S_CMD, EOI);
	CHECK_EQ(isr(S_CMD), 0);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x2b); /* IRQ 11 before IRQ 3 */
	vpic_write(&p, S_CMD, EOI);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x23);
}

TEST(slave_needs_both_eois)
{
	start();
	pulse(9);
	CHECK_EQ(vpic_ack(&p), 0x29);
	pulse(12);
	/* The master's EOI alone: IRQ 9 still blocks IRQ 12 on the slave. */
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, S_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x2c);
	/* A higher slave IRQ waits for the master too (no SFNM). */
	pulse(8);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x28);
	CHECK_EQ(isr(S_CMD), 0x11);
	vpic_write(&p, S_CMD, EOI);
	CHECK_EQ(isr(S_CMD), 0x10);
}

TEST(specific_eoi)
{
	start();
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 3); /* not the highest */
	CHECK_EQ(isr(M_CMD), 0x02);
	pulse(4);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 5); /* not in service */
	CHECK_EQ(isr(M_CMD), 0x02);
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 1);
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(vpic_ack(&p), 0x24);
	vpic_write(&p, M_CMD, EOI);
	pulse(13);
	CHECK_EQ(vpic_ack(&p), 0x2d);
	vpic_write(&p, S_CMD, SPECIFIC_EOI | 5);
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 2);
	CHECK_EQ(isr(S_CMD), 0);
	CHECK_EQ(isr(M_CMD), 0);
}

TEST(auto_eoi)
{
	start_with(ICW4_8086 | ICW4_AEOI, ICW4_8086 | ICW4_AEOI);
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	CHECK_EQ(isr(M_CMD), 0);
	pulse(4); /* lower, yet nothing is in service to block it */
	CHECK_EQ(vpic_ack(&p), 0x24);
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	/* Two slave requests: the second is not lost behind the first. */
	pulse(15);
	pulse(14);
	CHECK_EQ(vpic_ack(&p), 0x2e);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(isr(S_CMD), 0);
	CHECK_EQ(vpic_ack(&p), 0x2f);
	CHECK_EQ(vpic_output(&p), 0);
	/* The same when the guest polls instead. */
	pulse(9);
	pulse(10);
	CHECK_EQ(poll(M_CMD), POLL_REQUEST | 2);
	CHECK_EQ(poll(S_CMD), POLL_REQUEST | 1);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x2a);
	/* No rotation unless asked: IRQ 0 still comes first. */
	pulse(7);
	pulse(0);
	CHECK_EQ(vpic_ack(&p), 0x20);
	CHECK_EQ(vpic_ack(&p), 0x27);
}

TEST(edge_requests_once_per_rising_edge)
{
	start();
	vpic_set_irq(&p, 4, 1);
	CHECK_EQ(vpic_ack(&p), 0x24);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0); /* still high, but no new edge */
	CHECK_EQ(irr(M_CMD), 0);
	vpic_set_irq(&p, 4, 1);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_set_irq(&p, 4, 0);
	vpic_set_irq(&p, 4, 1);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x24);
	/* An edge while in service waits in IRR for the EOI. */
	vpic_set_irq(&p, 4, 0);
	vpic_set_irq(&p, 4, 1);
	CHECK_EQ(irr(M_CMD), 0x10);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x24);
	vpic_write(&p, M_CMD, EOI);
	/* A pulse that is over before the acknowledge still counts. */
	pulse(5);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x25);
	CHECK_EQ(isr(M_CMD), 0x20);
}

TEST(level_requests_while_high)
{
	start();
	vpic_write(&p, ELCR_M, 0x20);
	vpic_write(&p, ELCR_S, 0x08);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0x20);
	CHECK_EQ(vpic_read(&p, ELCR_S), 0x08);
	vpic_set_irq(&p, 5, 1);
	CHECK_EQ(vpic_ack(&p), 0x25);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(M_CMD), 0x20); /* the line is still high */
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x25); /* again, without a new edge */
	vpic_set_irq(&p, 5, 0);
	CHECK_EQ(irr(M_CMD), 0);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
	/* The same on the slave, through the cascade. */
	vpic_set_irq(&p, 11, 1);
	CHECK_EQ(vpic_ack(&p), 0x2b);
	vpic_write(&p, S_CMD, EOI);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x2b);
	vpic_set_irq(&p, 11, 0);
	vpic_write(&p, S_CMD, EOI);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(S_CMD), 0);
	/* Back to edge: a line already high needs a new edge. */
	vpic_set_irq(&p, 5, 1);
	CHECK_EQ(vpic_output(&p), 1);
	vpic_write(&p, ELCR_M, 0x00);
	CHECK_EQ(vpic_output(&p), 0);
	/* An edge latched before the input turns level is dropped. */
	vpic_write(&p, M_DATA, 0x40);
	pulse(6);
	CHECK_EQ(irr(M_CMD), 0x40);
	vpic_write(&p, ELCR_M, 0x40);
	CHECK_EQ(irr(M_CMD), 0);
	vpic_write(&p, ELCR_M, 0x00);
	CHECK_EQ(irr(M_CMD), 0);
}

TEST(spurious_irq7)
{
	start();
	vpic_write(&p, ELCR_M, 0x20);
	vpic_set_irq(&p, 5, 1);
	CHECK_EQ(vpic_output(&p), 1);
	vpic_set_irq(&p, 5, 0); /* gone before the CPU acknowledged */
	CHECK_EQ(vpic_ack(&p), 0x27);
	CHECK_EQ(isr(M_CMD), 0); /* IR7 is not put in service */
	/* Masked between INT and INTA: the same, and the edge stays. */
	pulse(3);
	CHECK_EQ(vpic_output(&p), 1);
	vpic_write(&p, M_DATA, 0x08);
	CHECK_EQ(vpic_ack(&p), 0x27);
	CHECK_EQ(isr(M_CMD), 0);
	vpic_write(&p, M_DATA, 0x00);
	CHECK_EQ(vpic_ack(&p), 0x23);
}

TEST(spurious_irq15)
{
	start();
	vpic_write(&p, ELCR_S, 0x04);
	vpic_set_irq(&p, 10, 1);
	CHECK_EQ(vpic_output(&p), 1);
	vpic_set_irq(&p, 10, 0);
	/* The master latched the cascade's edge and still asks... */
	CHECK_EQ(vpic_output(&p), 1);
	/* ...but the slave has nothing: its IR7 vector, master IR2 in
	 * service, so the guest must EOI the master alone. */
	CHECK_EQ(vpic_ack(&p), 0x2f);
	CHECK_EQ(isr(M_CMD), 0x04);
	CHECK_EQ(isr(S_CMD), 0);
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 2);
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(vpic_output(&p), 0);
}

TEST(rotate_on_eoi)
{
	start();
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	vpic_write(&p, M_CMD, ROTATE_EOI); /* IRQ 3 lowest, IRQ 4 highest */
	CHECK_EQ(isr(M_CMD), 0);
	pulse(1);
	pulse(4);
	CHECK_EQ(vpic_ack(&p), 0x24);
	vpic_write(&p, M_CMD, ROTATE_EOI); /* now 5 6 7 0 1 2 3 4 */
	CHECK_EQ(vpic_ack(&p), 0x21);
	/* IRQ 6 outranks IRQ 1 in service under this order. */
	pulse(6);
	CHECK_EQ(vpic_output(&p), 1);
	CHECK_EQ(vpic_ack(&p), 0x26);
	CHECK_EQ(isr(M_CMD), 0x42);
	vpic_write(&p, M_CMD, EOI); /* the highest is IRQ 6 */
	CHECK_EQ(isr(M_CMD), 0x02);
	/* A plain EOI does not rotate: IRQ 0 still comes before IRQ 3. */
	vpic_write(&p, M_CMD, EOI);
	pulse(3);
	pulse(0);
	CHECK_EQ(vpic_ack(&p), 0x20);
}

TEST(rotate_on_specific_eoi)
{
	start();
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	pulse(6);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, ROTATE_SEOI | 3); /* now 4 5 6 7 0 1 2 3 */
	CHECK_EQ(isr(M_CMD), 0);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x26);
	/* Only the named level rotates: a plain specific EOI does not. */
	vpic_write(&p, M_CMD, SPECIFIC_EOI | 6);
	pulse(5);
	CHECK_EQ(vpic_ack(&p), 0x25);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x21);
}

TEST(set_priority)
{
	start();
	vpic_write(&p, M_CMD, SET_PRIORITY | 5); /* 6 7 0 1 2 3 4 5 */
	pulse(0);
	pulse(6);
	CHECK_EQ(vpic_ack(&p), 0x26);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 0 is below IRQ 6 now */
	vpic_write(&p, M_CMD, OCW2_NOP);
	CHECK_EQ(isr(M_CMD), 0x40);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x20);
	pulse(7);
	CHECK_EQ(vpic_output(&p), 1); /* IRQ 7 is above IRQ 0 */
	CHECK_EQ(vpic_ack(&p), 0x27);
	CHECK_EQ(isr(M_CMD), 0x81);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0x01);
}

TEST(rotate_in_auto_eoi)
{
	start_with(ICW4_8086 | ICW4_AEOI, ICW4_8086);
	vpic_write(&p, M_CMD, ROTATE_AEOI);
	vpic_write(&p, M_CMD, OCW2_NOP | 5); /* changes nothing */
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21); /* now 2 3 4 5 6 7 0 1 */
	pulse(0);
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23); /* now 4 5 6 7 0 1 2 3 */
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x20); /* now 1 2 3 4 5 6 7 0 */
	vpic_write(&p, M_CMD, NO_ROTATE);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21); /* a rotation would give IRQ 3 */
	CHECK_EQ(vpic_ack(&p), 0x23);
	CHECK_EQ(isr(M_CMD), 0);
}

TEST(special_mask_mode)
{
	start();
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x23);
	pulse(5);
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, SMM_ON);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 3 is not masked yet */
	vpic_write(&p, M_DATA, 0x08);
	CHECK_EQ(vpic_output(&p), 1); /* lower levels open up */
	CHECK_EQ(vpic_ack(&p), 0x25);
	CHECK_EQ(isr(M_CMD), 0x28);
	/* A non-specific EOI passes over the masked level. */
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(isr(M_CMD), 0x08);
	vpic_write(&p, M_CMD, SMM_OFF);
	pulse(6);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 3 blocks again */
	vpic_write(&p, M_CMD, 0x28);  /* SMM without ESMM: no change */
	CHECK_EQ(vpic_output(&p), 0);
	vpic_write(&p, M_CMD, EOI); /* outside SMM it ends IRQ 3 */
	CHECK_EQ(isr(M_CMD), 0);
	CHECK_EQ(vpic_ack(&p), 0x26);
}

TEST(poll_mode)
{
	start();
	CHECK_EQ(poll(M_CMD), 0); /* nothing requested */
	pulse(4);
	pulse(6);
	CHECK_EQ(poll(M_CMD), POLL_REQUEST | 4);
	CHECK_EQ(isr(M_CMD), 0x10);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x40); /* one read per poll: IRR */
	CHECK_EQ(poll(M_CMD), 0);	      /* IRQ 6 is below IRQ 4 */
	vpic_write(&p, M_CMD, EOI);
	/* The poll wins over a read-ISR selection, which then returns. */
	vpic_write(&p, M_CMD, READ_ISR);
	CHECK_EQ(poll(M_CMD), POLL_REQUEST | 6);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x40);
	vpic_write(&p, M_CMD, EOI);
	/* A poll stays pending until the read, whatever OCW3 follows. */
	pulse(5);
	vpic_write(&p, M_CMD, POLL);
	vpic_write(&p, M_CMD, READ_IRR);
	CHECK_EQ(vpic_read(&p, M_CMD), POLL_REQUEST | 5);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
	/* Cascade: the master reports IRQ 2, then the slave its level. */
	pulse(12);
	CHECK_EQ(poll(M_CMD), POLL_REQUEST | 2);
	CHECK_EQ(poll(S_CMD), POLL_REQUEST | 4);
	CHECK_EQ(isr(M_CMD), 0x04);
	CHECK_EQ(isr(S_CMD), 0x10);
	CHECK_EQ(vpic_output(&p), 0);
}

TEST(register_readback)
{
	start();
	vpic_write(&p, M_DATA, 0xa5);
	vpic_write(&p, S_DATA, 0x5a);
	CHECK_EQ(vpic_read(&p, M_DATA), 0xa5);
	CHECK_EQ(vpic_read(&p, S_DATA), 0x5a);
	pulse(1);
	pulse(3);
	pulse(5);			      /* masked, and still in IRR */
	CHECK_EQ(vpic_read(&p, M_CMD), 0x2a); /* IRR is the default */
	CHECK_EQ(vpic_ack(&p), 0x21);
	vpic_write(&p, M_CMD, READ_ISR);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x02);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x02); /* the selection stays */
	vpic_write(&p, M_CMD, 0x08);	      /* OCW3 without RR */
	CHECK_EQ(vpic_read(&p, M_CMD), 0x02);
	vpic_write(&p, M_CMD, READ_IRR);
	CHECK_EQ(vpic_read(&p, M_CMD), 0x28);
	vpic_write(&p, M_CMD, 0x09); /* RIS without RR */
	CHECK_EQ(vpic_read(&p, M_CMD), 0x28);
	/* The slave's registers are its own. */
	pulse(8);
	CHECK_EQ(irr(S_CMD), 0x01);
	CHECK_EQ(isr(S_CMD), 0x00);
	CHECK_EQ(vpic_read(&p, S_DATA), 0x5a);
	CHECK_EQ(vpic_read(&p, M_DATA), 0xa5);
}

TEST(elcr_fixed_edge_bits)
{
	vpic_init(&p);
	vpic_write(&p, ELCR_M, 0xff);
	vpic_write(&p, ELCR_S, 0xff);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0xf8); /* IRQ 0, 1, 2 */
	CHECK_EQ(vpic_read(&p, ELCR_S), 0xde); /* IRQ 8, 13 */
	vpic_write(&p, ELCR_M, 0x07);
	vpic_write(&p, ELCR_S, 0x21);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0);
	CHECK_EQ(vpic_read(&p, ELCR_S), 0);
	start();
	vpic_write(&p, ELCR_M, 0xff);
	vpic_write(&p, ELCR_S, 0xff);
	vpic_set_irq(&p, 0, 1);
	CHECK_EQ(vpic_ack(&p), 0x20);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 0 stayed edge */
	vpic_set_irq(&p, 13, 1);
	CHECK_EQ(vpic_ack(&p), 0x2d);
	vpic_write(&p, S_CMD, EOI);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0); /* IRQ 13 stayed edge */
	vpic_set_irq(&p, 14, 1);
	CHECK_EQ(vpic_ack(&p), 0x2e);
	vpic_write(&p, S_CMD, EOI);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_ack(&p), 0x2e); /* IRQ 14 went level */
}

TEST(icw1_resets)
{
	start();
	vpic_write(&p, M_DATA, 0x10);
	vpic_set_irq(&p, 4, 1); /* latched behind the mask */
	pulse(6);
	CHECK_EQ(vpic_ack(&p), 0x26);
	vpic_write(&p, M_CMD, SET_PRIORITY | 3);
	vpic_write(&p, M_CMD, SMM_ON);
	vpic_write(&p, M_CMD, READ_ISR);
	vpic_write(&p, M_CMD, POLL);
	init_chip(M_CMD, MASTER_VECTOR, 4, ICW4_8086);
	CHECK_EQ(vpic_read(&p, M_DATA), 0);
	pulse(5);
	/* Not a poll, not ISR: IRR, without IRQ 4's old edge. */
	CHECK_EQ(vpic_read(&p, M_CMD), 0x20);
	CHECK_EQ(isr(M_CMD), 0);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21); /* IRQ 7 lowest again */
	vpic_write(&p, M_DATA, 0x02);
	CHECK_EQ(vpic_output(&p), 0); /* special mask mode is off */
	/* Rotation in AEOI mode is off again after ICW1. */
	start_with(ICW4_8086 | ICW4_AEOI, ICW4_8086);
	vpic_write(&p, M_CMD, ROTATE_AEOI);
	init_chip(M_CMD, MASTER_VECTOR, 4, ICW4_8086 | ICW4_AEOI);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	pulse(3);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	/* Without IC4, ICW4's modes are cleared: no more auto-EOI. */
	vpic_write(&p, M_CMD, 0x10);
	vpic_write(&p, M_DATA, MASTER_VECTOR);
	vpic_write(&p, M_DATA, 0x04);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x21);
	CHECK_EQ(isr(M_CMD), 0x02);
}

TEST(icw1_keeps_inputs)
{
	/* The lines and the ELCR are outside the chip's reset. */
	start();
	vpic_write(&p, ELCR_M, 0x08);
	vpic_write(&p, M_DATA, 0xff);
	vpic_set_irq(&p, 3, 1);
	vpic_set_irq(&p, 4, 1);
	init_chip(M_CMD, MASTER_VECTOR, 4, ICW4_8086);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0x08);
	CHECK_EQ(irr(M_CMD), 0x08); /* level IRQ 3 still high */
	vpic_set_irq(&p, 4, 1);	    /* no edge: it never went low */
	CHECK_EQ(irr(M_CMD), 0x08);
	CHECK_EQ(vpic_ack(&p), 0x23);
}

TEST(icw_sequence_forms)
{
	/* SNGL: no ICW3, so the third write is ICW4. */
	vpic_init(&p);
	vpic_write(&p, M_CMD, 0x13);
	vpic_write(&p, M_DATA, 0x30);
	vpic_write(&p, M_DATA, ICW4_8086 | ICW4_AEOI);
	vpic_write(&p, M_DATA, 0xf9);
	CHECK_EQ(vpic_read(&p, M_DATA), 0xf9);
	pulse(1);
	CHECK_EQ(vpic_ack(&p), 0x31);
	CHECK_EQ(isr(M_CMD), 0);
	/* The chips stay cascaded all the same. */
	init_chip(S_CMD, SLAVE_VECTOR, 2, ICW4_8086);
	pulse(10);
	CHECK_EQ(vpic_ack(&p), 0x2a);
	/* Neither ICW3 nor ICW4: ready after ICW2. */
	vpic_init(&p);
	vpic_write(&p, M_CMD, 0x12);
	vpic_write(&p, M_DATA, 0x40);
	vpic_write(&p, M_DATA, 0x01);
	CHECK_EQ(vpic_read(&p, M_DATA), 0x01);
	pulse(3);
	CHECK_EQ(vpic_ack(&p), 0x43);
	/* ICW3 but no ICW4: ready after ICW3. */
	vpic_init(&p);
	vpic_write(&p, M_CMD, 0x10);
	vpic_write(&p, M_DATA, 0x50);
	vpic_write(&p, M_DATA, 0x04);
	vpic_write(&p, M_DATA, 0x08);
	CHECK_EQ(vpic_read(&p, M_DATA), 0x08);
	pulse(3);
	pulse(4);
	CHECK_EQ(vpic_ack(&p), 0x54);
	/* LTIM is ignored: without ELCR, IRQ 3 is edge triggered. */
	vpic_init(&p);
	vpic_write(&p, M_CMD, 0x19);
	vpic_write(&p, M_DATA, 0x20);
	vpic_write(&p, M_DATA, 0x04);
	vpic_write(&p, M_DATA, ICW4_8086);
	vpic_set_irq(&p, 3, 1);
	CHECK_EQ(vpic_ack(&p), 0x23);
	vpic_write(&p, M_CMD, EOI);
	CHECK_EQ(vpic_output(&p), 0);
}

TEST(ignored_inputs_and_ports)
{
	start();
	vpic_set_irq(&p, VPIC_CASCADE, 1); /* no such input on a PC */
	vpic_set_irq(&p, 16, 1);
	vpic_set_irq(&p, 200, 1);
	CHECK_EQ(vpic_output(&p), 0);
	CHECK_EQ(irr(M_CMD), 0);
	CHECK_EQ(irr(S_CMD), 0);
	CHECK_EQ(vpic_read(&p, 0x22), 0xff);
	CHECK_EQ(vpic_read(&p, 0xa2), 0xff);
	CHECK_EQ(vpic_read(&p, 0x4d2), 0xff);
	vpic_write(&p, 0x22, 0xff);
	vpic_write(&p, 0x4d2, 0xff);
	CHECK_EQ(vpic_read(&p, M_DATA), 0);
	CHECK_EQ(vpic_read(&p, ELCR_M), 0);
	CHECK_EQ(vpic_read(&p, ELCR_S), 0);
}

int main(void)
{
	RUN(power_on_delivers_nothing);
	RUN(init_sequence_and_imr);
	RUN(nothing_delivered_mid_sequence);
	RUN(masked_irqs_not_delivered);
	RUN(priority_lower_waits_for_eoi);
	RUN(higher_priority_nests);
	RUN(slave_through_irq2);
	RUN(slave_needs_both_eois);
	RUN(specific_eoi);
	RUN(auto_eoi);
	RUN(edge_requests_once_per_rising_edge);
	RUN(level_requests_while_high);
	RUN(spurious_irq7);
	RUN(spurious_irq15);
	RUN(rotate_on_eoi);
	RUN(rotate_on_specific_eoi);
	RUN(set_priority);
	RUN(rotate_in_auto_eoi);
	RUN(special_mask_mode);
	RUN(poll_mode);
	RUN(register_readback);
	RUN(elcr_fixed_edge_bits);
	RUN(icw1_resets);
	RUN(icw1_keeps_inputs);
	RUN(icw_sequence_forms);
	RUN(ignored_inputs_and_ports);
	return TEST_END();
}
