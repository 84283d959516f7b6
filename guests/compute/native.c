// SPDX-License-Identifier: MIT
/* compute.efi: the compute workload run natively, as a UEFI application,
 * to compare a guest's run time with the machine's own. */
#include <efi.h>
#include <efilib.h>

#include "work.h"

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	uint64_t t0 = rdtsc();
	uint64_t sum = compute_run(COMPUTE_ROUNDS);
	uint64_t t1 = rdtsc();

	/* The same line as the guest's, so scripts read both alike. */
	Print(L"compute: checksum 0x%016lx after %ld rounds in %ld TSC "
	      L"cycles\r\n",
	      sum, (uint64_t)COMPUTE_ROUNDS, t1 - t0);
	Print(L"native: stop: ok (compute ran natively)\r\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0,
			  NULL);
	return EFI_SUCCESS;
}
