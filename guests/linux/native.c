// SPDX-License-Identifier: MIT
/* linuxboot.efi: Debian's kernel started natively as an EFI stub, with
 * the test initramfs and a command line, to compare its boot with the
 * same kernel as a guest (make bench).  The files are the ones mkimage
 * installs: \hv\linux\vmlinuz and \hv\linux\initramfs.gz. */
#include <efi.h>
#include <efilib.h>

/* What the guest gets (linux-boot), but FSRM cleared (Bochs corrupts fast
 * short REP MOVSB, which the hypervisor hides from its guests' CPUID:
 * arch/x86/vmx/exit_cpuid.c) and the TSC rate given (Bochs's CPUID
 * claims 2.4 GHz; the hypervisor tells its guests the real 50 MHz, and
 * with the wrong one every delay in the boot would last 48 times as many
 * cycles), and the guest's 256 MiB of RAM (mem=: the machine has more,
 * and a kernel's start-up work grows with it).  hvrun prints the
 * stop line that ends the run, since the kernel cannot power off without
 * ACPI tables; spelled so that the kernel's echo of its command line is
 * not that line. */
static CHAR16 cmdline[] =
    L"initrd=\\hv\\linux\\initramfs.gz console=ttyS0 mitigations=off "
    L"clearcpuid=fsrm tsc_early_khz=50000 mem=256M hvrun=\"echo native: $(echo "
    L"stop): ok\"";

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

static inline UINT64 rdtsc(void)
{
	UINT32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (UINT64)hi << 32 | lo;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *self, *kernel_image;
	EFI_HANDLE kernel;
	EFI_STATUS st;
	/* The start, as the hypervisor's loader takes its own: the boot is
	 * timed from here to the initramfs's TSC reading (make bench). */
	UINT64 start = rdtsc();

	InitializeLib(image, systab);
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image,
			       &LoadedImageProtocol, (void **)&self);
	if (EFI_ERROR(st))
		goto fail;
	EFI_DEVICE_PATH *path =
	    FileDevicePath(self->DeviceHandle, L"\\hv\\linux\\vmlinuz");
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, image, path, NULL, 0,
			       &kernel);
	if (EFI_ERROR(st))
		goto fail;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, kernel,
			       &LoadedImageProtocol, (void **)&kernel_image);
	if (EFI_ERROR(st))
		goto fail;
	kernel_image->LoadOptions = cmdline;
	kernel_image->LoadOptionsSize = sizeof(cmdline);
	Print(L"native: starting \\hv\\linux\\vmlinuz; started at TSC %ld\r\n",
	      start);
	st = uefi_call_wrapper(BS->StartImage, 3, kernel, NULL, NULL);
fail:
	Print(L"native: stop: error (%r)\r\n", st);
	return st;
}
