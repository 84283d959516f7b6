// SPDX-License-Identifier: MIT
/* Host ACPI: RSDP -> XSDT/RSDT -> FADT -> DSDT \_S5, then S5 (ACPI 6.4). */
#include "acpi.h"

#include <string.h>

#include "../../arch/x86/cpu.h"

#define SLP_EN (1u << 13)
#define SCI_EN 1u

struct sdt_header {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));
_Static_assert(sizeof(struct sdt_header) == 36, "ACPI table header");

/* FADT field offsets (ACPI 6.4, table 5.9). */
#define FADT_DSDT	 40
#define FADT_SMI_CMD	 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT	 64
#define FADT_PM1B_CNT	 68
#define FADT_X_DSDT	 140

static int checksum_ok(const void *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return sum == 0;
}

static int parse_elem(const uint8_t *p, const uint8_t *end)
{
	if (p >= end)
		return -1;
	if (*p == 0x00 || *p == 0x01) /* ZeroOp, OneOp */
		return *p;
	if (*p == 0x0a && p + 1 < end) /* BytePrefix */
		return p[1];
	return -1;
}

int acpi_s5_slp_typ(const uint8_t *aml, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++) {
		if (memcmp(aml + i, "_S5_", 4) != 0)
			continue;
		/* NameOp before (optionally a root '\' prefix), then
		 * PackageOp, PkgLength (1 to 4 bytes), NumElements. */
		if (!(i >= 1 &&
		      (aml[i - 1] == 0x08 ||
		       (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08))))
			continue;
		const uint8_t *p = aml + i + 4, *end = aml + len;
		if (*p++ != 0x12)
			continue;
		p += 1 + (*p >> 6); /* PkgLength lead byte + follow bytes */
		p++;		    /* NumElements */
		return parse_elem(p, end);
	}
	return -1;
}

static const struct sdt_header *table_at(uint64_t pa)
{
	const struct sdt_header *h = (const void *)pa;

	if (!pa || h->length < sizeof(*h) || h->length > (16u << 20) ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* Walk the XSDT (8-byte entries) or RSDT (4-byte entries) for sig. */
static const struct sdt_header *find_table(uint64_t rsdp, const char *sig)
{
	const uint8_t *r = (const void *)rsdp;
	uint64_t root = 0;

	if (!rsdp || memcmp(r, "RSD PTR ", 8) != 0 || !checksum_ok(r, 20))
		return NULL;
	int x = r[15] >= 2; /* revision: 2 and up have the XSDT */
	memcpy(&root, r + (x ? 24 : 16), x ? 8 : 4);
	const struct sdt_header *h = table_at(root);
	if (!h)
		return NULL;
	size_t esz = x ? 8 : 4, n = (h->length - sizeof(*h)) / esz;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		memcpy(&pa, (const uint8_t *)(h + 1) + i * esz, esz);
		const struct sdt_header *t = table_at(pa);
		if (t && memcmp(t->sig, sig, 4) == 0)
			return t;
	}
	return NULL;
}

static uint32_t fadt_u32(const struct sdt_header *f, size_t off)
{
	uint32_t v = 0;

	if (off + 4 <= f->length)
		memcpy(&v, (const uint8_t *)f + off, 4);
	return v;
}

static void enable_acpi_mode(const struct sdt_header *fadt, uint16_t pm1a)
{
	uint32_t smi = fadt_u32(fadt, FADT_SMI_CMD);
	uint8_t cmd = fadt_u32(fadt, FADT_ACPI_ENABLE) & 0xff;
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(pm1a));
	if ((v & SCI_EN) || !smi || !cmd)
		return;
	outb((uint16_t)smi, cmd);
	for (int i = 0; i < 1000000 && !(v & SCI_EN); i++)
		__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(pm1a));
}

void acpi_power_off(uint64_t rsdp)
{
	const struct sdt_header *fadt = find_table(rsdp, "FACP");

	if (!fadt)
		return;
	uint64_t dsdt_pa = fadt_u32(fadt, FADT_DSDT);
	uint64_t x_dsdt = 0;
	if (fadt->length >= FADT_X_DSDT + 8)
		memcpy(&x_dsdt, (const uint8_t *)fadt + FADT_X_DSDT, 8);
	if (x_dsdt)
		dsdt_pa = x_dsdt;
	const struct sdt_header *dsdt = table_at(dsdt_pa);
	uint16_t pm1a = fadt_u32(fadt, FADT_PM1A_CNT) & 0xffff;
	uint16_t pm1b = fadt_u32(fadt, FADT_PM1B_CNT) & 0xffff;
	int typ = dsdt ? acpi_s5_slp_typ((const uint8_t *)(dsdt + 1),
					 dsdt->length - sizeof(*dsdt))
		       : -1;
	if (typ < 0 || !pm1a)
		return;
	enable_acpi_mode(fadt, pm1a);
	outw(pm1a, (uint16_t)((typ & 7) << 10 | SLP_EN));
	if (pm1b)
		outw(pm1b, (uint16_t)((typ & 7) << 10 | SLP_EN));
}
