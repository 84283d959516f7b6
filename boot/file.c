// SPDX-License-Identifier: MIT
/* Reading files from the EFI system partition the loader came from. */
#include "loader.h"

#define HV_DIR "\\hv\\"

static EFI_FILE_HANDLE root_dir(EFI_HANDLE image)
{
	static EFI_FILE_HANDLE root;
	EFI_LOADED_IMAGE *li;

	if (root)
		return root;
	if (BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li) !=
	    EFI_SUCCESS)
		return NULL;
	root = LibOpenRoot(li->DeviceHandle);
	return root;
}

/* "guests/a.elf" -> L"\hv\guests\a.elf" */
static void efi_path(const char *path, CHAR16 *out, UINTN cap)
{
	UINTN n = 0;

	for (const char *p = HV_DIR; *p && n + 1 < cap; p++)
		out[n++] = (CHAR16)*p;
	for (const char *p = path; *p && n + 1 < cap; p++)
		out[n++] = *p == '/' ? '\\' : (CHAR16)*p;
	out[n] = 0;
}

static EFI_STATUS read_all(EFI_FILE_HANDLE f, UINT8 *dst, UINT64 size)
{
	while (size) {
		UINTN chunk = size > (1u << 20) ? (1u << 20) : size;
		EFI_STATUS st = f->Read(f, &chunk, dst);
		if (EFI_ERROR(st))
			return st;
		if (chunk == 0)
			return EFI_END_OF_FILE;
		dst += chunk;
		size -= chunk;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS load_open(EFI_FILE_HANDLE f, UINT64 *addr, UINT64 *size)
{
	EFI_FILE_INFO *info = LibFileInfo(f);
	EFI_PHYSICAL_ADDRESS pa;

	if (!info)
		return EFI_DEVICE_ERROR;
	*size = info->FileSize;
	FreePool(info);
	UINTN pages = EFI_SIZE_TO_PAGES(*size ? *size : 1);
	EFI_STATUS st =
	    BS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &pa);
	if (EFI_ERROR(st))
		return st;
	SetMem((void *)pa, pages * EFI_PAGE_SIZE, 0);
	st = read_all(f, (UINT8 *)pa, *size);
	if (EFI_ERROR(st)) {
		BS->FreePages(pa, pages);
		return st;
	}
	*addr = pa;
	return EFI_SUCCESS;
}

EFI_STATUS file_read(EFI_HANDLE image, const char *path, UINT64 *addr,
		     UINT64 *size)
{
	EFI_FILE_HANDLE root = root_dir(image), f;
	CHAR16 wide[BI_NAME_MAX + 8];

	if (!root)
		return EFI_NO_MEDIA;
	efi_path(path, wide, sizeof(wide) / sizeof(wide[0]));
	EFI_STATUS st = root->Open(root, &f, wide, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	st = load_open(f, addr, size);
	f->Close(f);
	return st;
}
