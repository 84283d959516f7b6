// SPDX-License-Identifier: MIT
/* VT-x capability probe (Intel SDM vol. 3C, 23.6-23.7 and appendix A). */
#include "vmx.h"

#include <string.h>

#include "../../../kernel/arch.h"
#include "../../../kernel/lib/fmt.h"
#include "../../../kernel/log.h"
#include "../../../kernel/mm/frame.h"
#include "../cpu.h"
#include "ept.h"
#include "exit.h"

struct vmx_caps vmx;

#define CPUID1_ECX_VMX	   (1u << 5)
#define FC_LOCK		   (1ull << 0)
#define FC_VMX_OUTSIDE_SMX (1ull << 2)
static const char *const how =
    "run it in Bochs (make run), in QEMU with EMU=kvm on an Intel host "
    "with nested VT-x, or on an Intel machine with VT-x";

static int is_intel(void)
{
	struct cpuid r = cpuid(0, 0);

	/* "GenuineIntel" in EBX, EDX, ECX */
	return r.b == 0x756e6547 && r.d == 0x49656e69 && r.c == 0x6c65746e;
}

/* IA32_FEATURE_CONTROL: lock it with VMX on where the firmware did not. */
static int feature_control(char *why, size_t size, int *locked_now)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	*locked_now = 0;
	if (!(fc & FC_LOCK)) {
		wrmsr(MSR_IA32_FEATURE_CONTROL,
		      fc | FC_LOCK | FC_VMX_OUTSIDE_SMX);
		*locked_now = 1;
		return 0;
	}
	if (fc & FC_VMX_OUTSIDE_SMX)
		return 0;
	fmt_snprintf(why, size,
		     "VT-x is disabled in the firmware setup "
		     "(IA32_FEATURE_CONTROL is locked with VMX off): enable "
		     "Intel Virtualization Technology there and reboot");
	return -1;
}

int arch_virt_probe(char *what, size_t what_size, char *why, size_t why_size)
{
	int locked_now;

	fmt_snprintf(what, what_size, "none");
	if (!(cpuid(1, 0).c & CPUID1_ECX_VMX)) {
		fmt_snprintf(why, why_size,
			     "no VT-x: this %s CPU does not "
			     "offer VMX (CPUID.1:ECX.VMX=0); %s",
			     is_intel() ? "Intel" : "non-Intel", how);
		return -1;
	}
	if (feature_control(why, why_size, &locked_now))
		return -1;
	/* Allowed-1 settings are the high dword of a control MSR (A.3). */
	uint32_t proc = (uint32_t)(rdmsr(MSR_VMX_PROCBASED) >> 32);
	uint32_t proc2 = (proc & PROC_SECONDARY)
			     ? (uint32_t)(rdmsr(MSR_VMX_PROCBASED2) >> 32)
			     : 0;
	uint32_t pin = (uint32_t)(rdmsr(MSR_VMX_PINBASED) >> 32);
	fmt_snprintf(
	    what, what_size, "VMX%s%s%s%s (TSC / 2^%u), VMCS revision %u%s",
	    proc2 & PROC2_EPT ? ", EPT" : "",
	    proc2 & PROC2_UNRESTRICTED ? ", unrestricted guest" : "",
	    proc2 & PROC2_VPID ? ", VPID" : "",
	    pin & PIN_PREEMPT_TIMER ? ", preemption timer" : "",
	    (unsigned)(rdmsr(MSR_VMX_MISC) & 0x1f),
	    (unsigned)(rdmsr(MSR_VMX_BASIC) & 0x7fffffff),
	    locked_now ? "; IA32_FEATURE_CONTROL locked with VMX on" : "");
	if (!(proc2 & PROC2_EPT) || !(proc2 & PROC2_UNRESTRICTED)) {
		fmt_snprintf(
		    why, why_size,
		    "VT-x lacks %s: the hypervisor "
		    "needs an Intel CPU from Westmere on (in Bochs, "
		    "cpu model tigerlake); %s",
		    !(proc2 & PROC2_EPT) ? "EPT" : "unrestricted guest", how);
		return -1;
	}
	return vmx_caps_init(why, why_size);
}

/*
 * Controls: required ones must be offered, optional ones are taken where
 * offered, and the CPU's must-be-one bits are added (SDM A.3-A.5; the TRUE
 * MSRs, where present, let default-one bits such as CR3 exiting go).
 */
static int adjust(uint32_t msr, uint32_t need, uint32_t want, uint32_t *out,
		  const char *what, char *why, size_t size)
{
	uint64_t cap = rdmsr(msr);
	uint32_t allowed0 = (uint32_t)cap, allowed1 = (uint32_t)(cap >> 32);

	if (need & ~allowed1) {
		fmt_snprintf(why, size,
			     "VT-x lacks %s controls 0x%x the hypervisor needs",
			     what, need & ~allowed1);
		return -1;
	}
	*out = ((need | want) & allowed1) | allowed0;
	return 0;
}

static int controls(char *why, size_t size)
{
	int true_ctls = !!(rdmsr(MSR_VMX_BASIC) & VMX_BASIC_TRUE_CTLS);
	uint32_t pin_msr = true_ctls ? MSR_VMX_TRUE_PINBASED : MSR_VMX_PINBASED;
	uint32_t proc_msr =
	    true_ctls ? MSR_VMX_TRUE_PROCBASED : MSR_VMX_PROCBASED;
	uint32_t exit_msr = true_ctls ? MSR_VMX_TRUE_EXIT : MSR_VMX_EXIT;
	uint32_t entry_msr = true_ctls ? MSR_VMX_TRUE_ENTRY : MSR_VMX_ENTRY;

	return adjust(pin_msr, PIN_EXT_INTR | PIN_NMI | PIN_PREEMPT_TIMER,
		      PIN_VIRTUAL_NMI, &vmx.pin, "pin-based", why, size) ||
	       adjust(proc_msr,
		      PROC_HLT | PROC_UNCOND_IO | PROC_MSR_BITMAP |
			  PROC_SECONDARY | PROC_TSC_OFFSET | PROC_MWAIT |
			  PROC_MONITOR | PROC_RDPMC,
		      0, &vmx.proc, "processor-based", why, size) ||
	       adjust(MSR_VMX_PROCBASED2,
		      PROC2_EPT | PROC2_UNRESTRICTED | PROC2_VPID,
		      PROC2_RDTSCP | PROC2_INVPCID | PROC2_WBINVD, &vmx.proc2,
		      "secondary", why, size) ||
	       adjust(exit_msr,
		      EXIT_HOST_64 | EXIT_ACK_INTR | EXIT_SAVE_EFER |
			  EXIT_LOAD_EFER | EXIT_SAVE_PAT | EXIT_LOAD_PAT,
		      0, &vmx.exit, "VM-exit", why, size) ||
	       adjust(entry_msr, ENTRY_LOAD_EFER | ENTRY_LOAD_PAT, 0,
		      &vmx.entry, "VM-entry", why, size);
}

int vmx_caps_init(char *why, size_t size)
{
	uint64_t basic = rdmsr(MSR_VMX_BASIC);

	vmx.revision = (uint32_t)basic & 0x7fffffff;
	vmx.cr0_fixed0 = rdmsr(MSR_VMX_CR0_FIXED0);
	vmx.cr0_fixed1 = rdmsr(MSR_VMX_CR0_FIXED1);
	vmx.cr4_fixed0 = rdmsr(MSR_VMX_CR4_FIXED0);
	vmx.cr4_fixed1 = rdmsr(MSR_VMX_CR4_FIXED1);
	vmx.preempt_shift = (unsigned)(rdmsr(MSR_VMX_MISC) & 0x1f);
	vmx.preempt_round = (1ull << vmx.preempt_shift) - 1;
	vmx.ept_vpid = rdmsr(MSR_VMX_EPT_VPID_CAP);
	if (controls(why, size))
		return -1;
	uint64_t need = EPT_CAP_WALK4 | EPT_CAP_WB | EPT_CAP_INVEPT |
			EPT_CAP_INVEPT_ALL | VPID_CAP_INVVPID | VPID_CAP_ALL;
	if ((vmx.ept_vpid & need) != need) {
		fmt_snprintf(why, size,
			     "VT-x lacks EPT/VPID features 0x%llx (4-level "
			     "walks, write-back, INVEPT, INVVPID)",
			     (unsigned long long)(need & ~vmx.ept_vpid));
		return -1;
	}
	if (!exit_table_complete())
		panic("VM-exit table has a hole");
	cpuid_init(); /* what guests are told, from this CPU's answers */
	vmx.ept_large = ((vmx.ept_vpid & EPT_CAP_2M) ? EPT_LARGE_2M : 0) |
			((vmx.ept_vpid & EPT_CAP_1G) ? EPT_LARGE_1G : 0);
	return 0;
}

void vmx_flush_all(void)
{
	/* Descriptor: EPTP or VPID, then an address; unused for type 2. */
	uint64_t desc[2] = {0, 0};

	/* Type 2: all contexts (SDM vol. 3C, 30.3, INVEPT and INVVPID). */
	__asm__ volatile("invept %0, %1" ::"m"(desc), "r"(2ull)
			 : "cc", "memory");
	__asm__ volatile("invvpid %0, %1" ::"m"(desc), "r"(2ull)
			 : "cc", "memory");
}

void vmx_fail(const char *insn, uint64_t arg)
{
	panic("%s 0x%llx failed: VM-instruction error %llu", insn,
	      (unsigned long long)arg,
	      (unsigned long long)vmread(VMCS_INSTR_ERROR));
}

/* VMXON on this CPU: CR0 and CR4 take the bits VMX operation fixes
 * (SDM 24.8, A.7-A.8), the VMXON region carries the VMCS revision. */
int arch_virt_cpu_on(char *why, size_t size)
{
	int locked_now;

	if (feature_control(why, size, &locked_now)) /* per CPU */
		return -1;
	uint64_t pa = frame_pool_alloc(&frames, FRAME_SIZE, FRAME_SIZE);

	if (!pa) {
		fmt_snprintf(why, size, "no memory for the VMXON region");
		return -1;
	}
	memset((void *)pa, 0, FRAME_SIZE);
	*(uint32_t *)pa = vmx.revision;
	write_cr0((read_cr0() | vmx.cr0_fixed0) & vmx.cr0_fixed1);
	write_cr4((read_cr4() | vmx.cr4_fixed0 | CR4_VMXE) & vmx.cr4_fixed1);
	if (vmxon(pa)) {
		fmt_snprintf(why, size, "VMXON failed (RFLAGS says VMfail)");
		return -1;
	}
	vmx_flush_all();
	context_cpu_init();
	return 0;
}
