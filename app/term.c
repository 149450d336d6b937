/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The termination path of a worker (term.h): lib/tcpterm's verdicts turned into replies,
 * frames and TIME_WAIT hand-offs; the setup of addresses, listeners and connection tables.
 */

#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include <bsd/string.h>

#include "app.h"
#include "clock.h"
#include "log.h"
#include "term.h"

void
app_term_init(struct app_term *t, struct app_ctx *ctx, unsigned int worker)
{
	memset(t, 0, sizeof(*t));
	t->ctx = ctx;
	t->sh = &ctx->shards[worker];
	t->st = &ctx->wstats[worker];
	t->q = (uint16_t)worker;
	t->tt = app_shard_term(t->sh);
	t->pool = ctx->pools[rte_socket_id() < RTE_MAX_NUMA_NODES ? rte_socket_id() : 0];
	if (t->pool == NULL)
		t->pool = ctx->pools[0];
	app_ratelimit_init(&t->rst_rl, ctx->cfg.rst_rate, ctx->cfg.rst_burst, app_clock_ms());
}

void
app_term_flush(struct app_term *t)
{
	uint16_t i = 0;

	while (i < t->nx) {
		const uint16_t port = t->xport[i];
		uint16_t j = i, sent;

		while (j < t->nx && t->xport[j] == port)
			j++;
		sent = rte_eth_tx_burst(port, t->q, &t->x[i], j - i);
		APP_ADD(t->st->data_tx, sent);
		if (sent < j - i) {
			rte_pktmbuf_free_bulk(&t->x[i + sent], j - i - sent);
			APP_ADD(t->st->data_tx_fail, j - i - sent);
		}
		i = j;
	}
	t->nx = 0;
}

/* Build and queue the segments of one verdict (the connection is still live). */
static void
app_term_emit(struct app_term *t, const struct tcpterm_out *out)
{
	const struct app_ctx *ctx = t->ctx;
	const unsigned int pi = ctx->port_index[out->port];
	const struct app_port *port = &ctx->ports[pi];
	uint8_t i;

	for (i = 0; i < out->n_segs; i++) {
		struct rte_mbuf *m = tcpterm_frame_build(t->tt, out->conn, &out->segs[i],
				&ctx->l2[pi].mac, t->pool, port->tx_offloads);

		if (m == NULL) {
			APP_ADD(t->st->data_tx_fail, 1);
			continue;
		}
		if (t->nx == APP_TERM_XTX)
			app_term_flush(t);
		t->xport[t->nx] = port->port_id;
		t->x[t->nx++] = m;
	}
}

/* Count the responses begun, by listener: segments at offset 0 of a response. */
static inline void
app_term_count_resp(struct app_term *t, const struct tcpterm_out *out)
{
	uint8_t i;

	for (i = 0; i < out->n_segs; i++)
		if (out->segs[i].off == 0 && out->segs[i].len != 0)
			APP_ADD(t->st->resp[out->segs[i].resp], 1);
}

/* The connection closed into TIME_WAIT: the seed's tcp_twstart inputs, field by field. */
static enum twq_verdict
app_term_handoff(struct app_term *t, const struct tcpterm_out *out, struct tcpseg_reply *reply,
		uint64_t now_ms)
{
	const struct tcpterm_closed *c = &out->closed;
	struct tcpseg_reply ack;
	struct twq_conn tc;

	memset(&tc, 0, sizeof(tc));
	tc.key.laddr = c->key.laddr;
	tc.key.raddr = c->key.raddr;
	tc.key.lport = c->key.lport;
	tc.key.rport = c->key.rport;
	tc.key.is_ipv6 = c->key.is_ipv6;
	tc.snd_nxt = c->snd_nxt;
	tc.rcv_nxt = c->rcv_nxt;
	tc.rcv_adv = c->rcv_adv;
	tc.ts_recent = c->ts_recent;
	tc.ts_offset = c->ts_offset;
	tc.rcv_scale = c->rcv_scale;
	tc.flags = (uint8_t)((c->flags & TCPTERM_CLOSED_REQ_TSTMP ? TWQ_CONN_REQ_TSTMP : 0) |
			(c->flags & TCPTERM_CLOSED_RCVD_TSTMP ? TWQ_CONN_RCVD_TSTMP : 0) |
			(c->flags & TCPTERM_CLOSED_NOOPT ? TWQ_CONN_NOOPT : 0) |
			(c->flags & TCPTERM_CLOSED_ACKNOW ? TWQ_CONN_ACKNOW : 0));
	APP_ADD(t->st->started, 1);
	if (app_shard_tw_start(t->sh, &tc, now_ms, &ack) == TWQ_START_ACK) {
		*reply = ack;
		return TWQ_ACK;
	}
	if (out->has_reply) {
		*reply = out->reply;
		return TWQ_ACK;
	}
	return TWQ_DROP;
}

bool
app_term_closed_rst_ok(struct app_term *t, uint64_t now_ms)
{
	if (app_ratelimit_take(&t->rst_rl, now_ms))
		return true;
	APP_ADD(t->st->closed_rst_limited, 1);
	return false;
}

enum twq_verdict
app_term_segment(struct app_term *t, struct rte_mbuf *m, const struct tcpseg_view *v,
		enum twq_verdict fate, struct tcpseg_reply *reply, uint64_t now_ms)
{
	const int l = app_listen_find(&t->ctx->listen, v);
	struct tcpterm_out *out = &t->out;
	enum tcpterm_verdict vd;

	if (fate == TWQ_REOPEN) {
		if (l < 0)
			return fate; /* no listener: the closed-port policy, counted there */
		APP_ADD(t->st->reopen, 1);
		vd = tcpterm_syn_reopen(t->tt, v, m, l, reply->seq, now_ms, out);
	} else {
		vd = tcpterm_input(t->tt, v, m, l, now_ms, out);
	}
	switch (vd) {
	case TCPTERM_SEND:
		app_term_count_resp(t, out);
		app_term_emit(t, out);
		if (!out->has_reply)
			return TWQ_DROP;
		*reply = out->reply;
		return TWQ_ACK;
	case TCPTERM_RST:
		if (!out->has_reply)
			return TWQ_DROP;
		if (!app_ratelimit_take(&t->rst_rl, now_ms)) {
			APP_ADD(t->st->term_rst_limited, 1);
			return TWQ_DROP;
		}
		*reply = out->reply;
		return TWQ_ACK;
	case TCPTERM_TIMEWAIT:
		if (out->conn != TCPTERM_ID_NONE) {
			app_term_count_resp(t, out);
			app_term_emit(t, out);
		}
		return app_term_handoff(t, out, reply, now_ms);
	case TCPTERM_MISS:
		return TWQ_MISS;
	case TCPTERM_DROP:
	default:
		return TWQ_DROP;
	}
}

/* A timer fired with something to send (retransmission, abort RST). */
static void
app_term_timer_cb(struct tcpterm_table *tt, enum tcpterm_verdict verdict,
		const struct tcpterm_out *out, void *arg)
{
	struct app_term *t = arg;

	(void)tt;
	(void)verdict;
	app_term_emit(t, out);
}

void
app_term_timers(struct app_term *t, uint64_t now_ms)
{
	if (t->tt == NULL || tcpterm_next_due_ms(t->tt, now_ms) != 0)
		return;
	app_shard_enter(t->sh, t->st);
	tcpterm_timers(t->tt, now_ms, APP_TERM_TIMER_BUDGET, app_term_timer_cb, t);
	app_shard_leave(t->sh);
}

/* "responses_<listener>": the section's name with '.' as '_' (a telemetry name). */
static void
app_term_resp_walk(struct app_ctx *ctx, app_stats_cb cb, void *arg)
{
	char key[CFG_NAME_LEN + 16], *d;
	uint64_t v;
	unsigned int w, i;

	for (i = 0; i < ctx->listen.n; i++) {
		for (v = 0, w = 0; w < ctx->n_workers; w++)
			v += APP_LOAD(ctx->wstats[w].resp[i]);
		snprintf(key, sizeof(key), "responses_%s", ctx->listen.cfg[i].name);
		for (d = key; (d = strchr(d, '.')) != NULL;)
			*d = '_';
		cb(key, APP_UNIT_COUNT, v, (double)v, arg);
	}
}

void
app_term_stats_walk(struct app_ctx *ctx, app_stats_cb cb, void *arg)
{
	uint64_t c[TCPTERM_CTR_MAX], sum[TCPTERM_CTR_MAX] = {0};
	uint32_t st[TCPTERM_ST_MAX];
	uint64_t sts[TCPTERM_ST_MAX] = {0}, all = 0;
	char key[48];
	unsigned int w, i;

	for (w = 0; w < ctx->n_workers; w++) {
		app_shard_term_counters(&ctx->shards[w], c, st);
		for (i = 0; i < TCPTERM_CTR_MAX; i++)
			sum[i] += c[i];
		for (i = 0; i < TCPTERM_ST_MAX; i++) {
			sts[i] += st[i];
			all += st[i];
		}
	}
	cb("conns", APP_UNIT_COUNT, all, (double)all, arg);
	for (i = 0; i < TCPTERM_ST_MAX; i++) {
		snprintf(key, sizeof(key), "conns_%s", tcpterm_state_name((enum tcpterm_state)i));
		cb(key, APP_UNIT_COUNT, sts[i], (double)sts[i], arg);
	}
	for (i = 0; i < TCPTERM_CTR_MAX; i++) {
		snprintf(key, sizeof(key), "term_%s",
				tcpterm_counter_name((enum tcpterm_counter)i));
		cb(key, APP_UNIT_COUNT, sum[i], (double)sum[i], arg);
	}
	app_term_resp_walk(ctx, cb, arg);
}

/* Each port's MAC and the configured addresses; the smallest MTU gives the MSS. */
static int
app_term_addresses(struct app_ctx *ctx, uint16_t *mtu)
{
	char err[160];
	uint16_t i;

	*mtu = RTE_ETHER_MTU;
	for (i = 0; i < ctx->n_ports; i++) {
		const struct app_port *p = &ctx->ports[i];
		struct rte_ether_addr mac;
		uint16_t m;

		if (rte_eth_macaddr_get(p->port_id, &mac) != 0) {
			app_err("port %s: cannot read its MAC address", p->name);
			return -1;
		}
		app_l2_init(&ctx->l2[i], &mac, ctx->cfg.promisc);
		if (app_l2_add_addresses(&ctx->l2[i], ctx->cfg.addresses, err, sizeof(err)) != 0) {
			app_err("config: [listen] addresses: %s", err);
			return -1;
		}
		ctx->port_index[p->port_id] = (uint8_t)i;
		if (rte_eth_dev_get_mtu(p->port_id, &m) == 0 && m < *mtu)
			*mtu = m;
	}
	return 0;
}

/* The listeners in index order: [listen] when it has ports, then each [listen.NAME]. */
static uint32_t
app_term_listeners(const struct app_config *c, struct app_listener_cfg *lc)
{
	uint32_t n = 0, i;

	if (c->listen_ports[0] != '\0') {
		memset(&lc[0], 0, sizeof(lc[0]));
		strlcpy(lc[0].name, "listen", sizeof(lc[0].name));
		strlcpy(lc[0].ports_text, c->listen_ports, sizeof(lc[0].ports_text));
		strlcpy(lc[0].body_file, c->body_file, sizeof(lc[0].body_file));
		strlcpy(lc[0].content_type, c->content_type, sizeof(lc[0].content_type));
		lc[0].mode = c->listen_mode;
		lc[0].keepalive_requests = c->keepalive_requests;
		n++;
	}
	for (i = 0; i < c->n_named; i++)
		lc[n++] = c->named[i];
	return n;
}

int
app_term_setup(struct app_ctx *ctx)
{
	static struct app_listener_cfg lc[1 + APP_LISTEN_NAMED_MAX];
	const struct app_config *c = &ctx->cfg;
	struct tcpterm_params p;
	char err[256];
	uint32_t n;
	uint16_t mtu;

	if (app_term_addresses(ctx, &mtu) != 0)
		return -1;
	n = app_term_listeners(c, lc);
	if (n == 0)
		return 0;
	if (c->listen_ports[0] != '\0' && c->body_file[0] == '\0') {
		app_err("config: [listen] ports = %s needs [listen] body_file (the response body)",
				c->listen_ports);
		return -1;
	}
	if (c->addresses[0] == '\0' && !c->promisc) {
		app_err("config: [%s] ports = %s needs [listen] addresses (the addresses that "
			"answer, e.g. addresses = 198.18.0.2, 2001:db8::2)",
				lc[0].name, lc[0].ports_text);
		return -1;
	}
	if (app_listen_setup(&ctx->listen, lc, n, SOCKET_ID_ANY, err, sizeof(err)) != 0) {
		app_err("config: %s", err);
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.capacity = c->conn_capacity;
	p.flags = c->sack ? TCPTERM_F_SACK : 0;
	p.mss_v4 = (uint16_t)(mtu - 40);
	p.mss_v6 = (uint16_t)(mtu - 60);
	p.responses = (const struct tcpterm_response *const *)ctx->listen.resp;
	p.n_responses = ctx->listen.n;
	p.cookie_interval_ms = c->cookie_interval_ms;
	p.rto_initial_ms = c->rto_initial_ms;
	p.rto_min_ms = c->rto_min_ms;
	p.retries = c->retries;
	p.fin_wait2_ms = c->fin_wait2_ms;
	p.idle_ms = c->idle_ms;
	p.challenge_ack_limit = c->challenge_ack_limit;
	if (app_shards_term_create(ctx->shards, ctx->n_workers, &p, &ctx->term_bytes) != 0) {
		app_listen_free(&ctx->listen);
		return -1;
	}
	return 0;
}

void
app_term_free(struct app_ctx *ctx)
{
	app_listen_free(&ctx->listen);
}
