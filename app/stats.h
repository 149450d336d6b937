/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_STATS_H
#define APP_STATS_H

/*
 * The application's counters, each set listed once: the X-macros below give the struct
 * fields, the keys of the stats block and of telemetry (the same names in both), and the
 * table in docs/operations.md (printed by app_stats_print_table(), checked by a test).
 *
 * X(field, key, unit, help): field of the struct, key shown, how the value is shown
 * (enum app_unit), one line of help.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>

#include <tcpseg.h>
#include <tcpterm.h>

#include "l2.h"

/** How a counter is summed over workers and shown. */
enum app_unit {
	APP_UNIT_COUNT,   /**< a count, summed over workers */
	APP_UNIT_MAX_US,  /**< TSC cycles, the largest over workers, shown in microseconds */
	APP_UNIT_MEAN_NS, /**< TSC cycles in total, shown in ns per scan slice (scan_slices) */
};

/** Counters of one worker, written by that worker only (relaxed stores). */
#define APP_WORKER_COUNTERS(X) \
	X(rx, "rx", APP_UNIT_COUNT, "frames received") \
	X(tx, "tx", APP_UNIT_COUNT, "replies the NIC took") \
	X(tx_dropped, "tx_dropped", APP_UNIT_COUNT, "replies the NIC did not take (freed)") \
	X(closed_rst, "closed_rst", APP_UNIT_COUNT, \
			"segments without an entry (or reopened) answered with a RST") \
	X(closed_drop, "closed_drop", APP_UNIT_COUNT, \
			"segments without an entry (or reopened) dropped: policy drop, or an " \
			"incoming RST") \
	X(reopen, "reopen", APP_UNIT_COUNT, \
			"SYNs that ended an entry (handed to the listener, or without one to the " \
			"closed-port policy)") \
	X(closed_rst_limited, "closed_rst_limited", APP_UNIT_COUNT, \
			"closed-port RSTs withheld by the token bucket ([closed] rst_rate)") \
	X(term_rst_limited, "term_rst_limited", APP_UNIT_COUNT, \
			"RSTs of the termination path (bad cookie, table full) withheld, " \
			"likewise") \
	X(started, "handoffs", APP_UNIT_COUNT, \
			"connections handed to TIME_WAIT by the worker (twq_start called)") \
	X(data_tx, "data_tx", APP_UNIT_COUNT, \
			"frames built for the termination path (data, FIN, retransmissions) sent") \
	X(data_tx_fail, "data_tx_fail", APP_UNIT_COUNT, \
			"frames of the termination path not built (pool empty) or not taken by " \
			"the " \
			"NIC") \
	X(lock_waits, "lock_waits", APP_UNIT_COUNT, \
			"bursts that found the shard's lock taken (scan slice, /twq/lookup)") \
	X(lock_yields, "lock_yields", APP_UNIT_COUNT, \
			"CPU yields while waiting for the lock longer than 50 us") \
	X(lock_max_wait_tsc, "lock_max_wait_us", APP_UNIT_MAX_US, \
			"longest wait for the shard's lock") \
	X(busy_tsc, "busy_cycles", APP_UNIT_COUNT, \
			"TSC cycles from each burst received to its replies sent ([control] " \
			"cycles); cycles_per_pkt is it over rx")

/**
 * Counters and gauges of the control lcore and of start/stop (the control lcore writes;
 * checkpoint* are written by the checkpoint thread alone).
 */
#define APP_CONTROL_COUNTERS(X) \
	X(load_loaded, "load_loaded", APP_UNIT_COUNT, "entries restored from the state file") \
	X(load_expired, "load_expired", APP_UNIT_COUNT, \
			"entries of the state file with no time left (or refused)") \
	X(load_duplicate, "load_duplicate", APP_UNIT_COUNT, \
			"records of the state file repeating a 4-tuple already loaded (first " \
			"kept)") \
	X(load_full, "load_full", APP_UNIT_COUNT, \
			"records of the state file that did not fit in their shard") \
	X(saved, "saved", APP_UNIT_COUNT, "entries written to the state file at stop") \
	X(checkpoints, "checkpoints", APP_UNIT_COUNT, \
			"checkpoints of the state file written (checkpoint thread)") \
	X(checkpoint_failed, "checkpoint_failed", APP_UNIT_COUNT, \
			"checkpoints that could not be written (the previous file is kept)") \
	X(checkpoint_entries, "checkpoint_entries", APP_UNIT_COUNT, \
			"entries in the last checkpoint written") \
	X(checkpoint_tsc, "checkpoint_us", APP_UNIT_MAX_US, \
			"how long the last checkpoint took (walk, write, fsync, rename)") \
	X(checkpoint_max_hold_tsc, "checkpoint_max_hold_us", APP_UNIT_MAX_US, \
			"longest lock hold of a checkpoint's walk (one slice)") \
	X(checkpoint_slices, "checkpoint_slices", APP_UNIT_COUNT, \
			"lock holds of the checkpoints' walks (scan_slice slots each)") \
	X(checkpoint_slow_holds, "checkpoint_slow_holds", APP_UNIT_COUNT, \
			"of those, holds longer than 1 ms (the thread was preempted holding the " \
			"lock)") \
	X(scans, "scans", APP_UNIT_COUNT, "2MSL scans done") \
	X(scan_slices, "scan_slices", APP_UNIT_COUNT, \
			"lock holds of the scan (one per slice of scan_slice entries per shard)") \
	X(scan_hold_tsc, "scan_mean_hold_ns", APP_UNIT_MEAN_NS, "mean lock hold of a scan slice") \
	X(scan_max_hold_tsc, "scan_max_hold_us", APP_UNIT_MAX_US, \
			"longest lock hold of a scan slice: how long a worker can wait behind it")

#define APP_STATS_FIELD(field, key, unit, help) uint64_t field;

/** Counters of one worker (APP_WORKER_COUNTERS) and its drops by tcpseg reason. */
struct app_worker_stats {
	APP_WORKER_COUNTERS(APP_STATS_FIELD)
	uint64_t drop[TCPSEG_REASON_MAX];     /**< frames dropped, by tcpseg reason */
	uint64_t l2[APP_L2_RESULT_MAX];       /**< frames by L2 result (app/l2.h) */
	uint64_t resp[TCPTERM_RESPONSES_MAX]; /**< responses begun, by listener (app/term.c) */
} __rte_cache_aligned;

/** Counters of the control lcore (APP_CONTROL_COUNTERS). */
struct app_control_stats {
	APP_CONTROL_COUNTERS(APP_STATS_FIELD)
};

#undef APP_STATS_FIELD

/** Relaxed load of a counter written by another lcore. */
#define APP_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
/** Add to a counter that only this lcore writes. */
#define APP_ADD(x, n) __atomic_store_n(&(x), (x) + (n), __ATOMIC_RELAXED)

/**
 * Called once per counter by the walks below, in list order.
 *
 * @param key
 *   The counter's name (stats block and telemetry).
 * @param unit
 *   How it is shown.
 * @param value
 *   The value as a whole number (rounded for APP_UNIT_MAX_US and APP_UNIT_MEAN_NS).
 * @param precise
 *   The same value before rounding (microseconds, nanoseconds or the count).
 * @param arg
 *   The caller's argument.
 */
typedef void (*app_stats_cb)(
		const char *key, enum app_unit unit, uint64_t value, double precise, void *arg);

/**
 * Sum the counters of @p n workers into @p out (APP_UNIT_MAX_US: the largest), with relaxed
 * loads.
 */
void app_worker_stats_sum(
		const struct app_worker_stats *ws, unsigned int n, struct app_worker_stats *out);

/**
 * Walk the counters of one worker (or a sum of them), then "dropped" (all reasons) and
 * "cycles_per_pkt" (busy_cycles over rx, rounded; VPP's clocks per packet).
 */
void app_worker_stats_walk(const struct app_worker_stats *s, app_stats_cb cb, void *arg);

/** Walk the L2 results of one worker (or a sum): keys "l2_<result>", every result. */
void app_worker_l2_walk(const struct app_worker_stats *s, app_stats_cb cb, void *arg);

/** Walk the control counters (relaxed loads). */
void app_control_stats_walk(const struct app_control_stats *c, app_stats_cb cb, void *arg);

/** Frames dropped for any tcpseg reason. */
uint64_t app_worker_drops(const struct app_worker_stats *s);

/**
 * Print, as a Markdown table, every counter the stats block and telemetry show (for
 * docs/operations.md; test/unit/app/check_tables.py compares the two).
 */
void app_stats_print_table(FILE *f);

#endif /* APP_STATS_H */
