// SPDX-License-Identifier: MIT
/* Tests for kernel/vm/termfilter.c: guest console bytes to line text. */
#include "test.h"
#include "vm/termfilter.h"

#include <stdint.h>

/* What the filter keeps of s, as a string. */
static char out[256];

static const char *run(const char *s)
{
	uint8_t st = 0;
	size_t n = 0;

	for (; *s; s++) {
		int c = termfilter(&st, (uint8_t)*s);
		if (c >= 0 && n + 1 < sizeof(out))
			out[n++] = (char)c;
	}
	out[n] = 0;
	return out;
}

TEST(text_passes)
{
	CHECK_STR(run("hello, world\n"), "hello, world\n");
	CHECK_STR(run("a\tb"), "a b");
	CHECK_STR(run("line\r\n"), "line\n");
}

TEST(control_bytes_show_as_question_marks)
{
	CHECK_STR(run("a\x07z"), "a?z");
	CHECK_STR(run("\x7f\x80\xff"), "???");
	CHECK_STR(run("\b\b"), "??");
}

TEST(csi_sequences_are_dropped_whole)
{
	/* busybox ash asks for the cursor position after its prompt */
	CHECK_STR(run("/ # \x1b[6n"), "/ # ");
	/* colours, as ls --color writes them */
	CHECK_STR(run("\x1b[0m\x1b[01;34mbin\x1b[0m  etc"), "bin  etc");
	CHECK_STR(run("\x1b[2J\x1b[1;1Hx"), "x");
	CHECK_STR(run("\x1b[?25lx"), "x"); /* private parameter */
}

TEST(other_escapes_take_one_byte)
{
	CHECK_STR(run("a\x1b"
		      "7b"),
		  "ab"); /* save cursor */
	CHECK_STR(run("a\x1b"
		      "cb"),
		  "ab"); /* reset */
}

TEST(a_sequence_cannot_swallow_a_line)
{
	/* A newline ends a sequence: the line still ends. */
	CHECK_STR(run("a\x1b[12\nb"), "ab");
	uint8_t st = 0;
	CHECK_EQ(termfilter(&st, 0x1b), -1);
	CHECK_EQ(termfilter(&st, '['), -1);
	CHECK_EQ(termfilter(&st, '\n'), -1);
	CHECK_EQ(termfilter(&st, '\n'), '\n');
	/* An endless parameter run ends after 32 bytes (the 33rd is the
	 * sequence's last): of 38, the last 5 are text again. */
	char s[64] = "\x1b[";
	for (int i = 2; i < 40; i++)
		s[i] = '1';
	s[40] = 'x';
	s[41] = 0;
	CHECK_STR(run(s), "11111x");
}

int main(void)
{
	RUN(text_passes);
	RUN(control_bytes_show_as_question_marks);
	RUN(csi_sequences_are_dropped_whole);
	RUN(other_escapes_take_one_byte);
	RUN(a_sequence_cannot_swallow_a_line);
	return TEST_END();
}
