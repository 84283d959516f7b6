// SPDX-License-Identifier: MIT
/* Handing the machine over: first page tables, final memory map, exit. */
#include "../kernel/lib/fmt.h"
#include "../kernel/mm/memmap.h"
#include "loader.h"

#define MAX_RESERVED 64
#define PTE_P	     0x1ull
#define PTE_W	     0x2ull
#define PTE_PS	     0x80ull /* 2 MiB page in a PD entry */
#define GIB	     (1ull << 30)
#define MIB2	     (2ull << 20)

static struct {
	UINT64 addr, size;
} reserved[MAX_RESERVED];
static UINTN nreserved;

/* Everything the kernel will find in memory at entry, so the map can say
 * so.  Overflow is a loader bug: MAX_RESERVED covers every file slot. */
void handover_reserve(UINT64 addr, UINT64 size)
{
	if (nreserved == MAX_RESERVED)
		return;
	reserved[nreserved].addr = addr;
	reserved[nreserved].size =
	    EFI_PAGES_TO_SIZE(EFI_SIZE_TO_PAGES(size ? size : 1));
	nreserved++;
}

static EFI_STATUS alloc_zeroed(UINTN pages, UINT64 *out)
{
	EFI_PHYSICAL_ADDRESS pa;
	EFI_STATUS st =
	    BS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &pa);

	if (EFI_ERROR(st))
		return st;
	SetMem((void *)pa, EFI_PAGES_TO_SIZE(pages), 0);
	handover_reserve(pa, EFI_PAGES_TO_SIZE(pages));
	*out = pa;
	return EFI_SUCCESS;
}

/*
 * Identity map [0, top) with 2 MiB pages, plus the kernel image at its link
 * address.  One allocation: PML4, identity PDPTs, identity PDs, then the
 * kernel's PDPT and PD.  No NX bits: EFER.NXE may be off at handover.
 */
EFI_STATUS handover_page_tables(struct boot_info *bi, UINT64 top, UINT64 *cr3)
{
	UINT64 ngib = (top + GIB - 1) / GIB;
	UINT64 npdpt = (ngib + 511) / 512;
	UINT64 base;
	EFI_STATUS st = alloc_zeroed(1 + npdpt + ngib + 2, &base);

	if (EFI_ERROR(st))
		return st;
	UINT64 *pml4 = (UINT64 *)base;
	UINT64 *pdpt = pml4 + 512, *pd = pdpt + 512 * npdpt;
	UINT64 *kpdpt = pd + 512 * ngib, *kpd = kpdpt + 512;
	for (UINT64 i = 0; i < npdpt; i++)
		pml4[i] = (UINT64)&pdpt[512 * i] | PTE_P | PTE_W;
	for (UINT64 i = 0; i < ngib; i++)
		pdpt[i] = (UINT64)&pd[512 * i] | PTE_P | PTE_W;
	for (UINT64 i = 0; i < ngib * 512; i++)
		pd[i] = i * MIB2 | PTE_P | PTE_W | PTE_PS;

	UINT64 v = bi->kernel_virt;
	pml4[(v >> 39) & 511] = (UINT64)kpdpt | PTE_P | PTE_W;
	kpdpt[(v >> 30) & 511] = (UINT64)kpd | PTE_P | PTE_W;
	for (UINT64 off = 0; off < bi->kernel_size; off += MIB2)
		kpd[((v + off) >> 21) & 511] =
		    (bi->kernel_phys + off) | PTE_P | PTE_W | PTE_PS;
	*cr3 = base;
	return EFI_SUCCESS;
}

static UINT32 fold_type(UINT32 efi)
{
	switch (efi) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiConventionalMemory:
		return BI_MEM_USABLE;
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
		return BI_MEM_RUNTIME;
	case EfiUnusableMemory:
		return BI_MEM_BAD;
	case EfiACPIReclaimMemory:
		return BI_MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS:
		return BI_MEM_ACPI_NVS;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return BI_MEM_MMIO;
	default:
		return BI_MEM_RESERVED;
	}
}

/* Fold the EFI map into bi->mem and mark the handover ranges. */
static int fold_map(struct boot_info *bi, const UINT8 *map, UINTN size,
		    UINTN desc_size, char *err)
{
	bi->mem.count = 0;
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(map + off);
		UINT64 bytes = EFI_PAGES_TO_SIZE(d->NumberOfPages);
		if (memmap_add(&bi->mem, d->PhysicalStart, bytes,
			       fold_type(d->Type))) {
			fmt_snprintf(err, ERR_MAX,
				     "the firmware memory map is "
				     "overlapping or has over %d ranges",
				     BI_MAX_MEM);
			return -1;
		}
	}
	for (UINTN i = 0; i < nreserved; i++)
		if (memmap_set(&bi->mem, reserved[i].addr, reserved[i].size,
			       BI_MEM_HANDOVER)) {
			fmt_snprintf(err, ERR_MAX, "memory map: over %d ranges",
				     BI_MAX_MEM);
			return -1;
		}
	return 0;
}

static int check_room(const struct boot_info *bi, UINT64 need, char *err)
{
	UINT64 have = memmap_total(&bi->mem, BI_MEM_USABLE);

	if (have >= need)
		return 0;
	fmt_snprintf(err, ERR_MAX,
		     "not enough memory: %llu MiB needed, "
		     "%llu MiB free after loading",
		     (unsigned long long)(need >> 20),
		     (unsigned long long)(have >> 20));
	return -1;
}

/*
 * GetMemoryMap, fold, ExitBootServices.  Nothing between the map and the
 * exit may allocate, so the buffer is sized first with slack for the
 * entries that allocating it adds.  The firmware may change the map once
 * more (a timer event), hence the retry.
 */
EFI_STATUS handover_exit(EFI_HANDLE image, struct boot_info *bi,
			 UINT64 need_free, char *err)
{
	UINTN size = 0, key, desc_size;
	UINT32 desc_ver;
	UINT8 *map = NULL;
	EFI_STATUS st =
	    BS->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_ver);

	size += 16 * sizeof(EFI_MEMORY_DESCRIPTOR) * 4;
	if (BS->AllocatePool(EfiLoaderData, size, (void **)&map) !=
	    EFI_SUCCESS) {
		fmt_snprintf(err, ERR_MAX, "no memory for the memory map");
		return EFI_OUT_OF_RESOURCES;
	}
	for (int attempt = 0; attempt < 3; attempt++) {
		UINTN cur = size;
		st = BS->GetMemoryMap(&cur, (EFI_MEMORY_DESCRIPTOR *)map, &key,
				      &desc_size, &desc_ver);
		if (EFI_ERROR(st))
			break;
		if (fold_map(bi, map, cur, desc_size, err) ||
		    check_room(bi, need_free, err))
			return EFI_OUT_OF_RESOURCES;
		st = BS->ExitBootServices(image, key);
		if (st == EFI_SUCCESS)
			return st;
	}
	fmt_snprintf(err, ERR_MAX, "ExitBootServices failed: %s",
		     con_status(st));
	return st;
}
