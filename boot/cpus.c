// SPDX-License-Identifier: MIT
/* CPU discovery through EFI MP Services (PI spec, vol. 2, 13.4). */
#include "loader.h"

/* Not in GNU-EFI's headers: declared here from the PI specification. */
#define MP_SERVICES_GUID                                               \
	{                                                              \
		0x3fdda605, 0xa76e, 0x4f46,                            \
		{                                                      \
			0xad, 0x29, 0x12, 0xf4, 0x53, 0x1b, 0x3d, 0x08 \
		}                                                      \
	}
#define MP_STATUS_BSP	  0x1
#define MP_STATUS_ENABLED 0x2

struct mp_processor_info {
	UINT64 processor_id; /* the APIC ID */
	UINT32 status_flag;
	UINT32 package, core, thread;
	UINT32 extended[6]; /* PI 1.7 extended location; written if asked */
};

struct mp_services {
	EFI_STATUS(EFIAPI *get_number_of_processors)
	(struct mp_services *self, UINTN *count, UINTN *enabled);
	EFI_STATUS(EFIAPI *get_processor_info)
	(struct mp_services *self, UINTN index, struct mp_processor_info *info);
	/* StartupAllAPs, StartupThisAP, ... are not used. */
};

static UINT32 bsp_apic_id(void)
{
	UINT32 a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return b >> 24;
}

static void only_bsp(struct boot_info *bi)
{
	bi->ncpus = 1;
	bi->bsp_index = 0;
	bi->cpus[0].apic_id = bsp_apic_id();
	bi->cpus[0].flags = BI_CPU_BSP | BI_CPU_ENABLED;
}

void cpus_discover(struct boot_info *bi)
{
	EFI_GUID guid = MP_SERVICES_GUID;
	struct mp_services *mp;
	UINTN count, enabled;

	only_bsp(bi);
	if (LibLocateProtocol(&guid, (void **)&mp) != EFI_SUCCESS ||
	    mp->get_number_of_processors(mp, &count, &enabled) != EFI_SUCCESS) {
		con_print("no EFI MP Services: using the boot CPU only");
		return;
	}
	if (count > BI_MAX_CPUS) {
		con_print("%llu CPUs found; using the first %d",
			  (unsigned long long)count, BI_MAX_CPUS);
		count = BI_MAX_CPUS;
	}
	bi->ncpus = 0;
	for (UINTN i = 0; i < count; i++) {
		struct mp_processor_info info;
		if (mp->get_processor_info(mp, i, &info) != EFI_SUCCESS ||
		    !(info.status_flag & MP_STATUS_ENABLED))
			continue;
		struct bi_cpu *c = &bi->cpus[bi->ncpus];
		c->apic_id = (UINT32)info.processor_id;
		c->flags = BI_CPU_ENABLED;
		if (info.status_flag & MP_STATUS_BSP) {
			c->flags |= BI_CPU_BSP;
			bi->bsp_index = bi->ncpus;
		}
		bi->ncpus++;
	}
	if (!bi->ncpus)
		only_bsp(bi);
}
