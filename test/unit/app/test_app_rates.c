/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * app/rates.c: per-second rates between two snapshots are the counters' differences over the
 * time between them; every counting worker counter gets one, in list order, then dropped,
 * the engine's started/expired/ack_sent, term_accepted and period_cycles_per_pkt; a counter
 * that went down (a reset) or a period of 0 ms gives 0, not a huge number.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rates.h"

#define MAX_RATES 64

struct got {
	unsigned int n;
	char key[MAX_RATES][48];
	double v[MAX_RATES];
};

static void
collect(const char *key, double value, void *arg)
{
	struct got *g = arg;

	assert_true(g->n < MAX_RATES);
	snprintf(g->key[g->n], sizeof(g->key[0]), "%s", key);
	g->v[g->n++] = value;
}

static double
rate(const struct got *g, const char *key)
{
	unsigned int i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->key[i], key) == 0)
			return g->v[i];
	fail_msg("no rate %s", key);
	return -1;
}

static void
test_rates(void **state)
{
	static struct app_rate_snap a, b;
	struct got g = {0};
	unsigned int want = 0;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.ms = 1000;
	b.ms = 3000; /* 2 s */
	a.w.rx = 100;
	b.w.rx = 4100;
	a.w.tx = 50;
	b.w.tx = 2050;
	a.w.busy_tsc = 0;
	b.w.busy_tsc = 2000000; /* over 4000 frames: 500 per frame */
	b.w.drop[TCPSEG_BAD_TCP_CSUM] = 10;
	a.eng[TWQ_CTR_STARTED] = 7;
	b.eng[TWQ_CTR_STARTED] = 7 + 600;
	b.eng[TWQ_CTR_EXPIRED] = 300;
	a.eng[TWQ_CTR_ACK_SENT] = 900; /* went down: a reset, rate 0 */
	b.eng[TWQ_CTR_ACK_SENT] = 10;
	b.accepted = 20;
	assert_int_equal(app_rates_walk(&a, &b, collect, &g), 2000);
#define COUNT(field, key, unit, help) want += (unit) == APP_UNIT_COUNT;
	APP_WORKER_COUNTERS(COUNT)
#undef COUNT
	assert_int_equal(g.n, want + 6);
	assert_string_equal(g.key[0], "rx_per_s");
	assert_string_equal(g.key[g.n - 1], "period_cycles_per_pkt");
	assert_true(rate(&g, "rx_per_s") == 2000.0);
	assert_true(rate(&g, "tx_per_s") == 1000.0);
	assert_true(rate(&g, "dropped_per_s") == 5.0);
	assert_true(rate(&g, "started_per_s") == 300.0);
	assert_true(rate(&g, "expired_per_s") == 150.0);
	assert_true(rate(&g, "ack_sent_per_s") == 0.0);
	assert_true(rate(&g, "term_accepted_per_s") == 10.0);
	assert_true(rate(&g, "period_cycles_per_pkt") == 500.0);
	assert_true(rate(&g, "busy_cycles_per_s") == 1000000.0);

	/* No period (never taken, or the same instant): everything 0. */
	memset(&g, 0, sizeof(g));
	a.ms = 0;
	assert_int_equal(app_rates_walk(&a, &b, collect, &g), 0);
	assert_true(rate(&g, "rx_per_s") == 0.0);
	assert_true(rate(&g, "period_cycles_per_pkt") == 0.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
