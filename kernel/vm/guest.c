// SPDX-License-Identifier: MIT
/* Guests: partitions carved and scrubbed, images loaded, devices attached. */
#include "guest.h"

#include <stdarg.h>
#include <string.h>

#include "../../drivers/virt/debugexit.h"
#include "../arch.h"
#include "../bootinfo.h"
#include "../smp.h"
#include "../lib/fmt.h"
#include "../log.h"
#include "../mm/frame.h"
#include "abi.h"
#include "loader.h"
#include "vconsole.h"

#define COM1	 0x3f8
#define COM1_LEN 8
#define GIB	 (1ull << 30)
#define MIB2	 (2ull << 20)

struct guest guests[CFG_MAX_GUESTS];
uint32_t nguests;

void guest_log(const struct guest *g, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("hv: guest %s: %s\n", g->name, buf);
}

void guest_stop(struct guest *g, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	if (__atomic_exchange_n(&g->stopped, 1, __ATOMIC_ACQ_REL))
		return; /* the first reason is the one reported */
	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &g->vcpus[i];
		__atomic_store_n((int *)&v->state, VCPU_STOPPED,
				 __ATOMIC_RELEASE);
		if (smp_cpu_online(v->pcpu))
			arch_cpu_kick(boot_info->cpus[v->pcpu].apic_id);
	}
	vconsole_flush(g);
	guest_log(g, "stopped: %s", buf);
}

void *guest_ram_ptr(const struct guest *g, uint64_t gpa, uint64_t len)
{
	int64_t off = layout_offset(&g->ram, gpa, len);

	return off < 0 ? NULL : (void *)(g->hpa + (uint64_t)off);
}

void vm_port_io(struct vcpu *v, uint16_t port, unsigned size, int write,
		uint32_t *val)
{
	struct guest *g = v->guest;
	int first;

	if (emul_io_access(&g->io, port, size, write, val, &first) || !first)
		return;
	guest_log(g,
		  "unclaimed I/O port 0x%x (%s, %u byte%s): reads all-ones, "
		  "writes are dropped",
		  port, write ? "write" : "read", size, size > 1 ? "s" : "");
}

static void uart_tx(void *ctx, uint8_t byte)
{
	vconsole_putc(ctx, (char)byte);
}

static void uart_io(void *dev, uint16_t port, unsigned size, int write,
		    uint32_t *val)
{
	struct guest *g = dev;

	(void)size; /* wider accesses touch only the addressed register */
	if (write)
		vuart_write(&g->uart, port - COM1, (uint8_t)*val);
	else
		*val = vuart_read(&g->uart, port - COM1);
}

/* Partitions are contiguous and aligned for the largest EPT pages that
 * fit, so most of a guest maps with 1 GiB or 2 MiB pages. */
static uint64_t carve(uint64_t size)
{
	uint64_t pa = size >= GIB ? frame_pool_alloc(&frames, size, GIB) : 0;

	return pa ? pa : frame_pool_alloc(&frames, size, MIB2);
}

static void partition(struct guest *g)
{
	uint64_t size = g->cfg->memory;

	g->hpa = carve(size);
	if (!g->hpa)
		hv_stop("error",
			"guest %s: no contiguous %llu MiB left for its "
			"memory",
			g->name, (unsigned long long)(size >> 20));
	memset((void *)g->hpa, 0, size); /* scrub: nothing of before leaks */
	if (arch_guest_init(g))
		hv_stop("error", "guest %s: out of memory for its page tables",
			g->name);
	for (uint32_t i = 0; i < g->ram.n; i++)
		if (arch_guest_map_ram(g, g->ram.r[i].gpa,
				       g->hpa + g->ram.r[i].offset,
				       g->ram.r[i].size))
			hv_stop("error", "guest %s: cannot map its memory",
				g->name);
}

static void devices(struct guest *g)
{
	vuart_init(&g->uart, uart_tx, g);
	if (emul_io_register(&g->io, COM1, COM1_LEN, uart_io, g) ||
	    debugexit_attach(g))
		panic("guest %s: device ports overlap", g->name);
}

static void boot_vcpus(struct guest *g, const struct vcpu_boot *boot)
{
	g->vcpus[0].boot = *boot;
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = &g->vcpus[i];
		v->guest = g;
		v->id = i;
		v->pcpu = g->cfg->cpus[i];
		/* Secondary vCPUs wait for INIT/SIPI from the boot one. */
		v->state = i == 0 ? VCPU_RUNNABLE : VCPU_BLOCKED;
	}
	if (arch_vcpu_init(&g->vcpus[0]))
		hv_stop("error", "guest %s: out of memory for its vCPU",
			g->name);
}

static void create(struct guest *g, const struct bi_file *img,
		   const struct elf_info *info)
{
	struct vcpu_boot boot;

	partition(g);
	devices(g);
	loader_elf_load((uint8_t *)g->hpa, &g->ram, (const void *)img->addr,
			info, &boot);
	struct hv_boot *b = guest_ram_ptr(g, HV_BOOT_INFO, sizeof(*b));
	memcpy(b->name, g->name, sizeof(b->name));
	b->nvcpus = g->nvcpus;
	b->tsc_khz = arch_tsc_khz();
	boot_vcpus(g, &boot);
}

/* Every image is checked before any partition is carved: a bad one stops
 * the boot with nothing half-built. */
void guests_create(const struct cfg *c, const struct boot_info *bi)
{
	static struct elf_info info[CFG_MAX_GUESTS];
	char err[160];

	nguests = c->nguests;
	for (uint32_t i = 0; i < nguests; i++) {
		struct guest *g = &guests[i];
		const struct bi_file *img = &bi->files[i + 1];
		g->cfg = &c->guests[i];
		g->id = i;
		g->nvcpus = g->cfg->nvcpus;
		g->exit_status = -1;
		memcpy(g->name, g->cfg->name, sizeof(g->name));
		if (layout_ram(g->cfg->memory, &g->ram))
			hv_stop("error", "guest %s: bad memory size", g->name);
		if (loader_elf_check(&g->ram, (const void *)img->addr,
				     img->size, &info[i], err, sizeof(err)))
			hv_stop("error", "guest %s: image %s: %s", g->name,
				g->cfg->image, err);
	}
	for (uint32_t i = 0; i < nguests; i++)
		create(&guests[i], &bi->files[i + 1], &info[i]);
}
