/* SPDX-License-Identifier: MIT */
/* Guest exception stubs: a fault inside a probe resumes after the probe
 * with its vector recorded; any other fault ends the guest.  Interrupt
 * stubs (vectors 32-255) call guest_irq_dispatch(vector) in C. */
#define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

	.text
.macro stub v
	.align 16
trap_\v:
	.if !HAS_ERR(\v)
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
.endm

trap_common:
	/* Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS. */
	push %rax
	mov 8(%rsp), %rax
	mov %rax, guest_fault_vector(%rip)
	mov guest_fault_resume(%rip), %rax
	test %rax, %rax
	jz 1f
	mov %rax, 24(%rsp)		/* resume where the probe said */
	movq $0, guest_fault_resume(%rip)
	pop %rax
	add $16, %rsp
	iretq
1:	mov 8(%rsp), %rdi
	mov 24(%rsp), %rsi
	call guest_unexpected_fault	/* does not return */

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stub \v
	.endr

irq_common:
	/* Stack: vector, RIP, CS, RFLAGS, RSP, SS: 16-byte aligned here. */
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov 72(%rsp), %rdi
	sub $8, %rsp
	call guest_irq_dispatch
	add $8, %rsp
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $8, %rsp
	iretq

	/* One 16-byte stub per vector from 32: the IDT computes addresses. */
	.align 16
	.globl guest_irq_stubs
guest_irq_stubs:
	.set v, 32
	.rept 224
	.align 16
	pushq $v
	jmp irq_common
	.set v, v + 1
	.endr

	.section .rodata
	.globl guest_trap_table
	.align 8
guest_trap_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_\v
	.endr
	.section .note.GNU-stack, "", @progbits
