/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The fast path, one burst at a time, as a sequence of stages over the same arrays:
 *
 *   rx -> L2 -> parse -> [shard lock: TIME_WAIT -> connection table -> listener]
 *      -> closed port -> tx/free (+ the frames the termination path built)
 *
 * L2 (app/l2.c) answers ARP, ND and echo in place and drops what is not for our MAC and
 * addresses; the rest is parsed (L2 and parse in one loop over the burst). Everything between
 * rx and tx is app_worker_burst() (worker_burst.h), which test/bench/bench_path.c runs too.
 * When the TIME_WAIT stage answers every frame with an ACK (the common burst), the later
 * stages have nothing to look at and are skipped. Every parsed frame has a fate (fate[],
 * below). A stage looks only at the frames no stage has claimed yet and may claim them:
 * reply or drop. The connection table and the listeners (lib/tcpterm, app/term.c) run
 * between TIME_WAIT and the closed port, under the same lock. No allocation, logging or
 * system call per packet (the frames of responses come from the mbuf pool, which is not an
 * allocation of memory; the drop's DEBUG message costs one test unless twq.app:debug is
 * asked for at run time).
 */

#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "clock.h"
#include "log.h"
#include "term.h"
#include "worker.h"
#include "worker_burst.h"

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

/* L2 did not pass a frame: an answer in place goes to tx[], anything else is dropped. */
static inline void
app_l2_other(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		struct rte_mbuf *m, enum app_l2_result r)
{
	APP_ADD(st->l2[r], 1);
	if (app_l2_is_tx(r))
		b->tx_store[t->ntx++] = m;
	else
		b->drop[t->ndrop++] = m;
}

/* parse did not accept a frame: dropped, counted by reason. */
static void
app_parse_drop(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		struct rte_mbuf *m, enum tcpseg_reason r)
{
	APP_ADD(st->drop[r], 1);
	/* Per packet: only when asked for (--log-level twq.app:debug). */
	if (APP_DEBUG_ON())
		APP_LOG(DEBUG, "drop: %s (%s), frame of %u bytes", tcpseg_reason_name(r),
				tcpseg_reason_desc(r), rte_pktmbuf_pkt_len(m));
	b->drop[t->ndrop++] = m;
}

/*
 * L2 and parse from frame i on, one pass over rx[]: what is not ours is dropped (counted by
 * L2 result), ARP/ND/echo are answered in place (straight to tx_store[]); what L2 passes is
 * parsed into view_store[] (pkts_store[]: its mbuf) or dropped by parse reason. Frames
 * 0..i-1 passed both. The next frame's data is prefetched while one is looked at.
 */
static __rte_noinline void
app_stage_rx_rest(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		const struct app_l2 *l2, uint16_t i)
{
	struct tcpseg_view *v = &b->view_store[i];
	struct rte_mbuf **pk = &b->pkts_store[i];
	const uint16_t n = t->n;
	uint16_t other = 0;

	memcpy(b->pkts_store, b->rx, i * sizeof(b->rx[0]));
	b->pkts = b->pkts_store;
	for (; i < n; i++) {
		struct rte_mbuf *m = b->rx[i];
		enum app_l2_result lr;
		enum tcpseg_reason r;

		rte_prefetch0(rte_pktmbuf_mtod(b->rx[i + 1], void *));
		lr = app_l2_input(l2, m);
		if (unlikely(lr != APP_L2_PASS)) {
			other++;
			app_l2_other(b, t, st, m, lr);
			continue;
		}
		r = tcpseg_parse(m, v);
		if (unlikely(r != TCPSEG_OK)) {
			app_parse_drop(b, t, st, m, r);
			continue;
		}
		v++;
		*pk++ = m;
	}
	if (other != n)
		APP_ADD(st->l2[APP_L2_PASS], n - other);
	t->np = (uint16_t)(pk - b->pkts_store);
}

/*
 * L2 and parse. Most bursts: every frame is TCP to us that parse accepts. Parse first, then
 * app_l2_parsed_ours() (L2's common case on what parse has checked): while both say yes,
 * frame i's view is view_store[i] and pkts[] is rx[] (nothing stored per frame). At the
 * first frame that either does not accept, app_stage_rx_rest() takes over from that frame
 * in L2's order (L2, then parse: parse does not modify the frame, so the first parse of it
 * changes nothing; every frame gets the result and the counter it got before).
 */
static inline bool
app_rx_one(const struct app_l2 *l2, struct rte_mbuf *m, struct tcpseg_view *v, const uint8_t *d)
{
	return likely(tcpseg_parse(m, v) == TCPSEG_OK) && likely(app_l2_parsed_ours(l2, d));
}

static inline void
app_stage_rx(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		const struct app_l2 *l2)
{
	struct rte_mbuf *const *rx = b->rx, *const *end = b->rx + t->n;
	struct tcpseg_view *v = b->view_store;
	const uint8_t *d0, *d1; /* frames' data: the pointers computed for the prefetches */

	b->rx[t->n] = b->rx[t->n - 1]; /* the prefetch after the last frame: itself again */
	d0 = rte_pktmbuf_mtod(rx[0], const uint8_t *);
	/* Two frames per round (no register copy of the next frame's pointer, half the count). */
	for (; end - rx >= 2; rx += 2, v += 2) {
		d1 = rte_pktmbuf_mtod(rx[1], const uint8_t *);
		rte_prefetch0(d1);
		if (unlikely(!app_rx_one(l2, rx[0], v, d0)))
			goto rest;
		d0 = rte_pktmbuf_mtod(rx[2], const uint8_t *);
		rte_prefetch0(d0);
		if (unlikely(!app_rx_one(l2, rx[1], v + 1, d1))) {
			rx++;
			goto rest;
		}
	}
	if (rx != end && unlikely(!app_rx_one(l2, rx[0], v, d0)))
		goto rest;
	b->pkts = b->rx;
	t->np = t->n;
	APP_ADD(st->l2[APP_L2_PASS], t->n);
	return;
rest:
	app_stage_rx_rest(b, t, st, l2, (uint16_t)(rx - b->rx));
}

/*
 * TIME_WAIT, shard lock held: the engine's verdicts are the fates. Returns whether every
 * frame was claimed with TWQ_ACK (most bursts): then no later stage has a frame to look at.
 */
static inline bool
app_stage_timewait(struct app_burst *b, struct app_tally *t, struct app_shard *sh, uint64_t now_ms)
{
	return app_shard_tw_input(sh, b->views, t->np, now_ms, b->fate, b->replies) == t->np;
}

/*
 * connection table and listeners, lock held: each frame TIME_WAIT left open goes to the
 * live connection of its 4-tuple, or to the listener of its port (a reopening SYN with the
 * old snd_nxt); what neither takes stays open for the closed port.
 */
static inline void
app_stage_term(struct app_burst *b, struct app_tally *t, struct app_term *term, uint64_t now_ms)
{
	uint16_t i;

	for (i = 0; i < t->np; i++) {
		if (!app_fate_open(b->fate[i]))
			continue;
		b->fate[i] = app_term_segment(
				term, b->pkts[i], b->views[i], b->fate[i], &b->replies[i], now_ms);
	}
}

/*
 * closed port: what no stage claimed gets the closed-port policy (RST, or silence); the
 * RSTs through the worker's token bucket ([closed] rst_rate).
 */
static inline void
app_stage_closed(struct app_burst *b, struct app_tally *t, bool rst_policy, struct app_term *term,
		uint64_t now_ms)
{
	uint16_t i;

	for (i = 0; i < t->np; i++) {
		if (!app_fate_open(b->fate[i]))
			continue;
		/* No listener for it: a reopening SYN meets the closed-port policy. */
		t->reopen += b->fate[i] == TWQ_REOPEN;
		if (rst_policy && tcpseg_closed_reply(b->views[i], &b->replies[i]) &&
				app_term_closed_rst_ok(term, now_ms)) {
			b->fate[i] = TWQ_ACK;
			t->closed_rst++;
		} else {
			b->fate[i] = TWQ_DROP;
			t->closed_drop++;
		}
	}
}

/*
 * replies: build them in place (to tx_store[]) from the frame of pkts[from], drop the rest.
 * all_ack: every fate is TWQ_ACK (the loop does not read them). Inlined twice, once for each
 * value of all_ack.
 */
static inline void
app_reply_loop(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		uint64_t tx_offloads, bool all_ack, uint16_t from)
{
	struct rte_mbuf **tx = &b->tx_store[t->ntx];
	uint16_t i, ndrop = t->ndrop;

	for (i = from; i < t->np; i++) {
		struct rte_mbuf *m = b->pkts[i];

		if (all_ack || b->fate[i] == TWQ_ACK) {
			if (likely(tcpseg_build_reply(m, &b->view_store[i], &b->replies[i],
						   tx_offloads) == TCPSEG_OK)) {
				*tx++ = m;
				continue;
			}
			APP_ADD(st->drop[TCPSEG_NO_ROOM], 1);
		}
		b->drop[ndrop++] = m;
	}
	t->ntx = (uint16_t)(tx - b->tx_store);
	t->ndrop = ndrop;
}

/*
 * Every frame received was parsed and got an ACK: pkts[] is rx[], view_store[] and
 * replies[] in the same order. The replies built in place, tx[] is rx[] (no copy). Returns
 * the frames done: n, or the index of the first whose reply does not fit (none is built
 * past it).
 */
static inline uint16_t
app_reply_rx(struct app_burst *b, uint64_t tx_offloads, uint16_t n)
{
	struct rte_mbuf *const *m = b->rx, *const *end = b->rx + n;
	const struct tcpseg_view *v = b->view_store;
	const struct tcpseg_reply *r = b->replies;

	/* Two frames per round: the loop's own count halved (GCC does the odd one). */
#pragma GCC unroll 2
	for (; m != end; m++, v++, r++)
		if (unlikely(tcpseg_build_reply(*m, v, r, tx_offloads) != TCPSEG_OK))
			break;
	return (uint16_t)(m - b->rx);
}

/* replies built, drops freed, the burst's counts stored. */
static inline void
app_stage_reply(struct app_burst *b, struct app_tally *t, struct app_worker_stats *st,
		const struct app_port *port, bool all_ack)
{
	if (likely(all_ack && t->np == t->n)) {
		const uint16_t k = app_reply_rx(b, port->tx_offloads, t->n);

		if (likely(k == t->n)) {
			b->tx = b->rx;
			t->ntx = k;
			return; /* nothing dropped, no closed port, no reopen */
		}
		/* A reply that does not fit: the general loop from there, into tx_store[]. */
		memcpy(b->tx_store, b->rx, k * sizeof(b->rx[0])); /* pkts is rx */
		t->ntx = k;
		app_reply_loop(b, t, st, port->tx_offloads, true, k);
	} else if (likely(all_ack)) {
		app_reply_loop(b, t, st, port->tx_offloads, true, 0);
	} else {
		app_reply_loop(b, t, st, port->tx_offloads, false, 0);
	}
	if (t->ndrop != 0)
		rte_pktmbuf_free_bulk(b->drop, t->ndrop);
	if (t->reopen != 0)
		APP_ADD(st->reopen, t->reopen);
	if (t->closed_rst != 0)
		APP_ADD(st->closed_rst, t->closed_rst);
	if (t->closed_drop != 0)
		APP_ADD(st->closed_drop, t->closed_drop);
}

void
app_burst_init(struct app_burst *b)
{
	uint16_t i;

	for (i = 0; i < APP_BURST; i++)
		b->views[i] = &b->view_store[i];
}

/* Out of line: bench_path calls it as the worker does (worker_burst.h). */
__rte_noinline uint16_t
app_worker_burst(struct app_ctx *ctx, struct app_shard *sh, struct app_worker_stats *st,
		unsigned int pi, struct app_burst *b, struct app_term *term, uint16_t n)
{
	struct app_tally t = {.n = n};
	bool all_ack = false;

	b->tx = b->tx_store;
	APP_ADD(st->rx, t.n);
	app_stage_rx(b, &t, st, &ctx->l2[pi]);
	if (t.np != 0) {
		/* Read per burst received, not per poll: rdtsc costs about 20 ns in a VM. */
		const uint64_t now = app_clock_ms();

		app_shard_enter(sh, st);
		all_ack = app_stage_timewait(b, &t, sh, now);
		if (!all_ack && app_term_on(term))
			app_stage_term(b, &t, term, now);
		app_shard_leave(sh);
		if (!all_ack)
			app_stage_closed(
					b, &t, ctx->cfg.closed_policy == APP_CLOSED_RST, term, now);
	}
	app_stage_reply(b, &t, st, &ctx->ports[pi], all_ack);
	return t.ntx;
}

/* tx: send what the burst built; free and count what the NIC did not take. */
static inline void
app_stage_tx(struct app_burst *b, uint16_t ntx, struct app_worker_stats *st,
		const struct app_port *port, uint16_t q)
{
	uint16_t sent;

	if (ntx == 0)
		return;
	sent = rte_eth_tx_burst(port->port_id, q, b->tx, ntx);
	APP_ADD(st->tx, sent);
	if (sent < ntx) {
		rte_pktmbuf_free_bulk(&b->tx[sent], ntx - sent);
		APP_ADD(st->tx_dropped, ntx - sent);
	}
}

/* One port's burst; returns the frames received. */
static uint16_t
app_worker_port(struct app_ctx *ctx, struct app_shard *sh, struct app_worker_stats *st,
		unsigned int pi, uint16_t q, struct app_burst *b, struct app_term *term)
{
	const struct app_port *port = &ctx->ports[pi];
	uint64_t t0 = 0;
	uint16_t n, ntx;

	n = rte_eth_rx_burst(port->port_id, q, b->rx, APP_BURST);
	if (n == 0)
		return 0;
	/*
	 * Clocks per packet (VPP's show runtime): the cycles from a burst's arrival to its
	 * replies sent, two rdtsc per burst received, none per empty poll. The driver's own
	 * rx_burst is left out: measured from the previous poll, it would count the time the
	 * lcore was not running (a shared CPU) as work.
	 */
	if (ctx->cfg.cycles)
		t0 = rte_rdtsc();
	ntx = app_worker_burst(ctx, sh, st, pi, b, term, n);
	app_stage_tx(b, ntx, st, port, q);
	if (term->nx != 0)
		app_term_flush(term);
	if (ctx->cfg.cycles)
		APP_ADD(st->busy_tsc, rte_rdtsc() - t0);
	return n;
}

int
app_worker_main(void *arg)
{
	const struct app_worker *w = arg;
	struct app_ctx *ctx = w->ctx;
	struct app_shard *sh = &ctx->shards[w->index];
	struct app_worker_stats *st = &ctx->wstats[w->index];
	const uint16_t q = (uint16_t)w->index;
	struct app_term term;
	struct app_burst b;
	unsigned int idle = 0;
	uint16_t p;

	app_term_init(&term, ctx, w->index);
	app_burst_init(&b);
	while (!app_quitting(ctx)) {
		uint32_t got = 0;

		for (p = 0; p < ctx->n_ports; p++)
			got += app_worker_port(ctx, sh, st, p, q, &b, &term);
		/*
		 * Connection timers: on an idle poll, or every 64 busy ones, so that the clock is
		 * not read per poll. tcpterm_next_due_ms() costs O(1) and takes no lock; the
		 * lock is taken only when a timer is due.
		 */
		if (app_term_on(&term) && (got == 0 || ++idle == 64)) {
			idle = 0;
			app_term_timers(&term, app_clock_ms());
			if (term.nx != 0)
				app_term_flush(&term);
		}
	}
	return 0;
}
