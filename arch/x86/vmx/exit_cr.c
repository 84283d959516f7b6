// SPDX-License-Identifier: MIT
/* Control-register exits: the CR0 and CR4 bits the hypervisor owns. */
#include "../cpu.h"
#include "exit.h"
#include "qual.h"

#define CR0_PE	 (1ull << 0)
#define CR0_TS	 (1ull << 3)
#define CR0_NW	 (1ull << 29)
#define CR0_CD	 (1ull << 30)
#define CR0_PG	 (1ull << 31)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

static uint64_t get_gpr(struct vcpu *v, unsigned n)
{
	return n == GPR_RSP ? vmread(VMCS_GUEST_RSP) : v->arch.gpr[n];
}

static void set_gpr(struct vcpu *v, unsigned n, uint64_t val)
{
	if (n == GPR_RSP)
		vmwrite(VMCS_GUEST_RSP, val);
	else
		v->arch.gpr[n] = val;
}

/* Paging switched on with EFER.LME set enters IA-32e mode; switched off,
 * leaves it: mirror that in EFER.LMA and the entry control (SDM 10.8.5). */
/* CR4 as the guest sees it: the bits the hypervisor owns (the mask) from
 * the read shadow, the others from CR4 itself, which the guest writes
 * without an exit. */
uint64_t exit_guest_cr4(void)
{
	uint64_t owned = vmread(VMCS_CR4_MASK);

	return (vmread(VMCS_GUEST_CR4) & ~owned) |
	       (vmread(VMCS_CR4_SHADOW) & owned);
}

static int set_cr0(uint64_t val)
{
	uint64_t old = vmread(VMCS_CR0_SHADOW);
	uint64_t efer = vmread(VMCS_GUEST_EFER);
	uint64_t entry = vmread(VMCS_ENTRY_CTLS);

	if (val >> 32 || ((val & CR0_PG) && !(val & CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)))
		return -1;
	if ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME)) {
		if (!(exit_guest_cr4() & CR4_PAE))
			return -1;
		efer |= EFER_LMA;
		entry |= ENTRY_IA32E;
	} else if (!(val & CR0_PG) && (old & CR0_PG)) {
		efer &= ~EFER_LMA;
		entry &= ~(uint64_t)ENTRY_IA32E;
	}
	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CTLS, entry);
	vmwrite(VMCS_CR0_SHADOW, val);
	vmwrite(VMCS_GUEST_CR0, vmx_cr0_real(val));
	return 0;
}

/* CR4.VMXE is refused: VT-x is not offered to guests (CPUID hides it). */
static int set_cr4(uint64_t val)
{
	uint64_t allowed = vmx.cr4_fixed1 & ~CR4_VMXE;

	if (val & ~allowed)
		return -1;
	if ((vmread(VMCS_GUEST_EFER) & EFER_LMA) && !(val & CR4_PAE))
		return -1;
	vmwrite(VMCS_CR4_SHADOW, val);
	vmwrite(VMCS_GUEST_CR4, (val | vmx.cr4_fixed0) & vmx.cr4_fixed1);
	return 0;
}

static int mov_to(unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0:
		return set_cr0(val);
	case 3: /* only where the CPU forces CR3 exiting */
		vmwrite(VMCS_GUEST_CR3, val);
		return 0;
	case 4:
		return set_cr4(val);
	case 8: /* no TPR is emulated yet: accept and ignore */
		return 0;
	}
	return -1;
}

int exit_cr(struct vcpu *v, const struct exit_ctx *x)
{
	struct cr_qual q = cr_qual_decode(exit_qual());
	unsigned cr = q.cr, gpr = q.gpr;
	int bad = 0;

	switch (q.access) {
	case CR_MOV_TO:
		bad = mov_to(cr, get_gpr(v, gpr));
		break;
	case CR_MOV_FROM:
		set_gpr(v, gpr, cr == 3 ? vmread(VMCS_GUEST_CR3) : 0);
		break;
	case CR_CLTS:
		bad = set_cr0(vmread(VMCS_CR0_SHADOW) & ~CR0_TS);
		break;
	case CR_LMSW: { /* sets PE, never clears it; bits 3:0 only */
		uint64_t old = vmread(VMCS_CR0_SHADOW);
		bad = set_cr0((old & ~0xeull) | (q.lmsw_source & 0xf) |
			      (old & CR0_PE));
		break;
	}
	}
	if (bad)
		return exit_gp(v);
	exit_skip(v, x);
	return EXIT_RESUME;
}
