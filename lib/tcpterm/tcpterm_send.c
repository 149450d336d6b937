/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * What a connection sends: the response cut into segments of at most the MSS within the
 * peer's window and the congestion window (initial window RFC 6928, slow start RFC 5681
 * without congestion avoidance: one response per connection does not reach it), our FIN on
 * the segment that carries the last byte, ACKs, SYN-ACKs; and which timer runs.
 */

#include <string.h>

#include "tcpterm_pvt.h"

static inline uint32_t
ka_len(const struct tcpterm_table *t, const struct tcpterm_conn *c)
{
	return t->resp[c->resp]->v[1].len;
}

/* Sequence number of the first byte of the current response (or of a FIN alone). */
uint32_t
tcpterm_resp_seq(const struct tcpterm_table *t, const struct tcpterm_conn *c)
{
	uint32_t done = c->nreq - (c->cur == CUR_CLOSE || c->cur == CUR_KA);

	return c->iss + 1 + done * ka_len(t, c);
}

/* Bytes of the current response. */
uint32_t
tcpterm_cur_len(const struct tcpterm_table *t, const struct tcpterm_conn *c)
{
	if (c->cur == CUR_CLOSE)
		return t->resp[c->resp]->v[0].len;
	if (c->cur == CUR_KA)
		return ka_len(t, c);
	return 0;
}

void
tcpterm_fill_hdr(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_seg *s)
{
	memset(s, 0, sizeof(*s));
	s->seq = c->snd_nxt;
	s->ack = c->rcv_nxt;
	s->win = TCPTERM_RCV_WND;
	s->flags = TCPSEG_ACK;
	s->resp = c->resp;
	if (c->flags & C_TS) {
		s->has_ts = 1;
		s->tsval = (uint32_t)now_ms + t->ts_offset;
		s->tsecr = c->ts_recent;
	}
}

/* An ACK (seq = SND.NXT, ack = RCV.NXT) as the reply in place. */
void
tcpterm_ack_reply(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out)
{
	struct tcpseg_reply *r = &out->reply;

	memset(r, 0, sizeof(*r));
	r->seq = c->snd_nxt;
	r->ack = c->rcv_nxt;
	r->win = TCPTERM_RCV_WND;
	r->flags = TCPSEG_ACK;
	if (c->flags & C_TS) {
		r->has_ts = 1;
		r->tsval = (uint32_t)now_ms + t->ts_offset;
		r->tsecr = c->ts_recent;
	}
	out->has_reply = 1;
}

/* The SYN-ACK of a SYN-RECEIVED connection (the options are the SYN's, not a cookie's). */
void
tcpterm_synack_seg(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_seg *s)
{
	tcpterm_fill_hdr(t, c, now_ms, s);
	s->seq = c->iss;
	s->flags = TCPSEG_SYN | TCPSEG_ACK;
	s->syn_opts = TCPSEG_OPT_MSS;
	s->mss = (c->flags & C_IPV6) ? t->p.mss_v6 : t->p.mss_v4;
	if (c->flags & C_WS)
		s->syn_opts |= TCPSEG_OPT_WSCALE;
	if (c->flags & C_SACK)
		s->syn_opts |= TCPSEG_OPT_SACKOK;
}

/* The SYN-ACK of a SYN-RECEIVED connection as the reply in place. */
void
tcpterm_synack_reply(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out)
{
	struct tcpterm_seg s;

	tcpterm_synack_seg(t, c, now_ms, &s);
	memset(&out->reply, 0, sizeof(out->reply));
	out->reply.seq = s.seq;
	out->reply.ack = s.ack;
	out->reply.win = s.win;
	out->reply.flags = s.flags;
	out->reply.has_ts = s.has_ts;
	out->reply.tsval = s.tsval;
	out->reply.tsecr = s.tsecr;
	out->reply.syn_opts = s.syn_opts;
	out->reply.mss = s.mss;
	out->reply.wscale = s.wscale;
	out->syn.opts = s.syn_opts;
	out->syn.mss = s.mss;
	out->syn.wscale = s.wscale;
	out->has_reply = 1;
}

/*
 * The initial window in segments of @p mss (RFC 6928 section 2): min(10 * MSS, max(2 * MSS,
 * 14600)) bytes, with init_cwnd in place of the 10 (14600 being 10 * 1460).
 */
uint16_t
tcpterm_initial_cwnd(const struct tcpterm_table *t, uint16_t mss)
{
	uint32_t n = t->p.init_cwnd, cap = n * 1460u / RTE_MAX(mss, (uint16_t)1);

	return (uint16_t)RTE_MIN(n, RTE_MAX(cap, 2u));
}

/*
 * New data acked from old_una to ack (RFC 5681 3.1): below ssthresh slow start, one segment
 * per segment acked (as Linux counts them) up to ssthresh; at or above it congestion
 * avoidance, one segment per round trip: when the ACK completes an RTT sample (@p rtt), the
 * timed segment being the one that was new a round trip ago.
 */
void
tcpterm_cwnd_acked(struct tcpterm_conn *c, uint32_t old_una, uint32_t ack, bool rtt)
{
	uint32_t cwnd = c->cwnd;

	if (cwnd < c->ssthresh)
		cwnd = RTE_MIN(cwnd + (ack - old_una + c->mss - 1) / c->mss, (uint32_t)c->ssthresh);
	else
		cwnd += rtt;
	c->cwnd = (uint16_t)RTE_MIN(cwnd, 1024u);
}

/* A retransmission timeout (RFC 5681 3.1, equation 4 and the loss window). */
void
tcpterm_cwnd_loss(struct tcpterm_conn *c)
{
	uint32_t flight = (c->snd_max - c->snd_una + c->mss - 1) / c->mss;

	c->ssthresh = (uint16_t)RTE_MIN(RTE_MAX(flight / 2, 2u), (uint32_t)UINT16_MAX);
	c->cwnd = 1;
}

/* Begin the next response for a complete request. */
void
tcpterm_start_response(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	const struct tcpterm_response *r = t->resp[c->resp];

	c->pending--;
	c->nreq++;
	if (c->nreq >= r->keepalive_requests || (c->flags & C_FINRCV))
		c->cur = CUR_CLOSE;
	else
		c->cur = CUR_KA;
}

/* Describe one segment from snd_nxt: n payload bytes, FIN when it ends the response. */
static void
put_seg(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, struct tcpterm_out *out,
		uint32_t start, uint32_t n, bool fin)
{
	struct tcpterm_seg *s = &out->segs[out->n_segs++];

	tcpterm_fill_hdr(t, c, now_ms, s);
	s->off = c->snd_nxt - start;
	s->len = (uint16_t)n;
	s->variant = c->cur == CUR_KA;
	if (n && c->snd_nxt + n == start + tcpterm_cur_len(t, c))
		s->flags |= TCPSEG_PSH;
	if (fin)
		s->flags |= TCPSEG_FIN;
	if (c->snd_nxt == c->snd_max) {
		ctr_inc(t, TCPTERM_CTR_DATA_SEGS);
		ctr_add(t, TCPTERM_CTR_DATA_BYTES, n);
		if (!(c->flags & C_RTT)) {
			c->flags |= C_RTT;
			c->rtt_seq = c->snd_nxt;
			c->rtt_time = (uint32_t)now_ms;
		}
	}
	c->snd_nxt += n + fin;
	if (tcpseg_seq_gt(c->snd_nxt, c->snd_max))
		c->snd_max = c->snd_nxt;
}

/*
 * Describe what may be sent now from snd_nxt: segments of at most the MSS while the usable
 * window (the smaller of the peer's and the congestion window, less what is in flight)
 * allows, at most TCPTERM_SEGS_MAX. With @p one (a retransmission or a window probe), one
 * segment whatever the window. A segment shorter than the MSS waits for more window while
 * anything is in flight (RFC 9293 3.8.6.2.1, the sender's SWS avoidance). Returns the number
 * of segments added to out.
 */
unsigned int
tcpterm_send(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out, bool one)
{
	uint32_t start = tcpterm_resp_seq(t, c), data_end, end, wnd;
	unsigned int before = out->n_segs;
	bool has_fin = c->cur == CUR_CLOSE || c->cur == CUR_FIN;

	if (c->cur == CUR_NONE)
		return 0;
	data_end = start + tcpterm_cur_len(t, c);
	end = data_end + has_fin;
	wnd = RTE_MIN((uint32_t)c->cwnd * c->mss, (uint32_t)c->snd_wnd << c->snd_wscale);
	while (tcpseg_seq_lt(c->snd_nxt, end) && out->n_segs < TCPTERM_SEGS_MAX) {
		uint32_t flight = c->snd_nxt - c->snd_una;
		uint32_t left = tcpseg_seq_lt(c->snd_nxt, data_end) ? data_end - c->snd_nxt : 0;
		uint32_t avail = one ? c->mss : (flight < wnd ? wnd - flight : 0);
		uint32_t n = RTE_MIN(RTE_MIN((uint32_t)c->mss, left), avail);

		if (n < left && (n < c->mss && flight > 0))
			break;
		if (n == 0 && left > 0)
			break; /* zero window: the retransmission timer probes it */
		put_seg(t, c, now_ms, out, start, n, has_fin && c->snd_nxt + n == data_end);
		if (one)
			break;
	}
	if (has_fin && c->snd_max == end) {
		if (c->state == TCPTERM_ST_ESTABLISHED)
			set_state(t, c, TCPTERM_ST_FIN_WAIT_1);
		else if (c->state == TCPTERM_ST_CLOSE_WAIT)
			set_state(t, c, TCPTERM_ST_LAST_ACK);
	}
	return out->n_segs - before;
}

/*
 * Arm the connection's one timer for what it waits for: the retransmission timer while
 * anything of the current response is unacknowledged or unsent (restarted when @p acked, an
 * ACK of new data, and only then: RFC 6298 5.3; started when not running, 5.1), the
 * FIN-WAIT-2 timeout from the entry into FIN-WAIT-2, the idle timeout (restarted when
 * @p acked or on new @p data) in ESTABLISHED otherwise.
 */
void
tcpterm_arm(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, bool acked, bool data)
{
	uint8_t kind = c->l2 & L2_TKIND;
	uint32_t end = tcpterm_resp_seq(t, c) + tcpterm_cur_len(t, c) +
			(c->cur == CUR_CLOSE || c->cur == CUR_FIN);

	if (c->state == TCPTERM_ST_SYN_RECEIVED || tcpseg_seq_lt(c->snd_una, end)) {
		if (kind != L2_T_RTO || acked)
			tcpterm_timer_set(t, c, now_ms, c->rto, L2_T_RTO);
	} else if (c->state == TCPTERM_ST_FIN_WAIT_2) {
		if (kind != L2_T_FW2)
			tcpterm_timer_set(t, c, now_ms, t->p.fin_wait2_ms, L2_T_FW2);
	} else if (c->state == TCPTERM_ST_ESTABLISHED) {
		if (kind != L2_T_IDLE || acked || data)
			tcpterm_timer_set(t, c, now_ms, t->p.idle_ms, L2_T_IDLE);
	} else {
		tcpterm_timer_stop(t, c);
	}
}
