// SPDX-License-Identifier: MIT
/* Tests for arch/x86/vmx/qual.h: exit qualifications as the SDM encodes them.
 */
#include <stdint.h>

#include "ept.h"
#include "qual.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* CHECK_EQ naming the qualification of the table row that failed. */
#define CHECK_ROW(q, a, b)                                              \
	do {                                                            \
		if ((unsigned long long)(a) != (unsigned long long)(b)) \
			printf("    qualification 0x%llx:\n",           \
			       (unsigned long long)(q));                \
		CHECK_EQ(a, b);                                         \
	} while (0)

/*
 * I/O instructions (SDM vol. 3C, "Exit Qualification for I/O
 * Instructions"): bits 2:0 size - 1 (0, 1 or 3), bit 3 direction (1 = IN),
 * bit 4 string, bit 5 REP, bit 6 operand (1 = immediate), bits 31:16 port.
 */
static const struct {
	uint64_t q;
	unsigned size;
	int in, string, rep;
	uint16_t port;
} io_cases[] = {
    {0x00000000, 1, 0, 0, 0, 0x0000},	 /* OUT DX, AL; DX = 0 */
    {0x03f80000, 1, 0, 0, 0, 0x03f8},	 /* OUT DX, AL */
    {0x00600048, 1, 1, 0, 0, 0x0060},	 /* IN AL, 0x60 */
    {0x00800040, 1, 0, 0, 0, 0x0080},	 /* OUT 0x80, AL */
    {0x0cf80001, 2, 0, 0, 0, 0x0cf8},	 /* OUT DX, AX */
    {0x0cfc000b, 4, 1, 0, 0, 0x0cfc},	 /* IN EAX, DX */
    {0x0cfc0003, 4, 0, 0, 0, 0x0cfc},	 /* OUT DX, EAX */
    {0x03f80010, 1, 0, 1, 0, 0x03f8},	 /* OUTSB */
    {0x03f80030, 1, 0, 1, 1, 0x03f8},	 /* REP OUTSB */
    {0x01f00039, 2, 1, 1, 1, 0x01f0},	 /* REP INSW */
    {0xffff001b, 4, 1, 1, 0, 0xffff},	 /* INSD at the top port */
    {0x8000002b, 4, 1, 0, 1, 0x8000},	 /* REP prefix on IN */
    {0xffffffff00000000, 1, 0, 0, 0, 0}, /* bits 63:32 are not the port */
    {0x12340000ffff0000, 1, 0, 0, 0, 0xffff},
};

TEST(io_qualification)
{
	for (size_t i = 0; i < N(io_cases); i++) {
		struct io_qual d = io_qual_decode(io_cases[i].q);
		CHECK_ROW(io_cases[i].q, d.size, io_cases[i].size);
		CHECK_ROW(io_cases[i].q, d.in, io_cases[i].in);
		CHECK_ROW(io_cases[i].q, d.string, io_cases[i].string);
		CHECK_ROW(io_cases[i].q, d.rep, io_cases[i].rep);
		CHECK_ROW(io_cases[i].q, d.port, io_cases[i].port);
	}
}

TEST(io_every_port)
{
	for (uint32_t p = 0; p < 0x10000; p++) {
		/* IN AX, DX with every other field set around it. */
		struct io_qual d = io_qual_decode((uint64_t)p << 16 | 0x0039);
		CHECK_EQ(d.port, p);
		CHECK_EQ(d.size, 2);
		CHECK(d.in && d.string && d.rep);
	}
}

/*
 * Control-register accesses (SDM vol. 3C, "Exit Qualification for
 * Control-Register Accesses"): bits 3:0 CR number, 5:4 access type (0 MOV
 * to CR, 1 MOV from CR, 2 CLTS, 3 LMSW), bit 6 LMSW operand type, 11:8 the
 * general-purpose register (0 RAX .. 15 R15), 31:16 LMSW source data.
 */
static const struct {
	uint64_t q;
	unsigned cr;
	enum cr_access access;
	unsigned gpr;
	uint16_t lmsw;
} cr_cases[] = {
    {0x00000000, 0, CR_MOV_TO, 0, 0},	       /* MOV CR0, RAX */
    {0x00000300, 0, CR_MOV_TO, 3, 0},	       /* MOV CR0, RBX */
    {0x00000003, 3, CR_MOV_TO, 0, 0},	       /* MOV CR3, RAX */
    {0x00000113, 3, CR_MOV_FROM, 1, 0},	       /* MOV RCX, CR3 */
    {0x00000f04, 4, CR_MOV_TO, 15, 0},	       /* MOV CR4, R15 */
    {0x00000714, 4, CR_MOV_FROM, 7, 0},	       /* MOV RDI, CR4 */
    {0x00000908, 8, CR_MOV_TO, 9, 0},	       /* MOV CR8, R9 */
    {0x00000418, 8, CR_MOV_FROM, 4, 0},	       /* MOV RSP, CR8 */
    {0x00000020, 0, CR_CLTS, 0, 0},	       /* CLTS */
    {0x00010030, 0, CR_LMSW, 0, 0x0001},       /* LMSW AX, AX = 1 */
    {0xfff10070, 0, CR_LMSW, 0, 0xfff1},       /* LMSW [mem] */
    {0x800e0030, 0, CR_LMSW, 0, 0x800e},       /* LMSW: bits 15:0 only */
    {0xffffffff00000d03, 3, CR_MOV_TO, 13, 0}, /* reserved bits ignored */
};

TEST(cr_qualification)
{
	for (size_t i = 0; i < N(cr_cases); i++) {
		struct cr_qual d = cr_qual_decode(cr_cases[i].q);
		CHECK_ROW(cr_cases[i].q, d.cr, cr_cases[i].cr);
		CHECK_ROW(cr_cases[i].q, d.access, cr_cases[i].access);
		CHECK_ROW(cr_cases[i].q, d.gpr, cr_cases[i].gpr);
		CHECK_ROW(cr_cases[i].q, d.lmsw_source, cr_cases[i].lmsw);
	}
}

TEST(cr_access_encodings)
{
	/* The enum is the SDM's encoding of bits 5:4. */
	CHECK_EQ(CR_MOV_TO, 0);
	CHECK_EQ(CR_MOV_FROM, 1);
	CHECK_EQ(CR_CLTS, 2);
	CHECK_EQ(CR_LMSW, 3);
	for (unsigned gpr = 0; gpr < 16; gpr++)
		for (unsigned type = 0; type < 4; type++) {
			struct cr_qual d =
			    cr_qual_decode(gpr << 8 | type << 4 | 4);
			CHECK_EQ(d.gpr, gpr);
			CHECK_EQ(d.access, type);
			CHECK_EQ(d.cr, 4);
		}
}

/*
 * EPT violations (SDM vol. 3C, "Exit Qualification for EPT Violations"):
 * bit 0 data read, 1 data write, 2 instruction fetch; bits 3-5 whether the
 * translation was readable, writable, executable; bit 6 user-mode
 * executable; bit 7 guest linear-address field valid; bit 8 the access was
 * to the translated address (not a paging structure); bit 12 NMI
 * unblocking due to IRET.
 */
static const struct {
	uint64_t q;
	int read, write, fetch;
	unsigned allowed;
	int linear;
	const char *access;
} ept_cases[] = {
    {0x181, 1, 0, 0, 0, 1, "read"},	 /* read, unmapped */
    {0x001, 1, 0, 0, 0, 0, "read"},	 /* no linear address */
    {0x18a, 0, 1, 0, EPT_R, 1, "write"}, /* write, read-only */
    {0x083, 1, 1, 0, 0, 1, "write"},	 /* locked RMW */
    {0x19c, 0, 0, 1, EPT_R | EPT_W, 1, "instruction fetch"}, /* NX page */
    {0x184, 0, 0, 1, 0, 1, "instruction fetch"},
    {0x1a2, 0, 1, 0, EPT_X, 1, "write"}, /* execute-only */
    {0x1b1, 1, 0, 0, EPT_W | EPT_X, 1, "read"},
    {0x0f9, 1, 0, 0, EPT_R | EPT_W | EPT_X, 1, "read"}, /* bit 6 is not X */
    {0x1042, 0, 1, 0, 0, 0, "write"},			/* NMI unblocking */
    {0x107, 1, 1, 1, 0, 0, "instruction fetch"},	/* fetch wins */
    {0x106, 0, 1, 1, 0, 0, "instruction fetch"},
    {0xffffffffffff0e00, 0, 0, 0, 0, 0, "read"}, /* none of the fields */
};

TEST(ept_qualification)
{
	for (size_t i = 0; i < N(ept_cases); i++) {
		struct ept_qual d = ept_qual_decode(ept_cases[i].q);
		CHECK_ROW(ept_cases[i].q, d.read, ept_cases[i].read);
		CHECK_ROW(ept_cases[i].q, d.write, ept_cases[i].write);
		CHECK_ROW(ept_cases[i].q, d.fetch, ept_cases[i].fetch);
		CHECK_ROW(ept_cases[i].q, d.allowed, ept_cases[i].allowed);
		CHECK_ROW(ept_cases[i].q, d.linear_valid, ept_cases[i].linear);
		if (strcmp(ept_qual_access(d), ept_cases[i].access))
			printf("    qualification 0x%llx:\n",
			       (unsigned long long)ept_cases[i].q);
		CHECK_STR(ept_qual_access(d), ept_cases[i].access);
	}
}

TEST(ept_allowed_bits)
{
	/* Bits 3, 4 and 5 are EPT_R, EPT_W and EPT_X, one by one. */
	CHECK_EQ(ept_qual_decode(1u << 3).allowed, EPT_R);
	CHECK_EQ(ept_qual_decode(1u << 4).allowed, EPT_W);
	CHECK_EQ(ept_qual_decode(1u << 5).allowed, EPT_X);
	CHECK_EQ(ept_qual_decode(1u << 6).allowed, 0);
	CHECK_EQ(ept_qual_decode(1u << 2).allowed, 0);
	CHECK_EQ(ept_qual_decode(1u << 7).linear_valid, 1);
	CHECK_EQ(ept_qual_decode(1u << 8).linear_valid, 0);
	CHECK_EQ(ept_qual_decode(1u << 6).linear_valid, 0);
}

/* IDT-vectoring information as the next entry must re-deliver it. */
TEST(reinjection)
{
	/* Nothing was being delivered: nothing to re-inject. */
	struct reinjection r = reinjection_of(0x0000030e, 4);
	CHECK_EQ(r.info, 0);
	/* A #PF (hardware exception, error code) that hit an exit: as is,
	 * with its error code, bit 12 (NMI unblocking) cleared. */
	r = reinjection_of(0x80001b0e, 0x2);
	CHECK_EQ(r.info, 0x80000b0e);
	CHECK_EQ(r.error, 0x2);
	CHECK_EQ(r.with_length, 0);
	/* External interrupt vector 0x20: no length. */
	r = reinjection_of(0x80000020, 0);
	CHECK_EQ(r.info, 0x80000020);
	CHECK_EQ(r.with_length, 0);
	/* INT n (software interrupt), INT1 (privileged software exception)
	 * and INT3 (software exception) re-execute with their length. */
	CHECK_EQ(reinjection_of(0x80000480, 0).with_length, 1);
	CHECK_EQ(reinjection_of(0x80000501, 0).with_length, 1);
	CHECK_EQ(reinjection_of(0x80000603, 0).with_length, 1);
	/* NMI: no length. */
	CHECK_EQ(reinjection_of(0x80000202, 0).with_length, 0);
}

int main(void)
{
	RUN(io_qualification);
	RUN(io_every_port);
	RUN(cr_qualification);
	RUN(cr_access_encodings);
	RUN(ept_qualification);
	RUN(ept_allowed_bits);
	RUN(reinjection);
	return TEST_END();
}
