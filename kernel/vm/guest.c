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
#include "irq.h"
#include "platform.h"
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

/* A claimed port: its device is shared with the guest's other vCPUs. */
static __attribute__((noinline)) void port_locked(struct vcpu *v, uint16_t port,
						  unsigned size, int write,
						  uint32_t *val)
{
	struct guest *g = v->guest;

	guest_lock(g, v->pcpu);
	emul_io_claimed_access(&g->io, port, size, write, val);
	guest_unlock(g);
}

/* The unclaimed path stays a leaf: it only sets a report bit (two vCPUs
 * racing on it may each report the port once). */
void vm_port_io(struct vcpu *v, uint16_t port, unsigned size, int write,
		uint32_t *val)
{
	struct guest *g = v->guest;
	int first;

	if (emul_io_claimed(&g->io, port)) {
		port_locked(v, port, size, write, val);
		return;
	}
	emul_io_access(&g->io, port, size, write, val, &first);
	if (!first)
		return;
	guest_log(g,
		  "unclaimed I/O port 0x%x (%s, %u byte%s): reads all-ones, "
		  "writes are dropped",
		  port, write ? "write" : "read", size, size > 1 ? "s" : "");
}

void vm_mmio(struct vcpu *v, uint64_t gpa, unsigned size, int write,
	     uint64_t *val)
{
	struct guest *g = v->guest;
	int first, claimed = 1;

	guest_lock(g, v->pcpu);
	/* The local APIC page is each vCPU's own, not the guest's. */
	if (gpa - VLAPIC_BASE_ADDR < 0x1000)
		irq_lapic_mmio(v, (uint32_t)(gpa - VLAPIC_BASE_ADDR), write,
			       val);
	else
		claimed =
		    emul_mmio_access(&g->mmio, gpa, size, write, val, &first);
	guest_unlock(g);
	if (claimed || !first)
		return;
	guest_log(g,
		  "unclaimed MMIO at 0x%llx (%s, %u byte%s): reads all-ones, "
		  "writes are dropped",
		  (unsigned long long)gpa, write ? "write" : "read", size,
		  size > 1 ? "s" : "");
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
	vconsole_feed(g); /* input waiting for room; the IRQ line */
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
	    debugexit_attach(g) || platform_attach(g, arch_now()) ||
	    irq_attach(g))
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
		if (arch_vcpu_init(v))
			hv_stop("error", "guest %s: out of memory for vCPU %u",
				g->name, i);
	}
}

/* What each guest's image needs, worked out before anything is built. */
struct image {
	enum cfg_format format;
	const struct bi_file *file;
	struct loader_module mods[CFG_MAX_MODULES];
	uint32_t nmods;
	const struct bi_file *initrd; /* Linux, or NULL */
	struct elf_info elf;
	struct mb_info_plan mb;
	struct linux_plan linux;
};

static int is_elf64(const struct bi_file *f)
{
	const uint8_t *p = (const uint8_t *)f->addr;

	return f->size >= 5 && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' &&
	       p[3] == 'F' && p[4] == 2;
}

/* format = auto: ELF64, a Linux bzImage, else a Multiboot header; a raw
 * binary must be asked for (format = flat), so a damaged image is never
 * run as one. */
static enum cfg_format detect(const struct bi_file *f)
{
	if (is_elf64(f))
		return CFG_FORMAT_ELF64;
	if (loader_linux_detect((const void *)f->addr, f->size))
		return CFG_FORMAT_LINUX;
	if (loader_multiboot_detect((const void *)f->addr, f->size))
		return CFG_FORMAT_MULTIBOOT;
	return CFG_FORMAT_AUTO;
}

static int check_image(struct guest *g, struct image *im, char *err,
		       size_t size)
{
	const void *data = (const void *)im->file->addr;

	switch (im->format) {
	case CFG_FORMAT_ELF64:
		return loader_elf_check(&g->ram, data, im->file->size, &im->elf,
					err, size);
	case CFG_FORMAT_MULTIBOOT:
		return loader_multiboot_check(&g->ram, data, im->file->size,
					      g->cfg->cmdline, im->mods,
					      im->nmods, &im->mb, err, size);
	case CFG_FORMAT_FLAT:
		return loader_flat_check(&g->ram, im->file->size, err, size);
	case CFG_FORMAT_LINUX:
		return loader_linux_check(
		    &g->ram, data, im->file->size, g->cfg->cmdline,
		    im->initrd ? (const void *)im->initrd->addr : NULL,
		    im->initrd ? im->initrd->size : 0, &im->linux, err, size);
	default:
		fmt_snprintf(err, size,
			     "neither ELF64, a Linux bzImage nor Multiboot "
			     "(for a raw binary entered in real mode, set "
			     "format = flat)");
		return -1;
	}
}

/* The ELF64 convention's boot-info page: what only the guest list knows. */
static void fill_hv_boot(struct guest *g)
{
	struct hv_boot *b = guest_ram_ptr(g, HV_BOOT_INFO, sizeof(*b));

	memcpy(b->name, g->name, sizeof(b->name));
	memcpy(b->cmdline, g->cfg->cmdline, sizeof(b->cmdline));
	b->nvcpus = g->nvcpus;
	b->tsc_khz = arch_tsc_khz();
	b->restarts = g->restarts;
}

static void load_image(struct guest *g, const struct image *im,
		       struct vcpu_boot *boot)
{
	uint8_t *mem = (uint8_t *)g->hpa;
	const void *data = (const void *)im->file->addr;

	memset(boot, 0, sizeof(*boot));
	switch (im->format) {
	case CFG_FORMAT_ELF64:
		loader_elf_load(mem, &g->ram, data, &im->elf, boot);
		fill_hv_boot(g);
		break;
	case CFG_FORMAT_MULTIBOOT:
		loader_multiboot_load(mem, &g->ram, data, &im->mb,
				      g->cfg->cmdline, im->mods, im->nmods,
				      boot);
		break;
	case CFG_FORMAT_LINUX:
		loader_linux_load(mem, &g->ram, data, g->cfg->cmdline,
				  im->initrd ? (const void *)im->initrd->addr
					     : NULL,
				  &im->linux, boot);
		break;
	default:
		loader_flat_load(mem, &g->ram, data, im->file->size, boot);
	}
}

static struct image images[CFG_MAX_GUESTS]; /* kept for restarts */

/* A crashed guest starts over as at boot: its partition scrubbed, its
 * image loaded again, its vCPUs reset.  Only while its other vCPUs wait
 * for INIT/SIPI (none runs, so vCPU 0 crashed, on its own CPU): stopping
 * vCPUs that run on other CPUs first is not done yet. */
static int restartable(const struct guest *g)
{
	for (uint32_t i = 1; i < g->nvcpus; i++)
		if (!vcpu_awaits_signal(&g->vcpus[i]))
			return 0;
	return 1;
}

static void restart(struct guest *g)
{
	const struct image *im = &images[g->id];
	struct vcpu_boot boot;

	memset((void *)g->hpa, 0, g->cfg->memory);
	vuart_init(&g->uart, uart_tx, g);
	g->uart_line = 0;
	g->in_count = 0;
	platform_reset(g, arch_now());
	irq_reset(g);
	g->tsc_zero = 0;
	g->line_len = 0;
	g->term = 0;
	g->line_open = 0;
	load_image(g, im, &boot);
	g->vcpus[0].boot = boot;
	for (uint32_t i = 0; i < g->nvcpus; i++) {
		arch_vcpu_reset(&g->vcpus[i]);
		vcpu_move(&g->vcpus[i], VCPU_RUNNABLE,
			  i ? VCPU_BLOCKED : VCPU_RUNNABLE);
	}
}

void guest_crash(struct guest *g, const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (g->cfg->on_crash != CFG_CRASH_RESTART)
		return guest_stop(g, "%s", buf);
	if (!restartable(g))
		return guest_stop(g,
				  "%s (not restarted: its secondary vCPUs "
				  "run, and restarting those is not supported)",
				  buf);
	if (g->restarts == g->cfg->max_restarts)
		return guest_stop(g, "%s, after %u restarts", buf, g->restarts);
	vconsole_flush(g);
	g->restarts++;
	guest_log(g, "crashed: %s; restarting it (restart %u of at most %u)",
		  buf, g->restarts, g->cfg->max_restarts);
	restart(g);
}

void guest_reset(struct guest *g, const char *how)
{
	if (g->restarts == g->cfg->max_restarts)
		return guest_stop(g, "reset (%s) after %u restarts", how,
				  g->restarts);
	if (!restartable(g))
		return guest_stop(g,
				  "reset (%s) (not restarted: its secondary "
				  "vCPUs run, and restarting those is not "
				  "supported)",
				  how);
	vconsole_flush(g);
	g->restarts++;
	guest_log(g,
		  "reset by the guest (%s); restarting it (restart %u of "
		  "at most %u)",
		  how, g->restarts, g->cfg->max_restarts);
	restart(g);
}

static const char *const format_names[] = {"auto", "ELF64", "Multiboot",
					   "flat binary", "Linux bzImage"};

static void create(struct guest *g, const struct image *im)
{
	struct vcpu_boot boot;

	partition(g);
	devices(g);
	load_image(g, im, &boot);
	boot_vcpus(g, &boot);
	guest_log(g, "%s image, entry 0x%llx; %llu MiB at host 0x%llx",
		  format_names[im->format], (unsigned long long)boot.rip,
		  (unsigned long long)(g->cfg->memory >> 20),
		  (unsigned long long)g->hpa);
}

/* Files: the config, one image per guest, then every guest's modules or
 * initrd. */
static void find_files(const struct boot_info *bi, uint32_t n, struct image *im)
{
	uint32_t next = 1 + n;

	for (uint32_t i = 0; i < n; i++) {
		const struct cfg_guest *c = guests[i].cfg;
		im[i].file = &bi->files[1 + i];
		im[i].nmods = c->nmodules;
		for (uint32_t m = 0; m < c->nmodules; m++, next++)
			im[i].mods[m] = (struct loader_module){
			    (const void *)bi->files[next].addr,
			    bi->files[next].size, c->modules[m]};
		im[i].initrd = c->initrd[0] ? &bi->files[next++] : NULL;
	}
}

/* Every image is checked before any partition is carved: a bad one stops
 * the boot with nothing half-built. */
void guests_create(const struct cfg *c, const struct boot_info *bi)
{
	struct image *im = images;
	char err[160];

	nguests = c->nguests;
	for (uint32_t i = 0; i < nguests; i++) {
		struct guest *g = &guests[i];
		g->cfg = &c->guests[i];
		g->id = i;
		g->nvcpus = g->cfg->nvcpus;
		g->exit_status = -1;
		memcpy(g->name, g->cfg->name, sizeof(g->name));
		if (layout_ram(g->cfg->memory, &g->ram))
			hv_stop("error", "guest %s: bad memory size", g->name);
	}
	find_files(bi, nguests, im);
	for (uint32_t i = 0; i < nguests; i++) {
		struct guest *g = &guests[i];
		im[i].format = g->cfg->format != CFG_FORMAT_AUTO
				   ? g->cfg->format
				   : detect(im[i].file);
		if (im[i].initrd && im[i].format != CFG_FORMAT_LINUX)
			hv_stop("error",
				"guest %s: initrd %s given, but image %s is "
				"not a Linux kernel",
				g->name, g->cfg->initrd, g->cfg->image);
		if (check_image(g, &im[i], err, sizeof(err)))
			hv_stop("error", "guest %s: image %s: %s", g->name,
				g->cfg->image, err);
	}
	for (uint32_t i = 0; i < nguests; i++)
		create(&guests[i], &im[i]);
}
