/* SPDX-License-Identifier: MIT */
/* The hypervisor config file (hv.cfg): parsed model and validation. */
#ifndef CONFIG_H
#define CONFIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * Pure logic: built into the UEFI loader (which rejects a bad config before
 * anything is loaded), into the kernel, and into host unit tests.  The
 * format is described in README.md ("Config file").
 */
#define CFG_MAX_GUESTS	  16
#define CFG_MAX_VCPUS	  16
#define CFG_NAME_MAX	  16
#define CFG_PATH_MAX	  64
#define CFG_CMDLINE_MAX	  256
#define CFG_ERR_MAX	  256
#define CFG_MAX_CPU_INDEX 63
#define CFG_MAX_MODULES	  4
#define CFG_MIN_MEMORY	  (1ull << 20)
#define CFG_MAX_MEMORY	  (1ull << 40)

/* How a guest image is started (README.md, "Guest images"). */
enum cfg_format {
	CFG_FORMAT_AUTO,
	CFG_FORMAT_ELF64,
	CFG_FORMAT_MULTIBOOT,
	CFG_FORMAT_FLAT,
	CFG_FORMAT_LINUX
};

/* What a guest crash (triple fault, INIT) does to it. */
enum cfg_on_crash { CFG_CRASH_STOP, CFG_CRASH_RESTART };
/* Restarts (after crashes or the guest's own resets) before it is
 * stopped: a guest that crashes at once would otherwise loop for ever. */
#define CFG_DEFAULT_MAX_RESTARTS 8u
#define CFG_MAX_RESTARTS	 1000u

/* A CPU's scheduling policy (kernel/sched); DEFAULT: static for a CPU
 * with one vCPU, rr for several. */
enum cfg_policy {
	CFG_POLICY_DEFAULT,
	CFG_POLICY_STATIC,
	CFG_POLICY_RR,
	CFG_POLICY_CREDIT,
	CFG_POLICY_EDF
};

#define CFG_DEFAULT_SLICE_US 10000u /* 10 ms */
#define CFG_DEFAULT_WEIGHT   256u
#define CFG_MIN_TIME_US	     10u       /* slices, budgets, periods */
#define CFG_MAX_TIME_US	     10000000u /* 10 s */

struct cfg_cpu {
	enum cfg_policy policy;
	uint64_t slice_us; /* 0: the default */
	uint32_t line;	   /* of its [cpu N] header; 0 if none */
};

struct cfg_guest {
	char name[CFG_NAME_MAX];
	char image[CFG_PATH_MAX];
	enum cfg_format format;
	enum cfg_on_crash on_crash;
	uint32_t max_restarts;	       /* 0-1000 (8) */
	char cmdline[CFG_CMDLINE_MAX]; /* given to the guest */
	uint32_t nmodules;
	char modules[CFG_MAX_MODULES][CFG_PATH_MAX]; /* multiboot modules */
	char initrd[CFG_PATH_MAX];		     /* Linux: "" if none */
	uint64_t memory; /* bytes, a whole number of MiB */
	uint32_t nvcpus;
	uint8_t cpus[CFG_MAX_VCPUS]; /* physical CPU index of each vCPU */
	uint32_t line;		     /* of the [guest NAME] header */
	uint32_t cpus_line;	     /* of the cpus key, for later checks */
	int privileged;		     /* may change scheduling by hypercall */
	/* Scheduling parameters of each of its vCPUs (kernel/sched). */
	uint32_t weight;	       /* credit: share, 1-65535 (256) */
	uint32_t cap;		       /* credit: at most cap % of a CPU */
	uint64_t budget_us, period_us; /* edf: both or neither */
};

struct cfg {
	char kernel[CFG_PATH_MAX];
	char cmdline[CFG_CMDLINE_MAX];
	uint64_t stats_interval_us; /* 0: no interval reports */
	uint32_t nguests;
	struct cfg_guest guests[CFG_MAX_GUESTS];
	struct cfg_cpu cpus[CFG_MAX_CPU_INDEX + 1]; /* [cpu N] sections */
};

/*
 * Parse len bytes of text into *out.  Returns 0, or -1 with a message
 * "LINE: what is wrong" in err (err_size bytes, always terminated).
 * *out is fully written either way; on error it must not be used.
 */
int cfg_parse(const char *text, size_t len, struct cfg *out, char *err,
	      size_t err_size);

/*
 * Check the parsed config against the machine: every CPU index (of guests
 * and of [cpu N] sections) below ncpus.
 * Same return and message contract as cfg_parse.
 */
int cfg_check_cpus(const struct cfg *c, uint32_t ncpus, char *err,
		   size_t err_size);

#endif
