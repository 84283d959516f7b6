// SPDX-License-Identifier: MIT
/* Tests for drivers/host/acpi.c: finding \_S5's SLP_TYPa in DSDT AML. */
#include "../../drivers/host/acpi.h"
#include "test.h"

/* Name(_S5_, Package(4) {BytePrefix 5, BytePrefix 5, Zero, Zero}) */
static const uint8_t s5_byte[] = {0x10, 0x20, 0x08, '_',  'S',	'5',
				  '_',	0x12, 0x0a, 0x04, 0x0a, 0x05,
				  0x0a, 0x05, 0x00, 0x00};

TEST(byte_prefix_value)
{
	CHECK_EQ(acpi_s5_slp_typ(s5_byte, sizeof(s5_byte)), 5);
}

TEST(zero_op_value)
{
	/* QEMU's PIIX4 DSDT: Name(_S5_, Package(4) {Zero, Zero, ...}) */
	static const uint8_t aml[] = {0x08, '_',  'S',	'5',  '_',  0x12,
				      0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
	CHECK_EQ(acpi_s5_slp_typ(aml, sizeof(aml)), 0);
}

TEST(one_op_and_root_prefix)
{
	static const uint8_t aml[] = {0x08, '\\', '_',	'S',  '5', '_',
				      0x12, 0x05, 0x02, 0x01, 0x01};
	CHECK_EQ(acpi_s5_slp_typ(aml, sizeof(aml)), 1);
}

TEST(multi_byte_pkglength)
{
	/* PkgLength lead byte 0x40: one follow byte. */
	static const uint8_t aml[] = {0x08, '_',  'S',	'5',  '_', 0x12,
				      0x41, 0x00, 0x02, 0x0a, 0x07};
	CHECK_EQ(acpi_s5_slp_typ(aml, sizeof(aml)), 7);
}

TEST(reference_without_name_op_is_skipped)
{
	/* "_S5_" used as a name reference, then the real definition. */
	static const uint8_t aml[] = {0x70, '_',  'S',	'5',  '_',  0x60,
				      0x08, '_',  'S',	'5',  '_',  0x12,
				      0x06, 0x04, 0x0a, 0x03, 0x00, 0x00};
	CHECK_EQ(acpi_s5_slp_typ(aml, sizeof(aml)), 3);
}

TEST(absent_or_truncated)
{
	static const uint8_t none[] = {0x08, '_',  'S',	 '4',  '_',  0x12,
				       0x06, 0x04, 0x0a, 0x05, 0x00, 0x00};
	CHECK_EQ(acpi_s5_slp_typ(none, sizeof(none)), -1);
	/* Cut right after the package header: no element to read. */
	CHECK_EQ(acpi_s5_slp_typ(s5_byte, 11), -1);
	CHECK_EQ(acpi_s5_slp_typ(s5_byte, 0), -1);
}

TEST(not_a_package)
{
	static const uint8_t aml[] = {0x08, '_',  'S',	'5',
				      '_',  0x0a, 0x05, 0x00};
	CHECK_EQ(acpi_s5_slp_typ(aml, sizeof(aml)), -1);
}

int main(void)
{
	RUN(byte_prefix_value);
	RUN(zero_op_value);
	RUN(one_op_and_root_prefix);
	RUN(multi_byte_pkglength);
	RUN(reference_without_name_op_is_skipped);
	RUN(absent_or_truncated);
	RUN(not_a_package);
	return TEST_END();
}
