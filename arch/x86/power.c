// SPDX-License-Identifier: MIT
/* Powering the machine off at the end of a run, by every known means. */
#include "../../drivers/host/acpi.h"
#include "../../kernel/arch.h"
#include "../../kernel/bootinfo.h"
#include "../../kernel/log.h"
#include "cpu.h"

#include <string.h>

/* UEFI 2.x, 4.3 (EFI_SYSTEM_TABLE) and 8.1 (EFI_RUNTIME_SERVICES): the
 * two offsets we need, rather than the whole of GNU-EFI's headers. */
#define EFI_ST_RUNTIME_SERVICES 88
#define EFI_RT_RESET_SYSTEM	104
#define EFI_RESET_SHUTDOWN	2
typedef void(__attribute__((ms_abi)) * efi_reset_fn)(int type, uint64_t status,
						     uint64_t size, void *data);

#define BOCHS_SHUTDOWN_PORT  0x8900
#define QEMU_DEBUG_EXIT_PORT 0xf4

/* The loader ran without SetVirtualAddressMap, so runtime services still
 * run at their physical addresses, which the identity map covers. */
static void efi_off(const struct boot_info *bi)
{
	if (!bi->efi_system_table)
		return;
	uint64_t rt =
	    *(uint64_t *)(bi->efi_system_table + EFI_ST_RUNTIME_SERVICES);
	efi_reset_fn reset = *(efi_reset_fn *)(rt + EFI_RT_RESET_SYSTEM);
	reset(EFI_RESET_SHUTDOWN, 0, 0, NULL);
}

static void acpi_off(const struct boot_info *bi)
{
	acpi_power_off(bi->acpi_rsdp);
}

/* Bochs: the string "Shutdown" on its power-control port. */
static void bochs_off(const struct boot_info *bi)
{
	(void)bi;
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
}

/* QEMU's isa-debug-exit device (scripts/run adds it): exit status 1. */
static void qemu_off(const struct boot_info *bi)
{
	(void)bi;
	outb(QEMU_DEBUG_EXIT_PORT, 0);
}

static const struct {
	const char *name;
	void (*off)(const struct boot_info *bi);
} methods[] = {
    {"efi", efi_off},
    {"acpi", acpi_off},
    {"bochs", bochs_off},
    {"qemu", qemu_off},
};

void arch_power_off(const struct boot_info *bi, const char *method)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (method && strcmp(method, methods[i].name) != 0)
			continue;
		methods[i].off(bi);
		/* Give a slow emulator time to act before the next method. */
		for (int spin = 0; spin < 100000; spin++)
			cpu_relax();
		kprintf("hv: power-off by %s did not work\n", methods[i].name);
	}
}
