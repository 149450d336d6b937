/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_path: the appliance's hit path on mbufs in memory, no PMD, deterministic.
 *
 *   bench_path [--entries N] [--packets M] [--rounds R] [--mbufs K] [--offload] [--hugepages]
 *              [--seed S] [--term] [--paws] [--ack-limit N] [--ack-interval-ms MS]
 *              [--engine-gap-ms G] [--only path|swap|reinit]
 *
 * One IPv4 shard of N entries (twq_start, msl 1 h: nothing expires during the run). M data
 * segments (ACK|PSH, 16 bytes, seq = rcv_nxt, ack = snd_nxt, timestamps: each gets an ACK)
 * to random entries, distinct while M <= N, spread over the whole table, are kept as frame
 * templates. A pass sends all M through a stage in bursts of 32 (APP_BURST). Each burst first
 * copies its frames from their templates into K mbufs reused in turn (K = 1024 by default, a
 * small hot pool as behind a PMD; the copy stands for the PMD's copy into the mbuf and is
 * needed because the reply is built in place) and resets data_len, pkt_len and ol_flags.
 * Then:
 *   path    what app/worker.c's app_worker_port() does between rte_eth_rx_burst() and
 *           rte_eth_tx_burst(): the burst's mbufs go in struct app_burst's rx[] as a PMD
 *           would put them, and app_worker_burst() (app/worker_burst.h), the appliance's own
 *           code, runs its stages: L2 (app/l2.c, one port with our MAC and 198.18.0.1),
 *           parse, the shard lock and the millisecond clock, TIME_WAIT, the connection table
 *           (only with --term: a table and a listener on another port, which no segment
 *           reaches), the closed port (policy rst, as the appliance benchmark configures
 *           it), the replies built in place and the worker's statistics counters. Each
 *           reply it returns in tx[] is counted; the frames are not sent (no PMD).
 *   swap    the same burst loop with a plain MAC swap (the in-memory ceiling)
 *   reinit  the copy from the templates alone
 *   staged  the path's library calls with rte_rdtsc() between stages (reinit, parse,
 *           twq_input_burst, reply): the split of the time, at the cost of four TSC reads
 *           per burst. This pass replicates the library calls of the stages (no L2, no
 *           counters): the stages are not apart in app/worker.c
 * The run does one warm-up pass of each, then R rounds of one pass each, in a random order
 * drawn afresh every round, and prints median and interquartile range of ns per packet, of the
 * per-round ratio swap / path (the path's speed as a fraction of the MAC swap's) and of an
 * A/A control: two swap passes of the same round compared (swap B is the same function as
 * swap A, run at another place in the round). With --offload the frames carry
 * RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD and the reply is built with
 * RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM, as on a NIC port that offloads.
 *
 * --only KIND runs R passes (R = 1 unless given) of one kind after the set-up and prints
 * nothing per round: for valgrind --tool=callgrind --toggle-collect=path_pass, whose
 * instruction count is linear in M (test/bench/bench_path_callgrind.py does it at two M).
 * --term turns the termination path on (a connection table, as with [listen] configured):
 * its stage runs in every burst, but the TIME_WAIT stage claims every segment first.
 *
 * --paws (TWQ_F_PAWS, [engine] paws) and --ack-limit N / --ack-interval-ms MS (the shard's
 * ack_limit and ack_interval_ms, [engine] ack_limit / ack_interval_ms; default 0 and 500, no
 * cap) set the engine options of config/baremetal.ini: with either on, every segment takes
 * input_entry()'s general rules instead of fast_run(). The segments' TSval is above the
 * entry's t_recent, so PAWS passes them all. With the cap on, the passes through the engine
 * (path, staged, the check of the first burst) are spaced by at least MS + 1 ms, waited out
 * before the pass and not timed (--engine-gap-ms G spaces them by G ms in any case, so that
 * a run without the cap can be timed after the same pauses): with M <= N no entry is hit twice
 * within an interval, every segment must get its ACK (the cap's check runs, its interval restarted:
 * what a segment to an entry idle for a while costs), and the instruction count stays linear in M.
 * With M > N entries repeat within a pass and the cap may withhold some ACKs: those frames are
 * freed by the worker (the bench allocates new mbufs in their place, path_unanswered()). At the end
 * the shard's counters are checked against the bench's counts: every segment a lookup hit,
 * answered (ack_sent) or withheld by the cap (ack_limited), nothing else.
 */

#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include <rte_spinlock.h>

#include <tcpseg.h>
#include <twq.h>

#include "app.h"
#include "bench_frame.h"
#include "bench_perm.h"
#include "clock.h"
#include "config_keys.h"
#include "term.h"
#include "test_eal.h"
#include "worker_burst.h"

#define BURST      32  /* APP_BURST */
#define SLOT       128 /* bytes per frame template */
#define PAYLOAD    16
#define LADDR      0xc6120001u /* 198.18.0.1 */
#define LPORT      80
#define TERM_PORT  8080 /* --term: the listener's port, which no segment is sent to */
#define MSL_MS     3600000u
#define MAX_ROUNDS 1000
#define N_KINDS    5
#define CHUNK      1024 /* packets timed together (32 bursts) */

enum kind { K_PATH, K_SWAP_A, K_SWAP_B, K_REINIT, K_STAGED };

static const char *const kind_names[N_KINDS] = {"path", "swap A", "swap B", "reinit", "staged"};

struct bench {
	struct twq_shard *tw;
	struct rte_mbuf **mbufs; /* K mbufs, reused in turn */
	uint32_t n_mbufs;
	uint8_t *tmpl; /* M templates of SLOT bytes */
	uint32_t n_pkts;
	uint16_t frame_len;
	uint64_t rx_flags;    /* ol_flags of a received frame */
	uint64_t tx_offloads; /* the port's TX offloads */
	uint64_t tsc_per_ms;
	rte_spinlock_t lock;
	uint64_t acks, bad;         /* replies built / not answered, over all passes */
	uint64_t *chunk_tsc;        /* TSC cycles of each CHUNK packets of the last pass */
	uint64_t (*chunk_stage)[4]; /* the same per stage, for the staged pass */
	bool term;                  /* --term */
	struct app_term aterm;      /* the worker's termination state (app_term_init) */
	struct app_burst abu;       /* the worker's burst arrays (app_burst_init) */
	struct rte_mempool *pool;   /* the K mbufs' pool (last: the passes' offsets as before) */
	/* Not read by the passes (after pool: their offsets as before). */
	uint64_t segs;            /* segments sent through the engine (path, staged, check) */
	uint64_t engine_tsc;      /* TSC at the end of the last pass through the engine */
	uint32_t tw_flags;        /* --paws: TWQ_F_PAWS */
	uint32_t ack_limit;       /* --ack-limit (0: no cap) */
	uint32_t ack_interval_ms; /* --ack-interval-ms */
	uint32_t gap_ms;          /* --engine-gap-ms, raised to ack_interval_ms + 1 with the cap */
};

/* The appliance: one port, one worker (app.h; large, hence static). */
static struct app_ctx actx;

/* The staged pass's per-burst arrays (those of app/worker_burst.h: struct app_burst). */
struct burst {
	struct rte_mbuf *pkts[BURST];
	const struct tcpseg_view *views[BURST];
	struct tcpseg_view view_store[BURST];
	enum twq_verdict verdicts[BURST];
	struct tcpseg_reply replies[BURST];
	struct rte_mbuf *tx[BURST];
	struct rte_mbuf *drop[BURST];
};

/* The closing connection of entry i: peer in 198.18.0.0/15 and a port, timestamps on. */
static void
conn_of(uint32_t i, struct twq_conn *c)
{
	uint32_t x = perm32(i);

	memset(c, 0, sizeof(*c));
	c->key.laddr.v4 = rte_cpu_to_be_32(LADDR);
	c->key.raddr.v4 = rte_cpu_to_be_32(0xc6120000u | (x & 0x1ffffu));
	c->key.lport = LPORT;
	c->key.rport = (uint16_t)(1024u + (x >> 17));
	c->snd_nxt = perm32(i ^ 0x55555555u);
	c->rcv_nxt = perm32(i ^ 0xaaaaaaaau);
	c->rcv_adv = c->rcv_nxt + 65535u;
	c->ts_recent = 1000000u + i;
	c->ts_offset = perm32(i + 7u);
	c->flags = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
}

static uint64_t rng_state;

static inline uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Copy a burst's frames from their templates into the mbufs, as the PMD would. */
static inline void
reinit(const struct bench *b, struct rte_mbuf **m, uint32_t first, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		memcpy(rte_pktmbuf_mtod(m[i], void *), b->tmpl + (size_t)(first + i) * SLOT,
				b->frame_len);
		m[i]->data_len = b->frame_len;
		m[i]->pkt_len = b->frame_len;
		m[i]->ol_flags = b->rx_flags;
	}
}

/*
 * Some frames of the burst rx[0..n) got no reply (tx[0..ntx) holds, in order, those that
 * did): the worker freed the others (with the ACK cap on, an ACK it withheld; the shard's
 * counters tell at the end). Each is counted and its slot gets a new mbuf from the pool, as
 * the PMD would refill its ring. Out of line: never reached on the default hit path.
 */
static __rte_noinline void
path_unanswered(struct bench *b, struct rte_mbuf **rx, uint16_t n, uint16_t ntx)
{
	struct rte_mbuf *const *tx = b->abu.tx;
	uint16_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (j < ntx && tx[j] == rx[i]) {
			j++;
			continue;
		}
		b->bad++;
		rx[i] = rte_pktmbuf_alloc(b->pool);
		if (rx[i] == NULL) {
			fprintf(stderr, "bench_path: no mbuf in place of a frame not answered\n");
			exit(1);
		}
	}
	if (j != ntx) {
		fprintf(stderr, "bench_path: a reply is not one of the burst's frames\n");
		exit(1);
	}
}

/* app_worker_port() between rte_eth_rx_burst() and rte_eth_tx_burst(). */
static inline void
path_burst(struct bench *b, struct rte_mbuf **rx, uint16_t n)
{
	struct app_burst *bu = &b->abu;
	uint16_t i, ntx;

	for (i = 0; i < n; i++)
		bu->rx[i] = rx[i]; /* as the PMD would */
	ntx = app_worker_burst(&actx, &actx.shards[0], &actx.wstats[0], 0, bu, &b->aterm, n);
	/*
	 * Every segment deserves an ACK (with the ACK cap on: unless an earlier one of the same
	 * entry took the interval's ACKs); the shard's counters are checked at the end.
	 */
	b->acks += ntx;
	if (unlikely(ntx != n))
		path_unanswered(b, rx, n, ntx);
}

/*
 * Each pass times every CHUNK packets (two TSC reads per 32 bursts): the median over the
 * chunks of a pass is not moved by the time slices other processes take from it, the
 * whole pass's time is.
 */
#define CHUNK_MARK(b, base, t) \
	do { \
		if (((base) & (CHUNK - 1)) == 0 && (base) != 0) { \
			const uint64_t now_ = rte_rdtsc(); \
			(b)->chunk_tsc[(base) / CHUNK - 1] = now_ - (t); \
			(t) = now_; \
		} \
	} while (0)
#define CHUNK_END(b, t) ((b)->chunk_tsc[((b)->n_pkts - 1) / CHUNK] = rte_rdtsc() - (t))

/* The passes. Not inlined: callgrind's --toggle-collect names them. */
static __rte_noinline void
path_pass(struct bench *b)
{
	uint64_t t = rte_rdtsc();
	uint32_t base, k = 0;

	for (base = 0; base < b->n_pkts; base += BURST) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)BURST, b->n_pkts - base);
		struct rte_mbuf **m = &b->mbufs[k];

		CHUNK_MARK(b, base, t);
		reinit(b, m, base, n);
		path_burst(b, m, n);
		k = k + BURST >= b->n_mbufs ? 0 : k + BURST;
	}
	CHUNK_END(b, t);
}

static __rte_noinline void
swap_pass(struct bench *b)
{
	uint64_t t = rte_rdtsc();
	uint32_t base, k = 0, i;

	for (base = 0; base < b->n_pkts; base += BURST) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)BURST, b->n_pkts - base);
		struct rte_mbuf **m = &b->mbufs[k];

		CHUNK_MARK(b, base, t);
		reinit(b, m, base, n);
		for (i = 0; i < n; i++) {
			struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m[i], struct rte_ether_hdr *);
			struct rte_ether_addr tmp = eth->dst_addr;

			eth->dst_addr = eth->src_addr;
			eth->src_addr = tmp;
		}
		k = k + BURST >= b->n_mbufs ? 0 : k + BURST;
	}
	CHUNK_END(b, t);
}

static __rte_noinline void
reinit_pass(struct bench *b)
{
	uint64_t t = rte_rdtsc();
	uint32_t base, k = 0;

	for (base = 0; base < b->n_pkts; base += BURST) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)BURST, b->n_pkts - base);

		CHUNK_MARK(b, base, t);
		reinit(b, &b->mbufs[k], base, n);
		k = k + BURST >= b->n_mbufs ? 0 : k + BURST;
	}
	CHUNK_END(b, t);
}

/* path_pass with the TSC read between stages; the split goes to b->chunk_stage. */
static __rte_noinline void
staged_pass(struct bench *b)
{
	uint64_t t[5];
	struct burst bu;
	uint32_t base, k = 0, i;

	memset(b->chunk_stage, 0, sizeof(*b->chunk_stage) * ((b->n_pkts + CHUNK - 1) / CHUNK));
	for (base = 0; base < b->n_pkts; base += BURST) {
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)BURST, b->n_pkts - base);
		struct rte_mbuf **m = &b->mbufs[k];
		uint16_t np = 0, ntx = 0;
		uint64_t now;

		t[0] = rte_rdtsc();
		reinit(b, m, base, n);
		t[1] = rte_rdtsc();
		for (i = 0; i < n; i++) {
			if (i + 1 < n)
				rte_prefetch0(rte_pktmbuf_mtod(m[i + 1], void *));
			if (tcpseg_parse(m[i], &bu.view_store[np]) != TCPSEG_OK)
				continue;
			bu.views[np] = &bu.view_store[np];
			bu.pkts[np++] = m[i];
		}
		t[2] = rte_rdtsc();
		if (unlikely(!rte_spinlock_trylock(&b->lock)))
			rte_spinlock_lock(&b->lock);
		now = rte_get_tsc_cycles() / b->tsc_per_ms;
		twq_input_burst(b->tw, bu.views, np, now, bu.verdicts, bu.replies);
		rte_spinlock_unlock(&b->lock);
		t[3] = rte_rdtsc();
		for (i = 0; i < np; i++)
			if (bu.verdicts[i] == TWQ_ACK &&
					tcpseg_build_reply(bu.pkts[i], bu.views[i], &bu.replies[i],
							b->tx_offloads) == TCPSEG_OK)
				bu.tx[ntx++] = bu.pkts[i];
		t[4] = rte_rdtsc();
		for (i = 0; i < 4; i++)
			b->chunk_stage[base / CHUNK][i] += t[i + 1] - t[i];
		b->acks += ntx;
		b->bad += n - ntx;
		k = k + BURST >= b->n_mbufs ? 0 : k + BURST;
	}
}

/*
 * Wait until gap_ms have passed since the last pass through the engine ended (with the ACK
 * cap on, gap_ms is at least ack_interval_ms + 1: no entry that pass answered is hit again
 * within the same interval). Called before a pass of kind k, outside its time.
 */
static void
engine_wait(const struct bench *b, enum kind k)
{
	const uint64_t until = b->engine_tsc + (uint64_t)b->gap_ms * b->tsc_per_ms;

	if (b->gap_ms == 0 || (k != K_PATH && k != K_STAGED))
		return;
	while (rte_rdtsc() < until)
		rte_pause();
}

static void
run_kind(struct bench *b, enum kind k)
{
	switch (k) {
	case K_PATH:
	case K_STAGED:
		if (k == K_PATH)
			path_pass(b);
		else
			staged_pass(b);
		b->engine_tsc = rte_rdtsc();
		b->segs += b->n_pkts;
		break;
	case K_SWAP_A:
	case K_SWAP_B:
		swap_pass(b);
		break;
	case K_REINIT:
		reinit_pass(b);
		break;
	}
}

/* ------------------------------------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile q of v[0..n) (sorted in place), linear between order statistics. */
static double
quantile(double *v, unsigned int n, double q)
{
	double pos, frac;
	unsigned int i;

	qsort(v, n, sizeof(*v), cmp_double);
	pos = q * (n - 1);
	i = (unsigned int)pos;
	frac = pos - i;
	return i + 1 < n ? v[i] * (1 - frac) + v[i + 1] * frac : v[i];
}

static void
print_stat(const char *what, const double *src, unsigned int n, const char *unit)
{
	double v[MAX_ROUNDS], med, q1, q3;

	memcpy(v, src, n * sizeof(*v));
	med = quantile(v, n, 0.5);
	q1 = quantile(v, n, 0.25);
	q3 = quantile(v, n, 0.75);
	printf("  %-36s median %8.3f  IQR %8.3f .. %8.3f  (min %.3f, max %.3f) %s\n", what, med, q1,
			q3, v[0], v[n - 1], unit);
}

static int
setup(struct bench *b, uint32_t n_entries, uint32_t seed)
{
	struct twq_params p = {
			.name = "bench_path",
			.socket_id = SOCKET_ID_ANY,
			.capacity = n_entries,
			.capacity6 = TWQ_CAPACITY_MIN,
			.msl_ms = MSL_MS,
			.flags = b->tw_flags,
			.ack_limit = b->ack_limit,
			.ack_interval_ms = b->ack_interval_ms,
	};
	uint32_t *order, i;
	uint64_t now = rte_get_tsc_cycles() / b->tsc_per_ms;

	b->tw = twq_shard_create(&p);
	if (b->tw == NULL) {
		fprintf(stderr, "bench_path: twq_shard_create(%u) failed\n", n_entries);
		return -1;
	}
	for (i = 0; i < n_entries; i++) {
		struct twq_conn c;

		conn_of(i, &c);
		twq_start(b->tw, &c, now, NULL);
	}
	if (twq_shard_count(b->tw, 0) != n_entries) {
		fprintf(stderr, "bench_path: %u entries made, %u wanted\n",
				twq_shard_count(b->tw, 0), n_entries);
		return -1;
	}
	/* Segments to random entries: a fresh permutation of all N for every N segments. */
	order = malloc(sizeof(*order) * n_entries);
	b->tmpl = malloc((size_t)b->n_pkts * SLOT);
	if (order == NULL || b->tmpl == NULL) {
		fprintf(stderr, "bench_path: out of memory for %u templates\n", b->n_pkts);
		free(order);
		return -1;
	}
	rng_state = seed;
	for (i = 0; i < b->n_pkts; i++) {
		uint32_t j = i % n_entries, r, t;
		struct bench_seg s;
		struct twq_conn c;

		if (j == 0) {
			uint32_t q;

			for (q = 0; q < n_entries; q++)
				order[q] = q;
		}
		/* partial Fisher-Yates: order[j] becomes a random one of those not yet taken */
		r = j + (uint32_t)(rng() % (n_entries - j));
		t = order[j];
		order[j] = order[r];
		order[r] = t;
		conn_of(order[j], &c);
		s.saddr = c.key.raddr.v4;
		s.daddr = c.key.laddr.v4;
		s.sport = c.key.rport;
		s.dport = c.key.lport;
		s.seq = c.rcv_nxt;
		s.ack = c.snd_nxt;
		s.tsval = c.ts_recent + 1000u;
		s.tsecr = 1;
		s.payload_len = PAYLOAD;
		b->frame_len = bench_frame_build(b->tmpl + (size_t)i * SLOT, &s);
	}
	free(order);
	b->pool = rte_pktmbuf_pool_create(
			"bench_path", b->n_mbufs, 0, 0, RTE_PKTMBUF_HEADROOM + SLOT, SOCKET_ID_ANY);
	b->mbufs = calloc(b->n_mbufs, sizeof(*b->mbufs));
	b->chunk_tsc = calloc(b->n_pkts / CHUNK + 1, sizeof(*b->chunk_tsc));
	b->chunk_stage = calloc(b->n_pkts / CHUNK + 1, sizeof(*b->chunk_stage));
	if (b->chunk_tsc == NULL || b->chunk_stage == NULL) {
		fprintf(stderr, "bench_path: out of memory\n");
		return -1;
	}
	if (b->pool == NULL || b->mbufs == NULL ||
			rte_pktmbuf_alloc_bulk(b->pool, b->mbufs, b->n_mbufs) != 0) {
		fprintf(stderr, "bench_path: no pool of %u mbufs\n", b->n_mbufs);
		free(b->mbufs); /* rte_pktmbuf_alloc_bulk() takes all K or none */
		b->mbufs = NULL;
		return -1;
	}
	return 0;
}

/*
 * Free what setup(), setup_app() and setup_term() made, after a run or a failed set-up
 * (whatever was not made is NULL): the shard (and --term's table), the listener's response,
 * the mbufs and their pool, the templates and the chunk times.
 */
static void
teardown(struct bench *b)
{
	actx.shards[0].tw = b->tw; /* set by setup_app(), unless it failed before */
	app_shards_free(actx.shards, 1);
	b->tw = NULL;
	app_term_free(&actx);
	/* A frame the worker freed was replaced (path_unanswered()): all K are ours. */
	if (b->mbufs != NULL)
		rte_pktmbuf_free_bulk(b->mbufs, b->n_mbufs);
	free(b->mbufs);
	b->mbufs = NULL;
	rte_mempool_free(b->pool);
	b->pool = NULL;
	free(b->tmpl);
	free(b->chunk_tsc);
	free(b->chunk_stage);
	b->tmpl = NULL;
	b->chunk_tsc = NULL;
	b->chunk_stage = NULL;
}

/* --term: a connection table and one listener, on TERM_PORT (no segment is sent there). */
static int
setup_term(void)
{
	static const char body[] = "bench_path\n";
	struct tcpterm_response_params rp = {
			.name = "bench_path",
			.socket_id = SOCKET_ID_ANY,
			.body = body,
			.body_len = sizeof(body) - 1,
	};
	struct tcpterm_params p = {.name = "bench_path", .socket_id = SOCKET_ID_ANY};
	size_t bytes;

	actx.listen.resp[0] = tcpterm_response_create(&rp);
	if (actx.listen.resp[0] == NULL) {
		fprintf(stderr, "bench_path: tcpterm_response_create failed\n");
		return -1;
	}
	actx.listen.n = 1;
	memset(actx.listen.by_port, -1, sizeof(actx.listen.by_port));
	actx.listen.by_port[TERM_PORT] = 0;
	p.capacity = 1024;
	p.responses = (const struct tcpterm_response *const *)actx.listen.resp;
	p.n_responses = 1;
	return app_shards_term_create(actx.shards, 1, &p, &bytes);
}

/*
 * The appliance as app_worker_burst() sees it: one port with our MAC and 198.18.0.1, the
 * closed-port policy rst without a rate limit, one worker whose shard holds b->tw (the
 * shard's fields are shard.c's: set here as app_shards_create() sets them, so that the
 * engine keeps the bench's parameters).
 */
static int
setup_app(struct bench *b)
{
	char err[160];

	app_clock_init();
	actx.cfg.closed_policy = APP_CLOSED_RST;
	actx.cfg.rst_rate = 0;
	actx.cfg.rst_burst = 1;
	actx.n_ports = 1;
	actx.ports[0].port_id = 0;
	actx.ports[0].tx_offloads = b->tx_offloads;
	actx.n_workers = 1;
	actx.lcores[0] = rte_lcore_id();
	actx.pools[0] = b->pool;
	app_l2_init(&actx.l2[0], &bench_twq_mac, false);
	if (app_l2_add_addresses(&actx.l2[0], "198.18.0.1", err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_path: addresses: %s\n", err);
		return -1;
	}
	rte_spinlock_init(&actx.shards[0].lock);
	actx.shards[0].lcore = rte_lcore_id();
	actx.shards[0].tw = b->tw;
	if (b->term && setup_term() != 0)
		return -1;
	app_term_init(&b->aterm, &actx, 0);
	app_burst_init(&b->abu);
	return 0;
}

/*
 * Median over the full chunks of the last pass of ns per packet: of the chunk's time
 * (stage < 0: the staged pass's four stages summed; 4: chunk_tsc) or of one stage.
 */
static double
chunk_median(const struct bench *b, int stage, double tsc_hz)
{
	static double v[(1u << 26) / CHUNK + 1];
	uint32_t n = b->n_pkts / CHUNK, c;

	if (n == 0)
		n = 1; /* fewer packets than a chunk: the one partial chunk */
	for (c = 0; c < n; c++) {
		uint64_t cyc;

		if (stage == 4)
			cyc = b->chunk_tsc[c];
		else if (stage >= 0)
			cyc = b->chunk_stage[c][stage];
		else
			cyc = b->chunk_stage[c][0] + b->chunk_stage[c][1] + b->chunk_stage[c][2] +
					b->chunk_stage[c][3];
		v[c] = (double)cyc * 1e9 / tsc_hz / RTE_MIN(b->n_pkts, (uint32_t)CHUNK);
	}
	return quantile(v, n, 0.5);
}

/*
 * The first burst through path_burst() once: the reply in the first mbuf must parse as the
 * ACK of its segment (ports and addresses swapped, seq = the segment's ack, ack = its seq),
 * and the worker's counters must show the burst received and passed by L2.
 */
static int
check_reply(struct bench *b)
{
	struct tcpseg_view in, out;
	uint64_t acks = b->acks;

	reinit(b, b->mbufs, 0, BURST);
	if (tcpseg_parse(b->mbufs[0], &in) != TCPSEG_OK)
		goto fail;
	path_burst(b, b->mbufs, BURST);
	b->engine_tsc = rte_rdtsc();
	b->segs += BURST;
	b->mbufs[0]->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	if (b->tx_offloads == 0)
		b->mbufs[0]->ol_flags = 0; /* software checksums: verify them too */
	if (b->acks - acks != BURST || tcpseg_parse(b->mbufs[0], &out) != TCPSEG_OK ||
			out.flags != TCPSEG_ACK || out.seq != in.ack || out.ack != in.seq ||
			out.src.v4 != in.dst.v4 || out.dst.v4 != in.src.v4 ||
			out.sport != in.dport || out.dport != in.sport ||
			!(out.opts.present & TCPSEG_OPT_TS) || out.payload_len != 0)
		goto fail;
	/* The appliance's stages ran: the frames went through L2 and were counted. */
	if (actx.wstats[0].rx != BURST || actx.wstats[0].l2[APP_L2_PASS] != BURST) {
		fprintf(stderr, "bench_path: the worker's counters did not see the burst\n");
		return -1;
	}
	return 0;
fail:
	fprintf(stderr, "bench_path: the first reply is not the ACK of its segment\n");
	return -1;
}

/*
 * After the run: the shard's counters against the bench's counts. Every segment sent
 * through the engine (b->segs) was a lookup hit, and either answered (ack_sent, the replies
 * the bench got) or withheld by the ACK cap (ack_limited, the frames not answered); no
 * other outcome (PAWS, duplicate ACK, RST, ...) counted anything. No ACK may be withheld
 * without the cap, nor with it while every entry is hit at most once per pass (M <= N: the
 * passes are an interval apart, engine_wait()). Prints the counts; -1 on a mismatch.
 */
static int
check_counters(const struct bench *b, uint32_t entries)
{
	uint64_t c[TWQ_CTR_MAX];
	int i, rc = 0;

	twq_counters_read(b->tw, c);
	printf("engine: %" PRIu64 " segments (the first burst's check and every pass): %" PRIu64
	       " answered with an ACK, %" PRIu64 " withheld by the ACK cap; shard counters: "
	       "lookup_hit %" PRIu64 ", ack_sent %" PRIu64 ", ack_limited %" PRIu64 "\n",
			b->segs, b->acks, b->bad, c[TWQ_CTR_LOOKUP_HIT], c[TWQ_CTR_ACK_SENT],
			c[TWQ_CTR_ACK_LIMITED]);
	if (b->acks + b->bad != b->segs || c[TWQ_CTR_LOOKUP_HIT] != b->segs ||
			c[TWQ_CTR_ACK_SENT] != b->acks || c[TWQ_CTR_ACK_LIMITED] != b->bad) {
		fprintf(stderr, "bench_path: the shard's counters do not match the replies\n");
		rc = -1;
	}
	for (i = 0; i < TWQ_CTR_MAX; i++) {
		if (i == TWQ_CTR_LOOKUP_HIT || i == TWQ_CTR_ACK_SENT || i == TWQ_CTR_ACK_LIMITED ||
				(i == TWQ_CTR_STARTED && c[i] == entries))
			continue;
		if (c[i] != 0) {
			fprintf(stderr, "bench_path: shard counter %s is %" PRIu64 "\n",
					twq_counter_name((enum twq_counter)i), c[i]);
			rc = -1;
		}
	}
	if (b->bad != 0 && (b->ack_limit == 0 || b->n_pkts <= entries)) {
		fprintf(stderr, "bench_path: %" PRIu64 " segments not answered with an ACK\n",
				b->bad);
		rc = -1;
	}
	return rc;
}

static void
usage(void)
{
	fprintf(stderr,
			"usage: bench_path [--entries N] [--packets M] [--rounds R] [--mbufs K] "
			"[--offload] [--hugepages] [--seed S] [--term] [--paws] [--ack-limit N] "
			"[--ack-interval-ms MS] [--engine-gap-ms G] [--only path|swap|reinit]\n");
}

static bool
parse_u32(const char *arg, const char *what, uint32_t lo, uint32_t hi, uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "bench_path: bad %s '%s' (%u to %u)\n", what, arg, lo, hi);
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
			{"entries", required_argument, NULL, 'e'},
			{"packets", required_argument, NULL, 'p'},
			{"rounds", required_argument, NULL, 'r'},
			{"mbufs", required_argument, NULL, 'k'},
			{"seed", required_argument, NULL, 's'},
			{"offload", no_argument, NULL, 'o'},
			{"term", no_argument, NULL, 't'},
			{"hugepages", no_argument, NULL, 'g'},
			{"only", required_argument, NULL, 'x'},
			{"paws", no_argument, NULL, 'P'},
			{"ack-limit", required_argument, NULL, 'L'},
			{"ack-interval-ms", required_argument, NULL, 'I'},
			{"engine-gap-ms", required_argument, NULL, 'G'},
			{"help", no_argument, NULL, 'h'},
			{NULL, 0, NULL, 0},
	};
	static const char *const stage_names[4] = {"stage reinit", "stage parse",
			"stage twq_input_burst", "stage build_reply"};
	static double ns[2][N_KINDS][MAX_ROUNDS], ratio[2][4][MAX_ROUNDS], stage_ns[4][MAX_ROUNDS];
	struct bench b = {.n_pkts = 1000000, .n_mbufs = 1024, .ack_interval_ms = 500};
	uint32_t entries = 1000000, rounds = 0, seed = 1, r, i;
	uint64_t acks0, bad0;
	bool offload = false, huge = false;
	int only = -1, opt, k, rc = 1;
	unsigned int mem_mb;
	double tsc_hz;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		bool ok = true;

		switch (opt) {
		case 'e':
			ok = parse_u32(optarg, "--entries", TWQ_CAPACITY_MIN, 1u << 26, &entries);
			break;
		case 'p':
			ok = parse_u32(optarg, "--packets", BURST, 1u << 26, &b.n_pkts);
			break;
		case 'r':
			ok = parse_u32(optarg, "--rounds", 1, MAX_ROUNDS, &rounds);
			break;
		case 'k':
			ok = parse_u32(optarg, "--mbufs", BURST, 1u << 20, &b.n_mbufs);
			break;
		case 's':
			ok = parse_u32(optarg, "--seed", 0, UINT32_MAX, &seed);
			break;
		case 'o':
			offload = true;
			break;
		case 't':
			b.term = true;
			break;
		case 'g':
			huge = true;
			break;
		case 'P':
			b.tw_flags |= TWQ_F_PAWS;
			break;
		case 'L':
			ok = parse_u32(optarg, "--ack-limit", 0, APP_ACK_LIMIT_MAX, &b.ack_limit);
			break;
		case 'I':
			ok = parse_u32(optarg, "--ack-interval-ms", 1, 60000, &b.ack_interval_ms);
			break;
		case 'G':
			ok = parse_u32(optarg, "--engine-gap-ms", 0, 60001, &b.gap_ms);
			break;
		case 'x':
			only = strcmp(optarg, "path") == 0              ? K_PATH
					: strcmp(optarg, "swap") == 0   ? K_SWAP_A
					: strcmp(optarg, "reinit") == 0 ? K_REINIT
									: -1;
			ok = only >= 0;
			if (!ok)
				fprintf(stderr, "bench_path: bad --only '%s'\n", optarg);
			break;
		default:
			usage();
			return opt == 'h' ? 0 : 2;
		}
		if (!ok)
			return 2;
	}
	if (optind != argc) {
		usage();
		return 2;
	}
	if (rounds == 0)
		rounds = only >= 0 ? 1 : 25;
	b.n_mbufs = (b.n_mbufs + BURST - 1) / BURST * BURST;
	if (b.ack_limit != 0 && b.gap_ms < b.ack_interval_ms + 1)
		b.gap_ms = b.ack_interval_ms + 1;
	if (offload) {
		b.rx_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		b.tx_offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM;
	}
	mem_mb = 128 + (unsigned int)(twq_shard_memory_needed(entries, TWQ_CAPACITY_MIN) >> 20) +
			(unsigned int)(((uint64_t)b.n_mbufs *
						       (RTE_PKTMBUF_HEADROOM + SLOT + 256)) >>
					20);
	if (test_eal_init_huge("bench_path", mem_mb, huge) < 0)
		return 1;
	tsc_hz = (double)rte_get_tsc_hz();
	b.tsc_per_ms = rte_get_tsc_hz() / 1000;
	rte_spinlock_init(&b.lock);
	if (setup(&b, entries, seed) < 0 || setup_app(&b) < 0 || check_reply(&b) < 0)
		goto out;

	if (only >= 0) {
		uint64_t t0, tsc = 0, acks0 = b.acks, bad0 = b.bad;

		for (r = 0; r < rounds; r++) {
			engine_wait(&b, (enum kind)only); /* not timed, nor in callgrind's count */
			t0 = rte_rdtsc();
			run_kind(&b, (enum kind)only);
			tsc += rte_rdtsc() - t0;
		}
		printf("bench_path --only %s: %u passes of %u packets, %.2f ns/packet, %" PRIu64
		       " replies, %" PRIu64 " not answered\n",
				kind_names[only], rounds, b.n_pkts,
				(double)tsc * 1e9 / tsc_hz / rounds / b.n_pkts, b.acks - acks0,
				b.bad - bad0);
		rc = check_counters(&b, entries) != 0;
		goto out;
	}

	printf("bench_path: %u IPv4 entries (%.1f MB shard), %u segments of %u bytes to random "
	       "entries (distinct up to N), %u mbufs reused, burst %d, %s checksums, TSC %.3f "
	       "GHz, %u rounds%s%s",
			entries, (double)twq_shard_memory(b.tw) / 1e6, b.n_pkts, b.frame_len,
			b.n_mbufs, BURST,
			offload ? "offloaded (RX good flags, TX offload)" : "software",
			tsc_hz / 1e9, rounds, b.term ? ", termination path on" : "",
			b.tw_flags & TWQ_F_PAWS ? ", PAWS on" : "");
	if (b.ack_limit != 0)
		printf(", ACK cap %u per %u ms", b.ack_limit, b.ack_interval_ms);
	if (b.gap_ms != 0)
		printf(", engine passes %u ms apart (not timed)", b.gap_ms);
	printf("\n");
	for (k = 0; k < N_KINDS; k++) {
		engine_wait(&b, (enum kind)k);
		run_kind(&b, (enum kind)k); /* warm-up */
	}
	acks0 = b.acks;
	bad0 = b.bad;
	for (r = 0; r < rounds; r++) {
		enum kind order[N_KINDS];

		/* a fresh random order every round: no kind always follows another */
		for (k = 0; k < N_KINDS; k++)
			order[k] = (enum kind)k;
		for (k = N_KINDS - 1; k > 0; k--) {
			const int j = (int)(rng() % (uint64_t)(k + 1));
			const enum kind t = order[k];

			order[k] = order[j];
			order[j] = t;
		}
		for (k = 0; k < N_KINDS; k++) {
			const enum kind kk = order[k];
			uint64_t t0;

			engine_wait(&b, kk);
			t0 = rte_rdtsc();
			run_kind(&b, kk);
			ns[0][kk][r] = (double)(rte_rdtsc() - t0) * 1e9 / tsc_hz / b.n_pkts;
			ns[1][kk][r] = chunk_median(&b, kk == K_STAGED ? -1 : 4, tsc_hz);
			if (kk == K_STAGED)
				for (i = 0; i < 4; i++)
					stage_ns[i][r] = chunk_median(&b, (int)i, tsc_hz);
		}
		for (i = 0; i < 2; i++) {
			ratio[i][0][r] = ns[i][K_SWAP_A][r] / ns[i][K_PATH][r];
			ratio[i][1][r] = ns[i][K_SWAP_B][r] / ns[i][K_SWAP_A][r];
			ratio[i][2][r] = (ns[i][K_SWAP_A][r] - ns[i][K_REINIT][r]) /
					(ns[i][K_PATH][r] - ns[i][K_REINIT][r]);
			ratio[i][3][r] = ns[i][K_PATH][r] - ns[i][K_REINIT][r];
		}
	}
	for (i = 0; i < 2; i++) {
		printf("%s, ns per packet, %u rounds:\n",
				i == 0 ? "whole passes (every time slice lost to other processes "
					 "counts)"
				       : "median of the 1024-packet chunks of each pass (robust to "
					 "time slices lost)",
				rounds);
		for (k = 0; k < N_KINDS; k++)
			print_stat(kind_names[k], ns[i][k], rounds, "ns");
		print_stat("path - reinit", ratio[i][3], rounds, "ns");
		print_stat("ratio swap A / path (path speed)", ratio[i][0], rounds, "");
		print_stat("A/A: swap B / swap A", ratio[i][1], rounds, "");
		print_stat("(swap A - reinit) / (path - reinit)", ratio[i][2], rounds, "");
	}
	printf("staged pass, median of its chunks per stage, ns per packet (4 TSC reads per burst "
	       "included):\n");
	for (i = 0; i < 4; i++)
		print_stat(stage_names[i], stage_ns[i], rounds, "ns");
	printf("replies built %" PRIu64 " of %" PRIu64
	       " (path and staged passes), not answered %" PRIu64 "\n",
			b.acks - acks0, (uint64_t)rounds * b.n_pkts * 2, b.bad - bad0);
	if (check_counters(&b, entries) != 0)
		goto out;
	if (b.acks - acks0 + b.bad - bad0 != (uint64_t)rounds * b.n_pkts * 2) {
		fprintf(stderr, "bench_path: some segments were neither answered nor withheld\n");
		goto out;
	}
	rc = 0;
out:
	teardown(&b);
	return rc;
}
