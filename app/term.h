/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef APP_TERM_H
#define APP_TERM_H

/*
 * The worker's termination path, between the TIME_WAIT stage and the closed-port policy:
 * the connection table and the listeners (lib/tcpterm), the hand-off of closed connections
 * into TIME_WAIT (twq_start), the timers, the frames that carry responses, and the token
 * bucket of the RSTs. One struct app_term per worker, on its stack; everything here runs
 * with the shard's lock held except app_term_flush().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include <tcpseg.h>
#include <tcpterm.h>
#include <twq.h>

#include "ratelimit.h"
#include "stats.h"

struct app_ctx;
struct app_shard;

/** Frames built per worker before they are sent (data, FIN, retransmissions). */
#define APP_TERM_XTX 256

/** Timers fired per poll at most (the rest on the next poll). */
#define APP_TERM_TIMER_BUDGET 64

/** A worker's termination state. */
struct app_term {
	struct app_ctx *ctx;
	struct app_shard *sh;
	struct app_worker_stats *st;
	struct tcpterm_table *tt;     /**< NULL: no listener, the stage passes everything on */
	struct rte_mempool *pool;     /**< for the frames built */
	uint16_t q;                   /**< the worker's queue on every port */
	struct app_ratelimit rst_rl;  /**< closed-port and termination RSTs */
	uint16_t nx;                  /**< frames in x[] */
	uint16_t xport[APP_TERM_XTX]; /**< port id of each */
	struct rte_mbuf *x[APP_TERM_XTX];
	struct tcpterm_out out; /**< scratch for one segment or timer */
};

/** Set up a worker's state (at launch, on the worker lcore). */
void app_term_init(struct app_term *t, struct app_ctx *ctx, unsigned int worker);

/**
 * One segment that the TIME_WAIT stage did not claim (fate TWQ_MISS or TWQ_REOPEN; for
 * REOPEN, @p reply holds the ended entry's snd_nxt in seq). Lock held.
 *
 * @return
 *   The new fate: TWQ_ACK (send @p reply, built in place), TWQ_DROP, or the fate unchanged
 *   (TWQ_MISS / TWQ_REOPEN: no listener, the closed-port policy decides).
 */
enum twq_verdict app_term_segment(struct app_term *t, struct rte_mbuf *m,
		const struct tcpseg_view *v, enum twq_verdict fate, struct tcpseg_reply *reply,
		uint64_t now_ms);

/** The closed-port RST's token: true to send it, false withheld (counted). */
bool app_term_closed_rst_ok(struct app_term *t, uint64_t now_ms);

/** Run the connection timers that are due (lock taken inside, only when one is due). */
void app_term_timers(struct app_term *t, uint64_t now_ms);

/** Send the frames built so far (outside the lock). */
void app_term_flush(struct app_term *t);

/** Whether the termination path has anything to run (a table). */
static inline bool
app_term_on(const struct app_term *t)
{
	return t->tt != NULL;
}

/**
 * The termination counters summed over workers, for the stats block and telemetry: "conns",
 * "conns_<state>" and "term_<counter>".
 */
void app_term_stats_walk(struct app_ctx *ctx, app_stats_cb cb, void *arg);

/** Build the listeners, each port's addresses and the connection tables (start-up). */
int app_term_setup(struct app_ctx *ctx);

/** Free the listeners' responses (after app_shards_free(), which frees the tables). */
void app_term_free(struct app_ctx *ctx);

#endif /* APP_TERM_H */
