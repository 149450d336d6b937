/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * twq_input_burst() against twq_lookup() + twq_input(), segment by segment: the burst's own
 * answer to the plain ACK (a segment with ACK and none of RST, SYN, FIN, on a shard without
 * PAWS and the ACK cap) and its general path must give the same verdicts, the same reply
 * bytes and the same counters as the single-segment path, for every kind of segment, on
 * entries with and without timestamps, and with each option that turns the plain answer off.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_eal.h"
#include "twq_test_util.h"

#define T0 1000000u

/* Segments per entry kind: flags, seq/ack relative to the entry, payload, timestamps. */
struct seg_case {
	uint8_t flags;
	int32_t dseq; /* seq = rcv_nxt + dseq */
	int32_t dack; /* ack = snd_nxt + dack */
	uint16_t len;
	int ts; /* 0: no option; 1: TSval above t_recent; -1: below (PAWS) */
};

static const struct seg_case cases[] = {
		{TCPSEG_ACK | TCPSEG_PSH, 0, 0, 16, 1}, /* data: ACK (bench_path's segment) */
		{TCPSEG_ACK, 0, 0, 0, 1},               /* exact duplicate ACK: dropped */
		{TCPSEG_ACK, 0, 0, 0, 0}, {TCPSEG_ACK, 1, 0, 0, 1}, /* seq off: ACK */
		{TCPSEG_ACK, 0, -1, 0, 0},                          /* ack off: ACK */
		{TCPSEG_ACK, 0, 0, 1, 0},                           /* payload: ACK */
		{TCPSEG_ACK, 0, 0, 0, -1},                          /* old TSval: PAWS when on */
		{TCPSEG_ACK | TCPSEG_PSH, 0, 0, 8, -1},             /* old TSval with data */
		{TCPSEG_ACK | TCPSEG_URG, 0, 0, 0, 0},              /* other flags: ACK */
		{TCPSEG_ACK | TCPSEG_FIN, -1, 0, 0, 1},             /* duplicate FIN: rearm, ACK */
		{TCPSEG_ACK | TCPSEG_FIN, 5, 0, 0, 0},              /* other FIN: ACK */
		{TCPSEG_PSH, 0, 0, 4, 0},                           /* no ACK: dropped */
		{TCPSEG_RST, 0, 0, 0, 0},                           /* RST at rcv_nxt */
		{TCPSEG_RST | TCPSEG_ACK, 3, 0, 0, 0},              /* RST elsewhere */
		{TCPSEG_SYN, 10, 0, 0, 1},                          /* SYN above: reopen */
		{TCPSEG_SYN, -10, 0, 0, 1},                         /* SYN below */
		{TCPSEG_SYN | TCPSEG_ACK, -10, 0, 0, 0},            /* SYN|ACK below: ACK */
};

#define N_CASES RTE_DIM(cases)
#define N_SEGS  (2 * N_CASES) /* each case on an entry without and with timestamps */

/* Entry n: without timestamps when n is even. snd_nxt 5000 + n, rcv_nxt 9000 + n. */
static struct twq_shard *
make_shard(uint32_t flags, uint32_t ack_limit)
{
	struct twq_params p = {
			.socket_id = SOCKET_ID_ANY,
			.capacity = 256,
			.capacity6 = 256,
			.msl_ms = 30000,
			.flags = flags,
			.ack_limit = ack_limit,
			.ack_interval_ms = 500,
	};
	struct twq_shard *s = tu_shard_p(&p);
	struct twq_conn c;
	struct twq_key k;
	uint32_t n;

	for (n = 0; n < N_SEGS; n++) {
		tu_key4(&k, n);
		tu_conn(&c, &k, 5000 + n, 9000 + n);
		if (n & 1) {
			c.flags |= TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
			c.ts_recent = 700000 + n;
			c.ts_offset = 123 + n;
		}
		assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	}
	return s;
}

static void
make_seg(struct tcpseg_view *v, uint32_t n)
{
	const struct seg_case *c = &cases[n / 2];
	struct twq_key k;

	tu_key4(&k, n);
	tu_seg(v, &k, c->flags, 9000 + n + (uint32_t)c->dseq, 5000 + n + (uint32_t)c->dack, c->len);
	if (c->ts != 0)
		tu_seg_ts(v, c->ts > 0 ? 800000 + n : 600000 + n, 42);
}

/* The same segments, in one burst on one shard and one by one on another: the same result. */
static void
burst_equals_single(uint32_t flags, uint32_t ack_limit, uint32_t rounds)
{
	struct twq_shard *sb = make_shard(flags, ack_limit), *s1 = make_shard(flags, ack_limit);
	static struct tcpseg_view seg[N_SEGS];
	static struct tcpseg_reply rb[N_SEGS], r1[N_SEGS];
	const struct tcpseg_view *views[N_SEGS];
	enum twq_verdict vb[N_SEGS], v1;
	uint32_t n, round, c, acks;

	for (n = 0; n < N_SEGS; n++) {
		make_seg(&seg[n], n);
		views[n] = &seg[n];
	}
	/* More than one round: the ACK cap counts, killed entries are misses afterwards. */
	for (round = 0; round < rounds; round++) {
		const uint64_t now = T0 + 10 + round;

		memset(rb, 0xa5, sizeof(rb));
		memset(r1, 0xa5, sizeof(r1));
		acks = twq_input_burst(sb, views, N_SEGS, now, vb, rb);
		c = 0;
		for (n = 0; n < N_SEGS; n++) {
			struct twq_key k;
			uint32_t id;

			tu_key4(&k, n);
			id = twq_peek(s1, &k);
			v1 = id == TWQ_ID_NONE ? TWQ_MISS : twq_input(s1, id, &seg[n], now, &r1[n]);
			assert_int_equal(vb[n], v1);
			if (v1 == TWQ_ACK || v1 == TWQ_REOPEN)
				assert_memory_equal(&rb[n], &r1[n], sizeof(rb[n]));
			c += v1 == TWQ_ACK;
		}
		assert_int_equal(acks, c);
	}
	/*
	 * Every counter alike, the lookups included: twq_input_burst() counted a hit or a miss
	 * per segment; on s1, twq_peek() counts nothing, so its lookups are added here.
	 */
	for (c = 0; c < TWQ_CTR_MAX; c++) {
		uint64_t want = tu_ctr(s1, (enum twq_counter)c);

		if (c == TWQ_CTR_LOOKUP_HIT)
			want = tu_ctr(sb, TWQ_CTR_LOOKUP_HIT);
		if (c == TWQ_CTR_LOOKUP_MISS)
			want = tu_ctr(sb, TWQ_CTR_LOOKUP_MISS);
		assert_int_equal(tu_ctr(sb, (enum twq_counter)c), want);
	}
	tu_check_balance(sb);
	twq_shard_free(sb);
	twq_shard_free(s1);
}

/* The seed's options: the burst answers the plain ACK itself. */
static void
test_burst_plain(void **state)
{
	(void)state;
	burst_equals_single(0, 0, 3);
}

/* PAWS on: no segment is plain, all go through the rules. */
static void
test_burst_paws(void **state)
{
	(void)state;
	burst_equals_single(TWQ_F_PAWS, 0, 3);
}

/* The ACK cap on: no segment is plain (the cap is counted per entry). */
static void
test_burst_ack_cap(void **state)
{
	(void)state;
	burst_equals_single(0, 2, 4);
}

/* Every other switch at once. */
static void
test_burst_all_flags(void **state)
{
	(void)state;
	burst_equals_single(TWQ_F_PAWS | TWQ_F_RST_KILLS | TWQ_F_RFC6191, 1, 3);
	burst_equals_single(TWQ_F_RST_KILLS | TWQ_F_RFC6191, 0, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_burst_plain),
			cmocka_unit_test(test_burst_paws),
			cmocka_unit_test(test_burst_ack_cap),
			cmocka_unit_test(test_burst_all_flags),
	};

	if (test_eal_init("test_twq_burst", 128) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
