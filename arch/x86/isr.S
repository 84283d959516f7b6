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
	 * (arch_cpu_kick): the CPU's loop looks at its flags anyway. */
	iretq
	.endif
	.if !HAS_ERR(\v)
	pushq $0
	.endif
	pushq $\v
	jmp isr_common
.endm

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
