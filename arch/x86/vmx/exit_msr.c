// SPDX-License-Identifier: MIT
/* RDMSR/WRMSR: an explicit allow-list; anything else raises #GP. */
#include <string.h>

#include "../../../kernel/log.h"
#include "../../../kernel/vm/irq.h"
#include "../cpu.h"
#include "exit.h"

#define MSR_TSC		    0x10
#define MSR_TSC_ADJUST	    0x3b
#define MSR_TSC_DEADLINE    0x6e0
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_BIOS_SIGN_ID    0x8b
#define MSR_SYSENTER_CS	    0x174
#define MSR_SYSENTER_ESP    0x175
#define MSR_SYSENTER_EIP    0x176
#define MSR_MISC_ENABLE	    0x1a0
#define MSR_PAT		    0x277
#define MSR_EFER	    0xc0000080
#define MSR_STAR	    0xc0000081
#define MSR_LSTAR	    0xc0000082
#define MSR_CSTAR	    0xc0000083
#define MSR_SFMASK	    0xc0000084
#define MSR_FS_BASE	    0xc0000100
#define MSR_GS_BASE	    0xc0000101
#define MSR_KERNEL_GS_BASE  0xc0000102
#define MSR_TSC_AUX	    0xc0000103

#define FC_LOCKED	  1ull /* locked, VMX off: no VT-x for guests */
#define MISC_FAST_STRINGS 1ull
#define EFER_SCE	  (1ull << 0)
#define EFER_LME	  (1ull << 8)
#define EFER_LMA	  (1ull << 10)
#define EFER_NXE	  (1ull << 11)

/*
 * Passed through: the syscall and segment-base MSRs and TSC_AUX have no
 * meaning to the hypervisor and are swapped when vCPUs share a CPU.  Bitmap
 * layout: read low, read high, write low, write high, 1 KiB each (SDM 25.6.9).
 */
static const uint32_t passthrough[] = {
    MSR_STAR,	 MSR_LSTAR,   MSR_CSTAR,	  MSR_SFMASK,
    MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE, MSR_TSC_AUX,
};

static void clear_bit(uint8_t *bitmap, uint32_t msr)
{
	uint32_t half = msr >= 0xc0000000 ? 1024 : 0, n = msr & 0x1fff;

	bitmap[half + n / 8] &= (uint8_t) ~(1u << (n % 8));
	bitmap[2048 + half + n / 8] &= (uint8_t) ~(1u << (n % 8));
}

void msr_bitmap_init(uint8_t *bitmap)
{
	memset(bitmap, 0xff, 4096);
	for (unsigned i = 0; i < sizeof(passthrough) / sizeof(passthrough[0]);
	     i++)
		clear_bit(bitmap, passthrough[i]);
}

static uint64_t tsc_offset(void)
{
	return vmread(VMCS_TSC_OFFSET);
}

/* IA32_TSC_ADJUST (SDM vol. 3B 18.17.3) is what the guest added to its TSC
 * since its start, by writing either MSR: its TSC reads host TSC -
 * tsc_zero + adjust, so the adjustment is the offset plus tsc_zero and
 * needs no state of its own. */
static uint64_t tsc_adjust(const struct vcpu *v)
{
	return tsc_offset() + v->guest->tsc_zero;
}

/* 0 and the value, or -1 for #GP. */
static int read_msr(const struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_TSC:
		*val = rdtsc() + tsc_offset();
		return 0;
	case MSR_TSC_ADJUST:
		*val = tsc_adjust(v);
		return 0;
	case MSR_FEATURE_CONTROL:
		*val = FC_LOCKED;
		return 0;
	case MSR_BIOS_SIGN_ID:
		*val = 0;
		return 0;
	case MSR_MISC_ENABLE:
		*val = MISC_FAST_STRINGS;
		return 0;
	case MSR_SYSENTER_CS:
		*val = vmread(VMCS_GUEST_SYSENTER_CS);
		return 0;
	case MSR_SYSENTER_ESP:
		*val = vmread(VMCS_GUEST_SYSENTER_ESP);
		return 0;
	case MSR_SYSENTER_EIP:
		*val = vmread(VMCS_GUEST_SYSENTER_EIP);
		return 0;
	case MSR_PAT:
		*val = vmread(VMCS_GUEST_PAT);
		return 0;
	case MSR_EFER:
		*val = vmread(VMCS_GUEST_EFER);
		return 0;
	}
	return -1;
}

/* Memory types 0, 1, 4, 5, 6, 7 are valid in each PAT byte (SDM 13.12.2). */
static int pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		unsigned t = (pat >> (8 * i)) & 0xff;
		if (t == 2 || t == 3 || t > 7)
			return 0;
	}
	return 1;
}

/* LME may only change while paging is off; LMA is the CPU's to set. */
static int write_efer(uint64_t val)
{
	uint64_t old = vmread(VMCS_GUEST_EFER);

	if (val & ~(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE))
		return -1;
	if ((val ^ old) & EFER_LME && (vmread(VMCS_CR0_SHADOW) >> 31) & 1)
		return -1;
	vmwrite(VMCS_GUEST_EFER, (val & ~EFER_LMA) | (old & EFER_LMA));
	return 0;
}

static int write_msr(const struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_TSC: /* moves TSC_ADJUST by as much (SDM 18.17.3) */
		vmwrite(VMCS_TSC_OFFSET, val - rdtsc());
		return 0;
	case MSR_TSC_ADJUST:
		vmwrite(VMCS_TSC_OFFSET, val - v->guest->tsc_zero);
		return 0;
	case MSR_BIOS_SIGN_ID: /* written before CPUID to read microcode */
	case MSR_MISC_ENABLE:
		return 0;
	case MSR_SYSENTER_CS:
		vmwrite(VMCS_GUEST_SYSENTER_CS, val);
		return 0;
	case MSR_SYSENTER_ESP:
		vmwrite(VMCS_GUEST_SYSENTER_ESP, val);
		return 0;
	case MSR_SYSENTER_EIP:
		vmwrite(VMCS_GUEST_SYSENTER_EIP, val);
		return 0;
	case MSR_PAT:
		if (!pat_valid(val))
			return -1;
		vmwrite(VMCS_GUEST_PAT, val);
		return 0;
	case MSR_EFER:
		return write_efer(val);
	}
	return -1;
}

/* A guest looping over MSRs must not flood the console: the first few
 * refusals are named, the rest only counted. */
#define REPORT_MAX 16

static void report(struct vcpu *v, const char *op, uint32_t msr)
{
	uint32_t n = ++v->guest->msr_refusals;

	if (n <= REPORT_MAX)
		guest_log(v->guest, "vCPU %u: %s of MSR 0x%x refused (#GP)%s",
			  v->id, op, msr,
			  n == REPORT_MAX ? "; further refusals not logged"
					  : "");
}

/* The local APIC's MSRs, under the guest's lock (an IPI touches other
 * vCPUs); IA32_TSC_DEADLINE is kept in host TSC ticks. */
static int lapic_msr(struct vcpu *v, uint32_t msr, int write, uint64_t *val)
{
	uint64_t offset = msr == MSR_TSC_DEADLINE ? tsc_offset() : 0;
	int r;

	if (msr == MSR_TSC_DEADLINE && write && *val)
		*val -= offset;
	guest_lock(v->guest, v->pcpu);
	r = irq_lapic_msr(v, msr, write, val);
	guest_unlock(v->guest);
	if (msr == MSR_TSC_DEADLINE && !write && *val)
		*val += offset;
	return r;
}

int exit_rdmsr(struct vcpu *v, const struct exit_ctx *x)
{
	uint32_t msr = (uint32_t)v->arch.gpr[GPR_RCX];
	uint64_t val;
	int r = irq_is_lapic_msr(msr) ? lapic_msr(v, msr, 0, &val)
				      : read_msr(v, msr, &val);

	if (r) {
		report(v, "read", msr);
		return exit_gp(v);
	}
	v->arch.gpr[GPR_RAX] = (uint32_t)val;
	v->arch.gpr[GPR_RDX] = val >> 32;
	exit_skip(v, x);
	return EXIT_RESUME;
}

int exit_wrmsr(struct vcpu *v, const struct exit_ctx *x)
{
	uint32_t msr = (uint32_t)v->arch.gpr[GPR_RCX];
	uint64_t val =
	    (v->arch.gpr[GPR_RDX] << 32) | (uint32_t)v->arch.gpr[GPR_RAX];

	if (msr == IRQ_X2APIC_EOI) {
		if (irq_x2apic_eoi(v, val)) {
			report(v, "write", msr);
			return exit_gp(v);
		}
		exit_skip(v, x);
		return EXIT_RESUME;
	}
	if (irq_is_lapic_msr(msr)) {
		if (lapic_msr(v, msr, 1, &val)) {
			report(v, "write", msr);
			return exit_gp(v);
		}
		exit_skip(v, x); /* an INIT to itself, say: it leaves */
		return vcpu_should_leave(v) ? EXIT_LEAVE : EXIT_RESUME;
	}
	if (write_msr(v, msr, val)) {
		report(v, "write", msr);
		return exit_gp(v);
	}
	exit_skip(v, x);
	return EXIT_RESUME;
}
