/* SPDX-License-Identifier: MIT */
/* Kernel command line: space-separated key=value words. */
#ifndef CMDLINE_H
#define CMDLINE_H

#include <stddef.h>

/* Copy the value of the last "key=value" word into buf (size bytes) and
 * return buf; a bare "key" gives "".  NULL if key is absent or the value
 * does not fit. */
char *cmdline_find(const char *cmdline, const char *key, char *buf,
		   size_t size);

#endif
