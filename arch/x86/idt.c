// SPDX-License-Identifier: MIT
/* IDT of the boot CPU and the exception report. */
#include "idt.h"

#include "../../kernel/log.h"
#include "cpu.h"
#include "gdt.h"
#include "lapic.h"

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type; /* P, DPL0, 0xE: 64-bit interrupt gate */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gates are 16 bytes");

/* Pushed by isr.S (general registers) and the CPU (the rest). */
struct exc_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

extern const uint64_t isr_table[32];
extern const char isr_wake[];
/* Exceptions, and the two host interrupts an idle CPU takes in HLT
 * (tsc.c); every other vector has a not-present gate (#NP, reported). */
static struct idt_gate idt[256];

static const char *const names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
};

static uint8_t ist_for(int vec)
{
	return vec == 8 ? IST_DF : vec == 2 ? IST_NMI : vec == 18 ? IST_MC : 0;
}

static void set_gate(int v, uint64_t h)
{
	idt[v] = (struct idt_gate){
	    (uint16_t)h,	 GDT_KCODE,	      ist_for(v), 0x8e,
	    (uint16_t)(h >> 16), (uint32_t)(h >> 32), 0};
}

void idt_init(void)
{
	for (int v = 0; v < 32; v++)
		set_gate(v, isr_table[v]);
	set_gate(WAKE_VECTOR, (uint64_t)isr_wake);
	set_gate(CONSOLE_VECTOR, (uint64_t)isr_wake);
	idt_load();
}

/* Every CPU shares the one table. */
void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)idt};

	__asm__ volatile("lidt %0" ::"m"(p));
}

void exception_handler(struct exc_frame *f);

/* A fault in the hypervisor is its own bug: report all we know, stop. */
void exception_handler(struct exc_frame *f)
{
	const char *name =
	    f->vector < 32 && names[f->vector] ? names[f->vector] : "reserved";

	kprintf("\nhv: EXCEPTION %llu (%s) error 0x%llx\n",
		(unsigned long long)f->vector, name,
		(unsigned long long)f->error);
	kprintf("  rip %016llx  cs %04llx  rflags %016llx\n",
		(unsigned long long)f->rip, (unsigned long long)f->cs,
		(unsigned long long)f->rflags);
	kprintf("  rsp %016llx  ss %04llx  cr2 %016llx  cr3 %016llx\n",
		(unsigned long long)f->rsp, (unsigned long long)f->ss,
		(unsigned long long)read_cr2(), (unsigned long long)read_cr3());
	kprintf("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->r8);
	kprintf("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n",
		(unsigned long long)f->r9, (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	kprintf("  r13 %016llx  r14 %016llx  r15 %016llx\n",
		(unsigned long long)f->r13, (unsigned long long)f->r14,
		(unsigned long long)f->r15);
	kprintf(
	    "hv: stop: panic (exception %llu on the boot CPU; CPU halted)\n",
	    (unsigned long long)f->vector);
	console_flush();
	arch_halt();
}
