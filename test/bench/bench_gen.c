/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_gen: the appliance benchmark's traffic generator (test/bench/bench_appliance.py).
 *
 *   bench_gen EAL-OPTIONS -- [--entries N] [--segments S] [--payload B] [--seed X]
 *                            [--rate PPS] [--reflect] [--queues Q]
 *
 * On port 0 (one memif vdev, given in the EAL options), Q RX/TX queue pairs (default 1), one
 * lcore per queue (the EAL must give Q lcores: the main lcore serves queue 0, the next worker
 * lcores queues 1..Q-1). With Q > 1 each frame goes to the queue dpdk-twq's [ports] rss = off
 * expects it on (app/rss.c, app_flow_worker()): rte_softrss() of (peer address, local address,
 * peer port, local port), all in CPU order, with the key 0x6d, 0x5a repeated, modulo Q. The
 * same function puts each entry of a --load state file in the shard of that worker, so each
 * queue carries exactly the segments of the entries its worker holds.
 *   default    sends S (default N, at least 1) pre-built data segments, one to each of S
 *              entries in a random order, over and over: ACK|PSH, seq = rcv_nxt, ack =
 *              snd_nxt, timestamps, B bytes of payload, to the entries bench_appliance.py
 *              writes into its state file (entry_of() there, replicated below), so each one
 *              gets an ACK. The frames are built once, each in its own mbuf; a burst takes
 *              the next 32 of the ring, adds a reference to each (rte_mbuf_refcnt_update)
 *              and hands them to rte_eth_tx_burst(), which copies them into the memif ring
 *              and drops that reference: the cost per frame is the memif TX alone, nothing
 *              is built per frame. What memif did not take keeps its place for the next
 *              burst (nothing is dropped: a full ring is back-pressure from the side under
 *              test). What comes back is received, counted and freed. --rate paces to PPS
 *              frames per second (TSC; PPS / Q per queue); without it the generator sends
 *              as fast as it can.
 *   --reflect  sends every frame received back with its MAC addresses swapped (an in-house
 *              macswap, for a ceiling or an A/A control without testpmd).
 * Counters (frames sent and received, bursts, bursts that memif did not take whole; totals,
 * and per queue as q<i>_tx, q<i>_rx, q<i>_bursts, q<i>_short_bursts, q<i>_frames) are in the
 * telemetry command /bench_gen/stats, beside the ethdev's /ethdev/stats,0. Stops on SIGINT or
 * SIGTERM and prints its totals.
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_telemetry.h>
#include <rte_thash.h>

#include "bench_frame.h"

#define BURST       32
#define RING_SZ     1024
#define LADDR       0xc6120001u /* 198.18.0.1 */
#define LPORT       80
#define MAX_Q       8
#define RSS_KEY_LEN 40 /* app/app.h APP_RSS_KEY_LEN; the key is 0x6d, 0x5a repeated */

static volatile sig_atomic_t quit;

/* One queue's counters, written by its lcore alone, read by the telemetry thread. */
struct gen_stats {
	uint64_t tx, rx, bursts, short_bursts;
} __rte_cache_aligned;

static struct gen_stats stats[MAX_Q];
static uint32_t n_queues = 1;
static uint32_t q_frames[MAX_Q]; /* frames in each queue's ring */

static void
on_signal(int sig)
{
	RTE_SET_USED(sig);
	quit = 1;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t tot[4] = {0}, v[4];
	char key[32];
	uint32_t q;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "queues", n_queues);
	for (q = 0; q < n_queues; q++) {
		v[0] = __atomic_load_n(&stats[q].tx, __ATOMIC_RELAXED);
		v[1] = __atomic_load_n(&stats[q].rx, __ATOMIC_RELAXED);
		v[2] = __atomic_load_n(&stats[q].bursts, __ATOMIC_RELAXED);
		v[3] = __atomic_load_n(&stats[q].short_bursts, __ATOMIC_RELAXED);
		snprintf(key, sizeof(key), "q%u_tx", q);
		rte_tel_data_add_dict_u64(d, key, v[0]);
		snprintf(key, sizeof(key), "q%u_rx", q);
		rte_tel_data_add_dict_u64(d, key, v[1]);
		snprintf(key, sizeof(key), "q%u_bursts", q);
		rte_tel_data_add_dict_u64(d, key, v[2]);
		snprintf(key, sizeof(key), "q%u_short_bursts", q);
		rte_tel_data_add_dict_u64(d, key, v[3]);
		snprintf(key, sizeof(key), "q%u_frames", q);
		rte_tel_data_add_dict_u64(d, key, q_frames[q]);
		tot[0] += v[0];
		tot[1] += v[1];
		tot[2] += v[2];
		tot[3] += v[3];
	}
	rte_tel_data_add_dict_u64(d, "tx", tot[0]);
	rte_tel_data_add_dict_u64(d, "rx", tot[1]);
	rte_tel_data_add_dict_u64(d, "bursts", tot[2]);
	rte_tel_data_add_dict_u64(d, "short_bursts", tot[3]);
	return 0;
}

/* The worker of the flow of @p s: app_flow_worker() (app/rss.c) for IPv4, the tuple as it
 * arrives (source = the peer) in CPU order, the app's symmetric key, modulo @p nq. */
static uint32_t
queue_of(const struct bench_seg *s, uint32_t nq)
{
	static uint8_t key[RSS_KEY_LEN];
	union rte_thash_tuple t;
	unsigned int i;

	if (nq <= 1)
		return 0;
	for (i = 0; i < RSS_KEY_LEN; i++)
		key[i] = (i & 1) ? 0x5a : 0x6d;
	memset(&t, 0, sizeof(t));
	t.v4.src_addr = rte_be_to_cpu_32(s->saddr);
	t.v4.dst_addr = rte_be_to_cpu_32(s->daddr);
	t.v4.sport = s->sport;
	t.v4.dport = s->dport;
	return rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, key) % nq;
}

/* bench_appliance.py's entry_of(i), the segment segments.Flow.data() sends to it. */
static void
seg_of(uint32_t i, uint16_t payload, struct bench_seg *s)
{
	const uint32_t a = i & 0xffffu;
	const uint32_t snd_nxt = i * 2654435761u + 1u;

	s->saddr = rte_cpu_to_be_32(0xc6130000u | a); /* 198.19.(a >> 8).(a & 255) */
	s->daddr = rte_cpu_to_be_32(LADDR);
	s->sport = (uint16_t)(1024u + ((i >> 16) + 17u * a) % 64000u);
	s->dport = LPORT;
	s->seq = i * 40503u + 12345u; /* rcv_nxt */
	s->ack = snd_nxt;
	s->tsval = i * 7u + 100u + 1000u; /* the peer's TSval: t_recent + 1000 */
	s->tsecr = snd_nxt != 0;
	s->payload_len = payload;
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

/*
 * S frames for entries in a random order (a permutation of all N, the first S of it), split
 * by queue_of() into one ring per queue, each keeping that order: ring[q] points into one
 * array of S, at q_start[q], q_frames[q] long.
 */
static struct rte_mbuf **
build_ring(struct rte_mempool *mp, uint32_t n_entries, uint32_t n_segs, uint16_t payload,
		uint32_t *q_start)
{
	struct rte_mbuf **ring = calloc(n_segs, sizeof(*ring));
	struct rte_mbuf **out = calloc(n_segs, sizeof(*out));
	uint8_t *qof = malloc(n_segs);
	uint32_t *order = malloc(sizeof(*order) * n_entries), i, q, fill[MAX_Q];

	if (ring == NULL || out == NULL || qof == NULL || order == NULL ||
			rte_pktmbuf_alloc_bulk(mp, ring, n_segs) != 0) {
		fprintf(stderr, "bench_gen: no memory for %u frames (raise EAL -m)\n", n_segs);
		exit(1);
	}
	for (i = 0; i < n_entries; i++)
		order[i] = i;
	for (i = 0; i < n_segs; i++) {
		const uint32_t j = i % n_entries;
		uint32_t r = j + (uint32_t)(rng() % (n_entries - j)), t;
		struct bench_seg s;
		uint16_t len;

		t = order[j];
		order[j] = order[r];
		order[r] = t;
		seg_of(order[j], payload, &s);
		len = bench_frame_build(rte_pktmbuf_mtod(ring[i], uint8_t *), &s);
		ring[i]->data_len = len;
		ring[i]->pkt_len = len;
		qof[i] = (uint8_t)queue_of(&s, n_queues);
		q_frames[qof[i]]++;
	}
	for (q = 0, i = 0; q < n_queues; q++) {
		q_start[q] = i;
		fill[q] = i;
		i += q_frames[q];
	}
	for (i = 0; i < n_segs; i++)
		out[fill[qof[i]]++] = ring[i];
	free(order);
	free(qof);
	free(ring);
	return out;
}

/* Not inlined: callgrind's --toggle-collect=send_loop names it. */
static __rte_noinline void
send_loop(uint16_t port, uint16_t q, struct rte_mbuf **ring, uint32_t n_segs, uint64_t rate)
{
	struct gen_stats *st = &stats[q];
	const uint64_t hz = rte_get_tsc_hz();
	const uint64_t t0 = rte_get_tsc_cycles();
	struct rte_mbuf *rx[BURST];
	uint64_t sent_total = 0;
	uint32_t cur = 0;

	while (!quit) {
		uint16_t want = BURST, sent, n, i;

		if (rate != 0) {
			const uint64_t due = (rte_get_tsc_cycles() - t0) * rate / hz;

			want = (uint16_t)RTE_MIN(due - RTE_MIN(due, sent_total), (uint64_t)BURST);
		}
		want = (uint16_t)RTE_MIN((uint32_t)want, n_segs - cur);
		if (want != 0) {
			for (i = 0; i < want; i++)
				rte_mbuf_refcnt_update(ring[cur + i], 1);
			sent = rte_eth_tx_burst(port, q, &ring[cur], want);
			for (i = sent; i < want; i++)
				rte_mbuf_refcnt_update(ring[cur + i], -1);
			cur = cur + sent == n_segs ? 0 : cur + sent;
			sent_total += sent;
			__atomic_store_n(&st->tx, st->tx + sent, __ATOMIC_RELAXED);
			__atomic_store_n(&st->bursts, st->bursts + 1, __ATOMIC_RELAXED);
			if (sent < want)
				__atomic_store_n(&st->short_bursts, st->short_bursts + 1,
						__ATOMIC_RELAXED);
		}
		n = rte_eth_rx_burst(port, q, rx, BURST);
		if (n != 0) {
			__atomic_store_n(&st->rx, st->rx + n, __ATOMIC_RELAXED);
			rte_pktmbuf_free_bulk(rx, n);
		}
	}
}

static __rte_noinline void
reflect_loop(uint16_t port, uint16_t q)
{
	struct gen_stats *st = &stats[q];
	struct rte_mbuf *rx[BURST];

	while (!quit) {
		uint16_t n = rte_eth_rx_burst(port, q, rx, BURST), i, sent;

		if (n == 0)
			continue;
		for (i = 0; i < n; i++) {
			struct rte_ether_hdr *eth = rte_pktmbuf_mtod(rx[i], struct rte_ether_hdr *);
			struct rte_ether_addr t = eth->dst_addr;

			eth->dst_addr = eth->src_addr;
			eth->src_addr = t;
		}
		sent = rte_eth_tx_burst(port, q, rx, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(&rx[sent], n - sent);
		__atomic_store_n(&st->rx, st->rx + n, __ATOMIC_RELAXED);
		__atomic_store_n(&st->tx, st->tx + sent, __ATOMIC_RELAXED);
		__atomic_store_n(&st->bursts, st->bursts + 1, __ATOMIC_RELAXED);
		if (sent < n)
			__atomic_store_n(&st->short_bursts, st->short_bursts + 1, __ATOMIC_RELAXED);
	}
}

/* What each lcore runs: its queue's loop. */
struct lcore_job {
	struct rte_mbuf **ring;
	uint32_t n_segs;
	uint64_t rate;
	bool reflect;
};

static struct lcore_job jobs[MAX_Q];
static uint16_t q_of_lcore[RTE_MAX_LCORE];

static int
lcore_main(void *arg)
{
	const uint16_t q = q_of_lcore[rte_lcore_id()];
	const struct lcore_job *j = &jobs[q];

	RTE_SET_USED(arg);
	if (j->reflect)
		reflect_loop(0, q);
	else
		send_loop(0, q, j->ring, j->n_segs, j->rate);
	return 0;
}

static int
port_start(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	struct rte_eth_link link;
	int ret, i;

	uint16_t q;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, (uint16_t)n_queues, (uint16_t)n_queues, &conf);
	for (q = 0; ret == 0 && q < n_queues; q++) {
		ret = rte_eth_rx_queue_setup(
				port, q, RING_SZ, rte_eth_dev_socket_id(port), NULL, mp);
		if (ret == 0)
			ret = rte_eth_tx_queue_setup(
					port, q, RING_SZ, rte_eth_dev_socket_id(port), NULL);
	}
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	if (ret != 0) {
		fprintf(stderr, "bench_gen: port %u: %s\n", port, rte_strerror(-ret));
		return -1;
	}
	/* memif: the link comes up when the peer connects */
	for (i = 0; i < 600 && !quit; i++) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return 0;
		rte_delay_ms(100);
	}
	fprintf(stderr, "bench_gen: port %u: link not up after 60 s (is the peer there?)\n", port);
	return -1;
}

static bool
parse_u64(const char *arg, const char *what, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "bench_gen: bad %s '%s' (%" PRIu64 " to %" PRIu64 ")\n", what, arg,
				lo, hi);
		return false;
	}
	*out = v;
	return true;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
			{"entries", required_argument, NULL, 'e'},
			{"segments", required_argument, NULL, 's'},
			{"payload", required_argument, NULL, 'p'},
			{"seed", required_argument, NULL, 'x'},
			{"rate", required_argument, NULL, 'r'},
			{"reflect", no_argument, NULL, 'f'},
			{"queues", required_argument, NULL, 'q'},
			{NULL, 0, NULL, 0},
	};
	uint64_t entries = 1000000, segs = 0, payload = 16, seed = 1, rate = 0, nq = 1;
	struct rte_mbuf **ring = NULL;
	uint32_t q_start[MAX_Q] = {0}, q, lc;
	uint64_t tx = 0, rx = 0, bursts = 0, shorts = 0;
	struct rte_mempool *mp;
	bool reflect = false;
	int ret, opt;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "bench_gen: rte_eal_init: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		bool ok = false;

		switch (opt) {
		case 'e':
			ok = parse_u64(optarg, "--entries", 1, 1u << 26, &entries);
			break;
		case 's':
			ok = parse_u64(optarg, "--segments", 1, 1u << 26, &segs);
			break;
		case 'p':
			ok = parse_u64(optarg, "--payload", 0, BENCH_PAYLOAD_MAX, &payload);
			break;
		case 'x':
			ok = parse_u64(optarg, "--seed", 0, UINT64_MAX, &seed);
			break;
		case 'r':
			ok = parse_u64(optarg, "--rate", 1, 1000000000ull, &rate);
			break;
		case 'f':
			reflect = ok = true;
			break;
		case 'q':
			ok = parse_u64(optarg, "--queues", 1, MAX_Q, &nq);
			break;
		default:
			break;
		}
		if (!ok) {
			fprintf(stderr,
					"usage: bench_gen EAL-OPTIONS -- [--entries N] [--segments "
					"S] "
					"[--payload B] [--seed X] [--rate PPS] [--reflect]\n");
			return 2;
		}
	}
	if (rte_eth_dev_count_avail() != 1) {
		fprintf(stderr, "bench_gen: %u ports, want exactly one (--vdev net_memif0,...)\n",
				rte_eth_dev_count_avail());
		return 1;
	}
	n_queues = (uint32_t)nq;
	if (rte_lcore_count() < n_queues) {
		fprintf(stderr,
				"bench_gen: --queues %u needs %u lcores, the EAL gave %u "
				"(-l/--lcores)\n",
				n_queues, n_queues, rte_lcore_count());
		return 2;
	}
	if (segs == 0)
		segs = entries;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	mp = rte_pktmbuf_pool_create("bench_gen", (unsigned int)(reflect ? 0 : segs) + 8191, 256, 0,
			RTE_PKTMBUF_HEADROOM + 128, (int)rte_socket_id());
	if (mp == NULL) {
		fprintf(stderr, "bench_gen: mbuf pool of %" PRIu64 ": %s (raise EAL -m)\n",
				segs + 8191, rte_strerror(rte_errno));
		return 1;
	}
	rng_state = seed;
	if (!reflect)
		ring = build_ring(
				mp, (uint32_t)entries, (uint32_t)segs, (uint16_t)payload, q_start);
	for (q = 0; q < n_queues; q++) {
		jobs[q].reflect = reflect;
		jobs[q].ring = ring ? ring + q_start[q] : NULL;
		jobs[q].n_segs = q_frames[q];
		jobs[q].rate = rate ? RTE_MAX(rate / n_queues, 1ull) : 0;
		if (!reflect && q_frames[q] == 0) {
			fprintf(stderr, "bench_gen: queue %u gets no frame (raise --segments)\n",
					q);
			return 1;
		}
	}
	q = 1; /* the main lcore serves queue 0, the worker lcores 1, 2, ... in order */
	RTE_LCORE_FOREACH_WORKER (lc) {
		if (q < n_queues)
			q_of_lcore[lc] = (uint16_t)q++;
	}
	rte_telemetry_register_cmd("/bench_gen/stats", tel_stats,
			"bench_gen counters: tx, rx, bursts, short_bursts");
	printf("bench_gen: ready, waiting for the link\n");
	fflush(stdout);
	if (port_start(0, mp) < 0)
		return 1;
	if (reflect) {
		printf("bench_gen: reflecting (macswap) on port 0, %u queues\n", n_queues);
	} else {
		printf("bench_gen: sending %" PRIu64 " segments of %u bytes to %" PRIu64
		       " entries in random order, %s, %u queues:",
				segs, ring[0]->data_len, entries,
				rate ? "paced" : "as fast as it can", n_queues);
		for (q = 0; q < n_queues; q++)
			printf(" %u", q_frames[q]);
		printf(" frames\n");
	}
	fflush(stdout);
	RTE_LCORE_FOREACH_WORKER (lc) {
		if (q_of_lcore[lc] != 0)
			rte_eal_remote_launch(lcore_main, NULL, lc);
	}
	lcore_main(NULL);
	rte_eal_mp_wait_lcore();
	for (q = 0; q < n_queues; q++) {
		tx += stats[q].tx;
		rx += stats[q].rx;
		bursts += stats[q].bursts;
		shorts += stats[q].short_bursts;
	}
	printf("bench_gen: tx %" PRIu64 ", rx %" PRIu64 ", bursts %" PRIu64
	       ", short bursts %" PRIu64 ", refcnt of frame 0 %u\n",
			tx, rx, bursts, shorts, ring ? rte_mbuf_refcnt_read(ring[0]) : 0);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return 0;
}
