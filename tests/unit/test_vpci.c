// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vpci.c: mechanism #1, the host bridge alone. */
#include "../drivers/virt/vpci.h"
#include "test.h"

static struct vpci pci;

static uint32_t cfg(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
	vpci_write(&pci, VPCI_ADDR, 4,
		   1u << 31 | bus << 16 | dev << 11 | fn << 8 | reg);
	return vpci_read(&pci, VPCI_DATA, 4);
}

TEST(host_bridge_identifies_itself)
{
	vpci_init(&pci);
	CHECK_EQ(cfg(0, 0, 0, 0x00), 0x12378086);
	CHECK_EQ(cfg(0, 0, 0, 0x08) >> 8, 0x060000);	/* class: host bridge */
	CHECK_EQ((cfg(0, 0, 0, 0x0c) >> 16) & 0x7f, 0); /* header type 0 */
}

TEST(everything_else_is_absent)
{
	vpci_init(&pci);
	CHECK_EQ(cfg(0, 1, 0, 0), 0xffffffff);
	CHECK_EQ(cfg(0, 0, 1, 0), 0xffffffff);
	CHECK_EQ(cfg(1, 0, 0, 0), 0xffffffff);
	CHECK_EQ(cfg(0, 31, 7, 0), 0xffffffff);
	/* Enable bit clear: no configuration cycle at all. */
	vpci_write(&pci, VPCI_ADDR, 4, 0);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA, 4), 0xffffffff);
}

TEST(byte_and_word_reads_pick_their_lane)
{
	vpci_init(&pci);
	vpci_write(&pci, VPCI_ADDR, 4, 1u << 31);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA, 2), 0x8086);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA + 2, 2), 0x1237);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA + 1, 1), 0x80);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA + 3, 1), 0x12);
}

TEST(address_register_reads_back_without_reserved_bits)
{
	vpci_init(&pci);
	vpci_write(&pci, VPCI_ADDR, 4, 0xffffffff);
	CHECK_EQ(vpci_read(&pci, VPCI_ADDR, 4), 0x80fffffc);
	/* Narrow accesses to 0xCF8 are not configuration cycles. */
	vpci_write(&pci, VPCI_ADDR, 1, 0);
	CHECK_EQ(vpci_read(&pci, VPCI_ADDR, 4), 0x80fffffc);
	CHECK_EQ(vpci_read(&pci, VPCI_ADDR, 1), 0xff);
}

TEST(writes_change_nothing)
{
	vpci_init(&pci);
	vpci_write(&pci, VPCI_ADDR, 4, 1u << 31);
	vpci_write(&pci, VPCI_DATA, 4, 0xdeadbeef);
	CHECK_EQ(vpci_read(&pci, VPCI_DATA, 4), 0x12378086);
	CHECK_EQ(cfg(0, 0, 0, 0x40), 0); /* past the header: zero */
}

int main(void)
{
	RUN(host_bridge_identifies_itself);
	RUN(everything_else_is_absent);
	RUN(byte_and_word_reads_pick_their_lane);
	RUN(address_register_reads_back_without_reserved_bits);
	RUN(writes_change_nothing);
	return TEST_END();
}
