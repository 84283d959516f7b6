// SPDX-License-Identifier: MIT
/* MMIO: an EPT violation in a device window; decode the instruction at
 * RIP through the guest's page tables and carry out its access. */
#include "../../../kernel/vm/layout.h"
#include "decode.h"
#include "exit.h"
#include "gwalk.h"

static int read64(void *ctx, uint64_t gpa, uint64_t *val)
{
	const uint64_t *p = guest_ram_ptr(ctx, gpa, 8);

	if (!p)
		return -1;
	*val = *p;
	return 0;
}

static int read_bytes(void *ctx, uint64_t gpa, void *dst, size_t len)
{
	const uint8_t *p = guest_ram_ptr(ctx, gpa, len);

	if (!p)
		return -1;
	for (size_t i = 0; i < len; i++)
		((uint8_t *)dst)[i] = p[i];
	return 0;
}

static uint64_t mmio_read(void *ctx, uint64_t gpa, unsigned size)
{
	uint64_t val = 0;

	vm_mmio(ctx, gpa, size, 0, &val);
	return val;
}

static void mmio_write(void *ctx, uint64_t gpa, uint64_t val, unsigned size)
{
	vm_mmio(ctx, gpa, size, 1, &val);
}

/* The instruction bytes at RIP, read as the guest's paging sees them. */
static size_t fetch(struct vcpu *v, uint8_t *buf, char *err, size_t err_size)
{
	struct gwalk_ops ops = {read64, read_bytes, v->guest};
	uint64_t cr0 = vmread(VMCS_GUEST_CR0), cr4 = vmread(VMCS_GUEST_CR4);
	uint64_t efer = vmread(VMCS_GUEST_EFER);
	uint64_t la = vmread(VMCS_GUEST_ES_BASE + 2 * SEG_CS) + exit_rip();

	return gwalk_fetch(gwalk_mode(cr0, cr4, efer), vmread(VMCS_GUEST_CR3),
			   la, buf, 15, &ops, err, err_size);
}

static int decode_at_rip(struct vcpu *v, struct decoded *d, char *err,
			 size_t err_size)
{
	uint8_t insn[15];
	size_t n = fetch(v, insn, err, err_size);

	if (!n)
		return -1;
	enum decode_mode mode =
	    decode_mode_of(vmread(VMCS_GUEST_CR0), vmread(VMCS_GUEST_EFER),
			   vmread(VMCS_GUEST_RFLAGS),
			   (uint32_t)vmread(VMCS_GUEST_ES_AR + 2 * SEG_CS));
	return decode_insn(insn, n, mode, d, err, err_size);
}

int exit_mmio(struct vcpu *v, const struct exit_ctx *x, uint64_t gpa)
{
	struct emul_mem_ops ops = {mmio_read, mmio_write, v};
	struct decoded d;
	char err[64];

	if (decode_at_rip(v, &d, err, sizeof(err))) {
		guest_stop(v->guest,
			   "vCPU %u: MMIO access at 0x%llx by an instruction "
			   "that cannot be emulated (%s) at RIP 0x%llx",
			   v->id, (unsigned long long)gpa, err,
			   (unsigned long long)exit_rip());
		return EXIT_LEAVE;
	}
	uint64_t *gpr = v->arch.gpr, rflags = vmread(VMCS_GUEST_RFLAGS);
	gpr[GPR_RSP] = vmread(VMCS_GUEST_RSP);
	int more = emulate_mmio(&d, gpa, gpr, &rflags, &ops);
	vmwrite(VMCS_GUEST_RSP, gpr[GPR_RSP]);
	vmwrite(VMCS_GUEST_RFLAGS, rflags);
	if (more < 0)
		return exit_stop(v, x,
				 "MMIO emulation failed (hypervisor bug)");
	if (!more) /* REP STOS with more to do re-executes in place */
		exit_advance(d.len);
	return vcpu_should_leave(v) ? EXIT_LEAVE : EXIT_RESUME;
}
