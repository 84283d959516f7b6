// SPDX-License-Identifier: MIT
/* x86 decoding and emulation of the memory accesses guests make to MMIO. */
#include "decode.h"

#include "../../../kernel/lib/fmt.h"

#include <string.h>

/* The architectural limit: longer encodings raise #GP (SDM vol. 2A, 2.3.11). */
#define INSN_MAX 15

/* REX prefix bits (SDM vol. 2A, 2.2.1.2, table 2-4). */
#define REX_W 0x8
#define REX_R 0x4

/* ModRM byte fields (SDM vol. 2A, 2.1.5, figure 2-1). */
#define MODRM_MOD(m) ((m) >> 6)
#define MODRM_REG(m) (((m) >> 3) & 7)
#define MODRM_RM(m)  ((m)&7)

/* RFLAGS bits (SDM vol. 1, 3.4.3, figure 3-8). */
#define RFLAGS_CF (1ull << 0)
#define RFLAGS_PF (1ull << 2)
#define RFLAGS_AF (1ull << 4)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_SF (1ull << 7)
#define RFLAGS_DF (1ull << 10)
#define RFLAGS_OF (1ull << 11)
#define RFLAGS_VM (1ull << 17)

#define CR0_PE	 (1ull << 0)
#define EFER_LMA (1ull << 10)
#define CS_AR_L	 (1u << 13)
#define CS_AR_DB (1u << 14)

enum decode_mode decode_mode_of(uint64_t cr0, uint64_t efer, uint64_t rflags,
				uint32_t cs_ar)
{
	if (!(cr0 & CR0_PE) || (rflags & RFLAGS_VM))
		return DECODE_16;
	if ((efer & EFER_LMA) && (cs_ar & CS_AR_L))
		return DECODE_64;
	return (cs_ar & CS_AR_DB) ? DECODE_32 : DECODE_16;
}

/* Where decoding stands: bytes left and, once it fails, why. */
struct cursor {
	const uint8_t *b;
	size_t n;
	size_t pos;
	const char *why;
};

/* What the prefixes asked for; rex is 0 when there is none in effect. */
struct prefixes {
	int opsize, adsize, rep, repne, lock;
	uint8_t rex;
};

static int fail(struct cursor *c, const char *why)
{
	if (!c->why)
		c->why = why;
	return -1;
}

/* Running out at the 15-byte limit means an invalid instruction; running
 * out before it means the caller did not have the rest. */
static int need(struct cursor *c, size_t k)
{
	if (k <= c->n - c->pos)
		return 0;
	if (c->n == INSN_MAX)
		return fail(c, "longer than 15 bytes");
	return fail(c, "truncated");
}

static int take(struct cursor *c, uint8_t *v)
{
	if (need(c, 1))
		return -1;
	*v = c->b[c->pos++];
	return 0;
}

static int skip(struct cursor *c, size_t k)
{
	if (need(c, k))
		return -1;
	c->pos += k;
	return 0;
}

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
	uint64_t sign = 1ull << (size * 8 - 1);

	v &= size_mask(size);
	return (v ^ sign) - sign;
}

/* Little-endian immediate of k bytes, as the operation of size sees it. */
static int take_imm(struct cursor *c, unsigned k, unsigned size, uint64_t *v)
{
	uint64_t x = 0;
	unsigned i;

	if (need(c, k))
		return -1;
	for (i = 0; i < k; i++)
		x |= (uint64_t)c->b[c->pos++] << (8 * i);
	*v = sign_extend(x, k) & size_mask(size);
	return 0;
}

/* Legacy prefixes (SDM vol. 2A, 2.1.1); 0 if b is not one. */
static int legacy_prefix(struct prefixes *p, uint8_t b)
{
	switch (b) {
	case 0x66:
		p->opsize = 1;
		return 1;
	case 0x67:
		p->adsize = 1;
		return 1;
	case 0xf3:
		p->rep = 1;
		return 1;
	case 0xf2:
		p->repne = 1;
		return 1;
	case 0xf0:
		p->lock = 1;
		return 1;
	case 0x26: /* segments: EPT already says where the access went */
	case 0x2e:
	case 0x36:
	case 0x3e:
	case 0x64:
	case 0x65:
		return 1;
	}
	return 0;
}

/* Consume the prefixes; *opc gets the first opcode byte. */
static int prefixes(struct cursor *c, enum decode_mode mode, struct prefixes *p,
		    uint8_t *opc)
{
	uint8_t b;

	for (;;) {
		if (take(c, &b))
			return -1;
		if (mode == DECODE_64 && (b & 0xf0) == 0x40) {
			p->rex = b;
			continue;
		}
		if (!legacy_prefix(p, b))
			break;
		/* REX counts only right before the opcode (SDM vol. 2A,
		 * 2.2.1): one followed by a legacy prefix is ignored. */
		p->rex = 0;
	}
	*opc = b;
	return 0;
}

static unsigned operand_size(enum decode_mode mode, const struct prefixes *p)
{
	if (p->rex & REX_W)
		return 8;
	if (mode == DECODE_16)
		return p->opsize ? 4 : 2;
	return p->opsize ? 2 : 4;
}

static unsigned address_size(enum decode_mode mode, const struct prefixes *p)
{
	if (mode == DECODE_64)
		return p->adsize ? 4 : 8;
	if (mode == DECODE_32)
		return p->adsize ? 2 : 4;
	return p->adsize ? 4 : 2;
}

/* Displacement bytes for 16-bit addressing (SDM vol. 2A, table 2-1):
 * mod 0 with rm 6 is a bare disp16 instead of [bp]. */
static size_t disp16_len(uint8_t m)
{
	if (MODRM_MOD(m) == 1)
		return 1;
	if (MODRM_MOD(m) == 2 || MODRM_RM(m) == 6)
		return 2;
	return 0;
}

/* ModRM, SIB and displacement, only to learn their length: the address
 * itself comes with the EPT violation.  32/64-bit forms: SDM vol. 2A,
 * tables 2-2 and 2-3; mod 0 rm 5 is disp32, RIP-relative in 64-bit mode. */
static int modrm(struct cursor *c, unsigned asize, uint8_t *m)
{
	uint8_t sib;

	if (take(c, m))
		return -1;
	if (MODRM_MOD(*m) == 3)
		return fail(c, "register operand, not a memory access");
	if (asize == 2)
		return skip(c, disp16_len(*m));
	if (MODRM_RM(*m) == 4) {
		if (take(c, &sib))
			return -1;
		if (MODRM_MOD(*m) == 0 && (sib & 7) == 5)
			return skip(c, 4);
	}
	if (MODRM_MOD(*m) == 1)
		return skip(c, 1);
	if (MODRM_MOD(*m) == 2 || MODRM_RM(*m) == 5)
		return skip(c, 4);
	return 0;
}

/* The register named by ModRM.reg; without REX, byte registers 4..7 are
 * the high bytes of the first four. */
static void modrm_reg(struct decoded *d, const struct prefixes *p, uint8_t m)
{
	d->reg = MODRM_REG(m) | ((p->rex & REX_R) ? 8 : 0);
	d->high_byte = d->size == 1 && !p->rex && d->reg >= 4;
}

/* Opcodes with a register operand in ModRM.reg; even ones are byte-sized. */
static int reg_form(uint8_t opc, enum decode_op *op)
{
	switch (opc & 0xfe) {
	case 0x88:
		*op = OP_MOV_TO_MEM;
		return 1;
	case 0x8a:
		*op = OP_MOV_FROM_MEM;
		return 1;
	case 0x20:
		*op = OP_AND;
		return 1;
	case 0x08:
		*op = OP_OR;
		return 1;
	case 0x30:
		*op = OP_XOR;
		return 1;
	case 0x84:
		*op = OP_TEST;
		return 1;
	case 0x38:
		*op = OP_CMP;
		return 1;
	case 0x3a:
		*op = OP_CMP_REV;
		return 1;
	}
	return 0;
}

/* Immediate groups: the operation is in ModRM.reg (SDM vol. 2A, table
 * A-6); only the MOV, OR, AND, XOR, CMP and TEST members are taken.  opc
 * is C6, C7, F6, F7, 80, 81 or 83. */
static int group_op(uint8_t opc, uint8_t ext, enum decode_op *op)
{
	if ((opc & 0xfe) == 0xc6 || (opc & 0xfe) == 0xf6) {
		*op = opc < 0xf6 ? OP_MOV_TO_MEM : OP_TEST;
		return ext == 0;
	}
	switch (ext) {
	case 1:
		*op = OP_OR;
		return 1;
	case 4:
		*op = OP_AND;
		return 1;
	case 6:
		*op = OP_XOR;
		return 1;
	case 7:
		*op = OP_CMP;
		return 1;
	}
	return 0;
}

static int decode_group(struct cursor *c, uint8_t opc, unsigned osize,
			struct decoded *d)
{
	unsigned imm_len;
	uint8_t m;

	if (modrm(c, d->addr_size, &m))
		return -1;
	if (!group_op(opc, MODRM_REG(m), &d->op))
		return fail(c, "unsupported opcode extension");
	d->size = (opc & 1) ? osize : 1;
	d->reg = -1;
	imm_len = (opc & 1) && opc != 0x83 ? (d->size > 4 ? 4 : d->size) : 1;
	return take_imm(c, imm_len, d->size, &d->imm);
}

/* MOV between the accumulator and a bare address (moffs) of address size. */
static int decode_moffs(struct cursor *c, uint8_t opc, unsigned osize,
			struct decoded *d)
{
	d->op = opc < 0xa2 ? OP_MOV_FROM_MEM : OP_MOV_TO_MEM;
	d->size = (opc & 1) ? osize : 1;
	d->reg = 0;
	return skip(c, d->addr_size);
}

static int decode_0f(struct cursor *c, const struct prefixes *p, unsigned osize,
		     struct decoded *d)
{
	uint8_t opc, m;

	if (take(c, &opc))
		return -1;
	if ((opc & 0xf6) != 0xb6) /* MOVZX B6 B7, MOVSX BE BF */
		return fail(c, "unsupported 0F opcode");
	d->op = (opc & 8) ? OP_MOVSX : OP_MOVZX;
	d->size = (opc & 1) ? 2 : 1;
	if (modrm(c, d->addr_size, &m))
		return -1;
	d->dst_size = osize;
	d->reg = MODRM_REG(m) | ((p->rex & REX_R) ? 8 : 0);
	return 0;
}

static int decode_opcode(struct cursor *c, const struct prefixes *p,
			 enum decode_mode mode, uint8_t opc, struct decoded *d)
{
	unsigned osize = operand_size(mode, p);
	uint8_t m;

	if (opc == 0x0f)
		return decode_0f(c, p, osize, d);
	if (reg_form(opc, &d->op)) {
		d->size = (opc & 1) ? osize : 1;
		if (modrm(c, d->addr_size, &m))
			return -1;
		modrm_reg(d, p, m);
		return 0;
	}
	if ((opc & 0xfc) == 0xa0)
		return decode_moffs(c, opc, osize, d);
	if ((opc & 0xfe) == 0xaa) {
		d->op = OP_STOS;
		d->size = (opc & 1) ? osize : 1;
		d->rep = p->rep;
		return 0;
	}
	if ((opc & 0xfe) == 0xc6 || (opc & 0xfe) == 0xf6 ||
	    (opc & 0xfc) == 0x80)
		return opc == 0x82 ? fail(c, "unsupported opcode")
				   : decode_group(c, opc, osize, d);
	return fail(c, "unsupported opcode");
}

/* Prefixes that are legal but mean something this emulation lacks, or
 * that would make the CPU raise #UD. */
static int check_prefixes(struct cursor *c, const struct prefixes *p,
			  enum decode_op op)
{
	if (p->repne)
		return fail(c, "F2 prefix not supported");
	if (p->rep && op != OP_STOS)
		return fail(c, "REP prefix on a non-string instruction");
	if (p->lock && op != OP_AND && op != OP_OR && op != OP_XOR)
		return fail(
		    c, "LOCK prefix on an instruction that cannot take it");
	return 0;
}

static void copy_err(char *err, size_t err_size, const char *why)
{
	fmt_snprintf(err, err_size, "%s", why);
}

int decode_insn(const uint8_t *bytes, size_t n, enum decode_mode mode,
		struct decoded *d, char *err, size_t err_size)
{
	struct cursor c = {bytes, n > INSN_MAX ? INSN_MAX : n, 0, NULL};
	struct prefixes p = {0};
	uint8_t opc;

	memset(d, 0, sizeof(*d));
	if (prefixes(&c, mode, &p, &opc) == 0) {
		d->addr_size = address_size(mode, &p);
		if (decode_opcode(&c, &p, mode, opc, d) == 0 &&
		    check_prefixes(&c, &p, d->op) == 0) {
			d->len = (unsigned)c.pos;
			if (!d->dst_size)
				d->dst_size = d->size;
			return 0;
		}
	}
	copy_err(err, err_size, c.why);
	return -1;
}

/* Emulation. */

/* The registers STOS implies, by encoding. */
#define GPR_AX 0
#define GPR_CX 1
#define GPR_DI 7

static uint64_t reg_get(const uint64_t gpr[16], int reg, unsigned size,
			int high_byte)
{
	if (high_byte)
		return (gpr[reg - 4] >> 8) & 0xff;
	return gpr[reg] & size_mask(size);
}

/* Store as a MOV to the register would (SDM vol. 1, 3.4.1.1). */
static void reg_put(uint64_t gpr[16], int reg, unsigned size, int high_byte,
		    uint64_t v)
{
	if (high_byte) {
		gpr[reg - 4] = (gpr[reg - 4] & ~0xff00ull) | ((v & 0xff) << 8);
		return;
	}
	if (size >= 4)
		gpr[reg] = v & size_mask(size);
	else
		gpr[reg] =
		    (gpr[reg] & ~size_mask(size)) | (v & size_mask(size));
}

/* The value an instruction stores or combines: its register or immediate. */
static uint64_t source(const struct decoded *d, const uint64_t gpr[16])
{
	if (d->reg < 0)
		return d->imm & size_mask(d->size);
	return reg_get(gpr, d->reg, d->size, d->high_byte);
}

static uint64_t mem_read(const struct emul_mem_ops *ops, uint64_t gpa,
			 unsigned size)
{
	return ops->read(ops->ctx, gpa, size) & size_mask(size);
}

static int even_parity(uint64_t v)
{
	unsigned x = (unsigned)(v & 0xff);

	x ^= x >> 4;
	x ^= x >> 2;
	x ^= x >> 1;
	return !(x & 1);
}

static void logic_flags(uint64_t *rflags, uint64_t r, unsigned size)
{
	uint64_t f = *rflags & ~(RFLAGS_CF | RFLAGS_OF | RFLAGS_SF | RFLAGS_ZF |
				 RFLAGS_PF);

	if (r == 0)
		f |= RFLAGS_ZF;
	if (r >> (size * 8 - 1) & 1)
		f |= RFLAGS_SF;
	if (even_parity(r))
		f |= RFLAGS_PF;
	*rflags = f;
}

static int emulate_logic(const struct decoded *d, uint64_t gpa,
			 const uint64_t gpr[16], uint64_t *rflags,
			 const struct emul_mem_ops *ops)
{
	uint64_t src = source(d, gpr);
	uint64_t m = mem_read(ops, gpa, d->size);
	uint64_t r;

	if (d->op == OP_OR)
		r = m | src;
	else if (d->op == OP_XOR)
		r = m ^ src;
	else
		r = m & src;
	if (d->op != OP_TEST)
		ops->write(ops->ctx, gpa, r, d->size);
	logic_flags(rflags, r, d->size);
	return 0;
}

/* CMP: the flags of a - b, as SUB sets them (SDM vol. 2A, CMP), nothing
 * written. */
static void emulate_cmp(const struct decoded *d, uint64_t gpa,
			const uint64_t gpr[16], uint64_t *rflags,
			const struct emul_mem_ops *ops)
{
	uint64_t m = mem_read(ops, gpa, d->size), s = source(d, gpr);
	uint64_t a = d->op == OP_CMP ? m : s, b = d->op == OP_CMP ? s : m;
	uint64_t r = (a - b) & size_mask(d->size);
	unsigned top = d->size * 8 - 1;

	logic_flags(rflags, r, d->size);
	*rflags &= ~RFLAGS_AF;
	if (a < b)
		*rflags |= RFLAGS_CF;
	if (((a ^ b) & (a ^ r)) >> top & 1)
		*rflags |= RFLAGS_OF;
	if ((a ^ b ^ r) & 0x10)
		*rflags |= RFLAGS_AF;
}

static int emulate_stos(const struct decoded *d, uint64_t gpa, uint64_t gpr[16],
			const uint64_t *rflags, const struct emul_mem_ops *ops)
{
	uint64_t amask = size_mask(d->addr_size);
	uint64_t step = (*rflags & RFLAGS_DF) ? 0 - (uint64_t)d->size : d->size;

	if (d->rep && !(gpr[GPR_CX] & amask))
		return 0;
	ops->write(ops->ctx, gpa, gpr[GPR_AX] & size_mask(d->size), d->size);
	/* RDI and RCX are address-sized: EDI/ECX zero-extend, DI/CX merge. */
	reg_put(gpr, GPR_DI, d->addr_size, 0, gpr[GPR_DI] + step);
	if (!d->rep)
		return 0;
	reg_put(gpr, GPR_CX, d->addr_size, 0, gpr[GPR_CX] - 1);
	return (gpr[GPR_CX] & amask) != 0;
}

static int size_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

/* Reject what decode_insn cannot produce before anything is touched. */
static int decoded_ok(const struct decoded *d)
{
	int imm_ok = d->op == OP_MOV_TO_MEM || d->op == OP_AND ||
		     d->op == OP_OR || d->op == OP_XOR || d->op == OP_TEST ||
		     d->op == OP_CMP;

	if (!size_ok(d->size) || !size_ok(d->dst_size) ||
	    !size_ok(d->addr_size))
		return 0;
	if (d->reg < (imm_ok ? -1 : 0) || d->reg > 15)
		return 0;
	return !d->high_byte || (d->size == 1 && d->reg >= 4 && d->reg <= 7);
}

int emulate_mmio(const struct decoded *d, uint64_t gpa, uint64_t gpr[16],
		 uint64_t *rflags, const struct emul_mem_ops *ops)
{
	if (!decoded_ok(d))
		return -1;
	switch (d->op) {
	case OP_MOV_TO_MEM:
		ops->write(ops->ctx, gpa, source(d, gpr), d->size);
		return 0;
	case OP_MOV_FROM_MEM:
		reg_put(gpr, d->reg, d->size, d->high_byte,
			mem_read(ops, gpa, d->size));
		return 0;
	case OP_MOVZX:
		reg_put(gpr, d->reg, d->dst_size, 0,
			mem_read(ops, gpa, d->size));
		return 0;
	case OP_MOVSX:
		reg_put(gpr, d->reg, d->dst_size, 0,
			sign_extend(mem_read(ops, gpa, d->size), d->size));
		return 0;
	case OP_AND:
	case OP_OR:
	case OP_XOR:
	case OP_TEST:
		return emulate_logic(d, gpa, gpr, rflags, ops);
	case OP_CMP:
	case OP_CMP_REV:
		emulate_cmp(d, gpa, gpr, rflags, ops);
		return 0;
	case OP_STOS:
		return emulate_stos(d, gpa, gpr, rflags, ops);
	}
	return -1;
}
