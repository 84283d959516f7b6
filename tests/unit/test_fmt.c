// SPDX-License-Identifier: MIT
/* Tests for kernel/lib/fmt.c: conversions, flags, truncation, return value. */
#include <limits.h>
#include <stdint.h>

#include "lib/fmt.h"
#include "test.h"

static char buf[128];
static int ret;

/* Format into buf; the result's length goes to ret. */
static const char *f(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static const char *f(const char *fmt, ...)
{
	va_list ap;

	memset(buf, 'X', sizeof(buf));
	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

/* Same, for formats a printf checker would reject on purpose. */
static const char *raw(const char *fmt, ...)
{
	va_list ap;

	memset(buf, 'X', sizeof(buf));
	va_start(ap, fmt);
	ret = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

TEST(plain_text_and_percent)
{
	CHECK_STR(f("hello"), "hello");
	CHECK_EQ(ret, 5);
	CHECK_STR(f(""), "");
	CHECK_EQ(ret, 0);
	CHECK_STR(f("100%% sure %%d"), "100% sure %d");
	CHECK_EQ(ret, 12);
}

TEST(signed_decimal)
{
	CHECK_STR(f("%d", 0), "0");
	CHECK_STR(f("%d|%i", 42, -42), "42|-42");
	CHECK_STR(f("%d", INT_MAX), "2147483647");
	CHECK_STR(f("%d", INT_MIN), "-2147483648");
	CHECK_STR(f("%ld", LONG_MIN), "-9223372036854775808");
	CHECK_STR(f("%lld", LLONG_MAX), "9223372036854775807");
	CHECK_STR(f("%lli", -1LL), "-1");
	CHECK_STR(f("%d %d", -1, 7), "-1 7");
}

TEST(unsigned_decimal)
{
	CHECK_STR(f("%u", 0u), "0");
	CHECK_STR(f("%u", UINT_MAX), "4294967295");
	CHECK_STR(f("%lu", ULONG_MAX), "18446744073709551615");
	CHECK_STR(f("%llu", 10000000000ULL), "10000000000");
	CHECK_STR(f("%zu", (size_t)SIZE_MAX), "18446744073709551615");
	CHECK_STR(f("%zu %u", (size_t)3, 4u), "3 4");
}

TEST(hexadecimal)
{
	CHECK_STR(f("%x", 0u), "0");
	CHECK_STR(f("%x", 0xdeadbeefu), "deadbeef");
	CHECK_STR(f("%X", 0xdeadbeefu), "DEADBEEF");
	CHECK_STR(f("%llx", 0xffffffffffffffffULL), "ffffffffffffffff");
	CHECK_STR(f("%lx", 0x123456789abcUL), "123456789abc");
	CHECK_STR(f("%zx", (size_t)0x1000), "1000");
	CHECK_STR(f("%llX|%x", 0xabcULL, 0x10u), "ABC|10");
}

TEST(strings_and_chars)
{
	const char *nul = NULL;

	CHECK_STR(f("[%s]", "abc"), "[abc]");
	CHECK_STR(f("[%s]", ""), "[]");
	CHECK_STR(f("%s", nul), "(null)");
	CHECK_STR(f("%c%c%c", 'a', 'B', '-'), "aB-");
	CHECK_STR(f("%s=%d (%c)", "x", 5, 'y'), "x=5 (y)");
}

TEST(string_precision)
{
	CHECK_STR(f("[%.3s]", "abcdef"), "[abc]");
	CHECK_STR(f("[%.0s]", "abcdef"), "[]");
	CHECK_STR(f("[%.10s]", "abc"), "[abc]");
	CHECK_STR(f("[%.*s]", 2, "abcdef"), "[ab]");
	CHECK_STR(f("[%.*s]", -1, "abcdef"), "[abcdef]");
	/* Precision stops reading: the bytes need no terminator. */
	static const char unterminated[3] = {'x', 'y', 'z'};
	CHECK_STR(f("[%.*s]", 3, unterminated), "[xyz]");
	CHECK_STR(f("[%6.2s]", "abc"), "[    ab]");
	CHECK_STR(f("[%-6.2s]", "abc"), "[ab    ]");
}

TEST(pointers)
{
	CHECK_STR(f("%p", (void *)0x1234), "0x1234");
	CHECK_STR(f("%p", (void *)0), "0x0");
	CHECK_STR(f("%p", (void *)UINTPTR_MAX), "0xffffffffffffffff");
}

TEST(width_and_flags)
{
	CHECK_STR(f("[%5d]", 42), "[   42]");
	CHECK_STR(f("[%-5d]", 42), "[42   ]");
	CHECK_STR(f("[%05d]", 42), "[00042]");
	CHECK_STR(f("[%05d]", -42), "[-0042]");
	CHECK_STR(f("[%5d]", -42), "[  -42]");
	CHECK_STR(f("[%-5d]", -42), "[-42  ]");
	CHECK_STR(raw("[%-05d]", 42), "[42   ]"); /* '-' beats '0' */
	CHECK_STR(f("[%2d]", 12345), "[12345]");
	CHECK_STR(f("[%08x]", 0xbeefu), "[0000beef]");
	CHECK_STR(f("[%016llx]", 0x1ULL), "[0000000000000001]");
	CHECK_STR(f("[%-8X]", 0xabu), "[AB      ]");
	CHECK_STR(f("[%3u]", 7u), "[  7]");
	CHECK_STR(f("[%5s]", "ab"), "[   ab]");
	CHECK_STR(f("[%-5s]", "ab"), "[ab   ]");
	CHECK_STR(f("[%1s]", "abc"), "[abc]");
	CHECK_EQ(ret, 5);
}

TEST(unknown_and_incomplete)
{
	/* An unknown conversion is shown, and consumes no argument. */
	CHECK_STR(raw("a%qb%d", 7), "a%qb7");
	CHECK_STR(raw("%hd", 1), "%hd");
	CHECK_STR(raw("%w"), "%w");
	/* A lone '%' at the end is dropped. */
	CHECK_STR(raw("end%"), "end");
	CHECK_EQ(ret, 3);
	CHECK_STR(raw("end%-08"), "end");
}

TEST(truncation)
{
	char small[8];

	memset(small, 'X', sizeof(small));
	CHECK_EQ(fmt_snprintf(small, 4, "abcdef"), 6);
	CHECK_STR(small, "abc");
	CHECK_EQ(small[4], 'X'); /* nothing past size */

	CHECK_EQ(fmt_snprintf(small, 4, "%d", 123456), 6);
	CHECK_STR(small, "123");
	CHECK_EQ(fmt_snprintf(small, 4, "%s|%x", "ab", 0xffu), 5);
	CHECK_STR(small, "ab|");
	CHECK_EQ(fmt_snprintf(small, 4, "[%5d]", 1), 7);
	CHECK_STR(small, "[  ");

	/* Exactly fitting, and one short. */
	CHECK_EQ(fmt_snprintf(small, 7, "abcdef"), 6);
	CHECK_STR(small, "abcdef");
	CHECK_EQ(fmt_snprintf(small, 6, "abcdef"), 6);
	CHECK_STR(small, "abcde");

	CHECK_EQ(fmt_snprintf(small, 1, "abc"), 3);
	CHECK_STR(small, "");
}

TEST(zero_size_writes_nothing)
{
	char one = 'X';

	CHECK_EQ(fmt_snprintf(&one, 0, "abc%d", 12), 5);
	CHECK_EQ(one, 'X');
	CHECK_EQ(fmt_snprintf(NULL, 0, "%s", "measure me"), 10);
}

TEST(return_is_full_length)
{
	char big[300];
	char small[16];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%s!", big), 300);
	CHECK_EQ(strlen(small), 15);
	CHECK_EQ(fmt_snprintf(small, sizeof(small), "%400d", 1), 400);
	CHECK_EQ(strlen(small), 15);
	CHECK_EQ(small[14], ' ');
}

int main(void)
{
	RUN(plain_text_and_percent);
	RUN(signed_decimal);
	RUN(unsigned_decimal);
	RUN(hexadecimal);
	RUN(strings_and_chars);
	RUN(string_precision);
	RUN(pointers);
	RUN(width_and_flags);
	RUN(unknown_and_incomplete);
	RUN(truncation);
	RUN(zero_size_writes_nothing);
	RUN(return_is_full_length);
	return TEST_END();
}
