/* SPDX-License-Identifier: MIT */
/* Start code of the other CPUs: copied below 1 MiB, entered in real mode
 * by a start-up IPI, it switches to long mode on the kernel's page tables
 * and jumps to ap_entry(index).  smp.c patches the tr_* slots. */
	.section .rodata
	.globl trampoline_start, tr_layout

	.code16
trampoline_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	movzwl %ax, %ebx
	shl $4, %ebx			/* ebx = where this page sits */
	lgdtl (tr_gdtr - trampoline_start)
	mov %cr0, %eax
	or $1, %eax			/* PE */
	mov %eax, %cr0
	.byte 0x66, 0xea		/* ljmpl $0x08, tr_pm32 (patched) */
tr_jmp32:
	.long 0
	.word 0x08

	.code32
tr_pm32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %cr4, %eax
	or $0xa0, %eax			/* PAE, PGE */
	mov %eax, %cr4
	mov (tr_cr3 - trampoline_start)(%ebx), %eax
	mov %eax, %cr3
	mov $0xc0000080, %ecx		/* EFER: LME, and NXE as the boot CPU */
	rdmsr
	or (tr_efer - trampoline_start)(%ebx), %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010000, %eax		/* PG, WP */
	mov %eax, %cr0
	.byte 0xea			/* ljmp $0x18, tr_lm64 (patched) */
tr_jmp64:
	.long 0
	.word 0x18

	.code64
tr_lm64:
	mov %ebx, %ebx			/* upper half undefined after the switch */
	mov (tr_stack - trampoline_start)(%rbx), %rsp
	mov (tr_arg - trampoline_start)(%rbx), %rdi
	mov (tr_entry - trampoline_start)(%rbx), %rax
	jmp *%rax

	.align 8
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdtr:
	.word 4 * 8 - 1
	.long 0				/* patched: address of tr_gdt */
	.align 8
tr_cr3:
	.quad 0
tr_efer:
	.quad 0
tr_stack:
	.quad 0
tr_entry:
	.quad 0
tr_arg:
	.quad 0
trampoline_end:

/* Offsets into the blob, for smp.c: struct tr_layout, in this order. */
	.align 8
tr_layout:
	.quad trampoline_end - trampoline_start
	.quad tr_jmp32 - trampoline_start
	.quad tr_pm32 - trampoline_start
	.quad tr_jmp64 - trampoline_start
	.quad tr_lm64 - trampoline_start
	.quad tr_gdt - trampoline_start
	.quad tr_gdtr - trampoline_start
	.quad tr_cr3 - trampoline_start
	.quad tr_efer - trampoline_start
	.quad tr_stack - trampoline_start
	.quad tr_entry - trampoline_start
	.quad tr_arg - trampoline_start
	.section .note.GNU-stack, "", @progbits
