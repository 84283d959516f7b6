/* SPDX-License-Identifier: MIT */
/* Exception entry stubs: push a uniform frame, call exception_handler. */

/* Vectors that push an error code themselves (SDM vol. 3A, table 6-1). */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
.macro stub v
	.align 16
isr_\v:
	.if \v == 2
	/* An NMI while the hypervisor runs is another CPU's kick
	 * (arch_cpu_kick): the CPU's loop looks at its flags anyway.  One
	 * that lands in idle_halt between its look at the flag and HLT
	 * would be lost, the CPU asleep until its deadline: resume it past
	 * the HLT instead.  The saved RIP is at 0(%rsp) (no error code). */
	cmpq $idle_halt, (%rsp)
	jb 1f
	cmpq $idle_woken, (%rsp)
	jae 1f
	movq $idle_woken, (%rsp)
1:	iretq
	.endif
	.if !HAS_ERR(\v)
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
.endm

/* void idle_halt(const uint32_t *wake): HLT unless *wake is set, with
 * interrupts on only for the HLT itself (STI's shadow covers the gap, so
 * an interrupt already pending wakes it).  Returns with them off. */
	.globl idle_halt
idle_halt:
	cmpl $0, (%rdi)
	jne idle_woken
	sti
	hlt
	.globl idle_woken
idle_woken:
	cli
	ret

/* The idle CPU's deadline and the console's interrupt while it sleeps:
 * acknowledge; the CPU's loop then looks at what changed.  Interrupts
 * are on only in idle_halt, so nothing else can be interrupted. */
	.globl isr_wake
isr_wake:
	pushq %rax
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	call lapic_eoi
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rax
	iretq

isr_common:
	/* Frame layout is struct exc_frame in idt.c: keep them in sync. */
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	mov %rsp, %rdi
	and $-16, %rsp
	call exception_handler
	/* exception_handler does not return. */
	ud2

.altmacro
.set v, 0
.rept 32
	stub %v
	.set v, v + 1
.endr

	.section .rodata
	.align 8
	.globl isr_table
isr_table:
.macro entry n
	.quad isr_\n
.endm
.set v, 0
.rept 32
	entry %v
	.set v, v + 1
.endr
	.section .note.GNU-stack, "", @progbits
