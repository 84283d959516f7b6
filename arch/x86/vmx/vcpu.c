// SPDX-License-Identifier: MIT
/* Running a vCPU: event injection, VM entry, exit, accounting. */
#include "../../../kernel/arch.h"
#include "../../../kernel/log.h"
#include "../cpu.h"
#include "exit.h"

#define PREEMPT_MAX 0xffffffffull

void exit_inject_exception(struct vcpu *v, unsigned vector, int has_error,
			   uint32_t error)
{
	v->arch.inject_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | vector |
			      (has_error ? INTR_INFO_ERRCODE : 0);
	v->arch.inject_error = error;
}

static void inject_pending(struct vcpu *v)
{
	if (!v->arch.inject_info)
		return;
	vmwrite(VMCS_ENTRY_INTR_INFO, v->arch.inject_info);
	if (v->arch.inject_info & INTR_INFO_ERRCODE)
		vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, v->arch.inject_error);
	v->arch.inject_info = 0;
}

static void entry_failed(struct vcpu *v)
{
	guest_stop(v->guest,
		   "vCPU %u: VM entry failed, VM-instruction error %llu "
		   "(hypervisor bug)",
		   v->id, (unsigned long long)vmread(VMCS_INSTR_ERROR));
}

static uint64_t timer_value(uint64_t now, uint64_t deadline)
{
	if (!deadline)
		return PREEMPT_MAX;
	if (deadline <= now)
		return 0;
	uint64_t ticks = (deadline - now) >> vmx.preempt_shift;
	return ticks > PREEMPT_MAX ? PREEMPT_MAX : ticks;
}

void arch_vcpu_run(struct vcpu *v, uint64_t slice)
{
	if (!v->arch.ready)
		vmcs_setup(v);
	else if (vmptrld(v->arch.vmcs_pa))
		vmx_fail("vmptrld", v->arch.vmcs_pa);
	uint64_t start = rdtsc();
	uint64_t deadline = slice ? start + slice : 0;
	if (!v->arch.launched)
		vmwrite(VMCS_TSC_OFFSET, -start); /* guest TSC from 0 */
	for (;;) {
		inject_pending(v);
		uint64_t t0 = rdtsc();
		vmwrite(VMCS_PREEMPT_TIMER, timer_value(t0, deadline));
		int failed = vmx_enter(v->arch.gpr, v->arch.launched);
		uint64_t t1 = rdtsc();
		v->cycles_guest += t1 - t0;
		if (failed) {
			entry_failed(v);
			return;
		}
		v->arch.launched = 1;
		v->exits++;
		int next = exit_dispatch(v);
		v->cycles_hv += rdtsc() - t1;
		if (next == EXIT_LEAVE || vcpu_state(v) != VCPU_RUNNABLE)
			return;
	}
}
