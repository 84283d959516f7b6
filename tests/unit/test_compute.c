// SPDX-License-Identifier: MIT
/* The compute workload's checksum, from the same source the guest and
 * the native EFI app run: tests/integration/compute* expect this value. */
#include "../../guests/compute/work.h"
#include "test.h"

#define EXPECTED 0x55ddb4c1b7b6ddb0ull

TEST(checksum_of_the_full_run)
{
	CHECK_EQ(compute_run(COMPUTE_ROUNDS), EXPECTED);
}

TEST(depends_on_every_round)
{
	CHECK(compute_run(COMPUTE_ROUNDS - 1) != compute_run(COMPUTE_ROUNDS));
	CHECK(compute_run(0) == 0x9e3779b97f4a7c15ull);
}

int main(void)
{
	RUN(checksum_of_the_full_run);
	RUN(depends_on_every_round);
	return TEST_END();
}
