// SPDX-License-Identifier: MIT
/* The UEFI loader: read the config and images, hand the machine over. */
#include "../kernel/config.h"
#include "../kernel/elf.h"
#include "../kernel/lib/fmt.h"
#include "loader.h"

#define CONFIG_PATH "hv.cfg"
/* Free RAM the kernel needs besides the guests: page tables, stacks, VMCS
 * and EPT structures. */
#define HV_MIN_FREE (32ull << 20)
#define MIB2	    (2ull << 20)

static struct cfg cfg;
static char err[ERR_MAX];

static struct boot_info *alloc_boot_info(void)
{
	EFI_PHYSICAL_ADDRESS pa;
	UINTN pages = EFI_SIZE_TO_PAGES(sizeof(struct boot_info));

	if (BS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &pa))
		return NULL;
	SetMem((void *)pa, EFI_PAGES_TO_SIZE(pages), 0);
	handover_reserve(pa, EFI_PAGES_TO_SIZE(pages));
	struct boot_info *bi = (struct boot_info *)pa;
	bi->magic = BOOT_INFO_MAGIC;
	bi->version = BOOT_INFO_VERSION;
	bi->size = sizeof(*bi);
	return bi;
}

_Static_assert(BI_MAX_FILES >= 1 + CFG_MAX_GUESTS * (1 + CFG_MAX_MODULES),
	       "boot info holds the config, every image and every module");

/* Read a file the config names and record it for the kernel. */
static EFI_STATUS add_file(EFI_HANDLE image, struct boot_info *bi,
			   const char *path, const char *what)
{
	struct bi_file *f = &bi->files[bi->nfiles];
	EFI_STATUS st = file_read(image, path, &f->addr, &f->size);

	if (EFI_ERROR(st))
		return con_fail(st, "%s: cannot read hv/%s: %s", what, path,
				con_status(st));
	fmt_snprintf(f->name, sizeof(f->name), "%s", path);
	handover_reserve(f->addr, f->size);
	bi->nfiles++;
	return EFI_SUCCESS;
}

static EFI_STATUS load_config(EFI_HANDLE image, struct boot_info *bi)
{
	EFI_STATUS st = add_file(image, bi, CONFIG_PATH, "config");

	if (EFI_ERROR(st))
		return st;
	const struct bi_file *f = &bi->files[0];
	if (cfg_parse((const char *)f->addr, f->size, &cfg, err, sizeof(err)))
		return con_fail(EFI_LOAD_ERROR, CONFIG_PATH ":%s", err);
	fmt_snprintf(bi->cmdline, sizeof(bi->cmdline), "%s", cfg.cmdline);
	return EFI_SUCCESS;
}

/* Copy the kernel's segments into 2 MiB-aligned pages of their own. */
static EFI_STATUS place_kernel(struct boot_info *bi, const UINT8 *file,
			       const struct elf_info *ei)
{
	UINT64 size = (ei->hi - bi->kernel_virt + MIB2 - 1) & ~(MIB2 - 1);
	UINTN pages = EFI_SIZE_TO_PAGES(size + MIB2);
	EFI_PHYSICAL_ADDRESS pa;

	if (BS->AllocatePages(AllocateAnyPages, EfiLoaderData, pages, &pa))
		return con_fail(EFI_OUT_OF_RESOURCES,
				"no memory for the "
				"kernel (%llu KiB)",
				(unsigned long long)(size >> 10));
	UINT64 base = (pa + MIB2 - 1) & ~(MIB2 - 1);
	if (base > pa)
		BS->FreePages(pa, EFI_SIZE_TO_PAGES(base - pa));
	if (pa + EFI_PAGES_TO_SIZE(pages) > base + size)
		BS->FreePages(base + size,
			      EFI_SIZE_TO_PAGES(pa + EFI_PAGES_TO_SIZE(pages) -
						base - size));
	SetMem((void *)base, size, 0);
	for (UINT32 i = 0; i < ei->nsegs; i++) {
		const struct elf_seg *s = &ei->segs[i];
		CopyMem((void *)(base + s->vaddr - bi->kernel_virt),
			(void *)(file + s->offset), s->filesz);
	}
	bi->kernel_phys = base;
	bi->kernel_size = size;
	handover_reserve(base, size);
	return EFI_SUCCESS;
}

static EFI_STATUS load_kernel(EFI_HANDLE image, struct boot_info *bi,
			      UINT64 *entry)
{
	UINT64 addr, size;
	struct elf_info ei;
	EFI_STATUS st = file_read(image, cfg.kernel, &addr, &size);

	if (EFI_ERROR(st))
		return con_fail(st, "kernel: cannot read hv/%s: %s", cfg.kernel,
				con_status(st));
	if (elf_parse((void *)addr, size, &ei, err, sizeof(err)))
		st = con_fail(EFI_LOAD_ERROR, "kernel %s: %s", cfg.kernel, err);
	else if (ei.lo < BI_KERNEL_VBASE || ei.hi - ei.lo > BI_KERNEL_MAX)
		st = con_fail(EFI_LOAD_ERROR,
			      "kernel %s: not linked in the "
			      "top 2 GiB or larger than %llu MiB",
			      cfg.kernel, BI_KERNEL_MAX >> 20);
	if (!EFI_ERROR(st)) {
		bi->kernel_virt = ei.lo & ~(MIB2 - 1);
		st = place_kernel(bi, (const UINT8 *)addr, &ei);
		*entry = ei.entry;
	}
	BS->FreePages(addr, EFI_SIZE_TO_PAGES(size ? size : 1));
	return st;
}

static EFI_STATUS load_guests(EFI_HANDLE image, struct boot_info *bi,
			      UINT64 *need)
{
	for (UINT32 i = 0; i < cfg.nguests; i++) {
		const struct cfg_guest *g = &cfg.guests[i];
		char what[48];
		fmt_snprintf(what, sizeof(what), "guest '%s'", g->name);
		EFI_STATUS st = add_file(image, bi, g->image, what);
		if (EFI_ERROR(st))
			return st;
		*need += g->memory;
	}
	/* Modules (or a Linux initrd) after every image, guest by guest
	 * (boot_info.h). */
	for (UINT32 i = 0; i < cfg.nguests; i++) {
		const struct cfg_guest *g = &cfg.guests[i];
		char what[48];
		fmt_snprintf(what, sizeof(what), "guest '%s' module", g->name);
		for (UINT32 m = 0; m < g->nmodules; m++) {
			EFI_STATUS st =
			    add_file(image, bi, g->modules[m], what);
			if (EFI_ERROR(st))
				return st;
		}
		if (g->initrd[0]) { /* in the modules' place: never both */
			fmt_snprintf(what, sizeof(what), "guest '%s' initrd",
				     g->name);
			EFI_STATUS st = add_file(image, bi, g->initrd, what);
			if (EFI_ERROR(st))
				return st;
		}
	}
	return EFI_SUCCESS;
}

static void find_acpi(struct boot_info *bi)
{
	EFI_GUID v2 = ACPI_20_TABLE_GUID, v1 = ACPI_TABLE_GUID;
	void *rsdp = NULL;

	if (LibGetSystemConfigurationTable(&v2, &rsdp) != EFI_SUCCESS)
		LibGetSystemConfigurationTable(&v1, &rsdp);
	bi->acpi_rsdp = (UINT64)rsdp;
}

static UINT64 identity_top(void)
{
	UINTN entries, key, dsize;
	UINT32 dver;
	EFI_MEMORY_DESCRIPTOR *map =
	    LibMemoryMap(&entries, &key, &dsize, &dver);
	UINT64 top = BI_IDENTITY_TOP;

	for (UINTN i = 0; map && i < entries; i++) {
		EFI_MEMORY_DESCRIPTOR *d = (void *)((UINT8 *)map + i * dsize);
		UINT64 end =
		    d->PhysicalStart + EFI_PAGES_TO_SIZE(d->NumberOfPages);
		if (d->Type != EfiMemoryMappedIO && end > top)
			top = end;
	}
	if (map)
		FreePool(map);
	return top;
}

static inline UINT64 rdtsc(void)
{
	UINT32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (UINT64)hi << 32 | lo;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	struct boot_info *bi;
	UINT64 entry = 0, cr3, need = HV_MIN_FREE;
	EFI_STATUS st;
	UINT64 start = rdtsc(); /* the hypervisor's start, for make bench */

	InitializeLib(image, systab);
	con_print("hv loader " HV_VERSION);
	if (!(bi = alloc_boot_info()))
		return con_fail(EFI_OUT_OF_RESOURCES,
				"no memory for boot info");
	bi->loader_tsc = start;
	if ((st = load_config(image, bi)))
		return st;
	cpus_discover(bi);
	if (cfg_check_cpus(&cfg, bi->ncpus, err, sizeof(err)))
		return con_fail(EFI_LOAD_ERROR, CONFIG_PATH ":%s", err);
	if ((st = load_kernel(image, bi, &entry)) ||
	    (st = load_guests(image, bi, &need)))
		return st;
	find_acpi(bi);
	bi->efi_system_table = (UINT64)systab;
	if ((st = handover_page_tables(bi, identity_top(), &cr3)))
		return con_fail(st, "no memory for page tables");
	con_print("%u CPU(s), %u guest(s), kernel at 0x%llx; starting it",
		  bi->ncpus, cfg.nguests, (unsigned long long)bi->kernel_phys);
	if ((st = handover_exit(image, bi, need, err)))
		return con_fail(st, "%s", err);
	bi->boot_tsc = rdtsc();
	handoff(cr3, entry, bi);
}
