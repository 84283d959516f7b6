/* SPDX-License-Identifier: MIT */
/* VM entry and exit: swap general registers with the vCPU's gpr[]. */
#define VMCS_HOST_RSP 0x6c14
/* gpr[] offsets: index by instruction encoding, 8 bytes each. */
#define RAX 0
#define RCX 8
#define RDX 16
#define RBX 24
#define RBP 40
#define RSI 48
#define RDI 56
#define R8 64
#define R9 72
#define R10 80
#define R11 88
#define R12 96
#define R13 104
#define R14 112
#define R15 120

	.text
/*
 * int vmx_enter(uint64_t *gpr, int resume)
 *
 * Enters the guest whose VMCS is current and stays in the exit loop: each
 * exit saves the guest's registers and calls vmx_exit(gpr), which handles
 * it and answers 0 to go straight back in, 1 to leave the CPU.  Returns 0
 * when the vCPU left, 1 if an entry failed (VMfail: the caller reads the
 * instruction error).  Host registers are saved once per call, not once
 * per exit: the round trip is what make bench measures.
 */
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi			/* gpr, for the exit path */
	/* Exits land on this stack, 16-byte aligned for the C call. */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe fail
	mov %esi, %eax			/* resume flag, before RSI is loaded */
enter:
	mov RCX(%rdi), %rcx
	mov RDX(%rdi), %rdx
	mov RBX(%rdi), %rbx
	mov RBP(%rdi), %rbp
	mov RSI(%rdi), %rsi
	mov R8(%rdi), %r8
	mov R9(%rdi), %r9
	mov R10(%rdi), %r10
	mov R11(%rdi), %r11
	mov R12(%rdi), %r12
	mov R13(%rdi), %r13
	mov R14(%rdi), %r14
	mov R15(%rdi), %r15
	test %eax, %eax
	mov RAX(%rdi), %rax
	mov RDI(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp fail
1:	vmresume
fail:	/* The registers hold guest values; the stack is ours. */
	pop %rdi
	mov $1, %eax
	jmp done

/* Host RIP of every VMCS: the stack is as vmx_enter left it. */
	.globl vmx_exit_stub
	.type vmx_exit_stub, @function
vmx_exit_stub:
	push %rdi			/* guest RDI */
	mov 8(%rsp), %rdi		/* gpr */
	mov %rax, RAX(%rdi)
	mov %rcx, RCX(%rdi)
	mov %rdx, RDX(%rdi)
	mov %rbx, RBX(%rdi)
	mov %rbp, RBP(%rdi)
	mov %rsi, RSI(%rdi)
	mov %r8, R8(%rdi)
	mov %r9, R9(%rdi)
	mov %r10, R10(%rdi)
	mov %r11, R11(%rdi)
	mov %r12, R12(%rdi)
	mov %r13, R13(%rdi)
	mov %r14, R14(%rdi)
	mov %r15, R15(%rdi)
	pop %rax
	mov %rax, RDI(%rdi)
	call vmx_exit			/* rdi = gpr */
	mov (%rsp), %rdi
	test %eax, %eax
	mov $1, %eax			/* from now on: VMRESUME */
	jz enter
	pop %rdi
	xor %eax, %eax
done:
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_exit_stub, . - vmx_exit_stub
	.size vmx_enter, . - vmx_enter
	.section .note.GNU-stack, "", @progbits
