// SPDX-License-Identifier: MIT
/* VM-exit dispatch: one table, one small handler per basic exit reason. */
#include "exit.h"

#include <stddef.h>

#include "../../../kernel/log.h"
#include "../../../kernel/vm/hypercall.h"
#include "../../../kernel/vm/irq.h"
#include "../../../kernel/vm/layout.h"
#include "../../../kernel/vm/vconsole.h"
#include "../cpu.h"
#include "../lapic.h"
#include "qual.h"

#define RFLAGS_IF (1ull << 9)

unsigned exit_cpl(void)
{
	return (unsigned)(vmread(VMCS_GUEST_ES_AR + 2 * SEG_SS) >> 5) & 3;
}

int exit_stop(struct vcpu *v, const struct exit_ctx *x, const char *what)
{
	guest_stop(v->guest, "vCPU %u: %s at RIP 0x%llx (exit reason %u)",
		   v->id, what, (unsigned long long)exit_rip(), x->reason);
	return EXIT_LEAVE;
}

static int exit_unknown(struct vcpu *v, const struct exit_ctx *x)
{
	return exit_stop(v, x, "unhandled VM exit");
}

/* With "acknowledge interrupt on exit" the vector is ours to finish: the
 * host console's.  The vCPU's state (stopped, say) is looked at on the
 * way back. */
static int exit_external(struct vcpu *v, const struct exit_ctx *x)
{
	uint32_t vec = (uint32_t)vmread(VMCS_EXIT_INTR_INFO) & 0xff;

	(void)x;
	lapic_eoi();
	if (vec == CONSOLE_VECTOR)
		vconsole_input(v->pcpu);
	else
		kprintf("hv: cpu %u: host interrupt vector %u (no host driver "
			"claims it)\n",
			v->pcpu, vec);
	return vcpu_kicked_out(v) ? EXIT_LEAVE : EXIT_RESUME;
}

static int exit_exception_nmi(struct vcpu *v, const struct exit_ctx *x)
{
	uint32_t info = (uint32_t)vmread(VMCS_EXIT_INTR_INFO);

	if ((info & INTR_TYPE_MASK) == INTR_TYPE_NMI) {
		/* Another CPU's kick.  The NMI's exit left NMIs blocked: an
		 * IRET lifts that, or the next kick would never come. */
		nmi_unblock();
		return vcpu_kicked_out(v) ? EXIT_LEAVE : EXIT_RESUME;
	}
	return exit_stop(v, x, "unexpected exception exit");
}

/* Crashes: the guest stops or restarts, as its config says. */
static int exit_triple_fault(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	guest_crash(v->guest, "vCPU %u: triple fault at RIP 0x%llx", v->id,
		    (unsigned long long)exit_rip());
	return EXIT_LEAVE;
}

static int exit_init(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	guest_crash(v->guest, "vCPU %u: INIT signal at RIP 0x%llx", v->id,
		    (unsigned long long)exit_rip());
	return EXIT_LEAVE;
}

/* HLT with interrupts off: no interrupt can end it, and no NMI is ever
 * delivered, so only an INIT from a sibling can (a kernel parks its other
 * CPUs so before powering off or rebooting).  Parked while a sibling may
 * still send one; with none left the guest is stopped. */
static int park(struct vcpu *v, const struct exit_ctx *x)
{
	guest_lock(v->guest, v->pcpu);
	int others = irq_siblings_alive(v);
	if (others) {
		v->parked = 1;
		vcpu_move(v, VCPU_RUNNABLE, VCPU_BLOCKED);
	}
	guest_unlock(v->guest);
	if (!others)
		return exit_stop(v, x,
				 "HLT with interrupts disabled (nothing can "
				 "wake it)");
	guest_log(v->guest,
		  "vCPU %u: HLT with interrupts disabled: parked "
		  "until an INIT",
		  v->id);
	return EXIT_LEAVE;
}

static int exit_hlt(struct vcpu *v, const struct exit_ctx *x)
{
	exit_skip(v, x);
	if (!(vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF))
		return park(v, x);
	/* Under the lock, so that an IPI from another CPU either is seen
	 * here or finds the vCPU blocked and wakes it. */
	guest_lock(v->guest, v->pcpu);
	int pending = irq_pending(v);
	if (!pending) {
		vcpu_move(v, VCPU_RUNNABLE, VCPU_BLOCKED); /* unless stopped */
		vconsole_pause(v->guest); /* a prompt waiting for input */
	}
	guest_unlock(v->guest);
	return pending ? EXIT_RESUME : EXIT_LEAVE; /* pending: deliver it */
}

/* Caches are coherent for guest RAM (write-back through EPT) and no guest
 * has a device doing non-coherent DMA, so both are safe as no-ops; INVD
 * must not really discard lines other guests may own. */
static int exit_wbinvd(struct vcpu *v, const struct exit_ctx *x)
{
	exit_skip(v, x);
	return EXIT_RESUME;
}

static int exit_undefined(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	return exit_ud(v);
}

static int exit_rdpmc(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	return exit_gp(v); /* no performance counters are offered */
}

static int exit_vmcall(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t *r = v->arch.gpr;

	if (exit_cpl() != 0)
		return exit_ud(v);
	struct hc_result res =
	    hypercall(v, r[GPR_RAX], r[GPR_RDI], r[GPR_RSI], r[GPR_RDX]);
	r[GPR_RAX] = (uint64_t)res.value;
	exit_skip(v, x);
	return res.leave ? EXIT_LEAVE : EXIT_RESUME;
}

static int exit_ept_violation(struct vcpu *v, const struct exit_ctx *x)
{
	uint64_t gpa = vmread(VMCS_GUEST_PHYS_ADDR);

	if (layout_is_mmio(gpa) && !(v->arch.inject_info & INTR_INFO_VALID))
		return exit_mmio(v, x, gpa);
	const char *access = ept_qual_access(ept_qual_decode(exit_qual()));

	guest_stop(v->guest,
		   "vCPU %u: %s at guest-physical 0x%llx, outside its memory "
		   "(RIP 0x%llx)",
		   v->id, access, (unsigned long long)gpa,
		   (unsigned long long)exit_rip());
	return EXIT_LEAVE;
}

static int exit_ept_misconfig(struct vcpu *v, const struct exit_ctx *x)
{
	return exit_stop(v, x, "EPT misconfiguration (hypervisor bug)");
}

/* A device timer (the entry path runs it) or the end of the slice. */
static int exit_preempt(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	/* The slice is over: the next run arms its own timer and looks at
	 * the device timers if one is due by then (timer_due). */
	if (v->arch.deadline && rdtsc() >= v->arch.deadline)
		return EXIT_LEAVE;
	v->work = 1; /* a device timer fell due */
	return EXIT_RESUME;
}

/* The guest can take an interrupt now: the entry path delivers it. */
static int exit_intr_window(struct vcpu *v, const struct exit_ctx *x)
{
	(void)x;
	v->work = 1;
	return EXIT_RESUME;
}

static int exit_entry_failed(struct vcpu *v, const struct exit_ctx *x)
{
	return exit_stop(v, x,
			 x->reason == EXIT_BAD_GUEST_STATE
			     ? "VM entry refused the guest state"
			 : x->reason == EXIT_BAD_MSR_LOAD
			     ? "VM entry failed loading MSRs"
			     : "machine check during VM entry");
}

/* Every basic exit reason has its entry (exit_unknown where none can
 * happen with the controls in use), so dispatch needs no NULL test. */
static const exit_fn handlers[EXIT_REASON_COUNT] = {
    [EXIT_EXCEPTION_NMI] = exit_exception_nmi,
    [EXIT_EXTERNAL_INTR] = exit_external,
    [EXIT_TRIPLE_FAULT] = exit_triple_fault,
    [EXIT_INIT] = exit_init,
    [EXIT_SIPI] = exit_unknown,
    [5] = exit_unknown, /* I/O SMI */
    [6] = exit_unknown, /* other SMI */
    [EXIT_INTR_WINDOW] = exit_intr_window,
    [EXIT_NMI_WINDOW] = exit_unknown,
    [EXIT_TASK_SWITCH] = exit_unknown,
    [EXIT_CPUID] = exit_cpuid,
    [EXIT_GETSEC] = exit_undefined,
    [EXIT_HLT] = exit_hlt,
    [EXIT_INVD] = exit_wbinvd,
    [EXIT_INVLPG] = exit_unknown,
    [EXIT_RDPMC] = exit_rdpmc,
    [EXIT_RDTSC] = exit_unknown,
    [EXIT_RSM] = exit_undefined,
    [EXIT_VMCALL] = exit_vmcall,
    [EXIT_VMCLEAR] = exit_undefined,
    [EXIT_VMLAUNCH] = exit_undefined,
    [EXIT_VMPTRLD] = exit_undefined,
    [EXIT_VMPTRST] = exit_undefined,
    [EXIT_VMREAD] = exit_undefined,
    [EXIT_VMRESUME] = exit_undefined,
    [EXIT_VMWRITE] = exit_undefined,
    [EXIT_VMXOFF] = exit_undefined,
    [EXIT_VMXON] = exit_undefined,
    [EXIT_CR_ACCESS] = exit_cr,
    [EXIT_DR_ACCESS] = exit_unknown,
    [EXIT_IO] = exit_io,
    [EXIT_RDMSR] = exit_rdmsr,
    [EXIT_WRMSR] = exit_wrmsr,
    [EXIT_BAD_GUEST_STATE] = exit_entry_failed,
    [EXIT_BAD_MSR_LOAD] = exit_entry_failed,
    [35] = exit_unknown, /* not defined */
    [EXIT_MWAIT] = exit_undefined,
    [EXIT_MTF] = exit_unknown,
    [38] = exit_unknown, /* not defined */
    [EXIT_MONITOR] = exit_undefined,
    [EXIT_PAUSE] = exit_unknown,
    [EXIT_MACHINE_CHECK] = exit_entry_failed,
    [42] = exit_unknown, /* not defined */
    [EXIT_TPR_BELOW] = exit_unknown,
    [EXIT_APIC_ACCESS] = exit_unknown,
    [EXIT_EOI_INDUCED] = exit_unknown,
    [EXIT_GDTR_IDTR] = exit_unknown,
    [EXIT_LDTR_TR] = exit_unknown,
    [EXIT_EPT_VIOLATION] = exit_ept_violation,
    [EXIT_EPT_MISCONFIG] = exit_ept_misconfig,
    [EXIT_INVEPT] = exit_undefined,
    [EXIT_RDTSCP] = exit_unknown,
    [EXIT_PREEMPT_TIMER] = exit_preempt,
    [EXIT_INVVPID] = exit_undefined,
    [EXIT_WBINVD] = exit_wbinvd,
    [EXIT_XSETBV] = exit_xsetbv,
    [EXIT_APIC_WRITE] = exit_unknown,
    [EXIT_RDRAND] = exit_unknown,
    [EXIT_INVPCID] = exit_unknown,
    [EXIT_VMFUNC] = exit_undefined,
    [EXIT_ENCLS] = exit_undefined,
    [EXIT_RDSEED] = exit_unknown,
    [EXIT_PML_FULL] = exit_unknown,
    [EXIT_XSAVES] = exit_undefined,
    [EXIT_XRSTORS] = exit_undefined,
};

_Static_assert(EXIT_REASON_COUNT <= VCPU_EXIT_REASONS,
	       "the stats keep a count per exit reason");
_Static_assert(sizeof(((struct vcpu_arch *)0)->exits) /
		       sizeof(((struct vcpu_arch *)0)->exits[0]) ==
		   EXIT_REASON_COUNT,
	       "one exit counter per basic exit reason");

/* For reports: SDM vol. 3D, appendix C. */
static const char *const names[EXIT_REASON_COUNT] = {
    "exception/NMI",
    "external interrupt",
    "triple fault",
    "INIT",
    "SIPI",
    "I/O SMI",
    "other SMI",
    "interrupt window",
    "NMI window",
    "task switch",
    "CPUID",
    "GETSEC",
    "HLT",
    "INVD",
    "INVLPG",
    "RDPMC",
    "RDTSC",
    "RSM",
    "VMCALL",
    "VMCLEAR",
    "VMLAUNCH",
    "VMPTRLD",
    "VMPTRST",
    "VMREAD",
    "VMRESUME",
    "VMWRITE",
    "VMXOFF",
    "VMXON",
    "CR access",
    "DR access",
    "I/O",
    "RDMSR",
    "WRMSR",
    "bad guest state",
    "MSR loading",
    "35",
    "MWAIT",
    "MTF",
    "38",
    "MONITOR",
    "PAUSE",
    "machine check",
    "42",
    "TPR below threshold",
    "APIC access",
    "virtualised EOI",
    "GDTR/IDTR",
    "LDTR/TR",
    "EPT violation",
    "EPT misconfiguration",
    "INVEPT",
    "RDTSCP",
    "preemption timer",
    "INVVPID",
    "WBINVD",
    "XSETBV",
    "APIC write",
    "RDRAND",
    "INVPCID",
    "VMFUNC",
    "ENCLS",
    "RDSEED",
    "PML full",
    "XSAVES",
    "XRSTORS",
};

const char *arch_exit_name(unsigned reason, uint32_t *count,
			   const struct vcpu *v)
{
	if (reason >= EXIT_REASON_COUNT)
		return NULL;
	*count = v->arch.exits[reason];
	return names[reason];
}

uint64_t arch_sched_cycles(const struct vcpu *v)
{
	return v->arch.sched_cycles;
}

/* The table above is complete (a reader's promise, checked once). */
int exit_table_complete(void)
{
	for (unsigned i = 0; i < EXIT_REASON_COUNT; i++)
		if (!handlers[i])
			return 0;
	return 1;
}

/* An event whose delivery the exit interrupted must be delivered again
 * (SDM 28.2.4, 27.6.1.1), unless the handler injects something else. */
static void save_vectoring(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(VMCS_IDT_VECTORING_INFO);

	if (!(info & INTR_INFO_VALID))
		return;
	struct reinjection r =
	    reinjection_of(info, (uint32_t)vmread(VMCS_IDT_VECTORING_ERROR));
	v->arch.inject_info = r.info;
	v->arch.inject_error = r.error;
	v->work = 1;
	if (r.with_length)
		vmwrite(VMCS_ENTRY_INSTR_LEN, vmread(VMCS_EXIT_INSTR_LEN));
}

static inline int exit_dispatch(struct vcpu *v)
{
	struct exit_ctx x;
	uint32_t raw = (uint32_t)vmread(VMCS_EXIT_REASON);

	x.reason = raw & 0xffff;
	save_vectoring(v);
	if (x.reason >= EXIT_REASON_COUNT)
		return exit_unknown(v, &x);
	v->arch.exits[x.reason]++;
	return handlers[x.reason](v, &x);
}

static void inject_pending(struct vcpu *v)
{
	vmwrite(VMCS_ENTRY_INTR_INFO, v->arch.inject_info);
	if (v->arch.inject_info & INTR_INFO_ERRCODE)
		vmwrite(VMCS_ENTRY_EXCEPTION_ERROR, v->arch.inject_error);
	v->arch.inject_info = 0;
}

static uint64_t timer_value(uint64_t now, uint64_t deadline)
{
	if (!deadline)
		return EXIT_PREEMPT_MAX;
	if (deadline <= now)
		return 0;
	/* Rounded up: a timer that fires early only exits to re-arm. */
	uint64_t ticks =
	    (deadline - now + vmx.preempt_round) >> vmx.preempt_shift;
	return ticks > EXIT_PREEMPT_MAX ? EXIT_PREEMPT_MAX : ticks;
}

static void set_window(struct vcpu *v, int open)
{
	if (v->arch.window == open)
		return;
	v->arch.window = (uint8_t)open;
	vmwrite(VMCS_PROC_CTLS, vmx.proc | (open ? PROC_INTR_WINDOW : 0));
}

/* An external interrupt goes in when the guest can take it (IF set, no
 * STI or MOV SS shadow, no other event this entry); otherwise ask for an
 * exit as soon as it can (SDM 26.7.5, interrupt-window exiting). */
static void deliver_irq(struct vcpu *v)
{
	if (!irq_pending(v)) {
		set_window(v, 0);
		return;
	}
	uint64_t blocked = vmread(VMCS_GUEST_INTERRUPTIBILITY) &
			   (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOVSS);
	if (v->arch.inject_info || blocked ||
	    !(vmread(VMCS_GUEST_RFLAGS) & RFLAGS_IF)) {
		set_window(v, 1);
		return;
	}
	set_window(v, 0);
	v->arch.inject_info =
	    INTR_INFO_VALID | INTR_TYPE_EXT | (uint32_t)irq_ack(v);
}

/* The uncommon part of an entry: timers, interrupts, pending events.
 * v->work keeps what may matter again: WORK_TIMER alone while a timer
 * is armed and nothing else changed, so the next entry only re-arms. */
static void entry_work(struct vcpu *v, uint64_t now)
{
	guest_lock(v->guest, v->pcpu);
	uint64_t due = irq_run_timers(v, now);
	v->arch.timer_due = due;
	deliver_irq(v);
	if (v->arch.inject_info)
		inject_pending(v);
	uint64_t deadline = v->arch.deadline;
	if (due != EXIT_NEVER && (!deadline || due < deadline))
		deadline = due;
	v->arch.armed = deadline;
	/* Under the lock: what another CPU posts after this sets
	 * WORK_EVENTS again, and its kick brings the vCPU back here. */
	v->work = (deadline ? VCPU_WORK_TIMER : 0) |
		  (v->arch.window ? VCPU_WORK_EVENTS : 0);
	guest_unlock(v->guest);
}

/* Everything due before the next entry; hypervisor time up to it is
 * charged to v.  The common case, nothing, costs one test; a timer armed
 * but not due, a second test and the timer's re-arming.  The VMX
 * preemption timer counts from the entry, so it is written last, from
 * the TSC read for the entry: the work before it does not delay it. */
static inline __attribute__((always_inline)) void prepare_entry(struct vcpu *v,
								uint64_t since)
{
	uint64_t entry;

	if (v->work) {
		if (v->work != VCPU_WORK_TIMER || since >= v->arch.armed)
			entry_work(v, since);
		entry = rdtsc();
		vmwrite(VMCS_PREEMPT_TIMER, timer_value(entry, v->arch.armed));
	} else {
		entry = rdtsc();
	}
	v->cycles_hv += entry - since;
	v->arch.tsc_entry = entry;
}

/*
 * Called by vmentry.S after every exit, with the guest's registers saved:
 * 0 to re-enter at once, 1 when v must leave the CPU.  Time is charged
 * from TSC readings at entry and exit only: guest time from entry to
 * exit, hypervisor time from exit to the next entry or to leaving, so the
 * parts add up to the time v held the CPU.
 */
int vmx_exit(uint64_t *gpr)
{
	struct vcpu *v =
	    (struct vcpu *)((char *)gpr - offsetof(struct vcpu, arch.gpr));
	uint64_t now = rdtsc();

	v->cycles_guest += now - v->arch.tsc_entry;
	v->exits++;
	if (exit_dispatch(v) == EXIT_LEAVE) {
		v->arch.tsc_exit = now;
		return 1;
	}
	prepare_entry(v, now);
	return 0;
}

void exit_prepare_entry(struct vcpu *v, uint64_t since)
{
	prepare_entry(v, since);
}
