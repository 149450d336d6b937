/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* The connection's states: every transition of RFC 9293's segment-arrival rules that the
 * table implements, RFC 5961's RST and SYN rules, the hand-off values, a full table. */

#include <setjmp.h>
#include <stdarg.h>
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>

#include <twq.h>

#include "tt_util.h"

#define REQ "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

static struct tcpterm_response *small; /* 100-byte body: one segment */
static uint64_t tt_ctr_prev;

struct fix {
	struct tcpterm_table *t;
	struct tt_seg s; /* the peer's next segment: seq = its snd_nxt, ack = our snd_nxt */
	uint32_t id;
	uint32_t rlen;   /* bytes of the response */
	uint32_t ts_off; /* our TSval - now */
};

static void
fix_up(struct fix *f, bool ts, const struct tcpterm_params *p)
{
	memset(f, 0, sizeof(*f));
	f->t = tt_table(&small, 1, 64, p);
	f->s.peer = 1;
	f->s.seq = 1000;
	f->s.opts = TCPSEG_OPT_MSS | (ts ? TCPSEG_OPT_TS : 0);
	f->s.mss = 1460;
	f->s.tsval = 500;
	f->id = tt_connect(f->t, &f->s, 100);
	tcpterm_response_bytes(small, 0, &f->rlen);
}

/* Send the request; expect the whole response and our FIN in one segment. */
static void
request(struct fix *f, uint64_t now)
{
	struct tcpterm_out out;

	f->s.flags = TCPSEG_ACK | TCPSEG_PSH;
	f->s.data = REQ;
	f->s.len = sizeof(REQ) - 1;
	assert_int_equal(tt_input(f->t, &f->s, now, &out), TCPTERM_SEND);
	assert_false(out.has_reply);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].seq, f->s.ack);
	assert_int_equal(out.segs[0].ack, f->s.seq + f->s.len);
	assert_int_equal(out.segs[0].len, f->rlen);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_PSH | TCPSEG_FIN);
	f->ts_off = out.segs[0].tsval - (uint32_t)now;
	f->s.seq += f->s.len;
	f->s.len = 0;
	f->s.data = NULL;
	assert_int_equal(tt_info(f->t, f->id, now).state, TCPTERM_ST_FIN_WAIT_1);
}

static enum tcpterm_verdict
seg(struct fix *f, uint8_t flags, uint32_t seq, uint32_t ack, uint64_t now, struct tcpterm_out *out)
{
	struct tt_seg s = f->s;

	s.flags = flags;
	s.seq = seq;
	s.ack = ack;
	return tt_input(f->t, &s, now, out);
}

static void
test_request_split(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	const char *req = REQ;
	size_t i, n = strlen(req);

	(void)state;
	fix_up(&f, true, NULL);
	/* One byte per segment: ACKed each, answered after the last. */
	for (i = 0; i < n; i++) {
		f.s.flags = TCPSEG_ACK;
		f.s.data = req + i;
		f.s.len = 1;
		assert_int_equal(tt_input(f.t, &f.s, 200, &out), TCPTERM_SEND);
		f.s.seq++;
		if (i + 1 < n) {
			assert_true(out.has_reply);
			assert_int_equal(out.n_segs, 0);
			assert_int_equal(out.reply.ack, f.s.seq);
			assert_int_equal(out.reply.flags, TCPSEG_ACK);
			assert_int_equal(out.reply.tsecr, f.s.tsval);
		}
	}
	assert_int_equal(out.n_segs, 1);
	assert_false(out.has_reply);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_REQUESTS), 1);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_DATA_ACKED), n);
	tcpterm_table_free(f.t);
}

/* "\r\n\n\r\n" and friends are not the end; CR LF CR LF across segments is. */
static void
test_request_matcher(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	const char *parts[] = {"GET / HTTP/1.0\r\n\n", "\r\r\n", "X: y\r", "\n\r", "\n"};
	unsigned int i;

	(void)state;
	fix_up(&f, false, NULL);
	for (i = 0; i < RTE_DIM(parts); i++) {
		f.s.flags = TCPSEG_ACK;
		f.s.data = parts[i];
		f.s.len = (uint16_t)strlen(parts[i]);
		tt_input(f.t, &f.s, 200, &out);
		f.s.seq += f.s.len;
		assert_int_equal(out.n_segs, i + 1 == RTE_DIM(parts));
	}
	tcpterm_table_free(f.t);
}

/* The matcher against a byte-by-byte reference: random streams of CR, LF and 'a' cut into
 * random segments, with keep-alive so that every request is counted. */
static void
test_request_matcher_random(void **state)
{
	struct tcpterm_response *ka = tt_response(10, false, 255);
	struct tcpterm_table *t;
	struct tcpterm_out out;
	static const char alpha[] = "\r\n\r\na";
	char buf[600];
	uint32_t round;

	(void)state;
	t = tt_table(&ka, 1, 64, NULL);
	srand(7);
	for (round = 0; round < 300; round++) {
		struct tt_seg s = {.peer = round + 1, .seq = 1};
		uint32_t len = (uint32_t)rand() % sizeof(buf), off = 0, i, want = 0;
		uint8_t m = 0;

		for (i = 0; i < len; i++) {
			buf[i] = alpha[rand() % 5];
			/* reference: CR LF CR LF, matches not overlapping */
			if (buf[i] == '\r')
				m = m == 2 ? 3 : 1;
			else if (buf[i] == '\n' && m == 3)
				m = 0, want++;
			else if (buf[i] == '\n' && m == 1)
				m = 2;
			else
				m = 0;
		}
		tt_connect(t, &s, 100);
		while (off < len) {
			uint32_t n = RTE_MIN((uint32_t)rand() % 40 + 1, len - off);

			s.flags = TCPSEG_ACK;
			s.data = buf + off;
			s.len = (uint16_t)n;
			/* the window of responses stays open: ack all we were sent */
			tt_input(t, &s, 200, &out);
			s.seq += n;
			off += n;
		}
		assert_int_equal(tt_ctr(t, TCPTERM_CTR_REQUESTS), want + (round ? tt_ctr_prev : 0));
		tt_ctr_prev = tt_ctr(t, TCPTERM_CTR_REQUESTS);
		s.flags = TCPSEG_RST;
		tt_input(t, &s, 200, &out);
	}
	tcpterm_table_free(t);
	tcpterm_response_free(ka);
}

static void
test_active_close_fw2(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	uint32_t our_fin;

	(void)state;
	fix_up(&f, true, NULL);
	request(&f, 200);
	our_fin = f.s.ack + f.rlen;
	/* ACK of the data but not the FIN: still FIN-WAIT-1. */
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, our_fin, 210, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(f.t, f.id, 210).state, TCPTERM_ST_FIN_WAIT_1);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_RESPONSES), 1);
	/* ACK of our FIN: FIN-WAIT-2. */
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, our_fin + 1, 220, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(f.t, f.id, 220).state, TCPTERM_ST_FIN_WAIT_2);
	assert_int_equal(tt_state_count(f.t, TCPTERM_ST_FIN_WAIT_2), 1);
	/* The peer's FIN: TIME_WAIT, with the ACK owed (ACKNOW). */
	f.s.tsval = 900;
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq, our_fin + 1, 230, &out),
			TCPTERM_TIMEWAIT);
	assert_int_equal(out.closed.snd_nxt, our_fin + 1);
	assert_int_equal(out.closed.rcv_nxt, f.s.seq + 1);
	assert_int_equal(out.closed.rcv_adv, f.s.seq + 1 + 65535);
	assert_int_equal(out.closed.ts_recent, 900);
	assert_int_equal(out.closed.ts_offset, f.ts_off);
	assert_int_equal(out.closed.rcv_scale, 0);
	assert_int_equal(out.closed.flags,
			TCPTERM_CLOSED_REQ_TSTMP | TCPTERM_CLOSED_RCVD_TSTMP |
					TCPTERM_CLOSED_ACKNOW);
	assert_int_equal(out.closed.key.lport, 80);
	assert_int_equal(out.closed.key.rport, 40001);
	assert_int_equal(out.closed.key.laddr.v4, rte_cpu_to_be_32(0xc6120001));
	assert_int_equal(out.closed.key.raddr.v4, rte_cpu_to_be_32(0xc6130001));
	assert_int_equal(out.closed.key.is_ipv6, 0);
	assert_int_equal(out.conn, TCPTERM_ID_NONE);
	assert_int_equal(tcpterm_table_count(f.t), 0);
	assert_int_equal(tt_state_count(f.t, TCPTERM_ST_FIN_WAIT_2), 0);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_TIMEWAIT), 1);
	tcpterm_table_free(f.t);
}

/* struct tcpterm_closed is laid out as lib/twq's struct twq_conn. */
#define SAME(f) \
	static_assert(offsetof(struct tcpterm_closed, f) == offsetof(struct twq_conn, f) && \
					sizeof(((struct tcpterm_closed *)0)->f) == \
							sizeof(((struct twq_conn *)0)->f), \
			"field " #f)
SAME(key.laddr);
SAME(key.raddr);
SAME(key.lport);
SAME(key.rport);
SAME(key.is_ipv6);
SAME(snd_nxt);
SAME(rcv_nxt);
SAME(rcv_adv);
SAME(ts_recent);
SAME(ts_offset);
SAME(rcv_scale);
SAME(flags);
static_assert(sizeof(struct tcpterm_closed) == sizeof(struct twq_conn), "size");
static_assert(TCPTERM_CLOSED_REQ_TSTMP == TWQ_CONN_REQ_TSTMP &&
				TCPTERM_CLOSED_RCVD_TSTMP == TWQ_CONN_RCVD_TSTMP &&
				TCPTERM_CLOSED_NOOPT == TWQ_CONN_NOOPT &&
				TCPTERM_CLOSED_ACKNOW == TWQ_CONN_ACKNOW,
		"flags");

/* The hand-off as the application makes it: the closed connection into twq_start(), which
 * owes the ACK of the peer's FIN and keeps what the next segments need. */
static void
test_handoff_into_twq(void **state)
{
	struct twq_params tp = {.name = "tt_twq",
			.socket_id = SOCKET_ID_ANY,
			.capacity = 64,
			.capacity6 = 64,
			.msl_ms = 30000};
	struct twq_shard *tw = twq_shard_create(&tp);
	struct tcpseg_reply ack;
	struct twq_entry_info info;
	struct twq_conn tc;
	struct tcpterm_out out;
	struct fix f;
	uint32_t our_fin, id;

	(void)state;
	assert_non_null(tw);
	fix_up(&f, true, NULL);
	request(&f, 200);
	our_fin = f.s.ack + f.rlen;
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, our_fin + 1, 210, &out), TCPTERM_DROP);
	f.s.tsval = 777;
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq, our_fin + 1, 220, &out),
			TCPTERM_TIMEWAIT);
	memcpy(&tc, &out.closed, sizeof(tc));
	assert_int_equal(twq_start(tw, &tc, 220, &ack), TWQ_START_ACK);
	assert_int_equal(ack.flags, TCPSEG_ACK);
	assert_int_equal(ack.seq, our_fin + 1);
	assert_int_equal(ack.ack, f.s.seq + 1);
	assert_int_equal(ack.win, 65535);
	assert_int_equal(ack.has_ts, 1);
	assert_int_equal(ack.tsecr, 777);
	assert_int_equal(ack.tsval, 220 + f.ts_off);
	id = twq_lookup(tw, &tc.key);
	assert_int_not_equal(id, TWQ_ID_NONE);
	assert_int_equal(twq_entry_get(tw, id, 220, &info), 0);
	assert_int_equal(info.snd_nxt, our_fin + 1);
	assert_int_equal(info.rcv_nxt, f.s.seq + 1);
	assert_int_equal(info.last_win, 65535);
	assert_int_equal(info.t_recent, 777);
	assert_int_equal(info.ts_offset, f.ts_off);
	assert_int_equal(info.has_ts, 1);
	assert_int_equal(info.remaining_ms, 60000);
	twq_shard_free(tw);
	tcpterm_table_free(f.t);
}

/* FIN-WAIT-1 + FIN|ACK that acks our FIN: TIME_WAIT at once, ACKNOW; no timestamps. */
static void
test_fw1_fin_ack(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	uint32_t our_fin;

	(void)state;
	fix_up(&f, false, NULL);
	request(&f, 200);
	our_fin = f.s.ack + f.rlen;
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq, our_fin + 1, 230, &out),
			TCPTERM_TIMEWAIT);
	assert_int_equal(out.closed.snd_nxt, our_fin + 1);
	assert_int_equal(out.closed.rcv_nxt, f.s.seq + 1);
	assert_int_equal(out.closed.ts_recent, 0);
	assert_int_equal(out.closed.flags, TCPTERM_CLOSED_ACKNOW);
	tcpterm_table_free(f.t);
}

/* Simultaneous close: FIN-WAIT-1 + FIN (ours not acked) -> CLOSING, ACK; ACK -> TIME_WAIT
 * without ACKNOW (the peer's FIN was acked already). */
static void
test_closing(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	uint32_t our_fin;

	(void)state;
	fix_up(&f, true, NULL);
	request(&f, 200);
	our_fin = f.s.ack + f.rlen;
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq, f.s.ack, 210, &out),
			TCPTERM_SEND);
	assert_true(out.has_reply);
	assert_int_equal(out.reply.flags, TCPSEG_ACK);
	assert_int_equal(out.reply.ack, f.s.seq + 1);
	assert_int_equal(tt_info(f.t, f.id, 210).state, TCPTERM_ST_CLOSING);
	f.s.seq++;
	/* The FIN again: ACKed again, still CLOSING. */
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq - 1, f.s.ack, 215, &out),
			TCPTERM_SEND);
	assert_int_equal(out.reply.ack, f.s.seq);
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, our_fin + 1, 220, &out), TCPTERM_TIMEWAIT);
	assert_int_equal(out.closed.flags, TCPTERM_CLOSED_REQ_TSTMP | TCPTERM_CLOSED_RCVD_TSTMP);
	assert_int_equal(out.closed.rcv_nxt, f.s.seq);
	assert_int_equal(out.closed.snd_nxt, our_fin + 1);
	tcpterm_table_free(f.t);
}

/* The peer closes first: request and FIN -> CLOSE-WAIT -> response and our FIN -> LAST-ACK ->
 * ACK -> gone, no TIME_WAIT. */
static void
test_passive_close(void **state)
{
	struct fix f;
	struct tcpterm_out out;

	(void)state;
	fix_up(&f, true, NULL);
	f.s.flags = TCPSEG_ACK | TCPSEG_FIN;
	f.s.data = REQ;
	f.s.len = sizeof(REQ) - 1;
	assert_int_equal(tt_input(f.t, &f.s, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].ack, f.s.seq + f.s.len + 1);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_PSH | TCPSEG_FIN);
	assert_int_equal(tt_info(f.t, f.id, 200).state, TCPTERM_ST_LAST_ACK);
	f.s.seq += f.s.len + 1;
	f.s.len = 0;
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, f.s.ack + f.rlen + 1, 210, &out),
			TCPTERM_DROP);
	assert_int_equal(tcpterm_table_count(f.t), 0);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_LAST_ACK_CLOSED), 1);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_TIMEWAIT), 0);
	tcpterm_table_free(f.t);
}

/* A FIN with no request: CLOSE-WAIT, our FIN alone, LAST-ACK. */
static void
test_fin_no_request(void **state)
{
	struct fix f;
	struct tcpterm_out out;

	(void)state;
	fix_up(&f, false, NULL);
	assert_int_equal(seg(&f, TCPSEG_ACK | TCPSEG_FIN, f.s.seq, f.s.ack, 200, &out),
			TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].len, 0);
	assert_int_equal(out.segs[0].seq, f.s.ack);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_FIN);
	assert_int_equal(tt_info(f.t, f.id, 200).state, TCPTERM_ST_LAST_ACK);
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq + 1, f.s.ack + 1, 210, &out), TCPTERM_DROP);
	assert_int_equal(tcpterm_table_count(f.t), 0);
	tcpterm_table_free(f.t);
}

/* RFC 5961: RST at RCV.NXT ends it; in the window: challenge ACK; outside: dropped. */
static void
test_rst(void **state)
{
	struct tcpterm_params p;
	struct fix f;
	struct tcpterm_out out;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.challenge_ack_limit = 2;
	fix_up(&f, false, &p);
	assert_int_equal(seg(&f, TCPSEG_RST, f.s.seq + 100000, 0, 200, &out), TCPTERM_DROP);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_RST_DROPPED), 1);
	assert_int_equal(seg(&f, TCPSEG_RST, f.s.seq + 1, 0, 200, &out), TCPTERM_SEND);
	assert_true(out.has_reply);
	assert_int_equal(out.reply.flags, TCPSEG_ACK);
	assert_int_equal(out.reply.seq, f.s.ack);
	assert_int_equal(out.reply.ack, f.s.seq);
	assert_int_equal(seg(&f, TCPSEG_RST, f.s.seq + 2, 0, 300, &out), TCPTERM_SEND);
	/* Third within the second: withheld. */
	assert_int_equal(seg(&f, TCPSEG_RST, f.s.seq + 3, 0, 400, &out), TCPTERM_DROP);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_RST_CHALLENGE), 2);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_CHALLENGE_LIMITED), 1);
	/* A second later the budget is back; a SYN gets one too (RFC 5961 section 4). */
	assert_int_equal(seg(&f, TCPSEG_SYN, f.s.seq, 0, 1400, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.flags, TCPSEG_ACK);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_SYN_CHALLENGE), 1);
	assert_int_equal(tcpterm_table_count(f.t), 1);
	assert_int_equal(seg(&f, TCPSEG_RST, f.s.seq, 0, 1500, &out), TCPTERM_DROP);
	assert_int_equal(tcpterm_table_count(f.t), 0);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_RST_CLOSED), 1);
	assert_int_equal(tt_state_count(f.t, TCPTERM_ST_ESTABLISHED), 0);
	tcpterm_table_free(f.t);
}

/* Out of window: ACK; out of order: duplicate ACK, data dropped; ACK of unsent: ACK;
 * no ACK flag: dropped; an old timestamp (PAWS): ACK. */
static void
test_unacceptable(void **state)
{
	struct fix f;
	struct tcpterm_out out;
	struct tt_seg s;

	(void)state;
	fix_up(&f, true, NULL);
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq + 70000, f.s.ack, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.ack, f.s.seq);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_OOW_ACKED), 1);
	s = f.s;
	s.flags = TCPSEG_ACK;
	s.seq += 10;
	s.data = "xx";
	s.len = 2;
	assert_int_equal(tt_input(f.t, &s, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.ack, f.s.seq);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_OOO_DROPPED), 1);
	assert_int_equal(tt_info(f.t, f.id, 200).rcv_nxt, f.s.seq);
	assert_int_equal(seg(&f, TCPSEG_ACK, f.s.seq, f.s.ack + 5, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.seq, f.s.ack);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_ACK_UNSENT), 1);
	assert_int_equal(seg(&f, 0, f.s.seq, 0, 200, &out), TCPTERM_DROP);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_NOACK_DROPPED), 1);
	s = f.s;
	s.flags = TCPSEG_ACK;
	s.tsval = f.s.tsval - 10;
	assert_int_equal(tt_input(f.t, &s, 200, &out), TCPTERM_SEND);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_OOW_ACKED), 2);
	/* Retransmitted old data (left of RCV.NXT, in no window): ACK, no change. */
	s = f.s;
	s.flags = TCPSEG_ACK;
	s.seq -= 3;
	s.data = "abc";
	s.len = 3;
	assert_int_equal(tt_input(f.t, &s, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.ack, f.s.seq);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_OOW_ACKED), 3);
	assert_int_equal(tt_ctr(f.t, TCPTERM_CTR_DATA_ACKED), 0);
	tcpterm_table_free(f.t);
}

/* Reopen from TIME_WAIT: SYN-RECEIVED with ISN old snd_nxt + 65537; the SYN again gets the
 * SYN-ACK again; the ACK makes it ESTABLISHED; a bad ACK gets RST <SEQ=SEG.ACK>. */
static void
test_reopen(void **state)
{
	struct tcpterm_table *t = tt_table(&small, 1, 64, NULL);
	struct tt_seg s = {.peer = 9,
			.seq = 5000,
			.flags = TCPSEG_SYN,
			.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_TS,
			.mss = 1400,
			.ws = 7,
			.tsval = 77};
	struct tcpterm_out out;
	struct tcpseg_view v;
	struct rte_mbuf *m = tt_frame(&s, &v);
	struct tcpterm_conn_info i;

	(void)state;
	assert_int_equal(tcpterm_syn_reopen(t, &v, m, 0, 0xfffffff0u, 100, &out), TCPTERM_SEND);
	assert_true(out.has_reply);
	assert_int_equal(out.reply.flags, TCPSEG_SYN | TCPSEG_ACK);
	assert_int_equal(out.reply.seq, 0xfffffff0u + 65535 + 2);
	assert_int_equal(out.reply.ack, 5001);
	assert_int_equal(out.reply.tsecr, 77);
	assert_int_equal(out.syn.opts, TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE);
	assert_int_equal(out.syn.mss, 1460);
	assert_int_equal(out.syn.wscale, 0);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_REOPEN), 1);
	i = tt_info(t, out.conn, 100);
	assert_int_equal(i.state, TCPTERM_ST_SYN_RECEIVED);
	assert_int_equal(i.mss, 1400 - 12); /* RFC 6691: less NOP NOP TS */
	assert_int_equal(i.snd_wscale, 7);
	/* Not a SYN, or no listener: nothing. */
	assert_int_equal(tcpterm_syn_reopen(t, &v, m, 1, 1, 100, &out), TCPTERM_DROP);
	rte_pktmbuf_free(m);
	/* The SYN again. */
	assert_int_equal(tt_input(t, &s, 150, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.flags, TCPSEG_SYN | TCPSEG_ACK);
	assert_int_equal(out.reply.seq, 0xfffffff0u + 65535 + 2);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_SYNACK_RETRANS), 1);
	/* A bad ACK. */
	s.flags = TCPSEG_ACK;
	s.seq = 5001;
	s.ack = 12345;
	s.opts = TCPSEG_OPT_TS;
	assert_int_equal(tt_input(t, &s, 160, &out), TCPTERM_SEND);
	assert_int_equal(out.reply.flags, TCPSEG_RST);
	assert_int_equal(out.reply.seq, 12345);
	/* The right ACK, with the request: the response at once. */
	s.ack = 0xfffffff0u + 65535 + 3;
	s.data = REQ;
	s.len = sizeof(REQ) - 1;
	assert_int_equal(tt_input(t, &s, 170, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].seq, s.ack);
	assert_int_equal(tt_info(t, out.conn, 170).state, TCPTERM_ST_FIN_WAIT_1);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_ACCEPTED), 1);
	tcpterm_table_free(t);
}

/* A full table refuses with RST and keeps every connection it has. */
static void
test_full(void **state)
{
	struct tcpterm_table *t = tt_table(&small, 1, 64, NULL);
	struct tcpterm_out out;
	struct tt_seg s;
	uint32_t n, ids[64];

	(void)state;
	for (n = 0; n < 64; n++) {
		memset(&s, 0, sizeof(s));
		s.peer = n + 1;
		s.seq = n * 100;
		ids[n] = tt_connect(t, &s, 100);
	}
	assert_int_equal(tcpterm_table_count(t), 64);
	memset(&s, 0, sizeof(s));
	s.peer = 100;
	s.flags = TCPSEG_SYN;
	assert_int_equal(tt_input(t, &s, 100, &out), TCPTERM_SEND); /* a cookie costs nothing */
	s.flags = TCPSEG_ACK;
	s.seq = 1;
	s.ack = out.reply.seq + 1;
	assert_int_equal(tt_input(t, &s, 100, &out), TCPTERM_RST);
	assert_int_equal(out.reply.flags, TCPSEG_RST);
	assert_int_equal(out.reply.seq, s.ack);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_TABLE_FULL), 1);
	for (n = 0; n < 64; n++) {
		struct tcpterm_key k;
		struct tcpterm_conn_info i = tt_info(t, ids[n], 100);

		assert_int_equal(i.key.rport, 40000 + n + 1);
		k = i.key;
		assert_int_equal(tcpterm_find(t, &k), ids[n]);
	}
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_LOOKUP_HIT), 0);
	tcpterm_table_free(t);
}

static int
count_cb(const struct tcpterm_conn_info *i, void *arg)
{
	(*(uint32_t *)arg)++;
	return i->state == TCPTERM_ST_ESTABLISHED ? 0 : 1;
}

static void
test_foreach(void **state)
{
	struct tcpterm_table *t = tt_table(&small, 1, 64, NULL);
	struct tt_seg s;
	uint32_t n, seen = 0;

	(void)state;
	for (n = 0; n < 10; n++) {
		memset(&s, 0, sizeof(s));
		s.peer = n + 1;
		tt_connect(t, &s, 100);
	}
	assert_int_equal(tcpterm_foreach(t, 100, count_cb, &seen), 0);
	assert_int_equal(seen, 10);
	assert_int_equal(tt_state_count(t, TCPTERM_ST_ESTABLISHED), 10);
	assert_true(tcpterm_table_memory(t) >= 64 * 120);
	tcpterm_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_request_split),
			cmocka_unit_test(test_request_matcher),
			cmocka_unit_test(test_request_matcher_random),
			cmocka_unit_test(test_active_close_fw2),
			cmocka_unit_test(test_handoff_into_twq),
			cmocka_unit_test(test_fw1_fin_ack),
			cmocka_unit_test(test_closing),
			cmocka_unit_test(test_passive_close),
			cmocka_unit_test(test_fin_no_request),
			cmocka_unit_test(test_rst),
			cmocka_unit_test(test_unacceptable),
			cmocka_unit_test(test_reopen),
			cmocka_unit_test(test_full),
			cmocka_unit_test(test_foreach),
	};
	int rc;

	if (tt_setup("test_tcpterm_conn") != 0)
		return 1;
	small = tt_response(100, false, 0);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tcpterm_response_free(small);
	return rc;
}
