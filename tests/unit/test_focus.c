// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/focus.c: the console's Ctrl-A focus protocol. */
#include <stdint.h>

#include "test.h"
#include "vm/focus.h"

static struct focus f;

/* Feed one byte and check the whole action it gives. */
#define EXPECT(in, k, b, g)                                   \
	do {                                                  \
		struct focus_action a_ = focus_input(&f, in); \
		CHECK_EQ(a_.kind, k);                         \
		CHECK_EQ(a_.byte, b);                         \
		CHECK_EQ(a_.guest, g);                        \
	} while (0)

TEST(plain_bytes_to_guest_0)
{
	focus_init(&f, 3);
	for (unsigned b = 0; b < 256; b++)
		if (b != FOCUS_ESCAPE)
			EXPECT((uint8_t)b, FOCUS_DELIVER, b, 0);
}

TEST(digit_switches)
{
	focus_init(&f, 3);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('2', FOCUS_SWITCH, '2', 2);
	EXPECT('x', FOCUS_DELIVER, 'x', 2);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 2);
	EXPECT('0', FOCUS_SWITCH, '0', 0);
	EXPECT('y', FOCUS_DELIVER, 'y', 0);
	/* The escape is spent: a digit after it is a plain byte again. */
	EXPECT('1', FOCUS_DELIVER, '1', 0);
}

TEST(focus_same_guest)
{
	focus_init(&f, 2);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('0', FOCUS_SWITCH, '0', 0);
}

TEST(digit_out_of_range_lists)
{
	focus_init(&f, 3);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('1', FOCUS_SWITCH, '1', 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 1);
	EXPECT('3', FOCUS_LIST, '3', 1); /* focus stays */
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 1);
	EXPECT('9', FOCUS_LIST, '9', 1);
	EXPECT('a', FOCUS_DELIVER, 'a', 1);
}

TEST(all_ten_digits)
{
	focus_init(&f, 12);
	for (uint8_t d = '0'; d <= '9'; d++) {
		EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, f.current);
		EXPECT(d, FOCUS_SWITCH, d, (uint32_t)(d - '0'));
	}
}

TEST(next_cycles)
{
	focus_init(&f, 3);
	for (uint32_t i = 1; i <= 7; i++) {
		EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, (i - 1) % 3);
		EXPECT('n', FOCUS_SWITCH, 'n', i % 3);
	}
	/* One guest: next is itself. */
	focus_init(&f, 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('n', FOCUS_SWITCH, 'n', 0);
}

TEST(next_reaches_beyond_nine)
{
	focus_init(&f, 12);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('9', FOCUS_SWITCH, '9', 9);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 9);
	EXPECT('n', FOCUS_SWITCH, 'n', 10);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 10);
	EXPECT('n', FOCUS_SWITCH, 'n', 11);
	EXPECT('z', FOCUS_DELIVER, 'z', 11);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 11);
	EXPECT('n', FOCUS_SWITCH, 'n', 0);
}

TEST(list)
{
	focus_init(&f, 4);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('3', FOCUS_SWITCH, '3', 3);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 3);
	EXPECT('l', FOCUS_LIST, 'l', 3);
	EXPECT('l', FOCUS_DELIVER, 'l', 3);
}

TEST(escape_escape_delivers_escape)
{
	focus_init(&f, 2);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('1', FOCUS_SWITCH, '1', 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_DELIVER, FOCUS_ESCAPE, 1);
	/* That Ctrl-A was the literal one: the next byte is plain. */
	EXPECT('n', FOCUS_DELIVER, 'n', 1);
	/* Three in a row: a literal one, then a new escape. */
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_DELIVER, FOCUS_ESCAPE, 1);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 1);
	EXPECT('0', FOCUS_SWITCH, '0', 0);
}

TEST(help_keys)
{
	focus_init(&f, 2);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('?', FOCUS_HELP, '?', 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('h', FOCUS_HELP, 'h', 0);
	EXPECT('h', FOCUS_DELIVER, 'h', 0);
}

TEST(unknown_command_dropped)
{
	static const uint8_t other[] = {'x',  'N',  'L',  'H',	'\t', '\r',
					'\n', 0x00, 0x03, 0x1b, 0x7f, 0xff};

	focus_init(&f, 2);
	for (size_t i = 0; i < sizeof(other); i++) {
		EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
		EXPECT(other[i], FOCUS_HELP, other[i], 0);
	}
	/* Nothing was left pending by them. */
	EXPECT('1', FOCUS_DELIVER, '1', 0);
}

TEST(no_guests)
{
	focus_init(&f, 0);
	EXPECT('a', FOCUS_NONE, 'a', 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('0', FOCUS_NONE, '0', 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('n', FOCUS_NONE, 'n', 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('l', FOCUS_NONE, 'l', 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
}

TEST(init_resets)
{
	focus_init(&f, 3);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 0);
	EXPECT('2', FOCUS_SWITCH, '2', 2);
	EXPECT(FOCUS_ESCAPE, FOCUS_NONE, FOCUS_ESCAPE, 2);
	/* A pending escape and the focus do not survive init. */
	focus_init(&f, 3);
	EXPECT('2', FOCUS_DELIVER, '2', 0);
}

TEST(help_text)
{
	const char *h = focus_help();

	CHECK(h != NULL);
	CHECK_CONTAINS(h, "Ctrl-A");
	CHECK_CONTAINS(h, "0-9");
	CHECK_CONTAINS(h, "n next");
	CHECK_CONTAINS(h, "l list");
	CHECK(strchr(h, '\n') == NULL); /* one line; the caller ends it */
	CHECK(strlen(h) < 80);
}

int main(void)
{
	RUN(plain_bytes_to_guest_0);
	RUN(digit_switches);
	RUN(focus_same_guest);
	RUN(digit_out_of_range_lists);
	RUN(all_ten_digits);
	RUN(next_cycles);
	RUN(next_reaches_beyond_nine);
	RUN(list);
	RUN(escape_escape_delivers_escape);
	RUN(help_keys);
	RUN(unknown_command_dropped);
	RUN(no_guests);
	RUN(init_resets);
	RUN(help_text);
	return TEST_END();
}
