// SPDX-License-Identifier: MIT
/* Guest exception handling: an IDT for the 32 exceptions (trap.S). */
#include "guest.h"

struct gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};

extern const uint64_t guest_trap_table[32];
volatile int64_t guest_fault_vector = -1;
volatile uint64_t guest_fault_resume;
static struct gate idt[32];

void guest_traps_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)idt};

	for (int v = 0; v < 32; v++) {
		uint64_t h = guest_trap_table[v];
		idt[v] = (struct gate){
		    (uint16_t)h,	 0x08, 0, 0x8e, (uint16_t)(h >> 16),
		    (uint32_t)(h >> 32), 0};
	}
	__asm__ volatile("lidt %0" ::"m"(p));
}

void guest_unexpected_fault(uint64_t vector, uint64_t rip);
void guest_unexpected_fault(uint64_t vector, uint64_t rip)
{
	guest_printf("guest: unexpected exception %llu at 0x%llx\n",
		     (unsigned long long)vector, (unsigned long long)rip);
	guest_exit(99);
}
