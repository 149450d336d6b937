/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Entering TIME_WAIT and answering segments in it: the seed's tcp_twstart, tcp_twcheck,
 * tcp_twrespond (the choice of fields; lib/tcpseg writes the frame) and tcp_tw_2msl_reset.
 */

#include <string.h>

#include <rte_common.h>
#include <rte_prefetch.h>

#include "twq.h"
#include "twq_pvt.h"

/* tcp_tw_2msl_reset: a fresh deadline, and the entry moves to the ring's tail. */
static void
rearm(struct twq_shard *s, struct twq_fam *f, uint32_t idx, uint32_t now)
{
	twq_ring_remove(f, idx);
	twq_lnk(f, idx)->deadline = now + s->two_msl;
	twq_ring_append(f, idx);
}

/*
 * tcp_twrespond(tw, TH_ACK): seq = snd_nxt, ack = rcv_nxt, window = last_win; TSval and
 * TSecr when both sides used timestamps ("if (tw->t_recent && flags == TH_ACK)"; we keep an
 * explicit flag so that a peer whose TSval happens to be 0 still gets its timestamps).
 */
static void
respond(const struct twq_entry *e, uint32_t now, struct tcpseg_reply *r)
{
	r->seq = e->snd_nxt;
	r->ack = e->rcv_nxt;
	r->win = e->last_win;
	r->flags = TCPSEG_ACK;
	r->has_ts = !!(e->flags & TWQ_EF_TS);
	r->tsval = r->has_ts ? now + e->ts_offset : 0;
	r->tsecr = r->has_ts ? e->t_recent : 0;
	r->syn_opts = 0;
}

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
		respond(e, now, ack);
		twq_ctr_inc(s, TWQ_CTR_START_ACK);
		return TWQ_START_ACK;
	}
	return TWQ_START_OK;
}

/* The per-entry cap on ACKs: at most ack_limit per ack_interval_ms. */
static bool
ack_allowed(const struct twq_shard *s, const struct twq_fam *f, uint32_t idx, struct twq_entry *e,
		uint32_t now)
{
	struct twq_link *l;

	if (s->p.ack_limit == 0)
		return true;
	l = twq_lnk(f, idx);
	if (now - l->ack_epoch >= s->p.ack_interval_ms) {
		l->ack_epoch = now;
		e->ack_count = 0;
	}
	if (e->ack_count >= s->p.ack_limit)
		return false;
	e->ack_count++;
	return true;
}

/* End the entry for a verdict that kills it. */
static enum twq_verdict
kill(struct twq_shard *s, struct twq_fam *f, uint32_t idx, enum twq_counter c, enum twq_verdict v)
{
	twq_unlink(s, f, idx);
	twq_ctr_inc(s, c);
	return v;
}

/*
 * The entry ends for a new incarnation: r tells the listener behind us the old sequence
 * numbers (the new ISN must be above snd_nxt, RFC 9293 section 3.6.1 MAY-2).
 */
static enum twq_verdict
reopen(struct twq_shard *s, struct twq_fam *f, uint32_t idx, enum twq_counter c,
		struct tcpseg_reply *r)
{
	const struct twq_entry *e = twq_ent(f, idx);

	memset(r, 0, sizeof(*r));
	r->seq = e->snd_nxt;
	r->ack = e->rcv_nxt;
	return kill(s, f, idx, c, TWQ_REOPEN);
}

/* long: mirrors the seed's tcp_twcheck block by block, so that each rule can be read beside it. */
enum twq_verdict
twq_input(struct twq_shard *s, uint32_t id, const struct tcpseg_view *v, uint64_t now_ms,
		struct tcpseg_reply *r)
{
	const bool seg_ts = !!(v->opts.present & TCPSEG_OPT_TS);
	const uint8_t thflags = v->flags;
	const uint32_t now = (uint32_t)now_ms;
	struct twq_entry *e;
	struct twq_fam *f;
	uint32_t idx;
	bool ent_ts;

	TWQ_ASSERT_NO_BATCH(s);
	e = twq_id_entry_rw(s, id, &f, &idx);
	if (e == NULL)
		return TWQ_DROP;
	ent_ts = !!(e->flags & TWQ_EF_TS);

	/*
	 * RST: dropped, see Stevens vol. 2 p. 964 and RFC 1337 (TIME-WAIT assassination).
	 * Linux's default instead kills the entry on an RST whose seq is exactly rcv_nxt; opt-in
	 * here, with the same exact match (RFC 5961 section 3.2's rule for ending a connection).
	 * Any other RST is dropped, without the challenge ACK RFC 5961 would send: an RST is never
	 * answered.
	 */
	if (thflags & TCPSEG_RST) {
		if ((s->p.flags & TWQ_F_RST_KILLS) && v->seq == e->rcv_nxt)
			return kill(s, f, idx, TWQ_CTR_RST_CLOSED, TWQ_DROP);
		twq_ctr_inc(s, TWQ_CTR_RST_DROPPED);
		return TWQ_DROP;
	}

	/*
	 * RFC 7323 section 5.3, PAWS: a segment whose TSval is older than ts_recent is an old
	 * duplicate; drop it, and answer with an ACK if it carries one. The seed leaves this under
	 * "#if 0"; opt-in here. ts_recent is never updated: TIME_WAIT accepts no new segments.
	 */
	if ((s->p.flags & TWQ_F_PAWS) && ent_ts && seg_ts &&
			tcpseg_ts_lt(v->opts.tsval, e->t_recent)) {
		if (!(thflags & TCPSEG_ACK)) {
			twq_ctr_inc(s, TWQ_CTR_PAWS_DROPPED);
			return TWQ_DROP;
		}
		twq_ctr_inc(s, TWQ_CTR_PAWS_ACKED);
		goto ack;
	}

	/*
	 * A new connection request while in TIME_WAIT: end the old incarnation and start over
	 * if the sequence numbers are above the previous ones (RFC 1122 4.2.2.13).
	 *
	 * RFC 6191 section 2, opt-in, for a SYN that carries timestamps (we take it that the new
	 * incarnation would use them; the SYN is handed on with its options). When the old
	 * incarnation used timestamps, the SYN is honoured if its TSval is above t_recent, or
	 * equal to it with seq above rcv_nxt; when the old one did not, it is honoured. Any other
	 * timestamped SYN is silently dropped, leaving the entry in TIME_WAIT. For a SYN without
	 * timestamps the RFC's rule is the sequence rule; one that does not reopen goes on to the
	 * rules below, where a SYN without ACK is dropped silently. A SYN|ACK is not a connection
	 * request: RFC 6191 does not apply to it, it gets the seed's rules alone.
	 */
	if (thflags & TCPSEG_SYN) {
		if ((s->p.flags & TWQ_F_RFC6191) && seg_ts && !(thflags & TCPSEG_ACK)) {
			const bool newer = tcpseg_ts_gt(v->opts.tsval, e->t_recent);
			const bool same = v->opts.tsval == e->t_recent;

			if (!ent_ts || newer || (same && tcpseg_seq_gt(v->seq, e->rcv_nxt)))
				return reopen(s, f, idx, TWQ_CTR_SYN_TS_REOPEN, r);
			twq_ctr_inc(s, TWQ_CTR_SYN_TS_DROPPED);
			return TWQ_DROP;
		}
		if (tcpseg_seq_gt(v->seq, e->rcv_nxt))
			return reopen(s, f, idx, TWQ_CTR_SYN_REOPEN, r);
	}

	/* Drop the segment if it does not contain an ACK. */
	if (!(thflags & TCPSEG_ACK)) {
		twq_ctr_inc(s, TWQ_CTR_NOACK_DROPPED);
		return TWQ_DROP;
	}

	/* Reset the 2MSL timer if this is a duplicate FIN (its end is our rcv_nxt). */
	if (thflags & TCPSEG_FIN) {
		uint32_t seq = v->seq + v->payload_len + !!(thflags & TCPSEG_SYN);

		if (seq + 1 == e->rcv_nxt) {
			rearm(s, f, idx, now);
			twq_ctr_inc(s, TWQ_CTR_FIN_REARM);
		}
	}

	/* Acknowledge the segment if it has data or is not an exact duplicate ACK. */
	if (thflags != TCPSEG_ACK || v->payload_len != 0 || v->seq != e->rcv_nxt ||
			v->ack != e->snd_nxt)
		goto ack;
	twq_ctr_inc(s, TWQ_CTR_DUPACK_IGNORED);
	return TWQ_DROP;

ack:
	if (!ack_allowed(s, f, idx, e, now)) {
		twq_ctr_inc(s, TWQ_CTR_ACK_LIMITED);
		return TWQ_DROP;
	}
	respond(e, now, r);
	twq_ctr_inc(s, TWQ_CTR_ACK_SENT);
	return TWQ_ACK;
}

#define TWQ_BURST_GROUP 32

/*
 * Withdraw n hits counted by twq_lookup_burst() and count them as misses: for segments whose
 * entry an earlier segment of the burst ended, and whose second lookup found nothing.
 */
static void
hits_to_misses(struct twq_shard *s, uint64_t n)
{
	twq_ctr_sub(s, TWQ_CTR_LOOKUP_HIT, n);
	twq_ctr_add(s, TWQ_CTR_LOOKUP_MISS, n);
}

uint32_t
twq_input_burst(struct twq_shard *s, const struct tcpseg_view *const views[], uint32_t n,
		uint64_t now_ms, enum twq_verdict verdicts[], struct tcpseg_reply replies[])
{
	struct twq_key keys[TWQ_BURST_GROUP];
	uint32_t ids[TWQ_BURST_GROUP];
	uint32_t base, cnt, i, acks = 0, gone;
	const struct twq_fam *f;
	uint32_t idx;

	for (base = 0; base < n; base += cnt) {
		cnt = RTE_MIN(n - base, (uint32_t)TWQ_BURST_GROUP);
		for (i = 0; i < cnt; i++)
			twq_key_from_view(views[base + i], &keys[i]);
		twq_lookup_burst(s, keys, cnt, ids);
		gone = 0;
		for (i = 0; i < cnt; i++) {
			uint32_t id = ids[i];

			/*
			 * An earlier segment of this burst may have ended this entry (SYN reopen,
			 * RST kill): look again, so this segment sees the state it left. Nothing
			 * in a burst makes entries, so in practice this finds none; the segment
			 * is then counted as a miss instead of the hit counted above.
			 */
			if (id != TWQ_ID_NONE && twq_id_entry(s, id, &f, &idx) == NULL) {
				id = twq_find(s, &keys[i], twq_hash_key(s, &keys[i]));
				gone += id == TWQ_ID_NONE;
			}
			if (id == TWQ_ID_NONE) {
				verdicts[base + i] = TWQ_MISS;
				continue;
			}
			verdicts[base + i] = twq_input(
					s, id, views[base + i], now_ms, &replies[base + i]);
			acks += verdicts[base + i] == TWQ_ACK;
		}
		if (gone != 0)
			hits_to_misses(s, gone);
	}
	return acks;
}
