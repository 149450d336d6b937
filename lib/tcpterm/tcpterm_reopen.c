/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * A SYN that reopened a TIME_WAIT entry. RFC 9293 section 3.6.1 (MAY-2) lets a new
 * incarnation start from TIME_WAIT when its ISN is above the old snd_nxt; a SYN cookie's ISN
 * is a hash and cannot promise that, so this handshake keeps state: a SYN-RECEIVED entry with
 * ISN old snd_nxt + 65535 + 2 (Linux's tcp_timewait_state_process: tw_snd_nxt + 65535 + 2),
 * the SYN's own options, and its SYN-ACK retransmitted on RTO.
 */

#include <string.h>

#include "tcpterm_pvt.h"

static void
reopen_opts(struct tcpterm_table *t, struct tcpterm_conn *c, const struct tcpseg_view *v)
{
	uint16_t ours = v->is_ipv6 ? t->p.mss_v6 : t->p.mss_v4;
	uint16_t peer = (v->opts.present & TCPSEG_OPT_MSS) ? v->opts.mss
							   : (v->is_ipv6 ? 1220 : 536);

	c->mss = RTE_MAX(RTE_MIN(peer, ours), (uint16_t)64);
	if (v->opts.present & TCPSEG_OPT_WSCALE) {
		c->flags |= C_WS;
		c->snd_wscale = RTE_MIN(v->opts.wscale, (uint8_t)14);
	}
	if ((v->opts.present & TCPSEG_OPT_SACKOK) && (t->p.flags & TCPTERM_F_SACK))
		c->flags |= C_SACK;
	if (v->opts.present & TCPSEG_OPT_TS) {
		c->flags |= C_TS;
		c->ts_recent = v->opts.tsval;
		/* The MSS excludes options (RFC 6691): every segment carries NOP NOP TS. */
		c->mss = (uint16_t)RTE_MAX(c->mss - 12, 64);
	}
}

enum tcpterm_verdict
tcpterm_syn_reopen(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		int listener, uint32_t old_snd_nxt, uint64_t now_ms, struct tcpterm_out *out)
{
	struct tcpterm_conn *c;
	struct tcpterm_key k;
	uint32_t hash;

	tcpterm_out_init(out);
	if (listener < 0 || (uint32_t)listener >= t->p.n_responses ||
			(v->flags & (TCPSEG_SYN | TCPSEG_ACK | TCPSEG_RST | TCPSEG_FIN)) !=
					TCPSEG_SYN)
		return TCPTERM_DROP;
	tcpterm_key_from_view(v, &k);
	hash = tcpterm_hash_key(&k);
	if (tcpterm_lookup_hash(t, &k, hash) != TCPTERM_ID_NONE)
		return TCPTERM_DROP; /* cannot be: the 4-tuple was in TIME_WAIT */
	c = tcpterm_conn_new(t, &k, hash);
	if (c == NULL) {
		ctr_inc(t, TCPTERM_CTR_TABLE_FULL);
		tcpseg_closed_reply(v, &out->reply);
		out->has_reply = 1;
		return TCPTERM_RST;
	}
	ctr_inc(t, TCPTERM_CTR_REOPEN);
	set_state(t, c, TCPTERM_ST_SYN_RECEIVED);
	c->iss = old_snd_nxt + 65535 + 2;
	c->snd_una = c->iss;
	c->snd_nxt = c->snd_max = c->iss + 1;
	c->rcv_nxt = v->seq + 1;
	c->rto = (uint16_t)t->p.rto_initial_ms;
	c->resp = (uint8_t)listener;
	c->snd_wnd = v->win; /* a SYN's window is never scaled */
	reopen_opts(t, c, v);
	c->cwnd = tcpterm_initial_cwnd(t, c->mss);
	tcpterm_conn_l2(c, m, v);
	c->flags |= C_RTT;
	c->rtt_seq = c->iss;
	c->rtt_time = (uint32_t)now_ms;
	tcpterm_synack_reply(t, c, now_ms, out);
	out->conn = conn_id(t, c);
	out->port = c->port;
	tcpterm_arm(t, c, now_ms, true, false);
	return TCPTERM_SEND;
}
