// SPDX-License-Identifier: MIT
/* Running a vCPU: its VMCS made current, the first entry, leaving. */

#include "../../../kernel/arch.h"
#include "../../../kernel/log.h"
#include "../cpu.h"
#include "exit.h"

void exit_inject_exception(struct vcpu *v, unsigned vector, int has_error,
			   uint32_t error)
{
	v->arch.inject_info = INTR_INFO_VALID | INTR_TYPE_HW_EXC | vector |
			      (has_error ? INTR_INFO_ERRCODE : 0);
	v->arch.inject_error = error;
	v->work = 1;
}

static void entry_failed(struct vcpu *v)
{
	guest_stop(v->guest,
		   "vCPU %u: VM entry failed, VM-instruction error %llu "
		   "(hypervisor bug)",
		   v->id, (unsigned long long)vmread(VMCS_INSTR_ERROR));
}

void arch_vcpu_reset(struct vcpu *v)
{
	v->arch.ready = 0; /* VMCLEAR and a new VMCS at the next run */
	v->arch.launched = 0;
	v->arch.inject_info = 0;
	v->arch.window = 0;
	v->arch.timer_due = 0; /* its first entry looks at everything */
	context_vcpu_reset(v);
}

uint64_t arch_vcpu_run(struct vcpu *v, uint64_t start, uint64_t slice)
{
	uint64_t now = start; /* switching to v is v's hypervisor time */

	context_switch_to(v);
	if (!v->arch.ready)
		vmcs_setup(v);
	else if (vmptrld(v->arch.vmcs_pa))
		vmx_fail("vmptrld", v->arch.vmcs_pa);
	v->arch.deadline = slice ? now + slice : 0;
	if (!v->arch.launched) { /* one TSC for all vCPUs, from 0 */
		if (!v->guest->tsc_zero)
			v->guest->tsc_zero = now;
		vmwrite(VMCS_TSC_OFFSET, -v->guest->tsc_zero);
	}
	/* Nothing new since it last ran (no interrupt, no event, no timer
	 * due): only the preemption timer needs arming, for the slice or
	 * its next device timer.  Else the entry looks at everything. */
	uint64_t due = v->arch.timer_due, d = v->arch.deadline;
	if (!(v->work & ~VCPU_WORK_TIMER) && due > now) {
		if (due != EXIT_NEVER && (!d || due < d))
			d = due;
		v->arch.armed = d;
		v->work = VCPU_WORK_TIMER;
	} else {
		v->work = 1;
	}
	exit_prepare_entry(v, now);
	v->arch.sched_cycles += v->arch.tsc_entry - now;
	if (vmx_enter(v->arch.gpr, v->arch.launched)) {
		v->arch.tsc_exit = v->arch.tsc_entry;
		entry_failed(v);
	} else if (v->arch.ready) {   /* not reset by a restart meanwhile */
		v->arch.launched = 1; /* it exited, so it entered */
	}
	uint64_t end = rdtsc();
	v->cycles_hv += end - v->arch.tsc_exit;
	if (vcpu_state(v) != VCPU_STOPPED) /* its end is not scheduling's */
		v->arch.sched_cycles += end - v->arch.tsc_exit;
	return end;
}
