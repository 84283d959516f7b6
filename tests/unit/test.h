/* SPDX-License-Identifier: MIT */
/* Minimal host test harness: one line per test case, TAP-style. */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

/*
 * Each test binary defines test cases with TEST(name) and lists them in
 * main() with RUN(name).  A case prints "ok - file:name" or
 * "not ok - file:name: why"; scripts/test counts these lines, so every
 * case counts once in the final "N passed, N failed".
 */
static int test_failed_cases;
static int test_case_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("    %s:%d: CHECK(%s) failed\n", __FILE__, \
			       __LINE__, #cond);                          \
			test_case_failed = 1;                             \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_EQ(a, b)                                                        \
	do {                                                                  \
		unsigned long long va_ = (unsigned long long)(a);             \
		unsigned long long vb_ = (unsigned long long)(b);             \
		if (va_ != vb_) {                                             \
			printf(                                               \
			    "    %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", \
			    __FILE__, __LINE__, #a, #b, va_, vb_);            \
			test_case_failed = 1;                                 \
			return;                                               \
		}                                                             \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		if (strcmp((a), (b)) != 0) {                              \
			printf("    %s:%d: \"%s\" != \"%s\"\n", __FILE__, \
			       __LINE__, (a), (b));                       \
			test_case_failed = 1;                             \
			return;                                           \
		}                                                         \
	} while (0)

/* The message must contain the fragment (messages are for people). */
#define CHECK_CONTAINS(hay, needle)                                          \
	do {                                                                 \
		if (!strstr((hay), (needle))) {                              \
			printf("    %s:%d: \"%s\" lacks \"%s\"\n", __FILE__, \
			       __LINE__, (hay), (needle));                   \
			test_case_failed = 1;                                \
			return;                                              \
		}                                                            \
	} while (0)

#define RUN(name)                                                          \
	do {                                                               \
		test_case_failed = 0;                                      \
		name();                                                    \
		printf("%s - %s:%s\n", test_case_failed ? "not ok" : "ok", \
		       __FILE__, #name);                                   \
		test_failed_cases += test_case_failed;                     \
	} while (0)

#define TEST_END() (test_failed_cases ? 1 : 0)

#endif
