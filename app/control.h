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

#endif /* APP_CONTROL_H */
