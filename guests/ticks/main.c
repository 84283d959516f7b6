// SPDX-License-Identifier: MIT
/* ticks: programs the PIC and the PIT like a PC kernel, sleeps in HLT
 * between timer interrupts, and measures their rate with the TSC; with
 * "rtc" on its command line, counts them over one RTC second instead. */
#include "../lib/guest.h"
#include "../lib/io.h"

#define PIT_HZ	1193182u
#define HZ	100u
#define TICKS	50u
#define VECTOR0 0x20 /* IRQ 0 after the remap below */

volatile uint64_t ticks_seen;
void ticks_irq0(void); /* ticks.S */

/* CMOS register r (0x70 index, NMI left enabled). */
static uint8_t cmos(uint8_t r)
{
	outb(0x70, r);
	return inb(0x71);
}

static unsigned bcd(uint8_t v)
{
	return (v >> 4) * 10u + (v & 15u);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* The PC/AT sequence: ICW1-ICW4, vectors 0x20/0x28, all masked but IRQ 0. */
static void pic_init(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xfe);
	outb(0xa1, 0xff);
}

static void pit_init(void)
{
	uint16_t count = (uint16_t)(PIT_HZ / HZ);

	outb(0x43, 0x34); /* channel 0, low then high byte, mode 2 */
	outb(0x40, (uint8_t)count);
	outb(0x40, (uint8_t)(count >> 8));
}

static void idt_init(void)
{
	static uint64_t idt[2 * 256] __attribute__((aligned(16)));
	uint64_t h = (uint64_t)ticks_irq0;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)idt};

	/* 64-bit interrupt gate, CS 0x08 (SDM vol. 3A, 6.14.1) */
	idt[2 * VECTOR0] = (h & 0xffff) | 0x08ull << 16 | 0x8e00ull << 32 |
			   ((h >> 16) & 0xffff) << 48;
	idt[2 * VECTOR0 + 1] = h >> 32;
	__asm__ volatile("lidt %0" ::"m"(p));
}

/* Sleep until the RTC's seconds change (read outside its update). */
static unsigned next_second(void)
{
	unsigned s = cmos(0x00);

	for (;;) {
		__asm__ volatile("hlt");
		if (cmos(0x0a) & 0x80)
			continue; /* update in progress */
		unsigned now = cmos(0x00);
		if (now != s)
			return now;
	}
}

static int rtc_second(void)
{
	__asm__ volatile("sti");
	next_second();
	uint64_t t0 = ticks_seen;
	next_second();
	uint64_t n = ticks_seen - t0;
	__asm__ volatile("cli");
	guest_printf("ticks: rtc 20%02u-%02u-%02u %02u:%02u:%02u, %llu timer "
		     "interrupts at %u Hz in one RTC second\n",
		     bcd(cmos(0x09)), bcd(cmos(0x08)), bcd(cmos(0x07)),
		     bcd(cmos(0x04)), bcd(cmos(0x02)), bcd(cmos(0x00)),
		     (unsigned long long)n, HZ);
	return n >= HZ - 1 && n <= HZ + 1 ? 0 : 1;
}

int main(void)
{
	idt_init();
	pic_init();
	pit_init();
	if (guest_boot->cmdline[0] == 'r')
		return rtc_second();
	uint64_t t0 = rdtsc();
	__asm__ volatile("sti");
	while (ticks_seen < TICKS)
		__asm__ volatile("hlt");
	__asm__ volatile("cli");
	uint64_t cycles = rdtsc() - t0;
	uint64_t ms = guest_boot->tsc_khz ? cycles / guest_boot->tsc_khz : 0;
	guest_printf("ticks: %llu timer interrupts at %u Hz in %llu ms of TSC "
		     "(%llu cycles)\n",
		     (unsigned long long)ticks_seen, HZ, (unsigned long long)ms,
		     (unsigned long long)cycles);
	return ms >= TICKS * 1000 / HZ - 20 && ms <= TICKS * 1000 / HZ + 20 ? 0
									    : 1;
}
