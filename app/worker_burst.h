/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_WORKER_BURST_H
#define APP_WORKER_BURST_H

/*
 * Internal to the application: the worker's work on one received burst, between
 * rte_eth_rx_burst() and rte_eth_tx_burst() (app/worker.c). Apart from the loop so that
 * test/bench/bench_path.c runs the very code the appliance runs, on mbufs in memory.
 */

#include <stdint.h>

#include <rte_mbuf.h>

#include <tcpseg.h>
#include <twq.h>

#include "app.h"
#include "term.h"

/** One received burst's arrays: indexed by receive order (rx) or parse order (the rest). */
struct app_burst {
	/** The frames received; one more slot, for the prefetch of the "next" after the last. */
	struct rte_mbuf *rx[APP_BURST + 1];
	/** The parsed frames: rx itself when every frame received was (the common burst). */
	struct rte_mbuf **pkts;
	struct rte_mbuf *pkts_store[APP_BURST];
	const struct tcpseg_view *views[APP_BURST]; /**< &view_store[i], set by app_burst_init() */
	struct tcpseg_view view_store[APP_BURST];
	enum twq_verdict fate[APP_BURST];
	struct tcpseg_reply replies[APP_BURST];
	/**
	 * The frames to send: tx_store, or rx itself when every frame received got its ACK
	 * (then they are sent in receive order without a copy). Set by app_worker_burst().
	 */
	struct rte_mbuf **tx;
	struct rte_mbuf *tx_store[APP_BURST];
	struct rte_mbuf *drop[APP_BURST];
};

/** Set up a worker's burst arrays once, before the first app_worker_burst(). */
void app_burst_init(struct app_burst *b);

/**
 * The stages of one burst: L2, parse, [shard lock: TIME_WAIT, connection table and
 * listeners], closed port, the replies built in place. The frames dropped are freed; the
 * worker's counters are updated (rx and all the drops; not tx, tx_dropped, busy_cycles).
 *
 * @param ctx
 *   The application.
 * @param sh
 *   The worker's shard (the lock is taken and released inside).
 * @param st
 *   The worker's counters.
 * @param pi
 *   Index of the port in ctx->ports (its addresses: ctx->l2[pi]; its TX offloads).
 * @param b
 *   The burst: n frames in b->rx. Prepared by app_burst_init().
 * @param term
 *   The worker's termination state (app_term_init()).
 * @param n
 *   Frames in b->rx, 1 to APP_BURST.
 * @return
 *   The frames to send on the port, in b->tx[0..return).
 */
uint16_t app_worker_burst(struct app_ctx *ctx, struct app_shard *sh, struct app_worker_stats *st,
		unsigned int pi, struct app_burst *b, struct app_term *term, uint16_t n);

#endif /* APP_WORKER_BURST_H */
