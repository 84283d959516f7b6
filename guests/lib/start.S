/* SPDX-License-Identifier: MIT */
/* Guest entry in 64-bit mode: own stack, main(), exit with its value. */
	.section .text.entry, "ax"
	.globl _start
_start:
	lea stack_top(%rip), %rsp
	mov %rdi, guest_boot(%rip)	/* struct hv_boot (kernel/vm/abi.h) */
	call main
	mov %eax, %edi
	call guest_exit

	.bss
	.globl guest_boot
	.align 8
guest_boot:
	.quad 0
	.align 16
	.skip 16384
stack_top:
	.section .note.GNU-stack, "", @progbits
