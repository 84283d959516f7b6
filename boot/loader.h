/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the UEFI loader (the boot folder). */
#ifndef LOADER_H
#define LOADER_H

#include <efi.h>
#include <efilib.h>

#include "boot_info.h"

#define ERR_MAX 256
#ifndef EFI_PAGES_TO_SIZE
#define EFI_PAGES_TO_SIZE(pages) ((UINT64)(pages) << EFI_PAGE_SHIFT)
#endif

/* console.c: print to the firmware console (screen and, in emulators and
 * most servers, serial).  Lines are prefixed "hvboot: ". */
void con_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Report why the boot stops, end with the stop line, return the status
 * that efi_main gives back to the firmware. */
EFI_STATUS con_fail(EFI_STATUS st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "Not Found" etc. for an EFI status, in a static buffer. */
const char *con_status(EFI_STATUS st);

/* file.c: read \hv\<path> (path as the config writes it) into fresh
 * pages, zero-padded to a page; *size is the file's size. */
EFI_STATUS file_read(EFI_HANDLE image, const char *path, UINT64 *addr,
		     UINT64 *size);

/* cpus.c: the processors EFI MP Services reports; the BSP alone where the
 * firmware has no MP Services. */
void cpus_discover(struct boot_info *bi);

/* handover.c: ranges the kernel must not treat as free RAM. */
void handover_reserve(UINT64 addr, UINT64 size);

/* Build the kernel's first page tables; identity map up to top. */
EFI_STATUS handover_page_tables(struct boot_info *bi, UINT64 top, UINT64 *cr3);

/* Final memory map, exit boot services.  On failure boot services are
 * still up and err says why. */
EFI_STATUS handover_exit(EFI_HANDLE image, struct boot_info *bi,
			 UINT64 need_free, char *err);

/* handoff.S: switch page tables and jump; never returns. */
void handoff(UINT64 cr3, UINT64 entry, struct boot_info *bi)
    __attribute__((noreturn));

#endif
