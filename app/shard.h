/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_SHARD_H
#define APP_SHARD_H

/*
 * A worker's state: its TIME_WAIT shard (the connection table of the termination path will
 * be a second member, under the same lock) and the lock it shares with the control lcore's
 * scan and with telemetry. This module alone creates and frees the tables, takes the lock
 * (the app_lock protocol of lock.h, with the worker_waiting handshake) and touches the
 * fields of struct app_shard; everyone else goes through the functions below:
 *
 * - the worker: app_shard_enter() ... stages on the tables ... app_shard_leave(), once per
 *   burst (app_shard_tw_input() is the TIME_WAIT stage);
 * - the control lcore: app_shard_expire_slice() and app_shard_step_aside();
 * - telemetry: app_shard_peek() (counts nothing), app_shard_info();
 * - the state file (before the workers run, after they stopped): app_shard_restore*(),
 *   app_shard_foreach(), app_shard_expire_all(), app_shard_refresh(); checkpoints, while
 *   the workers run: app_shard_walk_slice(), app_shard_step_aside().
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_spinlock.h>

#include <tcpseg.h>
#include <tcpterm.h>
#include <twq.h>

#include "config.h"
#include "stats.h"

/** A worker's tables and their lock. Fields are private to shard.c and shard.h. */
struct app_shard {
	rte_spinlock_t lock;      /**< worker per burst, scan per slice, telemetry per lookup */
	uint32_t worker_waiting;  /**< the worker waits for the lock (the worker writes) */
	struct twq_shard *tw;     /**< TIME_WAIT entries */
	struct tcpterm_table *tt; /**< live connections (NULL without a listener) */
	unsigned int lcore;       /**< the worker lcore that owns it */
	uint32_t entries4;        /**< IPv4 entries, snapshot by the control lcore */
	uint32_t entries6;        /**< IPv6 entries, likewise */
} __rte_cache_aligned;

/** What telemetry shows of a shard. */
struct app_shard_info {
	unsigned int lcore;
	uint32_t entries4; /**< as of the last scan */
	uint32_t entries6;
	uint32_t capacity;
	uint32_t capacity6;
};

/**
 * Create @p n shards (one per worker, on the socket of @p lcores[i]) from the configuration.
 *
 * @param sh
 *   Array of n shards, zeroed.
 * @param lcores
 *   The worker lcore of each.
 * @param n
 *   Number of workers.
 * @param cfg
 *   The configuration.
 * @param bytes
 *   Set to the memory of one shard.
 * @return
 *   0, or -1 with a message (what to change); the shards made so far are freed.
 */
int app_shards_create(struct app_shard *sh, const unsigned int *lcores, unsigned int n,
		const struct app_config *cfg, size_t *bytes);

/** Free @p n shards (NULL tables are skipped). */
void app_shards_free(struct app_shard *sh, unsigned int n);

/** The worker lcore of a shard. */
unsigned int app_shard_lcore(const struct app_shard *sh);

/* The worker found the lock taken: wait for it and count the wait (shard.c). */
void app_shard_wait(struct app_shard *sh, struct app_worker_stats *st);

/**
 * The worker takes its shard's lock for one burst: a trylock, or (rarely) a counted wait
 * that flags itself so that the scan steps aside.
 */
static inline void
app_shard_enter(struct app_shard *sh, struct app_worker_stats *st)
{
	if (unlikely(!rte_spinlock_trylock(&sh->lock)))
		app_shard_wait(sh, st);
}

/** Release what app_shard_enter() took. */
static inline void
app_shard_leave(struct app_shard *sh)
{
	rte_spinlock_unlock(&sh->lock);
}

/**
 * The TIME_WAIT stage of a burst, between app_shard_enter() and app_shard_leave().
 *
 * @return
 *   The number of TWQ_ACK verdicts (twq_input_burst()).
 */
static inline uint32_t
app_shard_tw_input(struct app_shard *sh, const struct tcpseg_view *const *views, uint16_t n,
		uint64_t now_ms, enum twq_verdict *verdicts, struct tcpseg_reply *replies)
{
	return twq_input_burst(sh->tw, views, n, now_ms, verdicts, replies);
}

/**
 * Create each worker's connection table (the termination path), when there are listeners.
 *
 * @param sh
 *   The shards, made by app_shards_create().
 * @param n
 *   Number of workers.
 * @param p
 *   Table parameters (name and socket_id are set here per worker).
 * @param bytes
 *   Set to the memory of one table.
 * @return
 *   0, or -1 with a message; the tables made so far are freed.
 */
int app_shards_term_create(struct app_shard *sh, unsigned int n, const struct tcpterm_params *p,
		size_t *bytes);

/** The worker's connection table, for the stages between app_shard_enter() and _leave(). */
static inline struct tcpterm_table *
app_shard_term(struct app_shard *sh)
{
	return sh->tt;
}

/** The TIME_WAIT hand-off (twq_start), between app_shard_enter() and app_shard_leave(). */
static inline enum twq_start_result
app_shard_tw_start(struct app_shard *sh, const struct twq_conn *c, uint64_t now_ms,
		struct tcpseg_reply *ack)
{
	return twq_start(sh->tw, c, now_ms, ack);
}

/**
 * Telemetry: a live connection of @p k, under the lock.
 *
 * @return
 *   0 and @p info filled, or -1 when there is none.
 */
int app_shard_conn_peek(
		struct app_shard *sh, const struct tcpterm_key *k, struct tcpterm_conn_info *info);

/**
 * Telemetry: walk the live connections under the lock (the worker waits meanwhile: callers
 * bound the walk by returning non-zero from @p cb).
 */
int app_shard_conn_foreach(struct app_shard *sh, tcpterm_foreach_cb cb, void *arg);

/** Counters and per-state counts of the connection table (zeros without one). */
void app_shard_term_counters(const struct app_shard *sh, uint64_t c[TCPTERM_CTR_MAX],
		uint32_t st[TCPTERM_ST_MAX]);

/**
 * Control lcore: under the lock, expire up to @p slice entries due at the time read after
 * taking it, and snapshot the entry counts.
 *
 * @param sh
 *   The shard.
 * @param slice
 *   Most entries to expire.
 * @param hold_tsc
 *   Set to how long the lock was held (TSC cycles).
 * @return
 *   Entries expired (== slice: more may be due).
 */
uint32_t app_shard_expire_slice(struct app_shard *sh, uint32_t slice, uint64_t *hold_tsc);

/** Control lcore, between two slices: let a waiting worker have the lock first. */
void app_shard_step_aside(struct app_shard *sh);

/**
 * Telemetry: the entry of @p k, under the lock, without counting the lookup.
 *
 * @return
 *   0 and @p info filled, or -1 when there is no entry.
 */
int app_shard_peek(struct app_shard *sh, const struct twq_key *k, struct twq_entry_info *info);

/** Telemetry: lcore, entry counts, capacities. */
void app_shard_info(const struct app_shard *sh, struct app_shard_info *info);

/** The engine counters of @p n shards, summed (relaxed loads; see twq_counters_read). */
void app_shards_counters(const struct app_shard *sh, unsigned int n, uint64_t out[TWQ_CTR_MAX]);

/** The entries of @p n shards as of the last scan: IPv4 in @p e4, IPv6 in @p e6. */
void app_shards_entries(const struct app_shard *sh, unsigned int n, uint64_t *e4, uint64_t *e6);

/** The engine counters of a shard (relaxed loads; see twq_counters_read). */
void app_shard_counters(const struct app_shard *sh, uint64_t c[TWQ_CTR_MAX]);

/** State file: open a batch of restores (twq_restore_begin), workers not running. */
void app_shard_restore_begin(struct app_shard *sh);

/**
 * State file: restore one entry (twq_restore) inside the batch.
 *
 * @return
 *   A value of enum twq_restore_result.
 */
enum twq_restore_result app_shard_restore(
		struct app_shard *sh, const struct twq_entry_info *e, uint64_t now_ms);

/** State file: close the batch (twq_restore_end). */
void app_shard_restore_end(struct app_shard *sh);

/**
 * State file (a checkpoint while the workers run, or the save at stop): one slice of a walk
 * (twq_walk of up to @p budget slots) under the lock, like a scan slice.
 *
 * @param hold_tsc
 *   Set to how long the lock was held (TSC cycles).
 * @return
 *   What twq_walk() returned: 1 at the end, 0 when more remains, or cb's value.
 */
int app_shard_walk_slice(struct app_shard *sh, uint64_t *cursor, uint32_t budget, uint64_t now_ms,
		twq_foreach_cb cb, void *arg, uint64_t *hold_tsc);

/** State file: expire every entry due at @p now_ms (workers stopped). */
void app_shard_expire_all(struct app_shard *sh, uint64_t now_ms);

/** Entries of a family: 0 IPv4, 1 IPv6, -1 both. */
uint32_t app_shard_count(struct app_shard *sh, int family);

/** State file: every live entry (twq_foreach), workers stopped. */
int app_shard_foreach(struct app_shard *sh, uint64_t now_ms, twq_foreach_cb cb, void *arg);

/** Refresh the entry counts that telemetry and the stats block show. */
void app_shard_refresh(struct app_shard *sh);

/**
 * One slice of a walk over the shard's entries in storage order (twq_walk), lock held for
 * the slice only: for telemetry views (tel_view.c). @return 1 when the walk is complete, 0
 * when there is more, or cb's non-zero value.
 */
int app_shard_walk(struct app_shard *sh, uint64_t *cursor, uint32_t budget, twq_foreach_cb cb,
		void *arg);

#endif /* APP_SHARD_H */
