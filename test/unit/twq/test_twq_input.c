/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Every branch of the seed's tcp_twstart, tcp_twcheck and tcp_twrespond as twq_start and
 * twq_input implement them, and each switch beyond the seed.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>

#include <cmocka.h>

#include "test_eal.h"
#include "twq_test_util.h"

#define MSL 30000u
#define T0  1000000u

/* One IPv4 entry: snd_nxt 5000, rcv_nxt 9000, window 1000, no timestamps. */
static uint32_t
one_entry(struct twq_shard *s, struct twq_key *k, int v6)
{
	struct twq_conn c;
	uint32_t id;

	if (v6)
		tu_key6(k, 1);
	else
		tu_key4(k, 1);
	tu_conn(&c, k, 5000, 9000);
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	id = twq_lookup(s, k);
	assert_int_not_equal(id, TWQ_ID_NONE);
	return id;
}

static enum twq_verdict
input(struct twq_shard *s, const struct twq_key *k, uint8_t flags, uint32_t seq, uint32_t ack,
		uint16_t len, struct tcpseg_reply *r)
{
	struct tcpseg_view v;

	tu_seg(&v, k, flags, seq, ack, len);
	return twq_input(s, twq_lookup(s, k), &v, T0 + 10, r);
}

static void
expect_ack(const struct tcpseg_reply *r, uint32_t seq, uint32_t ack, uint16_t win)
{
	assert_int_equal(r->flags, TCPSEG_ACK);
	assert_int_equal(r->seq, seq);
	assert_int_equal(r->ack, ack);
	assert_int_equal(r->win, win);
}

/* tcp_twstart: last_win = (rcv_adv - rcv_nxt) >> rcv_scale, 0 when rcv_adv is not above. */
static void
test_start_last_win(void **state)
{
	static const struct {
		uint32_t rcv_nxt, rcv_adv;
		uint8_t scale;
		uint16_t win;
	} cases[] = {
			{9000, 10000, 0, 1000}, {9000, 9000 + (4000 << 3), 3, 4000},
			{9000, 9000, 0, 0}, {9000, 8000, 0, 0}, /* rcv_adv behind: 0 */
			{0xfffffff0u, 0x10, 0, 0x20},           /* across the wrap */
			{0x10, 0xfffffff0u, 0, 0},              /* "above" only modulo 2^32 */
			{0, 0x100000, 0, 0xffff}, /* unscaled window too big: clamped */
	};
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	struct twq_conn c;
	struct twq_key k;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		tu_key4(&k, i);
		tu_conn(&c, &k, 1, cases[i].rcv_nxt);
		c.rcv_adv = cases[i].rcv_adv;
		c.rcv_scale = cases[i].scale;
		assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
		assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0, &info), 0);
		assert_int_equal(info.last_win, cases[i].win);
		assert_int_equal(info.rcv_nxt, cases[i].rcv_nxt);
		assert_int_equal(info.snd_nxt, 1);
		assert_int_equal(info.remaining_ms, 2 * MSL);
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_STARTED), RTE_DIM(cases));
	twq_shard_free(s);
}

/*
 * rcv_scale above TCP_MAX_WINSHIFT (14) is taken as 14, as the seed's tcpcb can never hold more
 * (tcp_dooptions clamps it): no shift by 32 or more, whatever the caller passes.
 */
static void
test_start_rcv_scale_clamp(void **state)
{
	static const uint8_t scales[] = {14, 15, 16, 31, 32, 33, 64, 255};
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	struct twq_conn c;
	struct twq_key k;
	unsigned int i;

	(void)state;
	assert_int_equal(TWQ_MAX_WINSHIFT, 14);
	for (i = 0; i < RTE_DIM(scales); i++) {
		tu_key4(&k, i);
		tu_conn(&c, &k, 1, 9000);
		c.rcv_adv = 9000 + (4000u << 14);
		c.rcv_scale = scales[i];
		assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
		assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0, &info), 0);
		if (info.last_win != 4000)
			fail_msg("rcv_scale %u: last_win %u, expected 4000", scales[i],
					info.last_win);
	}
	/* At 14 and below the shift is as given. */
	tu_key4(&k, 100);
	tu_conn(&c, &k, 1, 9000);
	c.rcv_adv = 9000 + (4000u << 14);
	c.rcv_scale = 13;
	twq_start(s, &c, T0, NULL);
	assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0, &info), 0);
	assert_int_equal(info.last_win, 8000);
	twq_shard_free(s);
}

/* t_recent/ts_offset kept only when REQ_TSTMP and RCVD_TSTMP are set and NOOPT is not. */
static void
test_start_timestamps(void **state)
{
	static const struct {
		uint8_t flags;
		uint8_t has_ts;
	} cases[] = {
			{TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP, 1},
			{TWQ_CONN_REQ_TSTMP, 0},
			{TWQ_CONN_RCVD_TSTMP, 0},
			{TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP | TWQ_CONN_NOOPT, 0},
			{0, 0},
	};
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	struct twq_conn c;
	struct twq_key k;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(cases); i++) {
		tu_key4(&k, i);
		tu_conn(&c, &k, 1, 2);
		c.flags = cases[i].flags;
		c.ts_recent = 777;
		c.ts_offset = 0x10000;
		twq_start(s, &c, T0, NULL);
		assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0, &info), 0);
		assert_int_equal(info.has_ts, cases[i].has_ts);
		assert_int_equal(info.t_recent, cases[i].has_ts ? 777 : 0);
		assert_int_equal(info.ts_offset, cases[i].has_ts ? 0x10000 : 0);
	}
	twq_shard_free(s);
}

/* TF_ACKNOW: tcp_twrespond(tw, TH_ACK) at start, with timestamps when in use. */
static void
test_start_acknow(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_conn c;
	struct twq_key k;

	(void)state;
	tu_key4(&k, 1);
	tu_conn(&c, &k, 5000, 9000);
	c.flags = TWQ_CONN_ACKNOW | TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
	c.ts_recent = 4242;
	c.ts_offset = 100;
	assert_int_equal(twq_start(s, &c, T0, &r), TWQ_START_ACK);
	expect_ack(&r, 5000, 9000, 1000);
	assert_int_equal(r.has_ts, 1);
	assert_int_equal(r.tsval, T0 + 100);
	assert_int_equal(r.tsecr, 4242);
	assert_int_equal(tu_ctr(s, TWQ_CTR_START_ACK), 1);

	/* Without ACKNOW: nothing to send. */
	tu_key4(&k, 2);
	c.key = k;
	c.flags = 0;
	assert_int_equal(twq_start(s, &c, T0, &r), TWQ_START_OK);
	assert_int_equal(tu_ctr(s, TWQ_CTR_START_ACK), 1);
	twq_shard_free(s);
}

/* A second start on the same 4-tuple replaces the entry: one entry, newest values. */
static void
test_start_replaces(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	struct twq_conn c;
	struct twq_key k;

	(void)state;
	tu_key6(&k, 3);
	tu_conn(&c, &k, 1, 2);
	twq_start(s, &c, T0, NULL);
	tu_conn(&c, &k, 10, 20);
	twq_start(s, &c, T0 + 5000, NULL);
	assert_int_equal(twq_shard_count(s, 1), 1);
	assert_int_equal(twq_entry_get(s, twq_lookup(s, &k), T0 + 5000, &info), 0);
	assert_int_equal(info.snd_nxt, 10);
	assert_int_equal(info.rcv_nxt, 20);
	assert_int_equal(info.remaining_ms, 2 * MSL);
	assert_int_equal(tu_ctr(s, TWQ_CTR_START_REPLACED), 1);
	tu_check_balance(s);
	twq_shard_free(s);
}

/*
 * RFC 1337: RST dropped, entry kept. With RST-kills: an RST with seq exactly rcv_nxt ends it,
 * any other is dropped. No RST is answered (no challenge ACK), switch on or off.
 */
static void
test_rst(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_key k;
	int v6;

	(void)state;
	for (v6 = 0; v6 <= 1; v6++) {
		one_entry(s, &k, v6);
		assert_int_equal(input(s, &k, TCPSEG_RST, 9000, 0, 0, &r), TWQ_DROP);
		assert_int_equal(
				input(s, &k, TCPSEG_RST | TCPSEG_ACK, 9000, 5000, 0, &r), TWQ_DROP);
		assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_RST_DROPPED), 4);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	twq_shard_free(s);

	s = tu_shard(64, TWQ_F_RST_KILLS);
	one_entry(s, &k, 0);
	/* In the window but not exactly rcv_nxt, or just below it: dropped, no challenge ACK. */
	assert_int_equal(input(s, &k, TCPSEG_RST, 9001, 0, 0, &r), TWQ_DROP);
	assert_int_equal(input(s, &k, TCPSEG_RST | TCPSEG_ACK, 9500, 5000, 0, &r), TWQ_DROP);
	assert_int_equal(input(s, &k, TCPSEG_RST, 8999, 0, 0, &r), TWQ_DROP);
	assert_int_not_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RST_DROPPED), 3);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	assert_int_equal(input(s, &k, TCPSEG_RST, 9000, 0, 0, &r), TWQ_DROP);
	assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RST_CLOSED), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* SYN with seq above rcv_nxt ends the entry; at or below it falls through. */
static void
test_syn(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_key k;

	(void)state;
	one_entry(s, &k, 0);
	/* seq == rcv_nxt, no ACK: the "no ACK" drop. */
	assert_int_equal(input(s, &k, TCPSEG_SYN, 9000, 0, 0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_NOACK_DROPPED), 1);
	/* seq below, SYN|ACK: answered with an ACK. */
	assert_int_equal(input(s, &k, TCPSEG_SYN | TCPSEG_ACK, 8000, 5000, 0, &r), TWQ_ACK);
	expect_ack(&r, 5000, 9000, 1000);
	/* seq above: reopen, entry gone; r carries the old snd_nxt / rcv_nxt, nothing to send. */
	memset(&r, 0xa5, sizeof(r));
	assert_int_equal(input(s, &k, TCPSEG_SYN, 9001, 0, 0, &r), TWQ_REOPEN);
	assert_int_equal(r.seq, 5000);
	assert_int_equal(r.ack, 9000);
	assert_int_equal(r.flags, 0);
	assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 1);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* SEQ_GT across the wrap: 0x10 is above 0xffffff00; 0x7fffff00 further is not. */
static void
test_syn_wraparound(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_conn c;
	struct twq_key k;

	(void)state;
	tu_key4(&k, 7);
	tu_conn(&c, &k, 1, 0xffffff00u);
	twq_start(s, &c, T0, NULL);
	assert_int_equal(input(s, &k, TCPSEG_SYN, 0xffffff00u + 0x80000001u, 0, 0, &r), TWQ_DROP);
	assert_int_equal(input(s, &k, TCPSEG_SYN, 0x10, 0, 0, &r), TWQ_REOPEN);
	twq_shard_free(s);
}

/* Segments without ACK are dropped (after the RST and SYN rules). */
static void
test_noack(void **state)
{
	static const uint8_t flags[] = {0, TCPSEG_FIN, TCPSEG_PSH, TCPSEG_URG | TCPSEG_FIN};
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_key k;
	unsigned int i;

	(void)state;
	one_entry(s, &k, 1);
	for (i = 0; i < RTE_DIM(flags); i++)
		assert_int_equal(input(s, &k, flags[i], 8999, 5000, 10, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_NOACK_DROPPED), RTE_DIM(flags));
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	twq_shard_free(s);
}

/* A retransmitted FIN (seq + len + 1 == rcv_nxt) re-arms 2MSL and is ACKed. */
static void
test_dup_fin(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct twq_entry_info info;
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_key k;
	uint32_t id;

	(void)state;
	id = one_entry(s, &k, 0);
	/* FIN with no data: its seq is rcv_nxt - 1. */
	tu_seg(&v, &k, TCPSEG_FIN | TCPSEG_ACK, 8999, 5000, 0);
	assert_int_equal(twq_input(s, id, &v, T0 + 20000, &r), TWQ_ACK);
	expect_ack(&r, 5000, 9000, 1000);
	assert_int_equal(tu_ctr(s, TWQ_CTR_FIN_REARM), 1);
	assert_int_equal(twq_entry_get(s, id, T0 + 20000, &info), 0);
	assert_int_equal(info.remaining_ms, 2 * MSL);
	/* FIN with 100 bytes of data: seq + 100 + 1 == rcv_nxt. */
	tu_seg(&v, &k, TCPSEG_FIN | TCPSEG_ACK | TCPSEG_PSH, 8899, 5000, 100);
	assert_int_equal(twq_input(s, id, &v, T0 + 30000, &r), TWQ_ACK);
	assert_int_equal(tu_ctr(s, TWQ_CTR_FIN_REARM), 2);
	assert_int_equal(twq_entry_get(s, id, T0 + 30000, &info), 0);
	assert_int_equal(info.remaining_ms, 2 * MSL);
	/* A FIN that is not a retransmission is ACKed without re-arming. */
	tu_seg(&v, &k, TCPSEG_FIN | TCPSEG_ACK, 9000, 5000, 0);
	assert_int_equal(twq_input(s, id, &v, T0 + 40000, &r), TWQ_ACK);
	assert_int_equal(tu_ctr(s, TWQ_CTR_FIN_REARM), 2);
	assert_int_equal(twq_entry_get(s, id, T0 + 40000, &info), 0);
	assert_int_equal(info.remaining_ms, 2 * MSL - 10000);
	twq_shard_free(s);
}

/* Data, other flags, or seq/ack off: ACK. An exact duplicate ACK: nothing. */
static void
test_ack_rules(void **state)
{
	static const struct {
		uint8_t flags;
		uint32_t seq, ack;
		uint16_t len;
		enum twq_verdict verdict;
	} cases[] = {
			{TCPSEG_ACK, 9000, 5000, 0, TWQ_DROP},             /* exact duplicate */
			{TCPSEG_ACK, 9000, 5000, 1, TWQ_ACK},              /* data */
			{TCPSEG_ACK | TCPSEG_PSH, 9000, 5000, 0, TWQ_ACK}, /* other flags */
			{TCPSEG_ACK | TCPSEG_ECE, 9000, 5000, 0, TWQ_ACK},
			{TCPSEG_ACK, 9001, 5000, 0, TWQ_ACK}, /* seq off */
			{TCPSEG_ACK, 8999, 5000, 0, TWQ_ACK},
			{TCPSEG_ACK, 9000, 4999, 0, TWQ_ACK}, /* ack off */
			{TCPSEG_ACK, 9000, 5001, 0, TWQ_ACK},
	};
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_reply r;
	struct twq_key k;
	unsigned int i, acks = 0;

	(void)state;
	for (int v6 = 0; v6 <= 1; v6++) {
		one_entry(s, &k, v6);
		for (i = 0; i < RTE_DIM(cases); i++) {
			memset(&r, 0xa5, sizeof(r));
			assert_int_equal(input(s, &k, cases[i].flags, cases[i].seq, cases[i].ack,
							 cases[i].len, &r),
					cases[i].verdict);
			if (cases[i].verdict == TWQ_ACK) {
				expect_ack(&r, 5000, 9000, 1000);
				assert_int_equal(r.has_ts, 0);
				acks++;
			}
		}
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), acks);
	assert_int_equal(tu_ctr(s, TWQ_CTR_DUPACK_IGNORED), 2);
	twq_shard_free(s);
}

/* tcp_twrespond with timestamps: TSval = clock + ts_offset (mod 2^32), TSecr = t_recent. */
static void
test_respond_timestamps(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_conn c;
	struct twq_key k;

	(void)state;
	tu_key4(&k, 9);
	tu_conn(&c, &k, 5000, 9000);
	c.flags = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
	c.ts_recent = 0; /* a peer TSval of 0 still counts: explicit flag */
	c.ts_offset = 0xfffffff0u;
	twq_start(s, &c, T0, NULL);
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 10);
	tu_seg_ts(&v, 1, 2);
	assert_int_equal(twq_input(s, twq_lookup(s, &k), &v, T0 + 1, &r), TWQ_ACK);
	assert_int_equal(r.has_ts, 1);
	assert_int_equal(r.tsval, (uint32_t)(T0 + 1 + 0xfffffff0u));
	assert_int_equal(r.tsecr, 0);
	twq_shard_free(s);
}

static uint32_t
ts_entry(struct twq_shard *s, struct twq_key *k, uint32_t t_recent)
{
	struct twq_conn c;

	tu_key4(k, 11);
	tu_conn(&c, k, 5000, 9000);
	c.flags = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
	c.ts_recent = t_recent;
	twq_start(s, &c, T0, NULL);
	return twq_lookup(s, k);
}

/* PAWS (RFC 7323 5.3): older TSval dropped, ACKed if it carries an ACK. Off: seed rules. */
static void
test_paws(void **state)
{
	struct twq_shard *s = tu_shard(64, TWQ_F_PAWS);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_key k;
	uint32_t id;

	(void)state;
	id = ts_entry(s, &k, 0x80000010u);
	/* Exact duplicate ACK with an old TSval: PAWS answers it. */
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 0);
	tu_seg_ts(&v, 0x80000000u, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_ACK);
	expect_ack(&r, 5000, 9000, 1000);
	assert_int_equal(tu_ctr(s, TWQ_CTR_PAWS_ACKED), 1);
	/* Old TSval, no ACK (a SYN with seq above): dropped by PAWS before the SYN rule. */
	tu_seg(&v, &k, TCPSEG_SYN, 9500, 0, 0);
	tu_seg_ts(&v, 0x80000000u, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_PAWS_DROPPED), 1);
	assert_int_equal(twq_lookup(s, &k), id);
	/* Newer TSval: not PAWS, the seed rules apply (an exact duplicate ACK). */
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 0);
	tu_seg_ts(&v, 0x80000011u, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_DUPACK_IGNORED), 1);
	/* No timestamp on the segment: not PAWS. */
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_DUPACK_IGNORED), 2);
	twq_shard_free(s);

	/* Switch off: the old duplicate ACK gets nothing, as in the seed. */
	s = tu_shard(64, 0);
	id = ts_entry(s, &k, 0x80000010u);
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 0);
	tu_seg_ts(&v, 5, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_PAWS_ACKED), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_DUPACK_IGNORED), 1);
	twq_shard_free(s);
}

/* A SYN on an entry, its counters before and after: the verdict and whether the entry is kept. */
static void
syn_case(struct twq_shard *s, uint32_t id, const struct twq_key *k, uint32_t seq, int has_ts,
		uint32_t tsval, enum twq_verdict verdict)
{
	struct tcpseg_view v;
	struct tcpseg_reply r;
	enum twq_verdict got;

	tu_seg(&v, k, TCPSEG_SYN, seq, 0, 0);
	if (has_ts)
		tu_seg_ts(&v, tsval, 0);
	got = twq_input(s, id, &v, T0, &r);
	if (got != verdict)
		fail_msg("SYN seq %u, %s TSval %u: verdict %d, expected %d", seq,
				has_ts ? "with" : "without", tsval, got, verdict);
	assert_int_equal(twq_lookup(s, k), verdict == TWQ_REOPEN ? TWQ_ID_NONE : id);
}

/*
 * RFC 6191 section 2, row by row. Entry: rcv_nxt 9000, t_recent 1000 when it used timestamps.
 * Previous incarnation with timestamps:
 *   SYN with TSval > t_recent: honoured, whatever its seq;
 *   SYN with TSval == t_recent and seq > rcv_nxt: honoured;
 *   SYN without timestamps and seq > rcv_nxt: honoured;
 *   otherwise: silently dropped.
 * Previous incarnation without timestamps:
 *   SYN with timestamps: honoured, whatever its seq;
 *   SYN without timestamps and seq > rcv_nxt: honoured;
 *   otherwise: silently dropped.
 */
static void
test_rfc6191(void **state)
{
	struct twq_shard *s = tu_shard(64, TWQ_F_RFC6191);
	struct twq_key k;
	uint32_t id;

	(void)state;
	/* Timestamps before. TSval older, seq above: dropped, entry kept. */
	id = ts_entry(s, &k, 1000);
	syn_case(s, id, &k, 9500, 1, 999, TWQ_DROP);
	/* TSval equal, seq equal to rcv_nxt: dropped. */
	syn_case(s, id, &k, 9000, 1, 1000, TWQ_DROP);
	/* TSval equal, seq below: dropped. */
	syn_case(s, id, &k, 100, 1, 1000, TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_DROPPED), 3);
	/* No timestamp, seq not above: dropped by the no-ACK rule, silently. */
	syn_case(s, id, &k, 9000, 0, 0, TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_NOACK_DROPPED), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	/* TSval newer, seq below: reopen. */
	syn_case(s, id, &k, 100, 1, 1001, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 1);
	/* TSval equal, seq above: reopen. */
	id = ts_entry(s, &k, 1000);
	syn_case(s, id, &k, 9001, 1, 1000, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 2);
	/* TSval newer modulo 2^32. */
	id = ts_entry(s, &k, 0xfffffff0u);
	syn_case(s, id, &k, 9000, 1, 0x10, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 3);
	/* No timestamp, seq above: reopen by the sequence rule. */
	id = ts_entry(s, &k, 1000);
	syn_case(s, id, &k, 9001, 0, 0, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 1);

	/* No timestamps before. A SYN with one: reopen, whatever its seq and TSval. */
	id = one_entry(s, &k, 1);
	syn_case(s, id, &k, 100, 1, 0, TWQ_REOPEN);
	id = one_entry(s, &k, 0);
	syn_case(s, id, &k, 9000, 1, 5, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 5);
	/* A SYN without: the sequence rule. */
	id = one_entry(s, &k, 1);
	syn_case(s, id, &k, 9000, 0, 0, TWQ_DROP);
	syn_case(s, id, &k, 9001, 0, 0, TWQ_REOPEN);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 2);

	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_DROPPED), 3);
	assert_int_equal(tu_ctr(s, TWQ_CTR_NOACK_DROPPED), 2);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 0);
	assert_int_equal(twq_shard_count(s, -1), 0);
	tu_check_balance(s);
	twq_shard_free(s);

	/* Switch off: the seed's sequence rule alone, timestamps or not. */
	s = tu_shard(64, 0);
	id = ts_entry(s, &k, 1000);
	syn_case(s, id, &k, 100, 1, 5000, TWQ_DROP);
	syn_case(s, id, &k, 9001, 1, 999, TWQ_REOPEN);
	id = one_entry(s, &k, 0);
	syn_case(s, id, &k, 9000, 1, 5, TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_DROPPED), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_NOACK_DROPPED), 2);
	tu_check_balance(s);
	twq_shard_free(s);
}

/*
 * A SYN|ACK is not a connection request: with TWQ_F_RFC6191 on and timestamps on both sides
 * it is judged by the seed's rules alone (tcp_twcheck: SYN and seq > rcv_nxt ends the entry,
 * otherwise it is answered with an ACK as "not a bare ACK"), never by RFC 6191's table.
 */
static void
test_rfc6191_synack(void **state)
{
	struct twq_shard *s = tu_shard(64, TWQ_F_RFC6191);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_key k;
	uint32_t id;

	(void)state;
	/* TSval newer (RFC 6191 would honour it), seq not above: the seed answers with an ACK. */
	id = ts_entry(s, &k, 1000);
	tu_seg(&v, &k, TCPSEG_SYN | TCPSEG_ACK, 9000, 5000, 0);
	tu_seg_ts(&v, 1001, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_ACK);
	expect_ack(&r, 5000, 9000, 1000);
	assert_int_equal(twq_lookup(s, &k), id);
	/* TSval older (RFC 6191 would drop it), seq above: the seed's SYN rule ends the entry. */
	tu_seg(&v, &k, TCPSEG_SYN | TCPSEG_ACK, 9001, 5000, 0);
	tu_seg_ts(&v, 999, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_REOPEN);
	assert_int_equal(r.seq, 5000);
	assert_int_equal(r.ack, 9000);
	assert_int_equal(twq_lookup(s, &k), TWQ_ID_NONE);
	/* TSval equal, seq below: an ACK, the entry kept. */
	id = ts_entry(s, &k, 1000);
	tu_seg(&v, &k, TCPSEG_SYN | TCPSEG_ACK, 100, 5000, 0);
	tu_seg_ts(&v, 1000, 0);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_ACK);
	assert_int_equal(twq_lookup(s, &k), id);

	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 2);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_REOPEN), 0);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_TS_DROPPED), 0);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* The per-entry ACK cap: at most ack_limit per ack_interval_ms. */
static void
test_ack_cap(void **state)
{
	struct twq_params p = {
			.socket_id = SOCKET_ID_ANY,
			.capacity = 32,
			.capacity6 = 32,
			.msl_ms = MSL,
			.ack_limit = 2,
			.ack_interval_ms = 500,
	};
	struct twq_shard *s = tu_shard_p(&p);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_key k;
	uint32_t id;

	(void)state;
	id = one_entry(s, &k, 0);
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 10);
	assert_int_equal(twq_input(s, id, &v, T0 + 1, &r), TWQ_ACK);
	assert_int_equal(twq_input(s, id, &v, T0 + 2, &r), TWQ_ACK);
	assert_int_equal(twq_input(s, id, &v, T0 + 499, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_LIMITED), 1);
	assert_int_equal(twq_input(s, id, &v, T0 + 500, &r), TWQ_ACK);
	assert_int_equal(twq_input(s, id, &v, T0 + 501, &r), TWQ_ACK);
	assert_int_equal(twq_input(s, id, &v, T0 + 502, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_SENT), 4);
	assert_int_equal(tu_ctr(s, TWQ_CTR_ACK_LIMITED), 2);
	twq_shard_free(s);
}

/* A dead id gets a drop, not a crash. */
static void
test_input_dead_id(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct twq_key k;
	uint32_t id;

	(void)state;
	id = one_entry(s, &k, 0);
	assert_int_equal(twq_close(s, id), 0);
	assert_int_equal(twq_close(s, id), -EINVAL);
	tu_seg(&v, &k, TCPSEG_ACK, 9000, 5000, 10);
	assert_int_equal(twq_input(s, id, &v, T0, &r), TWQ_DROP);
	assert_int_equal(twq_input(s, TWQ_ID_NONE, &v, T0, &r), TWQ_DROP);
	assert_int_equal(twq_input(s, 1u << 30, &v, T0, &r), TWQ_DROP);
	assert_int_equal(tu_ctr(s, TWQ_CTR_CLOSED), 1);
	tu_check_balance(s);
	twq_shard_free(s);
}

/*
 * Several segments for one entry in one burst: the second SYN must see that the first ended
 * the entry (VPP once answered both from the same lookup). Also: misses, and an entry
 * re-armed by a FIN then ACKed by data in the same burst.
 */
static void
test_burst_sees_earlier_segments(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_view seg[6];
	const struct tcpseg_view *views[6];
	enum twq_verdict verdict[6];
	struct tcpseg_reply r[6];
	struct twq_key k, k2, miss;
	unsigned int i;

	(void)state;
	one_entry(s, &k, 0);
	one_entry(s, &k2, 1);
	tu_key4(&miss, 99);
	tu_seg(&seg[0], &k, TCPSEG_SYN, 9500, 0, 0);
	tu_seg(&seg[1], &k, TCPSEG_SYN, 9600, 0, 0);
	tu_seg(&seg[2], &miss, TCPSEG_ACK, 1, 1, 0);
	tu_seg(&seg[3], &k2, TCPSEG_FIN | TCPSEG_ACK, 8999, 5000, 0);
	tu_seg(&seg[4], &k2, TCPSEG_ACK, 9000, 5000, 5);
	tu_seg(&seg[5], &k2, TCPSEG_ACK, 9000, 5000, 0);
	for (i = 0; i < RTE_DIM(seg); i++)
		views[i] = &seg[i];
	assert_int_equal(twq_input_burst(s, views, 6, T0, verdict, r), 2);
	assert_int_equal(verdict[0], TWQ_REOPEN);
	assert_int_equal(verdict[1], TWQ_MISS);
	assert_int_equal(verdict[2], TWQ_MISS);
	assert_int_equal(verdict[3], TWQ_ACK);
	assert_int_equal(verdict[4], TWQ_ACK);
	assert_int_equal(verdict[5], TWQ_DROP);
	expect_ack(&r[4], 5000, 9000, 1000);
	assert_int_equal(tu_ctr(s, TWQ_CTR_SYN_REOPEN), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_FIN_REARM), 1);
	/* 2 hits from one_entry(); in the burst 4 segments met an entry and 2 none. */
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_HIT), 2 + 4);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS), 2);
	tu_check_balance(s);
	twq_shard_free(s);
}

/*
 * Lookup counters of a burst: each segment is counted once, by the lookup it was processed
 * with. A segment whose entry an earlier segment of the burst ended is a miss, not a hit.
 */
static void
test_burst_relookup_counters(void **state)
{
	struct twq_shard *s = tu_shard(64, 0);
	struct tcpseg_view seg[4];
	const struct tcpseg_view *views[4];
	enum twq_verdict verdict[4];
	struct tcpseg_reply r[4];
	uint64_t hit0, miss0;
	struct twq_key k;
	unsigned int i;

	(void)state;
	for (i = 0; i < RTE_DIM(seg); i++)
		views[i] = &seg[i];

	/* [SYN reopening K, data for K]. */
	one_entry(s, &k, 0);
	hit0 = tu_ctr(s, TWQ_CTR_LOOKUP_HIT);
	miss0 = tu_ctr(s, TWQ_CTR_LOOKUP_MISS);
	tu_seg(&seg[0], &k, TCPSEG_SYN, 9500, 0, 0);
	tu_seg(&seg[1], &k, TCPSEG_ACK | TCPSEG_PSH, 9000, 5000, 10);
	assert_int_equal(twq_input_burst(s, views, 2, T0, verdict, r), 0);
	assert_int_equal(verdict[0], TWQ_REOPEN);
	assert_int_equal(verdict[1], TWQ_MISS);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_HIT) - hit0, 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS) - miss0, 1);
	tu_check_balance(s);
	twq_shard_free(s);

	/* RST-kills: [RST ending K, ACK for K, SYN for K, data for K]: one hit, three misses. */
	s = tu_shard(64, TWQ_F_RST_KILLS);
	one_entry(s, &k, 1);
	hit0 = tu_ctr(s, TWQ_CTR_LOOKUP_HIT);
	miss0 = tu_ctr(s, TWQ_CTR_LOOKUP_MISS);
	tu_seg(&seg[0], &k, TCPSEG_RST, 9000, 0, 0);
	tu_seg(&seg[1], &k, TCPSEG_ACK, 9000, 5000, 0);
	tu_seg(&seg[2], &k, TCPSEG_SYN, 9500, 0, 0);
	tu_seg(&seg[3], &k, TCPSEG_ACK, 9000, 5000, 1);
	assert_int_equal(twq_input_burst(s, views, 4, T0, verdict, r), 0);
	assert_int_equal(verdict[0], TWQ_DROP);
	for (i = 1; i < 4; i++)
		assert_int_equal(verdict[i], TWQ_MISS);
	assert_int_equal(tu_ctr(s, TWQ_CTR_RST_CLOSED), 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_HIT) - hit0, 1);
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS) - miss0, 3);
	tu_check_balance(s);
	twq_shard_free(s);
}

/* Bursts longer than the lookup group, mixing families, hits and misses. */
static void
test_burst_long(void **state)
{
	enum { N = 100 };
	struct twq_shard *s = tu_shard(256, 0);
	static struct tcpseg_view seg[N];
	const struct tcpseg_view *views[N];
	enum twq_verdict verdict[N];
	static struct tcpseg_reply r[N];
	struct twq_conn c;
	struct twq_key k;
	unsigned int i;

	(void)state;
	for (i = 0; i < N; i += 2) { /* even keys have entries */
		if (i % 4 == 0)
			tu_key4(&k, i);
		else
			tu_key6(&k, i);
		tu_conn(&c, &k, i, 1000 + i);
		twq_start(s, &c, T0, NULL);
	}
	for (i = 0; i < N; i++) {
		if (i % 4 < 2)
			tu_key4(&k, i & ~1u);
		else
			tu_key6(&k, i & ~1u);
		if (i & 1)
			k.rport ^= 0x8000; /* odd: a miss */
		tu_seg(&seg[i], &k, TCPSEG_ACK, 1000 + i, i, 1);
		views[i] = &seg[i];
	}
	assert_int_equal(twq_input_burst(s, views, N, T0, verdict, r), N / 2);
	for (i = 0; i < N; i++) {
		assert_int_equal(verdict[i], (i & 1) ? TWQ_MISS : TWQ_ACK);
		if (!(i & 1))
			expect_ack(&r[i], i, 1000 + i, 1000);
	}
	assert_int_equal(tu_ctr(s, TWQ_CTR_LOOKUP_MISS), N / 2);
	twq_shard_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_start_last_win),
			cmocka_unit_test(test_start_rcv_scale_clamp),
			cmocka_unit_test(test_start_timestamps),
			cmocka_unit_test(test_start_acknow),
			cmocka_unit_test(test_start_replaces),
			cmocka_unit_test(test_rst),
			cmocka_unit_test(test_syn),
			cmocka_unit_test(test_syn_wraparound),
			cmocka_unit_test(test_noack),
			cmocka_unit_test(test_dup_fin),
			cmocka_unit_test(test_ack_rules),
			cmocka_unit_test(test_respond_timestamps),
			cmocka_unit_test(test_paws),
			cmocka_unit_test(test_rfc6191),
			cmocka_unit_test(test_rfc6191_synack),
			cmocka_unit_test(test_ack_cap),
			cmocka_unit_test(test_input_dead_id),
			cmocka_unit_test(test_burst_sees_earlier_segments),
			cmocka_unit_test(test_burst_relookup_counters),
			cmocka_unit_test(test_burst_long),
	};

	if (test_eal_init("test_twq_input", 128) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
