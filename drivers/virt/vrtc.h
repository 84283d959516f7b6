/* SPDX-License-Identifier: MIT */
/* Emulated MC146818A real-time clock and CMOS RAM (ports 0x70-0x71). */
#ifndef VIRT_VRTC_H
#define VIRT_VRTC_H

#include <stdint.h>

/*
 * Pure logic, no per-tick work.  Time is `now_ns`, nanoseconds of guest
 * time from any origin, never decreasing between calls.  The clock is a
 * count of seconds since 1970-01-01 00:00:00 (in whatever zone the guest
 * keeps its RTC) valid at one instant, plus the updates since; register
 * C's flags are brought up to date from event times at each call, so
 * nothing has to run between accesses.  Deliberate choices:
 *
 * - Time base: only divider bits 010 (32.768 kHz) run the chip.  Any
 *   other value stops the clock, its updates and the periodic
 *   interrupt; going back to 010 restarts the divider chain, and the
 *   first update comes 500 ms later, as the datasheet says.  SET stops
 *   updates only: the periodic interrupt and the update cadence go on.
 * - Updates are instant: the time advances, UF and AF are set at the
 *   second's boundary, and UIP reads 1 for the 244 us before it.
 * - While the clock runs, the time registers (and the century byte at
 *   0x32) show it in the current DM and 24/12 format, so changing the
 *   format converts the reading.  A write to one of them replaces that
 *   field and keeps the phase of the second.  Stopping the clock leaves
 *   its reading in them, in the format of the register B or A write that
 *   stops it; while stopped they are plain bytes, read back as written
 *   and not converted when the format changes, as on the chip.
 *   Restarting reads them, in the format then in effect, as the new
 *   time.  Out-of-range fields are clamped (year to 1970-2099, month
 *   1-12, day 1-31, hour 0-23, minute and second 0-59); a day past the
 *   end of its month rolls into the next.  Day of week is worked out
 *   from the date (1 = Sunday); a written one is kept only while the
 *   clock is stopped.
 * - The calendar is right for 1970-2099 (every fourth year a leap year);
 *   epoch_s must be in that range.
 * - Alarm bytes 0xC0-0xFF match anything; other values are compared in
 *   the current format, and ones that cannot occur never match.
 * - Port 0x70 is write-only as on the PC and reads 0xff; its bit 7 (NMI
 *   mask) is kept for vrtc_nmi_masked.  Writes to registers C and D are
 *   ignored; D reads VRT = 1.  SQWE and DSE are stored and ignored.
 * - vrtc_init leaves what a PC BIOS does: register A 0x26 (32.768 kHz,
 *   1024 Hz periodic rate), B 0x02 (BCD, 24-hour, no interrupts).
 *
 * CMOS RAM is the other bytes; vrtc_init fills the memory-size ones:
 * 0x15/0x16 base memory in KiB, 0x17/0x18 and 0x30/0x31 extended memory
 * above 1 MiB in KiB (at most 0xffff), 0x34/0x35 memory above 16 MiB in
 * 64 KiB units (at most 0xffff), 0x5b-0x5d memory above 4 GiB in 64 KiB
 * units (at most 0xffffff; QEMU and SeaBIOS use these), all low byte
 * first, and the AT checksum of 0x10-0x2d at 0x2e (high)/0x2f (low).
 */
#define VRTC_INDEX 0x70
#define VRTC_DATA  0x71
#define VRTC_SIZE  128 /* bytes of CMOS, clock registers included */

struct vrtc {
	uint8_t cmos[VRTC_SIZE]; /* RAM, registers A-C; the time bytes only
				    while the clock is stopped */
	uint64_t sec0;		 /* clock reading, seconds since 1970, at t0 */
	uint64_t t0;		 /* when the clock read sec0 */
	uint64_t upd_ns;	 /* an update instant; they come every second */
	uint64_t div_ns;  /* divider chain start: periodic phase origin */
	uint64_t seen_ns; /* register C accounts for events up to here */
	uint8_t index;	  /* port 0x70 bits 6-0 */
	uint8_t nmi_off;  /* port 0x70 bit 7 */
};

/*
 * The clock reads epoch_s at now_ns and ticks one second later.
 * base_kib is RAM below 1 MiB (normally 640), ext_kib RAM from 1 MiB
 * up to the 32-bit hole, high_bytes RAM above 4 GiB.
 */
void vrtc_init(struct vrtc *r, uint64_t epoch_s, uint64_t now_ns,
	       uint32_t base_kib, uint32_t ext_kib, uint64_t high_bytes);

/* Ports 0x70 and 0x71; other ports read 0xff and ignore writes. */
uint8_t vrtc_read(struct vrtc *r, uint16_t port, uint64_t now_ns);
void vrtc_write(struct vrtc *r, uint16_t port, uint8_t val, uint64_t now_ns);

/* Port 0x70 bit 7 as last written: 1 = the guest masks NMIs. */
int vrtc_nmi_masked(const struct vrtc *r);

/*
 * IRQ 8 level at now_ns: register C's IRQF, (PF & PIE) | (AF & AIE) |
 * (UF & UIE), which stays up until the guest reads register C.
 * vrtc_next_event is the first instant after now_ns at which an enabled
 * event (periodic, alarm, update-ended) happens, UINT64_MAX if none will;
 * it may be one that finds IRQF already up.
 */
int vrtc_irq(struct vrtc *r, uint64_t now_ns);
uint64_t vrtc_next_event(const struct vrtc *r, uint64_t now_ns);

#endif
