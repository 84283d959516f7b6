/* SPDX-License-Identifier: MIT */
/* The date and time of day, from the machine's clock, for guest RTCs. */
#ifndef WALLCLOCK_H
#define WALLCLOCK_H

#include <stdint.h>

/* Read the machine's clock once (a host driver: drivers/host/rtc.c);
 * afterwards wallclock_at(tsc) gives seconds since 1970 at any TSC. */
void wallclock_init(void);
uint64_t wallclock_at(uint64_t tsc);

#endif
