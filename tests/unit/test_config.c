// SPDX-License-Identifier: MIT
/* Tests for kernel/config.c: parsing hv.cfg and every error it reports. */
#include <stdlib.h>

#include "config.h"
#include "test.h"

static struct cfg cfg;
static char err[CFG_ERR_MAX];

static int parse_len(const char *text, size_t len)
{
	memset(err, 'X', sizeof(err));
	err[sizeof(err) - 1] = '\0';
	return cfg_parse(text, len, &cfg, err, sizeof(err));
}

static int parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* The LINE of a "LINE: what" message, or -1 if it has none. */
static long err_line(void)
{
	char *end;
	long n = strtol(err, &end, 10);

	return end != err && end[0] == ':' && end[1] == ' ' ? n : -1;
}

/* text must be refused at line `line`, the message containing `what`. */
#define CHECK_FAILS_LEN(text, len, line, what)      \
	do {                                        \
		CHECK_EQ(parse_len(text, len), -1); \
		CHECK_EQ(err_line(), line);         \
		CHECK_CONTAINS(err, what);          \
	} while (0)
#define CHECK_FAILS(text, line, what) \
	CHECK_FAILS_LEN(text, strlen(text), line, what)

#define CHECK_PARSES(text)                \
	do {                              \
		CHECK_EQ(parse(text), 0); \
		CHECK_STR(err, "");       \
	} while (0)

/* A complete guest body, three lines. */
#define BODY "image = g.elf\nmemory = 16M\ncpus = 0\n"

static const char full[] =
    "# hv.cfg for the tests\n"			   /* 1 */
    "[hypervisor]\n"				   /* 2 */
    "kernel = boot/kernel-2.elf   # not default\n" /* 3 */
    "\tcmdline=poweroff=acpi  selftest=fault \n"   /* 4 */
    "\n"					   /* 5 */
    "[guest hello]\n"				   /* 6 */
    "image  = guests/hello.elf\n"		   /* 7 */
    "memory = 16M\n"				   /* 8 */
    "cpus   = 0\n"				   /* 9 */
    "  [ guest\tbig_one ]  # spaces inside\n"	   /* 10 */
    "image=guests/Big.ELF\n"			   /* 11 */
    "memory = 2G\n"				   /* 12 */
    "cpus = 1, 2,3 ,\t4   \n"			   /* 13 */
    "   # only a comment\n"			   /* 14 */
    "[guest x-9]\n"				   /* 15 */
    "cpus=63\n"					   /* 16 */
    "memory=1g\n"				   /* 17 */
    "image=x.elf\n";				   /* 18 */

static void check_full(void)
{
	CHECK_STR(cfg.kernel, "boot/kernel-2.elf");
	CHECK_STR(cfg.cmdline, "poweroff=acpi  selftest=fault");
	CHECK_EQ(cfg.nguests, 3);

	const struct cfg_guest *g = &cfg.guests[0];
	CHECK_STR(g->name, "hello");
	CHECK_STR(g->image, "guests/hello.elf");
	CHECK_EQ(g->memory, 16ull << 20);
	CHECK_EQ(g->nvcpus, 1);
	CHECK_EQ(g->cpus[0], 0);
	CHECK_EQ(g->line, 6);
	CHECK_EQ(g->cpus_line, 9);

	g = &cfg.guests[1];
	CHECK_STR(g->name, "big_one");
	CHECK_STR(g->image, "guests/Big.ELF");
	CHECK_EQ(g->memory, 2ull << 30);
	CHECK_EQ(g->nvcpus, 4);
	CHECK_EQ(g->cpus[0], 1);
	CHECK_EQ(g->cpus[1], 2);
	CHECK_EQ(g->cpus[2], 3);
	CHECK_EQ(g->cpus[3], 4);
	CHECK_EQ(g->line, 10);
	CHECK_EQ(g->cpus_line, 13);

	g = &cfg.guests[2];
	CHECK_STR(g->name, "x-9");
	CHECK_STR(g->image, "x.elf");
	CHECK_EQ(g->memory, 1ull << 30);
	CHECK_EQ(g->nvcpus, 1);
	CHECK_EQ(g->cpus[0], 63);
	CHECK_EQ(g->line, 15);
	CHECK_EQ(g->cpus_line, 16);
}

TEST(full_config)
{
	CHECK_PARSES(full);
	check_full();
}

TEST(crlf_line_endings)
{
	char text[sizeof(full) * 2];
	size_t n = 0;

	for (const char *p = full; *p; p++) {
		if (*p == '\n')
			text[n++] = '\r';
		text[n++] = *p;
	}
	text[n] = '\0';
	CHECK_PARSES(text);
	check_full();
}

TEST(no_trailing_newline)
{
	CHECK_PARSES("[guest a]\nimage = a.elf\nmemory = 4M\ncpus = 1, 7");
	CHECK_EQ(cfg.guests[0].nvcpus, 2);
	CHECK_EQ(cfg.guests[0].cpus[1], 7);
	/* The unterminated last line is still checked, with its number. */
	CHECK_FAILS("[guest a]\n" BODY "memroy = 4M", 5, "unknown key");
}

TEST(defaults_and_empty_file)
{
	CHECK_PARSES("");
	CHECK_EQ(cfg.nguests, 0);
	CHECK_STR(cfg.kernel, "kernel.elf");
	CHECK_STR(cfg.cmdline, "");
	CHECK_PARSES("# nothing\n\n   \t\n[hypervisor]\n");
	CHECK_STR(cfg.kernel, "kernel.elf");
}

TEST(readme_example_message)
{
	CHECK_EQ(parse("[hypervisor]\n"
		       "\n"
		       "[guest hello]\n"
		       "image = guests/hello.elf\n"
		       "# memory next\n"
		       "\n"
		       "memroy = 16M\n"),
		 -1);
	CHECK_STR(err, "7: unknown key 'memroy' in [guest] "
		       "(known: image, memory, cpus, format, cmdline, "
		       "modules, initrd, on_crash, max_restarts, privileged, "
		       "weight, cap, budget, period)");
}

TEST(unknown_keys)
{
	CHECK_FAILS("[hypervisor]\nimage = a.elf\n", 2,
		    "unknown key 'image' in [hypervisor] "
		    "(known: kernel, cmdline, stats_interval)");
	CHECK_FAILS("[guest a]\n" BODY "kernel = k.elf\n", 5,
		    "unknown key 'kernel' in [guest] (known: image, memory, "
		    "cpus, format, cmdline, modules, initrd, on_crash, "
		    "max_restarts, privileged, weight, cap, budget, period)");
	/* Keys are case-sensitive and compared whole. */
	CHECK_FAILS("[guest a]\nImage = a.elf\n", 2, "unknown key 'Image'");
	CHECK_FAILS("[guest a]\ncpu = 0\n", 2, "unknown key 'cpu'");
	CHECK_FAILS("[guest a]\n= 0\n", 2, "unknown key ''");
}

TEST(unknown_sections)
{
	CHECK_FAILS("\n[hyper]\n", 2,
		    "unknown section [hyper]: expected [hypervisor], "
		    "[guest NAME] or [cpu N]");
	CHECK_FAILS("[guests a]\n", 1, "unknown section [guests a]");
	CHECK_FAILS("[Hypervisor]\n", 1, "unknown section [Hypervisor]");
	CHECK_FAILS("[]\n", 1, "unknown section []");
	CHECK_FAILS("[guest a\n", 1, "lacks its closing ']'");
	CHECK_FAILS("[guest a] x\n", 1, "lacks its closing ']'");
}

TEST(malformed_lines)
{
	CHECK_FAILS("# first\nimage = a.elf\n", 2,
		    "'image' comes before any [section]");
	CHECK_FAILS("[guest a]\nimage a.elf\n", 2,
		    "expected '[section]' or 'key = value', found "
		    "'image a.elf'");
	CHECK_FAILS("[guest a]\nimage =   # none\n", 2, "'image' has no value");
	CHECK_FAILS("[hypervisor]\ncmdline =\n", 2, "'cmdline' has no value");
}

TEST(key_given_twice)
{
	CHECK_FAILS("[guest a]\nmemory = 4M\nimage = a.elf\nmemory = 8M\n", 4,
		    "'memory' is given twice in this section");
	CHECK_FAILS("[hypervisor]\nkernel = a.elf\n\nkernel = a.elf\n", 4,
		    "'kernel' is given twice");
	/* Twice only counts within one section. */
	CHECK_PARSES("[guest a]\n" BODY "[guest b]\n" BODY);
	CHECK_EQ(cfg.nguests, 2);
}

TEST(memory_sizes)
{
	CHECK_PARSES("[guest a]\nimage = a.elf\ncpus = 0\nmemory = 1M\n");
	CHECK_EQ(cfg.guests[0].memory, 1ull << 20);
	CHECK_PARSES("[guest a]\nimage = a.elf\ncpus = 0\nmemory = 1024G\n");
	CHECK_EQ(cfg.guests[0].memory, 1ull << 40);
	CHECK_PARSES("[guest a]\nimage = a.elf\ncpus = 0\nmemory = 1048576M\n");
	CHECK_EQ(cfg.guests[0].memory, 1ull << 40);
	CHECK_PARSES("[guest a]\nimage = a.elf\ncpus = 0\nmemory = 300m\n");
	CHECK_EQ(cfg.guests[0].memory, 300ull << 20);
	CHECK_PARSES("[guest a]\nimage = a.elf\ncpus = 0\nmemory = 007G\n");
	CHECK_EQ(cfg.guests[0].memory, 7ull << 30);
}

TEST(bad_memory)
{
	static const char *const not_sizes[] = {
	    "16",   "16K",   "16 M", "M",    "-1M",
	    "1.5G", "0x10M", "16MB", "+16M", "99999999999999999999M",
	};
	for (size_t i = 0; i < sizeof(not_sizes) / sizeof(not_sizes[0]); i++) {
		char text[128];
		char what[96];
		snprintf(text, sizeof(text), "[guest a]\n\nmemory = %s\n",
			 not_sizes[i]);
		snprintf(what, sizeof(what), "memory '%s' is not a size",
			 not_sizes[i]);
		CHECK_FAILS(text, 3, what);
	}
	CHECK_FAILS("[guest a]\nmemory = 0M\n", 2,
		    "memory '0M' is out of range (1M to 1024G)");
	CHECK_FAILS("[guest a]\nmemory = 0G\n", 2, "out of range");
	CHECK_FAILS("[guest a]\nmemory = 1025G\n", 2, "out of range");
	CHECK_FAILS("[guest a]\nmemory = 1048577M\n", 2, "out of range");
	CHECK_FAILS("[guest a]\nmemory = 281474976710656G\n", 2,
		    "out of range");
}

TEST(cpu_lists)
{
	CHECK_PARSES("[guest a]\nimage = a.elf\nmemory = 1M\n"
		     "cpus = 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n");
	CHECK_EQ(cfg.guests[0].nvcpus, 16);
	CHECK_EQ(cfg.guests[0].cpus[15], 15);

	CHECK_FAILS("[guest a]\ncpus = 1,\n", 2,
		    "cpus '1,': expected CPU numbers separated by commas");
	CHECK_FAILS("[guest a]\ncpus = ,1\n", 2, "expected CPU numbers");
	CHECK_FAILS("[guest a]\ncpus = 1,,2\n", 2, "expected CPU numbers");
	CHECK_FAILS("[guest a]\ncpus = a\n", 2, "expected CPU numbers");
	CHECK_FAILS("[guest a]\ncpus = -1\n", 2, "expected CPU numbers");
	CHECK_FAILS("[guest a]\ncpus = 1 2\n", 2,
		    "cpus '1 2': expected ',' after 1");
	CHECK_FAILS("[guest a]\ncpus = 1;2\n", 2, "expected ',' after 1");
	CHECK_FAILS("[guest a]\ncpus = 0-3\n", 2, "expected ',' after 0");
}

TEST(cpu_listed_twice)
{
	CHECK_FAILS("[guest a]\n\ncpus = 3, 1, 3\n", 3,
		    "CPU 3 is listed twice");
	/* Two guests may share a CPU; only one guest's list is checked. */
	CHECK_PARSES("[guest a]\n" BODY "[guest b]\n" BODY);
}

TEST(cpu_index_range)
{
	CHECK_FAILS("[guest a]\ncpus = 0, 64\n", 2,
		    "CPU 64 is out of range (0 to 63)");
	CHECK_FAILS("[guest a]\ncpus = 255\n", 2, "CPU 255 is out of range");
	CHECK_FAILS("[guest a]\ncpus = 99999999999999999999\n", 2,
		    "expected CPU numbers");
}

TEST(too_many_vcpus)
{
	CHECK_FAILS("[guest a]\n"
		    "cpus = 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16\n",
		    2, "more than 16 vCPUs");
}

TEST(guest_names)
{
	CHECK_PARSES("[guest abcdefghijklm_-]\n" BODY);
	CHECK_STR(cfg.guests[0].name, "abcdefghijklm_-");
	CHECK_FAILS("[guest abcdefghijklmnop]\n", 1,
		    "guest name 'abcdefghijklmnop' must be 1 to 15 characters");
	CHECK_FAILS("\n[guest Hello]\n", 2,
		    "guest name 'Hello': use only a-z, 0-9, _ and -");
	CHECK_FAILS("[guest a.b]\n", 1, "guest name 'a.b': use only");
	CHECK_FAILS("[guest a b]\n", 1, "guest name 'a b': use only");
	CHECK_FAILS("[guest a/b]\n", 1, "use only a-z");
	/* No name at all is not a guest header. */
	CHECK_FAILS("[guest]\n", 1, "unknown section [guest]");
	CHECK_FAILS("[guest   ]\n", 1, "unknown section [guest]");
}

TEST(duplicate_guest_names)
{
	CHECK_EQ(parse("[guest a]\n" BODY "[guest b]\n" BODY "[guest a]\n"),
		 -1);
	CHECK_STR(err, "9: guest 'a' is defined twice (first at line 1)");
}

TEST(missing_required_keys)
{
	/* Reported at the guest's header line, once the file is read. */
	CHECK_EQ(parse("[guest a]\n" BODY "\n[guest b]\nmemory = 1M\n"
		       "cpus = 0\n[hypervisor]\n"),
		 -1);
	CHECK_STR(err, "6: guest 'b' has no 'image' key");
	CHECK_FAILS("[guest a]\nimage = a.elf\ncpus = 0\n", 1,
		    "guest 'a' has no 'memory' key");
	CHECK_FAILS("[guest a]\nimage = a.elf\nmemory = 1M\n", 1,
		    "guest 'a' has no 'cpus' key");
	CHECK_FAILS("\n[guest z]\n", 2, "guest 'z' has no 'image' key");
}

TEST(paths)
{
	CHECK_PARSES("[hypervisor]\nkernel = a/b.c/D-e_f.elf\n");
	CHECK_STR(cfg.kernel, "a/b.c/D-e_f.elf");
	CHECK_FAILS("[guest a]\nimage = /guests/a.elf\n", 2,
		    "path '/guests/a.elf' must be relative to the hv folder");
	CHECK_FAILS("[guest a]\nimage = guests/\n", 2, "must be relative");
	CHECK_FAILS("[guest a]\nimage = ../a.elf\n", 2,
		    "path '../a.elf' must not contain '..'");
	CHECK_FAILS("[guest a]\nimage = guests/../../a.elf\n", 2,
		    "must not contain '..'");
	CHECK_FAILS("[hypervisor]\nkernel = x/..\n", 2,
		    "must not contain '..'");
	CHECK_FAILS("[guest a]\nimage = guests\\a.elf\n", 2,
		    "path 'guests\\a.elf': only letters, digits and . _ - / "
		    "are allowed");
	CHECK_FAILS("[guest a]\nimage = a b.elf\n", 2, "only letters");
	CHECK_FAILS("[guest a]\nimage = C:a.elf\n", 2, "only letters");
}

TEST(path_length)
{
	char text[160];
	char name[CFG_PATH_MAX + 1];

	memset(name, 'p', sizeof(name));
	name[CFG_PATH_MAX - 1] = '\0'; /* 63 characters: the most */
	snprintf(text, sizeof(text), "[guest a]\nmemory=1M\ncpus=0\nimage=%s\n",
		 name);
	CHECK_PARSES(text);
	CHECK_STR(cfg.guests[0].image, name);

	name[CFG_PATH_MAX - 1] = 'p';
	name[CFG_PATH_MAX] = '\0';
	snprintf(text, sizeof(text), "[hypervisor]\n\nkernel = %s\n", name);
	CHECK_FAILS(text, 3, "is longer than 63 characters");
}

TEST(cmdline_length)
{
	char text[CFG_CMDLINE_MAX + 64];
	char value[CFG_CMDLINE_MAX + 1];

	memset(value, 'c', sizeof(value));
	value[CFG_CMDLINE_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "[hypervisor]\ncmdline = %s\n", value);
	CHECK_PARSES(text);
	CHECK_STR(cfg.cmdline, value);

	value[CFG_CMDLINE_MAX - 1] = 'c';
	value[CFG_CMDLINE_MAX] = '\0';
	snprintf(text, sizeof(text), "[hypervisor]\ncmdline = %s\n", value);
	CHECK_FAILS(text, 2, "cmdline is longer than 255 characters");
}

TEST(line_length)
{
	char text[600];

	/* A comment line of exactly 512 characters is fine... */
	memset(text, '#', sizeof(text));
	memcpy(text, "[hypervisor]\n", 13);
	text[13 + 512] = '\n';
	text[13 + 513] = '\0';
	CHECK_PARSES(text);
	/* ...one more is not, even without a newline at the end. */
	text[13 + 512] = '#';
	CHECK_FAILS_LEN(text, 13 + 513, 2,
			"line is longer than 512 characters");
}

TEST(non_ascii_bytes)
{
	CHECK_FAILS("[guest a]\nimage = caf\xc3\xa9.elf\n", 2,
		    "unexpected byte 0xc3 (the config is plain ASCII text)");
	CHECK_FAILS("[guest a]\n\x7f\n", 2, "unexpected byte 0x7f");
	CHECK_FAILS("[guest a]\nimage\x01 = a.elf\n", 2,
		    "unexpected byte 0x01");
	static const char nul[] = "[guest a]\n\nimage = a\0.elf\n";
	CHECK_FAILS_LEN(nul, sizeof(nul) - 1, 3, "unexpected byte 0x00");
	/* README: a non-ASCII byte anywhere stops the boot, comments too. */
	CHECK_FAILS("[hypervisor] # caf\xc3\xa9\n", 1, "unexpected byte 0xc3");
	/* Tabs and CRs are whitespace, not errors. */
	CHECK_PARSES("[hypervisor]\t\r\n\tkernel\t=\tk.elf\t\r\n");
	CHECK_STR(cfg.kernel, "k.elf");
}

TEST(too_many_guests)
{
	char text[CFG_MAX_GUESTS * 64];
	size_t n = 0;

	for (int i = 0; i < CFG_MAX_GUESTS; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "[guest g%d]\nimage=g.elf\nmemory=1M\ncpus=%d\n",
			      i, i);
	CHECK_PARSES(text);
	CHECK_EQ(cfg.nguests, CFG_MAX_GUESTS);
	CHECK_STR(cfg.guests[15].name, "g15");
	CHECK_EQ(cfg.guests[15].line, 61);

	snprintf(text + n, sizeof(text) - n, "[guest g16]\n");
	CHECK_FAILS(text, 65, "too many guests (at most 16)");
}

TEST(hypervisor_twice)
{
	CHECK_EQ(parse("[hypervisor]\n[guest a]\n" BODY "[ hypervisor ]\n"),
		 -1);
	CHECK_STR(err, "6: [hypervisor] given twice (first at line 1)");
}

TEST(small_error_buffer)
{
	char small[6];
	const char *text = "[guest a]\nmemory = 0M\n";

	memset(small, 'X', sizeof(small));
	CHECK_EQ(cfg_parse(text, strlen(text), &cfg, small, sizeof(small)), -1);
	CHECK_STR(small, "2: me");
	/* No buffer at all: still refused, nothing written. */
	CHECK_EQ(cfg_parse(text, strlen(text), &cfg, small, 0), -1);
	CHECK_STR(small, "2: me");
}

TEST(check_cpus)
{
	CHECK_PARSES(full); /* highest CPU: 63 in guest x-9, line 16 */
	CHECK_EQ(cfg_check_cpus(&cfg, 64, err, sizeof(err)), 0);

	CHECK_EQ(cfg_check_cpus(&cfg, 63, err, sizeof(err)), -1);
	CHECK_STR(err, "16: guest 'x-9' wants CPU 63, but this machine has 63 "
		       "CPUs (0 to 62)");
	CHECK_EQ(cfg_check_cpus(&cfg, 4, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "13: guest 'big_one' wants CPU 4, but this machine has 4 "
		  "CPUs (0 to 3)");
	CHECK_EQ(cfg_check_cpus(&cfg, 1, err, sizeof(err)), -1);
	CHECK_STR(err,
		  "13: guest 'big_one' wants CPU 1, but this machine has 1 "
		  "CPU (0 to 0)");

	CHECK_PARSES("");
	CHECK_EQ(cfg_check_cpus(&cfg, 1, err, sizeof(err)), 0);
}

TEST(guest_start_keys)
{
	CHECK_EQ(parse("[guest a]\n" BODY "format = multiboot\n"
		       "cmdline = console=ttyS0 x=1\n"
		       "modules = m/a.bin, b.gz\non_crash = restart\n"
		       "privileged = yes\nmax_restarts = 1\n"),
		 0);
	const struct cfg_guest *g = &cfg.guests[0];
	CHECK_EQ(g->format, CFG_FORMAT_MULTIBOOT);
	CHECK_EQ(g->max_restarts, 1);
	CHECK_STR(g->cmdline, "console=ttyS0 x=1");
	CHECK_EQ(g->nmodules, 2);
	CHECK_STR(g->modules[0], "m/a.bin");
	CHECK_STR(g->modules[1], "b.gz");
	CHECK_EQ(g->on_crash, CFG_CRASH_RESTART);
	CHECK_EQ(g->privileged, 1);
	/* Defaults: detect the format, stop on a crash, no modules. */
	CHECK_EQ(parse("[guest a]\n" BODY), 0);
	CHECK_EQ(cfg.guests[0].format, CFG_FORMAT_AUTO);
	CHECK_EQ(cfg.guests[0].on_crash, CFG_CRASH_STOP);
	CHECK_EQ(cfg.guests[0].max_restarts, 8);
	CHECK_EQ(cfg.guests[0].nmodules, 0);
	CHECK_EQ(parse("[guest a]\n" BODY "max_restarts = 0\n"), 0);
	CHECK_EQ(cfg.guests[0].max_restarts, 0);
	CHECK_EQ(cfg.guests[0].privileged, 0);
	CHECK_STR(cfg.guests[0].cmdline, "");
}

TEST(linux_keys)
{
	CHECK_EQ(parse("[guest l]\n" BODY "format = linux\n"
		       "initrd = linux/initramfs.gz\n"
		       "cmdline = console=ttyS0 hvrun=\"uname -a\"\n"),
		 0);
	const struct cfg_guest *g = &cfg.guests[0];
	CHECK_EQ(g->format, CFG_FORMAT_LINUX);
	CHECK_STR(g->initrd, "linux/initramfs.gz");
	CHECK_STR(g->cmdline, "console=ttyS0 hvrun=\"uname -a\"");
	CHECK_EQ(parse("[guest l]\n" BODY "initrd = i.gz\n"), 0); /* auto */
	CHECK_FAILS("[guest l]\n" BODY "format = elf64\ninitrd = i.gz\n", 1,
		    "guest 'l': initrd is for Linux kernels (format = linux or "
		    "auto)");
	CHECK_FAILS("[guest l]\n" BODY "initrd = i.gz\nmodules = m\n", 1,
		    "guest 'l': modules are for Multiboot kernels and initrd "
		    "for Linux: not both");
	CHECK_FAILS("[guest l]\n" BODY "initrd = ../i.gz\n", 5, "'..'");
}

TEST(guest_start_keys_refused)
{
	CHECK_FAILS("[guest a]\n" BODY "format = elf32\n", 5,
		    "format 'elf32': expected auto, elf64, multiboot, flat or "
		    "linux");
	CHECK_FAILS("[guest a]\n" BODY "on_crash = reboot\n", 5,
		    "on_crash 'reboot': expected stop or restart");
	CHECK_FAILS("[guest a]\n" BODY "max_restarts = 1001\n", 5,
		    "max_restarts '1001': expected a whole number from 0 to "
		    "1000");
	CHECK_FAILS("[guest a]\n" BODY "max_restarts = -1\n", 5,
		    "max_restarts '-1'");
	CHECK_FAILS("[guest a]\n" BODY "privileged = 1\n", 5,
		    "privileged '1': expected yes or no");
	CHECK_FAILS("[guest a]\n" BODY "modules = a, , b\n", 5, "empty path");
	CHECK_FAILS("[guest a]\n" BODY "modules = a,\n", 5, "empty path");
	CHECK_FAILS("[guest a]\n" BODY "modules = ../x\n", 5, "'..'");
	CHECK_FAILS("[guest a]\n" BODY "modules = a, b, c, d, e\n", 5,
		    "more than 4 modules");
	CHECK_FAILS("[guest a]\n" BODY "format = flat\nformat = flat\n", 6,
		    "given twice");
}

TEST(sched_keys)
{
	CHECK_PARSES("[guest a]\n" BODY "weight = 512\ncap = 25\n"
		     "budget = 2ms\nperiod = 10ms\n"
		     "[guest b]\n" BODY
		     "[cpu 0]\npolicy = credit\nslice = 500us\n"
		     "[cpu 3]\npolicy = edf\n");
	CHECK_EQ(cfg.guests[0].weight, 512);
	CHECK_EQ(cfg.guests[0].cap, 25);
	CHECK_EQ(cfg.guests[0].budget_us, 2000);
	CHECK_EQ(cfg.guests[0].period_us, 10000);
	CHECK_EQ(cfg.guests[1].weight, CFG_DEFAULT_WEIGHT); /* defaults */
	CHECK_EQ(cfg.guests[1].cap, 0);
	CHECK_EQ(cfg.guests[1].period_us, 0);
	CHECK_EQ(cfg.cpus[0].policy, CFG_POLICY_CREDIT);
	CHECK_EQ(cfg.cpus[0].slice_us, 500);
	CHECK_EQ(cfg.cpus[0].line, 13);
	CHECK_EQ(cfg.cpus[3].policy, CFG_POLICY_EDF);
	CHECK_EQ(cfg.cpus[3].slice_us, 0);
	CHECK_EQ(cfg.cpus[1].policy, CFG_POLICY_DEFAULT);
	CHECK_EQ(cfg.cpus[1].line, 0);
	CHECK_PARSES("[cpu 1]\nslice = 1s\n[cpu 2]\npolicy = static\n"
		     "[cpu 4]\npolicy = rr\nslice = 10us\n");
	CHECK_EQ(cfg.cpus[1].slice_us, 1000000);
	CHECK_EQ(cfg.cpus[2].policy, CFG_POLICY_STATIC);
	CHECK_EQ(cfg.cpus[4].policy, CFG_POLICY_RR);
}

TEST(sched_keys_refused)
{
	CHECK_FAILS("[cpu 0]\npolicy = fifo\n", 2,
		    "policy 'fifo': expected static, rr, credit or edf");
	CHECK_FAILS("[cpu 0]\nslice = 10\n", 2,
		    "slice '10' is not a time: write a whole number of us, "
		    "ms or s");
	CHECK_FAILS("[cpu 0]\nslice = 5us\n", 2,
		    "slice '5us' is out of range (10us to 10s)");
	CHECK_FAILS("[cpu 0]\nslice = 11s\n", 2, "out of range");
	CHECK_FAILS("[cpu 0]\nslice = 2m\n", 2, "is not a time");
	CHECK_FAILS("[cpu 0]\nimage = a\n", 2,
		    "unknown key 'image' in [cpu] (known: policy, slice)");
	CHECK_FAILS("[cpu 0]\n[cpu 0]\n", 2,
		    "[cpu 0] given twice (first at line 1)");
	CHECK_FAILS("[cpu 64]\n", 1, "[cpu 64]: out of range (0 to 63)");
	CHECK_FAILS("[cpu x]\n", 1, "[cpu x]: expected a CPU number");
	CHECK_FAILS("[cpu]\n", 1, "unknown section [cpu]");
	CHECK_FAILS("[guest a]\n" BODY "weight = 0\n", 5,
		    "weight '0': expected a whole number from 1 to 65535");
	CHECK_FAILS("[guest a]\n" BODY "weight = 70000\n", 5,
		    "from 1 to 65535");
	CHECK_FAILS("[guest a]\n" BODY "cap = 101\n", 5,
		    "cap '101': expected a whole number from 0 to 100");
	CHECK_FAILS("[guest a]\n" BODY "cap = 5%\n", 5, "cap '5%'");
	CHECK_FAILS("[guest a]\n" BODY "budget = 1ms\n", 1,
		    "guest 'a': budget and period go together");
	CHECK_FAILS("[guest a]\n" BODY "period = 1ms\n", 1,
		    "budget and period go together");
	CHECK_FAILS("[guest a]\n" BODY "budget = 2ms\nperiod = 1ms\n", 1,
		    "guest 'a': budget 2000 us is longer than its period "
		    "1000 us");
}

TEST(stats_interval_key)
{
	CHECK_PARSES("[hypervisor]\nstats_interval = 100ms\n");
	CHECK_EQ(cfg.stats_interval_us, 100000);
	CHECK_PARSES("[guest a]\n" BODY);
	CHECK_EQ(cfg.stats_interval_us, 0); /* off unless asked for */
	CHECK_FAILS("[hypervisor]\nstats_interval = 5\n", 2,
		    "stats_interval '5' is not a time");
}

TEST(check_cpu_sections)
{
	CHECK_PARSES("[guest a]\n" BODY "[cpu 3]\npolicy = rr\n");
	CHECK_EQ(cfg_check_cpus(&cfg, 4, err, sizeof(err)), 0);
	CHECK_EQ(cfg_check_cpus(&cfg, 3, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "5: [cpu 3], but this machine has 3 CPUs (0 to 2)");
}

int main(void)
{
	RUN(full_config);
	RUN(crlf_line_endings);
	RUN(no_trailing_newline);
	RUN(defaults_and_empty_file);
	RUN(readme_example_message);
	RUN(unknown_keys);
	RUN(unknown_sections);
	RUN(malformed_lines);
	RUN(key_given_twice);
	RUN(memory_sizes);
	RUN(bad_memory);
	RUN(cpu_lists);
	RUN(cpu_listed_twice);
	RUN(cpu_index_range);
	RUN(too_many_vcpus);
	RUN(guest_names);
	RUN(duplicate_guest_names);
	RUN(missing_required_keys);
	RUN(paths);
	RUN(path_length);
	RUN(cmdline_length);
	RUN(line_length);
	RUN(non_ascii_bytes);
	RUN(too_many_guests);
	RUN(hypervisor_twice);
	RUN(small_error_buffer);
	RUN(check_cpus);
	RUN(guest_start_keys);
	RUN(linux_keys);
	RUN(guest_start_keys_refused);
	RUN(sched_keys);
	RUN(sched_keys_refused);
	RUN(check_cpu_sections);
	RUN(stats_interval_key);
	return TEST_END();
}
