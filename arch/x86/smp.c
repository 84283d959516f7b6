// SPDX-License-Identifier: MIT
/* Starting the other CPUs: INIT-SIPI-SIPI into a trampoline below 1 MiB. */
#include <string.h>

#include "../../kernel/arch.h"
#include "../../kernel/bootinfo.h"
#include "../../kernel/mm/frame.h"
#include "cpu.h"
#include "gdt.h"
#include "idt.h"
#include "lapic.h"

#define AP_STACK_SIZE (32ull << 10)
#define LOW_LIMIT     0x9f000ull /* the SIPI vector is a page below 1 MiB */
#define EFER_LME      (1ull << 8)

/* trampoline.S: the blob and where its patchable slots are. */
struct tr_layout {
	uint64_t size, jmp32, pm32, jmp64, lm64, gdt, gdtr, cr3, efer, stack,
	    entry, arg;
};
extern const char trampoline_start[];
extern const struct tr_layout tr_layout;

static uint64_t page; /* where the trampoline lives, or 0 */
static uint64_t boot_cr0, boot_cr4;
static void (*cpu_entry)(uint32_t index);
static struct gdt_cpu *tables[BI_MAX_CPUS];
static volatile int alive[BI_MAX_CPUS];

static void *slot(uint64_t offset)
{
	return (void *)(page + offset);
}

static void delay_us(uint64_t us)
{
	uint64_t khz = arch_tsc_khz() ? arch_tsc_khz() : 1000000;
	uint64_t end = rdtsc() + us * khz / 1000;

	while (rdtsc() < end)
		cpu_relax();
}

/* A usable page in [4 KiB, LOW_LIMIT): nothing else there is in use once
 * the firmware's boot services are gone. */
static uint64_t low_page(const struct boot_info *bi)
{
	for (uint32_t i = 0; i < bi->mem.count; i++) {
		const struct bi_mem_range *r = &bi->mem.r[i];
		uint64_t lo = (r->base + 0xfff) & ~0xfffull;
		if (lo < 0x1000)
			lo = 0x1000; /* page 0: the real-mode IVT */
		if (r->type == BI_MEM_USABLE &&
		    lo + 0x1000 <= r->base + r->size &&
		    lo + 0x1000 <= LOW_LIMIT)
			return lo;
	}
	return 0;
}

static void patch(void)
{
	const struct tr_layout *l = &tr_layout;

	memcpy((void *)page, trampoline_start, l->size);
	*(uint32_t *)slot(l->jmp32) = (uint32_t)(page + l->pm32);
	*(uint32_t *)slot(l->jmp64) = (uint32_t)(page + l->lm64);
	*(uint32_t *)slot(l->gdtr + 2) = (uint32_t)(page + l->gdt);
	*(uint64_t *)slot(l->cr3) = read_cr3();
	*(uint64_t *)slot(l->efer) =
	    EFER_LME | (rdmsr(MSR_IA32_EFER) & EFER_NXE);
}

static void ap_entry(uint64_t index);
static void ap_entry(uint64_t index)
{
	write_cr0(boot_cr0);
	write_cr4(boot_cr4);
	gdt_load(tables[index]);
	idt_load();
	lapic_init();
	__atomic_store_n(&alive[index], 1, __ATOMIC_RELEASE);
	cpu_entry((uint32_t)index);
	arch_halt();
}

int arch_smp_init(const struct boot_info *bi, void (*entry)(uint32_t index))
{
	page = low_page(bi);
	if (!page || read_cr3() >> 32)
		return -1;
	boot_cr0 = read_cr0();
	boot_cr4 = read_cr4();
	cpu_entry = entry;
	lapic_init();
	patch();
	return 0;
}

/* Stack and tables from the frame pool; then the start-up sequence of
 * SDM vol. 3A, 9.4.4.1: INIT, 10 ms, SIPI, 200 us, SIPI. */
int arch_cpu_start(uint32_t index, uint32_t apic_id, uint64_t timeout_us)
{
	uint64_t stack = frame_pool_alloc(&frames, AP_STACK_SIZE, FRAME_SIZE);
	uint64_t t =
	    frame_pool_alloc(&frames, sizeof(struct gdt_cpu), FRAME_SIZE);

	if (!page || !stack || !t || index >= BI_MAX_CPUS)
		return -1;
	tables[index] = (struct gdt_cpu *)t;
	*(uint64_t *)slot(tr_layout.stack) = stack + AP_STACK_SIZE;
	*(uint64_t *)slot(tr_layout.entry) = (uint64_t)ap_entry;
	*(uint64_t *)slot(tr_layout.arg) = index;
	uint8_t vector = (uint8_t)(page >> 12);
	lapic_send_init(apic_id);
	delay_us(10000);
	for (int i = 0; i < 2 && !alive[index]; i++) {
		lapic_send_sipi(apic_id, vector);
		delay_us(200);
	}
	for (uint64_t waited = 0; waited < timeout_us; waited += 100) {
		if (__atomic_load_n(&alive[index], __ATOMIC_ACQUIRE))
			return 0;
		delay_us(100);
	}
	return -1;
}

/* An NMI, not a fixed IPI: a guest runs with NMI exiting, so the NMI
 * takes it out whatever its RFLAGS.IF.  (External-interrupt exiting
 * should too, but Bochs 2.7 holds an interrupt back from a guest with IF
 * clear, so a CPU-bound guest that never enables interrupts would keep
 * its CPU until its slice ends.)  In the hypervisor the NMI does nothing
 * (isr.S): the loop polls its flags. */
void arch_cpu_kick(uint32_t apic_id)
{
	lapic_send_nmi(apic_id);
}
