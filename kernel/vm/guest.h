/* SPDX-License-Identifier: MIT */
/* A guest: its partition, address-space layout, vCPUs and devices. */
#ifndef VM_GUEST_H
#define VM_GUEST_H

#include <stdint.h>

#include "../../drivers/virt/vacpi.h"
#include "../../drivers/virt/vioapic.h"
#include "../../drivers/virt/vpci.h"
#include "../../drivers/virt/vpic.h"
#include "../../drivers/virt/vpit.h"
#include "../../drivers/virt/vrtc.h"
#include "../../drivers/virt/vuart.h"
#include "../config.h"
#include "../lib/spinlock.h"
#include "emul.h"
#include "layout.h"
#include "vcpu.h"

struct boot_info;

struct guest {
	char name[CFG_NAME_MAX];
	uint32_t id;
	const struct cfg_guest *cfg;
	uint64_t hpa;	      /* partition: [hpa, hpa + cfg->memory) */
	struct guest_ram ram; /* guest-physical RAM ranges in it */
	uint32_t nvcpus;
	struct vcpu vcpus[CFG_MAX_VCPUS];
	int stopped;	   /* set once, by guest_stop */
	int exit_status;   /* from the debug-exit port, or -1 */
	uint32_t restarts; /* after crashes, with on_crash = restart */
	char line[160];	   /* console output not yet printed */
	uint32_t line_len;
	uint8_t term;	 /* termfilter's state */
	int line_open;	 /* part of its line is on the console */
	uint8_t in[256]; /* console input the UART's FIFO had no room for */
	uint32_t in_head, in_count;
	int uart_line;	       /* its IRQ 4 as last driven */
	uint32_t msr_refusals; /* MSR accesses answered with #GP */
	struct emul_io io;     /* port I/O dispatch */
	struct emul_mmio mmio; /* MMIO dispatch */
	/* Held around every access to the devices below (and the vCPUs'
	 * local APICs), by whichever CPU makes it; lock_cpu says which. */
	struct spinlock lock;
	uint32_t lock_cpu;
	uint64_t tsc_zero;	  /* host TSC at which its TSC read 0 */
	struct vioapic ioapic;	  /* at 0xFEC00000 */
	uint32_t irq_unsupported; /* messages dropped (irq.c) */
	struct vuart uart;	  /* COM1 */
	struct vpic pic;	  /* the 8259A pair */
	int pic_int;		  /* its INT line, as last computed */
	struct vpit pit;
	struct vpci pci;
	struct vrtc rtc;
	uint64_t ns_per_tsc; /* 32.32 fixed point */
	uint64_t next_tsc;   /* the board next timer event, or UINT64_MAX */
	uint64_t tsc_per_ns; /* 32.32 fixed point */ /* the 8254 */
	uint64_t clock_origin; /* host TSC at the board power-on */
	uint64_t pit_per_tsc;  /* 32.32 fixed point */
	uint64_t tsc_per_pit;  /* 32.32 fixed point */
	uint64_t pit_seen;     /* PIT time the timers were run up to */
	uint64_t pm_per_tsc;   /* ACPI PM timer ticks, 32.32 fixed point */
	struct vacpi_pm pm;    /* ACPI PM1 registers */
	uint32_t pm_refused;   /* sleep requests other than S5 */
	struct guest_arch arch;
};

extern struct guest guests[CFG_MAX_GUESTS];

static inline void guest_lock(struct guest *g, uint32_t cpu)
{
	spin_lock(&g->lock);
	g->lock_cpu = cpu;
}

static inline void guest_unlock(struct guest *g)
{
	spin_unlock(&g->lock);
}
extern uint32_t nguests;

/* Carve, scrub and map every configured guest and load its image; a bad
 * image stops the boot (naming the guest and the reason) before any guest
 * runs. */
void guests_create(const struct cfg *c, const struct boot_info *bi);

/* Stop every vCPU of g for good and log why (one line, once). */
void guest_stop(struct guest *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A crash (triple fault, INIT): the guest stops, or with on_crash =
 * restart starts over from its image, at most its config's max_restarts
 * times (then it stops). */
void guest_crash(struct guest *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The guest asked for a reset (port 0xCF9, the keyboard controller):
 * it starts over as after a crash with on_crash = restart, within the
 * same limit.  Called from a port access on one of its vCPUs. */
void guest_reset(struct guest *g, const char *how);

/* Host pointer to len bytes of guest RAM at gpa, or NULL unless the whole
 * span is RAM of this guest. */
void *guest_ram_ptr(const struct guest *g, uint64_t gpa, uint64_t len);

/* A port access by v: to the device model that claims the port, or
 * all-ones and dropped (the first touch of each such port is logged). */
void vm_port_io(struct vcpu *v, uint16_t port, unsigned size, int write,
		uint32_t *val);

/* An MMIO access by v at gpa (in a layout_is_mmio window): to the model
 * that claims it, or all-ones and dropped, logged once per page. */
void vm_mmio(struct vcpu *v, uint64_t gpa, unsigned size, int write,
	     uint64_t *val);

/* Print a line prefixed with the guest's name. */
void guest_log(const struct guest *g, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
