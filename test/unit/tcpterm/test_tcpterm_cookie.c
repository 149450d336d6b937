/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* SYN cookies: every MSS index and window scale, with and without timestamps; a cookie of
 * the interval before still valid, an older or forged one refused. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>

#include "tt_util.h"

#define IVL 64000u

static struct tcpterm_response *resp;

/* SYN of peer n with the options given; returns the SYN-ACK reply. */
static struct tcpterm_out
syn(struct tcpterm_table *t, struct tt_seg *s, uint64_t now)
{
	struct tcpterm_out out;

	s->flags = TCPSEG_SYN;
	assert_int_equal(tt_input(t, s, now, &out), TCPTERM_SEND);
	assert_true(out.has_reply);
	assert_int_equal(out.conn, TCPTERM_ID_NONE);
	assert_int_equal(out.reply.flags, TCPSEG_SYN | TCPSEG_ACK);
	assert_int_equal(out.reply.ack, s->seq + 1);
	assert_int_equal(out.reply.win, 65535);
	return out;
}

/* The ACK completing the handshake of SYN s answered by sa. */
static enum tcpterm_verdict
ack(struct tcpterm_table *t, const struct tt_seg *s, const struct tcpterm_out *sa, uint64_t now,
		struct tcpterm_out *out)
{
	struct tt_seg a = *s;

	a.flags = TCPSEG_ACK;
	a.seq = s->seq + 1;
	a.ack = sa->reply.seq + 1;
	a.opts = sa->reply.has_ts ? TCPSEG_OPT_TS : 0;
	a.tsval = s->tsval + 1;
	a.tsecr = sa->reply.tsval;
	return tt_input(t, &a, now, out);
}

static void
test_every_mss_and_wscale(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 100000, NULL);
	uint32_t n = 0, ts, idx, ws, v6;

	(void)state;
	for (v6 = 0; v6 < 2; v6++)
		for (ts = 0; ts < 2; ts++)
			for (idx = 0; idx < TCPTERM_COOKIE_MSS_N; idx++)
				for (ws = 0; ws <= 15; ws++, n++) {
					struct tt_seg s = {.peer = n + 1,
							.v6 = v6,
							.seq = (n + 1) * 7919u};
					uint16_t mss = tcpterm_cookie_mss(idx);
					uint16_t ours = v6 ? 1440 : 1460;
					struct tcpterm_out sa, out;
					struct tcpterm_conn_info i;

					/* One above the entry rounds down to it. */
					s.mss = (uint16_t)(mss + (ws & 1));
					s.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_SACKOK;
					if (ws < 15) {
						s.opts |= TCPSEG_OPT_WSCALE;
						s.ws = (uint8_t)ws;
					}
					if (ts) {
						s.opts |= TCPSEG_OPT_TS;
						s.tsval = 1000 + n;
					}
					sa = syn(t, &s, 5000 + n);
					/* We announce the smaller of the peer's and ours. */
					assert_int_equal(sa.syn.mss, RTE_MIN(s.mss, ours));
					assert_int_equal(sa.reply.has_ts, ts);
					if (ts) {
						assert_int_equal(sa.reply.tsecr, s.tsval);
						assert_int_equal(
								!!(sa.syn.opts & TCPSEG_OPT_WSCALE),
								ws < 15);
					} else {
						/* Without timestamps nothing can carry the scale.
						 */
						assert_int_equal(sa.syn.opts, TCPSEG_OPT_MSS);
					}
					assert_int_equal(ack(t, &s, &sa, 5001 + n, &out),
							TCPTERM_DROP);
					assert_int_not_equal(out.conn, TCPTERM_ID_NONE);
					i = tt_info(t, out.conn, 5001 + n);
					assert_int_equal(i.state, TCPTERM_ST_ESTABLISHED);
					/* RFC 6691: less the timestamps option every segment
					 * carries */
					assert_int_equal(i.mss, RTE_MIN(mss, ours) - (ts ? 12 : 0));
					assert_int_equal(i.snd_wscale, ts && ws < 15 ? ws : 0);
					assert_int_equal(i.iss + 1, sa.reply.seq + 1);
					assert_int_equal(i.rcv_nxt, s.seq + 1);
					assert_int_equal(i.has_ts, ts);
				}
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_SENT), n);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_GOOD), n);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_BAD), 0);
	assert_int_equal(tcpterm_table_count(t), n);
	tcpterm_table_free(t);
}

static void
test_small_and_missing_mss(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 64, NULL);
	struct tt_seg s = {.peer = 1, .seq = 1, .opts = TCPSEG_OPT_MSS, .mss = 100};
	struct tt_seg s2 = {.peer = 2, .seq = 1};
	struct tcpterm_out sa, out;

	(void)state;
	assert_int_equal(tcpterm_cookie_mss(0), 536);
	assert_int_equal(tcpterm_cookie_mss(TCPTERM_COOKIE_MSS_N), 0);
	sa = syn(t, &s, 10);
	assert_int_equal(ack(t, &s, &sa, 10, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(t, out.conn, 10).mss, 536);
	sa = syn(t, &s2, 10); /* no MSS option: 536 (RFC 9293 3.7.1) */
	assert_int_equal(ack(t, &s2, &sa, 10, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(t, out.conn, 10).mss, 536);
	tcpterm_table_free(t);
}

static void
test_lifetime(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 64, NULL);
	struct tt_seg s = {.peer = 1, .seq = 100, .opts = TCPSEG_OPT_MSS, .mss = 1460};
	struct tcpterm_out sa, out;
	uint64_t t0 = 10ull * IVL + 5;

	(void)state;
	/* The interval after: valid (a cookie lives one to two intervals). */
	sa = syn(t, &s, t0);
	assert_int_equal(ack(t, &s, &sa, t0 + IVL + IVL - 10, &out), TCPTERM_DROP);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_GOOD), 1);
	/* Two intervals on: refused, with the closed-port RST <SEQ=SEG.ACK>. */
	s.peer = 2;
	sa = syn(t, &s, t0);
	assert_int_equal(ack(t, &s, &sa, t0 + 2 * IVL, &out), TCPTERM_RST);
	assert_true(out.has_reply);
	assert_int_equal(out.reply.flags, TCPSEG_RST);
	assert_int_equal(out.reply.seq, sa.reply.seq + 1);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_BAD), 1);
	/* Four intervals on: the 2-bit counter has wrapped, still refused. */
	s.peer = 3;
	sa = syn(t, &s, t0);
	assert_int_equal(ack(t, &s, &sa, t0 + 4 * IVL, &out), TCPTERM_RST);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_BAD), 2);
	assert_int_equal(tcpterm_table_count(t), 1);
	tcpterm_table_free(t);
}

static void
test_forged(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 64, NULL);
	struct tt_seg s = {.peer = 1, .seq = 100, .opts = TCPSEG_OPT_MSS, .mss = 1460};
	struct tcpterm_out sa, out;
	struct tcpterm_params p;
	struct tcpterm_table *t2;
	uint32_t bit;

	(void)state;
	sa = syn(t, &s, 1000);
	/* Any one bit of the ISN flipped. */
	for (bit = 0; bit < 32; bit++) {
		struct tcpterm_out f = sa;

		f.reply.seq ^= 1u << bit;
		assert_int_equal(ack(t, &s, &f, 1000, &out), TCPTERM_RST);
	}
	/* Another peer's ISN (seq) or another 4-tuple. */
	s.seq++;
	assert_int_equal(ack(t, &s, &sa, 1000, &out), TCPTERM_RST);
	s.seq--;
	s.peer = 2;
	assert_int_equal(ack(t, &s, &sa, 1000, &out), TCPTERM_RST);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_BAD), 34);
	/* Another secret. */
	memset(&p, 0, sizeof(p));
	p.capacity = 64;
	p.responses = (const struct tcpterm_response *const *)&resp;
	p.n_responses = 1;
	t2 = tcpterm_table_create(&p); /* secret from getrandom() */
	assert_non_null(t2);
	s.peer = 1;
	assert_int_equal(ack(t2, &s, &sa, 1000, &out), TCPTERM_RST);
	/* The right one, at last. */
	assert_int_equal(ack(t, &s, &sa, 1000, &out), TCPTERM_DROP);
	assert_int_equal(tcpterm_table_count(t), 1);
	tcpterm_table_free(t2);
	tcpterm_table_free(t);
}

static void
test_listener_other(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 64, NULL);
	struct tt_seg s = {.peer = 1, .seq = 100};
	struct tcpterm_out out;
	struct tcpseg_view v;
	struct rte_mbuf *m;

	(void)state;
	s.flags = TCPSEG_RST;
	assert_int_equal(tt_input(t, &s, 1, &out), TCPTERM_DROP);
	s.flags = TCPSEG_SYN | TCPSEG_FIN;
	assert_int_equal(tt_input(t, &s, 1, &out), TCPTERM_DROP);
	s.flags = TCPSEG_FIN;
	assert_int_equal(tt_input(t, &s, 1, &out), TCPTERM_DROP);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_LISTEN_DROPPED), 3);
	s.flags = TCPSEG_SYN | TCPSEG_ACK;
	s.ack = 777;
	assert_int_equal(tt_input(t, &s, 1, &out), TCPTERM_RST);
	assert_int_equal(out.reply.seq, 777);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_LISTEN_RST), 1);
	/* Not a listener: the caller's closed-port policy. */
	m = tt_frame(&s, &v);
	assert_int_equal(tcpterm_input(t, &v, m, -1, 1, &out), TCPTERM_MISS);
	assert_int_equal(tcpterm_input(t, &v, m, 1, 1, &out), TCPTERM_MISS);
	rte_pktmbuf_free(m);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_COOKIE_SENT), 0);
	tcpterm_table_free(t);
}

/* The SYN-ACK as tcpseg_build_reply() writes it in place over the SYN. */
static void
test_synack_in_place(void **state)
{
	struct tcpterm_table *t = tt_table(&resp, 1, 64, NULL);
	struct tt_seg s = {.peer = 1,
			.seq = 100,
			.flags = TCPSEG_SYN,
			.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_TS |
					TCPSEG_OPT_SACKOK,
			.mss = 1400,
			.ws = 9,
			.tsval = 4242};
	struct tcpterm_out out;
	struct tcpseg_view v, r;
	struct rte_mbuf *m = tt_frame(&s, &v);

	(void)state;
	assert_int_equal(tcpterm_input(t, &v, m, 0, 5000, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.syn_opts, out.syn.opts);
	assert_int_equal(tcpseg_build_reply(m, &v, &out.reply, 0), TCPSEG_OK);
	assert_int_equal(tcpseg_parse(m, &r), TCPSEG_OK);
	assert_int_equal(r.flags, TCPSEG_SYN | TCPSEG_ACK);
	assert_int_equal(r.seq, out.reply.seq);
	assert_int_equal(r.ack, 101);
	/* No SACK-permitted: the table does not offer it by default (TCPTERM_F_SACK). */
	assert_int_equal(r.opts.present, TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_TS);
	assert_int_equal(r.opts.mss, 1400); /* the peer's 1400, below our 1460 */
	assert_int_equal(r.opts.wscale, 0);
	assert_int_equal(r.opts.tsecr, 4242);
	assert_int_equal(r.opts.tsval, out.reply.tsval);
	/* TSval's low bits: window scale 9, no SACK; never ahead of the clock. */
	assert_int_equal(r.opts.tsval & 0x1f, 9 << 1);
	assert_true(tcpseg_ts_lt(r.opts.tsval, 5000 + (out.reply.tsval - 5000) + 1));
	rte_pktmbuf_free(m);
	tcpterm_table_free(t);
}

static void
test_create_errors(void **state)
{
	struct tcpterm_params p;
	struct tcpterm_response_params rp;
	const struct tcpterm_response *none = NULL;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_null(tcpterm_table_create(&p)); /* no responses */
	assert_int_equal(rte_errno, EINVAL);
	p.responses = &none;
	p.n_responses = 1;
	assert_null(tcpterm_table_create(&p));
	p.responses = (const struct tcpterm_response *const *)&resp;
	p.rto_min_ms = 5000;
	p.rto_max_ms = 1000;
	assert_null(tcpterm_table_create(&p));
	p.rto_min_ms = 0;
	p.rto_max_ms = 0;
	p.capacity = TCPTERM_CAPACITY_MAX + 1;
	assert_null(tcpterm_table_create(&p));
	memset(&rp, 0, sizeof(rp));
	rp.content_type = "text/html\r\nX: y";
	assert_null(tcpterm_response_create(&rp));
	assert_int_equal(rte_errno, EINVAL);
	rp.content_type = NULL;
	rp.body_len = 5;
	assert_null(tcpterm_response_create(&rp));
	rp.mode = 7;
	rp.body_len = 0;
	assert_null(tcpterm_response_create(&rp));
	assert_string_equal(tcpterm_counter_name(TCPTERM_CTR_COOKIE_GOOD), "cookie_good");
	assert_string_equal(tcpterm_counter_name(TCPTERM_CTR_MAX), "unknown");
	assert_string_equal(tcpterm_state_name(TCPTERM_ST_FIN_WAIT_2), "fin_wait_2");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_every_mss_and_wscale),
			cmocka_unit_test(test_small_and_missing_mss),
			cmocka_unit_test(test_lifetime),
			cmocka_unit_test(test_forged),
			cmocka_unit_test(test_listener_other),
			cmocka_unit_test(test_synack_in_place),
			cmocka_unit_test(test_create_errors),
	};
	int rc;

	if (tt_setup("test_tcpterm_cookie") != 0)
		return 1;
	resp = tt_response(100, false, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tcpterm_response_free(resp);
	return rc;
}
