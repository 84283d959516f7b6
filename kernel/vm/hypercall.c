// SPDX-License-Identifier: MIT
/* Hypercalls: version, console write, yield, own utilisation. */
#include "hypercall.h"

#include <string.h>

#include "../arch.h"
#include "abi.h"
#include "guest.h"
#include "vconsole.h"

static __attribute__((noinline)) int64_t
console_write(struct vcpu *v, uint64_t gpa, uint64_t len)
{
	if (len > HV_CONSOLE_MAX)
		return HV_EINVAL;
	const char *s = guest_ram_ptr(v->guest, gpa, len);
	if (!s)
		return HV_EFAULT;
	for (uint64_t i = 0; i < len; i++)
		vconsole_putc(v->guest, s[i]);
	return (int64_t)len;
}

static __attribute__((noinline)) int64_t util(struct vcpu *v, uint64_t gpa)
{
	struct hv_util *u = guest_ram_ptr(v->guest, gpa, sizeof(*u));

	if (!u)
		return HV_EFAULT;
	u->guest = v->cycles_guest;
	u->hv = v->cycles_hv;
	u->elapsed = arch_now() - v->start_tsc;
	u->exits = v->exits;
	return 0;
}

struct hc_result hypercall(struct vcpu *v, uint64_t nr, uint64_t a0,
			   uint64_t a1, uint64_t a2)
{
	(void)a2;
	switch (nr) {
	case HC_VERSION:
		return (struct hc_result){HV_ABI_VERSION, 0};
	case HC_CONSOLE_WRITE:
		return (struct hc_result){console_write(v, a0, a1), 0};
	case HC_YIELD:
		return (struct hc_result){0, 1};
	case HC_UTIL:
		return (struct hc_result){util(v, a0), 0};
	}
	return (struct hc_result){HV_ENOSYS, 0};
}
