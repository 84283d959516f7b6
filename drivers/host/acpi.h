/* SPDX-License-Identifier: MIT */
/* The host's ACPI tables: just enough to power off through S5. */
#ifndef HOST_ACPI_H
#define HOST_ACPI_H

#include <stddef.h>
#include <stdint.h>

/*
 * The SLP_TYPa value of the \_S5 package in a DSDT's AML, or -1 if there
 * is none.  Pure: a byte scan for the common encodings
 * (Name(_S5_, Package(){...}) with ZeroOp, OneOp or BytePrefix elements).
 */
int acpi_s5_slp_typ(const uint8_t *aml, size_t len);

/* S5 through the FADT's PM1 control registers; returns if it cannot. */
void acpi_power_off(uint64_t rsdp);

#endif
