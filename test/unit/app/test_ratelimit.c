/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* app/ratelimit.h: the token bucket of the closed-port RST and challenge ACKs. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ratelimit.h"

/* Tokens taken from the bucket in n tries at time now. */
static unsigned int
take_n(struct app_ratelimit *rl, unsigned int n, uint64_t now)
{
	unsigned int ok = 0;

	while (n-- != 0)
		ok += app_ratelimit_take(rl, now);
	return ok;
}

static void
test_burst_then_rate(void **state)
{
	struct app_ratelimit rl;

	(void)state;
	app_ratelimit_init(&rl, 100, 10, 1000);
	/* a full bucket: the burst, then nothing more at the same instant */
	assert_int_equal(take_n(&rl, 50, 1000), 10);
	assert_int_equal(take_n(&rl, 50, 1000), 0);
	/* 100/s: one token per 10 ms; 9 ms is not enough, 10 ms is */
	assert_int_equal(take_n(&rl, 5, 1009), 0);
	assert_int_equal(take_n(&rl, 5, 1010), 1);
	/* 55 ms later: 5.5 tokens, 5 taken, the half kept */
	assert_int_equal(take_n(&rl, 50, 1065), 5);
	assert_int_equal(take_n(&rl, 50, 1070), 1);
	/* a long pause refills to the burst, never more */
	assert_int_equal(take_n(&rl, 50, 1000000), 10);
}

static void
test_steady_rate(void **state)
{
	struct app_ratelimit rl;
	unsigned int ok = 0;
	uint64_t t;

	(void)state;
	app_ratelimit_init(&rl, 1000, 50, 0);
	/* 10 tries per ms for 10 s: 50 (the burst) + 1000/s * 10 s */
	for (t = 0; t < 10000; t++)
		ok += take_n(&rl, 10, t);
	assert_int_equal(ok, 50 + 9999);
}

static void
test_slow_rate(void **state)
{
	struct app_ratelimit rl;
	unsigned int ok = 0;
	uint64_t t;

	(void)state;
	/* 3 per second, polled every millisecond: the thousandths beyond a token are carried
	 * over (the k-th token at ceil(1000 k / 3) ms), so 10 s give exactly 30 after the burst */
	app_ratelimit_init(&rl, 3, 2, 0);
	for (t = 0; t <= 10000; t++)
		ok += take_n(&rl, 1, t);
	assert_int_equal(ok, 2 + 30);
	/* with a burst of 1 the bucket is full at 333.3 ms and the rest is lost (capped) */
	app_ratelimit_init(&rl, 3, 1, 0);
	ok = 0;
	for (t = 0; t <= 10000; t++)
		ok += take_n(&rl, 1, t);
	assert_int_equal(ok, 1 + 10000 / 334);
}

static void
test_unlimited_and_clock(void **state)
{
	struct app_ratelimit rl;

	(void)state;
	app_ratelimit_init(&rl, 0, 1, 5);
	assert_int_equal(take_n(&rl, 100000, 5), 100000);
	/* a clock that goes back refills nothing and breaks nothing */
	app_ratelimit_init(&rl, 10, 2, 1000);
	assert_int_equal(take_n(&rl, 5, 1000), 2);
	assert_int_equal(take_n(&rl, 5, 10), 0);
	assert_int_equal(take_n(&rl, 5, 1100), 1);
	/* burst 0 is taken as 1; huge values are clamped, no overflow */
	app_ratelimit_init(&rl, 1, 0, 0);
	assert_int_equal(take_n(&rl, 5, 0), 1);
	app_ratelimit_init(&rl, UINT32_MAX, UINT32_MAX, 0);
	assert_int_equal(take_n(&rl, 1000, 0), 1000);
	assert_int_equal(take_n(&rl, 1000, UINT64_MAX), 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_burst_then_rate),
			cmocka_unit_test(test_steady_rate),
			cmocka_unit_test(test_slow_rate),
			cmocka_unit_test(test_unlimited_and_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
