// SPDX-License-Identifier: MIT
/* VT-x capability probe (Intel SDM vol. 3C, 23.6-23.7 and appendix A). */
#include "../../../kernel/arch.h"
#include "../../../kernel/lib/fmt.h"
#include "../cpu.h"

#define CPUID1_ECX_VMX	   (1u << 5)
#define FC_LOCK		   (1ull << 0)
#define FC_VMX_OUTSIDE_SMX (1ull << 2)
/* Allowed-1 settings are the high dword of a control MSR (A.3). */
#define PROC_SECONDARY		   (1ull << (32 + 31))
#define PROC2_EPT		   (1ull << (32 + 1))
#define PROC2_VPID		   (1ull << (32 + 5))
#define PROC2_UNRESTRICTED	   (1ull << (32 + 7))
#define PIN_PREEMPT_TIMER	   (1ull << (32 + 6))
#define MSR_IA32_VMX_PINBASED_CTLS 0x481

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
	uint64_t proc = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS);
	uint64_t proc2 =
	    (proc & PROC_SECONDARY) ? rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) : 0;
	uint64_t pin = rdmsr(MSR_IA32_VMX_PINBASED_CTLS);
	fmt_snprintf(what, what_size, "VMX%s%s%s%s, VMCS revision %u%s",
		     proc2 & PROC2_EPT ? ", EPT" : "",
		     proc2 & PROC2_UNRESTRICTED ? ", unrestricted guest" : "",
		     proc2 & PROC2_VPID ? ", VPID" : "",
		     pin & PIN_PREEMPT_TIMER ? ", preemption timer" : "",
		     (unsigned)(rdmsr(MSR_IA32_VMX_BASIC) & 0x7fffffff),
		     locked_now ? "; IA32_FEATURE_CONTROL locked with VMX on"
				: "");
	if (!(proc2 & PROC2_EPT) || !(proc2 & PROC2_UNRESTRICTED)) {
		fmt_snprintf(
		    why, why_size,
		    "VT-x lacks %s: the hypervisor "
		    "needs an Intel CPU from Westmere on (in Bochs, "
		    "cpu model tigerlake); %s",
		    !(proc2 & PROC2_EPT) ? "EPT" : "unrestricted guest", how);
		return -1;
	}
	return 0;
}
