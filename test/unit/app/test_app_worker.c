/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * app_worker_burst() (app/worker.c): a burst that TIME_WAIT claims whole (every segment an
 * entry's ACK: the later stages are skipped) and a burst that needs them all (a frame for
 * another MAC, a segment without an entry) give the same reply bytes for the same hits, in
 * receive order, with the closed-port RST and the counters of the general path. The clock is
 * held still (app_tsc_per_ms huge) so that the TSvals of both runs are equal.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <tcpseg.h>
#include <twq.h>

#include "app.h"
#include "clock.h"
#include "term.h"
#include "test_eal.h"
#include "worker_burst.h"

#include "../../bench/bench_frame.h"

#define N_ENTRIES 8
#define LADDR     0xc6120001u /* 198.18.0.1 */
#define NOW_MS    5000000u

static struct app_ctx ctx;
static struct app_term term;
static struct app_burst bu;
static struct rte_mempool *pool;

/* Entry i: peer 198.18.1.i port 40000 + i, timestamps on. */
static void
conn_of(uint32_t i, struct twq_conn *c)
{
	memset(c, 0, sizeof(*c));
	c->key.laddr.v4 = rte_cpu_to_be_32(LADDR);
	c->key.raddr.v4 = rte_cpu_to_be_32(0xc6120100u + i);
	c->key.lport = 80;
	c->key.rport = (uint16_t)(40000 + i);
	c->snd_nxt = 1000000u * (i + 1);
	c->rcv_nxt = 7000000u * (i + 1);
	c->rcv_adv = c->rcv_nxt + 65535u;
	c->ts_recent = 100 + i;
	c->ts_offset = 12345u * (i + 1);
	c->flags = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
}

static struct twq_shard *
shard_new(void)
{
	static unsigned int k;
	char name[32];
	struct twq_params p = {
			.name = name,
			.socket_id = SOCKET_ID_ANY,
			.capacity = TWQ_CAPACITY_MIN,
			.capacity6 = TWQ_CAPACITY_MIN,
			.msl_ms = 30000,
	};
	struct twq_shard *s;
	uint32_t i;

	snprintf(name, sizeof(name), "test_worker%u", k++);
	s = twq_shard_create(&p);
	assert_non_null(s);
	for (i = 0; i < N_ENTRIES; i++) {
		struct twq_conn c;

		conn_of(i, &c);
		assert_int_equal(twq_start(s, &c, NOW_MS, NULL), TWQ_START_OK);
	}
	return s;
}

/* A data segment to entry i (i >= N_ENTRIES: no entry), in a fresh mbuf. */
static struct rte_mbuf *
seg_to(uint32_t i, bool other_mac)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct bench_seg s;
	struct twq_conn c;
	uint8_t *p;

	assert_non_null(m);
	conn_of(i, &c);
	s.saddr = c.key.raddr.v4;
	s.daddr = c.key.laddr.v4;
	s.sport = c.key.rport;
	s.dport = c.key.lport;
	s.seq = c.rcv_nxt;
	s.ack = c.snd_nxt;
	s.tsval = c.ts_recent + 1;
	s.tsecr = 1;
	s.payload_len = 10;
	p = (uint8_t *)rte_pktmbuf_append(m, BENCH_FRAME_MAX);
	assert_non_null(p);
	rte_pktmbuf_trim(m, (uint16_t)(BENCH_FRAME_MAX - bench_frame_build(p, &s)));
	if (other_mac)
		p[5] = 0x77;
	return m;
}

static int
setup(void **state)
{
	char err[128];

	(void)state;
	if (test_eal_init("test_app_worker", 64) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create(
			"test_worker", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	/* The clock stands still at NOW_MS: rdtsc / UINT64_MAX is 0. */
	app_tsc_per_ms = UINT64_MAX;
	app_clock_base_ms = NOW_MS;
	ctx.cfg.closed_policy = APP_CLOSED_RST;
	ctx.cfg.rst_burst = 1;
	ctx.n_ports = 1;
	ctx.n_workers = 1;
	ctx.lcores[0] = rte_lcore_id();
	ctx.pools[0] = pool;
	app_l2_init(&ctx.l2[0], &bench_twq_mac, false);
	if (app_l2_add_addresses(&ctx.l2[0], "198.18.0.1", err, sizeof(err)) != 0)
		return -1;
	rte_spinlock_init(&ctx.shards[0].lock);
	ctx.shards[0].lcore = rte_lcore_id();
	app_term_init(&term, &ctx, 0);
	app_burst_init(&bu);
	return 0;
}

/* Run frames through app_worker_burst() on a fresh shard; the replies' bytes in out[]. */
static uint16_t
run(struct rte_mbuf **rx, uint16_t n, uint8_t out[][BENCH_FRAME_MAX], uint16_t *len)
{
	struct twq_shard *s = shard_new();
	uint16_t ntx, i;

	ctx.shards[0].tw = s;
	memcpy(bu.rx, rx, n * sizeof(*rx));
	ntx = app_worker_burst(&ctx, &ctx.shards[0], &ctx.wstats[0], 0, &bu, &term, n);
	for (i = 0; i < ntx; i++) {
		len[i] = (uint16_t)rte_pktmbuf_pkt_len(bu.tx[i]);
		assert_true(len[i] <= BENCH_FRAME_MAX);
		memcpy(out[i], rte_pktmbuf_mtod(bu.tx[i], void *), len[i]);
	}
	rte_pktmbuf_free_bulk(bu.tx, ntx);
	ctx.shards[0].tw = NULL;
	twq_shard_free(s);
	return ntx;
}

static void
test_all_ack_and_general(void **state)
{
	static uint8_t a[APP_BURST][BENCH_FRAME_MAX], g[APP_BURST][BENCH_FRAME_MAX];
	const struct app_worker_stats *st = &ctx.wstats[0];
	uint16_t alen[APP_BURST], glen[APP_BURST], i;
	struct rte_mbuf *rx[APP_BURST];
	struct app_worker_stats before;
	struct tcpseg_view v;
	struct rte_mbuf *m;

	(void)state;
	/* All hits: the TIME_WAIT stage claims every one. */
	for (i = 0; i < 4; i++)
		rx[i] = seg_to(i, false);
	before = *st;
	assert_int_equal(run(rx, 4, a, alen), 4);
	assert_int_equal(st->rx - before.rx, 4);
	assert_int_equal(st->l2[APP_L2_PASS] - before.l2[APP_L2_PASS], 4);
	assert_int_equal(st->closed_rst - before.closed_rst, 0);

	/* The same hits among a frame for another MAC and a segment without an entry. */
	rx[0] = seg_to(0, false);
	rx[1] = seg_to(1, true);
	rx[2] = seg_to(1, false);
	rx[3] = seg_to(N_ENTRIES, false);
	rx[4] = seg_to(2, false);
	rx[5] = seg_to(3, false);
	before = *st;
	assert_int_equal(run(rx, 6, g, glen), 5);
	assert_int_equal(st->rx - before.rx, 6);
	assert_int_equal(st->l2[APP_L2_PASS] - before.l2[APP_L2_PASS], 5);
	assert_int_equal(st->l2[APP_L2_NOT_OUR_MAC] - before.l2[APP_L2_NOT_OUR_MAC], 1);
	assert_int_equal(st->closed_rst - before.closed_rst, 1);
	assert_int_equal(st->closed_drop - before.closed_drop, 0);

	/* tx order is receive order: hit 0, hit 1, the RST, hit 2, hit 3. */
	for (i = 0; i < 4; i++) {
		const uint16_t j = i < 2 ? i : (uint16_t)(i + 1);

		assert_int_equal(alen[i], glen[j]);
		assert_memory_equal(a[i], g[j], alen[i]);
	}
	m = rte_pktmbuf_alloc(pool);
	assert_non_null(m);
	memcpy(rte_pktmbuf_append(m, glen[2]), g[2], glen[2]);
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	assert_true(v.flags & TCPSEG_RST);
	assert_int_equal(v.dport, 40000 + N_ENTRIES);
	rte_pktmbuf_free(m);
	/* Every mbuf is back: the dropped frame was freed, the replies by run(). */
	assert_int_equal(rte_mempool_avail_count(pool), 255);
}

/* Sum of the parse drop counters. */
static uint64_t
parse_drops(const struct app_worker_stats *st)
{
	uint64_t sum = 0;
	unsigned int r;

	for (r = 0; r < TCPSEG_REASON_MAX; r++)
		sum += st->drop[r];
	return sum;
}

/*
 * A frame that the common case (parse, then app_l2_parsed_ours()) does not take, at each
 * place of a burst of hits: from it on, the general loop (L2, then parse) decides. Every
 * frame gets the result and the counter of L2's and parse's order; the hits' replies are
 * the bytes of a burst of hits alone.
 */
static void
test_fast_to_general(void **state)
{
	static uint8_t a[APP_BURST][BENCH_FRAME_MAX], g[APP_BURST][BENCH_FRAME_MAX];
	const struct app_worker_stats *st = &ctx.wstats[0];
	uint16_t alen[APP_BURST], glen[APP_BURST], i, pos, kind;
	struct rte_mbuf *rx[APP_BURST];

	(void)state;
	for (i = 0; i < 4; i++)
		rx[i] = seg_to(i, false);
	assert_int_equal(run(rx, 4, a, alen), 4);
	for (kind = 0; kind < 3; kind++) {
		for (pos = 0; pos < 4; pos++) {
			struct app_worker_stats before = *st;
			uint16_t j = 0;

			for (i = 0; i < 4; i++)
				rx[i] = seg_to(i, false);
			if (kind == 0) /* our own MAC as the source: BAD_SRC_MAC */
				memcpy(rte_pktmbuf_mtod_offset(rx[pos], void *, 6), &bench_twq_mac,
						6);
			else if (kind == 1) /* cut inside TCP: L2 passes it, parse drops it */
				rte_pktmbuf_trim(rx[pos],
						(uint16_t)(rte_pktmbuf_pkt_len(rx[pos]) - 40));
			else /* to another unicast MAC */
				rte_pktmbuf_mtod(rx[pos], uint8_t *)[5] = 0x77;
			assert_int_equal(run(rx, 4, g, glen), 3);
			assert_int_equal(st->rx - before.rx, 4);
			assert_int_equal(st->l2[APP_L2_PASS] - before.l2[APP_L2_PASS],
					kind == 1 ? 4 : 3);
			assert_int_equal(st->l2[APP_L2_BAD_SRC_MAC] - before.l2[APP_L2_BAD_SRC_MAC],
					kind == 0);
			assert_int_equal(st->l2[APP_L2_NOT_OUR_MAC] - before.l2[APP_L2_NOT_OUR_MAC],
					kind == 2);
			assert_int_equal(parse_drops(st) - parse_drops(&before), kind == 1);
			assert_int_equal(st->closed_rst - before.closed_rst, 0);
			for (i = 0; i < 4; i++) {
				if (i == pos)
					continue;
				assert_int_equal(alen[i], glen[j]);
				assert_memory_equal(a[i], g[j], alen[i]);
				j++;
			}
			assert_int_equal(rte_mempool_avail_count(pool), 255);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_all_ack_and_general),
			cmocka_unit_test(test_fast_to_general),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
