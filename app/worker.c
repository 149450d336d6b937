/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The fast path, one burst at a time, as a sequence of stages over the same arrays:
 *
 *   rx -> parse -> [shard lock: TIME_WAIT (-> connection table -> listener)] -> closed port
 *      -> tx/free
 *
 * Every parsed frame has a fate (fate[], below). A stage looks only at the frames no stage
 * has claimed yet and may claim them: reply or drop. The stages of the termination path
 * (issue 9: connection table, listener) go between TIME_WAIT and the closed port, under the
 * same lock, without touching the others. No allocation, logging or system call per packet.
 */

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "clock.h"
#include "worker.h"

/*
 * What becomes of a parsed frame: one array (fate[]) that every stage reads and writes. Its
 * values are lib/twq's verdicts, which the TIME_WAIT stage writes there directly:
 * TWQ_ACK = answer with replies[i] (built in the frame's mbuf), TWQ_DROP = free it, and
 * TWQ_MISS / TWQ_REOPEN = not claimed yet (REOPEN: a SYN that ended an entry, which a
 * listener stage will want to tell apart): the next stage decides.
 */
static inline bool
app_fate_open(enum twq_verdict f)
{
	return f == TWQ_MISS || f == TWQ_REOPEN;
}

/* One received burst's arrays: indexed by receive order (rx) or parse order (the rest). */
struct app_burst {
	struct rte_mbuf *rx[APP_BURST];
	struct rte_mbuf *pkts[APP_BURST]; /* parsed frames */
	const struct tcpseg_view *views[APP_BURST];
	struct tcpseg_view view_store[APP_BURST];
	enum twq_verdict fate[APP_BURST];
	struct tcpseg_reply replies[APP_BURST];
	struct rte_mbuf *tx[APP_BURST];
	struct rte_mbuf *drop[APP_BURST];
};

/*
 * The burst's counts. Apart from struct app_burst, whose arrays escape into library calls,
 * so that the compiler keeps these in registers.
 */
struct app_tally {
	uint16_t n;           /* frames received */
	uint16_t np;          /* frames parsed */
	uint16_t ndrop;       /* frames in drop[] */
	uint16_t ntx;         /* frames in tx[] */
	uint16_t reopen;      /* TWQ_REOPEN verdicts */
	uint16_t closed_rst;  /* closed-port RSTs */
	uint16_t closed_drop; /* closed-port drops */
};

/* parse: views of the frames lib/tcpseg accepts; the others are dropped, by reason. */
static inline void
app_stage_parse(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st)
{
	uint16_t i;

	for (i = 0; i < t->n; i++) {
		enum tcpseg_reason r;

		if (i + 1 < t->n)
			rte_prefetch0(rte_pktmbuf_mtod(b->rx[i + 1], void *));
		r = tcpseg_parse(b->rx[i], &b->view_store[t->np]);
		if (r != TCPSEG_OK) {
			APP_ADD(st->drop[r], 1);
			b->drop[t->ndrop++] = b->rx[i];
			continue;
		}
		b->views[t->np] = &b->view_store[t->np];
		b->pkts[t->np++] = b->rx[i];
	}
}

/* TIME_WAIT, shard lock held: the engine's verdicts are the fates. */
static inline void
app_stage_timewait(struct app_burst *b, struct app_tally *t, struct app_shard *sh, uint64_t now_ms)
{
	app_shard_tw_input(sh, b->views, t->np, now_ms, b->fate, b->replies);
}

/* closed port: what no stage claimed gets the closed-port policy (RST, or silence). */
static inline void
app_stage_closed(struct app_burst *b, struct app_tally *t, bool rst_policy)
{
	uint16_t i;

	for (i = 0; i < t->np; i++) {
		if (!app_fate_open(b->fate[i]))
			continue;
		/* No listener behind us: a reopening SYN meets the closed-port policy. */
		t->reopen += b->fate[i] == TWQ_REOPEN;
		if (rst_policy && tcpseg_closed_reply(b->views[i], &b->replies[i])) {
			b->fate[i] = TWQ_ACK;
			t->closed_rst++;
		} else {
			b->fate[i] = TWQ_DROP;
			t->closed_drop++;
		}
	}
}

/* tx/free: build the replies in place, send them, free the rest; count. */
static inline void
app_stage_tx(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		const struct app_port *port, uint16_t q)
{
	uint16_t i, sent;

	for (i = 0; i < t->np; i++) {
		struct rte_mbuf *m = b->pkts[i];

		if (b->fate[i] == TWQ_ACK) {
			if (likely(tcpseg_build_reply(m, b->views[i], &b->replies[i],
						   port->tx_offloads) == TCPSEG_OK)) {
				b->tx[t->ntx++] = m;
				continue;
			}
			APP_ADD(st->drop[TCPSEG_NO_ROOM], 1);
		}
		b->drop[t->ndrop++] = m;
	}
	if (t->ndrop != 0)
		rte_pktmbuf_free_bulk(b->drop, t->ndrop);
	if (t->reopen != 0)
		APP_ADD(st->reopen, t->reopen);
	if (t->closed_rst != 0)
		APP_ADD(st->closed_rst, t->closed_rst);
	if (t->closed_drop != 0)
		APP_ADD(st->closed_drop, t->closed_drop);
	if (t->ntx == 0)
		return;
	sent = rte_eth_tx_burst(port->port_id, q, b->tx, t->ntx);
	APP_ADD(st->tx, sent);
	if (sent < t->ntx) {
		rte_pktmbuf_free_bulk(&b->tx[sent], t->ntx - sent);
		APP_ADD(st->tx_dropped, t->ntx - sent);
	}
}

static void
app_worker_port(struct app_ctx *ctx, struct app_shard *sh, struct app_worker_stats *st,
		const struct app_port *port, uint16_t q, struct app_burst *b)
{
	struct app_tally t = {0};

	t.n = rte_eth_rx_burst(port->port_id, q, b->rx, APP_BURST);
	if (t.n == 0)
		return;
	APP_ADD(st->rx, t.n);
	app_stage_parse(b, &t, st);
	if (t.np != 0) {
		app_shard_enter(sh, st);
		/* Read per burst received, not per poll: rdtsc costs about 20 ns in a VM. */
		app_stage_timewait(b, &t, sh, app_clock_ms());
		/* Issue 9: the connection-table and listener stages go here, lock held. */
		app_shard_leave(sh);
		app_stage_closed(b, &t, ctx->cfg.closed_policy == APP_CLOSED_RST);
	}
	app_stage_tx(b, &t, st, port, q);
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
