// SPDX-License-Identifier: MIT
/* Tests for arch/x86/vmx/decode.c: encodings, refusals, MMIO emulation. */
#include "decode.h"
#include "test.h"

#include <stdint.h>
#include <stdlib.h>

/* An encoding as a string literal with every byte \x-escaped, and its
 * length (the literal's terminating NUL is not part of it). */
#define I(s) (const uint8_t *)(s), sizeof(s) - 1

#define M16 DECODE_16
#define M32 DECODE_32
#define M64 DECODE_64

#define TO   OP_MOV_TO_MEM
#define FROM OP_MOV_FROM_MEM

#define MOFFS8 "\x00\x10\x00\x00\x00\x00\x00\x00"

/*
 * One accepted encoding: the bytes are the whole instruction, so the
 * expected length is their count.  In d, dst_size 0 stands for "same as
 * size" and addr_size 0 for the mode's default; everything else is exact.
 */
struct good {
	const char *name;
	enum decode_mode mode;
	const uint8_t *b;
	size_t n;
	struct decoded d;
};

struct bad {
	const char *name;
	enum decode_mode mode;
	const uint8_t *b;
	size_t n;
	const char *why; /* fragment of the refusal */
};

/* Rows: the expected fields of d as designated initializers. */
#define G(name, mode, bytes, ...)     \
	{                             \
		name, mode, I(bytes), \
		{                     \
			__VA_ARGS__   \
		}                     \
	}
#define B(name, mode, bytes, why)         \
	{                                 \
		name, mode, I(bytes), why \
	}

#define ROWS(t) t, sizeof(t) / sizeof(t[0])

/* Decode from a heap copy of exactly n bytes: ASan reports any read past
 * the end; trailing bytes, if any, are appended to check the length. */
static int decode_copy(const uint8_t *b, size_t n, size_t trail,
		       enum decode_mode mode, struct decoded *d, char *err,
		       size_t err_size)
{
	uint8_t *copy = malloc(n + trail);
	int r;

	if (!copy)
		return -2;
	if (n)
		memcpy(copy, b, n);
	memset(copy + n, 0x90, trail);
	r = decode_insn(copy, n + trail, mode, d, err, err_size);
	free(copy);
	return r;
}

static unsigned default_asize(enum decode_mode mode)
{
	return mode == M64 ? 8 : mode == M32 ? 4 : 2;
}

static int same_decoded(const struct good *g, const struct decoded *d)
{
	const struct decoded *e = &g->d;
	unsigned dst = e->dst_size ? e->dst_size : e->size;
	unsigned asz = e->addr_size ? e->addr_size : default_asize(g->mode);

	return d->op == e->op && d->len == g->n && d->size == e->size &&
	       d->dst_size == dst && d->reg == e->reg && d->imm == e->imm &&
	       d->rep == e->rep && d->addr_size == asz &&
	       d->high_byte == e->high_byte;
}

static void show(const char *name, const struct decoded *d, const char *err)
{
	printf("    %s: op %d len %u size %u dst %u reg %d imm 0x%llx rep %d "
	       "asz %u high %d err \"%s\"\n",
	       name, d->op, d->len, d->size, d->dst_size, d->reg,
	       (unsigned long long)d->imm, d->rep, d->addr_size, d->high_byte,
	       err);
}

/* Each row decodes as expected, alone and followed by other bytes. */
static int check_good(const struct good *rows, size_t count)
{
	int failed = 0;

	for (size_t i = 0; i < count; i++) {
		for (size_t trail = 0; trail <= 8; trail += 8) {
			struct decoded d;
			char err[64] = "";

			if (decode_copy(rows[i].b, rows[i].n, trail,
					rows[i].mode, &d, err, sizeof(err)) ||
			    !same_decoded(&rows[i], &d)) {
				show(rows[i].name, &d, err);
				failed = 1;
			}
		}
	}
	return failed;
}

/* Each row is refused with the expected reason. */
static int check_bad(const struct bad *rows, size_t count)
{
	int failed = 0;

	for (size_t i = 0; i < count; i++) {
		struct decoded d;
		char err[64] = "";

		if (decode_copy(rows[i].b, rows[i].n, 0, rows[i].mode, &d, err,
				sizeof(err)) != -1 ||
		    !strstr(err, rows[i].why)) {
			printf("    %s: got \"%s\", want \"%s\"\n",
			       rows[i].name, err, rows[i].why);
			failed = 1;
		}
	}
	return failed;
}

/* Every proper prefix of an accepted encoding is refused as truncated. */
static int check_truncations(const struct good *rows, size_t count)
{
	int failed = 0;

	for (size_t i = 0; i < count; i++) {
		for (size_t k = 0; k < rows[i].n; k++) {
			struct decoded d;
			char err[64] = "";

			if (decode_copy(rows[i].b, k, 0, rows[i].mode, &d, err,
					sizeof(err)) != -1 ||
			    !strstr(err, "truncated")) {
				printf("    %s cut to %zu: \"%s\"\n",
				       rows[i].name, k, err);
				failed = 1;
			}
		}
	}
	return failed;
}

static const struct good mov_rows[] = {
    G("mov [rax],cl", M64, "\x88\x08", .op = TO, .size = 1, .reg = 1),
    G("mov [rax],ah", M64, "\x88\x20", .op = TO, .size = 1, .reg = 4,
      .high_byte = 1),
    G("mov [rax],spl", M64, "\x40\x88\x20", .op = TO, .size = 1, .reg = 4),
    G("mov [rax],r8b", M64, "\x44\x88\x00", .op = TO, .size = 1, .reg = 8),
    G("mov [rax],ecx", M64, "\x89\x08", .op = TO, .size = 4, .reg = 1),
    G("mov [rax],esp: not a byte register", M64, "\x89\x20", .op = TO,
      .size = 4, .reg = 4),
    G("mov di,[rax]: not a byte register", M64, "\x66\x8b\x38", .op = FROM,
      .size = 2, .reg = 7),
    G("mov [rax],cx", M64, "\x66\x89\x08", .op = TO, .size = 2, .reg = 1),
    G("mov [rax],rcx", M64, "\x48\x89\x08", .op = TO, .size = 8, .reg = 1),
    G("mov [rax],r9", M64, "\x4c\x89\x08", .op = TO, .size = 8, .reg = 9),
    G("mov [r8],ecx", M64, "\x41\x89\x08", .op = TO, .size = 4, .reg = 1),
    G("mov [r8],r9d", M64, "\x45\x89\x08", .op = TO, .size = 4, .reg = 9),
    G("mov [rax],cl (32)", M32, "\x88\x08", .op = TO, .size = 1, .reg = 1),
    G("mov [eax],ah (32)", M32, "\x88\x20", .op = TO, .size = 1, .reg = 4,
      .high_byte = 1),
    G("mov [bx+si],ax (16)", M16, "\x89\x00", .op = TO, .size = 2, .reg = 0),
    G("mov cl,[rax]", M64, "\x8a\x08", .op = FROM, .size = 1, .reg = 1),
    G("mov bh,[rax]", M64, "\x8a\x38", .op = FROM, .size = 1, .reg = 7,
      .high_byte = 1),
    G("mov dil,[rax]", M64, "\x40\x8a\x38", .op = FROM, .size = 1, .reg = 7),
    G("mov r12b,[rax]", M64, "\x44\x8a\x20", .op = FROM, .size = 1, .reg = 12),
    G("mov r15b,[r11]", M64, "\x45\x8a\x3b", .op = FROM, .size = 1, .reg = 15),
    G("mov ecx,[rax]", M64, "\x8b\x08", .op = FROM, .size = 4, .reg = 1),
    G("mov cx,[rax]", M64, "\x66\x8b\x08", .op = FROM, .size = 2, .reg = 1),
    G("mov rcx,[rax]", M64, "\x48\x8b\x08", .op = FROM, .size = 8, .reg = 1),
    G("mov r15,[rax+8]", M64, "\x4c\x8b\x78\x08", .op = FROM, .size = 8,
      .reg = 15),
    G("mov ecx,[eax] (32)", M32, "\x8b\x08", .op = FROM, .size = 4, .reg = 1),
    G("mov ax,[bx+si] (16)", M16, "\x8b\x00", .op = FROM, .size = 2, .reg = 0),
    G("mov eax,[bx+si] (16)", M16, "\x66\x8b\x00", .op = FROM, .size = 4,
      .reg = 0),
};

/* ModRM/SIB/displacement forms, all on MOV [mem],eax or ecx. */
static const struct good modrm_rows[] = {
    G("[rsp]: SIB", M64, "\x89\x04\x24", .op = TO, .size = 4),
    G("[rsp+8]: SIB disp8", M64, "\x89\x44\x24\x08", .op = TO, .size = 4),
    G("[rsp+256]: SIB disp32", M64, "\x89\x84\x24\x00\x01\x00\x00", .op = TO,
      .size = 4),
    G("[0x1000]: SIB no base", M64, "\x89\x04\x25\x00\x10\x00\x00", .op = TO,
      .size = 4),
    G("[rcx*4+0x1000]: SIB no base", M64, "\x89\x04\x8d\x00\x10\x00\x00",
      .op = TO, .size = 4),
    G("[rax+rcx*4]: SIB index", M64, "\x89\x04\x88", .op = TO, .size = 4),
    G("[rbp+16]: SIB base 5 mod 1", M64, "\x89\x44\x25\x10", .op = TO,
      .size = 4),
    G("[rbp+rax+256]: SIB base 5 mod 2", M64, "\x89\x84\x05\x00\x01\x00\x00",
      .op = TO, .size = 4),
    G("[rax+0x1000]: REX.B SIB base 5 mod 0, no base", M64,
      "\x41\x89\x04\x05\x00\x10\x00\x00", .op = TO, .size = 4),
    G("[r12]: REX.B rm 4 still SIB", M64, "\x41\x89\x04\x24", .op = TO,
      .size = 4),
    G("[rax+r9*8]: REX.X", M64, "\x42\x89\x04\xc8", .op = TO, .size = 4),
    G("[rax+16]: disp8", M64, "\x89\x48\x10", .op = TO, .size = 4, .reg = 1),
    G("[rax+0x1000]: disp32", M64, "\x89\x88\x00\x10\x00\x00", .op = TO,
      .size = 4, .reg = 1),
    G("[rbp+8]: mod 1 rm 5", M64, "\x89\x45\x08", .op = TO, .size = 4),
    G("[rip+0x1000]", M64, "\x89\x05\x00\x10\x00\x00", .op = TO, .size = 4),
    G("[rip+0x1000]: REX.B changes nothing", M64,
      "\x41\x89\x05\x00\x10\x00\x00", .op = TO, .size = 4),
    G("[0x1000] (32)", M32, "\x89\x05\x00\x10\x00\x00", .op = TO, .size = 4),
    G("[ecx*4+0x1000] (32)", M32, "\x8b\x04\x8d\x00\x10\x00\x00", .op = FROM,
      .size = 4),
    G("[esp+8] (32)", M32, "\x89\x44\x24\x08", .op = TO, .size = 4),
    G("[eax] with 67", M64, "\x67\x89\x08", .op = TO, .size = 4, .reg = 1,
      .addr_size = 4),
    G("[eip+0x1000] with 67", M64, "\x67\x89\x05\x00\x10\x00\x00", .op = TO,
      .size = 4, .addr_size = 4),
};

/* 16-bit addressing: no SIB, disp16, mod 0 rm 6 is a bare address. */
static const struct good addr16_rows[] = {
    G("[bx+si]", M16, "\x89\x00", .op = TO, .size = 2),
    G("[bp+si]", M16, "\x89\x02", .op = TO, .size = 2),
    G("[si]: rm 4 is not SIB", M16, "\x89\x04", .op = TO, .size = 2),
    G("[di]: rm 5 has no disp", M16, "\x89\x05", .op = TO, .size = 2),
    G("[0x1000]: mod 0 rm 6", M16, "\x89\x06\x00\x10", .op = TO, .size = 2),
    G("[bp+8]: mod 1 rm 6", M16, "\x89\x46\x08", .op = TO, .size = 2),
    G("[bp+0x100]: mod 2 rm 6", M16, "\x89\x86\x00\x01", .op = TO, .size = 2),
    G("[bx+0x100]: mod 2", M16, "\x89\x87\x00\x01", .op = TO, .size = 2),
    G("[bx+si+8]: mod 1", M16, "\x89\x40\x08", .op = TO, .size = 2),
    G("mov word [0x1000],0x1234", M16, "\xc7\x06\x00\x10\x34\x12", .op = TO,
      .size = 2, .reg = -1, .imm = 0x1234),
    G("mov dword [0x1000],imm32", M16, "\x66\xc7\x06\x00\x10\x78\x56\x34\x12",
      .op = TO, .size = 4, .reg = -1, .imm = 0x12345678),
    G("[esp] via 67 (16)", M16, "\x67\x89\x04\x24", .op = TO, .size = 2,
      .addr_size = 4),
    G("[0x1000] via 66 67 (16)", M16, "\x67\x66\x89\x05\x00\x10\x00\x00",
      .op = TO, .size = 4, .addr_size = 4),
    G("[0x1000] via 67 (32)", M32, "\x67\x89\x06\x00\x10", .op = TO, .size = 4,
      .addr_size = 2),
    G("[bp+si+8] via 67 (32)", M32, "\x67\x8b\x42\x08", .op = FROM, .size = 4,
      .addr_size = 2),
};

static const struct good imm_rows[] = {
    G("mov byte [rax],0x7f", M64, "\xc6\x00\x7f", .op = TO, .size = 1,
      .reg = -1, .imm = 0x7f),
    G("mov byte [rax+8],0xff", M64, "\xc6\x40\x08\xff", .op = TO, .size = 1,
      .reg = -1, .imm = 0xff),
    G("mov dword [rax],imm32", M64, "\xc7\x00\x78\x56\x34\x12", .op = TO,
      .size = 4, .reg = -1, .imm = 0x12345678),
    G("mov dword [rax],0x80000000", M64, "\xc7\x00\x00\x00\x00\x80", .op = TO,
      .size = 4, .reg = -1, .imm = 0x80000000),
    G("mov word [rax],imm16", M64, "\x66\xc7\x00\x34\x12", .op = TO, .size = 2,
      .reg = -1, .imm = 0x1234),
    G("mov qword [rax],-2^31", M64, "\x48\xc7\x00\x00\x00\x00\x80", .op = TO,
      .size = 8, .reg = -1, .imm = 0xffffffff80000000),
    G("mov qword [rax],2^31-1", M64, "\x48\xc7\x00\xff\xff\xff\x7f", .op = TO,
      .size = 8, .reg = -1, .imm = 0x7fffffff),
    G("mov qword [r8],imm: REX.WB", M64, "\x49\xc7\x00\x01\x00\x00\x00",
      .op = TO, .size = 8, .reg = -1, .imm = 1),
    G("mov dword [rip+0x1000],1", M64,
      "\xc7\x05\x00\x10\x00\x00\x01\x00\x00\x00", .op = TO, .size = 4,
      .reg = -1, .imm = 1),
    G("mov dword [rax+rcx*4+256],1", M64,
      "\xc7\x84\x88\x00\x01\x00\x00\x01\x00\x00\x00", .op = TO, .size = 4,
      .reg = -1, .imm = 1),
    G("mov word [rip+0],imm16", M64, "\x66\xc7\x05\x00\x00\x00\x00\xcd\xab",
      .op = TO, .size = 2, .reg = -1, .imm = 0xabcd),
    G("mov byte [0x1000],1 (32)", M32, "\xc6\x05\x00\x10\x00\x00\x01", .op = TO,
      .size = 1, .reg = -1, .imm = 1),
    G("mov word [eax],imm16 (32)", M32, "\x66\xc7\x00\x34\x12", .op = TO,
      .size = 2, .reg = -1, .imm = 0x1234),
};

static const struct good moffs_rows[] = {
    G("mov al,[moffs64]", M64, "\xa0" MOFFS8, .op = FROM, .size = 1, .reg = 0),
    G("mov eax,[moffs64]", M64, "\xa1" MOFFS8, .op = FROM, .size = 4, .reg = 0),
    G("mov rax,[moffs64]", M64, "\x48\xa1" MOFFS8, .op = FROM, .size = 8,
      .reg = 0),
    G("mov ax,[moffs64]", M64, "\x66\xa1" MOFFS8, .op = FROM, .size = 2,
      .reg = 0),
    G("mov eax,[moffs64]: REX.B ignored", M64, "\x41\xa1" MOFFS8, .op = FROM,
      .size = 4, .reg = 0),
    G("mov [moffs64],al", M64, "\xa2" MOFFS8, .op = TO, .size = 1),
    G("mov [moffs64],rax", M64, "\x48\xa3" MOFFS8, .op = TO, .size = 8),
    G("mov [moffs64],ax", M64, "\x66\xa3" MOFFS8, .op = TO, .size = 2),
    G("mov eax,[moffs32] (64, 67)", M64, "\x67\xa1\x00\x10\x00\x00", .op = FROM,
      .size = 4, .addr_size = 4),
    G("mov eax,[moffs32] (32)", M32, "\xa1\x00\x10\x00\x00", .op = FROM,
      .size = 4),
    G("mov [moffs32],al (32)", M32, "\xa2\x00\x10\x00\x00", .op = TO,
      .size = 1),
    G("mov eax,[moffs16] (32, 67)", M32, "\x67\xa1\x00\x10", .op = FROM,
      .size = 4, .addr_size = 2),
    G("mov ax,[moffs16] (16)", M16, "\xa1\x00\x10", .op = FROM, .size = 2),
    G("mov eax,[moffs16] (16, 66)", M16, "\x66\xa1\x00\x10", .op = FROM,
      .size = 4),
    G("mov [moffs32],ax (16, 67)", M16, "\x67\xa3\x00\x10\x00\x00", .op = TO,
      .size = 2, .addr_size = 4),
};

static const struct good movx_rows[] = {
    G("movzx ecx,byte [rax]", M64, "\x0f\xb6\x08", .op = OP_MOVZX, .size = 1,
      .dst_size = 4, .reg = 1),
    G("movzx cx,byte [rax]", M64, "\x66\x0f\xb6\x08", .op = OP_MOVZX, .size = 1,
      .dst_size = 2, .reg = 1),
    G("movzx rcx,byte [rax]", M64, "\x48\x0f\xb6\x08", .op = OP_MOVZX,
      .size = 1, .dst_size = 8, .reg = 1),
    G("movzx ecx,word [rax]", M64, "\x0f\xb7\x08", .op = OP_MOVZX, .size = 2,
      .dst_size = 4, .reg = 1),
    G("movzx rcx,word [rax]", M64, "\x48\x0f\xb7\x08", .op = OP_MOVZX,
      .size = 2, .dst_size = 8, .reg = 1),
    G("movzx r8d,byte [rax]", M64, "\x44\x0f\xb6\x00", .op = OP_MOVZX,
      .size = 1, .dst_size = 4, .reg = 8),
    G("movzx esp,byte [0x1000]: no high byte", M64,
      "\x0f\xb6\x24\x25\x00\x10\x00\x00", .op = OP_MOVZX, .size = 1,
      .dst_size = 4, .reg = 4),
    G("movsx ecx,byte [rax]", M64, "\x0f\xbe\x08", .op = OP_MOVSX, .size = 1,
      .dst_size = 4, .reg = 1),
    G("movsx rcx,word [rax+16]", M64, "\x48\x0f\xbf\x48\x10", .op = OP_MOVSX,
      .size = 2, .dst_size = 8, .reg = 1),
    G("movsx r15,byte [rip+0]", M64, "\x4c\x0f\xbe\x3d\x00\x00\x00\x00",
      .op = OP_MOVSX, .size = 1, .dst_size = 8, .reg = 15),
    G("movzx ax,byte [bx] (16)", M16, "\x0f\xb6\x07", .op = OP_MOVZX, .size = 1,
      .dst_size = 2, .reg = 0),
    G("movsx eax,word [bx] (16, 66)", M16, "\x66\x0f\xbf\x07", .op = OP_MOVSX,
      .size = 2, .dst_size = 4, .reg = 0),
};

static const struct good stos_rows[] = {
    G("stosb", M64, "\xaa", .op = OP_STOS, .size = 1),
    G("stosd", M64, "\xab", .op = OP_STOS, .size = 4),
    G("stosw", M64, "\x66\xab", .op = OP_STOS, .size = 2),
    G("stosq", M64, "\x48\xab", .op = OP_STOS, .size = 8),
    G("rep stosb", M64, "\xf3\xaa", .op = OP_STOS, .size = 1, .rep = 1),
    G("rep stosq", M64, "\xf3\x48\xab", .op = OP_STOS, .size = 8, .rep = 1),
    G("rep stosd, 32-bit address", M64, "\xf3\x67\xab", .op = OP_STOS,
      .size = 4, .rep = 1, .addr_size = 4),
    G("rep stosq, prefixes mixed", M64, "\x66\xf3\x67\x48\xab", .op = OP_STOS,
      .size = 8, .rep = 1, .addr_size = 4),
    G("stosb with fs: (ignored)", M64, "\x64\xaa", .op = OP_STOS, .size = 1),
    G("rep stosd (32)", M32, "\xf3\xab", .op = OP_STOS, .size = 4, .rep = 1),
    G("rep stosd, 16-bit address (32)", M32, "\x67\xf3\xab", .op = OP_STOS,
      .size = 4, .rep = 1, .addr_size = 2),
    G("rep stosw (16)", M16, "\xf3\xab", .op = OP_STOS, .size = 2, .rep = 1),
    G("rep stosd, 32-bit address (16)", M16, "\x66\x67\xf3\xab", .op = OP_STOS,
      .size = 4, .rep = 1, .addr_size = 4),
};

static const struct good alu_rows[] = {
    G("and [rax],cl", M64, "\x20\x08", .op = OP_AND, .size = 1, .reg = 1),
    G("and [rax],ecx", M64, "\x21\x08", .op = OP_AND, .size = 4, .reg = 1),
    G("and [rax],rcx", M64, "\x48\x21\x08", .op = OP_AND, .size = 8, .reg = 1),
    G("or [rax],cl", M64, "\x08\x08", .op = OP_OR, .size = 1, .reg = 1),
    G("or [rax],ecx", M64, "\x09\x08", .op = OP_OR, .size = 4, .reg = 1),
    G("or [rax],cx", M64, "\x66\x09\x08", .op = OP_OR, .size = 2, .reg = 1),
    G("xor [rax],cl", M64, "\x30\x08", .op = OP_XOR, .size = 1, .reg = 1),
    G("xor [rax],ecx", M64, "\x31\x08", .op = OP_XOR, .size = 4, .reg = 1),
    G("xor [rax],r9", M64, "\x4c\x31\x08", .op = OP_XOR, .size = 8, .reg = 9),
    G("xor [rax],ah", M64, "\x30\x20", .op = OP_XOR, .size = 1, .reg = 4,
      .high_byte = 1),
    G("and byte [rax],0x0f", M64, "\x80\x20\x0f", .op = OP_AND, .size = 1,
      .reg = -1, .imm = 0x0f),
    G("or byte [rax],0x80", M64, "\x80\x08\x80", .op = OP_OR, .size = 1,
      .reg = -1, .imm = 0x80),
    G("xor byte [rax],0xff", M64, "\x80\x30\xff", .op = OP_XOR, .size = 1,
      .reg = -1, .imm = 0xff),
    G("and dword [rax],imm32", M64, "\x81\x20\x00\xff\xff\xff", .op = OP_AND,
      .size = 4, .reg = -1, .imm = 0xffffff00),
    G("or word [rax],imm16", M64, "\x66\x81\x08\x34\x12", .op = OP_OR,
      .size = 2, .reg = -1, .imm = 0x1234),
    G("xor qword [rax],imm32", M64, "\x48\x81\x30\x00\x00\x00\x80",
      .op = OP_XOR, .size = 8, .reg = -1, .imm = 0xffffffff80000000),
    G("and dword [rax],-16", M64, "\x83\x20\xf0", .op = OP_AND, .size = 4,
      .reg = -1, .imm = 0xfffffff0),
    G("cmp [rax],cl", M64, "\x38\x08", .op = OP_CMP, .size = 1, .reg = 1),
    G("cmp [rax],ecx", M64, "\x39\x08", .op = OP_CMP, .size = 4, .reg = 1),
    G("cmp cl,[rax]", M64, "\x3a\x08", .op = OP_CMP_REV, .size = 1, .reg = 1),
    G("cmp rcx,[rax]", M64, "\x48\x3b\x08", .op = OP_CMP_REV, .size = 8,
      .reg = 1),
    G("cmp word [rax],0xaa55", M64, "\x66\x81\x38\x55\xaa", .op = OP_CMP,
      .size = 2, .reg = -1, .imm = 0xaa55),
    G("cmp dword [rax],1", M64, "\x83\x38\x01", .op = OP_CMP, .size = 4,
      .reg = -1, .imm = 1),
    G("cmp byte [rax],0x80", M64, "\x80\x38\x80", .op = OP_CMP, .size = 1,
      .reg = -1, .imm = 0x80),
    G("or word [rax],-128", M64, "\x66\x83\x08\x80", .op = OP_OR, .size = 2,
      .reg = -1, .imm = 0xff80),
    G("xor qword [rax],-1", M64, "\x48\x83\x30\xff", .op = OP_XOR, .size = 8,
      .reg = -1, .imm = ~0ull),
    G("or dword [rax],0x7f", M64, "\x83\x08\x7f", .op = OP_OR, .size = 4,
      .reg = -1, .imm = 0x7f),
    G("or dword [rax+8],1 disp8", M64, "\x83\x48\x08\x01", .op = OP_OR,
      .size = 4, .reg = -1, .imm = 1),
    G("lock and [rax],ecx", M64, "\xf0\x21\x08", .op = OP_AND, .size = 4,
      .reg = 1),
    G("lock or dword [rax],1", M64, "\xf0\x83\x08\x01", .op = OP_OR, .size = 4,
      .reg = -1, .imm = 1),
    G("lock xor byte [rax],1", M64, "\xf0\x80\x30\x01", .op = OP_XOR, .size = 1,
      .reg = -1, .imm = 1),
    G("or word [bx],0x100 (16)", M16, "\x81\x0f\x00\x01", .op = OP_OR,
      .size = 2, .reg = -1, .imm = 0x100),
    G("test [rax],cl", M64, "\x84\x08", .op = OP_TEST, .size = 1, .reg = 1),
    G("test [rax],bh", M64, "\x84\x38", .op = OP_TEST, .size = 1, .reg = 7,
      .high_byte = 1),
    G("test [rax],ecx", M64, "\x85\x08", .op = OP_TEST, .size = 4, .reg = 1),
    G("test [rax],rcx", M64, "\x48\x85\x08", .op = OP_TEST, .size = 8,
      .reg = 1),
    G("test byte [rax],0x80", M64, "\xf6\x00\x80", .op = OP_TEST, .size = 1,
      .reg = -1, .imm = 0x80),
    G("test dword [rax],0x10000", M64, "\xf7\x00\x00\x00\x01\x00",
      .op = OP_TEST, .size = 4, .reg = -1, .imm = 0x10000),
    G("test word [rax],0x8001", M64, "\x66\xf7\x00\x01\x80", .op = OP_TEST,
      .size = 2, .reg = -1, .imm = 0x8001),
    G("test qword [rax],-1", M64, "\x48\xf7\x00\xff\xff\xff\xff", .op = OP_TEST,
      .size = 8, .reg = -1, .imm = ~0ull),
};

static const struct good prefix_rows[] = {
    G("all six segment overrides", M64, "\x26\x2e\x36\x3e\x64\x65\x89\x08",
      .op = TO, .size = 4, .reg = 1),
    G("gs: then REX.W", M64, "\x65\x48\x89\x08", .op = TO, .size = 8, .reg = 1),
    G("mov eax,fs:[0]", M64, "\x64\x8b\x04\x25\x00\x00\x00\x00", .op = FROM,
      .size = 4),
    G("REX.W beats 66", M64, "\x66\x48\x89\x08", .op = TO, .size = 8, .reg = 1),
    G("REX before 66 is ignored", M64, "\x4c\x66\x89\x08", .op = TO, .size = 2,
      .reg = 1),
    G("REX before 66 is ignored: byte regs", M64, "\x40\x66\x88\x20", .op = TO,
      .size = 1, .reg = 4, .high_byte = 1),
    G("only the last REX counts", M64, "\x4c\x41\x89\x08", .op = TO, .size = 4,
      .reg = 1),
    G("66 twice", M64, "\x66\x66\x89\x08", .op = TO, .size = 2, .reg = 1),
    G("15 bytes exactly", M64,
      "\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x89\x40\x10", .op = TO,
      .size = 4),
    G("15 bytes of mov imm", M64,
      "\x2e\x2e\x2e\x48\xc7\x84\x88\x00\x01\x00\x00\x01\x00\x00\x00", .op = TO,
      .size = 8, .reg = -1, .imm = 1),
};

static const struct bad bad_rows[] = {
    B("nothing", M64, "", "truncated"),
    B("REX alone", M64, "\x48", "truncated"),
    B("prefixes alone", M64, "\x66\x67\xf3", "truncated"),
    B("mov eax,ecx", M64, "\x89\xc8", "register"),
    B("mov ecx,eax", M64, "\x8b\xc8", "register"),
    B("mov eax,imm32", M64, "\xc7\xc0\x01\x00\x00\x00", "register"),
    B("movzx eax,cl", M64, "\x0f\xb6\xc1", "register"),
    B("and al,1", M64, "\x80\xe0\x01", "register"),
    B("test eax,ecx", M64, "\x85\xc8", "register"),
    B("mov ax,cx (16)", M16, "\x89\xc8", "register"),
    B("nop", M64, "\x90", "unsupported opcode"),
    B("add [rax],ecx", M64, "\x01\x08", "unsupported opcode"),
    B("and ecx,[rax] (from memory)", M64, "\x23\x08", "unsupported opcode"),
    B("inc dword [rax]", M64, "\xff\x00", "unsupported opcode"),
    B("movsb", M64, "\xa4", "unsupported opcode"),
    B("lodsd", M64, "\xad", "unsupported opcode"),
    B("80 alias 82 (32)", M32, "\x82\x08\x01", "unsupported opcode"),
    B("REX is dec eax (32)", M32, "\x48\x89\x08", "unsupported opcode"),
    B("REX is inc ax (16)", M16, "\x40\x89\x00", "unsupported opcode"),
    B("ud2", M64, "\x0f\x0b", "unsupported 0F opcode"),
    B("cmpxchg [rax],ecx", M64, "\x0f\xb1\x08", "unsupported 0F opcode"),
    B("movnti [rax],eax", M64, "\x0f\xc3\x00", "unsupported 0F opcode"),
    B("0F alone", M64, "\x0f", "truncated"),
    B("add byte [rax],1", M64, "\x80\x00\x01", "extension"),
    B("sub dword [rax],1", M64, "\x83\x28\x01", "extension"),
    B("lock cmp [rax],ecx", M64, "\xf0\x39\x08", "LOCK"),
    B("c6 /1", M64, "\xc6\x08\x01", "extension"),
    B("c7 /7", M64, "\xc7\x38\x01\x00\x00\x00", "extension"),
    B("f6 /1 (test alias)", M64, "\xf6\x08\x01", "extension"),
    B("not byte [rax]", M64, "\xf6\x10", "extension"),
    B("neg dword [rax]", M64, "\xf7\x18", "extension"),
    B("lock mov [rax],ecx", M64, "\xf0\x89\x08", "LOCK"),
    B("lock mov ecx,[rax]", M64, "\xf0\x8b\x08", "LOCK"),
    B("lock mov dword [rax],1", M64, "\xf0\xc7\x00\x01\x00\x00\x00", "LOCK"),
    B("lock test [rax],ecx", M64, "\xf0\x85\x08", "LOCK"),
    B("lock stosb", M64, "\xf0\xaa", "LOCK"),
    B("lock movzx", M64, "\xf0\x0f\xb6\x08", "LOCK"),
    B("lock moffs", M32, "\xf0\xa1\x00\x10\x00\x00", "LOCK"),
    B("rep mov [rax],ecx", M64, "\xf3\x89\x08", "REP"),
    B("rep or [rax],ecx", M64, "\xf3\x09\x08", "REP"),
    B("repne stosb", M64, "\xf2\xaa", "F2"),
    B("repne mov", M64, "\xf2\x89\x08", "F2"),
    B("16 bytes: 13 prefixes", M64,
      "\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x3e\x89\x40\x10",
      "15 bytes"),
    B("16 bytes: immediate past 15", M64,
      "\x2e\x2e\x2e\x2e\x48\xc7\x84\x88\x00\x01\x00\x00\x01\x00\x00\x00",
      "15 bytes"),
    B("15 prefixes", M64,
      "\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66\x66",
      "15 bytes"),
    B("20 REX prefixes", M64,
      "\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48\x48"
      "\x48\x48\x48\x48",
      "15 bytes"),
};

TEST(mov_register_forms)
{
	CHECK(check_good(ROWS(mov_rows)) == 0);
}

TEST(modrm_sib_displacement_forms)
{
	CHECK(check_good(ROWS(modrm_rows)) == 0);
}

TEST(addressing_16_bit)
{
	CHECK(check_good(ROWS(addr16_rows)) == 0);
}

TEST(mov_immediate_forms)
{
	CHECK(check_good(ROWS(imm_rows)) == 0);
}

TEST(moffs_in_each_mode)
{
	CHECK(check_good(ROWS(moffs_rows)) == 0);
}

TEST(movzx_movsx)
{
	CHECK(check_good(ROWS(movx_rows)) == 0);
}

TEST(stos_forms)
{
	CHECK(check_good(ROWS(stos_rows)) == 0);
}

TEST(and_or_xor_test_forms)
{
	CHECK(check_good(ROWS(alu_rows)) == 0);
}

TEST(prefix_combinations)
{
	CHECK(check_good(ROWS(prefix_rows)) == 0);
}

TEST(refusals)
{
	CHECK(check_bad(ROWS(bad_rows)) == 0);
}

TEST(truncated_at_every_byte)
{
	CHECK(check_truncations(ROWS(mov_rows)) == 0);
	CHECK(check_truncations(ROWS(modrm_rows)) == 0);
	CHECK(check_truncations(ROWS(addr16_rows)) == 0);
	CHECK(check_truncations(ROWS(imm_rows)) == 0);
	CHECK(check_truncations(ROWS(moffs_rows)) == 0);
	CHECK(check_truncations(ROWS(movx_rows)) == 0);
	CHECK(check_truncations(ROWS(stos_rows)) == 0);
	CHECK(check_truncations(ROWS(alu_rows)) == 0);
	CHECK(check_truncations(ROWS(prefix_rows)) == 0);
}

TEST(error_buffer_is_optional_and_bounded)
{
	struct decoded d;
	char err[4] = "xyz";

	CHECK(decode_insn((const uint8_t *)"\x90", 1, M64, &d, NULL, 0) == -1);
	CHECK(decode_insn((const uint8_t *)"\x90", 1, M64, &d, err, 0) == -1);
	CHECK_STR(err, "xyz");
	CHECK(decode_insn((const uint8_t *)"\x90", 1, M64, &d, err,
			  sizeof(err)) == -1);
	CHECK_STR(err, "uns");
}

TEST(mode_from_guest_state)
{
	const uint64_t pe = 1, lma = 1u << 10, vm = 1u << 17;
	const uint32_t l = 1u << 13, db = 1u << 14;

	CHECK_EQ(decode_mode_of(0, 0, 0, db), M16);
	CHECK_EQ(decode_mode_of(pe, 0, vm, db), M16);
	CHECK_EQ(decode_mode_of(pe, 0, 0, 0), M16);
	CHECK_EQ(decode_mode_of(pe, 0, 0, db), M32);
	CHECK_EQ(decode_mode_of(pe, 0, 0, l | db), M32); /* L needs LMA */
	CHECK_EQ(decode_mode_of(pe, lma, 0, l), M64);
	CHECK_EQ(decode_mode_of(pe, lma, 0, db), M32); /* compatibility */
	CHECK_EQ(decode_mode_of(pe, lma, 0, 0), M16);
}

/* Emulation, against a device that records what it saw. */

#define GPA 0xfee00010ull

struct dev {
	uint64_t value; /* what reads return, garbage above size included */
	int reads, writes;
	uint64_t gpa, wval;
	unsigned rsize, wsize;
};

static uint64_t dev_read(void *ctx, uint64_t gpa, unsigned size)
{
	struct dev *v = ctx;

	v->reads++;
	v->gpa = gpa;
	v->rsize = size;
	return v->value;
}

static void dev_write(void *ctx, uint64_t gpa, uint64_t val, unsigned size)
{
	struct dev *v = ctx;

	v->writes++;
	v->gpa = gpa;
	v->wval = val;
	v->wsize = size;
}

struct cpu {
	uint64_t gpr[16];
	uint64_t rflags;
	struct dev dev;
};

static void cpu_reset(struct cpu *c)
{
	memset(c, 0, sizeof(*c));
	c->rflags = 0x2;
}

/* Decode and emulate; -2 if the bytes do not even decode. */
static int run(struct cpu *c, const uint8_t *b, size_t n, enum decode_mode mode)
{
	struct emul_mem_ops ops = {dev_read, dev_write, &c->dev};
	struct decoded d;

	if (decode_insn(b, n, mode, &d, NULL, 0))
		return -2;
	return emulate_mmio(&d, GPA, c->gpr, &c->rflags, &ops);
}

TEST(mov_store_takes_operand_size)
{
	static const struct {
		const uint8_t *b;
		size_t n;
		uint64_t val;
		unsigned size;
	} t[] = {
	    {I("\x88\x08"), 0x88, 1},
	    {I("\x66\x89\x08"), 0x7788, 2},
	    {I("\x89\x08"), 0x55667788, 4},
	    {I("\x48\x89\x08"), 0x1122334455667788, 8},
	};
	struct cpu c;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cpu_reset(&c);
		c.gpr[1] = 0x1122334455667788;
		CHECK(run(&c, t[i].b, t[i].n, M64) == 0);
		CHECK_EQ(c.dev.writes, 1);
		CHECK_EQ(c.dev.reads, 0);
		CHECK_EQ(c.dev.gpa, GPA);
		CHECK_EQ(c.dev.wval, t[i].val);
		CHECK_EQ(c.dev.wsize, t[i].size);
	}
}

TEST(mov_store_byte_registers)
{
	struct cpu c;

	cpu_reset(&c);
	c.gpr[0] = 0x1234;
	c.gpr[4] = 0x5678;
	CHECK(run(&c, I("\x88\x20"), M64) == 0); /* mov [rax],ah */
	CHECK_EQ(c.dev.wval, 0x12);
	CHECK(run(&c, I("\x40\x88\x20"), M64) == 0); /* mov [rax],spl */
	CHECK_EQ(c.dev.wval, 0x78);
	c.gpr[12] = 0x9a;
	CHECK(run(&c, I("\x44\x88\x20"), M64) == 0); /* mov [rax],r12b */
	CHECK_EQ(c.dev.wval, 0x9a);
}

TEST(mov_store_immediate)
{
	struct cpu c;

	cpu_reset(&c);
	CHECK(run(&c, I("\xc6\x00\x7f"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x7f);
	CHECK_EQ(c.dev.wsize, 1);
	CHECK(run(&c, I("\x48\xc7\x00\x00\x00\x00\x80"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0xffffffff80000000);
	CHECK_EQ(c.dev.wsize, 8);
	CHECK(run(&c, I("\x66\xc7\x00\x34\x12"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x1234);
	CHECK_EQ(c.dev.wsize, 2);
}

TEST(mov_load_zero_extends_32_merges_8_16)
{
	struct cpu c;

	cpu_reset(&c);
	c.dev.value = 0xdeadbeefcafef00d;
	c.gpr[1] = 0x1111111111111111;
	CHECK(run(&c, I("\x8a\x08"), M64) == 0); /* mov cl,[rax] */
	CHECK_EQ(c.gpr[1], 0x111111111111110d);
	CHECK_EQ(c.dev.rsize, 1);
	CHECK(run(&c, I("\x66\x8b\x08"), M64) == 0); /* mov cx,[rax] */
	CHECK_EQ(c.gpr[1], 0x111111111111f00d);
	CHECK(run(&c, I("\x8b\x08"), M64) == 0); /* mov ecx,[rax] */
	CHECK_EQ(c.gpr[1], 0xcafef00d);
	CHECK(run(&c, I("\x48\x8b\x08"), M64) == 0); /* mov rcx,[rax] */
	CHECK_EQ(c.gpr[1], 0xdeadbeefcafef00d);
	CHECK(run(&c, I("\x4c\x8b\x38"), M64) == 0); /* mov r15,[rax] */
	CHECK_EQ(c.gpr[15], 0xdeadbeefcafef00d);
	CHECK_EQ(c.dev.writes, 0);
}

TEST(mov_load_byte_registers)
{
	struct cpu c;

	cpu_reset(&c);
	c.dev.value = 0x0d;
	c.gpr[3] = 0x1111111111111111;
	c.gpr[7] = 0x2222222222222222;
	CHECK(run(&c, I("\x8a\x38"), M64) == 0); /* mov bh,[rax] */
	CHECK_EQ(c.gpr[3], 0x1111111111110d11);
	CHECK_EQ(c.gpr[7], 0x2222222222222222);
	CHECK(run(&c, I("\x40\x8a\x38"), M64) == 0); /* mov dil,[rax] */
	CHECK_EQ(c.gpr[7], 0x222222222222220d);
	CHECK_EQ(c.gpr[3], 0x1111111111110d11);
	CHECK(run(&c, I("\x8a\x20"), M32) == 0); /* mov ah,[eax] */
	CHECK_EQ(c.gpr[0], 0x0d00);
}

TEST(mov_moffs_uses_accumulator)
{
	struct cpu c;

	cpu_reset(&c);
	c.gpr[0] = 0xffffffffffffffff;
	c.dev.value = 0x123456789abcdef0;
	CHECK(run(&c, I("\xa0" MOFFS8), M64) == 0);
	CHECK_EQ(c.gpr[0], 0xfffffffffffffff0);
	CHECK(run(&c, I("\xa1" MOFFS8), M64) == 0);
	CHECK_EQ(c.gpr[0], 0x9abcdef0);
	CHECK(run(&c, I("\x48\xa3" MOFFS8), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x9abcdef0);
	CHECK_EQ(c.dev.wsize, 8);
}

TEST(movzx_zero_extends)
{
	struct cpu c;

	cpu_reset(&c);
	c.dev.value = 0xffffffffffff8080;
	c.gpr[1] = ~0ull;
	CHECK(run(&c, I("\x0f\xb6\x08"), M64) == 0); /* movzx ecx,byte */
	CHECK_EQ(c.gpr[1], 0x80);
	CHECK_EQ(c.dev.rsize, 1);
	c.gpr[1] = ~0ull;
	CHECK(run(&c, I("\x66\x0f\xb6\x08"), M64) == 0); /* movzx cx,byte */
	CHECK_EQ(c.gpr[1], 0xffffffffffff0080);
	c.gpr[1] = ~0ull;
	CHECK(run(&c, I("\x48\x0f\xb7\x08"), M64) == 0); /* movzx rcx,word */
	CHECK_EQ(c.gpr[1], 0x8080);
	CHECK_EQ(c.dev.rsize, 2);
}

TEST(movsx_sign_extends)
{
	struct cpu c;

	cpu_reset(&c);
	c.dev.value = 0x1111111111118080;
	c.gpr[1] = 0x2222222222222222;
	CHECK(run(&c, I("\x0f\xbe\x08"), M64) == 0); /* movsx ecx,byte */
	CHECK_EQ(c.gpr[1], 0xffffff80);
	CHECK(run(&c, I("\x48\x0f\xbe\x08"), M64) == 0); /* movsx rcx,byte */
	CHECK_EQ(c.gpr[1], 0xffffffffffffff80);
	c.gpr[1] = 0x2222222222222222;
	CHECK(run(&c, I("\x66\x0f\xbe\x08"), M64) == 0); /* movsx cx,byte */
	CHECK_EQ(c.gpr[1], 0x222222222222ff80);
	CHECK(run(&c, I("\x48\x0f\xbf\x08"), M64) == 0); /* movsx rcx,word */
	CHECK_EQ(c.gpr[1], 0xffffffffffff8080);
	c.dev.value = 0x7f7f;
	CHECK(run(&c, I("\x48\x0f\xbf\x08"), M64) == 0);
	CHECK_EQ(c.gpr[1], 0x7f7f);
}

#define CF (1ull << 0)
#define PF (1ull << 2)
#define AF (1ull << 4)
#define ZF (1ull << 6)
#define SF (1ull << 7)
#define DF (1ull << 10)
#define OF (1ull << 11)

TEST(and_writes_back_and_sets_flags)
{
	struct cpu c;

	cpu_reset(&c);
	c.rflags |= CF | OF | SF | AF;
	c.dev.value = 0xfff0;
	c.gpr[1] = 0x0f;
	CHECK(run(&c, I("\x20\x08"), M64) == 0); /* and [rax],cl */
	CHECK_EQ(c.dev.writes, 1);
	CHECK_EQ(c.dev.wval, 0);
	CHECK_EQ(c.dev.wsize, 1);
	/* AF is undefined after AND: left as it was. */
	CHECK_EQ(c.rflags, 0x2 | ZF | PF | AF);
	c.dev.value = 0xffffff0f;
	CHECK(run(&c, I("\x83\x20\xf0"), M64) == 0); /* and dword,-16 */
	CHECK_EQ(c.dev.wval, 0xffffff00);
	CHECK_EQ(c.rflags, 0x2 | SF | PF | AF);
}

TEST(or_xor_flags)
{
	struct cpu c;

	cpu_reset(&c);
	c.rflags |= ZF | PF;
	c.dev.value = 0x80000000;
	c.gpr[1] = 1;
	CHECK(run(&c, I("\x09\x08"), M64) == 0); /* or [rax],ecx */
	CHECK_EQ(c.dev.wval, 0x80000001);
	CHECK_EQ(c.rflags, 0x2 | SF); /* 0x01: odd parity */
	c.dev.value = 0x0f;
	CHECK(run(&c, I("\x83\x30\xff"), M64) == 0); /* xor dword,-1 */
	CHECK_EQ(c.dev.wval, 0xfffffff0);
	CHECK_EQ(c.rflags, 0x2 | SF | PF);
	c.dev.value = 0x5555555555555555;
	c.gpr[9] = 0x5555555555555555;
	CHECK(run(&c, I("\x4c\x31\x08"), M64) == 0); /* xor [rax],r9 */
	CHECK_EQ(c.dev.wval, 0);
	CHECK_EQ(c.rflags, 0x2 | ZF | PF);
	c.gpr[0] = 0x0300;
	c.dev.value = 0x01;
	CHECK(run(&c, I("\x30\x20"), M64) == 0); /* xor [rax],ah */
	CHECK_EQ(c.dev.wval, 0x02);
	CHECK_EQ(c.rflags, 0x2);
}

TEST(test_reads_only)
{
	struct cpu c;

	cpu_reset(&c);
	c.rflags |= CF | OF;
	c.dev.value = 0x7f;
	CHECK(run(&c, I("\xf6\x00\x80"), M64) == 0); /* test byte,0x80 */
	CHECK_EQ(c.dev.reads, 1);
	CHECK_EQ(c.dev.writes, 0);
	CHECK_EQ(c.rflags, 0x2 | ZF | PF);
	c.dev.value = 0xffff0000;
	c.gpr[1] = 0x80000000;
	CHECK(run(&c, I("\x85\x08"), M64) == 0); /* test [rax],ecx */
	CHECK_EQ(c.rflags, 0x2 | SF | PF);
	c.dev.value = 0x8000;
	CHECK(run(&c, I("\x66\xf7\x00\x00\x80"), M64) == 0);
	CHECK_EQ(c.rflags, 0x2 | SF | PF);
	CHECK_EQ(c.dev.writes, 0);
}

/* CMP sets the flags of the subtraction and writes nothing. */
TEST(cmp_flags)
{
	struct cpu c;

	cpu_reset(&c);
	c.dev.value = 0xffff; /* unclaimed MMIO reads all-ones */
	CHECK(run(&c, I("\x66\x81\x38\x55\xaa"), M64) == 0);
	CHECK_EQ(c.dev.writes, 0);
	/* 0xffff - 0xaa55 = 0x55aa: no borrow, no overflow */
	CHECK_EQ(c.rflags, 0x2 | PF);
	c.dev.value = 0xaa55;
	CHECK(run(&c, I("\x66\x81\x38\x55\xaa"), M64) == 0);
	CHECK_EQ(c.rflags, 0x2 | ZF | PF);
	c.dev.value = 1;
	c.gpr[1] = 2;
	CHECK(run(&c, I("\x39\x08"), M64) == 0); /* cmp [rax],ecx: 1 - 2 */
	CHECK_EQ(c.rflags, 0x2 | CF | SF | PF | AF);
	CHECK(run(&c, I("\x3b\x08"), M64) == 0); /* cmp ecx,[rax]: 2 - 1 */
	CHECK_EQ(c.rflags, 0x2);
	c.dev.value = 0x80;
	CHECK(run(&c, I("\x80\x38\x01"), M64) == 0); /* 0x80 - 1: OF */
	CHECK_EQ(c.rflags, 0x2 | OF | AF);
	CHECK_EQ(c.gpr[1], 2);
	CHECK_EQ(c.dev.writes, 0);
}

TEST(stos_steps_rdi_by_df)
{
	struct cpu c;

	cpu_reset(&c);
	c.gpr[0] = 0x1122334455667788;
	c.gpr[1] = 5;
	c.gpr[7] = 0x1000;
	CHECK(run(&c, I("\xab"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x55667788);
	CHECK_EQ(c.dev.wsize, 4);
	CHECK_EQ(c.gpr[7], 0x1004);
	CHECK_EQ(c.gpr[1], 5); /* no REP: RCX untouched */
	c.rflags |= DF;
	CHECK(run(&c, I("\x48\xab"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x1122334455667788);
	CHECK_EQ(c.gpr[7], 0xffc);
	CHECK(run(&c, I("\xaa"), M64) == 0);
	CHECK_EQ(c.dev.wval, 0x88);
	CHECK_EQ(c.gpr[7], 0xffb);
}

TEST(stos_wraps_in_address_size)
{
	struct cpu c;

	cpu_reset(&c);
	c.gpr[7] = 0xabcd00000000ffff;
	CHECK(run(&c, I("\xaa"), M16) == 0); /* DI wraps, the rest stays */
	CHECK_EQ(c.gpr[7], 0xabcd000000000000);
	c.rflags |= DF;
	CHECK(run(&c, I("\xab"), M16) == 0);
	CHECK_EQ(c.gpr[7], 0xabcd00000000fffe);
	c.rflags &= ~DF;
	c.gpr[7] = 0x1fffffffe;
	CHECK(run(&c, I("\x67\xab"), M64) == 0); /* EDI wraps, zero-extends */
	CHECK_EQ(c.gpr[7], 2);
}

TEST(rep_stos_counts_down)
{
	struct cpu c;
	int r, calls = 0;

	cpu_reset(&c);
	c.gpr[0] = 0xab;
	c.gpr[1] = 3;
	c.gpr[7] = 0x2000;
	do {
		r = run(&c, I("\xf3\xab"), M64);
		calls++;
	} while (r == 1 && calls < 10);
	CHECK_EQ(r, 0);
	CHECK_EQ(calls, 3);
	CHECK_EQ(c.dev.writes, 3);
	CHECK_EQ(c.gpr[1], 0);
	CHECK_EQ(c.gpr[7], 0x200c);
	c.rflags |= DF;
	c.gpr[1] = 2;
	CHECK(run(&c, I("\xf3\xaa"), M64) == 1);
	CHECK_EQ(c.gpr[7], 0x200b);
	CHECK_EQ(c.gpr[1], 1);
}

TEST(rep_stos_with_zero_count_does_nothing)
{
	struct cpu c;

	cpu_reset(&c);
	c.gpr[7] = 0x3000;
	CHECK(run(&c, I("\xf3\xab"), M64) == 0);
	CHECK_EQ(c.dev.writes, 0);
	CHECK_EQ(c.gpr[7], 0x3000);
	/* ECX is what counts with a 32-bit address size. */
	c.gpr[1] = 0x100000000;
	CHECK(run(&c, I("\xf3\x67\xaa"), M64) == 0);
	CHECK_EQ(c.dev.writes, 0);
	c.gpr[1] = 0x100000001;
	CHECK(run(&c, I("\xf3\x67\xaa"), M64) == 0);
	CHECK_EQ(c.dev.writes, 1);
	CHECK_EQ(c.gpr[1], 0);
	CHECK_EQ(c.gpr[7], 0x3001);
	c.gpr[1] = 0xffff0001;
	CHECK(run(&c, I("\xf3\xaa"), M16) == 0); /* CX 1 -> 0, merged */
	CHECK_EQ(c.gpr[1], 0xffff0000);
}

TEST(emulate_refuses_what_decode_cannot_make)
{
	struct emul_mem_ops ops;
	struct decoded d;
	struct cpu c;

	cpu_reset(&c);
	ops = (struct emul_mem_ops){dev_read, dev_write, &c.dev};
	CHECK(decode_insn(I("\x8b\x08"), M64, &d, NULL, 0) == 0);
	d.size = 3;
	CHECK(emulate_mmio(&d, GPA, c.gpr, &c.rflags, &ops) == -1);
	d.size = 4;
	d.reg = 16;
	CHECK(emulate_mmio(&d, GPA, c.gpr, &c.rflags, &ops) == -1);
	d.reg = -1; /* a load needs a register */
	CHECK(emulate_mmio(&d, GPA, c.gpr, &c.rflags, &ops) == -1);
	d.reg = 1;
	d.high_byte = 1;
	CHECK(emulate_mmio(&d, GPA, c.gpr, &c.rflags, &ops) == -1);
	d.high_byte = 0;
	d.op = (enum decode_op)99;
	CHECK(emulate_mmio(&d, GPA, c.gpr, &c.rflags, &ops) == -1);
	CHECK_EQ(c.dev.reads + c.dev.writes, 0);
}

int main(void)
{
	RUN(mov_register_forms);
	RUN(modrm_sib_displacement_forms);
	RUN(addressing_16_bit);
	RUN(mov_immediate_forms);
	RUN(moffs_in_each_mode);
	RUN(movzx_movsx);
	RUN(stos_forms);
	RUN(and_or_xor_test_forms);
	RUN(prefix_combinations);
	RUN(refusals);
	RUN(truncated_at_every_byte);
	RUN(error_buffer_is_optional_and_bounded);
	RUN(mode_from_guest_state);
	RUN(mov_store_takes_operand_size);
	RUN(mov_store_byte_registers);
	RUN(mov_store_immediate);
	RUN(mov_load_zero_extends_32_merges_8_16);
	RUN(mov_load_byte_registers);
	RUN(mov_moffs_uses_accumulator);
	RUN(movzx_zero_extends);
	RUN(movsx_sign_extends);
	RUN(and_writes_back_and_sets_flags);
	RUN(or_xor_flags);
	RUN(test_reads_only);
	RUN(cmp_flags);
	RUN(stos_steps_rdi_by_df);
	RUN(stos_wraps_in_address_size);
	RUN(rep_stos_counts_down);
	RUN(rep_stos_with_zero_count_does_nothing);
	RUN(emulate_refuses_what_decode_cannot_make);
	return TEST_END();
}
