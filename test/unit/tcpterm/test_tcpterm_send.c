/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Sending: segmentation at the MSS and at window edges, the initial window, retransmission
 * and backoff, the retry limit, the FIN-WAIT-2 and idle timeouts, keep-alive and raw mode,
 * frames that tcpseg_parse() accepts (checksums included) with the response's bytes, and a
 * 1 MiB body end to end in memory. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>

#include "cksum_edge.h"
#include "tt_util.h"

#define REQ "GET / HTTP/1.1\r\nHost: x\r\n\r\n"

static const struct rte_ether_addr our_mac = {{0x02, 0, 0, 0, 0, 0x01}};

struct conn {
	struct tcpterm_table *t;
	struct tcpterm_response *r;
	struct tt_seg s;
	uint32_t id, iss, rlen;
	const uint8_t *rbytes;
};

static void
conn_up(struct conn *c, uint32_t body, uint16_t mss, uint32_t win, uint8_t ws, bool v6,
		const struct tcpterm_params *p)
{
	memset(c, 0, sizeof(*c));
	c->r = tt_response(body, false, 0);
	c->t = tt_table(&c->r, 1, 64, p);
	c->s.peer = 1;
	c->s.v6 = v6;
	c->s.seq = 1000;
	c->s.win = win;
	c->s.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_TS | (ws ? TCPSEG_OPT_WSCALE : 0);
	c->s.ws = ws;
	c->s.mss = mss;
	c->s.tsval = 1;
	c->id = tt_connect(c->t, &c->s, 100);
	c->iss = c->s.ack - 1;
	c->rbytes = tcpterm_response_bytes(c->r, 0, &c->rlen);
}

static void
conn_down(struct conn *c)
{
	tcpterm_table_free(c->t); /* NULL: nothing */
	tcpterm_response_free(c->r);
}

static enum tcpterm_verdict
send_req(struct conn *c, uint64_t now, struct tcpterm_out *out)
{
	enum tcpterm_verdict vd;

	c->s.flags = TCPSEG_ACK;
	c->s.data = REQ;
	c->s.len = sizeof(REQ) - 1;
	vd = tt_input(c->t, &c->s, now, out);
	c->s.seq += c->s.len;
	c->s.len = 0;
	return vd;
}

static enum tcpterm_verdict
ack_to(struct conn *c, uint32_t ack, uint32_t win, uint64_t now, struct tcpterm_out *out)
{
	c->s.flags = TCPSEG_ACK;
	c->s.ack = ack;
	c->s.win = win;
	c->s.tsval++;
	return tt_input(c->t, &c->s, now, out);
}

/* Segments are contiguous, at most mss, the response's bytes in order. */
static uint32_t
check_segs(const struct conn *c, const struct tcpterm_out *out, uint32_t seq, uint16_t mss)
{
	unsigned int i;

	for (i = 0; i < out->n_segs; i++) {
		const struct tcpterm_seg *g = &out->segs[i];

		assert_int_equal(g->seq, seq);
		assert_int_equal(g->off, seq - c->iss - 1);
		assert_true(g->len <= mss);
		assert_true(g->flags & TCPSEG_ACK);
		assert_int_equal(g->has_ts, 1);
		seq += g->len + !!(g->flags & TCPSEG_FIN);
	}
	return seq;
}

static void
test_initial_window_and_mss(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint32_t seq;

	(void)state;
	/* 20 segments' worth; a large window: the initial window of 10 MSS goes. */
	conn_up(&c, 20 * 1000, 1000, 65535, 0, false, NULL);
	assert_int_equal(tt_info(c.t, c.id, 100).mss,
			536 - 12); /* 1000 rounds down to 536, less TS */
	conn_down(&c);
	conn_up(&c, 20 * 1220, 1220, 65535, 7, false, NULL);
	assert_int_equal(tt_info(c.t, c.id, 100).mss, 1220 - 12); /* RFC 6691: less NOP NOP TS */
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 10);
	seq = check_segs(&c, &out, c.iss + 1, 1208);
	assert_int_equal(seq, c.iss + 1 + 10 * 1208);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_DATA_SEGS), 10);
	/* ACK of 2 segments: slow start, cwnd 12, 4 more go (flight 8 -> 12). */
	assert_int_equal(ack_to(&c, c.iss + 1 + 2 * 1208, 65535, 210, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 4);
	assert_int_equal(check_segs(&c, &out, seq, 1208), seq + 4 * 1208);
	assert_int_equal(tt_info(c.t, c.id, 210).cwnd, 12 * 1208);
	conn_down(&c);
}

/* RFC 6928: the initial window is min(10 * MSS, max(2 * MSS, 14600)) bytes. With a jumbo
 * MSS that is 2 segments, not 10; a small MSS keeps 10 (it never goes above 10). */
static void
test_initial_window_jumbo(void **state)
{
	struct tcpterm_params p;
	struct conn c;
	struct tcpterm_out out;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.mss_v4 = 8960; /* MTU 9000 */
	conn_up(&c, 200000, 8960, 65535, 7, false, &p);
	assert_int_equal(tt_info(c.t, c.id, 100).mss, 8960 - 12);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 2); /* 17896 bytes: max(2 * 8948, 14600) */
	assert_int_equal(tt_info(c.t, c.id, 200).cwnd, 2 * 8948);
	conn_down(&c);
	conn_up(&c, 200000, 536, 65535, 7, false, &p);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 10); /* 10 * 524 < 14600 */
	conn_down(&c);
}

static void
test_window_edges(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint32_t seq;

	(void)state;
	/* Window 3000 unscaled, MSS 1460 (1448 with timestamps), 5000-byte body. */
	conn_up(&c, 5000, 1460, 3000, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 2); /* 2920; the 80 left wait (SWS avoidance) */
	seq = check_segs(&c, &out, c.iss + 1, 1448);
	/* One segment acked, window still 3000: one more full segment (flight 1448). */
	assert_int_equal(ack_to(&c, c.iss + 1 + 1448, 3000, 210, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].len, 1448);
	seq = check_segs(&c, &out, seq, 1448);
	/* Zero window: nothing, not even an ACK (a pure ACK gets no ACK). */
	assert_int_equal(ack_to(&c, seq, TT_WIN0, 220, &out), TCPTERM_DROP);
	/* The retransmission timer probes it with one segment. */
	assert_int_equal(tcpterm_timers(c.t, 220 + 1000 + 16, 10, NULL, NULL), 1);
	assert_int_equal(tt_info(c.t, c.id, 1300).snd_nxt,
			seq + 1448 < c.iss + 1 + c.rlen ? seq + 1448 : c.iss + 1 + c.rlen + 1);
	assert_int_equal(tt_info(c.t, c.id, 1300).snd_una, seq);
	/* The window opens by exactly what is left (the probe lost): the rest and the FIN. */
	conn_down(&c);
	conn_up(&c, 5000, 1460, 3000, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(ack_to(&c, c.iss + 1 + 1448, 3000, 210, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	seq = c.iss + 1 + 3 * 1448;
	assert_int_equal(ack_to(&c, seq, TT_WIN0, 220, &out), TCPTERM_DROP);
	assert_int_equal(ack_to(&c, seq, (uint16_t)(c.iss + 1 + c.rlen - seq), 230, &out),
			TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].len, c.iss + 1 + c.rlen - seq);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_PSH | TCPSEG_FIN);
	assert_int_equal(tt_info(c.t, c.id, 230).state, TCPTERM_ST_FIN_WAIT_1);
	conn_down(&c);
	/* A scaled window: 10 << 10 = 10240 bytes, 7 segments of 1448 (the 8th would not fit). */
	conn_up(&c, 20000, 1460, 10, 10, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 7);
	conn_down(&c);
}

static void
test_retransmission(void **state)
{
	struct tcpterm_params p;
	struct conn c;
	struct tcpterm_out out;
	uint64_t now = 200;
	uint32_t fired, rto = 1000, k;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.retries = 3;
	conn_up(&c, 3000, 1460, 65535, 0, false, &p);
	assert_int_equal(send_req(&c, now, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 3);
	/* Nothing due before the RTO (1 s, no sample yet). */
	assert_int_equal(tcpterm_timers(c.t, now + 900, 100, NULL, NULL), 0);
	for (k = 0; k < 3; k++) {
		now += rto + 16;
		fired = tcpterm_timers(c.t, now, 100, NULL, NULL);
		assert_int_equal(fired, 1);
		assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RTO_FIRED), k + 1);
		assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RETRANS), k + 1);
		rto *= 2;
		assert_int_equal(tt_info(c.t, c.id, now).rto_ms, rto);
		assert_int_equal(tt_info(c.t, c.id, now).snd_nxt, c.iss + 1 + 1448);
		assert_int_equal(tt_info(c.t, c.id, now).cwnd, 1448);
	}
	/* The fourth: the retry limit, abort with RST. */
	now += rto + 16;
	assert_int_equal(tcpterm_timers(c.t, now, 100, NULL, NULL), 1);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_ABORT_RETRIES), 1);
	assert_int_equal(tcpterm_table_count(c.t), 0);
	conn_down(&c);
}

/* RFC 6298 5.3: only an ACK of new data restarts the retransmission timer. Data from the
 * peer that acknowledges nothing new (here in FIN-WAIT-1, our response and FIN lost) must not
 * put the retransmission off, or a peer trickling bytes would keep it off for ever. */
static void
test_rto_not_restarted_by_data(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint64_t now;

	(void)state;
	conn_up(&c, 100, 1460, 65535, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND); /* RTO due at 1200 */
	assert_int_equal(tt_info(c.t, c.id, 200).state, TCPTERM_ST_FIN_WAIT_1);
	for (now = 300; now < 1200; now += 300) {
		c.s.flags = TCPSEG_ACK;
		c.s.data = "x";
		c.s.len = 1;
		assert_int_equal(tt_input(c.t, &c.s, now, &out), TCPTERM_SEND);
		c.s.seq++;
		c.s.len = 0;
		assert_int_equal(tt_info(c.t, c.id, now).rcv_nxt, c.s.seq);
	}
	assert_int_equal(tcpterm_timers(c.t, 1200 + 16, 10, NULL, NULL), 1);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RTO_FIRED), 1);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RETRANS), 1);
	conn_down(&c);
}

/* RFC 5681 3.1: on a retransmission timeout ssthresh = max(FlightSize / 2, 2 SMSS) and cwnd
 * one segment; slow start up to ssthresh, congestion avoidance (one segment per window of
 * data acked) above it, not slow start again without bound. */
static void
test_rto_ssthresh(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint32_t una, k;

	(void)state;
	conn_up(&c, 200000, 1460, 65535, 7, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 10); /* FlightSize 10 segments */
	assert_int_equal(tcpterm_timers(c.t, 200 + 1000 + 16, 10, NULL, NULL), 1);
	assert_int_equal(tt_info(c.t, c.id, 1216).cwnd, 1448);
	/* The peer had them all: one ACK of the 10. Slow start stops at ssthresh 5. */
	una = c.iss + 1 + 10 * 1448;
	assert_int_equal(ack_to(&c, una, 65535, 1300, &out), TCPTERM_SEND);
	assert_int_equal(tt_info(c.t, c.id, 1300).cwnd, 5 * 1448);
	/* 25 ACKs of one segment each: one segment more per window of ACKs (the timed segment
	 * acked once a round trip), 5 -> 9, not the 30 of slow start. */
	for (k = 0; k < 25; k++) {
		una += 1448;
		ack_to(&c, una, 65535, 1400 + k, &out);
	}
	assert_int_equal(tt_info(c.t, c.id, 1500).cwnd, 9 * 1448);
	conn_down(&c);
	/* A zero window is no congestion: its probes (RTO expiries) leave cwnd and ssthresh. */
	conn_up(&c, 200000, 1460, 65535, 7, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	una = c.iss + 1 + 10 * 1448;
	assert_int_equal(ack_to(&c, una, TT_WIN0, 210, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(c.t, c.id, 210).cwnd, 20 * 1448);
	assert_int_equal(tcpterm_timers(c.t, 210 + 1000 + 16, 10, NULL, NULL), 1);
	assert_int_equal(tcpterm_timers(c.t, 1226 + 2000 + 16, 10, NULL, NULL), 1);
	assert_int_equal(ack_to(&c, una + 1448, 65535, 3300, &out), TCPTERM_SEND);
	assert_int_equal(tt_info(c.t, c.id, 3300).cwnd, 21 * 1448);
	assert_int_equal(out.n_segs, 21);
	conn_down(&c);
}

struct cb_log {
	unsigned int calls;
	enum tcpterm_verdict vd;
	struct tcpterm_seg seg;
	uint32_t conn;
};

static void
log_cb(struct tcpterm_table *t, enum tcpterm_verdict vd, const struct tcpterm_out *out, void *arg)
{
	struct cb_log *l = arg;

	(void)t;
	l->calls++;
	l->vd = vd;
	l->seg = out->segs[0];
	l->conn = out->conn;
	/* The connection is still there for the frame builder. */
	assert_int_equal(tcpterm_conn_get(t, out->conn, 0, &(struct tcpterm_conn_info){0}), 0);
}

/* After an RTT sample the RTO follows it (RFC 6298), floored at rto_min; the retransmitted
 * segment starts at snd_una and the ACK of it restarts sending. */
static void
test_rtt_and_go_back(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	struct cb_log log = {0};
	uint32_t seq;

	(void)state;
	conn_up(&c, 4000, 1460, 65535, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 3);
	/* First segment acked 40 ms later: srtt 40, rttvar 20, RTO 40 + 80 -> floor 200. */
	assert_int_equal(ack_to(&c, c.iss + 1 + 1448, 65535, 240, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(c.t, c.id, 240).rto_ms, 200);
	assert_int_equal(tcpterm_timers(c.t, 240 + 200 + 16, 10, log_cb, &log), 1);
	assert_int_equal(log.calls, 1);
	assert_int_equal(log.vd, TCPTERM_SEND);
	assert_int_equal(log.seg.seq, c.iss + 1 + 1448);
	assert_int_equal(log.seg.len, 1448);
	/* The ACK of the retransmission: the next segment from there (go back N). */
	seq = c.iss + 1 + 2 * 1448;
	assert_int_equal(ack_to(&c, seq, 65535, 500, &out), TCPTERM_SEND);
	assert_true(out.n_segs >= 1);
	assert_int_equal(out.segs[0].seq, seq);
	conn_down(&c);
}

/* A timer set with a clock older than the last tcpterm_timers() call still fires on the next
 * tick, not a turn of the wheel later. */
static void
test_timer_behind(void **state)
{
	struct tcpterm_params p;
	struct conn c;
	struct tcpterm_out out;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.rto_initial_ms = 1;
	p.rto_min_ms = 1;
	conn_up(&c, 100, 1460, 65535, 0, false, &p);
	assert_int_equal(tcpterm_timers(c.t, 1000, 10, NULL, NULL), 0);
	assert_int_equal(send_req(&c, 900, &out), TCPTERM_SEND); /* RTO due at 901 */
	assert_int_equal(tcpterm_timers(c.t, 1016, 10, NULL, NULL), 1);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RTO_FIRED), 1);
	conn_down(&c);
}

/* The caller's clock (TSC milliseconds since boot) passes 2^32 ms after 49.7 days, and the
 * 32-bit tick counter later: timers set before either boundary still fire after it. */
static void
clock_wrap_at(uint64_t t0)
{
	struct tcpterm_response *r = tt_response(100, false, 0);
	struct tcpterm_table *t = tt_table(&r, 1, 64, NULL);
	struct tt_seg s = {.peer = 1, .seq = 1000};
	uint64_t now;
	uint32_t fired = 0;

	assert_int_equal(tcpterm_timers(t, t0, 10, NULL, NULL), 0);
	tt_connect(t, &s, t0); /* idle timer: RST at t0 + 30 s */
	for (now = t0; now < t0 + 30000; now += 500)
		fired += tcpterm_timers(t, now, 10, NULL, NULL);
	assert_int_equal(fired, 0); /* not early */
	assert_int_equal(tcpterm_table_count(t), 1);
	for (; now <= t0 + 31000; now += 500)
		fired += tcpterm_timers(t, now, 10, NULL, NULL);
	assert_int_equal(fired, 1);
	assert_int_equal(tt_ctr(t, TCPTERM_CTR_IDLE_TIMEOUT), 1);
	assert_int_equal(tcpterm_table_count(t), 0);
	/* A timer set before the first tcpterm_timers() call, on a clock past 2^35 ms. */
	tcpterm_table_free(t);
	t = tt_table(&r, 1, 64, NULL);
	s.peer = 2;
	tt_connect(t, &s, t0 + 100);
	for (now = t0 + 100, fired = 0; now < t0 + 30100; now += 500)
		fired += tcpterm_timers(t, now, 10, NULL, NULL);
	assert_int_equal(fired, 0);
	for (; now <= t0 + 31200; now += 500)
		fired += tcpterm_timers(t, now, 10, NULL, NULL);
	assert_int_equal(fired, 1);
	assert_int_equal(tcpterm_table_count(t), 0);
	tcpterm_table_free(t);
	tcpterm_response_free(r);
}

static void
test_timer_clock_wrap(void **state)
{
	(void)state;
	clock_wrap_at((UINT64_C(1) << 32) - 10000);     /* the 32-bit millisecond clock wraps */
	clock_wrap_at((UINT64_C(1) << 36) - 10000);     /* the 32-bit tick counter wraps */
	clock_wrap_at((UINT64_C(1) << 35) + 12345);     /* ticks above 2^31 */
	clock_wrap_at((UINT64_C(5) << 32) - 20000 + 7); /* and again, unaligned */
}

static void
test_fw2_and_idle_timeouts(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	struct cb_log log = {0};

	(void)state;
	conn_up(&c, 100, 1460, 65535, 0, false, NULL);
	/* Idle: no request for 30 s -> RST. */
	assert_int_equal(tcpterm_timers(c.t, 100 + 29000, 10, log_cb, &log), 0);
	assert_int_equal(tcpterm_timers(c.t, 100 + 30000 + 16, 10, log_cb, &log), 1);
	assert_int_equal(log.vd, TCPTERM_RST);
	assert_int_equal(log.seg.flags, TCPSEG_RST | TCPSEG_ACK);
	assert_int_equal(log.seg.seq, c.iss + 1);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_IDLE_TIMEOUT), 1);
	assert_int_equal(tcpterm_table_count(c.t), 0);
	conn_down(&c);
	conn_up(&c, 100, 1460, 65535, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(ack_to(&c, out.segs[0].seq + out.segs[0].len + 1, 65535, 210, &out),
			TCPTERM_DROP);
	assert_int_equal(tt_info(c.t, c.id, 210).state, TCPTERM_ST_FIN_WAIT_2);
	assert_int_equal(tcpterm_timers(c.t, 210 + 59000, 10, NULL, NULL), 0);
	log.calls = 0;
	assert_int_equal(tcpterm_timers(c.t, 210 + 60000 + 16, 10, log_cb, &log), 1);
	assert_int_equal(log.calls, 0); /* closed silently */
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_FW2_TIMEOUT), 1);
	assert_int_equal(tcpterm_table_count(c.t), 0);
	assert_int_equal(tcpterm_next_due_ms(c.t, 70000), UINT32_MAX);
	conn_down(&c);
}

/* A frame of a described segment parses back, checksums included, with the response's
 * bytes; IPv4 and IPv6, with two VLAN tags, software checksums. */
static void
frame_check(bool v6, uint8_t n_vlan)
{
	struct conn c;
	struct tcpterm_out out;
	struct tcpseg_view v;
	uint8_t buf[2048];
	unsigned int i;

	memset(&c, 0, sizeof(c));
	c.r = tt_response(3001, false, 0);
	c.t = tt_table(&c.r, 1, 64, NULL);
	c.s.peer = 7;
	c.s.v6 = v6;
	c.s.n_vlan = n_vlan;
	c.s.seq = 1;
	c.s.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_TS;
	c.s.mss = 1001; /* odd offsets into the body */
	c.id = tt_connect(c.t, &c.s, 100);
	c.iss = c.s.ack - 1;
	c.rbytes = tcpterm_response_bytes(c.r, 0, &c.rlen);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_true(out.n_segs >= 3);
	for (i = 0; i < out.n_segs; i++) {
		const struct tcpterm_seg *g = &out.segs[i];
		struct rte_mbuf *m = tcpterm_frame_build(c.t, out.conn, g, &our_mac, tt_pool, 0);
		const uint8_t *fb;
		uint32_t n, hl;

		assert_non_null(m);
		assert_int_equal(m->nb_segs, g->len ? 2 : 1);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(v.seq, g->seq);
		assert_int_equal(v.ack, g->ack);
		assert_int_equal(v.flags, g->flags);
		assert_int_equal(v.payload_len, g->len);
		assert_int_equal(v.n_vlan, n_vlan);
		assert_int_equal(v.sport, 80);
		assert_int_equal(v.dport, 40007);
		assert_int_equal(v.opts.tsval, g->tsval);
		assert_int_equal(v.opts.tsecr, c.s.tsval);
		n = (uint32_t)rte_pktmbuf_pkt_len(m);
		assert_true(n <= sizeof(buf));
		/* in place when the frame is one segment (no payload): not copied to buf */
		fb = rte_pktmbuf_read(m, 0, n, buf);
		assert_non_null(fb);
		assert_memory_equal(fb, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
		hl = v.l2_len + v.l3_len + v.l4_len;
		assert_memory_equal(fb + hl, c.rbytes + g->off, g->len);
		/* The payload is the response itself, not a copy. */
		if (g->len)
			assert_ptr_equal(rte_pktmbuf_mtod(m->next, const uint8_t *),
					c.rbytes + g->off);
		rte_pktmbuf_free(m);
	}
	conn_down(&c);
}

/* With the port's checksum offloads: flags and lengths for the NIC, the pseudo-header sum in
 * the TCP checksum field, the IPv4 checksum left 0. */
static void
test_frames_offload(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;

	(void)state;
	conn_up(&c, 3000, 1460, 65535, 0, false, NULL);
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	m = tcpterm_frame_build(c.t, out.conn, &out.segs[0], &our_mac, tt_pool,
			RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
	assert_non_null(m);
	assert_int_equal(m->ol_flags,
			RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM);
	assert_int_equal(m->l2_len, 14);
	assert_int_equal(m->l3_len, 20);
	assert_int_equal(m->l4_len, 32);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	th = (struct rte_tcp_hdr *)(ip + 1);
	assert_int_equal(ip->hdr_checksum, 0);
	assert_int_equal(th->cksum, rte_ipv4_phdr_cksum(ip, 0));
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 20 + 32 + out.segs[0].len);
	rte_pktmbuf_free(m);
	/* An empty pool: NULL, ENOMEM, counted. */
	{
		struct rte_mempool *tiny = rte_pktmbuf_pool_create(
				"tt_tiny", 1, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		struct rte_mbuf *hold;

		assert_non_null(tiny);
		hold = rte_pktmbuf_alloc(tiny);
		assert_non_null(hold);
		assert_null(tcpterm_frame_build(c.t, out.conn, &out.segs[0], &our_mac, tiny, 0));
		assert_int_equal(rte_errno, ENOMEM);
		rte_pktmbuf_free(hold);
		/* One mbuf: the header, but not the payload; nothing kept. */
		assert_null(tcpterm_frame_build(c.t, out.conn, &out.segs[0], &our_mac, tiny, 0));
		assert_int_equal(rte_mempool_avail_count(tiny), 1);
		assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_FRAME_NOMEM), 2);
		rte_mempool_free(tiny);
	}
	assert_null(tcpterm_frame_build(c.t, 63, &out.segs[0], &our_mac, tt_pool, 0));
	assert_int_equal(rte_errno, EINVAL);
	conn_down(&c);
}

static void
test_frames(void **state)
{
	unsigned int before = rte_mempool_avail_count(tt_pool);

	(void)state;
	frame_check(false, 0);
	frame_check(true, 0);
	frame_check(false, 2);
	frame_check(true, 1);
	assert_int_equal(rte_mempool_avail_count(tt_pool), before);
}

/* A SYN-ACK frame (reopen, retransmitted by the timer) carries MSS, timestamps and window
 * scale that tcpseg_parse() reads back. */
static void
test_synack_frame(void **state)
{
	struct tcpterm_response *r = tt_response(10, false, 0);
	struct tcpterm_table *t = tt_table(&r, 1, 64, NULL);
	struct tt_seg s = {.peer = 3,
			.seq = 10,
			.flags = TCPSEG_SYN,
			.opts = TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_TS,
			.mss = 1400,
			.ws = 2,
			.tsval = 5};
	struct tcpterm_out out;
	struct tcpseg_view v;
	struct rte_mbuf *f;
	struct cb_log log = {0};

	(void)state;
	assert_int_equal(tt_reopen(t, &s, 0, 1000, 100, &out), TCPTERM_SEND);
	assert_int_equal(tcpterm_timers(t, 100 + 1000 + 16, 10, log_cb, &log), 1);
	assert_int_equal(log.seg.flags, TCPSEG_SYN | TCPSEG_ACK);
	f = tcpterm_frame_build(t, log.conn, &log.seg, &our_mac, tt_pool, 0);
	assert_non_null(f);
	assert_int_equal(tcpseg_parse(f, &v), TCPSEG_OK);
	assert_int_equal(v.seq, 1000 + 65537);
	assert_int_equal(v.opts.present, TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_TS);
	assert_int_equal(v.opts.mss, 1460);
	assert_int_equal(v.opts.wscale, 0);
	assert_int_equal(v.opts.tsecr, 5);
	rte_pktmbuf_free(f);
	tcpterm_table_free(t);
	tcpterm_response_free(r);
}

static void
test_response_sum(void **state)
{
	struct tcpterm_response *r = tt_response(5000, false, 0);
	uint32_t len, off, n, k;
	const uint8_t *b = tcpterm_response_bytes(r, 0, &len);
	uint8_t tmp[6000];

	(void)state;
	srand(1);
	for (k = 0; k < 2000; k++) {
		off = (uint32_t)rand() % len;
		n = (uint32_t)rand() % (len - off + 1);
		memcpy(tmp, b + off, n); /* at an even address, as a payload is summed */
		assert_int_equal(tcpterm_response_sum(r, 0, off, n), rte_raw_cksum(tmp, n));
	}
	tcpterm_response_free(r);
}

/* Keep-alive 2: the first response says keep-alive and has no FIN, the second closes. */
static void
test_keepalive_and_raw(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint32_t l0, l1;
	const uint8_t *b1;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.r = tt_response(10, false, 2);
	c.t = tt_table(&c.r, 1, 64, NULL);
	c.s.peer = 1;
	c.s.seq = 1;
	c.id = tt_connect(c.t, &c.s, 100);
	c.iss = c.s.ack - 1;
	tcpterm_response_bytes(c.r, 0, &l0);
	b1 = tcpterm_response_bytes(c.r, 1, &l1);
	assert_non_null(strstr((const char *)b1, "Connection: keep-alive\r\n"));
	assert_int_equal(send_req(&c, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].variant, 1);
	assert_int_equal(out.segs[0].len, l1);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_PSH);
	assert_int_equal(ack_to(&c, c.iss + 1 + l1, 65535, 210, &out), TCPTERM_DROP);
	assert_int_equal(tt_info(c.t, c.id, 210).state, TCPTERM_ST_ESTABLISHED);
	assert_int_equal(send_req(&c, 220, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].variant, 0);
	assert_int_equal(out.segs[0].seq, c.iss + 1 + l1);
	assert_int_equal(out.segs[0].off, 0);
	assert_int_equal(out.segs[0].len, l0);
	assert_int_equal(out.segs[0].flags, TCPSEG_ACK | TCPSEG_PSH | TCPSEG_FIN);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RESPONSES), 1);
	conn_down(&c);
	/* Raw: any first data is the request, the body goes as it is. */
	memset(&c, 0, sizeof(c));
	c.r = tt_response(10, true, 5);
	c.t = tt_table(&c.r, 1, 64, NULL);
	c.s.peer = 1;
	c.id = tt_connect(c.t, &c.s, 100);
	c.s.flags = TCPSEG_ACK;
	c.s.data = "x";
	c.s.len = 1;
	assert_int_equal(tt_input(c.t, &c.s, 200, &out), TCPTERM_SEND);
	assert_int_equal(out.n_segs, 1);
	assert_int_equal(out.segs[0].len, 10);
	assert_memory_equal(tcpterm_response_bytes(c.r, 0, &l0), "abcdefghij", 10);
	conn_down(&c);
}

/* 1 MiB through a 64 KiB window, every segment acked as it goes, to the hand-off. */
static void
test_one_mib(void **state)
{
	struct conn c;
	struct tcpterm_out out;
	uint64_t bytes = 0, now = 200;
	uint32_t next, rounds = 0;
	uint8_t *got = malloc(2u << 20);

	(void)state;
	assert_non_null(got);
	conn_up(&c, 1u << 20, 1460, 65535, 0, true, NULL);
	assert_int_equal(send_req(&c, now, &out), TCPTERM_SEND);
	for (;;) {
		unsigned int i;

		next = 0;
		for (i = 0; i < out.n_segs; i++) {
			memcpy(got + out.segs[i].off, c.rbytes + out.segs[i].off, out.segs[i].len);
			assert_int_equal(out.segs[i].off, bytes);
			bytes += out.segs[i].len;
			next = out.segs[i].seq + out.segs[i].len +
					!!(out.segs[i].flags & TCPSEG_FIN);
		}
		if (next == 0)
			break;
		now++;
		rounds++;
		ack_to(&c, next, 65535, now, &out);
		if (tt_info(c.t, c.id, now).state == TCPTERM_ST_FIN_WAIT_2)
			break;
	}
	assert_int_equal(bytes, c.rlen);
	assert_memory_equal(got, c.rbytes, c.rlen);
	assert_int_equal(tt_info(c.t, c.id, now).state, TCPTERM_ST_FIN_WAIT_2);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_DATA_BYTES), c.rlen);
	assert_int_equal(tt_ctr(c.t, TCPTERM_CTR_RETRANS), 0);
	assert_true(rounds > 16);
	c.s.flags = TCPSEG_ACK | TCPSEG_FIN;
	assert_int_equal(tt_input(c.t, &c.s, now, &out), TCPTERM_TIMEWAIT);
	assert_int_equal(out.closed.snd_nxt, c.iss + 1 + c.rlen + 1);
	assert_int_equal(out.closed.key.is_ipv6, 1);
	free(got);
	conn_down(&c);
}

/*
 * Checksums at their edges (test/common/cksum_edge.h): tcpterm_frame_build()'s TCP checksum,
 * over the response's precomputed block sums at even and odd offsets, driven to 0x0000 (never
 * 0xffff) and its neighbours by the segment's ack (its low half), SYN-ACKs with their
 * options among the segments; the IPv4 header checksum by the peer's address; with TCP
 * offloaded, the pseudo-header sum to 0xffff (what rte_ipv4_phdr_cksum() gives for a sum of
 * 0 modulo 2^16 - 1) and others, which the NIC must complete to the right checksum. A
 * response whose first block sums to 0xffff and whose other bytes are 0 puts the edge values
 * in the block sums themselves.
 */
struct ck_frame {
	uint8_t b[2048];
	uint32_t len;
	const uint8_t *ip, *th;
	uint32_t l4; /* TCP header and payload */
};

static void
ck_frame_of(struct rte_mbuf *m, struct ck_frame *f)
{
	const void *p;

	f->len = rte_pktmbuf_pkt_len(m);
	assert_true(f->len <= sizeof(f->b));
	p = rte_pktmbuf_read(m, 0, f->len, f->b); /* in place when in one segment */
	assert_non_null(p);
	if (p != f->b)
		memcpy(f->b, p, f->len);
	f->ip = f->b + m->l2_len;
	f->th = f->ip + m->l3_len;
	f->l4 = f->len - m->l2_len - m->l3_len;
}

/* The one's complement sum over the frame's TCP segment and pseudo-header (0xffff: right). */
static uint16_t
ck_tcp_verify(const struct ck_frame *f, bool v6)
{
	return v6 ? __rte_ipv6_udptcp_cksum((const void *)f->ip, f->th)
		  : __rte_ipv4_udptcp_cksum((const void *)f->ip, f->th);
}

static uint16_t
ck_dpdk_phdr(const struct ck_frame *f, bool v6)
{
	return rte_be_to_cpu_16(v6 ? rte_ipv6_phdr_cksum((const void *)f->ip, 0)
				   : rte_ipv4_phdr_cksum((const void *)f->ip, 0));
}

/* A connection of peer @p peer on @p t; its id. */
static uint32_t
ck_conn(struct tcpterm_table *t, bool v6, uint32_t peer)
{
	struct tt_seg s = {.peer = peer, .v6 = v6, .seq = 1, .opts = TCPSEG_OPT_TS, .tsval = 1};

	return tt_connect(t, &s, 100);
}

static void
ck_build(struct tcpterm_table *t, uint32_t id, const struct tcpterm_seg *g, uint64_t tx,
		struct ck_frame *f)
{
	struct rte_mbuf *m = tcpterm_frame_build(t, id, g, &our_mac, tt_pool, tx);

	assert_non_null(m);
	ck_frame_of(m, f);
	rte_pktmbuf_free(m);
}

/* The frame of @p g for peer @p peer's connection, on a table of its own. */
static void
ck_build_peer(struct tcpterm_response *r, bool v6, uint32_t peer, const struct tcpterm_seg *g,
		uint64_t tx, struct ck_frame *f)
{
	struct tcpterm_table *t = tt_table(&r, 1, 64, NULL);

	ck_build(t, ck_conn(t, v6, peer), g, tx, f);
	tcpterm_table_free(t);
}

/* The segments of @p r summed at: the ack's low half for each wanted TCP checksum. */
static void
ck_tcp_edges(struct tcpterm_table *t, uint32_t id, uint32_t rlen, bool v6, unsigned int *n)
{
	static const uint32_t offs[] = {0, 1, 2, 63, 64, 65, 127, 128, 1001};
	static const uint32_t lens[] = {0, 1, 2, 3, 63, 64, 65, 129, 1000};
	static struct ck_frame f;
	struct tcpterm_seg g, g2;
	size_t i, j, k;
	uint16_t ck0, got;

	for (i = 0; i < RTE_DIM(offs); i++)
		for (j = 0; j < RTE_DIM(lens); j++) {
			if (offs[i] + lens[j] > rlen)
				continue;
			memset(&g, 0, sizeof(g));
			g.seq = 0x12345678u + offs[i];
			g.ack = 0x9abcdef0u;
			g.win = 0x7fff;
			g.flags = TCPSEG_ACK | (lens[j] ? TCPSEG_PSH : 0);
			g.has_ts = (uint8_t)(j & 1);
			g.tsval = 0x01020304u * (uint32_t)(i + 1);
			g.tsecr = 5;
			g.off = offs[i];
			g.len = (uint16_t)lens[j];
			if (g.len == 0 && (i & 1)) {
				/* a SYN-ACK with its options (every other empty segment) */
				g.flags = TCPSEG_SYN | TCPSEG_ACK;
				g.syn_opts = TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_SACKOK;
				g.mss = 1460;
				g.wscale = 7;
			}
			ck_build(t, id, &g, 0, &f);
			ck0 = ck_be16(f.th + 16);
			if (g.syn_opts != 0) /* MSS, window scale, SACK-permitted: 3 words more */
				assert_int_equal(f.th[12] >> 4, 5 + 3 * g.has_ts + 3);
			for (k = 0; k < RTE_DIM(ck_wants); k++) {
				g2 = g;
				g2.ack = (g.ack & 0xffff0000u) |
						ck_retarget((uint16_t)g.ack, ck0, ck_wants[k]);
				ck_build(t, id, &g2, 0, &f);
				got = ck_be16(f.th + 16);
				if (got != ck_canonical(ck_wants[k]))
					fail_msg("v6 %d off %u len %u: TCP checksum 0x%04x, want "
						 "0x%04x",
							v6, g.off, g.len, got,
							ck_canonical(ck_wants[k]));
				assert_int_equal(ck_tcp_verify(&f, v6), 0xffff);
				(*n)++;
			}
		}
}

/* The IPv4 header checksum and the pseudo-header sum, steered by the peer's address. */
static void
ck_addr_edges(struct tcpterm_response *r, bool v6, unsigned int *n)
{
	const struct tcpterm_seg g = {.seq = 7,
			.ack = 9,
			.win = 100,
			.flags = TCPSEG_ACK,
			.has_ts = 1,
			.off = 3,
			.len = 50};
	static struct ck_frame f;
	uint16_t ip0, ph0, got, nic;
	size_t k;

	ck_build_peer(r, v6, 1, &g, 0, &f);
	ip0 = v6 ? 0 : ck_be16(f.ip + 10);
	ck_build_peer(r, v6, 1, &g, RTE_ETH_TX_OFFLOAD_TCP_CKSUM, &f);
	ph0 = ck_be16(f.th + 16);
	for (k = 0; k < RTE_DIM(ck_wants); k++) {
		const uint16_t want = ck_wants[k];

		if (!v6) {
			ck_build_peer(r, v6, ck_retarget(1, ip0, want), &g, 0, &f);
			got = ck_be16(f.ip + 10);
			if (got != ck_canonical(want))
				fail_msg("IPv4 checksum 0x%04x, want 0x%04x", got,
						ck_canonical(want));
			assert_int_equal(rte_raw_cksum(f.ip, 20), 0xffff);
			assert_int_equal(ck_tcp_verify(&f, v6), 0xffff);
			(*n)++;
		}
		ck_build_peer(r, v6, ck_retarget(1, (uint16_t)~ph0, (uint16_t)~want), &g,
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM, &f);
		got = ck_be16(f.th + 16);
		if (got != ck_dpdk_phdr(&f, v6) || got != (want == 0 ? 0xffff : want))
			fail_msg("v6 %d: pseudo-header sum 0x%04x, DPDK's 0x%04x, want 0x%04x", v6,
					got, ck_dpdk_phdr(&f, v6), want == 0 ? 0xffff : want);
		nic = (uint16_t)~rte_raw_cksum(f.th, f.l4);
		memcpy((uint8_t *)f.th + 16, &nic, sizeof(nic));
		assert_int_equal(ck_tcp_verify(&f, v6), 0xffff);
		(*n)++;
	}
}

static void
test_frame_cksum_edges(void **state)
{
	struct tcpterm_response_params rp;
	struct tcpterm_response *r[2];
	static uint8_t body[600];
	unsigned int before = rte_mempool_avail_count(tt_pool), n = 0, i;
	struct tcpterm_table *t;
	uint32_t rlen;
	int v6;

	(void)state;
	/* raw: 0xff 0xff, then 0 (the block sums 0xffff), the HTTP response of tt_response() */
	memset(body, 0, sizeof(body));
	body[0] = body[1] = 0xff;
	memset(&rp, 0, sizeof(rp));
	rp.name = "ck_resp";
	rp.socket_id = SOCKET_ID_ANY;
	rp.mode = TCPTERM_MODE_RAW;
	rp.body = body;
	rp.body_len = sizeof(body);
	r[0] = tcpterm_response_create(&rp);
	assert_non_null(r[0]);
	r[1] = tt_response(3001, false, 0);
	for (i = 0; i < RTE_DIM(r); i++)
		for (v6 = 0; v6 <= 1; v6++) {
			t = tt_table(&r[i], 1, 64, NULL);
			tcpterm_response_bytes(r[i], 0, &rlen);
			ck_tcp_edges(t, ck_conn(t, v6, 7), rlen, v6, &n);
			tcpterm_table_free(t);
			ck_addr_edges(r[i], v6, &n);
		}
	print_message("  %u frames at a checksum edge\n", n);
	for (i = 0; i < RTE_DIM(r); i++)
		tcpterm_response_free(r[i]);
	assert_int_equal(rte_mempool_avail_count(tt_pool), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_initial_window_and_mss),
			cmocka_unit_test(test_initial_window_jumbo),
			cmocka_unit_test(test_window_edges),
			cmocka_unit_test(test_retransmission),
			cmocka_unit_test(test_rto_not_restarted_by_data),
			cmocka_unit_test(test_rto_ssthresh),
			cmocka_unit_test(test_rtt_and_go_back),
			cmocka_unit_test(test_timer_behind),
			cmocka_unit_test(test_timer_clock_wrap),
			cmocka_unit_test(test_fw2_and_idle_timeouts),
			cmocka_unit_test(test_frames),
			cmocka_unit_test(test_frames_offload),
			cmocka_unit_test(test_synack_frame),
			cmocka_unit_test(test_response_sum),
			cmocka_unit_test(test_frame_cksum_edges),
			cmocka_unit_test(test_keepalive_and_raw),
			cmocka_unit_test(test_one_mib),
	};

	if (tt_setup("test_tcpterm_send") != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
