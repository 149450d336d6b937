/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * app_lock(): the shard lock's waiter spins briefly and then yields the CPU. Checked here:
 * a free lock is taken at once (0), a held lock is not taken before its release, a waiter on
 * a holder that is not running yields (return above 1) and comes back when the lock is
 * released, and the lock excludes under contention from two threads; app_lock_yield_to()
 * waits while the waiter's flag is set, up to its limit.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lock.h"
#include "test_eal.h"

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

static void
test_free_lock(void **state)
{
	rte_spinlock_t lock = RTE_SPINLOCK_INITIALIZER;

	(void)state;
	assert_int_equal(app_lock(&lock), 0);
	assert_int_equal(rte_spinlock_trylock(&lock), 0);
	rte_spinlock_unlock(&lock);
	assert_int_equal(rte_spinlock_trylock(&lock), 1);
	rte_spinlock_unlock(&lock);
}

struct waiter {
	rte_spinlock_t *lock;
	volatile int *released;
	int started;
	uint32_t waits;
	int saw_released;
};

static void *
waiter_main(void *arg)
{
	struct waiter *w = arg;

	__atomic_store_n(&w->started, 1, __ATOMIC_RELEASE);
	w->waits = app_lock(w->lock);
	w->saw_released = __atomic_load_n(w->released, __ATOMIC_ACQUIRE);
	rte_spinlock_unlock(w->lock);
	return NULL;
}

/* The holder sleeps 100 ms with the lock (it is not running): the waiter spins for
 * APP_LOCK_SPIN_US, then yields until the release, and only then has the lock. */
static void
test_holder_not_running(void **state)
{
	rte_spinlock_t lock = RTE_SPINLOCK_INITIALIZER;
	volatile int released = 0;
	struct waiter w = {.lock = &lock, .released = &released};
	pthread_t t;

	(void)state;
	rte_spinlock_lock(&lock);
	assert_int_equal(pthread_create(&t, NULL, waiter_main, &w), 0);
	/* Hold on for 100 ms once the waiter runs: plenty for its 50 us spin even on a loaded
	 * machine (the test suite runs beside busy-polling e2e tests). */
	while (__atomic_load_n(&w.started, __ATOMIC_ACQUIRE) == 0)
		sleep_ms(1);
	sleep_ms(100);
	__atomic_store_n(&released, 1, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&lock);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.saw_released, 1);
	assert_true(w.waits > 1);
	assert_int_equal(rte_spinlock_trylock(&lock), 1);
	rte_spinlock_unlock(&lock);
}

#define ROUNDS 1000000

struct counter {
	pthread_barrier_t start; /* both adders begin together */
	rte_spinlock_t lock;
	uint64_t value;     /* plain: only the lock keeps increments whole */
	uint64_t contended; /* acquisitions that found the lock held */
};

static void *
adder_main(void *arg)
{
	struct counter *c = arg;
	uint64_t contended = 0, v;
	int i;

	pthread_barrier_wait(&c->start);
	for (i = 0; i < ROUNDS; i++) {
		if (app_lock(&c->lock) != 0)
			contended++;
		v = c->value;
		rte_pause(); /* widen the window a lost update would need */
		c->value = v + 1;
		rte_spinlock_unlock(&c->lock);
	}
	app_lock(&c->lock);
	c->contended += contended;
	rte_spinlock_unlock(&c->lock);
	return NULL;
}

/* Two threads on two CPUs (EAL pinned the main thread to CPU 0; the adders may use both). */
static void
test_exclusion(void **state)
{
	struct counter c = {.lock = RTE_SPINLOCK_INITIALIZER};
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_attr_t attr;
	cpu_set_t cpus;
	pthread_t t[2];
	int i;

	(void)state;
	CPU_ZERO(&cpus);
	for (i = 0; i < ncpu && i < CPU_SETSIZE; i++)
		CPU_SET(i, &cpus);
	assert_int_equal(pthread_attr_init(&attr), 0);
	assert_int_equal(pthread_attr_setaffinity_np(&attr, sizeof(cpus), &cpus), 0);
	assert_int_equal(pthread_barrier_init(&c.start, NULL, 2), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], &attr, adder_main, &c), 0);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(pthread_barrier_destroy(&c.start), 0);
	assert_int_equal(pthread_attr_destroy(&attr), 0);
	print_message("%ld CPUs, contended acquisitions: %lu of %d\n", ncpu,
			(unsigned long)c.contended, 2 * ROUNDS);
	assert_int_equal(c.value, 2 * ROUNDS);
	/* Without contention the count above proves nothing: with two CPUs there is plenty. */
	if (ncpu >= 2)
		assert_true(c.contended > 0);
}

struct clearer {
	uint32_t *flag;
	unsigned int after_ms;
};

static void *
clearer_main(void *arg)
{
	struct clearer *c = arg;

	sleep_ms(c->after_ms);
	__atomic_store_n(c->flag, 0, __ATOMIC_RELAXED);
	return NULL;
}

static double
elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

/*
 * app_lock_yield_to(), the scan stepping aside between slices: no wait without the flag; with
 * it, a wait until the waiter clears it (here 30 ms later); with a flag nobody clears, a wait
 * of max_us and no more.
 */
static void
test_yield_to(void **state)
{
	uint32_t flag = 0;
	struct clearer c = {.flag = &flag, .after_ms = 30};
	struct timespec t0;
	pthread_t t;
	double ms;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_lock_yield_to(&flag, 1000000);
	assert_true(elapsed_ms(&t0) < 5.0);

	flag = 1;
	assert_int_equal(pthread_create(&t, NULL, clearer_main, &c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_lock_yield_to(&flag, 10000000);
	ms = elapsed_ms(&t0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(__atomic_load_n(&flag, __ATOMIC_RELAXED), 0);
	assert_true(ms >= 25.0 && ms < 5000.0);

	flag = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_lock_yield_to(&flag, 20000);
	ms = elapsed_ms(&t0);
	assert_int_equal(flag, 1);
	assert_true(ms >= 19.0 && ms < 5000.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_free_lock),
			cmocka_unit_test(test_holder_not_running),
			cmocka_unit_test(test_exclusion),
			cmocka_unit_test(test_yield_to),
	};

	/* EAL for rte_get_tsc_hz(), which sets the spin time. */
	if (test_eal_init("test_app_lock", 64) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
