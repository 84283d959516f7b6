/* SPDX-License-Identifier: MIT */
/* Exit qualifications decoded: pure, so the host tests check them. */
#ifndef VMX_QUAL_H
#define VMX_QUAL_H

#include <stdint.h>

/* I/O instructions (Intel SDM vol. 3C, table 28-5). */
struct io_qual {
	unsigned size; /* 1, 2 or 4 bytes (encodings 0, 1, 3) */
	int in;	       /* IN/INS: port to register */
	int string;    /* INS/OUTS */
	int rep;
	uint16_t port;
};

static inline struct io_qual io_qual_decode(uint64_t q)
{
	return (struct io_qual){
	    .size = (unsigned)(q & 7) + 1,
	    .in = (int)((q >> 3) & 1),
	    .string = (int)((q >> 4) & 1),
	    .rep = (int)((q >> 5) & 1),
	    .port = (uint16_t)(q >> 16),
	};
}

/* Control-register accesses (SDM table 28-3). */
enum cr_access { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

struct cr_qual {
	unsigned cr; /* 0, 3, 4 or 8 */
	enum cr_access access;
	unsigned gpr;	      /* by encoding, 0 = RAX .. 15 = R15 */
	uint16_t lmsw_source; /* LMSW operand */
};

static inline struct cr_qual cr_qual_decode(uint64_t q)
{
	return (struct cr_qual){
	    .cr = (unsigned)(q & 15),
	    .access = (enum cr_access)((q >> 4) & 3),
	    .gpr = (unsigned)((q >> 8) & 15),
	    .lmsw_source = (uint16_t)(q >> 16),
	};
}

/* EPT violations (SDM table 28-7): what the access tried, what the
 * mapping allowed. */
struct ept_qual {
	int read, write, fetch;
	unsigned allowed; /* EPT_R | EPT_W | EPT_X of the translation */
	int linear_valid; /* a guest linear address caused it */
};

static inline struct ept_qual ept_qual_decode(uint64_t q)
{
	return (struct ept_qual){
	    .read = (int)(q & 1),
	    .write = (int)((q >> 1) & 1),
	    .fetch = (int)((q >> 2) & 1),
	    .allowed = (unsigned)((q >> 3) & 7),
	    .linear_valid = (int)((q >> 7) & 1),
	};
}

/* The access as a word for reports. */
static inline const char *ept_qual_access(struct ept_qual e)
{
	return e.fetch ? "instruction fetch" : e.write ? "write" : "read";
}

/* An event whose delivery an exit interrupted, as the next VM entry must
 * deliver it again (SDM 28.2.4 and 27.6.1.1): the IDT-vectoring fields
 * become the entry's interruption fields, bit 12 (undefined there) clear,
 * and software events carry their instruction length. */
struct reinjection {
	uint32_t info; /* 0: nothing to deliver */
	uint32_t error;
	int with_length; /* copy the exit's instruction length */
};

static inline struct reinjection reinjection_of(uint32_t vectoring,
						uint32_t error)
{
	uint32_t type = vectoring & (7u << 8);

	if (!(vectoring >> 31))
		return (struct reinjection){0, 0, 0};
	return (struct reinjection){vectoring & ~(1u << 12), error,
				    type == (4u << 8) || type == (5u << 8) ||
					type == (6u << 8)};
}

#endif
