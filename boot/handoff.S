/* SPDX-License-Identifier: MIT */
/* The last loader instructions: kernel page tables on, jump to the kernel.
 * The loader's code and stack are identity-mapped in the new tables, so the
 * instructions after the CR3 write still fetch. */
	.text
	.globl handoff
	.type handoff, @function
/* void handoff(u64 cr3 [rdi], u64 entry [rsi], struct boot_info *bi [rdx]) */
handoff:
	cli
	mov %rdi, %cr3
	mov %rdx, %rdi
	xor %ebp, %ebp
	jmp *%rsi
	.size handoff, . - handoff
	.section .note.GNU-stack, "", @progbits
