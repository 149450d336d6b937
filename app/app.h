/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_H
#define APP_H

/*
 * The application's shared state: ports, worker shards, per-worker counters. Each field has
 * one writer; the comment says which. Others read with relaxed atomic loads.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include <tcpseg.h>
#include <twq.h>

#include "config.h"

/** Packets per RX/TX burst. */
#define APP_BURST 32

/** Largest RSS key the application handles. */
#define APP_RSS_KEY_MAX 64

/** Symmetric RSS key length used when the port does not say (Toeplitz, 40 bytes). */
#define APP_RSS_KEY_LEN 40

/** A port as brought up. Written at start, read-only afterwards. */
struct app_port {
	uint16_t port_id;
	int socket; /**< NUMA socket (0 when the port does not say) */
	char name[RTE_ETH_NAME_MAX_LEN];
	char driver[64];
	uint16_t n_queues; /**< RX = TX queues = workers */
	uint16_t rx_desc;  /**< after rte_eth_dev_adjust_nb_rx_tx_desc */
	uint16_t tx_desc;
	uint64_t rx_offloads; /**< enabled RX offloads */
	uint64_t tx_offloads; /**< enabled TX offloads, passed to tcpseg_build_reply */
	bool rss;             /**< RSS configured (several workers, [ports] rss on) */
	bool reta_ok;         /**< reta[] holds the port's redirection table */
	uint16_t reta_size;
	uint8_t rss_key[APP_RSS_KEY_MAX]; /**< for RSS (if on) and rte_softrss; several workers */
	uint8_t rss_key_len;
	uint16_t reta[RTE_ETH_RSS_RETA_SIZE_512];
};

/** Counters of one worker: written by that worker only (relaxed stores). */
struct app_worker_stats {
	uint64_t rx;                /**< frames received */
	uint64_t tx;                /**< replies the NIC took */
	uint64_t tx_dropped;        /**< replies the NIC did not take (freed) */
	uint64_t closed_rst;        /**< no entry (or reopened): RST sent */
	uint64_t closed_drop;       /**< no entry (or reopened): dropped by policy or RST in */
	uint64_t reopen;            /**< TWQ_REOPEN verdicts (SYN ended an entry) */
	uint64_t lock_waits;        /**< bursts that found the shard locked (scan, lookup) */
	uint64_t lock_yields;       /**< CPU yields while waiting longer than APP_LOCK_SPIN_US */
	uint64_t lock_max_wait_tsc; /**< longest wait for the shard lock (TSC cycles) */
	uint64_t drop[TCPSEG_REASON_MAX]; /**< frames dropped, by tcpseg reason */
} __rte_cache_aligned;

/** A worker's TIME_WAIT shard and the lock it shares with the control lcore's scan. */
struct app_shard {
	rte_spinlock_t lock;     /**< worker per burst, scan per slice, lookup */
	uint32_t worker_waiting; /**< the worker waits for lock (worker writes) */
	struct twq_shard *tw;
	unsigned int lcore; /**< the worker lcore that owns it */
	uint32_t entries4;  /**< IPv4 entries, snapshot by the control lcore */
	uint32_t entries6;  /**< IPv6 entries, likewise */
} __rte_cache_aligned;

/** Everything the lcores share. */
struct app_ctx {
	struct app_config cfg;
	uint16_t n_ports;
	struct app_port ports[APP_MAX_PORTS];
	unsigned int n_workers;
	struct app_shard shards[RTE_MAX_LCORE];
	struct app_worker_stats wstats[RTE_MAX_LCORE];
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	size_t shard_bytes;         /**< memory of one shard */
	uint64_t start_ms;          /**< app_clock_ms() at launch */
	uint64_t scan_max_hold_tsc; /**< worst lock hold of a scan slice (control writes) */
	uint64_t scans;             /**< scans done (control writes) */
	uint64_t scan_slices;       /**< lock holds of the scan (control writes) */
	uint64_t scan_hold_tsc;     /**< total TSC cycles of those holds (control writes) */
	uint64_t load_loaded;       /**< entries restored from the state file */
	uint64_t load_expired;      /**< entries of the state file with no time left */
	uint64_t load_duplicate;    /**< records repeating a 4-tuple already loaded */
	uint64_t load_full;         /**< records that did not fit in their shard */
	uint64_t saved;             /**< entries written at stop */
	volatile int force_quit;    /**< set by signals or the replay end; read atomically */
};

/** Relaxed load of a counter written by another lcore. */
#define APP_LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
/** Add to a counter that only this lcore writes. */
#define APP_ADD(x, n) __atomic_store_n(&(x), (x) + (n), __ATOMIC_RELAXED)

/** Whether the application is stopping. */
static inline bool
app_quitting(const struct app_ctx *ctx)
{
	return __atomic_load_n(&ctx->force_quit, __ATOMIC_RELAXED) != 0;
}

#endif /* APP_H */
