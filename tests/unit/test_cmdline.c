// SPDX-License-Identifier: MIT
/* Tests for kernel/lib/cmdline.c: key=value lookup on the command line. */
#include "lib/cmdline.h"
#include "test.h"

TEST(finds_value)
{
	char buf[16];

	CHECK_STR(
	    cmdline_find("a=1 poweroff=acpi b=2", "poweroff", buf, sizeof(buf)),
	    "acpi");
}

TEST(absent_key_is_null)
{
	char buf[16];

	CHECK(cmdline_find("a=1 b=2", "poweroff", buf, sizeof(buf)) == NULL);
	CHECK(cmdline_find("", "a", buf, sizeof(buf)) == NULL);
}

TEST(prefix_is_not_a_match)
{
	char buf[16];

	CHECK(cmdline_find("poweroffx=1 power=2", "poweroff", buf,
			   sizeof(buf)) == NULL);
}

TEST(bare_key_gives_empty)
{
	char buf[16];
	const char *v = cmdline_find("x debug y", "debug", buf, sizeof(buf));

	CHECK(v != NULL);
	CHECK_STR(v, "");
}

TEST(last_occurrence_wins)
{
	char buf[16];

	CHECK_STR(cmdline_find("k=1  k=22   ", "k", buf, sizeof(buf)), "22");
}

TEST(too_long_value_is_null)
{
	char buf[4];

	CHECK(cmdline_find("k=abcd", "k", buf, sizeof(buf)) == NULL);
	CHECK_STR(cmdline_find("k=abc", "k", buf, sizeof(buf)), "abc");
}

int main(void)
{
	RUN(finds_value);
	RUN(absent_key_is_null);
	RUN(prefix_is_not_a_match);
	RUN(bare_key_gives_empty);
	RUN(last_occurrence_wins);
	RUN(too_long_value_is_null);
	return TEST_END();
}
