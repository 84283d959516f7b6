// SPDX-License-Identifier: MIT
/* Guest ACPI tables and fixed-hardware PM registers (ACPI 6.0), pure logic. */
#include "vacpi.h"

/* Every table is written with explicit little-endian stores at byte
 * offsets taken from the spec's tables, not through packed structs: the
 * layout is then visible in the code, and nothing depends on the host's
 * byte order or on what a compiler does with packing. */

#define OEM_ID	     "HVMICR"	/* 6 bytes */
#define OEM_TABLE_ID "HVMICRO " /* 8 bytes */
#define CREATOR_ID   "HVMC"	/* 4 bytes */
#define OEM_REV	     1
#define CREATOR_REV  1
#define FOUR_GIB     0x100000000ull

/* ACPI 6.0, "Root System Description Pointer (RSDP) Structure". */
#define RSDP_CSUM     8	 /* over the first RSDP_V1_LEN bytes, */
#define RSDP_V1_LEN   20 /* the ACPI 1.0 structure */
#define RSDP_OEMID    9
#define RSDP_REV      15
#define RSDP_RSDT     16
#define RSDP_LEN      20
#define RSDP_XSDT     24
#define RSDP_XCSUM    32 /* over all 36 bytes */
#define RSDP_SIZE     36
#define RSDP_REVISION 2

/* ACPI 6.0, "System Description Table Header": the first 36 bytes of
 * every table here but the RSDP and the FACS. */
#define HDR_SIG	    0
#define HDR_LEN	    4
#define HDR_REV	    8
#define HDR_CSUM    9
#define HDR_OEMID   10
#define HDR_OEMTID  16
#define HDR_OEMREV  24
#define HDR_CREATOR 28
#define HDR_CREV    32
#define HDR_SIZE    36

/* RSDT and XSDT: the header, then one 4- or 8-byte pointer per table:
 * FADT first (some parsers expect it there), then MADT. */
#define SDT_ENTRIES 2
#define RSDT_SIZE   (HDR_SIZE + 4 * SDT_ENTRIES)
#define XSDT_SIZE   (HDR_SIZE + 8 * SDT_ENTRIES)
#define SDT_REV	    1

/* ACPI 6.0, "Fixed ACPI Description Table (FADT) Format". */
#define FADT_FIRMWARE_CTRL 36
#define FADT_DSDT	   40
#define FADT_PM_PROFILE	   45
#define FADT_SCI_INT	   46
#define FADT_SMI_CMD	   48
#define FADT_PM1A_EVT	   56
#define FADT_PM1A_CNT	   64
#define FADT_PM_TMR	   76
#define FADT_PM1_EVT_LEN   88
#define FADT_PM1_CNT_LEN   89
#define FADT_PM_TMR_LEN	   91
#define FADT_P_LVL2_LAT	   96
#define FADT_P_LVL3_LAT	   98
#define FADT_CENTURY	   108
#define FADT_BOOT_ARCH	   109
#define FADT_FLAGS	   112
#define FADT_RESET_REG	   116
#define FADT_RESET_VALUE   128
#define FADT_MINOR	   131
#define FADT_X_FIRMWARE	   132
#define FADT_X_DSDT	   140
#define FADT_X_PM1A_EVT	   148
#define FADT_X_PM1A_CNT	   172
#define FADT_X_PM_TMR	   208
#define FADT_SIZE	   276
#define FADT_REV	   6
#define FADT_MINOR_REV	   0 /* ACPI 6.0 */

/* Latencies above these mean "C2/C3 not supported". */
#define NO_C2 101
#define NO_C3 1001

#define SCI_IRQ	   9
#define CENTURY	   0x32 /* CMOS index of the century byte (vrtc) */
#define RESET_PORT 0xcf9
#define RESET_VAL  0x06 /* bit 2 resets (kernel/vm/platform.c) */

/* FADT Flags. */
#define F_WBINVD	(1u << 0)
#define F_PROC_C1	(1u << 2)
#define F_PWR_BUTTON	(1u << 4) /* 1: no fixed-hardware power button */
#define F_SLP_BUTTON	(1u << 5) /* 1: no fixed-hardware sleep button */
#define F_TMR_VAL_EXT	(1u << 8) /* the PM timer has 32 bits */
#define F_RESET_REG_SUP (1u << 10)
#define FADT_FLAGS_VAL                                                        \
	(F_WBINVD | F_PROC_C1 | F_PWR_BUTTON | F_SLP_BUTTON | F_TMR_VAL_EXT | \
	 F_RESET_REG_SUP)

/* IA-PC Boot Architecture Flags: an RTC, PIT, PICs and a UART, but no
 * 8042 (bit 1), so a guest does not probe for a keyboard controller. */
#define BOOT_LEGACY_DEVICES (1u << 0)

/* ACPI 6.0, "Generic Address Structure (GAS)". */
#define GAS_SPACE    0
#define GAS_WIDTH    1
#define GAS_OFFSET   2
#define GAS_ACCESS   3
#define GAS_ADDR     4
#define GAS_SYSTEMIO 1
#define GAS_BYTE     1 /* access sizes */
#define GAS_WORD     2
#define GAS_DWORD    3

/* PM block layout (vacpi.h). */
#define PM1_STS	    0
#define PM1_EN	    2
#define PM1_CNT	    4
#define PM_RESERVED 6
#define PM_TMR	    8
#define PM1_EVT_LEN 4
#define PM1_CNT_LEN 2
#define PM_TMR_LEN  4

/* ACPI 6.0, "Firmware ACPI Control Structure (FACS)": no checksum. */
#define FACS_LEN     4
#define FACS_VERSION 32
#define FACS_SIZE    64
#define FACS_VER     2
#define FACS_ALIGN   64

/* ACPI 6.0, "Multiple APIC Description Table (MADT) Format" and its
 * "Interrupt Controller Structure Types". */
#define MADT_LAPIC_ADDR	 36
#define MADT_FLAGS	 40
#define MADT_ENTRIES	 44
#define MADT_REV	 4 /* ACPI 6.0 Errata A */
#define LAPIC_BASE	 0xfee00000u
#define MADT_PCAT_COMPAT (1u << 0)

#define T_LAPIC	       0 /* type, length, UID, APIC ID, flags (4) */
#define LAPIC_LEN      8
#define LAPIC_ENABLED  (1u << 0)
#define T_IOAPIC       1 /* type, length, ID, 0, address, GSI base */
#define IOAPIC_LEN     12
#define T_OVERRIDE     2 /* type, length, bus, source, GSI, flags (2) */
#define OVERRIDE_LEN   10
#define ISA_BUS	       0
#define MPS_CONFORMING 0x0000
#define MPS_HIGH_LEVEL 0x000d /* polarity 01 active high, trigger 11 */
#define T_LAPIC_NMI    4      /* type, length, UID, flags (2), LINT# */
#define LAPIC_NMI_LEN  6
#define ALL_CPUS       0xff
#define LINT1	       1
#define N_OVERRIDES    2

#define MADT_SIZE(n)                                   \
	(MADT_ENTRIES + LAPIC_LEN * (n) + IOAPIC_LEN + \
	 N_OVERRIDES * OVERRIDE_LEN + LAPIC_NMI_LEN)

/* ACPI 6.0, "Differentiated System Description Table (DSDT)": revision
 * 2 makes AML integers 64 bits wide. */
#define DSDT_REV 2

/*
 * Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }), in AML (ACPI
 * 6.0, "AML Specification"): DefName := NameOp NameString DataRefObject;
 * DefPackage := PackageOp PkgLength NumElements PackageElementList.  A
 * one-byte PkgLength (under 64) counts itself and what follows it: 1 +
 * 1 (NumElements) + 2 + 2 + 1 + 1 = 8.  The elements are SLP_TYPa and
 * SLP_TYPb as ByteConst (BytePrefix, byte), then two reserved zeros.
 */
#define AML_NAME_OP	0x08
#define AML_PACKAGE_OP	0x12
#define AML_BYTE_PREFIX 0x0a
#define AML_ZERO_OP	0x00
#define S5_PKG_LENGTH	8
#define S5_ELEMENTS	4
/* NameOp, "_S5_", PackageOp, then what PkgLength counts. */
#define S5_AML_LEN (1 + 4 + 1 + S5_PKG_LENGTH)

#define DSDT_SIZE (HDR_SIZE + S5_AML_LEN)

/* Where each table goes, as offsets into the buffer. */
struct layout {
	size_t rsdt, xsdt, fadt, facs, dsdt, madt, end;
};

static void put8(uint8_t *b, size_t off, uint8_t v)
{
	b[off] = v;
}

static void put16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	put16(b, off, (uint16_t)v);
	put16(b, off + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	put32(b, off, (uint32_t)v);
	put32(b, off + 4, (uint32_t)(v >> 32));
}

/* n characters of s, without its terminator. */
static void put_str(uint8_t *b, size_t off, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[off + i] = (uint8_t)s[i];
}

/* The byte that makes the n bytes at b sum to 0 (mod 256), given that
 * the checksum field among them still holds 0. */
static uint8_t checksum(const uint8_t *b, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + b[i]);
	return (uint8_t)-sum;
}

/* The first offset at or after off whose guest-physical address is a
 * multiple of align (a power of 2). */
static size_t align_up(uint64_t gpa, size_t off, unsigned align)
{
	return off + (size_t)(-(gpa + off) & (align - 1));
}

static void plan_layout(uint64_t gpa, uint32_t ncpus, struct layout *l)
{
	l->rsdt = align_up(gpa, RSDP_SIZE, 16);
	l->xsdt = align_up(gpa, l->rsdt + RSDT_SIZE, 16);
	l->fadt = align_up(gpa, l->xsdt + XSDT_SIZE, 16);
	l->facs = align_up(gpa, l->fadt + FADT_SIZE, FACS_ALIGN);
	l->dsdt = align_up(gpa, l->facs + FACS_SIZE, 16);
	l->madt = align_up(gpa, l->dsdt + DSDT_SIZE, 16);
	l->end = l->madt + MADT_SIZE(ncpus);
}

/* A table's header; the checksum comes last, from seal. */
static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	put_str(t, HDR_SIG, sig, 4);
	put32(t, HDR_LEN, len);
	put8(t, HDR_REV, rev);
	put_str(t, HDR_OEMID, OEM_ID, 6);
	put_str(t, HDR_OEMTID, OEM_TABLE_ID, 8);
	put32(t, HDR_OEMREV, OEM_REV);
	put_str(t, HDR_CREATOR, CREATOR_ID, 4);
	put32(t, HDR_CREV, CREATOR_REV);
}

static void seal(uint8_t *t, size_t len)
{
	put8(t, HDR_CSUM, checksum(t, len));
}

/* A GAS for bytes of I/O ports, accessed access (GAS_BYTE...) at a time. */
static void gas_io(uint8_t *b, size_t off, unsigned bytes, uint8_t access,
		   uint16_t port)
{
	put8(b, off + GAS_SPACE, GAS_SYSTEMIO);
	put8(b, off + GAS_WIDTH, (uint8_t)(8 * bytes));
	put8(b, off + GAS_OFFSET, 0);
	put8(b, off + GAS_ACCESS, access);
	put64(b, off + GAS_ADDR, port);
}

static void build_rsdp(uint8_t *r, uint32_t rsdt, uint64_t xsdt)
{
	put_str(r, 0, "RSD PTR ", 8);
	put_str(r, RSDP_OEMID, OEM_ID, 6);
	put8(r, RSDP_REV, RSDP_REVISION);
	put32(r, RSDP_RSDT, rsdt);
	put32(r, RSDP_LEN, RSDP_SIZE);
	put64(r, RSDP_XSDT, xsdt);
	/* The extended checksum covers the first one, so that goes first. */
	put8(r, RSDP_CSUM, checksum(r, RSDP_V1_LEN));
	put8(r, RSDP_XCSUM, checksum(r, RSDP_SIZE));
}

static void build_sdts(uint8_t *b, const struct layout *l, uint32_t fadt,
		       uint32_t madt)
{
	uint8_t *rsdt = b + l->rsdt, *xsdt = b + l->xsdt;

	header(rsdt, "RSDT", RSDT_SIZE, SDT_REV);
	put32(rsdt, HDR_SIZE, fadt);
	put32(rsdt, HDR_SIZE + 4, madt);
	seal(rsdt, RSDT_SIZE);
	header(xsdt, "XSDT", XSDT_SIZE, SDT_REV);
	put64(xsdt, HDR_SIZE, fadt);
	put64(xsdt, HDR_SIZE + 8, madt);
	seal(xsdt, XSDT_SIZE);
}

/* Fields left 0 mean: no SMI command port (hence no ACPI_ENABLE or
 * ACPI_DISABLE values, S4BIOS_REQ, PSTATE_CNT or CST_CNT), no PM1b, PM2
 * or GPE blocks, no cache flush sizes (WBINVD works), no duty cycle, no
 * RTC day or month alarm, no sleep control or status registers (those
 * are for hardware-reduced ACPI), hypervisor vendor ID 0. */
static void build_fadt(uint8_t *f, uint32_t facs, uint32_t dsdt,
		       uint16_t pm_base)
{
	header(f, "FACP", FADT_SIZE, FADT_REV);
	put32(f, FADT_FIRMWARE_CTRL, facs);
	put32(f, FADT_DSDT, dsdt);
	put8(f, FADT_PM_PROFILE, 0); /* unspecified */
	put16(f, FADT_SCI_INT, SCI_IRQ);
	put32(f, FADT_SMI_CMD, 0);
	put32(f, FADT_PM1A_EVT, pm_base + PM1_STS);
	put32(f, FADT_PM1A_CNT, pm_base + PM1_CNT);
	put32(f, FADT_PM_TMR, pm_base + PM_TMR);
	put8(f, FADT_PM1_EVT_LEN, PM1_EVT_LEN);
	put8(f, FADT_PM1_CNT_LEN, PM1_CNT_LEN);
	put8(f, FADT_PM_TMR_LEN, PM_TMR_LEN);
	put16(f, FADT_P_LVL2_LAT, NO_C2);
	put16(f, FADT_P_LVL3_LAT, NO_C3);
	put8(f, FADT_CENTURY, CENTURY);
	put16(f, FADT_BOOT_ARCH, BOOT_LEGACY_DEVICES);
	put32(f, FADT_FLAGS, FADT_FLAGS_VAL);
	gas_io(f, FADT_RESET_REG, 1, GAS_BYTE, RESET_PORT);
	put8(f, FADT_RESET_VALUE, RESET_VAL);
	put8(f, FADT_MINOR, FADT_MINOR_REV);
	put64(f, FADT_X_FIRMWARE, facs);
	put64(f, FADT_X_DSDT, dsdt);
	/* The PM1 registers are 16 bits wide, so word accesses; the
	 * timer is one 32-bit register. */
	gas_io(f, FADT_X_PM1A_EVT, PM1_EVT_LEN, GAS_WORD,
	       (uint16_t)(pm_base + PM1_STS));
	gas_io(f, FADT_X_PM1A_CNT, PM1_CNT_LEN, GAS_WORD,
	       (uint16_t)(pm_base + PM1_CNT));
	gas_io(f, FADT_X_PM_TMR, PM_TMR_LEN, GAS_DWORD,
	       (uint16_t)(pm_base + PM_TMR));
	seal(f, FADT_SIZE);
}

/* Hardware signature, waking vectors, global lock and flags all 0: the
 * guest never sleeps and resumes, and there is no firmware to share the
 * global lock with. */
static void build_facs(uint8_t *f)
{
	put_str(f, 0, "FACS", 4);
	put32(f, FACS_LEN, FACS_SIZE);
	put8(f, FACS_VERSION, FACS_VER);
}

static void build_dsdt(uint8_t *d)
{
	uint8_t *aml = d + HDR_SIZE;

	header(d, "DSDT", DSDT_SIZE, DSDT_REV);
	put8(aml, 0, AML_NAME_OP);
	put_str(aml, 1, "_S5_", 4);
	put8(aml, 5, AML_PACKAGE_OP);
	put8(aml, 6, S5_PKG_LENGTH);
	put8(aml, 7, S5_ELEMENTS);
	put8(aml, 8, AML_BYTE_PREFIX);
	put8(aml, 9, VACPI_S5_SLP_TYP); /* SLP_TYPa */
	put8(aml, 10, AML_BYTE_PREFIX);
	put8(aml, 11, VACPI_S5_SLP_TYP); /* SLP_TYPb */
	put8(aml, 12, AML_ZERO_OP);
	put8(aml, 13, AML_ZERO_OP);
	seal(d, DSDT_SIZE);
}

static size_t override(uint8_t *m, size_t off, uint8_t irq, uint32_t gsi,
		       uint16_t flags)
{
	put8(m, off, T_OVERRIDE);
	put8(m, off + 1, OVERRIDE_LEN);
	put8(m, off + 2, ISA_BUS);
	put8(m, off + 3, irq);
	put32(m, off + 4, gsi);
	put16(m, off + 8, flags);
	return off + OVERRIDE_LEN;
}

static void build_madt(uint8_t *m, const struct vacpi_config *c)
{
	size_t len = MADT_SIZE(c->ncpus), off = MADT_ENTRIES;

	header(m, "APIC", (uint32_t)len, MADT_REV);
	put32(m, MADT_LAPIC_ADDR, LAPIC_BASE);
	put32(m, MADT_FLAGS, MADT_PCAT_COMPAT);
	for (uint32_t cpu = 0; cpu < c->ncpus; cpu++, off += LAPIC_LEN) {
		put8(m, off, T_LAPIC);
		put8(m, off + 1, LAPIC_LEN);
		put8(m, off + 2, (uint8_t)cpu); /* ACPI processor UID */
		put8(m, off + 3, (uint8_t)cpu); /* APIC ID */
		put32(m, off + 4, LAPIC_ENABLED);
	}
	put8(m, off, T_IOAPIC);
	put8(m, off + 1, IOAPIC_LEN);
	put8(m, off + 2, c->ioapic_id);
	put32(m, off + 4, c->ioapic_addr);
	put32(m, off + 8, 0); /* GSI base: pin n is GSI n */
	off += IOAPIC_LEN;
	/* The PIT's IRQ 0 is wired to pin 2, as on PC chipsets (pin 0 is
	 * the 8259's INTR); the SCI is level, active high, as on PIIX4. */
	off = override(m, off, 0, 2, MPS_CONFORMING);
	off = override(m, off, SCI_IRQ, SCI_IRQ, MPS_HIGH_LEVEL);
	put8(m, off, T_LAPIC_NMI);
	put8(m, off + 1, LAPIC_NMI_LEN);
	put8(m, off + 2, ALL_CPUS);
	put16(m, off + 3, MPS_CONFORMING);
	put8(m, off + 5, LINT1);
	seal(m, len);
}

size_t vacpi_build(uint8_t *buf, size_t len, uint64_t gpa,
		   const struct vacpi_config *c)
{
	struct layout l;

	if (c->ncpus == 0 || c->ncpus > VACPI_MAX_CPUS || (gpa & 15) ||
	    c->pm_base > 0x10000 - VACPI_PM_LEN)
		return 0;
	plan_layout(gpa, c->ncpus, &l);
	if (len < l.end || gpa >= FOUR_GIB || l.end > FOUR_GIB - gpa)
		return 0;
	/* Padding and reserved fields are 0. */
	for (size_t i = 0; i < l.end; i++)
		buf[i] = 0;
	build_rsdp(buf, (uint32_t)(gpa + l.rsdt), gpa + l.xsdt);
	build_sdts(buf, &l, (uint32_t)(gpa + l.fadt), (uint32_t)(gpa + l.madt));
	build_fadt(buf + l.fadt, (uint32_t)(gpa + l.facs),
		   (uint32_t)(gpa + l.dsdt), c->pm_base);
	build_facs(buf + l.facs);
	build_dsdt(buf + l.dsdt);
	build_madt(buf + l.madt, c);
	return l.end;
}

/* ACPI 6.0, "PM1 Status Registers", "PM1 Enable Registers" and "PM1
 * Control Registers". */
#define STS_WAK	      (1u << 15)
#define EN_TMR	      (1u << 0)
#define EN_GBL	      (1u << 5)
#define EN_PWRBTN     (1u << 8)
#define EN_SLPBTN     (1u << 9)
#define EN_RTC	      (1u << 10)
#define EN_KEEP	      (EN_TMR | EN_GBL | EN_PWRBTN | EN_SLPBTN | EN_RTC)
#define CNT_SCI_EN    (1u << 0)
#define CNT_BM_RLD    (1u << 1)
#define CNT_SLP_TYP   (7u << 10)
#define CNT_SLP_SHIFT 10
#define CNT_SLP_EN    (1u << 13)
#define CNT_KEEP      (CNT_BM_RLD | CNT_SLP_TYP) /* GBL_RLS, SLP_EN: no */

void vacpi_pm_init(struct vacpi_pm *p)
{
	p->sts = 0;
	p->en = 0;
	p->cnt = CNT_SCI_EN;
}

/* One byte of the block; off < VACPI_PM_LEN. */
static uint8_t pm_read8(const struct vacpi_pm *p, unsigned off,
			uint32_t pm_timer)
{
	uint16_t reg;

	if (off >= PM_TMR)
		return (uint8_t)(pm_timer >> 8 * (off - PM_TMR));
	if (off >= PM_RESERVED)
		return 0;
	if (off >= PM1_CNT)
		reg = p->cnt;
	else if (off >= PM1_EN)
		reg = p->en;
	else
		reg = p->sts;
	return (uint8_t)(reg >> 8 * (off & 1));
}

/* SLP_EN was written: the state is the SLP_TYP just stored. */
static enum vacpi_action sleep_request(struct vacpi_pm *p)
{
	if ((p->cnt & CNT_SLP_TYP) >> CNT_SLP_SHIFT == VACPI_S5_SLP_TYP)
		return VACPI_POWEROFF;
	/* The guest "wakes" at once; see vacpi.h. */
	p->sts = (uint16_t)(p->sts | STS_WAK);
	return VACPI_SLEEP_UNSUPPORTED;
}

/* One byte of a write; off < VACPI_PM_LEN.  Writes to the reserved
 * bytes and the timer are dropped. */
static enum vacpi_action pm_write8(struct vacpi_pm *p, unsigned off, uint8_t v)
{
	unsigned shift = 8 * (off & 1);
	unsigned bits = (unsigned)v << shift, lane = 0xffu << shift;

	if (off < PM1_EN) {
		p->sts = (uint16_t)(p->sts & ~bits);
	} else if (off < PM1_CNT) {
		p->en = (uint16_t)((p->en & ~lane) | (bits & EN_KEEP));
	} else if (off < PM_RESERVED) {
		p->cnt = (uint16_t)((p->cnt & ~lane) | (bits & CNT_KEEP) |
				    CNT_SCI_EN);
		/* SLP_TYP is in the same byte as SLP_EN, so it was just
		 * updated from this write. */
		if (bits & CNT_SLP_EN)
			return sleep_request(p);
	}
	return VACPI_NONE;
}

enum vacpi_action vacpi_pm_io(struct vacpi_pm *p, unsigned offset,
			      unsigned size, int write, uint32_t *val,
			      uint32_t pm_timer)
{
	enum vacpi_action act = VACPI_NONE;
	uint32_t v = 0;

	if (size != 1 && size != 2 && size != 4) {
		if (!write)
			*val = 0xffffffffu;
		return VACPI_NONE;
	}
	/* Byte by byte, so that any width at any offset means the same as
	 * the bytes it covers.  At most one byte (PM1_CNT's high one) can
	 * carry SLP_EN, so at most one action comes out. */
	for (unsigned i = 0; i < size; i++) {
		int in = offset < VACPI_PM_LEN && i < VACPI_PM_LEN - offset;
		enum vacpi_action a;

		if (!write) {
			uint8_t byte =
			    in ? pm_read8(p, offset + i, pm_timer) : 0xff;

			v |= (uint32_t)byte << 8 * i;
			continue;
		}
		if (!in)
			continue;
		a = pm_write8(p, offset + i, (uint8_t)(*val >> 8 * i));
		if (a != VACPI_NONE)
			act = a;
	}
	if (!write)
		*val = v;
	return act;
}
