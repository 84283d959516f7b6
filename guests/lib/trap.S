/* SPDX-License-Identifier: MIT */
/* Guest exception stubs: a fault inside a probe resumes after the probe
 * with its vector recorded; any other fault ends the guest. */
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

	.section .rodata
	.globl guest_trap_table
	.align 8
guest_trap_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_\v
	.endr
	.section .note.GNU-stack, "", @progbits
