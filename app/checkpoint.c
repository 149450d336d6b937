/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The checkpoint thread. It sleeps on a condition variable (so that the stop is immediate),
 * and every checkpoint_s writes [state] save through app_state_write(): each shard is walked
 * in slices of at most [control] scan_slice slots under its lock, the slice copied to a
 * buffer, the buffer written with the lock released. A failed checkpoint (disk full, the
 * directory gone) leaves the previous file in place, is counted and logged, and is tried
 * again at the next interval.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pthread_setaffinity_np */
#endif

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "checkpoint.h"
#include "clock.h"
#include "log.h"
#include "state.h"

static struct {
	struct app_ctx *ctx;
	pthread_t thread;
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	int running;
	int stop;
} ckpt = {
		.mutex = PTHREAD_MUTEX_INITIALIZER,
};

static void
app_checkpoint_once(struct app_ctx *ctx)
{
	struct app_control_stats *cs = &ctx->cstats;
	struct app_state_stats s;
	int rc;

	/* This thread alone writes the checkpoint counters: relaxed stores. */
	rc = app_state_write(ctx, ctx->cfg.save_path, &s);
	if (rc == 0) {
		APP_ADD(cs->checkpoints, 1);
		__atomic_store_n(&cs->checkpoint_entries, s.written, __ATOMIC_RELAXED);
		__atomic_store_n(&cs->checkpoint_tsc, s.tsc, __ATOMIC_RELAXED);
	} else {
		APP_ADD(cs->checkpoint_failed, 1);
	}
	APP_ADD(cs->checkpoint_slices, s.slices);
	APP_ADD(cs->checkpoint_slow_holds, s.slow_holds);
	if (s.max_hold_tsc > cs->checkpoint_max_hold_tsc)
		__atomic_store_n(&cs->checkpoint_max_hold_tsc, s.max_hold_tsc, __ATOMIC_RELAXED);
	if (rc == 0)
		APP_LOG(DEBUG, "checkpoint: %" PRIu64 " entries to %s in %.1f ms", s.written,
				ctx->cfg.save_path, app_tsc_to_us(s.tsc) / 1000.0);
	else
		APP_LOG(ERR, "checkpoint: cannot write %s (the previous file is kept): %s",
				ctx->cfg.save_path, s.err);
}

static void *
app_checkpoint_main(void *arg)
{
	struct app_ctx *ctx = arg;
	struct timespec next;

	clock_gettime(CLOCK_MONOTONIC, &next);
	pthread_mutex_lock(&ckpt.mutex);
	while (!ckpt.stop) {
		next.tv_sec += ctx->cfg.checkpoint_s;
		while (!ckpt.stop &&
				pthread_cond_timedwait(&ckpt.cond, &ckpt.mutex, &next) != ETIMEDOUT)
			;
		if (ckpt.stop)
			break;
		pthread_mutex_unlock(&ckpt.mutex);
		app_checkpoint_once(ctx);
		pthread_mutex_lock(&ckpt.mutex);
	}
	pthread_mutex_unlock(&ckpt.mutex);
	return NULL;
}

int
app_checkpoint_start(struct app_ctx *ctx)
{
	pthread_condattr_t ca;
	rte_cpuset_t cpuset;
	int rc;

	if (ctx->cfg.save_path[0] == '\0' || ctx->cfg.checkpoint_s == 0)
		return 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ckpt.cond, &ca);
	pthread_condattr_destroy(&ca);
	ckpt.ctx = ctx;
	ckpt.stop = 0;
	rc = rte_ctrl_thread_create(&ckpt.thread, "twq-ckpt", NULL, app_checkpoint_main, ctx);
	if (rc != 0) {
		app_err("checkpoint: cannot start its thread: %s", strerror(rc));
		pthread_cond_destroy(&ckpt.cond);
		return -1;
	}
	/*
	 * On the control lcore's CPUs, never on a worker's: a holder preempted by a worker that
	 * busy-polls its CPU would keep the lock for a whole time slice (milliseconds).
	 */
	cpuset = rte_lcore_cpuset(rte_get_main_lcore());
	rc = pthread_setaffinity_np(ckpt.thread, sizeof(cpuset), &cpuset);
	if (rc != 0)
		APP_LOG(WARNING, "checkpoint: cannot pin its thread to the main lcore's CPUs: %s",
				strerror(rc));
	ckpt.running = 1;
	return 0;
}

void
app_checkpoint_stop(void)
{
	if (!ckpt.running)
		return;
	pthread_mutex_lock(&ckpt.mutex);
	ckpt.stop = 1;
	pthread_cond_signal(&ckpt.cond);
	pthread_mutex_unlock(&ckpt.mutex);
	pthread_join(ckpt.thread, NULL);
	pthread_cond_destroy(&ckpt.cond);
	ckpt.running = 0;
}
