/* SPDX-License-Identifier: MIT */
/* Decoding and carrying out the guest instructions that touch emulated MMIO. */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic, shared by the kernel and host tests.  An EPT violation on a
 * guest-physical address no RAM backs gives the address but not what the
 * guest meant to do there: the instruction at RIP says that.  Only the
 * plain memory-access forms compilers and drivers use on device registers
 * are understood; anything else is refused, never guessed at.
 */

/* Default operand and address size of the code segment. */
enum decode_mode { DECODE_16, DECODE_32, DECODE_64 };

enum decode_op {
	OP_MOV_TO_MEM,	 /* 88 89 C6 C7 A2 A3 */
	OP_MOV_FROM_MEM, /* 8A 8B A0 A1 */
	OP_MOVZX,	 /* 0F B6 0F B7 */
	OP_MOVSX,	 /* 0F BE 0F BF */
	OP_STOS,	 /* AA AB, optionally with REP */
	OP_AND,		 /* 20 21, 80/81/83 /4: read, modify, write back */
	OP_OR,		 /* 08 09, 80/81/83 /1 */
	OP_XOR,		 /* 30 31, 80/81/83 /6 */
	OP_TEST,	 /* 84 85, F6/F7 /0: read only, sets flags */
	OP_CMP,		 /* 38 39, 80/81/83 /7: flags of memory - source */
	OP_CMP_REV,	 /* 3A 3B: flags of register - memory */
};

struct decoded {
	enum decode_op op;
	unsigned len;  /* instruction length in bytes */
	unsigned size; /* memory operand size: 1, 2, 4 or 8 */
	/* Register size: differs from size only for MOVZX/MOVSX (2, 4, 8). */
	unsigned dst_size;
	/* Register operand by encoding 0..15 (REX.R applied), or -1 when the
	 * source is imm.  STOS and moffs forms use 0, the accumulator. */
	int reg;
	/* The immediate as the operation uses it: sign-extended where the
	 * instruction says so, then cut to size bytes. */
	uint64_t imm;
	int rep;	    /* STOS with F3 */
	unsigned addr_size; /* 2, 4, 8: how STOS steps RDI and counts RCX */
	int high_byte;	    /* reg 4..7 are AH, CH, DH, BH (byte, no REX) */
};

/*
 * The mode the CPU decodes in, from guest state as the VMCS holds it: CR0,
 * IA32_EFER, RFLAGS and the CS access rights (L in bit 13, D/B in bit 14;
 * SDM vol. 3C, 24.4.1).  Virtual-8086 and real mode are 16-bit.
 */
enum decode_mode decode_mode_of(uint64_t cr0, uint64_t efer, uint64_t rflags,
				uint32_t cs_ar);

/*
 * Decode one instruction from bytes[0..n) (anything past 15 bytes is
 * ignored; nothing past n is read).  0 and *d filled in, or -1 and a short
 * reason in err (may be NULL) when the bytes are truncated, invalid, or not
 * one of the forms above.
 */
int decode_insn(const uint8_t *bytes, size_t n, enum decode_mode mode,
		struct decoded *d, char *err, size_t err_size);

/* The device side of an access; gpa is always the faulting address. */
struct emul_mem_ops {
	uint64_t (*read)(void *ctx, uint64_t gpa, unsigned size);
	void (*write)(void *ctx, uint64_t gpa, uint64_t val, unsigned size);
	void *ctx;
};

/*
 * Carry out d against gpa: memory through ops, registers in gpr (by
 * encoding; slot 4 is whatever the caller keeps for RSP), flags in
 * *rflags.  Register writes follow the CPU: 32-bit ones zero-extend to 64,
 * 8- and 16-bit ones keep the other bits.  AND/OR/XOR/TEST clear OF and
 * CF, set SF, ZF, PF from the result and leave AF (undefined) alone.
 * STOS stores once per call and steps RDI by size (down when RFLAGS.DF is
 * set); with REP it counts RCX down, does nothing if RCX is 0, and
 * returns 1 while iterations remain: the caller then re-enters the guest
 * without advancing RIP so the next iteration faults afresh.  Returns 0
 * when the instruction is complete (advance RIP by d->len), -1 if d is not
 * something decode_insn produces (nothing touched).
 */
int emulate_mmio(const struct decoded *d, uint64_t gpa, uint64_t gpr[16],
		 uint64_t *rflags, const struct emul_mem_ops *ops);

#endif
