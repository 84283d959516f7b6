// SPDX-License-Identifier: MIT
/* One VMCS per vCPU: controls, host state and the guest's start state. */
#include <string.h>

#include "../../../kernel/arch.h"
#include "../../../kernel/log.h"
#include "../../../kernel/mm/frame.h"
#include "../../../kernel/vm/guest.h"
#include "../cpu.h"
#include "../gdt.h"
#include "exit.h"

#define CR0_PE	    (1ull << 0)
#define CR0_ET	    (1ull << 4)
#define CR0_NE	    (1ull << 5)
#define CR0_PG	    (1ull << 31)
#define EFER_LME    (1ull << 8)
#define EFER_LMA    (1ull << 10)
#define MSR_PAT	    0x277
#define PAT_DEFAULT 0x0007040600070406ull /* the reset value (SDM 13.12.4) */
#define AR_UNUSABLE 0x10000u
#define AR_CODE64   0xa09bu /* G, L, P, S, execute/read, accessed */
#define AR_CODE32   0xc09bu /* G, D, P, S, execute/read, accessed */
#define AR_DATA32   0xc093u /* G, D/B, P, S, read/write, accessed */
#define AR_CODE16   0x009bu
#define AR_DATA16   0x0093u
#define AR_TSS_BUSY 0x008bu

/* CR0 bits the hypervisor watches: PE and PG because paging on with
 * EFER.LME set switches to IA-32e mode, which software must mirror in
 * EFER.LMA and the entry controls; NE because VMX fixes it to 1. */
#define CR0_OWNED (CR0_PE | CR0_PG | CR0_NE)

uint64_t vmx_cr0_real(uint64_t guest_cr0)
{
	return (guest_cr0 | (vmx.cr0_fixed0 & ~(CR0_PE | CR0_PG))) &
	       vmx.cr0_fixed1;
}

uint64_t vmx_cr4_owned(void)
{
	return vmx.cr4_fixed0 | ~vmx.cr4_fixed1 | CR4_VMXE;
}

static void host_state(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr, idtr;

	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	const uint64_t *gdt = (const uint64_t *)gdtr.base;
	uint64_t lo = gdt[GDT_TSS / 8], hi = gdt[GDT_TSS / 8 + 1];
	uint64_t tss = ((lo >> 16) & 0xffffff) | ((lo >> 56) << 24) | hi << 32;

	vmwrite(VMCS_HOST_CR0, read_cr0());
	vmwrite(VMCS_HOST_CR3, read_cr3());
	vmwrite(VMCS_HOST_CR4, read_cr4());
	vmwrite(VMCS_HOST_CS_SEL, GDT_KCODE);
	vmwrite(VMCS_HOST_SS_SEL, GDT_KDATA);
	vmwrite(VMCS_HOST_DS_SEL, GDT_KDATA);
	vmwrite(VMCS_HOST_ES_SEL, GDT_KDATA);
	vmwrite(VMCS_HOST_FS_SEL, 0);
	vmwrite(VMCS_HOST_GS_SEL, 0);
	vmwrite(VMCS_HOST_TR_SEL, GDT_TSS);
	vmwrite(VMCS_HOST_FS_BASE, 0);
	vmwrite(VMCS_HOST_GS_BASE, 0);
	vmwrite(VMCS_HOST_TR_BASE, tss);
	vmwrite(VMCS_HOST_GDTR_BASE, gdtr.base);
	vmwrite(VMCS_HOST_IDTR_BASE, idtr.base);
	vmwrite(VMCS_HOST_SYSENTER_CS, 0);
	vmwrite(VMCS_HOST_SYSENTER_ESP, 0);
	vmwrite(VMCS_HOST_SYSENTER_EIP, 0);
	vmwrite(VMCS_HOST_EFER, rdmsr(MSR_IA32_EFER));
	vmwrite(VMCS_HOST_PAT, rdmsr(MSR_PAT));
	vmwrite(VMCS_HOST_RIP, (uint64_t)vmx_exit_stub);
}

static void controls(struct vcpu *v, int long_mode)
{
	vmwrite(VMCS_PIN_CTLS, vmx.pin);
	vmwrite(VMCS_PROC_CTLS, vmx.proc);
	vmwrite(VMCS_PROC_CTLS2, vmx.proc2);
	vmwrite(VMCS_EXIT_CTLS, vmx.exit);
	vmwrite(VMCS_ENTRY_CTLS, vmx.entry | (long_mode ? ENTRY_IA32E : 0));
	vmwrite(VMCS_EXCEPTION_BITMAP, 0);
	vmwrite(VMCS_CR3_TARGET_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmwrite(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(VMCS_ENTRY_INTR_INFO, 0);
	vmwrite(VMCS_MSR_BITMAP, (uint64_t)v->guest->arch.msr_bitmap);
	vmwrite(VMCS_EPT_POINTER, ept_pointer(&v->guest->arch.ept));
	vmwrite(VMCS_VPID, v->arch.vpid);
	vmwrite(VMCS_CR0_MASK, CR0_OWNED);
	vmwrite(VMCS_CR4_MASK, vmx_cr4_owned());
	vmwrite(VMCS_LINK_POINTER, ~0ull);
}

static void segment(enum vmcs_seg s, uint16_t sel, uint64_t base,
		    uint32_t limit, uint32_t ar)
{
	vmwrite(VMCS_GUEST_ES_SEL + 2 * s, sel);
	vmwrite(VMCS_GUEST_ES_BASE + 2 * s, base);
	vmwrite(VMCS_GUEST_ES_LIMIT + 2 * s, limit);
	vmwrite(VMCS_GUEST_ES_AR + 2 * s, ar);
}

static void segments(const struct vcpu_boot *b)
{
	uint32_t code = b->mode == VCPU_MODE_LONG64   ? AR_CODE64
			: b->mode == VCPU_MODE_PROT32 ? AR_CODE32
						      : AR_CODE16;
	uint32_t data = b->mode == VCPU_MODE_REAL ? AR_DATA16 : AR_DATA32;
	uint32_t limit = b->mode == VCPU_MODE_REAL ? 0xffff : 0xffffffff;
	uint64_t cs_base = b->mode == VCPU_MODE_REAL ? (uint64_t)b->cs << 4 : 0;
	uint64_t ds_base = b->mode == VCPU_MODE_REAL ? (uint64_t)b->ds << 4 : 0;

	segment(SEG_CS, b->cs, cs_base, limit, code);
	for (enum vmcs_seg s = SEG_ES; s <= SEG_GS; s++)
		if (s != SEG_CS)
			segment(s, b->ds, ds_base, limit, data);
	segment(SEG_LDTR, 0, 0, 0, AR_UNUSABLE);
	segment(SEG_TR, 0, 0, 0x67, AR_TSS_BUSY);
	vmwrite(VMCS_GUEST_GDTR_BASE, b->gdt_base);
	vmwrite(VMCS_GUEST_GDTR_LIMIT, b->gdt_limit);
	vmwrite(VMCS_GUEST_IDTR_BASE, 0);
	vmwrite(VMCS_GUEST_IDTR_LIMIT, b->mode == VCPU_MODE_REAL ? 0x3ff : 0);
}

static void guest_state(struct vcpu *v, const struct vcpu_boot *b)
{
	int lm = b->mode == VCPU_MODE_LONG64;
	uint64_t cr0 = CR0_ET | CR0_NE |
		       (b->mode != VCPU_MODE_REAL ? CR0_PE : 0) |
		       (lm ? CR0_PG : 0);
	uint64_t cr4 = lm ? CR4_PAE : 0;

	vmwrite(VMCS_GUEST_CR0, vmx_cr0_real(cr0));
	vmwrite(VMCS_CR0_SHADOW, cr0);
	vmwrite(VMCS_GUEST_CR3, b->cr3);
	vmwrite(VMCS_GUEST_CR4, (cr4 | vmx.cr4_fixed0) & vmx.cr4_fixed1);
	vmwrite(VMCS_CR4_SHADOW, cr4);
	vmwrite(VMCS_GUEST_EFER, lm ? EFER_LME | EFER_LMA : 0);
	vmwrite(VMCS_GUEST_PAT, PAT_DEFAULT);
	vmwrite(VMCS_GUEST_DEBUGCTL, 0);
	vmwrite(VMCS_GUEST_DR7, 0x400);
	vmwrite(VMCS_GUEST_SYSENTER_CS, 0);
	vmwrite(VMCS_GUEST_SYSENTER_ESP, 0);
	vmwrite(VMCS_GUEST_SYSENTER_EIP, 0);
	vmwrite(VMCS_GUEST_RSP, b->rsp);
	vmwrite(VMCS_GUEST_RIP, b->rip);
	vmwrite(VMCS_GUEST_RFLAGS, 0x2);
	vmwrite(VMCS_GUEST_INTERRUPTIBILITY, 0);
	vmwrite(VMCS_GUEST_ACTIVITY, 0);
	vmwrite(VMCS_GUEST_PENDING_DBG, 0);
	segments(b);
	memset(v->arch.gpr, 0, sizeof(v->arch.gpr));
	v->arch.gpr[GPR_RAX] = b->rax;
	v->arch.gpr[GPR_RBX] = b->rbx;
	v->arch.gpr[GPR_RDX] = b->rdx;
	v->arch.gpr[GPR_RSI] = b->rsi;
	v->arch.gpr[GPR_RDI] = b->rdi;
}

/* Allocated on the boot CPU, while the frame pool is single-threaded;
 * filled on the vCPU's own CPU, since a VMCS belongs to the CPU that
 * last loaded it. */
int arch_vcpu_init(struct vcpu *v)
{
	static uint16_t next_vpid = 1; /* 0 is the hypervisor's own */
	uint64_t pa = frame_pool_alloc(&frames, FRAME_SIZE, FRAME_SIZE);

	if (!pa || context_vcpu_init(v))
		return -1;
	memset((void *)pa, 0, FRAME_SIZE);
	*(uint32_t *)pa = vmx.revision;
	v->arch.vmcs_pa = pa;
	v->arch.vpid = next_vpid++;
	return 0;
}

void vmcs_setup(struct vcpu *v)
{
	if (vmclear(v->arch.vmcs_pa) || vmptrld(v->arch.vmcs_pa))
		vmx_fail("vmclear/vmptrld", v->arch.vmcs_pa);
	controls(v, v->boot.mode == VCPU_MODE_LONG64);
	host_state();
	guest_state(v, &v->boot);
	v->arch.ready = 1;
}
