// SPDX-License-Identifier: MIT
/* acpi: finds the ACPI tables as an OS does (RSDP in the BIOS area, then
 * the XSDT), checks every checksum, counts the MADT's processors against
 * its boot info, reads the I/O APIC's version, times the PM timer against
 * the TSC, reads \_S5 from the DSDT and powers off through PM1a_CNT. */
#include "../lib/apic.h"
#include "../lib/guest.h"
#include "../lib/io.h"

static int failed;

static void check(int ok, const char *what)
{
	guest_printf("acpi: %s: %s\n", what, ok ? "ok" : "FAILED");
	failed |= !ok;
}

static int sum_ok(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;

	for (uint32_t i = 0; i < len; i++)
		s += p[i];
	return s == 0;
}

static uint32_t u32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t u64(const uint8_t *p)
{
	return u32(p) | (uint64_t)u32(p + 4) << 32;
}

static int sig(const uint8_t *p, const char *s)
{
	return p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == s[3];
}

static const uint8_t *find_rsdp(void)
{
	static const char want[] = "RSD PTR ";

	for (uint64_t a = 0xe0000; a < 0x100000; a += 16) {
		const uint8_t *p = (const uint8_t *)a;
		int i = 0;
		while (i < 8 && p[i] == (uint8_t)want[i])
			i++;
		if (i == 8)
			return p;
	}
	return 0;
}

/* Processors (type 0, enabled) and the I/O APIC's address. */
static void madt(const uint8_t *t)
{
	uint32_t cpus = 0, ioapic = 0;

	for (uint32_t o = 44; o + 2 <= u32(t + 4); o += t[o + 1]) {
		if (t[o + 1] < 2)
			break;
		if (t[o] == 0 && (u32(t + o + 4) & 1))
			cpus++;
		if (t[o] == 1)
			ioapic = u32(t + o + 4);
	}
	guest_printf("acpi: MADT: %u processors, I/O APIC at 0x%x\n", cpus,
		     ioapic);
	check(cpus == guest_boot->nvcpus && ioapic == 0xfec00000,
	      "MADT lists exactly this guest's vCPUs and the I/O APIC");
}

static uint32_t ioapic_version(void)
{
	*(volatile uint32_t *)0xfec00000ull = 1;
	uint32_t v;
	__asm__ volatile("movl %1, %0"
			 : "=r"(v)
			 : "m"(*(volatile uint32_t *)0xfec00010ull));
	return v;
}

/* SLP_TYPa from Name (_S5, Package () {a, b, ...}), or -1. */
static int s5(const uint8_t *dsdt)
{
	for (uint32_t i = 36; i + 8 < u32(dsdt + 4); i++)
		if (sig(dsdt + i, "_S5_") && dsdt[i + 4] == 0x12) {
			const uint8_t *e =
			    dsdt + i + 5 + 1 + (dsdt[i + 5] >> 6);
			e++; /* NumElements */
			return *e == 0x0a ? e[1] : *e;
		}
	return -1;
}

int main(void)
{
	const uint8_t *rsdp = find_rsdp();

	check(rsdp && sum_ok(rsdp, 20) && rsdp[15] == 2 &&
		  sum_ok(rsdp, u32(rsdp + 20)),
	      "RSDP in the BIOS area, revision 2, both checksums");
	if (!rsdp)
		return 1;
	const uint8_t *xsdt = (const uint8_t *)u64(rsdp + 24);
	const uint8_t *facp = 0, *apic = 0;
	int sums = sig(xsdt, "XSDT") && sum_ok(xsdt, u32(xsdt + 4));
	for (uint32_t o = 36; o + 8 <= u32(xsdt + 4); o += 8) {
		const uint8_t *t = (const uint8_t *)u64(xsdt + o);
		sums &= sum_ok(t, u32(t + 4));
		guest_printf("acpi: table %c%c%c%c, %u bytes\n", t[0], t[1],
			     t[2], t[3], u32(t + 4));
		if (sig(t, "FACP"))
			facp = t;
		if (sig(t, "APIC"))
			apic = t;
	}
	const uint8_t *dsdt = facp ? (const uint8_t *)u64(facp + 140) : 0;
	sums &= facp && apic && dsdt && sig(dsdt, "DSDT") &&
		sum_ok(dsdt, u32(dsdt + 4));
	check(sums, "XSDT, FADT, MADT and DSDT present, checksums right");
	if (!sums)
		return 1;
	madt(apic);
	check(ioapic_version() == 0x170011,
	      "I/O APIC version 0x11 with 24 pins");

	uint16_t tmr = (uint16_t)u32(facp + 76), cnt = (uint16_t)u32(facp + 64);
	uint64_t t0 = rdtsc();
	uint32_t p0 = inl(tmr);
	while (rdtsc() - t0 < 5000000)
		;
	uint32_t p1 = inl(tmr);
	uint64_t t1 = rdtsc();
	uint64_t want = (t1 - t0) * 3579545ull / (guest_boot->tsc_khz * 1000);
	uint64_t got = p1 - p0;
	guest_printf("acpi: PM timer at port 0x%x: %llu ticks in %llu TSC "
		     "ticks (%llu expected)\n",
		     tmr, (unsigned long long)got,
		     (unsigned long long)(t1 - t0), (unsigned long long)want);
	/* The reads sit inside the TSC window by an exit each way. */
	check(got <= want + 1 && want - got <= want / 500,
	      "PM timer runs at 3.579545 MHz of the TSC");
	check(facp[116] == 1 && u64(facp + 120) == 0xcf9 && facp[128] == 6,
	      "reset register: port 0xCF9, value 6");

	int typ = s5(dsdt);
	check(typ >= 0, "\\_S5 in the DSDT");
	if (failed || typ < 0)
		return 1;
	guest_printf("acpi: S5 (SLP_TYP %d) through PM1a_CNT at 0x%x\n", typ,
		     cnt);
	outw(cnt, (uint16_t)(typ << 10 | 1 << 13));
	guest_puts("acpi: still running after S5\n");
	return 1;
}
