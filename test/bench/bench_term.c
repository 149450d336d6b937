/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_term: whole TCP lifecycles through lib/tcpterm, in memory, on one lcore, with N
 * connections open at once:
 *
 *   bench_term [--sizes 1000,1000000] [--conns M] [--body B] [--frames] [--twq]
 *
 * For each size N, rounds of N connections (at least --conns connections in all, default
 * 2,000,000) go through, phase by phase so that N are live at once:
 *   SYN           -> SYN-ACK with a cookie (tcpterm_input, listener 0)
 *   ACK + request -> connection made from the cookie, response + FIN described (ESTABLISHED
 *                    -> FIN-WAIT-1)
 *   ACK of FIN    -> FIN-WAIT-2
 *   peer's FIN    -> TCPTERM_TIMEWAIT, struct tcpterm_closed filled
 * With --twq the hand-off goes on into lib/twq (twq_start with the ACK owed; after the
 * round, every TIME_WAIT entry expires, twq_expire). With --frames every segment described is
 * built (tcpterm_frame_build: header mbuf + external-buffer payload) and freed.
 * Each phase runs in bursts of 32 segments, with tcpterm_prefetch() over the burst first.
 * The segments are parsed views (struct tcpseg_view) made in memory, one shared request frame
 * for the payload and L2; tcpseg_parse is not in the loop (bench_twq and the appliance
 * benchmark measure it).
 *
 * Figures: connections per second (whole rounds, rte_rdtsc), and bytes per live connection
 * (tcpterm_table_memory() / capacity, capacity = N, the way bench_twq measures TIME_WAIT
 * entries); beside it, the bytes an rte_hash of the same capacity and key would take for the
 * index alone (rte_malloc heap before and after rte_hash_create). Under valgrind --tool=callgrind
 * --toggle-collect=run_round the instructions per connection are Ir / connections.
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
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include <tcpseg.h>
#include <tcpterm.h>
#include <twq.h>

#include "bench_req.h"
#include "test_eal.h"

#define MAX_SIZES 4
#define BURST     32

struct bench {
	struct tcpterm_table *t;
	struct twq_shard *tw;
	struct rte_mbuf *req; /* shared request frame: payload and L2 */
	struct tcpseg_view tmpl;
	struct rte_mempool *pool;
	uint32_t *isn; /* our ISN per connection of the round */
	uint32_t n;
	bool frames, twq;
	uint64_t now, timewait, bad, more;
	bool big; /* the response does not fit in the initial window */
};

static const struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 1}};

/* The view of connection i's segment: peer 198.19.x.y:port from i. */
static inline void
view(const struct bench *b, struct tcpseg_view *v, uint32_t i, uint8_t flags, uint32_t seq,
		uint32_t ack, uint16_t len)
{
	*v = b->tmpl;
	v->src.v4 = rte_cpu_to_be_32(0xc6130000u | (i >> 14));
	v->sport = (uint16_t)(1024 + (i & 0x3fff));
	v->flags = flags;
	v->seq = seq;
	v->ack = ack;
	v->payload_len = len;
	v->opts.present = (uint8_t)(flags & TCPSEG_SYN
					? TCPSEG_OPT_MSS | TCPSEG_OPT_TS | TCPSEG_OPT_WSCALE
					: TCPSEG_OPT_TS);
	v->opts.mss = 1460;
	v->opts.wscale = 7;
	v->opts.tsval = (uint32_t)b->now;
}

static void
frames(struct bench *b, const struct tcpterm_out *out)
{
	unsigned int k;

	for (k = 0; k < out->n_segs; k++) {
		struct rte_mbuf *m = tcpterm_frame_build(
				b->t, out->conn, &out->segs[k], &mac, b->pool, 0);

		if (m == NULL)
			abort();
		rte_pktmbuf_free(m);
	}
}

static void
handoff(struct bench *b, const struct tcpterm_closed *cl)
{
	struct tcpseg_reply ack;
	struct twq_conn c;

	b->timewait++;
	if (!b->twq)
		return;
	memcpy(&c.key, &cl->key, sizeof(c.key));
	c.snd_nxt = cl->snd_nxt;
	c.rcv_nxt = cl->rcv_nxt;
	c.rcv_adv = cl->rcv_adv;
	c.ts_recent = cl->ts_recent;
	c.ts_offset = cl->ts_offset;
	c.rcv_scale = cl->rcv_scale;
	c.flags = cl->flags;
	twq_start(b->tw, &c, b->now, &ack);
}

enum phase { SYN, REQUEST, ACK_DATA, ACK_FIN, PEER_FIN };

/* The segment of phase ph for connection i of the round. */
static void
phase_view(const struct bench *b, struct tcpseg_view *v, uint32_t base, uint32_t i, enum phase ph)
{
	uint16_t rl = sizeof(BENCH_REQ) - 1;

	switch (ph) {
	case SYN:
		view(b, v, base + i, TCPSEG_SYN, 1000, 0, 0);
		break;
	case REQUEST:
		view(b, v, base + i, TCPSEG_ACK | TCPSEG_PSH, 1001, b->isn[i] + 1, rl);
		break;
	case ACK_DATA:
	case ACK_FIN:
		view(b, v, base + i, TCPSEG_ACK, 1001 + rl, b->isn[i], 0);
		break;
	case PEER_FIN:
		view(b, v, base + i, TCPSEG_ACK | TCPSEG_FIN, 1001 + rl, b->isn[i], 0);
		break;
	}
}

/* What phase ph must give, and what it leaves for the next. */
static void
phase_result(struct bench *b, uint32_t i, enum phase ph, enum tcpterm_verdict vd,
		const struct tcpterm_out *out)
{
	switch (ph) {
	case SYN:
		b->bad += vd != TCPTERM_SEND;
		b->isn[i] = out->reply.seq;
		break;
	case REQUEST:
		if (vd != TCPTERM_SEND || out->n_segs == 0) {
			b->bad++;
			break;
		}
		if (b->frames)
			frames(b, out);
		b->isn[i] = out->segs[out->n_segs - 1].seq + out->segs[out->n_segs - 1].len +
				!!(out->segs[out->n_segs - 1].flags & TCPSEG_FIN);
		break;
	case ACK_FIN:
		b->bad += vd != TCPTERM_DROP;
		break;
	case ACK_DATA:
		if (vd == TCPTERM_SEND && out->n_segs) {
			if (b->frames)
				frames(b, out);
			b->isn[i] = out->segs[out->n_segs - 1].seq +
					out->segs[out->n_segs - 1].len +
					!!(out->segs[out->n_segs - 1].flags & TCPSEG_FIN);
			b->more++;
		} else if (vd != TCPTERM_DROP) {
			b->bad++;
		}
		break;
	case PEER_FIN:
		if (vd != TCPTERM_TIMEWAIT)
			b->bad++;
		else
			handoff(b, &out->closed);
		break;
	}
}

/* One phase for the n connections of a round, in bursts of BURST with prefetch, as a worker
 * would run its receive bursts. */
static void
run_phase(struct bench *b, uint32_t base, enum phase ph)
{
	struct tcpseg_view v[BURST];
	struct tcpterm_out out;
	uint32_t i, j, k;

	for (i = 0; i < b->n; i += BURST) {
		k = RTE_MIN((uint32_t)BURST, b->n - i);
		for (j = 0; j < k; j++) {
			phase_view(b, &v[j], base, i + j, ph);
			tcpterm_prefetch(b->t, &v[j], 0);
		}
		for (j = 0; j < k; j++)
			tcpterm_prefetch(b->t, &v[j], 1);
		for (j = 0; j < k; j++)
			phase_result(b, i + j, ph,
					tcpterm_input(b->t, &v[j], b->req, 0, b->now, &out), &out);
	}
	b->now++;
}

/* One round: n connections from SYN to TIME_WAIT, phase by phase. */
static void __attribute__((noinline)) run_round(struct bench *b, uint32_t base)
{
	run_phase(b, base, SYN);
	run_phase(b, base, REQUEST);
	/* A response larger than the initial window: ACK what was sent until all of it and our
	 * FIN are out (none of this for a body that fits). */
	do {
		b->more = 0;
		if (b->big)
			run_phase(b, base, ACK_DATA);
	} while (b->more);
	run_phase(b, base, ACK_FIN);
	run_phase(b, base, PEER_FIN);
	if (b->twq) {
		b->now += 60001;
		twq_expire(b->tw, b->now, UINT32_MAX);
	}
}

/* Bytes rte_malloc holds on all sockets. */
static size_t
heap_bytes(void)
{
	struct rte_malloc_socket_stats st;
	size_t sum = 0;
	int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (rte_malloc_get_socket_stats(s, &st) == 0)
			sum += st.heap_allocsz_bytes;
	return sum;
}

/*
 * What the index alone would cost as an rte_hash of the same capacity, keyed by struct
 * tcpterm_key (40 bytes), measured as the heap it takes: the alternative the chained index
 * was chosen over.
 */
static void
rte_hash_cost(uint32_t n)
{
	struct rte_hash_parameters hp = {
			.name = "bench_rte_hash",
			.entries = n,
			.key_len = sizeof(struct tcpterm_key),
			.hash_func = rte_hash_crc,
			.socket_id = SOCKET_ID_ANY,
	};
	size_t before = heap_bytes();
	struct rte_hash *h = rte_hash_create(&hp);

	if (h == NULL)
		return;
	printf("%9u       rte_hash index alone (%zu-byte key): %.1f bytes/entry\n", n,
			sizeof(struct tcpterm_key), (double)(heap_bytes() - before) / n);
	rte_hash_free(h);
}

static int
run_size(uint32_t n, uint64_t conns, uint32_t body, bool fr, bool tw)
{
	struct tcpterm_response_params rp = {.name = "bench", .socket_id = SOCKET_ID_ANY};
	struct tcpterm_params p = {.name = "bench", .socket_id = SOCKET_ID_ANY};
	struct twq_params tp = {.name = "bench", .socket_id = SOCKET_ID_ANY};
	const struct tcpterm_response *rs[1];
	struct tcpterm_response *r;
	struct bench b = {.n = n, .frames = fr, .twq = tw, .now = 1000};
	uint8_t *body_buf = calloc(1, body + 1);
	uint32_t rounds = (uint32_t)((conns + n - 1) / n), k;
	uint64_t t0, t1;
	double secs;

	rp.body = body_buf;
	rp.body_len = body;
	r = tcpterm_response_create(&rp);
	rs[0] = r;
	p.capacity = n;
	p.responses = rs;
	p.n_responses = 1;
	b.t = tcpterm_table_create(&p);
	tp.capacity = n;
	tp.capacity6 = TWQ_CAPACITY_MIN;
	tp.msl_ms = 30000;
	b.tw = tw ? twq_shard_create(&tp) : NULL;
	b.pool = rte_pktmbuf_pool_create(
			"bench_pool", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	b.isn = malloc(sizeof(uint32_t) * n);
	if (r == NULL || b.t == NULL || (tw && b.tw == NULL) || b.pool == NULL || b.isn == NULL) {
		fprintf(stderr, "bench_term: cannot set up size %u\n", n);
		return -1;
	}
	b.req = bench_req_frame(b.pool, &b.tmpl);
	b.big = tcpterm_response_bytes(r, 0, &k) != NULL && k > 10 * 1448;
	t0 = rte_rdtsc();
	for (k = 0; k < rounds; k++)
		run_round(&b, k * n);
	t1 = rte_rdtsc();
	secs = (double)(t1 - t0) / (double)rte_get_tsc_hz();
	printf("%9u live  %10" PRIu64 " conns  %8.3f s  %10.0f conns/s  %6.1f ns/conn  "
	       "%6.1f bytes/conn%s%s%s\n",
			n, (uint64_t)rounds * n, secs, (double)rounds * n / secs,
			secs * 1e9 / ((double)rounds * n), (double)tcpterm_table_memory(b.t) / n,
			fr ? "  +frames" : "", tw ? "  +twq" : "",
			b.bad || b.timewait != (uint64_t)rounds * n ? "  ERRORS" : "");
	rte_pktmbuf_free(b.req);
	rte_mempool_free(b.pool);
	twq_shard_free(b.tw);
	tcpterm_table_free(b.t);
	tcpterm_response_free(r);
	free(b.isn);
	free(body_buf);
	return b.bad ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
			{"sizes", required_argument, NULL, 's'},
			{"conns", required_argument, NULL, 'c'},
			{"body", required_argument, NULL, 'b'},
			{"frames", no_argument, NULL, 'f'},
			{"twq", no_argument, NULL, 't'},
			{NULL, 0, NULL, 0},
	};
	uint32_t sizes[MAX_SIZES] = {1000, 1000000}, n_sizes = 2, body = 100, i;
	uint64_t conns = 2000000;
	bool fr = false, tw = false;
	int opt, rc = 0;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *s, *end;

		switch (opt) {
		case 's':
			n_sizes = 0;
			for (s = strtok(optarg, ","); s != NULL && n_sizes < MAX_SIZES;
					s = strtok(NULL, ","))
				sizes[n_sizes++] = (uint32_t)strtoul(s, &end, 10);
			break;
		case 'c':
			conns = strtoull(optarg, &end, 10);
			break;
		case 'b':
			body = (uint32_t)strtoul(optarg, &end, 10);
			break;
		case 'f':
			fr = true;
			break;
		case 't':
			tw = true;
			break;
		default:
			fprintf(stderr,
					"usage: bench_term [--sizes N,N] [--conns M] [--body B] "
					"[--frames] [--twq]\n");
			return 2;
		}
	}
	for (i = 0; i < n_sizes; i++)
		if (sizes[i] < 64 || sizes[i] > TCPTERM_CAPACITY_MAX) {
			fprintf(stderr, "bench_term: size %u out of range (64 to %u)\n", sizes[i],
					TCPTERM_CAPACITY_MAX);
			return 2;
		}
	if (test_eal_init("bench_term", 2048) != 0)
		return 1;
	printf("bench_term: body %u bytes, MSS 1460, one lcore\n", body);
	for (i = 0; i < n_sizes; i++) {
		if (run_size(sizes[i], RTE_MAX(conns, (uint64_t)sizes[i]), body, fr, tw) != 0)
			rc = 1;
		rte_hash_cost(sizes[i]);
	}
	return rc;
}
