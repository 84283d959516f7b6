/* SPDX-License-Identifier: MIT */
/* The second vCPU's code, copied to 0x7000 and started there by SIPI
 * vector 7 in real mode (CS 0x0700, IP 0).  It switches its APIC to
 * x2APIC (WRMSR works in real mode), says hello to vCPU 0 with IPI
 * 0x40, then answers every IPI 0x41 with an IPI 0x42, counting them.
 * While vCPU 0 sets ap_spin it spins instead of halting. */
	.code16
	.text
	.globl ap_start, ap_end, ap_boots, ap_pings, ap_spin
ap_start:
	cli
	mov %cs, %ax
	mov %ax, %ds
	mov %ax, %ss
	mov $0x1000, %sp		/* top of this page */
	incw ap_boots - ap_start
	mov $0x1b, %ecx			/* IA32_APIC_BASE: EN | EXTD */
	rdmsr
	or $0xc00, %eax
	wrmsr
	mov $0x80f, %ecx		/* SVR: on, spurious vector 0xFF */
	mov $0x1ff, %eax
	xor %edx, %edx
	wrmsr
	xor %ax, %ax			/* IVT entry 0x41: 0700:isr */
	mov %ax, %es
	movw $(isr - ap_start), %es:(0x41 * 4)
	movw $0x0700, %es:(0x41 * 4 + 2)
	mov $0x830, %ecx		/* ICR: fixed 0x40 to APIC ID 0 */
	mov $0x4040, %eax
	xor %edx, %edx
	wrmsr
1:	sti
	hlt
	cmpw $0, ap_spin - ap_start	/* vCPU 0 wants it busy: spin */
	je 1b
2:	cmpw $0, ap_spin - ap_start
	jne 2b
	jmp 1b

isr:
	push %eax
	push %ecx
	push %edx
	incw %cs:(ap_pings - ap_start)
	mov $0x80b, %ecx		/* EOI */
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
	mov $0x830, %ecx		/* pong: fixed 0x42 to APIC ID 0 */
	mov $0x4042, %eax
	wrmsr
	pop %edx
	pop %ecx
	pop %eax
	iret

	.align 2
ap_boots:
	.word 0
ap_pings:
	.word 0
ap_spin:
	.word 0
ap_end:
	.section .note.GNU-stack, "", @progbits
