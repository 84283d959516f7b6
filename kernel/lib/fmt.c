// SPDX-License-Identifier: MIT
/* printf-style formatting into a buffer: no allocation, no libc. */
#include "fmt.h"

#include <stdint.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* as if the buffer were unbounded */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int width;
	int prec; /* for %s only: at most this many chars; -1: no limit */
	int left;
	char padc;
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while ((sp->prec < 0 || n < sp->prec) && s[n])
		n++;
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, uint64_t v, int neg, unsigned base,
		    int upper, const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	int len = n + neg;
	if (!sp->left && sp->padc == ' ')
		pad(o, ' ', sp->width - len);
	if (neg)
		put(o, '-');
	if (!sp->left && sp->padc == '0')
		pad(o, '0', sp->width - len);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

/* Fetch an integer argument of the size the length modifier names. */
static uint64_t get_uint(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static int64_t get_int(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *parse_spec(const char *f, struct spec *sp, int *lng,
			      va_list *ap)
{
	sp->width = 0;
	sp->prec = -1;
	sp->left = 0;
	sp->padc = ' ';
	for (; *f == '-' || *f == '0'; f++) {
		if (*f == '-')
			sp->left = 1;
		else
			sp->padc = '0';
	}
	while (is_digit(*f))
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (is_digit(*f))
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	*lng = 0;
	while (*f == 'l' || *f == 'z') {
		*lng += (*f == 'z') ? 2 : 1;
		f++;
	}
	return f;
}

static void convert(struct out *o, char c, const struct spec *sp, int lng,
		    va_list *ap)
{
	int64_t s;

	switch (c) {
	case 's':
		put_str(o, va_arg(*ap, const char *), sp);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	case 'd':
	case 'i':
		s = get_int(ap, lng);
		put_num(o, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10, 0,
			sp);
		break;
	case 'u':
		put_num(o, get_uint(ap, lng), 0, 10, 0, sp);
		break;
	case 'x':
	case 'X':
		put_num(o, get_uint(ap, lng), 0, 16, c == 'X', sp);
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (uintptr_t)va_arg(*ap, void *), 0, 16, 0, sp);
		break;
	case '%':
		put(o, '%');
		break;
	default: /* unknown: show it rather than guess */
		put(o, '%');
		put(o, c);
		break;
	}
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		struct spec sp;
		int lng;
		f = parse_spec(f + 1, &sp, &lng, &aq);
		if (!*f)
			break;
		convert(&o, *f, &sp, lng, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
