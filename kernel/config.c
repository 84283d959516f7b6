// SPDX-License-Identifier: MIT
/* hv.cfg parser: line-oriented sections of key = value, fully validated. */
#include "config.h"

#include <string.h>

#include "lib/fmt.h"

#define LINE_MAX_LEN 512

/* A view into the text: never terminated, always bounded. */
struct str {
	const char *p;
	size_t n;
};

enum section { SEC_NONE, SEC_HV, SEC_GUEST, SEC_CPU };

struct parser {
	struct cfg *c;
	char *err;
	size_t err_size;
	uint32_t line;
	enum section sec;
	uint32_t seen; /* keys already given in this section, one bit each */
	uint32_t hv_line;
	uint32_t cpu; /* of the open [cpu N] section */
};

static int fail(struct parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	int n = fmt_snprintf(ps->err, ps->err_size, "%u: ", ps->line);

	if (n < 0 || (size_t)n >= ps->err_size)
		return -1;
	va_start(ap, fmt);
	fmt_vsnprintf(ps->err + n, ps->err_size - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

static struct str trim(struct str s)
{
	while (s.n && is_space(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_space(s.p[s.n - 1]))
		s.n--;
	return s;
}

static int str_is(struct str s, const char *word)
{
	size_t n = strlen(word);

	return s.n == n && memcmp(s.p, word, n) == 0;
}

/* Copy s into a fixed field; too long is the caller's error to report. */
static int copy_out(char *dst, size_t cap, struct str s)
{
	if (s.n >= cap)
		return -1;
	memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return 0;
}

static int name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

static int path_char(char ch)
{
	return name_char(ch) || (ch >= 'A' && ch <= 'Z') || ch == '.' ||
	       ch == '/';
}

static int set_path(struct parser *ps, char *dst, struct str v)
{
	if (!v.n)
		return fail(ps, "empty path");
	for (size_t i = 0; i < v.n; i++)
		if (!path_char(v.p[i]))
			return fail(ps,
				    "path '%.*s': only letters, digits "
				    "and . _ - / are allowed",
				    (int)v.n, v.p);
	if (v.p[0] == '/' || v.p[v.n - 1] == '/')
		return fail(ps,
			    "path '%.*s' must be relative to the hv "
			    "folder and name a file",
			    (int)v.n, v.p);
	for (size_t i = 0; i + 1 < v.n; i++)
		if (v.p[i] == '.' && v.p[i + 1] == '.')
			return fail(ps, "path '%.*s' must not contain '..'",
				    (int)v.n, v.p);
	if (copy_out(dst, CFG_PATH_MAX, v))
		return fail(ps, "path '%.*s' is longer than %d characters",
			    (int)v.n, v.p, CFG_PATH_MAX - 1);
	return 0;
}

/* Decimal number; -1 on no digits or overflow past 2^48. */
static int parse_dec(struct str *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < s->n && s->p[i] >= '0' && s->p[i] <= '9') {
		v = v * 10 + (uint64_t)(s->p[i] - '0');
		if (v > (1ull << 48))
			return -1;
		i++;
	}
	if (i == 0)
		return -1;
	s->p += i;
	s->n -= i;
	*out = v;
	return 0;
}

static int set_memory(struct parser *ps, struct cfg_guest *g, struct str v)
{
	struct str rest = v;
	uint64_t n, unit = 0;

	if (parse_dec(&rest, &n) == 0 && rest.n == 1) {
		if (rest.p[0] == 'M' || rest.p[0] == 'm')
			unit = 1ull << 20;
		else if (rest.p[0] == 'G' || rest.p[0] == 'g')
			unit = 1ull << 30;
	}
	if (!unit)
		return fail(ps,
			    "memory '%.*s' is not a size: write a whole "
			    "number of MiB or GiB, e.g. 64M or 1G",
			    (int)v.n, v.p);
	if (n > CFG_MAX_MEMORY / unit || n * unit < CFG_MIN_MEMORY)
		return fail(ps, "memory '%.*s' is out of range (1M to 1024G)",
			    (int)v.n, v.p);
	g->memory = n * unit;
	return 0;
}

static int add_cpu(struct parser *ps, struct cfg_guest *g, uint64_t cpu)
{
	if (cpu > CFG_MAX_CPU_INDEX)
		return fail(ps, "CPU %llu is out of range (0 to %d)",
			    (unsigned long long)cpu, CFG_MAX_CPU_INDEX);
	for (uint32_t i = 0; i < g->nvcpus; i++)
		if (g->cpus[i] == cpu)
			return fail(ps, "CPU %llu is listed twice",
				    (unsigned long long)cpu);
	if (g->nvcpus == CFG_MAX_VCPUS)
		return fail(ps, "more than %d vCPUs", CFG_MAX_VCPUS);
	g->cpus[g->nvcpus++] = (uint8_t)cpu;
	return 0;
}

/* "0" or "1, 2, 3": one physical CPU index per vCPU. */
static int set_cpus(struct parser *ps, struct cfg_guest *g, struct str v)
{
	struct str rest = v;

	g->cpus_line = ps->line;
	for (;;) {
		uint64_t cpu;
		rest = trim(rest);
		if (parse_dec(&rest, &cpu))
			return fail(ps,
				    "cpus '%.*s': expected CPU numbers "
				    "separated by commas, e.g. 0 or 1,2",
				    (int)v.n, v.p);
		if (add_cpu(ps, g, cpu))
			return -1;
		rest = trim(rest);
		if (!rest.n)
			return 0;
		if (rest.p[0] != ',')
			return fail(ps, "cpus '%.*s': expected ',' after %llu",
				    (int)v.n, v.p, (unsigned long long)cpu);
		rest.p++;
		rest.n--;
	}
}

/* A duration: "10ms", "500us" or "1s", kept in microseconds, within
 * CFG_MIN_TIME_US to CFG_MAX_TIME_US. */
static int set_time(struct parser *ps, const char *key, uint64_t *us,
		    struct str v)
{
	struct str rest = v;
	uint64_t n, unit = 0;

	if (parse_dec(&rest, &n) == 0) {
		if (str_is(rest, "us"))
			unit = 1;
		else if (str_is(rest, "ms"))
			unit = 1000;
		else if (str_is(rest, "s"))
			unit = 1000000;
	}
	if (!unit)
		return fail(ps,
			    "%s '%.*s' is not a time: write a whole number "
			    "of us, ms or s, e.g. 500us or 10ms",
			    key, (int)v.n, v.p);
	if (n > CFG_MAX_TIME_US / unit || n * unit < CFG_MIN_TIME_US)
		return fail(ps, "%s '%.*s' is out of range (10us to 10s)", key,
			    (int)v.n, v.p);
	*us = n * unit;
	return 0;
}

/* A whole number in [lo, hi]. */
static int set_num(struct parser *ps, const char *key, uint32_t *out,
		   struct str v, uint32_t lo, uint32_t hi)
{
	struct str rest = v;
	uint64_t n;

	if (parse_dec(&rest, &n) || rest.n || n < lo || n > hi)
		return fail(ps,
			    "%s '%.*s': expected a whole number from %u to "
			    "%u",
			    key, (int)v.n, v.p, lo, hi);
	*out = (uint32_t)n;
	return 0;
}

struct key {
	enum section sec;
	const char *name;
	int (*set)(struct parser *ps, struct str v);
};

static struct cfg_guest *cur_guest(struct parser *ps)
{
	return &ps->c->guests[ps->c->nguests - 1];
}

static int key_kernel(struct parser *ps, struct str v)
{
	return set_path(ps, ps->c->kernel, v);
}

static int key_cmdline(struct parser *ps, struct str v)
{
	if (copy_out(ps->c->cmdline, CFG_CMDLINE_MAX, v))
		return fail(ps, "cmdline is longer than %d characters",
			    CFG_CMDLINE_MAX - 1);
	return 0;
}

static int key_guest_cmdline(struct parser *ps, struct str v)
{
	if (copy_out(cur_guest(ps)->cmdline, CFG_CMDLINE_MAX, v))
		return fail(ps, "cmdline is longer than %d characters",
			    CFG_CMDLINE_MAX - 1);
	return 0;
}

/* One word out of a fixed list; its index, or -1 naming the choices. */
static int choose(struct parser *ps, const char *key, struct str v,
		  const char *const *words, int n, const char *listed)
{
	for (int i = 0; i < n; i++)
		if (str_is(v, words[i]))
			return i;
	return fail(ps, "%s '%.*s': expected %s", key, (int)v.n, v.p, listed);
}

static int key_format(struct parser *ps, struct str v)
{
	static const char *const words[] = {"auto", "elf64", "multiboot",
					    "flat", "linux"};
	int i = choose(ps, "format", v, words, 5,
		       "auto, elf64, multiboot, flat or linux");

	if (i < 0)
		return -1;
	cur_guest(ps)->format = (enum cfg_format)i;
	return 0;
}

static int key_on_crash(struct parser *ps, struct str v)
{
	static const char *const words[] = {"stop", "restart"};
	int i = choose(ps, "on_crash", v, words, 2, "stop or restart");

	if (i < 0)
		return -1;
	cur_guest(ps)->on_crash = (enum cfg_on_crash)i;
	return 0;
}

static int key_max_restarts(struct parser *ps, struct str v)
{
	return set_num(ps, "max_restarts", &cur_guest(ps)->max_restarts, v, 0,
		       CFG_MAX_RESTARTS);
}

/* privileged = yes: the guest may change scheduling (HC_SCHED_SET). */
static int key_privileged(struct parser *ps, struct str v)
{
	static const char *const words[] = {"no", "yes"};
	int i = choose(ps, "privileged", v, words, 2, "yes or no");

	if (i < 0)
		return -1;
	cur_guest(ps)->privileged = i == 1;
	return 0;
}

/* "a.bin" or "a.bin, b.bin": paths, like image. */
static int key_modules(struct parser *ps, struct str v)
{
	struct cfg_guest *g = cur_guest(ps);
	struct str rest = v;

	for (;;) {
		size_t n = 0;
		while (n < rest.n && rest.p[n] != ',')
			n++;
		if (g->nmodules == CFG_MAX_MODULES)
			return fail(ps, "more than %d modules",
				    CFG_MAX_MODULES);
		if (set_path(ps, g->modules[g->nmodules++],
			     trim((struct str){rest.p, n})))
			return -1;
		if (n == rest.n)
			return 0;
		rest = (struct str){rest.p + n + 1, rest.n - n - 1};
	}
}

static int key_initrd(struct parser *ps, struct str v)
{
	return set_path(ps, cur_guest(ps)->initrd, v);
}

static int key_image(struct parser *ps, struct str v)
{
	return set_path(ps, cur_guest(ps)->image, v);
}

static int key_memory(struct parser *ps, struct str v)
{
	return set_memory(ps, cur_guest(ps), v);
}

static int key_cpus(struct parser *ps, struct str v)
{
	return set_cpus(ps, cur_guest(ps), v);
}

static int key_stats_interval(struct parser *ps, struct str v)
{
	return set_time(ps, "stats_interval", &ps->c->stats_interval_us, v);
}

static int key_weight(struct parser *ps, struct str v)
{
	return set_num(ps, "weight", &cur_guest(ps)->weight, v, 1, 65535);
}

static int key_cap(struct parser *ps, struct str v)
{
	return set_num(ps, "cap", &cur_guest(ps)->cap, v, 0, 100);
}

static int key_budget(struct parser *ps, struct str v)
{
	return set_time(ps, "budget", &cur_guest(ps)->budget_us, v);
}

static int key_period(struct parser *ps, struct str v)
{
	return set_time(ps, "period", &cur_guest(ps)->period_us, v);
}

static int key_policy(struct parser *ps, struct str v)
{
	static const char *const words[] = {"static", "rr", "credit", "edf"};
	int i = choose(ps, "policy", v, words, 4, "static, rr, credit or edf");

	if (i < 0)
		return -1;
	ps->c->cpus[ps->cpu].policy = (enum cfg_policy)(i + 1);
	return 0;
}

static int key_slice(struct parser *ps, struct str v)
{
	return set_time(ps, "slice", &ps->c->cpus[ps->cpu].slice_us, v);
}

static const struct key keys[] = {
    {SEC_HV, "kernel", key_kernel},
    {SEC_HV, "cmdline", key_cmdline},
    {SEC_HV, "stats_interval", key_stats_interval},
    {SEC_GUEST, "image", key_image},
    {SEC_GUEST, "memory", key_memory},
    {SEC_GUEST, "cpus", key_cpus},
    {SEC_GUEST, "format", key_format},
    {SEC_GUEST, "cmdline", key_guest_cmdline},
    {SEC_GUEST, "modules", key_modules},
    {SEC_GUEST, "initrd", key_initrd},
    {SEC_GUEST, "on_crash", key_on_crash},
    {SEC_GUEST, "max_restarts", key_max_restarts},
    {SEC_GUEST, "privileged", key_privileged},
    {SEC_GUEST, "weight", key_weight},
    {SEC_GUEST, "cap", key_cap},
    {SEC_GUEST, "budget", key_budget},
    {SEC_GUEST, "period", key_period},
    {SEC_CPU, "policy", key_policy},
    {SEC_CPU, "slice", key_slice},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *sec_keys(enum section sec)
{
	return sec == SEC_HV	? "kernel, cmdline, stats_interval"
	       : sec == SEC_CPU ? "policy, slice"
				: "image, memory, cpus, format, cmdline, "
				  "modules, initrd, on_crash, max_restarts, "
				  "privileged, weight, cap, budget, period";
}

static const char *sec_name(enum section sec)
{
	return sec == SEC_HV ? "hypervisor" : sec == SEC_CPU ? "cpu" : "guest";
}

static int open_cpu(struct parser *ps, struct str n)
{
	struct str rest = n;
	uint64_t cpu;

	if (parse_dec(&rest, &cpu) || rest.n)
		return fail(ps, "[cpu %.*s]: expected a CPU number", (int)n.n,
			    n.p);
	if (cpu > CFG_MAX_CPU_INDEX)
		return fail(ps, "[cpu %llu]: out of range (0 to %d)",
			    (unsigned long long)cpu, CFG_MAX_CPU_INDEX);
	if (ps->c->cpus[cpu].line)
		return fail(ps, "[cpu %llu] given twice (first at line %u)",
			    (unsigned long long)cpu, ps->c->cpus[cpu].line);
	ps->c->cpus[cpu].line = ps->line;
	ps->cpu = (uint32_t)cpu;
	ps->sec = SEC_CPU;
	return 0;
}

static int open_guest(struct parser *ps, struct str name)
{
	struct cfg *c = ps->c;

	if (!name.n || name.n >= CFG_NAME_MAX)
		return fail(ps, "guest name '%.*s' must be 1 to %d characters",
			    (int)name.n, name.p, CFG_NAME_MAX - 1);
	for (size_t i = 0; i < name.n; i++)
		if (!name_char(name.p[i]))
			return fail(ps,
				    "guest name '%.*s': use only a-z, "
				    "0-9, _ and -",
				    (int)name.n, name.p);
	for (uint32_t i = 0; i < c->nguests; i++)
		if (str_is(name, c->guests[i].name))
			return fail(ps,
				    "guest '%.*s' is defined twice (first "
				    "at line %u)",
				    (int)name.n, name.p, c->guests[i].line);
	if (c->nguests == CFG_MAX_GUESTS)
		return fail(ps, "too many guests (at most %d)", CFG_MAX_GUESTS);
	struct cfg_guest *g = &c->guests[c->nguests++];
	copy_out(g->name, CFG_NAME_MAX, name);
	g->weight = CFG_DEFAULT_WEIGHT;
	g->max_restarts = CFG_DEFAULT_MAX_RESTARTS;
	g->line = ps->line;
	ps->sec = SEC_GUEST;
	return 0;
}

static int open_section(struct parser *ps, struct str s)
{
	struct str body = trim((struct str){s.p + 1, s.n - 2});

	ps->seen = 0;
	if (str_is(body, "hypervisor")) {
		if (ps->hv_line)
			return fail(ps,
				    "[hypervisor] given twice (first at "
				    "line %u)",
				    ps->hv_line);
		ps->hv_line = ps->line;
		ps->sec = SEC_HV;
		return 0;
	}
	if (body.n > 6 && memcmp(body.p, "guest", 5) == 0 &&
	    is_space(body.p[5]))
		return open_guest(ps,
				  trim((struct str){body.p + 5, body.n - 5}));
	if (body.n > 4 && memcmp(body.p, "cpu", 3) == 0 && is_space(body.p[3]))
		return open_cpu(ps, trim((struct str){body.p + 3, body.n - 3}));
	return fail(ps,
		    "unknown section [%.*s]: expected [hypervisor], "
		    "[guest NAME] or [cpu N]",
		    (int)body.n, body.p);
}

static int set_key(struct parser *ps, struct str k, struct str v)
{
	if (ps->sec == SEC_NONE)
		return fail(ps, "'%.*s' comes before any [section]", (int)k.n,
			    k.p);
	for (size_t i = 0; i < NKEYS; i++) {
		if (keys[i].sec != ps->sec || !str_is(k, keys[i].name))
			continue;
		if (ps->seen & (1u << i))
			return fail(ps, "'%.*s' is given twice in this section",
				    (int)k.n, k.p);
		ps->seen |= 1u << i;
		if (!v.n)
			return fail(ps, "'%.*s' has no value", (int)k.n, k.p);
		return keys[i].set(ps, v);
	}
	return fail(ps, "unknown key '%.*s' in [%s] (known: %s)", (int)k.n, k.p,
		    sec_name(ps->sec), sec_keys(ps->sec));
}

static int parse_line(struct parser *ps, struct str s)
{
	size_t end = s.n; /* where a comment starts; bytes after count too */

	for (size_t i = 0; i < s.n; i++) {
		unsigned char ch = (unsigned char)s.p[i];
		if (ch == '#' && end == s.n)
			end = i;
		if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch >= 0x7f)
			return fail(ps,
				    "unexpected byte 0x%02x (the config "
				    "is plain ASCII text)",
				    ch);
	}
	s.n = end;
	s = trim(s);
	if (!s.n)
		return 0;
	if (s.p[0] == '[') {
		if (s.p[s.n - 1] != ']')
			return fail(ps, "section header lacks its closing ']'");
		return open_section(ps, s);
	}
	for (size_t i = 0; i < s.n; i++)
		if (s.p[i] == '=')
			return set_key(
			    ps, trim((struct str){s.p, i}),
			    trim((struct str){s.p + i + 1, s.n - i - 1}));
	return fail(ps, "expected '[section]' or 'key = value', found '%.*s'",
		    (int)s.n, s.p);
}

/* Keys without which a guest cannot be built, checked once it is closed. */
static int check_guests(struct parser *ps)
{
	for (uint32_t i = 0; i < ps->c->nguests; i++) {
		const struct cfg_guest *g = &ps->c->guests[i];
		const char *missing = !g->image[0] ? "image"
				      : !g->memory ? "memory"
				      : !g->nvcpus ? "cpus"
						   : NULL;
		if (missing) {
			ps->line = g->line;
			return fail(ps, "guest '%s' has no '%s' key", g->name,
				    missing);
		}
		if (g->initrd[0] && g->nmodules) {
			ps->line = g->line;
			return fail(ps,
				    "guest '%s': modules are for Multiboot "
				    "kernels and initrd for Linux: not both",
				    g->name);
		}
		if (g->initrd[0] && g->format != CFG_FORMAT_AUTO &&
		    g->format != CFG_FORMAT_LINUX) {
			ps->line = g->line;
			return fail(ps,
				    "guest '%s': initrd is for Linux kernels "
				    "(format = linux or auto)",
				    g->name);
		}
		if (!g->budget_us != !g->period_us) {
			ps->line = g->line;
			return fail(ps,
				    "guest '%s': budget and period go "
				    "together (an edf reservation)",
				    g->name);
		}
		if (g->budget_us > g->period_us) {
			ps->line = g->line;
			return fail(ps,
				    "guest '%s': budget %llu us is longer "
				    "than its period %llu us",
				    g->name, (unsigned long long)g->budget_us,
				    (unsigned long long)g->period_us);
		}
	}
	return 0;
}

int cfg_parse(const char *text, size_t len, struct cfg *out, char *err,
	      size_t err_size)
{
	struct parser ps = {out, err, err_size, 0, SEC_NONE, 0, 0, 0};
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	if (err_size)
		err[0] = '\0';
	memcpy(out->kernel, "kernel.elf", sizeof("kernel.elf"));
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		ps.line++;
		if (end - pos > LINE_MAX_LEN)
			return fail(&ps, "line is longer than %d characters",
				    LINE_MAX_LEN);
		if (parse_line(&ps, (struct str){text + pos, end - pos}))
			return -1;
		pos = end + 1;
	}
	return check_guests(&ps);
}

int cfg_check_cpus(const struct cfg *c, uint32_t ncpus, char *err,
		   size_t err_size)
{
	struct parser ps = {(struct cfg *)c, err, err_size, 0,
			    SEC_NONE,	     0,	  0,	    0};

	for (uint32_t cpu = ncpus; cpu <= CFG_MAX_CPU_INDEX; cpu++) {
		if (!c->cpus[cpu].line)
			continue;
		ps.line = c->cpus[cpu].line;
		return fail(&ps,
			    "[cpu %u], but this machine has %u CPU%s (0 to "
			    "%u)",
			    cpu, ncpus, ncpus == 1 ? "" : "s", ncpus - 1);
	}
	for (uint32_t i = 0; i < c->nguests; i++) {
		const struct cfg_guest *g = &c->guests[i];
		for (uint32_t v = 0; v < g->nvcpus; v++) {
			if (g->cpus[v] < ncpus)
				continue;
			ps.line = g->cpus_line;
			return fail(&ps,
				    "guest '%s' wants CPU %u, but this "
				    "machine has %u CPU%s (0 to %u)",
				    g->name, g->cpus[v], ncpus,
				    ncpus == 1 ? "" : "s", ncpus - 1);
		}
	}
	return 0;
}
