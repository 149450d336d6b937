/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * app/shard.c, the one owner of a worker's state and its lock: shards are made from the
 * configuration and freed; a restored entry is found by app_shard_peek() without any engine
 * counter moving; a scan slice expires at most its budget of due entries, reports its hold
 * and refreshes the entry counts; a worker that finds the lock taken flags its wait, waits
 * for the holder and counts the wait.
 */

#include <arpa/inet.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"
#include "config_keys.h"
#include "shard.h"
#include "test_eal.h"

static struct app_shard sh[2];
static struct app_config cfg;

static int
setup(void **state)
{
	const unsigned int lcores[2] = {0, 0};
	size_t bytes = 0;

	(void)state;
	memset(sh, 0, sizeof(sh));
	app_config_defaults(&cfg);
	cfg.capacity = 64;
	cfg.capacity6 = 64;
	if (app_shards_create(sh, lcores, 2, &cfg, &bytes) != 0)
		return -1;
	return bytes > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	app_shards_free(sh, 2);
	return 0;
}

static struct twq_entry_info
entry(uint16_t rport, uint32_t remaining_ms)
{
	struct twq_entry_info e;

	memset(&e, 0, sizeof(e));
	e.key.laddr.v4 = htonl(0xc6120001); /* 198.18.0.1 */
	e.key.raddr.v4 = htonl(0xc6130001); /* 198.19.0.1 */
	e.key.lport = 80;
	e.key.rport = rport;
	e.snd_nxt = 1000 + rport;
	e.rcv_nxt = 2000 + rport;
	e.last_win = 512;
	e.remaining_ms = remaining_ms;
	return e;
}

static void
test_create_free(void **state)
{
	struct app_shard_info info;

	(void)state;
	app_shard_info(&sh[1], &info);
	assert_int_equal(info.capacity, 64);
	assert_int_equal(info.capacity6, 64);
	assert_int_equal(info.entries4 + info.entries6, 0);
	assert_int_equal(app_shard_lcore(&sh[1]), 0);
	app_shards_free(sh, 2);
	assert_null(sh[0].tw);
	assert_null(sh[1].tw);
	app_shards_free(sh, 2); /* twice: nothing left to free */
	assert_int_equal(setup(NULL), 0);
}

static void
test_peek_counts_nothing(void **state)
{
	uint64_t before[TWQ_CTR_MAX], after[TWQ_CTR_MAX];
	struct twq_entry_info e = entry(40001, 60000), got;
	struct twq_entry_info ghost = entry(40002, 60000);
	int i;

	(void)state;
	app_shard_restore_begin(&sh[0]);
	assert_int_equal(app_shard_restore(&sh[0], &e, app_clock_ms()), TWQ_RESTORED);
	app_shard_restore_end(&sh[0]);
	app_shard_counters(&sh[0], before);
	for (i = 0; i < 100; i++) {
		assert_int_equal(app_shard_peek(&sh[0], &e.key, &got), 0);
		assert_int_equal(got.snd_nxt, e.snd_nxt);
		assert_int_equal(got.rcv_nxt, e.rcv_nxt);
		assert_true(got.remaining_ms > 0 && got.remaining_ms <= 60000);
		assert_int_equal(app_shard_peek(&sh[0], &ghost.key, &got), -1);
		assert_int_equal(app_shard_peek(&sh[1], &e.key, &got), -1); /* other shard */
	}
	app_shard_counters(&sh[0], after);
	assert_memory_equal(before, after, sizeof(before));
	assert_int_equal(after[TWQ_CTR_RESTORED], 1);
	assert_int_equal(after[TWQ_CTR_LOOKUP_HIT] + after[TWQ_CTR_LOOKUP_MISS], 0);
}

static void
test_expire_slice(void **state)
{
	uint64_t sum[TWQ_CTR_MAX], e4, e6, hold = 0;
	struct twq_entry_info e;
	uint16_t p;

	(void)state;
	app_shard_restore_begin(&sh[0]);
	for (p = 0; p < 10; p++) {
		e = entry(50000 + p, 1);
		assert_int_equal(app_shard_restore(&sh[0], &e, app_clock_ms()), TWQ_RESTORED);
	}
	e = entry(51000, 600000);
	assert_int_equal(app_shard_restore(&sh[0], &e, app_clock_ms()), TWQ_RESTORED);
	app_shard_restore_end(&sh[0]);
	app_shard_refresh(&sh[0]);
	app_shards_entries(sh, 2, &e4, &e6);
	assert_int_equal(e4, 11);
	assert_int_equal(e6, 0);
	app_sleep_ms(5);
	assert_int_equal(app_shard_expire_slice(&sh[0], 4, &hold), 4);
	assert_true(hold > 0);
	app_shards_entries(sh, 2, &e4, &e6);
	assert_int_equal(e4, 7); /* the snapshot is of the slice just done */
	assert_int_equal(app_shard_expire_slice(&sh[0], 4, &hold), 4);
	assert_int_equal(app_shard_expire_slice(&sh[0], 4, &hold), 2);
	assert_int_equal(app_shard_expire_slice(&sh[0], 4, &hold), 0);
	app_shards_entries(sh, 2, &e4, &e6);
	assert_int_equal(e4, 1);
	assert_int_equal(app_shard_count(&sh[0], -1), 1);
	app_shards_counters(sh, 2, sum);
	assert_int_equal(sum[TWQ_CTR_EXPIRED], 10);
	assert_int_equal(sum[TWQ_CTR_RESTORED], 11);
}

/* Holds shard 0's lock until the worker has flagged its wait, then 20 ms more. */
static void *
holder(void *arg)
{
	uint32_t *saw_flag = arg;
	int i;

	for (i = 0; i < 5000 && __atomic_load_n(&sh[0].worker_waiting, __ATOMIC_RELAXED) == 0; i++)
		app_sleep_ms(1);
	*saw_flag = __atomic_load_n(&sh[0].worker_waiting, __ATOMIC_RELAXED);
	app_sleep_ms(20);
	rte_spinlock_unlock(&sh[0].lock);
	return NULL;
}

static void
test_worker_waits_and_counts(void **state)
{
	struct app_worker_stats st;
	uint32_t saw_flag = 0;
	pthread_t t;

	(void)state;
	memset(&st, 0, sizeof(st));
	app_shard_enter(&sh[0], &st); /* free: taken at once, nothing counted */
	app_shard_leave(&sh[0]);
	assert_int_equal(st.lock_waits, 0);

	rte_spinlock_lock(&sh[0].lock); /* a scan slice or a lookup, as it were */
	assert_int_equal(pthread_create(&t, NULL, holder, &saw_flag), 0);
	app_shard_enter(&sh[0], &st);
	assert_int_equal(__atomic_load_n(&sh[0].worker_waiting, __ATOMIC_RELAXED), 0);
	app_shard_leave(&sh[0]);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(saw_flag, 1);
	assert_int_equal(st.lock_waits, 1);
	assert_true(st.lock_yields >= 1); /* 20 ms is past the 50 us spin */
	assert_true(app_tsc_to_us(st.lock_max_wait_tsc) >= 19000.0);
	app_shard_step_aside(&sh[0]); /* nobody waits: returns at once */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test_setup_teardown(test_create_free, setup, teardown),
			cmocka_unit_test_setup_teardown(test_peek_counts_nothing, setup, teardown),
			cmocka_unit_test_setup_teardown(test_expire_slice, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_worker_waits_and_counts, setup, teardown),
	};

	if (test_eal_init("test_app_shard", 64) < 0)
		return EXIT_FAILURE;
	app_clock_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
