// SPDX-License-Identifier: MIT
/* Tests for drivers/virt/vacpi.c: the tables parsed back as a guest does,
 * and the PM registers as OSPM programs them. */
#include <stdint.h>

#include "../drivers/virt/vacpi.h"
#include "test.h"

#define GPA	   0xe0000ull /* the BIOS area, where guests scan */
#define PM_BASE	   0x600
#define IOAPIC	   0xfec00000u
#define IOAPIC_ID  14 /* fits the emulated I/O APIC's 4-bit ID */
#define BUF_SIZE   4096
#define CANARY	   0xa5
#define TIMER	   0x89abcdefu
#define PM1_STS	   0
#define PM1_EN	   2
#define PM1_CNT	   4
#define PM_TMR	   8
#define SCI_EN	   0x0001u
#define SLP_TYP(n) ((uint32_t)(n) << 10)
#define SLP_EN	   0x2000u
#define WAK_STS	   0x8000u

static uint8_t buf[BUF_SIZE];
static size_t used;
static uint64_t base; /* guest-physical address of buf[0] */

static uint32_t get16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

static struct vacpi_config config(uint32_t ncpus)
{
	struct vacpi_config c = {
	    .ncpus = ncpus,
	    .ioapic_addr = IOAPIC,
	    .ioapic_id = IOAPIC_ID,
	    .pm_base = PM_BASE,
	};
	return c;
}

static size_t build(uint32_t ncpus, uint64_t gpa)
{
	struct vacpi_config c = config(ncpus);

	memset(buf, CANARY, sizeof(buf));
	base = gpa;
	used = vacpi_build(buf, sizeof(buf), gpa, &c);
	return used;
}

/* The host view of [gpa, gpa + n), or NULL if it is not in the tables. */
static const uint8_t *at(uint64_t gpa, uint64_t n)
{
	if (gpa < base || gpa - base > used || n > used - (gpa - base))
		return NULL;
	return buf + (gpa - base);
}

/* The RSDP as a guest finds it: "RSD PTR " on a 16-byte boundary. */
static const uint8_t *find_rsdp(void)
{
	for (size_t off = 0; off + 36 <= used; off += 16)
		if (memcmp(buf + off, "RSD PTR ", 8) == 0)
			return buf + off;
	return NULL;
}

/* A table at gpa with signature sig, whole length inside the tables and
 * a zero byte sum; NULL otherwise. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *t = at(gpa, 36);

	if (!t || memcmp(t, sig, 4) != 0 || get32(t + 4) < 36)
		return NULL;
	t = at(gpa, get32(t + 4));
	if (!t || sum(t, get32(t + 4)) != 0)
		return NULL;
	return t;
}

/* Entry i of the XSDT (wide) or the RSDT, followed from the RSDP. */
static uint64_t sdt_entry(int wide, unsigned i)
{
	const uint8_t *r = find_rsdp();
	const uint8_t *t;

	if (!r)
		return 0;
	t = wide ? table(get64(r + 24), "XSDT") : table(get32(r + 16), "RSDT");
	if (!t || 36 + (i + 1) * (wide ? 8u : 4u) > get32(t + 4))
		return 0;
	return wide ? get64(t + 36 + 8 * i) : get32(t + 36 + 4 * i);
}

static const uint8_t *fadt(void)
{
	return table(sdt_entry(1, 0), "FACP");
}

static const uint8_t *madt(void)
{
	return table(sdt_entry(1, 1), "APIC");
}

/* Count of MADT entries of a type; the first one in *first. */
static unsigned madt_count(const uint8_t *m, uint8_t type,
			   const uint8_t **first)
{
	unsigned n = 0;

	*first = NULL;
	for (size_t off = 44; off + 2 <= get32(m + 4); off += m[off + 1]) {
		if (m[off + 1] < 2)
			return 1000; /* would loop forever */
		if (m[off] != type)
			continue;
		if (!n++)
			*first = m + off;
	}
	return n;
}

/* The MADT's entries tile it exactly and describe n enabled CPUs. */
static int madt_cpus_ok(uint32_t n)
{
	const uint8_t *m = madt();
	size_t off = 44;
	uint32_t next = 0;

	if (!m)
		return 0;
	while (off < get32(m + 4)) {
		const uint8_t *e = m + off;

		if (e[1] < 2 || off + e[1] > get32(m + 4))
			return 0;
		if (e[0] == 0) {
			/* In order: UID = APIC ID = index, enabled. */
			if (e[1] != 8 || e[2] != next || e[3] != next ||
			    get32(e + 4) != 1)
				return 0;
			next++;
		}
		off += e[1];
	}
	return off == get32(m + 4) && next == n;
}

TEST(rsdp_found_with_both_checksums)
{
	const uint8_t *r;

	CHECK(build(4, GPA) > 0);
	r = find_rsdp();
	CHECK(r == buf); /* first, at gpa */
	CHECK_EQ(sum(r, 20), 0);
	CHECK_EQ(sum(r, 36), 0);
	CHECK_EQ(r[15], 2);
	CHECK_EQ(get32(r + 20), 36);
	CHECK(memcmp(r + 9, "HVMICR", 6) == 0);
	CHECK_EQ(r[33] | r[34] | r[35], 0);
	CHECK(get32(r + 16) != 0); /* an RSDT for ACPI 1.0 parsers */
	CHECK(get64(r + 24) != 0);
}

TEST(rsdt_and_xsdt_list_fadt_then_madt)
{
	const uint8_t *r, *rsdt, *xsdt;

	CHECK(build(4, GPA) > 0);
	r = find_rsdp();
	CHECK(r);
	rsdt = table(get32(r + 16), "RSDT");
	xsdt = table(get64(r + 24), "XSDT");
	CHECK(rsdt);
	CHECK(xsdt);
	CHECK_EQ(get32(rsdt + 4), 36 + 2 * 4);
	CHECK_EQ(get32(xsdt + 4), 36 + 2 * 8);
	for (unsigned i = 0; i < 2; i++)
		CHECK_EQ(sdt_entry(0, i), sdt_entry(1, i));
	CHECK(fadt());
	CHECK(madt());
}

TEST(table_headers)
{
	static const char *const sigs[] = {"RSDT", "XSDT", "FACP", "APIC",
					   "DSDT"};
	const uint8_t *r, *f;
	uint64_t addr[5];

	CHECK(build(4, GPA) > 0);
	r = find_rsdp();
	f = fadt();
	CHECK(r && f);
	addr[0] = get32(r + 16);
	addr[1] = get64(r + 24);
	addr[2] = sdt_entry(1, 0);
	addr[3] = sdt_entry(1, 1);
	addr[4] = get64(f + 140);
	for (unsigned i = 0; i < 5; i++) {
		const uint8_t *t = table(addr[i], sigs[i]);

		CHECK(t);
		CHECK_EQ(addr[i] % 16, 0);
		CHECK(memcmp(t + 10, "HVMICR", 6) == 0);
		CHECK(memcmp(t + 16, "HVMICRO ", 8) == 0);
		CHECK_EQ(get32(t + 24), 1);
		CHECK(memcmp(t + 28, "HVMC", 4) == 0);
		CHECK_EQ(get32(t + 32), 1);
	}
	CHECK_EQ(table(addr[2], "FACP")[8], 6);
	CHECK_EQ(table(addr[4], "DSDT")[8], 2); /* 64-bit AML integers */
}

TEST(madt_processors)
{
	const uint8_t *m, *e;

	CHECK(build(4, GPA) > 0);
	m = madt();
	CHECK(m);
	CHECK_EQ(get32(m + 36), 0xfee00000u);
	CHECK_EQ(get32(m + 40), 1); /* PCAT_COMPAT */
	CHECK_EQ(madt_count(m, 0, &e), 4);
	CHECK(madt_cpus_ok(4));
}

TEST(madt_ioapic_overrides_and_nmi)
{
	const uint8_t *m, *e;

	CHECK(build(4, GPA) > 0);
	m = madt();
	CHECK(m);
	CHECK_EQ(madt_count(m, 1, &e), 1);
	CHECK_EQ(e[1], 12);
	CHECK_EQ(e[2], IOAPIC_ID);
	CHECK_EQ(e[3], 0);
	CHECK_EQ(get32(e + 4), IOAPIC);
	CHECK_EQ(get32(e + 8), 0); /* GSI base */
	CHECK_EQ(madt_count(m, 2, &e), 2);
	CHECK_EQ(e[1], 10);
	CHECK_EQ(e[2], 0);	   /* ISA */
	CHECK_EQ(e[3], 0);	   /* IRQ 0 ... */
	CHECK_EQ(get32(e + 4), 2); /* ... is GSI 2 */
	CHECK_EQ(get16(e + 8), 0);
	e += 10;
	CHECK_EQ(e[0], 2);
	CHECK_EQ(e[1], 10);
	CHECK_EQ(e[2], 0);
	CHECK_EQ(e[3], 9);
	CHECK_EQ(get32(e + 4), 9);
	CHECK_EQ(get16(e + 8), 0x000d); /* level, active high */
	CHECK_EQ(madt_count(m, 4, &e), 1);
	CHECK_EQ(e[1], 6);
	CHECK_EQ(e[2], 0xff); /* every processor */
	CHECK_EQ(get16(e + 3), 0);
	CHECK_EQ(e[5], 1); /* LINT1 */
	CHECK_EQ(madt_count(m, 3, &e) + madt_count(m, 5, &e), 0);
}

TEST(one_and_thirty_two_cpus)
{
	const uint8_t *e;
	size_t one;

	one = build(1, GPA);
	CHECK(one > 0);
	CHECK(madt_cpus_ok(1));
	CHECK(build(32, GPA) > 0);
	CHECK(madt_cpus_ok(32));
	CHECK_EQ(madt_count(madt(), 0, &e), 32);
	CHECK_EQ(madt_count(madt(), 1, &e), 1);
	CHECK_EQ(used - one, 31 * 8); /* the MADT is last */
	CHECK(used <= VACPI_MAX_SIZE);
}

TEST(bad_config_refused)
{
	struct vacpi_config c = config(33);

	CHECK_EQ(build(0, GPA), 0);
	CHECK_EQ(build(33, GPA), 0);
	CHECK_EQ(build(4, GPA + 8), 0);	   /* RSDP not 16-aligned */
	CHECK_EQ(build(4, 1ull << 32), 0); /* 32-bit pointers */
	CHECK_EQ(build(4, (1ull << 32) - 512), 0);
	CHECK_EQ(build(4, UINT64_MAX - 15), 0);
	CHECK(build(4, (1ull << 32) - 1024) > 0);
	c.ncpus = 4;
	c.pm_base = 0xfff8; /* the timer would pass port 0xffff */
	CHECK_EQ(vacpi_build(buf, sizeof(buf), GPA, &c), 0);
	c.pm_base = 0x10000 - VACPI_PM_LEN;
	CHECK(vacpi_build(buf, sizeof(buf), GPA, &c) > 0);
}

TEST(short_buffer_refused_untouched)
{
	struct vacpi_config c = config(32);
	size_t need = build(32, GPA);

	CHECK(need > 0);
	for (size_t len = 0; len < need; len++) {
		memset(buf, CANARY, sizeof(buf));
		CHECK_EQ(vacpi_build(buf, len, GPA, &c), 0);
		for (size_t i = len; i < sizeof(buf); i++)
			CHECK_EQ(buf[i], CANARY);
	}
	memset(buf, CANARY, sizeof(buf));
	CHECK_EQ(vacpi_build(buf, need, GPA, &c), need);
	CHECK_EQ(buf[need], CANARY);
}

TEST(any_16_byte_alignment)
{
	for (uint64_t gpa = GPA; gpa < GPA + 128; gpa += 16) {
		const uint8_t *f;

		CHECK(build(32, gpa) > 0);
		CHECK(used <= VACPI_MAX_SIZE);
		CHECK(madt_cpus_ok(32));
		f = fadt();
		CHECK(f);
		CHECK_EQ(get32(f + 36) % 64, 0); /* FACS */
		CHECK(at(get32(f + 36), 64));
		CHECK(table(get32(f + 40), "DSDT"));
	}
}

TEST(fadt_pm_blocks)
{
	const uint8_t *f;

	CHECK(build(2, GPA) > 0);
	f = fadt();
	CHECK(f);
	CHECK_EQ(get32(f + 4), 276);
	CHECK_EQ(f[131], 0);		      /* minor version: 6.0 */
	CHECK_EQ(get32(f + 56), PM_BASE);     /* PM1a_EVT_BLK */
	CHECK_EQ(get32(f + 64), PM_BASE + 4); /* PM1a_CNT_BLK */
	CHECK_EQ(get32(f + 76), PM_BASE + 8); /* PM_TMR_BLK */
	CHECK_EQ(f[88], 4);
	CHECK_EQ(f[89], 2);
	CHECK_EQ(f[91], 4);
	/* No PM1b, PM2 or GPE blocks. */
	CHECK_EQ(get32(f + 60) | get32(f + 68) | get32(f + 72), 0);
	CHECK_EQ(get32(f + 80) | get32(f + 84), 0);
	CHECK_EQ(f[90] | f[92] | f[93], 0);
	for (unsigned off = 160; off < 268; off += 12) /* X_ GAS fields */
		if (off != 172 && off != 208)
			CHECK_EQ(get32(f + off) | get64(f + off + 4), 0);
}

TEST(fadt_x_blocks_match)
{
	static const unsigned legacy[] = {56, 64, 76}, x[] = {148, 172, 208},
			      len[] = {88, 89, 91}, access[] = {2, 2, 3};
	const uint8_t *f;

	CHECK(build(2, GPA) > 0);
	f = fadt();
	CHECK(f);
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(f[x[i]], 1); /* system I/O */
		CHECK_EQ(f[x[i] + 1], 8 * f[len[i]]);
		CHECK_EQ(f[x[i] + 2], 0);
		CHECK_EQ(f[x[i] + 3], access[i]);
		CHECK_EQ(get64(f + x[i] + 4), get32(f + legacy[i]));
	}
}

TEST(fadt_reset_flags_and_misc)
{
	const uint8_t *f;

	CHECK(build(2, GPA) > 0);
	f = fadt();
	CHECK(f);
	CHECK_EQ(f[116], 1); /* system I/O */
	CHECK_EQ(f[117], 8); /* bits */
	CHECK_EQ(f[118], 0); /* bit offset */
	CHECK_EQ(f[119], 1); /* byte access */
	CHECK_EQ(get64(f + 120), 0xcf9);
	CHECK_EQ(f[128], 6);
	/* WBINVD, PROC_C1, PWR_BUTTON, SLP_BUTTON, TMR_VAL_EXT,
	 * RESET_REG_SUP */
	CHECK_EQ(get32(f + 112), 0x535);
	CHECK_EQ(get16(f + 109), 1); /* LEGACY_DEVICES, no 8042 */
	CHECK_EQ(get16(f + 46), 9);  /* SCI */
	CHECK_EQ(get32(f + 48), 0);  /* SMI_CMD: always in ACPI mode */
	CHECK_EQ(f[52] | f[53], 0);
	CHECK_EQ(f[45], 0); /* PM profile */
	CHECK_EQ(f[108], 0x32);
	CHECK(get16(f + 96) > 100);  /* no C2 */
	CHECK(get16(f + 98) > 1000); /* no C3 */
}

TEST(fadt_dsdt_and_facs)
{
	const uint8_t *f, *facs;

	CHECK(build(2, GPA) > 0);
	f = fadt();
	CHECK(f);
	CHECK(get32(f + 40) != 0);
	CHECK_EQ(get64(f + 140), get32(f + 40));
	CHECK(table(get32(f + 40), "DSDT"));
	CHECK(get32(f + 36) != 0);
	CHECK_EQ(get64(f + 132), get32(f + 36));
	facs = at(get32(f + 36), 64);
	CHECK(facs);
	CHECK(memcmp(facs, "FACS", 4) == 0);
	CHECK_EQ(get32(facs + 4), 64);
	CHECK_EQ(facs[32], 2); /* version */
	CHECK_EQ(get32(facs + 12) | get32(facs + 16) | get32(facs + 20), 0);
}

TEST(dsdt_declares_s5)
{
	static const uint8_t s5[] = {0x08, '_',	 'S',  '5',  '_',  0x12, 0x08,
				     0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00};
	const uint8_t *f, *d;

	CHECK(build(2, GPA) > 0);
	f = fadt();
	CHECK(f);
	d = table(get64(f + 140), "DSDT");
	CHECK(d);
	CHECK_EQ(get32(d + 4), 36 + sizeof(s5));
	CHECK(memcmp(d + 36, s5, sizeof(s5)) == 0);
	CHECK_EQ(VACPI_S5_SLP_TYP, s5[9]);
}

static struct vacpi_pm pm;

/* A read; reads never ask anything of the caller. */
static uint32_t pm_rd(unsigned off, unsigned size)
{
	uint32_t v = 0x5a5a5a5a;

	if (vacpi_pm_io(&pm, off, size, 0, &v, TIMER) != VACPI_NONE) {
		printf("    read at %u asked for an action\n", off);
		test_case_failed = 1;
	}
	return v;
}

static enum vacpi_action pm_wr(unsigned off, unsigned size, uint32_t v)
{
	return vacpi_pm_io(&pm, off, size, 1, &v, TIMER);
}

TEST(pm_reset_state_acpi_mode)
{
	vacpi_pm_init(&pm);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0);
	CHECK_EQ(pm_rd(PM1_EN, 2), 0);
	CHECK_EQ(pm_wr(PM1_CNT, 2, 0), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN); /* cannot leave ACPI mode */
	CHECK_EQ(pm_wr(PM1_CNT, 1, 0), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_CNT, 1), SCI_EN);
}

TEST(pm_slp_en_s5_powers_off)
{
	vacpi_pm_init(&pm);
	/* As Linux does it: SLP_TYP first, then SLP_TYP | SLP_EN. */
	CHECK_EQ(pm_wr(PM1_CNT, 2, SCI_EN | SLP_TYP(5)), VACPI_NONE);
	CHECK_EQ(pm_wr(PM1_CNT, 2, SCI_EN | SLP_TYP(5) | SLP_EN),
		 VACPI_POWEROFF);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | SLP_TYP(5)); /* SLP_EN: 0 */
	vacpi_pm_init(&pm);
	CHECK_EQ(pm_wr(PM1_CNT, 2, SLP_TYP(5) | SLP_EN), VACPI_POWEROFF);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0);
}

TEST(pm_other_sleep_states_unsupported)
{
	vacpi_pm_init(&pm);
	CHECK_EQ(pm_wr(PM1_CNT, 2, SCI_EN | SLP_TYP(3) | SLP_EN),
		 VACPI_SLEEP_UNSUPPORTED);
	CHECK_EQ(pm_rd(PM1_STS, 2), WAK_STS); /* woken at once */
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | SLP_TYP(3));
	for (unsigned typ = 0; typ < 8; typ++)
		if (typ != 5)
			CHECK_EQ(pm_wr(PM1_CNT, 2, SLP_TYP(typ) | SLP_EN),
				 VACPI_SLEEP_UNSUPPORTED);
}

TEST(pm_slp_typ_alone_does_nothing)
{
	vacpi_pm_init(&pm);
	for (unsigned typ = 0; typ < 8; typ++) {
		CHECK_EQ(pm_wr(PM1_CNT, 2, SLP_TYP(typ)), VACPI_NONE);
		CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | SLP_TYP(typ));
	}
	/* BM_RLD is kept; GBL_RLS, SLP_EN and reserved bits are not. */
	CHECK_EQ(pm_wr(PM1_CNT, 2, 0xdfff), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | 0x0002 | SLP_TYP(7));
	CHECK_EQ(pm_rd(PM1_STS, 2), 0);
}

TEST(pm_status_write_one_to_clear)
{
	vacpi_pm_init(&pm);
	pm.sts = 0x8731; /* every status bit the model might hold */
	CHECK_EQ(pm_wr(PM1_STS, 2, 0), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0x8731);
	CHECK_EQ(pm_wr(PM1_STS, 2, 0x0101), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0x8630);
	CHECK_EQ(pm_wr(PM1_STS + 1, 1, 0x80), VACPI_NONE); /* WAK_STS */
	CHECK_EQ(pm_rd(PM1_STS, 2), 0x0630);
	CHECK_EQ(pm_rd(PM1_STS + 1, 1), 0x06);
	CHECK_EQ(pm_wr(PM1_STS, 2, 0xffff), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0);
	/* The WAK_STS an unsupported sleep leaves is cleared the same way. */
	CHECK_EQ(pm_wr(PM1_CNT, 2, SLP_TYP(1) | SLP_EN),
		 VACPI_SLEEP_UNSUPPORTED);
	CHECK_EQ(pm_rd(PM1_STS, 2), WAK_STS);
	CHECK_EQ(pm_wr(PM1_STS, 2, WAK_STS), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0);
}

TEST(pm_enable_keeps_defined_bits)
{
	vacpi_pm_init(&pm);
	CHECK_EQ(pm_wr(PM1_EN, 2, 0xffff), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_EN, 2), 0x0721);
	CHECK_EQ(pm_wr(PM1_EN + 1, 1, 0x01), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_EN, 2), 0x0121);
	CHECK_EQ(pm_wr(PM1_EN, 1, 0), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_EN, 2), 0x0100);
	CHECK_EQ(pm_rd(PM1_STS, 2), 0); /* TMR_EN raises nothing */
}

TEST(pm_timer_reads_caller_value)
{
	vacpi_pm_init(&pm);
	CHECK_EQ(pm_rd(PM_TMR, 4), TIMER);
	CHECK_EQ(pm_rd(PM_TMR, 2), TIMER & 0xffff);
	CHECK_EQ(pm_rd(PM_TMR + 2, 2), TIMER >> 16);
	CHECK_EQ(pm_rd(PM_TMR + 3, 1), TIMER >> 24);
	CHECK_EQ(pm_wr(PM_TMR, 4, 0), VACPI_NONE);
	CHECK_EQ(pm_rd(PM_TMR, 4), TIMER);
	CHECK_EQ(pm.sts | pm.en, 0);
	CHECK_EQ(pm.cnt, SCI_EN);
}

TEST(pm_byte_access_to_control_high_byte)
{
	vacpi_pm_init(&pm);
	/* SLP_TYP 3 in bits 4:2 of the high byte, no SLP_EN. */
	CHECK_EQ(pm_wr(PM1_CNT + 1, 1, 3 << 2), VACPI_NONE);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | SLP_TYP(3));
	CHECK_EQ(pm_rd(PM1_CNT + 1, 1), 3 << 2);
	CHECK_EQ(pm_wr(PM1_CNT, 1, 0x02), VACPI_NONE); /* low byte only */
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | 0x02 | SLP_TYP(3));
	/* SLP_TYP 5 and SLP_EN in one byte write. */
	CHECK_EQ(pm_wr(PM1_CNT + 1, 1, 5 << 2 | 1 << 5), VACPI_POWEROFF);
	CHECK_EQ(pm_rd(PM1_CNT, 2), SCI_EN | 0x02 | SLP_TYP(5));
}

TEST(pm_wide_and_odd_accesses)
{
	vacpi_pm_init(&pm);
	pm.sts = 0x8001;
	pm.en = 0x0100;
	CHECK_EQ(pm_rd(PM1_STS, 4), 0x01008001u); /* STS, then EN */
	CHECK_EQ(pm_rd(PM1_EN + 1, 4), 0x00000101u);
	CHECK_EQ(pm_rd(6, 2), 0); /* reserved */
	CHECK_EQ(pm_wr(6, 2, 0xffff), VACPI_NONE);
	CHECK_EQ(pm_rd(4, 4), SCI_EN);
	/* A dword write at 2 covers EN and CNT: S5 from one access. */
	CHECK_EQ(pm_wr(PM1_EN, 4, (SLP_TYP(5) | SLP_EN) << 16 | 0x0001),
		 VACPI_POWEROFF);
	CHECK_EQ(pm.en, 0x0001);
	/* Past the block: all-ones, writes dropped. */
	CHECK_EQ(pm_rd(VACPI_PM_LEN, 1), 0xff);
	CHECK_EQ(pm_rd(VACPI_PM_LEN, 4), 0xffffffffu);
	CHECK_EQ(pm_rd(0xffffffffu, 4), 0xffffffffu);
	CHECK_EQ(pm_rd(PM_TMR + 2, 4), 0xffff0000u | TIMER >> 16);
	CHECK_EQ(pm_wr(VACPI_PM_LEN, 4, 0xffffffffu), VACPI_NONE);
	CHECK_EQ(pm_wr(0xfffffffeu, 4, 0xffffffffu), VACPI_NONE);
	/* Sizes other than 1, 2, 4: all-ones, nothing written. */
	CHECK_EQ(pm_rd(PM_TMR, 3), 0xffffffffu);
	CHECK_EQ(pm_rd(PM_TMR, 0), 0xffffffffu);
	CHECK_EQ(pm_wr(PM1_STS, 8, 0xffffffffu), VACPI_NONE);
	CHECK_EQ(pm.sts, 0x8001);
	CHECK_EQ(pm.en, 0x0001);
}

int main(void)
{
	RUN(rsdp_found_with_both_checksums);
	RUN(rsdt_and_xsdt_list_fadt_then_madt);
	RUN(table_headers);
	RUN(madt_processors);
	RUN(madt_ioapic_overrides_and_nmi);
	RUN(one_and_thirty_two_cpus);
	RUN(bad_config_refused);
	RUN(short_buffer_refused_untouched);
	RUN(any_16_byte_alignment);
	RUN(fadt_pm_blocks);
	RUN(fadt_x_blocks_match);
	RUN(fadt_reset_flags_and_misc);
	RUN(fadt_dsdt_and_facs);
	RUN(dsdt_declares_s5);
	RUN(pm_reset_state_acpi_mode);
	RUN(pm_slp_en_s5_powers_off);
	RUN(pm_other_sleep_states_unsupported);
	RUN(pm_slp_typ_alone_does_nothing);
	RUN(pm_status_write_one_to_clear);
	RUN(pm_enable_keeps_defined_bits);
	RUN(pm_timer_reads_caller_value);
	RUN(pm_byte_access_to_control_high_byte);
	RUN(pm_wide_and_odd_accesses);
	return TEST_END();
}
