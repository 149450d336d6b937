/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_term_timers: how long one tcpterm_timers() call runs when many connection timers
 * are due at once, i.e. how long the worker holds its shard's lock in app_term_timers().
 *
 *   bench_term_timers [--conns N,N] [--budgets B,B] [--kind idle|rto]
 *
 * For each N and budget B, a fresh table of capacity N gets N connections, all made in the
 * same millisecond (SYN, then the cookie's ACK: --kind idle, the idle timer armed; or the
 * ACK with a request: --kind rto, the response and our FIN sent and the retransmission timer
 * armed). The clock then jumps to their common deadline and tcpterm_timers(t, now, B, cb) is
 * called until every timer has fired once (B = 0: UINT32_MAX, one call), each call timed
 * with rte_rdtsc(). Printed: calls, the longest call, the 99.9th and 99th percentiles (on a
 * shared machine the longest is often a preemption), the mean, the time of all. The
 * callback counts the segments described (no frame is built: app_term_emit's frame cost is
 * per fired timer, so bounded by B, and not measured here).
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <tcpseg.h>
#include <tcpterm.h>
#include "bench_req.h"
#include "test_eal.h"

#define MAX_LIST 8
#define NOW0     100000u

struct run {
	struct tcpterm_table *t;
	struct tcpseg_view tmpl;
	struct rte_mbuf *req;
	uint64_t segs;
};

static void
view(const struct run *r, struct tcpseg_view *v, uint32_t i, uint8_t flags, uint32_t ack,
		uint16_t len)
{
	*v = r->tmpl;
	v->src.v4 = rte_cpu_to_be_32(0xc6130000u | (i >> 14));
	v->sport = (uint16_t)(1024 + (i & 0x3fff));
	v->flags = flags;
	v->seq = (flags & TCPSEG_SYN) ? 1000 : 1001;
	v->ack = ack;
	v->payload_len = len;
	v->opts.present = (uint8_t)(flags & TCPSEG_SYN
					? TCPSEG_OPT_MSS | TCPSEG_OPT_TS | TCPSEG_OPT_WSCALE
					: TCPSEG_OPT_TS);
	v->opts.mss = 1460;
	v->opts.wscale = 7;
	v->opts.tsval = NOW0;
}

static void
count_cb(struct tcpterm_table *t, enum tcpterm_verdict verdict, const struct tcpterm_out *out,
		void *arg)
{
	struct run *r = arg;

	(void)t;
	(void)verdict;
	r->segs += out->n_segs;
}

/* n connections made at NOW0; returns how many are live. */
static uint32_t
make_conns(struct run *r, uint32_t n, bool rto)
{
	uint16_t rl = sizeof(BENCH_REQ) - 1;
	struct tcpterm_out out;
	struct tcpseg_view v;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint32_t isn;

		view(r, &v, i, TCPSEG_SYN, 0, 0);
		if (tcpterm_input(r->t, &v, r->req, 0, NOW0, &out) != TCPTERM_SEND)
			continue;
		isn = out.reply.seq;
		view(r, &v, i, (uint8_t)(TCPSEG_ACK | (rto ? TCPSEG_PSH : 0)), isn + 1,
				rto ? rl : 0);
		(void)tcpterm_input(r->t, &v, r->req, 0, NOW0, &out);
	}
	return tcpterm_table_count(r->t);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
run_one(struct rte_mempool *pool, const struct tcpterm_response *const *rs, uint32_t n,
		uint32_t budget, bool rto)
{
	struct tcpterm_params p = {.name = "bt", .socket_id = SOCKET_ID_ANY};
	uint64_t hz = rte_get_tsc_hz(), worst = 0, all = 0, fired = 0, calls = 0, t0, dt;
	struct run r = {0};
	uint32_t made, now, b = budget ? budget : UINT32_MAX, k;
	uint64_t *each;

	p.capacity = n;
	p.responses = rs;
	p.n_responses = 1;
	p.idle_ms = 30000;
	p.rto_initial_ms = 1000;
	r.t = tcpterm_table_create(&p);
	if (r.t == NULL)
		return -1;
	r.req = bench_req_frame(pool, &r.tmpl);
	made = make_conns(&r, n, rto);
	each = malloc(sizeof(*each) * ((uint64_t)made / b + 2));
	if (each == NULL)
		abort();
	now = NOW0 + (rto ? 1000 : 30000) + 16;
	/* Bring the wheel up to the tick before the deadline: the idle time costs nothing. */
	tcpterm_timers(r.t, now - 32, b, count_cb, &r);
	while (fired < made && calls < (uint64_t)made / b + 2) {
		t0 = rte_rdtsc();
		k = tcpterm_timers(r.t, now, b, count_cb, &r);
		dt = rte_rdtsc() - t0;
		each[calls++] = dt;
		all += dt;
		worst = RTE_MAX(worst, dt);
		fired += k;
		if (k == 0)
			break;
	}
	qsort(each, calls, sizeof(*each), cmp_u64);
	printf("%8u conns  %-4s  budget %10u  %7" PRIu64 " calls  longest %10.1f us  "
	       "p99.9 %8.1f  p99 %8.1f  mean %8.2f us  all %9.1f ms  fired %u/%u  segs %" PRIu64
	       "%s\n",
			n, rto ? "rto" : "idle", b, calls, (double)worst * 1e6 / (double)hz,
			(double)each[calls * 999 / 1000] * 1e6 / (double)hz,
			(double)each[calls * 99 / 100] * 1e6 / (double)hz,
			(double)all * 1e6 / (double)hz / (double)calls,
			(double)all * 1e3 / (double)hz, (uint32_t)fired, made, r.segs,
			fired != made || made != n ? "  ERRORS" : "");
	free(each);
	rte_pktmbuf_free(r.req);
	tcpterm_table_free(r.t);
	return fired == made && made == n ? 0 : -1;
}

static uint32_t
parse_list(char *arg, uint32_t *v)
{
	uint32_t k = 0;
	char *s;

	for (s = strtok(arg, ","); s != NULL && k < MAX_LIST; s = strtok(NULL, ","))
		v[k++] = (uint32_t)strtoul(s, NULL, 10);
	return k;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
			{"conns", required_argument, NULL, 'c'},
			{"budgets", required_argument, NULL, 'b'},
			{"kind", required_argument, NULL, 'k'},
			{NULL, 0, NULL, 0},
	};
	uint32_t conns[MAX_LIST] = {50000, 200000}, budgets[MAX_LIST] = {64, 0};
	uint32_t n_conns = 2, n_budgets = 2, i, j;
	struct tcpterm_response_params rp = {.name = "bt", .socket_id = SOCKET_ID_ANY};
	static const uint8_t body[100];
	const struct tcpterm_response *rs[1];
	struct rte_mempool *pool;
	bool rto = false;
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			n_conns = parse_list(optarg, conns);
			break;
		case 'b':
			n_budgets = parse_list(optarg, budgets);
			break;
		case 'k':
			rto = strcmp(optarg, "rto") == 0;
			if (!rto && strcmp(optarg, "idle") != 0)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	for (i = 0; i < n_conns; i++)
		if (conns[i] < 64 || conns[i] > TCPTERM_CAPACITY_MAX)
			goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (test_eal_init("bench_term_timers", 2048) != 0)
		return 1;
	rp.body = body;
	rp.body_len = sizeof(body);
	rs[0] = tcpterm_response_create(&rp);
	pool = rte_pktmbuf_pool_create(
			"bt_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (rs[0] == NULL || pool == NULL)
		return 1;
	for (i = 0; i < n_conns; i++)
		for (j = 0; j < n_budgets; j++)
			if (run_one(pool, rs, conns[i], budgets[j], rto) != 0)
				rc = 1;
	rte_mempool_free(pool);
	tcpterm_response_free((struct tcpterm_response *)(uintptr_t)rs[0]);
	return rc;
usage:
	fprintf(stderr,
			"usage: bench_term_timers [--conns N,N] [--budgets B,B (0: no limit)] "
			"[--kind idle|rto]\n");
	return 2;
}
