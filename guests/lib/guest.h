/* SPDX-License-Identifier: MIT */
/* Guest runtime: what every bare-metal test guest gets. */
#ifndef GUEST_H
#define GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "../../kernel/vm/abi.h"

/* What the hypervisor says about this guest (RDI at entry). */
extern const struct hv_boot *guest_boot;

/* Print to the (emulated) COM1 UART. */
void guest_puts(const char *s);
void guest_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* End the guest with a status through the QEMU-compatible debug-exit port
 * (0xf4); the hypervisor logs it.  Halts if nothing stops the guest. */
__attribute__((noreturn)) void guest_exit(uint8_t status);

/*
 * Exceptions.  After guest_traps_init, a fault raised by an instruction
 * inside a probe (see GUEST_PROBE) resumes after it with the vector in
 * guest_fault_vector; any other fault prints itself and exits with 99.
 */
void guest_traps_init(void);

/* Interrupts (vectors 32-255), after guest_traps_init: fn(vector) runs
 * with interrupts off and must send its own EOI; an interrupt with no
 * function prints itself and exits with 98. */
void guest_irq_set(unsigned vector, void (*fn)(unsigned vector));
extern volatile int64_t guest_fault_vector;
extern volatile uint64_t guest_fault_resume;

/* Run the asm instruction(s) insn (operands as for __asm__; list "r11" among
 * the clobbers) and evaluate to the exception vector they raised, or -1. */
#define GUEST_PROBE(insn, ...)                                                 \
	({                                                                     \
		guest_fault_vector = -1;                                       \
		__asm__ volatile(                                              \
		    "lea 1f(%%rip), %%r11\n\t"                                 \
		    "mov %%r11, guest_fault_resume(%%rip)\n\t" insn "\n1:\n\t" \
		    "movq $0, guest_fault_resume(%%rip)" __VA_ARGS__);         \
		guest_fault_vector;                                            \
	})

/* A hypercall (kernel/vm/abi.h): VMCALL with nr in RAX, a0 in RDI, a1 in
 * RSI; the result from RAX. */
static inline int64_t guest_hypercall(uint64_t nr, uint64_t a0, uint64_t a1)
{
	uint64_t rax = nr;

	__asm__ volatile("vmcall" : "+a"(rax) : "D"(a0), "S"(a1) : "memory");
	return (int64_t)rax;
}

/* Each guest defines its main; returning from it exits with its value. */
int main(void);

#endif
