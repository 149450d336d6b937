/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The per-worker state and its lock (shard.h): the only file, with shard.h, that takes the
 * lock or reads the fields of struct app_shard. Every access to a table holds the lock, also
 * before the workers run and after they stopped (it is free then: one trylock).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_lcore.h>

#include "clock.h"
#include "lock.h"
#include "log.h"
#include "shard.h"

/* Longest the scan steps aside for a waiting worker between two slices. */
#define APP_SCAN_YIELD_MAX_US 10000

int
app_shards_create(struct app_shard *sh, const unsigned int *lcores, unsigned int n,
		const struct app_config *cfg, size_t *bytes)
{
	struct twq_params p;
	char name[32];
	unsigned int w;

	app_config_engine_params(cfg, &p);
	*bytes = twq_shard_memory_needed(p.capacity, p.capacity6);
	for (w = 0; w < n; w++) {
		snprintf(name, sizeof(name), "twq_shard%u", w);
		p.name = name;
		p.socket_id = (int)rte_lcore_to_socket_id(lcores[w]);
		rte_spinlock_init(&sh[w].lock);
		sh[w].lcore = lcores[w];
		sh[w].tw = twq_shard_create(&p);
		if (sh[w].tw != NULL)
			continue;
		if (rte_errno == ENOMEM)
			app_err("not enough memory for %u shard(s) of %zu bytes (%.1f MiB each): "
				"raise -m or lower [engine] capacity/capacity6",
					n, *bytes, (double)*bytes / 1048576.0);
		else
			app_err("engine: cannot create shard %u: %s", w, rte_strerror(rte_errno));
		app_shards_free(sh, w);
		return -1;
	}
	return 0;
}

void
app_shards_free(struct app_shard *sh, unsigned int n)
{
	unsigned int w;

	for (w = 0; w < n; w++) {
		twq_shard_free(sh[w].tw);
		sh[w].tw = NULL;
	}
}

unsigned int
app_shard_lcore(const struct app_shard *sh)
{
	return sh->lcore;
}

/*
 * The lock is held (a scan slice, a telemetry lookup): flag the wait so that the scan steps
 * aside between slices, take the lock, count the wait and its length. Off the fast path:
 * only when the trylock of the burst failed.
 */
__rte_noinline void
app_shard_wait(struct app_shard *sh, struct app_worker_stats *st)
{
	const uint64_t t0 = rte_get_tsc_cycles();
	uint32_t waits;
	uint64_t dt;

	__atomic_store_n(&sh->worker_waiting, 1, __ATOMIC_RELAXED);
	waits = app_lock(&sh->lock);
	__atomic_store_n(&sh->worker_waiting, 0, __ATOMIC_RELAXED);
	dt = rte_get_tsc_cycles() - t0;
	APP_ADD(st->lock_waits, 1);
	if (waits > 1)
		APP_ADD(st->lock_yields, waits - 1);
	if (dt > st->lock_max_wait_tsc)
		__atomic_store_n(&st->lock_max_wait_tsc, dt, __ATOMIC_RELAXED);
}

/* Snapshot the entry counts; the lock is held or the workers are not running. */
static void
app_shard_snapshot(struct app_shard *sh)
{
	__atomic_store_n(&sh->entries4, twq_shard_count(sh->tw, 0), __ATOMIC_RELAXED);
	__atomic_store_n(&sh->entries6, twq_shard_count(sh->tw, 1), __ATOMIC_RELAXED);
}

uint32_t
app_shard_expire_slice(struct app_shard *sh, uint32_t slice, uint64_t *hold_tsc)
{
	uint64_t t0, t1;
	uint32_t n;

	app_lock(&sh->lock);
	t0 = rte_get_tsc_cycles();
	n = twq_expire(sh->tw, app_clock_ms(), slice);
	app_shard_snapshot(sh);
	t1 = rte_get_tsc_cycles();
	rte_spinlock_unlock(&sh->lock);
	*hold_tsc = t1 - t0;
	return n;
}

void
app_shard_step_aside(struct app_shard *sh)
{
	app_lock_yield_to(&sh->worker_waiting, APP_SCAN_YIELD_MAX_US);
}

int
app_shard_peek(struct app_shard *sh, const struct twq_key *k, struct twq_entry_info *info)
{
	uint32_t id;
	int rc = -1;

	app_lock(&sh->lock);
	id = twq_peek(sh->tw, k);
	if (id != TWQ_ID_NONE && twq_entry_get(sh->tw, id, app_clock_ms(), info) == 0)
		rc = 0;
	rte_spinlock_unlock(&sh->lock);
	return rc;
}

void
app_shard_info(const struct app_shard *sh, struct app_shard_info *info)
{
	const struct twq_params *p = twq_shard_params(sh->tw);

	info->lcore = sh->lcore;
	info->entries4 = __atomic_load_n(&sh->entries4, __ATOMIC_RELAXED);
	info->entries6 = __atomic_load_n(&sh->entries6, __ATOMIC_RELAXED);
	info->capacity = p->capacity;
	info->capacity6 = p->capacity6;
}

void
app_shard_counters(const struct app_shard *sh, uint64_t c[TWQ_CTR_MAX])
{
	twq_counters_read(sh->tw, c);
}

void
app_shards_counters(const struct app_shard *sh, unsigned int n, uint64_t out[TWQ_CTR_MAX])
{
	uint64_t c[TWQ_CTR_MAX];
	unsigned int w, i;

	memset(out, 0, sizeof(uint64_t) * TWQ_CTR_MAX);
	for (w = 0; w < n; w++) {
		twq_counters_read(sh[w].tw, c);
		for (i = 0; i < TWQ_CTR_MAX; i++)
			out[i] += c[i];
	}
}

void
app_shards_entries(const struct app_shard *sh, unsigned int n, uint64_t *e4, uint64_t *e6)
{
	unsigned int w;

	*e4 = *e6 = 0;
	for (w = 0; w < n; w++) {
		*e4 += __atomic_load_n(&sh[w].entries4, __ATOMIC_RELAXED);
		*e6 += __atomic_load_n(&sh[w].entries6, __ATOMIC_RELAXED);
	}
}

void
app_shard_restore_begin(struct app_shard *sh)
{
	app_lock(&sh->lock);
	twq_restore_begin(sh->tw);
	rte_spinlock_unlock(&sh->lock);
}

enum twq_restore_result
app_shard_restore(struct app_shard *sh, const struct twq_entry_info *e, uint64_t now_ms)
{
	enum twq_restore_result r;

	app_lock(&sh->lock);
	r = twq_restore(sh->tw, e, now_ms, NULL);
	rte_spinlock_unlock(&sh->lock);
	return r;
}

void
app_shard_restore_end(struct app_shard *sh)
{
	app_lock(&sh->lock);
	twq_restore_end(sh->tw);
	rte_spinlock_unlock(&sh->lock);
}

void
app_shard_expire_all(struct app_shard *sh, uint64_t now_ms)
{
	app_lock(&sh->lock);
	while (twq_expire(sh->tw, now_ms, UINT32_MAX) == UINT32_MAX)
		;
	app_shard_snapshot(sh);
	rte_spinlock_unlock(&sh->lock);
}

uint32_t
app_shard_count(struct app_shard *sh, int family)
{
	uint32_t n;

	app_lock(&sh->lock);
	n = twq_shard_count(sh->tw, family);
	rte_spinlock_unlock(&sh->lock);
	return n;
}

int
app_shard_foreach(struct app_shard *sh, uint64_t now_ms, twq_foreach_cb cb, void *arg)
{
	int rc;

	app_lock(&sh->lock);
	rc = twq_foreach(sh->tw, now_ms, cb, arg);
	rte_spinlock_unlock(&sh->lock);
	return rc;
}

void
app_shard_refresh(struct app_shard *sh)
{
	app_lock(&sh->lock);
	app_shard_snapshot(sh);
	rte_spinlock_unlock(&sh->lock);
}
