/* SPDX-License-Identifier: MIT */
/* The guest ABI: hypercalls, CPUID leaves and the ELF64 boot convention. */
#ifndef VM_ABI_H
#define VM_ABI_H

#include <stdint.h>

/*
 * CPUID leaf 0x40000000: EAX = highest hypervisor leaf, EBX ECX EDX =
 * "HVMicroVisor".  Leaf 0x40000001: EAX = HV_ABI_VERSION.  Leaf 0x40000010:
 * EAX = TSC frequency in kHz (0 if unknown), as VMware and KVM report it.
 */
#define HV_CPUID_BASE	 0x40000000u
#define HV_CPUID_MAX	 0x40000010u
#define HV_CPUID_SIG_EBX 0x694d5648u /* "HVMi" */
#define HV_CPUID_SIG_ECX 0x566f7263u /* "croV" */
#define HV_CPUID_SIG_EDX 0x726f7369u /* "isor" */
#define HV_ABI_VERSION	 2u

/*
 * Hypercalls: VMCALL at CPL 0 with the call number in RAX, arguments in
 * RDI, RSI, RDX; the result comes back in RAX, negative on error.  Buffers
 * are given by guest-physical address.  VMCALL at CPL > 0 raises #UD.
 */
enum hv_hypercall {
	HC_VERSION = 0,	      /* -> HV_ABI_VERSION */
	HC_CONSOLE_WRITE = 1, /* (gpa, len <= 4096) -> len */
	HC_YIELD = 2,	      /* give the CPU to another vCPU -> 0 */
	HC_UTIL = 3,	      /* (gpa, size) -> sizeof(struct hv_util) */
	HC_SCHED_GET = 4,     /* (gpa, size) -> 0: fills struct hv_sched */
	HC_SCHED_SET = 5,     /* (gpa, size) -> 0: privileged guests only */
};
#define HV_EPERM       -1  /* HC_SCHED_SET from a guest not privileged */
#define HV_ENOENT      -2  /* no such guest or vCPU */
#define HV_EFAULT      -14 /* a buffer not inside the guest's RAM */
#define HV_EINVAL      -22 /* a malformed argument */
#define HV_ENOSPC      -28 /* the CPU's policy refuses the change */
#define HV_ENOSYS      -38 /* no such call */
#define HV_CONSOLE_MAX 4096

/*
 * What HC_UTIL writes: this vCPU's TSC cycles since its CPU began to
 * schedule it (at boot, before its first run).  The
 * call writes the first size bytes (a multiple of 8) and returns how many
 * this hypervisor knows, so a guest built against an older or newer
 * struct gets what both know: fields are only ever added at the end.
 * guest and hv stand at this call's exit; steal, wait and blocked at the
 * last scheduling decision before this run, since they grow only while
 * the vCPU is not running.  elapsed minus the other six is what is not
 * counted yet: that decision and this call's exit so far.
 */
struct hv_util {
	uint64_t guest;	  /* running in guest mode */
	uint64_t hv;	  /* the hypervisor handling its exits */
	uint64_t elapsed; /* the others' sum, and what is not in them yet */
	uint64_t exits;
	/* ABI 2: */
	uint64_t steal;	  /* runnable, while its CPU ran another or idled */
	uint64_t wait;	  /* runnable, while its CPU's loop chose */
	uint64_t blocked; /* halted (HLT), waiting for an interrupt */
};

/*
 * HC_SCHED_GET and HC_SCHED_SET: one vCPU's scheduling parameters and
 * those of the physical CPU it is pinned to (policy and slice are the
 * CPU's: changing them changes them for every vCPU there).  size must be
 * sizeof(struct hv_sched).  SET takes every field as GET gave them, so
 * read, modify, write; it checks them as the config would, then asks the
 * CPU's policy to admit the CPU's whole set as it would become (edf
 * admission, one vCPU for static): refused, nothing changes and the
 * reason goes to the hypervisor's console.  Accepted, the CPU applies it
 * at its next scheduling decision and its policy starts afresh (credit's
 * virtual times and cap windows, edf's budgets).
 */
struct hv_sched {
	char guest[16];		       /* in: its name ("" = the caller's) */
	uint32_t vcpu;		       /* in: its index in that guest */
	uint32_t cpu;		       /* out: the physical CPU it is on */
	char policy[8];		       /* "static", "rr", "credit", "edf" */
	uint64_t slice_us;	       /* rr and credit: the CPU's slice */
	uint32_t weight, cap;	       /* credit: 1-65535, 0-100 % (0 none) */
	uint64_t budget_us, period_us; /* edf: both, budget <= period */
};

/*
 * ELF64 guests start in 64-bit mode at the ELF entry point, with paging on
 * (the first 4 GiB identity-mapped with 2 MiB pages, tables at 0x2000),
 * a flat GDT at 0x1000 (CS = 0x08 64-bit code, DS = SS = 0x10 data,
 * 0x18 32-bit code), interrupts off, RSP = HV_BOOT_STACK and RDI = the
 * guest-physical address of a struct hv_boot (HV_BOOT_INFO).  Guest memory
 * below 1 MiB is the hypervisor's to lay out; ELF segments load at their
 * physical addresses, from 1 MiB up, inside the guest's RAM.
 */
#define HV_BOOT_GDT	0x1000ull
#define HV_BOOT_PML4	0x2000ull
#define HV_BOOT_INFO	0x8000ull
#define HV_BOOT_STACK	0x80000ull
#define HV_BOOT_MAGIC	0x3154534555475648ull /* "HVGUEST1" */
#define HV_BOOT_MAX_RAM 4

struct hv_boot {
	uint64_t magic;
	uint32_t version; /* HV_ABI_VERSION */
	uint32_t size;	  /* sizeof(struct hv_boot) */
	char name[16];	  /* the guest's name from the config */
	uint64_t memory;  /* bytes of RAM */
	uint32_t nvcpus;
	uint32_t nram;
	struct {
		uint64_t base, size;
	} ram[HV_BOOT_MAX_RAM]; /* guest-physical RAM ranges */
	uint64_t tsc_khz;	/* 0 if unknown */
	char cmdline[256];	/* the config's cmdline for this guest */
	uint32_t restarts;	/* times it was restarted after a crash */
	uint32_t reserved;
};

#endif
