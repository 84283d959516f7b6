// SPDX-License-Identifier: MIT
/* Interval utilisation figures and their renderings (kernel/sched/stats). */
#include "../../kernel/sched/stats.h"

#include "test.h"

static char buf[400];

TEST(permille)
{
	CHECK_EQ(stats_permille(0, 100), 0);
	CHECK_EQ(stats_permille(1, 2), 500);
	CHECK_EQ(stats_permille(2, 3), 667); /* rounded */
	CHECK_EQ(stats_permille(5, 5), 1000);
	CHECK_EQ(stats_permille(7, 0), 0);
	CHECK_EQ(stats_permille(UINT64_MAX / 2, UINT64_MAX), 500);
}

/* Two vCPUs over 100 ms at 1 GHz: 200,000,000 cycles available. */
TEST(line_fields)
{
	struct stats_sample p = {1000, 10, 5, 1, 0, 7};
	struct stats_sample c = {1000 + 150000000, 10 + 10000000, 5 + 20000000,
				 1 + 1000,	   30000000,	  7 + 5000};

	stats_line(buf, sizeof(buf), 300, "web", "1+2", "credit", 2, &p, &c,
		   100000000, 1000000000, "EPT violation");
	CHECK_STR(buf, "@stats t=300 guest=web cpus=1+2 policy=credit "
		       "util=80.0 steal=10.0 exits=50000 top=EPT_violation "
		       "guest_cyc=150000000 hv_cyc=10000000 steal_cyc=20000000 "
		       "wait_cyc=1000 blocked_cyc=30000000 "
		       "avail_cyc=200000000");
}

TEST(row_columns)
{
	struct stats_sample p = {0}, c = {999000, 0, 0, 0, 0, 0};

	stats_row(buf, sizeof(buf), "left", "1", "static", 1, &p, &c, 1000000,
		  1000000, "-");
	CHECK_STR(buf, "left             1        static    99.9%   0.0%"
		       "        0  -");
	CHECK_EQ(strlen(stats_header()) > 40, 1);
}

/* Long intervals at high rates must not overflow. */
TEST(large_values)
{
	struct stats_sample p = {0}, c = {1ull << 62, 0, 0, 0, 0, 1ull << 40};

	stats_line(buf, sizeof(buf), 1, "g", "0", "rr", 1, &p, &c, 1ull << 62,
		   4000000000ull, "-");
	CHECK_CONTAINS(buf, "util=100.0 ");
	/* 2^40 exits in 2^62 cycles at 4 GHz: about 954 per second */
	CHECK_CONTAINS(buf, "exits=95");
}

int main(void)
{
	RUN(permille);
	RUN(line_fields);
	RUN(row_columns);
	RUN(large_values);
	return TEST_END();
}
