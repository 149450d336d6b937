/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_STATE_H
#define APP_STATE_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"

/** What one write of the state file did. */
struct app_state_stats {
	uint64_t written;         /**< records */
	uint64_t slices;          /**< lock holds of the walk */
	uint64_t max_hold_tsc;    /**< longest of them (TSC cycles) */
	uint64_t slow_holds;      /**< holds longer than 1 ms (the holder was preempted) */
	uint64_t tsc;             /**< duration of the whole write */
	char err[PATH_MAX + 160]; /**< what failed */
};

/**
 * Load a state file (docs/state-file.md) into the shards, before the workers run. The file
 * is opened without blocking or following a symlink, refused unless it is a regular file,
 * its header and size checked before any record is read, then the records are streamed and
 * restored in one batch per shard. On an error the caller must exit without running the
 * workers (the shards may hold part of the file).
 *
 * Sets the engine clock (app_clock_continue_from()) from a version 2 file, and
 * ctx->load_loaded, load_expired, load_duplicate, load_full.
 *
 * @return
 *   0, or -1 with a message naming what is wrong.
 */
int app_state_load(struct app_ctx *ctx, const char *path);

/**
 * Write every entry to path safely (atomic_file.h), walking each shard in slices of at
 * most [control] scan_slice entries under its lock and writing outside it, so it may run
 * while the workers do (a checkpoint) or after they stopped (the save at stop).
 *
 * @param st
 *   Filled with what was done, or why it failed.
 * @return
 *   0, or -1 (path is then left as it was).
 */
int app_state_write(struct app_ctx *ctx, const char *path, struct app_state_stats *st);

/**
 * The save at stop: app_state_write(), a message, ctx->saved.
 *
 * @return
 *   0, or -1 with a message.
 */
int app_state_save(struct app_ctx *ctx, const char *path);

/**
 * Check at start that path can be saved to (directory exists, a trial temporary file can be
 * written there), with a message naming origin (e.g. "FILE:LINE: [state] save") and what
 * to fix otherwise; then remove the temporary files an interrupted save left there.
 *
 * @return
 *   0, or -1.
 */
int app_state_check_save_path(const char *path, const char *origin);

#endif /* APP_STATE_H */
