/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_CONTROL_H
#define APP_CONTROL_H

#include <stdio.h>

#include "app.h"

/**
 * The control lcore's loop, after the workers are launched: the 2MSL scan every
 * scan_interval_ms, the stats block every stats_period_s, the replay end; sleeps in
 * between. Returns when the application is stopping (force_quit set, by a signal or here at
 * the replay end).
 */
void app_control_loop(struct app_ctx *ctx);

/**
 * Expire what is due in every shard, in slices of scan_slice entries, each under the
 * shard's lock; records the longest hold; refreshes the entry counts.
 */
void app_control_scan(struct app_ctx *ctx);

/** Print the stats block (ports, workers, engine, entries). */
void app_stats_print(struct app_ctx *ctx, FILE *f, const char *title);

/** Engine counters summed over every shard. */
void app_engine_counters(const struct app_ctx *ctx, uint64_t out[TWQ_CTR_MAX]);

/** Entries of every shard as of the last scan: IPv4 in @p e4, IPv6 in @p e6. */
void app_entries(const struct app_ctx *ctx, uint64_t *e4, uint64_t *e6);

#endif /* APP_CONTROL_H */
