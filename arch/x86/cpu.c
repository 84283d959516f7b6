// SPDX-License-Identifier: MIT
/* Boot-CPU setup and identification. */
#include "cpu.h"

#include "../../kernel/arch.h"
#include "../../kernel/lib/fmt.h"
#include "gdt.h"
#include "idt.h"

void arch_cpu_init(void)
{
	gdt_init();
	idt_init();
}

static void vendor(char out[13])
{
	struct cpuid r = cpuid(0, 0);
	const uint32_t words[3] = {r.b, r.d, r.c};

	for (int i = 0; i < 12; i++)
		out[i] = (char)(words[i / 4] >> (8 * (i % 4)));
	out[12] = '\0';
}

/* The brand string, leading spaces dropped ("" where the CPU has none). */
static void brand(char out[49])
{
	int n = 0;

	out[0] = '\0';
	if (cpuid(0x80000000, 0).a < 0x80000004)
		return;
	for (uint32_t leaf = 0x80000002; leaf <= 0x80000004; leaf++) {
		struct cpuid r = cpuid(leaf, 0);
		const uint32_t words[4] = {r.a, r.b, r.c, r.d};
		for (int i = 0; i < 16; i++) {
			char ch = (char)(words[i / 4] >> (8 * (i % 4)));
			if (ch && (n || ch != ' '))
				out[n++] = ch;
		}
	}
	out[n] = '\0';
}

void arch_cpu_describe(char *buf, size_t size)
{
	char v[13], b[49];
	uint32_t sig = cpuid(1, 0).a;
	uint32_t family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;

	if (family == 0xf)
		family += (sig >> 20) & 0xff;
	if (family == 0x6 || family >= 0xf)
		model |= ((sig >> 16) & 0xf) << 4;
	vendor(v);
	brand(b);
	fmt_snprintf(buf, size, "%s, %s, family 0x%x model 0x%x stepping %u", v,
		     b[0] ? b : "no brand string", family, model, sig & 0xf);
}

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
