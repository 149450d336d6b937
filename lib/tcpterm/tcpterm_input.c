/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Segment arrival on a live connection: RFC 9293 section 3.10.7.4, in its order (sequence
 * check with PAWS, RST, SYN, ACK, data, FIN), with RFC 5961's rules for RST (exact sequence
 * number ends the connection, in-window gets a challenge ACK) and for SYN (a challenge ACK),
 * under one rate limit per table. The connection's own output follows: the response, its FIN,
 * or an ACK that is owed.
 */

#include <string.h>

#include <rte_mbuf.h>
#include <rte_random.h>

#include "tcpterm_pvt.h"

/* What ack_in() found. */
enum ack_res { ACK_OK, ACK_UNSENT, ACK_OLD, ACK_GONE, ACK_TIMEWAIT };

void
tcpterm_out_init(struct tcpterm_out *out)
{
	out->conn = TCPTERM_ID_NONE;
	out->port = 0;
	out->has_reply = 0;
	out->n_segs = 0;
}

/*
 * RFC 5961 section 7: one budget of challenge ACKs per second for the table, drawn anew in
 * [limit / 2, limit * 3 / 2) each second as Linux 4.7 does (CVE-2016-5696: a constant budget
 * tells an off-path attacker, counting its own challenge ACKs, that a spoofed RST hit).
 */
static enum tcpterm_verdict
challenge(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, struct tcpterm_out *out,
		enum tcpterm_counter why)
{
	if (now_ms - t->ch_last_ms >= 1000) {
		t->ch_last_ms = now_ms;
		t->ch_tokens = (t->p.challenge_ack_limit + 1) / 2 +
				(uint32_t)rte_rand_max(t->p.challenge_ack_limit);
	}
	if (t->ch_tokens == 0) {
		ctr_inc(t, TCPTERM_CTR_CHALLENGE_LIMITED);
		return TCPTERM_DROP;
	}
	t->ch_tokens--;
	ctr_inc(t, why);
	tcpterm_ack_reply(t, c, now_ms, out);
	return TCPTERM_SEND;
}

/* One more request complete. */
static inline void
request_done(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	ctr_inc(t, TCPTERM_CTR_REQUESTS);
	if (c->pending < UINT8_MAX)
		c->pending++;
}

/* The matcher, one byte: m is how much of CR LF CR is matched; true when LF completes it. */
static inline bool
match_byte(uint8_t *m, uint8_t b)
{
	if (b == '\r') {
		*m = *m == 2 ? 3 : 1;
	} else if (b == '\n' && (*m == 1 || *m == 3)) {
		*m = *m == 3 ? 0 : 2;
		return *m == 0;
	} else {
		*m = 0;
	}
	return false;
}

/*
 * HTTP: count the requests that end (CR LF CR LF) in these bytes, with what the bytes before
 * left in c->match (0 to 3 bytes of CR LF CR matched). A match begun in earlier data is
 * finished byte by byte; then memchr() jumps from LF to LF and only the three bytes before
 * each are looked at, so a request costs about its line count, not its length. Raw mode:
 * the first data is the request.
 */
static void
scan_bytes(struct tcpterm_table *t, struct tcpterm_conn *c, const uint8_t *p, uint32_t n)
{
	uint8_t m = c->match & 3;
	uint32_t i = 0, from;
	const uint8_t *q;

	if (t->resp[c->resp]->mode == TCPTERM_MODE_RAW) {
		if (n && !(c->match & 0x80)) {
			c->match |= 0x80;
			c->pending = 1;
			ctr_inc(t, TCPTERM_CTR_REQUESTS);
		}
		return;
	}
	for (; m != 0 && i < n; i++)
		if (match_byte(&m, p[i]))
			request_done(t, c);
	from = i; /* a match from here on lies wholly in these bytes */
	while (i < n && (q = memchr(p + i, '\n', n - i)) != NULL) {
		uint32_t j = (uint32_t)(q - p);

		if (j >= from + 3 && p[j - 3] == '\r' && p[j - 2] == '\n' && p[j - 1] == '\r') {
			request_done(t, c);
			from = j + 1;
		}
		i = j + 1;
	}
	/* What the tail leaves matched: the longest end of it that begins CR LF CR. */
	if (m == 0 && n > from) {
		if (n - from >= 3 && p[n - 3] == '\r' && p[n - 2] == '\n' && p[n - 1] == '\r')
			m = 3;
		else if (n - from >= 2 && p[n - 2] == '\r' && p[n - 1] == '\n')
			m = 2;
		else if (p[n - 1] == '\r')
			m = 1;
	}
	c->match = (uint8_t)((c->match & ~3) | m);
}

/* The new bytes of an in-order segment: payload bytes [skip, len) of the frame. */
static void
scan_payload(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		const struct rte_mbuf *m, uint32_t skip)
{
	uint32_t off = (uint32_t)v->l2_len + v->l3_len + v->l4_len + skip;
	uint32_t left = v->payload_len - skip;

	for (; m != NULL && left > 0; m = m->next) {
		uint32_t n;

		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		n = RTE_MIN(left, (uint32_t)m->data_len - off);
		scan_bytes(t, c, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), n);
		left -= n;
		off = 0;
	}
}

/* RFC 6298 section 2: a new RTT sample R (ms). */
static void
rtt_sample(struct tcpterm_table *t, struct tcpterm_conn *c, uint32_t r)
{
	uint32_t srtt8 = c->srtt8, rttvar4 = c->rttvar4, rto;

	r = RTE_MAX(r, 1u);
	if (srtt8 == 0) {
		srtt8 = r * 8;
		rttvar4 = r * 2;
	} else {
		uint32_t s = srtt8 / 8, err = r > s ? r - s : s - r;

		rttvar4 = rttvar4 - rttvar4 / 4 + err;
		srtt8 = srtt8 - srtt8 / 8 + r;
	}
	c->srtt8 = (uint16_t)RTE_MIN(srtt8, (uint32_t)UINT16_MAX);
	c->rttvar4 = (uint16_t)RTE_MIN(rttvar4, (uint32_t)UINT16_MAX);
	rto = c->srtt8 / 8 + RTE_MAX((uint32_t)c->rttvar4, 1u);
	c->rto = (uint16_t)RTE_MIN(RTE_MAX(rto, t->p.rto_min_ms), t->p.rto_max_ms);
}

static inline bool
fin_acked(const struct tcpterm_table *t, const struct tcpterm_conn *c)
{
	return (c->cur == CUR_CLOSE || c->cur == CUR_FIN) &&
			c->snd_una == tcpterm_resp_seq(t, c) + tcpterm_cur_len(t, c) + 1;
}

/* The acknowledged response is complete: a keep-alive one makes room for the next. */
static void
resp_acked(struct tcpterm_table *t, struct tcpterm_conn *c, uint32_t old_una)
{
	uint32_t end;

	if (c->cur != CUR_CLOSE && c->cur != CUR_KA)
		return;
	end = tcpterm_resp_seq(t, c) + tcpterm_cur_len(t, c);
	if (tcpseg_seq_geq(old_una, end) || tcpseg_seq_lt(c->snd_una, end))
		return;
	ctr_inc(t, TCPTERM_CTR_RESPONSES);
	if (c->cur == CUR_KA)
		c->cur = (c->flags & C_FINRCV) && c->pending == 0 ? CUR_FIN : CUR_NONE;
}

/*
 * RFC 5961 section 5.2 (RFC 9293 3.10.7.4, fifth check, MAY-12, and a MUST for a stack that
 * implements RFC 5961): an ACK is acceptable only from SND.UNA - MAX.SND.WND on. MAX.SND.WND
 * is hard-coded to the largest window the peer's scale allows (RFC 9293 permits it), and
 * nothing below ISS + 1 was ever sent: the tighter of the two bounds holds.
 */
static inline bool
ack_too_old(const struct tcpterm_conn *c, uint32_t ack)
{
	uint32_t back = RTE_MIN(c->snd_una - (c->iss + 1), UINT32_C(65535) << c->snd_wscale);

	return tcpseg_seq_lt(ack, c->snd_una) && c->snd_una - ack > back;
}

/* The ACK field (RFC 9293 3.10.7.4, fifth check). */
static enum ack_res
ack_in(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		uint64_t now_ms, bool *acked_new)
{
	uint32_t old = c->snd_una;
	bool rtt = false;

	if (tcpseg_seq_gt(v->ack, c->snd_max))
		return ACK_UNSENT;
	if (ack_too_old(c, v->ack))
		return ACK_OLD;
	if (tcpseg_seq_geq(v->ack, c->snd_una))
		c->snd_wnd = v->win;
	if (!tcpseg_seq_gt(v->ack, c->snd_una))
		return ACK_OK;
	if ((c->flags & C_RTT) && tcpseg_seq_gt(v->ack, c->rtt_seq)) {
		c->flags &= (uint8_t)~C_RTT;
		rtt_sample(t, c, (uint32_t)now_ms - c->rtt_time);
		rtt = true;
	}
	tcpterm_cwnd_acked(c, old, v->ack, rtt);
	c->snd_una = v->ack;
	c->retries = 0;
	if (tcpseg_seq_lt(c->snd_nxt, c->snd_una))
		c->snd_nxt = c->snd_una;
	*acked_new = true;
	resp_acked(t, c, old);
	if (!fin_acked(t, c))
		return ACK_OK;
	switch (c->state) {
	case TCPTERM_ST_FIN_WAIT_1:
		set_state(t, c, TCPTERM_ST_FIN_WAIT_2);
		return ACK_OK;
	case TCPTERM_ST_CLOSING:
		return ACK_TIMEWAIT;
	case TCPTERM_ST_LAST_ACK:
		ctr_inc(t, TCPTERM_CTR_LAST_ACK_CLOSED);
		return ACK_GONE;
	default:
		return ACK_OK;
	}
}

/* Fill the hand-off to TIME_WAIT (the seed's tcp_twstart inputs) and delete the entry. */
static enum tcpterm_verdict
timewait(struct tcpterm_table *t, struct tcpterm_conn *c, struct tcpterm_out *out, bool acknow)
{
	struct tcpterm_closed *cl = &out->closed;

	memset(cl, 0, sizeof(*cl));
	cl->key.laddr = c->laddr;
	cl->key.raddr = c->raddr;
	cl->key.lport = c->lport;
	cl->key.rport = c->rport;
	cl->key.is_ipv6 = !!(c->flags & C_IPV6);
	cl->snd_nxt = c->snd_max;
	cl->rcv_nxt = c->rcv_nxt;
	cl->rcv_adv = c->rcv_nxt + TCPTERM_RCV_WND;
	cl->ts_recent = c->ts_recent;
	cl->ts_offset = t->ts_offset;
	cl->rcv_scale = 0;
	if (c->flags & C_TS)
		cl->flags |= TCPTERM_CLOSED_REQ_TSTMP | TCPTERM_CLOSED_RCVD_TSTMP;
	if (acknow)
		cl->flags |= TCPTERM_CLOSED_ACKNOW;
	ctr_inc(t, TCPTERM_CTR_TIMEWAIT);
	out->conn = TCPTERM_ID_NONE;
	tcpterm_conn_del(t, c);
	return TCPTERM_TIMEWAIT;
}

/* RFC 9293 3.10.7.4, first check, with PAWS (RFC 7323 section 5.3). RCV.WND is ours. */
static bool
acceptable(const struct tcpterm_conn *c, const struct tcpseg_view *v)
{
	uint32_t len = tcpseg_seg_len(v), lo = c->rcv_nxt, hi = c->rcv_nxt + TCPTERM_RCV_WND;

	if ((c->flags & C_TS) && (v->opts.present & TCPSEG_OPT_TS) && !(v->flags & TCPSEG_RST) &&
			tcpseg_ts_lt(v->opts.tsval, c->ts_recent))
		return false;
	if (tcpseg_seq_geq(v->seq, lo) && tcpseg_seq_lt(v->seq, hi))
		return true;
	if (len == 0)
		return false;
	return tcpseg_seq_geq(v->seq + len - 1, lo) && tcpseg_seq_lt(v->seq + len - 1, hi);
}

/* Data and FIN (sixth to eighth checks). Sets *owe when an ACK is owed. */
static enum tcpterm_verdict
data_fin(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		const struct rte_mbuf *m, struct tcpterm_out *out, bool *owe)
{
	bool open = c->state == TCPTERM_ST_ESTABLISHED || c->state == TCPTERM_ST_FIN_WAIT_1 ||
			c->state == TCPTERM_ST_FIN_WAIT_2;

	if (v->payload_len && open) {
		uint32_t skip = c->rcv_nxt - v->seq;

		if (tcpseg_seq_gt(v->seq, c->rcv_nxt)) {
			ctr_inc(t, TCPTERM_CTR_OOO_DROPPED);
			*owe = true;
			return TCPTERM_SEND;
		}
		if (skip < v->payload_len) {
			if (c->state == TCPTERM_ST_ESTABLISHED)
				scan_payload(t, c, v, m, skip);
			c->rcv_nxt += v->payload_len - skip;
			ctr_inc(t, TCPTERM_CTR_DATA_ACKED);
		}
		*owe = true;
	}
	if (!(v->flags & TCPSEG_FIN))
		return TCPTERM_SEND;
	if (!(c->flags & C_FINRCV) && v->seq + v->payload_len == c->rcv_nxt) {
		c->rcv_nxt++;
		c->flags |= C_FINRCV;
		ctr_inc(t, TCPTERM_CTR_PEER_FIN);
		*owe = true;
		switch (c->state) {
		case TCPTERM_ST_ESTABLISHED:
			set_state(t, c, TCPTERM_ST_CLOSE_WAIT);
			if (c->cur == CUR_NONE && c->pending == 0)
				c->cur = CUR_FIN;
			break;
		case TCPTERM_ST_FIN_WAIT_1:
			set_state(t, c, TCPTERM_ST_CLOSING);
			break;
		case TCPTERM_ST_FIN_WAIT_2:
			return timewait(t, c, out, true);
		default:
			break;
		}
	} else {
		*owe = true; /* a FIN again, or out of order: ACK what we have */
	}
	return TCPTERM_SEND;
}

/* SYN-RECEIVED (a reopened TIME_WAIT entry): the SYN again, or the ACK that completes it. */
static enum tcpterm_verdict
syn_received(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		uint64_t now_ms, struct tcpterm_out *out, bool *cont)
{
	*cont = false;
	if (v->flags & TCPSEG_RST) {
		/* RFC 5961 3.2 holds in every state but SYN-SENT. */
		if (v->seq == c->rcv_nxt) {
			ctr_inc(t, TCPTERM_CTR_RST_CLOSED);
			tcpterm_conn_del(t, c);
			out->conn = TCPTERM_ID_NONE;
		} else if (acceptable(c, v)) {
			return challenge(t, c, now_ms, out, TCPTERM_CTR_RST_CHALLENGE);
		} else {
			ctr_inc(t, TCPTERM_CTR_RST_DROPPED);
		}
		return TCPTERM_DROP;
	}
	if ((v->flags & (TCPSEG_SYN | TCPSEG_ACK)) == TCPSEG_SYN && v->seq + 1 == c->rcv_nxt) {
		tcpterm_synack_reply(t, c, now_ms, out);
		c->flags &= (uint8_t)~C_RTT; /* Karn: the SYN-ACK is sent again */
		ctr_inc(t, TCPTERM_CTR_SYNACK_RETRANS);
		return TCPTERM_SEND;
	}
	if (!(v->flags & TCPSEG_ACK) || (v->flags & TCPSEG_SYN)) {
		ctr_inc(t, TCPTERM_CTR_NOACK_DROPPED);
		return TCPTERM_DROP;
	}
	if (!acceptable(c, v)) {
		/* The first check (and PAWS) holds in SYN-RECEIVED too: an ACK, and drop. */
		ctr_inc(t, TCPTERM_CTR_OOW_ACKED);
		tcpterm_ack_reply(t, c, now_ms, out);
		return TCPTERM_SEND;
	}
	if (v->ack != c->iss + 1) {
		/* "<SEQ=SEG.ACK><CTL=RST>" and the connection stays. */
		tcpseg_closed_reply(v, &out->reply);
		out->has_reply = 1;
		ctr_inc(t, TCPTERM_CTR_ACK_UNSENT);
		return TCPTERM_SEND;
	}
	if ((c->flags & C_TS) && (v->opts.present & TCPSEG_OPT_TS))
		c->ts_recent = v->opts.tsval;
	/*
	 * Our SYN is acked here, not in ack_in(): a SYN is not data for slow start, so the
	 * window stays the initial one (or the one segment RFC 5681 3.1 leaves after a lost
	 * SYN-ACK). The handshake's RTT is a sample unless the SYN-ACK was retransmitted
	 * (Karn); then RFC 6298 5.7 starts the data's RTO from 3 s. The SYN-ACK's timer is
	 * done: conn_input() arms the one the connection needs now.
	 */
	tcpterm_timer_stop(t, c);
	if (c->flags & C_RTT) {
		c->flags &= (uint8_t)~C_RTT;
		rtt_sample(t, c, (uint32_t)now_ms - c->rtt_time);
	} else if (c->retries && c->srtt8 == 0) {
		c->rto = (uint16_t)RTE_MIN(3000u, t->p.rto_max_ms);
	}
	c->snd_una = v->ack;
	c->retries = 0;
	set_state(t, c, TCPTERM_ST_ESTABLISHED);
	ctr_inc(t, TCPTERM_CTR_ACCEPTED);
	*cont = true;
	return TCPTERM_SEND;
}

/* Checks one to four of RFC 9293 3.10.7.4 for synchronized states; *cont when it goes on. */
static enum tcpterm_verdict
checks(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		uint64_t now_ms, struct tcpterm_out *out, bool *cont)
{
	*cont = false;
	if (!acceptable(c, v)) {
		if (v->flags & TCPSEG_RST) {
			ctr_inc(t, TCPTERM_CTR_RST_DROPPED);
			return TCPTERM_DROP;
		}
		ctr_inc(t, TCPTERM_CTR_OOW_ACKED);
		tcpterm_ack_reply(t, c, now_ms, out);
		return TCPTERM_SEND;
	}
	if (v->flags & TCPSEG_RST) {
		if (v->seq != c->rcv_nxt)
			return challenge(t, c, now_ms, out, TCPTERM_CTR_RST_CHALLENGE);
		ctr_inc(t, TCPTERM_CTR_RST_CLOSED);
		tcpterm_conn_del(t, c);
		out->conn = TCPTERM_ID_NONE;
		return TCPTERM_DROP;
	}
	if (v->flags & TCPSEG_SYN)
		return challenge(t, c, now_ms, out, TCPTERM_CTR_SYN_CHALLENGE);
	if (!(v->flags & TCPSEG_ACK)) {
		ctr_inc(t, TCPTERM_CTR_NOACK_DROPPED);
		return TCPTERM_DROP;
	}
	/* RFC 7323 section 4.3: TS.Recent from a segment that covers RCV.NXT. */
	if ((c->flags & C_TS) && (v->opts.present & TCPSEG_OPT_TS) &&
			tcpseg_seq_leq(v->seq, c->rcv_nxt))
		c->ts_recent = v->opts.tsval;
	*cont = true;
	return TCPTERM_SEND;
}

static enum tcpterm_verdict
conn_input(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v,
		const struct rte_mbuf *m, uint64_t now_ms, struct tcpterm_out *out)
{
	enum tcpterm_verdict vd;
	bool cont, owe = false, acked = false;
	uint32_t rcv_before;

	out->conn = conn_id(t, c);
	out->port = c->port;
	if (c->state == TCPTERM_ST_SYN_RECEIVED)
		vd = syn_received(t, c, v, now_ms, out, &cont);
	else
		vd = checks(t, c, v, now_ms, out, &cont);
	if (!cont)
		return vd;
	switch (ack_in(t, c, v, now_ms, &acked)) {
	case ACK_UNSENT:
		ctr_inc(t, TCPTERM_CTR_ACK_UNSENT);
		tcpterm_ack_reply(t, c, now_ms, out);
		return TCPTERM_SEND;
	case ACK_OLD:
		return challenge(t, c, now_ms, out, TCPTERM_CTR_ACK_OLD);
	case ACK_GONE:
		tcpterm_conn_del(t, c);
		out->conn = TCPTERM_ID_NONE;
		return TCPTERM_DROP;
	case ACK_TIMEWAIT:
		return timewait(t, c, out, false);
	default:
		break;
	}
	rcv_before = c->rcv_nxt;
	vd = data_fin(t, c, v, m, out, &owe);
	if (vd == TCPTERM_TIMEWAIT)
		return vd;
	if (c->pending && c->cur == CUR_NONE &&
			(c->state == TCPTERM_ST_ESTABLISHED || c->state == TCPTERM_ST_CLOSE_WAIT))
		tcpterm_start_response(t, c);
	if (tcpterm_send(t, c, now_ms, out, false) == 0 && owe)
		tcpterm_ack_reply(t, c, now_ms, out);
	tcpterm_arm(t, c, now_ms, acked, c->rcv_nxt != rcv_before);
	return out->has_reply || out->n_segs ? TCPTERM_SEND : TCPTERM_DROP;
}

/* A connection made from a good cookie: ESTABLISHED at once. */
static struct tcpterm_conn *
accept_cookie(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		const struct tcpterm_key *k, uint32_t hash, int listener, uint64_t now_ms,
		struct tcpterm_out *out)
{
	struct tcpterm_conn *c;
	uint16_t mss;
	uint8_t ws, sack;

	if (!tcpterm_cookie_check(t, v, now_ms, &mss, &ws, &sack)) {
		ctr_inc(t, TCPTERM_CTR_COOKIE_BAD);
		return NULL;
	}
	ctr_inc(t, TCPTERM_CTR_COOKIE_GOOD);
	c = tcpterm_conn_new(t, k, hash);
	if (c == NULL) {
		ctr_inc(t, TCPTERM_CTR_TABLE_FULL);
		return NULL;
	}
	ctr_inc(t, TCPTERM_CTR_ACCEPTED);
	c->iss = v->ack - 1;
	c->snd_una = c->snd_nxt = c->snd_max = v->ack;
	c->rcv_nxt = v->seq;
	c->mss = mss;
	c->rto = (uint16_t)t->p.rto_initial_ms;
	c->resp = (uint8_t)listener;
	c->snd_wnd = v->win;
	if (ws <= 14) {
		c->flags |= C_WS;
		c->snd_wscale = ws;
	}
	if (sack)
		c->flags |= C_SACK;
	if (v->opts.present & TCPSEG_OPT_TS) {
		c->flags |= C_TS;
		c->ts_recent = v->opts.tsval;
		/* The MSS excludes options (RFC 6691): every segment carries NOP NOP TS. */
		c->mss = (uint16_t)RTE_MAX(c->mss - 12, 64);
	}
	c->cwnd = tcpterm_initial_cwnd(t, c->mss);
	tcpterm_conn_l2(c, m, v);
	out->conn = conn_id(t, c);
	return c;
}

/* No connection, and the destination is a listener. */
static enum tcpterm_verdict
listen_input(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		const struct tcpterm_key *k, uint32_t hash, int listener, uint64_t now_ms,
		struct tcpterm_out *out)
{
	struct tcpterm_conn *c;
	uint8_t f = v->flags & (TCPSEG_SYN | TCPSEG_ACK | TCPSEG_RST | TCPSEG_FIN);

	if (f & TCPSEG_RST) {
		ctr_inc(t, TCPTERM_CTR_LISTEN_DROPPED);
		return TCPTERM_DROP;
	}
	if (f == TCPSEG_SYN) {
		tcpterm_cookie_synack(t, v, now_ms, &out->reply, out);
		out->has_reply = 1;
		return TCPTERM_SEND;
	}
	if ((f & (TCPSEG_SYN | TCPSEG_ACK)) == TCPSEG_ACK) {
		c = accept_cookie(t, v, m, k, hash, listener, now_ms, out);
		if (c != NULL)
			return conn_input(t, c, v, m, now_ms, out);
	} else if (!(f & TCPSEG_ACK)) {
		ctr_inc(t, TCPTERM_CTR_LISTEN_DROPPED);
		return TCPTERM_DROP;
	} else {
		ctr_inc(t, TCPTERM_CTR_LISTEN_RST);
	}
	tcpseg_closed_reply(v, &out->reply);
	out->has_reply = 1;
	return TCPTERM_RST;
}

enum tcpterm_verdict
tcpterm_input(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		int listener, uint64_t now_ms, struct tcpterm_out *out)
{
	struct tcpterm_key k;
	uint32_t hash, id;

	tcpterm_out_init(out);
	tcpterm_key_from_view(v, &k);
	hash = tcpterm_hash_key(&k);
	id = tcpterm_lookup_hash(t, &k, hash);
	if (id != TCPTERM_ID_NONE) {
		ctr_inc(t, TCPTERM_CTR_LOOKUP_HIT);
		return conn_input(t, &t->conns[id], v, m, now_ms, out);
	}
	ctr_inc(t, TCPTERM_CTR_LOOKUP_MISS);
	if (listener < 0 || (uint32_t)listener >= t->p.n_responses)
		return TCPTERM_MISS;
	return listen_input(t, v, m, &k, hash, listener, now_ms, out);
}
