/* SPDX-License-Identifier: MIT */
/*
 * flat: a raw binary loaded at 0x7C00 and entered in real mode, like a
 * boot sector.  Checks the start state the hypervisor promises (CS:IP =
 * 0000:7C00, DS = ES = SS = 0, SP = 0x7C00, DL = 0x80), that CR0.PE is
 * clear and that segments really are real-mode ones (base = selector * 16),
 * prints what it found through COM1 and exits through the debug-exit port
 * with status 0, or 1 if a check failed.
 */
#define COM1		0x3f8
#define LSR		(COM1 + 5)
#define LSR_THRE	0x20
#define DEBUG_EXIT_PORT	0xf4
#define LOAD_BASE	0x7c00
#define BOOT_DRIVE	0x80

	.code16
	.text
	.globl _start
_start:
	/* Save the entry state before anything changes it. */
	mov %sp, %cs:entry_sp
	mov %ds, %cs:entry_ds
	mov %es, %cs:entry_es
	mov %ss, %cs:entry_ss
	mov %cs, %cs:entry_cs
	mov %dl, %cs:entry_dl
	call 1f				/* IP of 1: tells where we run */
1:	pop %ax
	sub $(1b - _start), %ax
	mov %ax, %cs:entry_ip

	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $LOAD_BASE, %sp

	/* "flat: real mode at CCCC:IIII, DL=NN" */
	mov $msg_at, %si
	call puts
	mov entry_cs, %ax
	call puthex16
	mov $':', %al
	call putc
	mov entry_ip, %ax
	call puthex16
	mov $msg_dl, %si
	call puts
	mov entry_dl, %al
	call puthex8
	call newline

	/* "flat: DS=0000 ES=0000 SS=0000 SP=7C00" */
	mov $msg_ds, %si
	call puts
	mov entry_ds, %ax
	call puthex16
	mov $msg_es, %si
	call puts
	mov entry_es, %ax
	call puthex16
	mov $msg_ss, %si
	call puts
	mov entry_ss, %ax
	call puthex16
	mov $msg_sp, %si
	call puts
	mov entry_sp, %ax
	call puthex16
	call newline

	/* "flat: CR0=XXXXXXXX (PE=N)" */
	mov %cr0, %eax
	mov %eax, cr0_value
	mov $msg_cr0, %si
	call puts
	mov cr0_value + 2, %ax
	call puthex16
	mov cr0_value, %ax
	call puthex16
	mov $msg_pe, %si
	call puts
	mov cr0_value, %al
	and $1, %al
	add $'0', %al
	call putc
	mov $')', %al
	call putc
	call newline

	/* The checks: each failure prints its message and counts. */
	cmpw $0, entry_cs
	jne bad_cs
	cmpw $LOAD_BASE, entry_ip
	jne bad_ip
check_dl:
	cmpb $BOOT_DRIVE, entry_dl
	jne bad_dl
check_regs:
	mov entry_ds, %ax
	or entry_es, %ax
	or entry_ss, %ax
	jnz bad_seg
	cmpw $LOAD_BASE, entry_sp
	jne bad_sp
check_pe:
	testb $1, cr0_value
	jnz bad_pe
check_seg:
	/* ES = 0x07C0 is linear 0x7C00 only in real mode: its first byte
	 * must be ours.  (In protected mode the load would fault.) */
	mov $(LOAD_BASE >> 4), %ax
	mov %ax, %es
	mov %es:0, %al
	xor %bx, %bx
	mov %bx, %es
	cmp _start, %al
	jne bad_base
	cmpb $0, failures
	jne fail
	mov $msg_ok, %si
	call puts
	xor %al, %al
	jmp exit

bad_cs:
bad_ip:
	mov $msg_bad_csip, %si
	call failed
	jmp check_dl
bad_dl:
	mov $msg_bad_dl, %si
	call failed
	jmp check_regs
bad_seg:
	mov $msg_bad_seg, %si
	call failed
	cmpw $LOAD_BASE, entry_sp
	je check_pe
bad_sp:
	mov $msg_bad_sp, %si
	call failed
	jmp check_pe
bad_pe:
	mov $msg_bad_pe, %si
	call failed
	jmp check_seg
bad_base:
	mov $msg_bad_base, %si
	call failed
fail:
	mov $msg_fail, %si
	call puts
	mov $1, %al
exit:
	mov $DEBUG_EXIT_PORT, %dx
	out %al, %dx
2:	cli
	hlt
	jmp 2b

/* "flat: FAIL: " and the message at SI, a line end; counts failures. */
failed:
	push %si
	mov $msg_failed, %si
	call puts
	pop %si
	call puts
	incb failures
	/* fall through */
newline:
	mov $'\r', %al
	call putc
	mov $'\n', %al
	/* fall through */

/* Write AL to COM1 once its transmitter holds nothing.  Keeps AX. */
putc:
	push %dx
	push %ax
	mov $LSR, %dx
3:	in %dx, %al
	test $LSR_THRE, %al
	jz 3b
	pop %ax
	mov $COM1, %dx
	out %al, %dx
	pop %dx
	ret

/* The NUL-terminated string at DS:SI. */
puts:
	lodsb
	test %al, %al
	jz 4f
	call putc
	jmp puts
4:	ret

/* AX (puthex16) or AL (puthex8) as upper-case hex digits. */
puthex16:
	push %ax
	mov %ah, %al
	call puthex8
	pop %ax
puthex8:
	push %ax
	shr $4, %al
	call puthex4
	pop %ax
puthex4:
	push %ax
	and $0xf, %al
	add $'0', %al
	cmp $'9', %al
	jbe 5f
	add $('A' - '0' - 10), %al
5:	call putc
	pop %ax
	ret

msg_at:		.asciz "flat: real mode at "
msg_dl:		.asciz ", DL="
msg_ds:		.asciz "flat: DS="
msg_es:		.asciz " ES="
msg_ss:		.asciz " SS="
msg_sp:		.asciz " SP="
msg_cr0:	.asciz "flat: CR0="
msg_pe:		.asciz " (PE="
msg_ok:		.asciz "flat: all checks passed\r\n"
msg_fail:	.asciz "flat: a check failed\r\n"
msg_failed:	.asciz "flat: FAIL: "
msg_bad_csip:	.asciz "not entered at 0000:7C00"
msg_bad_dl:	.asciz "DL is not 0x80"
msg_bad_seg:	.asciz "DS, ES or SS is not 0"
msg_bad_sp:	.asciz "SP is not 0x7C00"
msg_bad_pe:	.asciz "CR0.PE is set: not real mode"
msg_bad_base:	.asciz "ES=07C0 does not address 0x7C00: not real mode"

	.balign 4
cr0_value:	.long 0
entry_sp:	.word 0
entry_ds:	.word 0
entry_es:	.word 0
entry_ss:	.word 0
entry_cs:	.word 0
entry_ip:	.word 0
entry_dl:	.byte 0
failures:	.byte 0

	.section .note.GNU-stack, "", @progbits
