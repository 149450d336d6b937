/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Entering TIME_WAIT: the seed's tcp_twstart (and the nolocaltimewait test before it), with
 * tcp_twrespond for a connection that owes an ACK.
 */

#include <rte_common.h>

#include "twq.h"
#include "twq_pvt.h"

static bool
peer_is_local(const struct twq_shard *s, const struct twq_key *k)
{
	uint32_t i;

	for (i = 0; i < s->p.n_local; i++)
		if (twq_prefix_match(&s->p.local[i], k->is_ipv6, &k->raddr))
			return true;
	return false;
}

enum twq_start_result
twq_start(struct twq_shard *s, const struct twq_conn *c, uint64_t now_ms, struct tcpseg_reply *ack)
{
	const uint8_t ts_mask = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP | TWQ_CONN_NOOPT;
	const uint8_t ts_want = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
	struct twq_fam *f = &s->fam[!!c->key.is_ipv6];
	uint32_t now = (uint32_t)now_ms, id, idx, win;
	struct twq_entry *e;
	uint8_t scale;
	bool found;

	TWQ_ASSERT_NO_BATCH(s);
	/* nolocaltimewait: a peer inside a local prefix gets no TIME_WAIT. */
	if (peer_is_local(s, &c->key)) {
		twq_ctr_inc(s, TWQ_CTR_START_LOCAL);
		return TWQ_START_LOCAL;
	}
	id = twq_claim(s, &c->key, true, &found);
	if (found) {
		/* A 4-tuple is in TIME_WAIT once: the newer incarnation replaces the older. */
		twq_ring_remove(f, id - f->id_base);
		twq_ctr_inc(s, TWQ_CTR_START_REPLACED);
	}
	idx = id - f->id_base;
	e = twq_ent(f, idx);

	/*
	 * Recover the last window sent. The seed's rcv_scale is at most TCP_MAX_WINSHIFT (14),
	 * tcp_dooptions clamps it; a caller's larger value is taken as 14, so that the shift
	 * stays defined.
	 */
	scale = RTE_MIN(c->rcv_scale, (uint8_t)TWQ_MAX_WINSHIFT);
	win = 0;
	if (tcpseg_seq_gt(c->rcv_adv, c->rcv_nxt))
		win = RTE_MIN((c->rcv_adv - c->rcv_nxt) >> scale, (uint32_t)UINT16_MAX);
	e->last_win = (uint16_t)win;

	/* Keep the peer's timestamp only if timestamps were in use on the connection. */
	e->flags = TWQ_EF_LIVE;
	e->t_recent = 0;
	e->ts_offset = 0;
	if ((c->flags & ts_mask) == ts_want) {
		e->flags |= TWQ_EF_TS;
		e->t_recent = c->ts_recent;
		e->ts_offset = c->ts_offset;
	}
	e->snd_nxt = c->snd_nxt;
	e->rcv_nxt = c->rcv_nxt;
	e->ack_count = 0;
	twq_lnk(f, idx)->ack_epoch = now;
	twq_lnk(f, idx)->deadline = now + s->two_msl;
	twq_ring_append(f, idx);
	twq_ctr_inc(s, TWQ_CTR_STARTED);

	if ((c->flags & TWQ_CONN_ACKNOW) && ack != NULL) {
		twq_respond(e, now, ack);
		twq_ctr_inc(s, TWQ_CTR_START_ACK);
		return TWQ_START_ACK;
	}
	return TWQ_START_OK;
}
