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
#define HV_ABI_VERSION	 1u

/*
 * Hypercalls: VMCALL at CPL 0 with the call number in RAX, arguments in
 * RDI, RSI, RDX; the result comes back in RAX, negative on error.  Buffers
 * are given by guest-physical address.  VMCALL at CPL > 0 raises #UD.
 */
enum hv_hypercall {
	HC_VERSION = 0,	      /* -> HV_ABI_VERSION */
	HC_CONSOLE_WRITE = 1, /* (gpa, len <= 4096) -> len */
	HC_YIELD = 2,	      /* give the CPU to another vCPU -> 0 */
	HC_UTIL = 3,	      /* (gpa of struct hv_util) -> 0 */
};
#define HV_EINVAL      -22
#define HV_EFAULT      -14
#define HV_ENOSYS      -38
#define HV_CONSOLE_MAX 4096

/* What HC_UTIL writes: this vCPU's TSC cycles since it started. */
struct hv_util {
	uint64_t guest;	  /* running in guest mode */
	uint64_t hv;	  /* the hypervisor handling its exits */
	uint64_t elapsed; /* since the vCPU first ran */
	uint64_t exits;
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
