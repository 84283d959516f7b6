// SPDX-License-Identifier: MIT
/* attacker: tries to escape its partition; every attempt must fail in
 * its defined way.  The command line picks the last, fatal attempt:
 * "attack=beyond" (past its RAM), "attack=read addr=0x..." or
 * "attack=write addr=0x..." (an address the test passes in: the
 * hypervisor's or another guest's memory), or "attack=none". */
#include <string.h>

#include "../lib/guest.h"
#include "../lib/io.h"

#define VEC_UD 6
#define VEC_GP 13

extern char __image_end[];
static unsigned failures;

static const char *vector_name(int64_t v)
{
	return v == VEC_GP   ? "#GP"
	       : v == VEC_UD ? "#UD"
	       : v < 0	     ? "no fault"
			     : "?";
}

static void expect_fault(const char *what, int64_t got, int64_t want)
{
	int ok = got == want;

	guest_printf("attacker: %s: %s%s\n", what, vector_name(got),
		     ok ? " (refused)" : " (ESCAPE: expected a fault)");
	failures += !ok;
}

static int64_t try_wrmsr(uint32_t msr, uint64_t v)
{
	return GUEST_PROBE("wrmsr", ::"c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32))
			   : "r11", "memory");
}

static int64_t try_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	return GUEST_PROBE("rdmsr",
			   : "=a"(lo), "=d"(hi)
			   : "c"(msr)
			   : "r11", "memory");
}

static void msrs(void)
{
	expect_fault("wrmsr IA32_FEATURE_CONTROL (0x3a)", try_wrmsr(0x3a, 5),
		     VEC_GP);
	expect_fault("wrmsr IA32_DEBUGCTL (0x1d9)", try_wrmsr(0x1d9, 1),
		     VEC_GP);
	expect_fault("wrmsr IA32_APIC_BASE (0x1b) to move the APIC",
		     try_wrmsr(0x1b, 0xfed00900), VEC_GP);
	expect_fault("rdmsr IA32_VMX_BASIC (0x480)", try_rdmsr(0x480), VEC_GP);
}

static void vmx(void)
{
	static uint64_t region[512] __attribute__((aligned(4096)));
	uint64_t pa = (uint64_t)region, v;

	expect_fault("vmxon",
		     GUEST_PROBE("vmxon %0", ::"m"(pa)
				 : "r11", "memory"),
		     VEC_UD);
	expect_fault("vmread",
		     GUEST_PROBE("vmread %1, %0",
				 : "=r"(v)
				 : "r"(0x4400ull)
				 : "r11", "memory", "cc"),
		     VEC_UD);
	uint64_t cr4;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	expect_fault("mov to CR4 with VMXE set",
		     GUEST_PROBE("mov %0, %%cr4", ::"r"(cr4 | (1ull << 13))
				 : "r11", "memory"),
		     VEC_GP);
}

static void ports(void)
{
	uint32_t v = inl(0x510);

	__asm__ volatile("outl %0, %1" ::"a"(0x12345678u),
			 "Nd"((uint16_t)0x510));
	uint32_t after = inl(0x510);
	int ok = v == 0xffffffffu && after == 0xffffffffu;
	guest_printf("attacker: unclaimed I/O port 0x510: read 0x%x, after a "
		     "write 0x%x%s\n",
		     v, after, ok ? " (all-ones)" : " (ESCAPE)");
	failures += !ok;
}

/* The HPET's usual address: nothing is emulated there. */
static void mmio(void)
{
	volatile uint32_t *hpet = (volatile uint32_t *)0xfed00000ull;
	uint32_t v = hpet[0];

	hpet[4] = 0x12345678;
	uint32_t after = hpet[4];
	int ok = v == 0xffffffffu && after == 0xffffffffu;
	guest_printf("attacker: unclaimed MMIO at 0xfed00000: read 0x%x, after "
		     "a write 0x%x%s\n",
		     v, after, ok ? " (all-ones)" : " (ESCAPE)");
	failures += !ok;
}

/* Bytes of RAM no one wrote must read zero: the partition was scrubbed. */
static void scrubbed(void)
{
	uint64_t nonzero = 0, checked = 0;

	for (uint32_t i = 0; i < guest_boot->nram; i++) {
		uint64_t lo = guest_boot->ram[i].base;
		uint64_t hi = lo + guest_boot->ram[i].size;
		if (lo < 0x9000)
			lo = 0x9000; /* GDT, page tables, boot info */
		if (lo < (uint64_t)__image_end && hi > 0x100000)
			lo = (uint64_t)__image_end;
		for (uint64_t a = (lo + 7) & ~7ull; a + 8 <= hi; a += 8) {
			nonzero += *(volatile uint64_t *)a != 0;
			checked += 8;
		}
	}
	guest_printf("attacker: scrub check: %llu KiB read, %llu non-zero "
		     "words%s\n",
		     (unsigned long long)(checked >> 10),
		     (unsigned long long)nonzero,
		     nonzero ? " (LEAK)" : " (clean)");
	failures += nonzero != 0;
}

static uint64_t parse_hex(const char *s)
{
	uint64_t v = 0;

	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	for (; *s && *s != ' '; s++)
		v = v * 16 +
		    (uint64_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
	return v;
}

static const char *arg(const char *key)
{
	const char *c = guest_boot->cmdline;
	size_t n = strlen(key);

	for (; *c; c++)
		if ((c == guest_boot->cmdline || c[-1] == ' ') &&
		    strncmp(c, key, n) == 0 && c[n] == '=')
			return c + n + 1;
	return "";
}

/* One access of guest-physical addr (identity-mapped), any address at
 * all: it is the hypervisor's job to refuse it. */
static void touch(uint64_t addr, int write)
{
	volatile uint64_t *p = (volatile uint64_t *)addr;

	if (write)
		*p = 0xbad; // cppcheck-suppress nullPointer
	else
		(void)*p; // cppcheck-suppress nullPointer
}

/* The last attempt: the hypervisor must stop this guest here. */
static void fatal(void)
{
	const char *attack = arg("attack");
	uint64_t addr = parse_hex(arg("addr"));

	if (strncmp(attack, "beyond", 6) == 0) {
		addr = 0;
		for (uint32_t i = 0; i < guest_boot->nram; i++)
			addr =
			    guest_boot->ram[i].base + guest_boot->ram[i].size;
		guest_printf("attacker: reading past its RAM at 0x%llx\n",
			     (unsigned long long)addr);
		touch(addr, 0);
	} else if (strncmp(attack, "read", 4) == 0) {
		guest_printf("attacker: reading 0x%llx\n",
			     (unsigned long long)addr);
		touch(addr, 0);
	} else if (strncmp(attack, "write", 5) == 0) {
		guest_printf("attacker: writing 0x%llx\n",
			     (unsigned long long)addr);
		touch(addr, 1);
	} else {
		return;
	}
	guest_printf("attacker: ESCAPE: the access at 0x%llx went through\n",
		     (unsigned long long)addr);
	guest_exit(2);
}

int main(void)
{
	guest_traps_init();
	msrs();
	vmx();
	ports();
	mmio();
	scrubbed();
	guest_printf("attacker: %u attempt(s) not refused\n", failures);
	fatal();
	return failures ? 1 : 0;
}
