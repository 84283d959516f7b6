// SPDX-License-Identifier: MIT
/* hvtsc: prints the time-stamp counter in decimal.  The test initramfs's
 * /init puts it on its "userspace up" line, so that make bench can time a
 * boot in TSC cycles from the firmware's start of the EFI application
 * (the hypervisor's loader, or the kernel's EFI stub natively).  A static
 * x86-64 Linux program with no C library: two system calls. */
#include <stdint.h>

#define SYS_WRITE 1
#define SYS_EXIT  60

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void _start(void) __attribute__((noreturn, force_align_arg_pointer));

void _start(void)
{
	char buf[24];
	int i = (int)sizeof(buf);
	uint64_t t = rdtsc();

	buf[--i] = '\n';
	do
		buf[--i] = (char)('0' + t % 10);
	while ((t /= 10) && i);
	long n = (long)sizeof(buf) - i;
	long ok = syscall3(SYS_WRITE, 1, (long)(buf + i), n) == n;
	syscall3(SYS_EXIT, !ok, 0, 0);
	__builtin_unreachable();
}
