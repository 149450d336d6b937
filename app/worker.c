/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The fast path: RX burst, parse, one shard lock per burst around twq_input_burst(), replies
 * built in the received mbufs, TX burst on the same port and queue. No allocation, logging
 * or system call per packet.
 */

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "clock.h"
#include "lock.h"
#include "worker.h"

/* One received burst on its way through. */
struct app_burst {
	struct rte_mbuf *pkts[APP_BURST]; /* parsed frames, in order */
	const struct tcpseg_view *views[APP_BURST];
	struct tcpseg_view view_store[APP_BURST];
	enum twq_verdict verdicts[APP_BURST];
	struct tcpseg_reply replies[APP_BURST];
	struct rte_mbuf *tx[APP_BURST];
	struct rte_mbuf *drop[APP_BURST];
};

/*
 * The shard lock is held (a scan slice, a telemetry lookup): flag the wait so that the scan
 * steps aside between slices, take the lock, count the wait and its length. Off the fast
 * path: only when the trylock of the burst failed.
 */
static __rte_noinline void
app_worker_wait(struct app_shard *sh, struct app_worker_stats *st)
{
	const uint64_t t0 = rte_get_tsc_cycles();
	uint32_t waits;
	uint64_t dt;

	__atomic_store_n(&sh->worker_waiting, 1, __ATOMIC_RELAXED);
	waits = app_lock(&sh->lock);
	__atomic_store_n(&sh->worker_waiting, 0, __ATOMIC_RELAXED);
	dt = rte_get_tsc_cycles() - t0;
	APP_ADD(st->lock_waits, 1);
	if (waits > 1)
		APP_ADD(st->lock_yields, waits - 1);
	if (dt > st->lock_max_wait_tsc)
		__atomic_store_n(&st->lock_max_wait_tsc, dt, __ATOMIC_RELAXED);
}

static void
app_worker_port(struct app_ctx *ctx, struct app_shard *sh, struct app_worker_stats *st,
		const struct app_port *port, uint16_t q, struct app_burst *b)
{
	struct rte_mbuf *rx[APP_BURST];
	const bool rst_policy = ctx->cfg.closed_policy == APP_CLOSED_RST;
	uint16_t n, i, np = 0, ntx = 0, ndrop = 0, sent;
	uint64_t closed_rst = 0, closed_drop = 0, reopen = 0;
	struct tcpseg_reply closed;

	n = rte_eth_rx_burst(port->port_id, q, rx, APP_BURST);
	if (n == 0)
		return;
	APP_ADD(st->rx, n);
	for (i = 0; i < n; i++) {
		enum tcpseg_reason r;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(rx[i + 1], void *));
		r = tcpseg_parse(rx[i], &b->view_store[np]);
		if (r != TCPSEG_OK) {
			APP_ADD(st->drop[r], 1);
			b->drop[ndrop++] = rx[i];
			continue;
		}
		b->views[np] = &b->view_store[np];
		b->pkts[np++] = rx[i];
	}
	if (np != 0) {
		uint64_t now;

		if (unlikely(!rte_spinlock_trylock(&sh->lock)))
			app_worker_wait(sh, st);
		/* Read per burst received, not per poll: rdtsc costs about 20 ns in a VM. */
		now = app_clock_ms();
		twq_input_burst(sh->tw, b->views, np, now, b->verdicts, b->replies);
		rte_spinlock_unlock(&sh->lock);
	}
	for (i = 0; i < np; i++) {
		struct rte_mbuf *m = b->pkts[i];
		const struct tcpseg_reply *rep = NULL;

		switch (b->verdicts[i]) {
		case TWQ_ACK:
			rep = &b->replies[i];
			break;
		case TWQ_REOPEN:
			/* No listener behind us: a reopening SYN meets the closed-port policy. */
			reopen++;
			/* fall through */
		case TWQ_MISS:
			if (rst_policy && tcpseg_closed_reply(b->views[i], &closed)) {
				rep = &closed;
				closed_rst++;
			} else {
				closed_drop++;
			}
			break;
		case TWQ_DROP:
		default:
			break;
		}
		if (rep != NULL &&
				tcpseg_build_reply(m, b->views[i], rep, port->tx_offloads) ==
						TCPSEG_OK) {
			b->tx[ntx++] = m;
			continue;
		}
		if (rep != NULL)
			APP_ADD(st->drop[TCPSEG_NO_ROOM], 1);
		b->drop[ndrop++] = m;
	}
	if (ndrop != 0)
		rte_pktmbuf_free_bulk(b->drop, ndrop);
	if (reopen != 0)
		APP_ADD(st->reopen, reopen);
	if (closed_rst != 0)
		APP_ADD(st->closed_rst, closed_rst);
	if (closed_drop != 0)
		APP_ADD(st->closed_drop, closed_drop);
	if (ntx == 0)
		return;
	sent = rte_eth_tx_burst(port->port_id, q, b->tx, ntx);
	APP_ADD(st->tx, sent);
	if (sent < ntx) {
		rte_pktmbuf_free_bulk(&b->tx[sent], ntx - sent);
		APP_ADD(st->tx_dropped, ntx - sent);
	}
}

int
app_worker_main(void *arg)
{
	const struct app_worker *w = arg;
	struct app_ctx *ctx = w->ctx;
	struct app_shard *sh = &ctx->shards[w->index];
	struct app_worker_stats *st = &ctx->wstats[w->index];
	const uint16_t q = (uint16_t)w->index;
	struct app_burst b;
	uint16_t p;

	while (!app_quitting(ctx)) {
		for (p = 0; p < ctx->n_ports; p++)
			app_worker_port(ctx, sh, st, &ctx->ports[p], q, &b);
	}
	return 0;
}
