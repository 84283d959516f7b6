// SPDX-License-Identifier: MIT
/* Loader console: formatted lines on the firmware's text output. */
#include <stdarg.h>

#include "../kernel/lib/fmt.h"
#include "loader.h"

static void put_line(const char *prefix, const char *msg)
{
	CHAR16 wide[320];
	UINTN n = 0;

	for (const char *p = prefix; *p && n < 300; p++)
		wide[n++] = (CHAR16)*p;
	for (const char *p = msg; *p && n < 316; p++) {
		if (*p == '\n')
			wide[n++] = '\r';
		wide[n++] = (CHAR16)*p;
	}
	wide[n++] = '\r';
	wide[n++] = '\n';
	wide[n] = 0;
	ST->ConOut->OutputString(ST->ConOut, wide);
}

void con_print(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	put_line("hvboot: ", msg);
}

EFI_STATUS con_fail(EFI_STATUS st, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	put_line("hvboot: error: ", msg);
	put_line("hvboot: ", "stop: error (returning to the firmware)");
	return st;
}

const char *con_status(EFI_STATUS st)
{
	static char buf[64];
	CHAR16 wide[64];
	UINTN i;

	StatusToString(wide, st);
	for (i = 0; wide[i] && i + 1 < sizeof(buf); i++)
		buf[i] = (char)wide[i];
	buf[i] = '\0';
	return buf;
}
