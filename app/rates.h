/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_RATES_H
#define APP_RATES_H

/*
 * Per-second rates over a period, the way testpmd shows Rx-pps: the difference of two
 * snapshots of the counters divided by the time between them. Every counting worker counter
 * of APP_WORKER_COUNTERS gets one ("<key>_per_s"), then "dropped" and the engine counters of
 * APP_RATE_ENGINE, "term_accepted_per_s" (connections per second of the termination path);
 * "period_cycles_per_pkt" is the workers' busy cycles over the frames they
 * received in the period. The control lcore takes the snapshots: one for the stats block
 * (since the previous block) and one a second for telemetry (published under a seqlock).
 */

#include <stdint.h>

#include <rte_seqlock.h>

#include <twq.h>

#include "shard.h"
#include "stats.h"

/** The engine counters that get a rate: entries started and expired, ACKs sent. */
#define APP_RATE_ENGINE(X) \
	X(TWQ_CTR_STARTED) \
	X(TWQ_CTR_EXPIRED) \
	X(TWQ_CTR_ACK_SENT)

/** Counters at one instant. */
struct app_rate_snap {
	uint64_t ms;               /**< app_clock_ms() when taken; 0: never taken */
	struct app_worker_stats w; /**< summed over the workers */
	uint64_t eng[TWQ_CTR_MAX]; /**< summed over the shards */
	uint64_t accepted;         /**< termination path: connections made (tcpterm) */
};

/** The last complete period, for telemetry: written by the control lcore. */
struct app_rates_pub {
	rte_seqlock_t lock;
	struct app_rate_snap a, b; /**< the period's start and end */
	struct app_rate_snap next; /**< the control lcore's latest snapshot (not locked) */
};

/**
 * Called per rate by app_rates_walk().
 *
 * @param key
 *   "rx_per_s", ..., "period_cycles_per_pkt".
 * @param value
 *   The rate.
 * @param arg
 *   The caller's argument.
 */
typedef void (*app_rate_cb)(const char *key, double value, void *arg);

/** Take a snapshot of @p n workers' counters and shards at @p now_ms. */
void app_rate_snap_take(const struct app_worker_stats *ws, const struct app_shard *sh,
		unsigned int n, uint64_t now_ms, struct app_rate_snap *s);

/**
 * Walk the rates between @p a and @p b (all 0 when b is not later than a).
 *
 * @return
 *   The period in milliseconds.
 */
uint64_t app_rates_walk(const struct app_rate_snap *a, const struct app_rate_snap *b,
		app_rate_cb cb, void *arg);

/** Control lcore: a new snapshot; once @p period_ms has passed, it ends the published period. */
void app_rates_tick(struct app_rates_pub *pub, const struct app_worker_stats *ws,
		const struct app_shard *sh, unsigned int n, uint64_t now_ms, uint64_t period_ms);

/** Any thread: the published period's two ends (both zero before the first period ended). */
void app_rates_read(struct app_rates_pub *pub, struct app_rate_snap *a, struct app_rate_snap *b);

/** Print the rates as Markdown rows of docs/operations.md's counter table. */
void app_rates_print_table(FILE *f);

#endif /* APP_RATES_H */
