// SPDX-License-Identifier: MIT
/* Kernel command line lookup. */
#include "cmdline.h"

#include <string.h>

char *cmdline_find(const char *cmdline, const char *key, char *buf, size_t size)
{
	size_t klen = strlen(key);
	char *found = NULL;
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *w = p;
		while (*p && *p != ' ')
			p++;
		size_t wlen = (size_t)(p - w);
		if (wlen < klen || memcmp(w, key, klen) != 0 ||
		    (wlen > klen && w[klen] != '='))
			continue;
		size_t vlen = wlen > klen ? wlen - klen - 1 : 0;
		if (vlen >= size) {
			found = NULL;
			continue;
		}
		memcpy(buf, w + klen + (wlen > klen), vlen);
		buf[vlen] = '\0';
		found = buf;
	}
	return found;
}
