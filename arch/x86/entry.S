/* SPDX-License-Identifier: MIT */
/* Kernel entry from the loader: RDI = boot info, interrupts off, the
 * loader's page tables.  Switch to the kernel's own stack and go to C. */
#define BOOT_STACK_SIZE 32768

	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp
	call kernel_main
1:	cli
	hlt
	jmp 1b
	.size _start, . - _start

	.bss
	.align 16
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
	.section .note.GNU-stack, "", @progbits
