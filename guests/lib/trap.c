// SPDX-License-Identifier: MIT
/* Guest exception and interrupt handling: one IDT (stubs in trap.S). */
#include "guest.h"

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};

extern const uint64_t guest_trap_table[32];
extern const char guest_irq_stubs[];
volatile int64_t guest_fault_vector = -1;
volatile uint64_t guest_fault_resume;
static struct gate idt[256];
static void (*irq_fn[256])(unsigned vector);

static struct gate gate(uint64_t h)
{
	return (struct gate){
	    (uint16_t)h,	 0x08, 0, 0x8e, (uint16_t)(h >> 16),
	    (uint32_t)(h >> 32), 0};
}

void guest_traps_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)idt};

	for (int v = 0; v < 32; v++)
		idt[v] = gate(guest_trap_table[v]);
	for (int v = 32; v < 256; v++)
		idt[v] = gate((uint64_t)(guest_irq_stubs + 16 * (v - 32)));
	__asm__ volatile("lidt %0" ::"m"(p));
}

void guest_irq_set(unsigned vector, void (*fn)(unsigned vector))
{
	irq_fn[vector & 0xff] = fn;
}

void guest_irq_dispatch(uint64_t vector);
void guest_irq_dispatch(uint64_t vector)
{
	if (irq_fn[vector & 0xff]) {
		irq_fn[vector & 0xff]((unsigned)vector);
		return;
	}
	guest_printf("guest: unexpected interrupt, vector %llu\n",
		     (unsigned long long)vector);
	guest_exit(98);
}

void guest_unexpected_fault(uint64_t vector, uint64_t rip);
void guest_unexpected_fault(uint64_t vector, uint64_t rip)
{
	guest_printf("guest: unexpected exception %llu at 0x%llx\n",
		     (unsigned long long)vector, (unsigned long long)rip);
	guest_exit(99);
}
