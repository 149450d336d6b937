/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_H
#define APP_H

/*
 * The application's shared state: ports, worker shards (shard.h), counters (stats.h). Each
 * field has one writer; the comment says which. Others read with relaxed atomic loads.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include <tcpseg.h>
#include <twq.h>

#include "config.h"
#include "shard.h"
#include "stats.h"

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

/** Everything the lcores share. */
struct app_ctx {
	struct app_config cfg;
	uint16_t n_ports;
	struct app_port ports[APP_MAX_PORTS];
	unsigned int n_workers;
	unsigned int lcores[RTE_MAX_LCORE];            /**< worker lcores, by worker index */
	struct app_shard shards[RTE_MAX_LCORE];        /**< per worker, owned by shard.c */
	struct app_worker_stats wstats[RTE_MAX_LCORE]; /**< per worker, the worker writes */
	struct app_control_stats cstats;               /**< the control lcore writes */
	struct rte_mempool *pools[RTE_MAX_NUMA_NODES];
	size_t shard_bytes;      /**< memory of one shard */
	uint64_t start_ms;       /**< app_clock_ms() at launch */
	volatile int force_quit; /**< set by signals or the replay end; read atomically */
};

/** Whether the application is stopping. */
static inline bool
app_quitting(const struct app_ctx *ctx)
{
	return __atomic_load_n(&ctx->force_quit, __ATOMIC_RELAXED) != 0;
}

#endif /* APP_H */
