/* SPDX-License-Identifier: MIT */
/* The ACPI tables a guest sees, and its fixed-hardware PM registers. */
#ifndef VIRT_VACPI_H
#define VIRT_VACPI_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic, freestanding: no libc, no allocation.  vacpi_build writes
 * the tables into a buffer the caller maps at a guest-physical address;
 * the PM model answers port accesses to the PM block.  Deliberate
 * choices (ACPI 6.0):
 *
 * - Tables: RSDP (revision 2) at the start of the buffer, so that a guest
 *   scanning the BIOS area (0xE0000-0xFFFFF) on 16-byte boundaries finds
 *   it; then RSDT and XSDT (both: older parsers only read the RSDT), each
 *   listing FADT then MADT; FADT (revision 6, 276 bytes); FACS; DSDT;
 *   MADT last, as the only table whose size depends on the config.  Every
 *   table starts 16-byte aligned, the FACS 64-byte aligned as the spec
 *   requires.  Pointers that exist in 32- and 64-bit forms hold the same
 *   value in both, which ACPICA accepts without a mismatch warning.
 * - OEM ID "HVMICR", OEM table ID "HVMICRO ", creator "HVMC"; OEM and
 *   creator revisions 1.
 * - FADT: no SMI_CMD, so the guest finds ACPI mode always on (SCI_EN
 *   reads 1) and never tries to switch.  SCI on IRQ 9.  One PM1a event
 *   block, one PM1a control block and a 32-bit PM timer (layout below);
 *   no PM1b, PM2 or GPE blocks.  Flags: WBINVD, PROC_C1, PWR_BUTTON and
 *   SLP_BUTTON (no fixed buttons), TMR_VAL_EXT, RESET_REG_SUP with the
 *   reset register at I/O port 0xCF9, value 0x06 (bit 2 resets).  No C2
 *   or C3 (latencies over the limits).  IA-PC boot flags: LEGACY_DEVICES
 *   only; no 8042 (no keyboard controller is emulated), and VGA and CMOS
 *   RTC present bits left as "present".  CMOS century byte at 0x32.
 *   Preferred PM profile 0 (unspecified); hypervisor vendor ID 0.
 * - MADT: local APICs at 0xFEE00000, PCAT_COMPAT (there is a dual 8259),
 *   one enabled Processor Local APIC per vCPU with ACPI processor UID =
 *   APIC ID = index, one I/O APIC with GSI base 0, overrides ISA IRQ 0 ->
 *   GSI 2 (conforming) and IRQ 9 -> GSI 9 level, active high (the SCI),
 *   and NMI on LINT1 of every processor.  I/O APIC IDs are not checked
 *   against the local APIC IDs: without the serial APIC bus they are
 *   separate name spaces.  The emulated I/O APIC keeps a 4-bit ID, so
 *   the caller should pick one below 16 to make the MADT agree with it.
 * - DSDT (revision 2): only Name (_S5, Package (4) {5, 5, 0, 0}), so S5
 *   is the one sleep state a guest will ask for.  There are no processor
 *   objects or devices in the namespace; guests take CPUs from the MADT.
 *
 * PM block at pm_base, VACPI_PM_LEN bytes of I/O ports:
 *   +0  PM1_STS  (2)  PM1a_EVT_BLK, PM1_EVT_LEN 4
 *   +2  PM1_EN   (2)
 *   +4  PM1_CNT  (2)  PM1a_CNT_BLK, PM1_CNT_LEN 2
 *   +6  reserved (2)  reads 0, writes ignored
 *   +8  PM_TMR   (4)  PM_TMR_BLK, PM_TMR_LEN 4, 32 bits (TMR_VAL_EXT)
 *
 * PM model:
 * - Any access of 1, 2 or 4 bytes at any offset works, byte by byte, so
 *   one may span registers; other sizes read all-ones and write nothing.
 *   Bytes at offsets 12 and up read 0xff and ignore writes.
 * - PM1_STS bits are write-1-to-clear.  Nothing in this platform raises
 *   an SCI, so the only status bit the model ever sets is WAK_STS (see
 *   below); TMR_STS is never set, and TMR_EN is accepted but never
 *   causes an interrupt.
 * - PM1_EN keeps TMR_EN, GBL_EN, PWRBTN_EN, SLPBTN_EN and RTC_EN; other
 *   bits read 0.
 * - PM1_CNT: SCI_EN is read-only 1.  BM_RLD and SLP_TYP read back as
 *   written; GBL_RLS and SLP_EN are write-only (read 0).  Writing SLP_EN
 *   asks for the sleep state in the SLP_TYP written with it: S5
 *   (VACPI_S5_SLP_TYP) is power off, anything else is not supported.
 *   For those the model sets WAK_STS at once, as if the guest had slept
 *   and woken: OSPM spins on WAK_STS after writing SLP_EN, and would
 *   otherwise hang.
 * - PM_TMR reads the value the caller passes in; writes are ignored.
 */
#define VACPI_S5_SLP_TYP 5
#define VACPI_PM_HZ	 3579545u /* PM timer frequency */
#define VACPI_PM_LEN	 12	  /* bytes of I/O ports at pm_base */
#define VACPI_MAX_CPUS	 32

struct vacpi_config {
	uint32_t ncpus;	      /* vCPUs, APIC IDs 0..ncpus-1; 1..32 */
	uint32_t ioapic_addr; /* normally 0xFEC00000 */
	uint8_t ioapic_id;    /* below 16: see the MADT note above */
	uint16_t pm_base;     /* I/O port of the PM block (e.g. 0x600) */
};

/*
 * Write the tables into buf, the host view of guest-physical
 * [gpa, gpa + len).  The RSDP is at gpa, which must be 16-byte aligned.
 * Returns the bytes used (at most VACPI_MAX_SIZE), or 0, leaving buf in
 * an unspecified state, if len is too small, gpa is not aligned, the
 * tables would not end below 4 GiB (the 32-bit pointers must reach
 * them), ncpus is 0 or over VACPI_MAX_CPUS, or the PM block would run
 * past port 0xFFFF.
 */
size_t vacpi_build(uint8_t *buf, size_t len, uint64_t gpa,
		   const struct vacpi_config *c);

/* An upper bound on vacpi_build's result for any config and gpa. */
#define VACPI_MAX_SIZE 1024

struct vacpi_pm {
	uint16_t sts; /* PM1_STS */
	uint16_t en;  /* PM1_EN */
	uint16_t cnt; /* PM1_CNT as read: SCI_EN, BM_RLD, SLP_TYP */
};

/* Reset: SCI_EN set (ACPI mode, always), everything else 0. */
void vacpi_pm_init(struct vacpi_pm *p);

/* What a PM1_CNT write asks of the caller. */
enum vacpi_action {
	VACPI_NONE,
	VACPI_POWEROFF,		 /* SLP_EN with SLP_TYP 5: turn the guest off */
	VACPI_SLEEP_UNSUPPORTED, /* SLP_EN with another SLP_TYP: log it; the
				    guest goes on as if it had woken */
};

/*
 * An access of size 1, 2 or 4 bytes at offset from pm_base.  A read
 * stores the value in *val; a write takes it from *val (only the low
 * size bytes count).  pm_timer is the PM timer's count now (VACPI_PM_HZ
 * ticks from any origin, all 32 bits), for reads of PM_TMR.
 */
enum vacpi_action vacpi_pm_io(struct vacpi_pm *p, unsigned offset,
			      unsigned size, int write, uint32_t *val,
			      uint32_t pm_timer);

#endif
