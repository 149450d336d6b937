/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target for the termination path: any bytes as a received frame -> tcpseg_parse ->
 * tcpterm_input against a table whose listener is port 80 and which holds live connections
 * for the corpus's flows (198.18.0.1:80 <- 198.18.0.2:1234 and 2001:db8::1:80 <-
 * 2001:db8::2:1234, peer seq 2000, our snd_nxt 1000, as the TIME_WAIT target has them) -> the
 * reply built in place, every segment described built as a frame (external-buffer payload)
 * and freed; then the timers. The first input byte picks the TX offloads, the clock step and
 * whether the destination counts as a listener. After every input: no mbuf is lost, the live
 * count equals the sum of the per-state counts, and every connection's numbers are coherent.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <tcpseg.h>
#include <tcpterm.h>

#include "fuzz_target.h"
#include "test_eal.h"

#define POOL_SIZE 255

static struct rte_mempool *pool;
static struct tcpterm_table *table;
static struct tcpterm_response *resp[2];
static uint64_t now_ms = 1000;
static const struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 1}};
static const uint8_t secret[TCPTERM_SECRET_LEN] = "fuzz-term-secret-fuzz-term-secre";

static void
flow_view(struct tcpseg_view *v, int v6, uint8_t flags, uint32_t seq, uint32_t ack)
{
	memset(v, 0, sizeof(*v));
	v->is_ipv6 = (uint8_t)v6;
	if (v6) {
		memcpy(v->dst.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
		memcpy(v->src.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	} else {
		v->dst.v4 = rte_cpu_to_be_32(0xc6120001);
		v->src.v4 = rte_cpu_to_be_32(0xc6120002);
	}
	v->dport = 80;
	v->sport = 1234;
	v->flags = flags;
	v->seq = seq;
	v->ack = ack;
	v->win = 65535;
	v->l2_len = 14;
	v->opts.present = TCPSEG_OPT_TS | TCPSEG_OPT_MSS;
	v->opts.mss = 536;
	v->opts.tsval = 400;
}

/* The corpus's flows as live connections: a reopen (ISN 999) and its ACK. */
static void
add_conns(void)
{
	struct tcpterm_out out;
	struct tcpterm_key k;
	struct tcpseg_view v;
	int v6;

	for (v6 = 0; v6 < 2; v6++) {
		flow_view(&v, v6, TCPSEG_SYN, 1999, 0);
		tcpterm_key_from_view(&v, &k);
		if (tcpterm_find(table, &k) != TCPTERM_ID_NONE)
			continue;
		if (tcpterm_syn_reopen(table, &v, NULL, v6, 999u - 65537u, now_ms, &out) !=
				TCPTERM_SEND)
			continue; /* full */
		flow_view(&v, v6, TCPSEG_ACK, 2000, 1000);
		tcpterm_input(table, &v, NULL, v6, now_ms, &out);
	}
}

static struct tcpterm_response *
response(uint32_t len, uint8_t mode, uint32_t ka)
{
	static uint8_t body[5000];
	struct tcpterm_response_params rp = {
			.name = "fuzz",
			.socket_id = SOCKET_ID_ANY,
			.mode = mode,
			.body = body,
			.body_len = len,
			.keepalive_requests = ka,
	};

	memset(body, 'z', sizeof(body));
	return tcpterm_response_create(&rp);
}

static void print_stats(void);

int
fuzz_init(void)
{
	struct tcpterm_params p = {
			.name = "fuzz",
			.socket_id = SOCKET_ID_ANY,
			.capacity = 64,
			.secret = secret,
			.n_responses = 2,
			.challenge_ack_limit = 8,
	};

	if (test_eal_init("fuzz_term", 128) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create(
			"fuzz", POOL_SIZE, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	resp[0] = response(5000, TCPTERM_MODE_HTTP, 3);
	resp[1] = response(700, TCPTERM_MODE_RAW, 0);
	p.responses = (const struct tcpterm_response *const *)resp;
	table = resp[0] && resp[1] ? tcpterm_table_create(&p) : NULL;
	if (pool == NULL || table == NULL) {
		fprintf(stderr, "fuzz_term: cannot create pool, responses or table\n");
		return -1;
	}
	add_conns();
	atexit(print_stats); /* before EAL's cleanup, registered earlier */
	return 0;
}

static void
send_segs(const struct tcpterm_out *out, uint64_t tx)
{
	unsigned int i;

	for (i = 0; i < out->n_segs; i++) {
		struct rte_mbuf *f = tcpterm_frame_build(
				table, out->conn, &out->segs[i], &mac, pool, tx);

		if (f == NULL) {
			fprintf(stderr, "fuzz_term: frame not built\n");
			abort();
		}
		rte_pktmbuf_free(f);
	}
}

static void
timer_cb(struct tcpterm_table *t, enum tcpterm_verdict vd, const struct tcpterm_out *out, void *arg)
{
	(void)t;
	(void)vd;
	send_segs(out, *(const uint64_t *)arg);
}

static int
check_conn(const struct tcpterm_conn_info *i, void *arg)
{
	(void)arg;
	if (i->state >= TCPTERM_ST_MAX || tcpseg_seq_gt(i->snd_una, i->snd_nxt) || i->mss < 64 ||
			i->rto_ms == 0) {
		fprintf(stderr, "fuzz_term: incoherent connection (state %u)\n", i->state);
		abort();
	}
	return 0;
}

static void
check(void)
{
	uint32_t st[TCPTERM_ST_MAX], sum = 0, i;

	tcpterm_state_counts(table, st);
	for (i = 0; i < TCPTERM_ST_MAX; i++)
		sum += st[i];
	if (sum != tcpterm_table_count(table) || rte_mempool_avail_count(pool) != POOL_SIZE) {
		fprintf(stderr, "fuzz_term: state counts or mbufs do not balance\n");
		abort();
	}
	tcpterm_foreach(table, now_ms, check_conn, NULL);
}

/* With FUZZ_TERM_STATS set in the environment, the counters at exit (to see what a corpus
 * reaches). */
static void
print_stats(void)
{
	uint64_t c[TCPTERM_CTR_MAX];
	unsigned int i;

	if (table == NULL || getenv("FUZZ_TERM_STATS") == NULL)
		return;
	tcpterm_counters_read(table, c);
	for (i = 0; i < TCPTERM_CTR_MAX; i++)
		if (c[i])
			fprintf(stderr, "%s %lu\n", tcpterm_counter_name(i), (unsigned long)c[i]);
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	static const uint64_t tx_offloads[] = {
			0,
			RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
	};
	struct tcpterm_out out;
	struct tcpseg_view view;
	struct rte_mbuf *m;
	uint64_t tx;
	uint8_t ctl;
	char *dst;
	int listener;

	if (size < 1 || size - 1 > RTE_MBUF_DEFAULT_DATAROOM)
		return 0;
	ctl = data[0];
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		abort();
	dst = rte_pktmbuf_append(m, (uint16_t)(size - 1));
	if (dst == NULL && size > 1)
		abort();
	if (size > 1)
		memcpy(dst, data + 1, size - 1);
	tx = tx_offloads[ctl & 1];
	now_ms += (uint64_t)((ctl >> 4) & 3) * 700 + ((ctl >> 6) & 3) * 20000;
	if (tcpseg_parse(m, &view) == TCPSEG_OK) {
		listener = view.dport == 80 ? (ctl >> 1) & 1 : ((ctl >> 2) & 1 ? 0 : -1);
		switch (tcpterm_input(table, &view, m, listener, now_ms, &out)) {
		case TCPTERM_SEND:
			send_segs(&out, tx);
			/* fall through */
		case TCPTERM_RST:
			if (out.has_reply)
				tcpseg_build_reply(m, &view, &out.reply, tx);
			break;
		default:
			break;
		}
	}
	rte_pktmbuf_free(m);
	tcpterm_timers(table, now_ms, 64, timer_cb, &tx);
	check();
	add_conns();
	return 0;
}
