/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Answering segments in TIME_WAIT: the seed's tcp_twcheck, one segment (twq_input()) or a
 * burst with its lookups (twq_input_burst()), and tcp_tw_2msl_reset. tcp_twrespond's choice
 * of fields is twq_respond() (twq_pvt.h; lib/tcpseg writes the frame), tcp_twstart is in
 * twq_start.c.
 */

#include <string.h>

#include <rte_byteorder.h>
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

/*
 * Rule 6 alone, for a shard whose options make rules 1 to 5 and the ACK cap void for a
 * segment with ACK and none of RST, SYN, FIN: true if the segment is such a one and not an
 * exact duplicate ACK, so that input_entry() would answer it with twq_respond(). Nearly every
 * segment in TIME_WAIT. want is plain_want(s): TCPSEG_ACK, or a value no masked flags byte
 * equals when PAWS or the ACK cap is on (then nothing is plain), so no test of the options
 * per segment.
 */
#define TWQ_PLAIN_MASK (TCPSEG_RST | TCPSEG_SYN | TCPSEG_FIN | TCPSEG_ACK)

static __rte_always_inline bool
plain_ack(const struct twq_entry *e, const struct tcpseg_view *v, uint32_t want)
{
	const uint32_t thflags = v->flags;

	if ((thflags & TWQ_PLAIN_MASK) != want)
		return false;
	return thflags != TCPSEG_ACK || v->payload_len != 0 || v->seq != e->rcv_nxt ||
			v->ack != e->snd_nxt;
}

static __rte_always_inline uint32_t
plain_want(const struct twq_shard *s)
{
	return !(s->p.flags & TWQ_F_PAWS) && s->p.ack_limit == 0 ? TCPSEG_ACK : 0x100;
}

/*
 * The rules of twq_input() (twq.h) for a segment whose live entry is known: e is the hot
 * record of f's slot idx. An ACK to send is not counted here: the callers count ACK_SENT
 * (twq_input_burst() once per burst).
 * long: it mirrors the seed's tcp_twcheck block by block, so each rule reads beside it.
 */
static __rte_always_inline enum twq_verdict
input_entry(struct twq_shard *s, struct twq_fam *f, uint32_t idx, struct twq_entry *e,
		const struct tcpseg_view *v, uint32_t now, struct tcpseg_reply *r)
{
	const bool seg_ts = !!(v->opts.present & TCPSEG_OPT_TS);
	const bool ent_ts = !!(e->flags & TWQ_EF_TS);
	const uint8_t thflags = v->flags;

	/*
	 * Nearly every segment: ACK without RST, SYN or FIN, and no PAWS. Rules 1 to 5 do not
	 * apply to it; straight to rule 6.
	 */
	if (likely((thflags & (TCPSEG_RST | TCPSEG_SYN | TCPSEG_FIN | TCPSEG_ACK)) == TCPSEG_ACK &&
			    !(s->p.flags & TWQ_F_PAWS)))
		goto rule6;

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

rule6:
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
	twq_respond(e, now, r);
	return TWQ_ACK;
}

enum twq_verdict
twq_input(struct twq_shard *s, uint32_t id, const struct tcpseg_view *v, uint64_t now_ms,
		struct tcpseg_reply *r)
{
	enum twq_verdict verdict;
	struct twq_entry *e;
	struct twq_fam *f;
	uint32_t idx;

	TWQ_ASSERT_NO_BATCH(s);
	e = twq_id_entry_rw(s, id, &f, &idx);
	if (e == NULL)
		return TWQ_DROP;
	verdict = input_entry(s, f, idx, e, v, (uint32_t)now_ms, r);
	if (verdict == TWQ_ACK)
		twq_ctr_inc(s, TWQ_CTR_ACK_SENT);
	return verdict;
}

/*
 * twq_input_burst(): the lookups of twq_lookup_burst() and the rules of twq_input(), in one
 * pass per group of up to TWQ_BURST_GROUP segments, after VPP's and dperf's burst loops:
 *   1. hash every segment's 4-tuple (from its view: no key is copied) and prefetch its home
 *      bucket;
 *   2. compare tags, prefetch the hot records whose tag matches (or, when none does and keys
 *      went past the bucket, the next bucket);
 *   3. in order: compare keys, and apply the rules to the entry found.
 * Each segment's lookup is finished after the rules ran for every earlier segment of the
 * burst, so a segment whose entry an earlier one ended (SYN reopen, RST kill) finds nothing
 * and is a miss, as twq_input() after twq_lookup() would have it. Nothing here makes entries.
 * IPv4 keys are hashed and compared inline; IPv6 keys through struct twq_key.
 */
#define TWQ_BURST_GROUP 32

static __rte_always_inline uint32_t
hash_view4(const struct twq_shard *s, const struct tcpseg_view *v)
{
	uint32_t h = twq_crc4((uint32_t)v->dport << 16 | v->sport, s->hash_seed);

	h = twq_crc4(v->dst.v4, h);
	return twq_crc4(v->src.v4, h);
}

/*
 * Whether the hot record e is the IPv4 entry of the view's 4-tuple. e is a tag match taken
 * before the rules ran for the group's earlier segments; one that any of them ended is taken
 * out of e0[] then (forget()), so e is live and the flag is not tested here.
 */
static __rte_always_inline bool
key_eq_view4(const struct twq_entry *e, const struct tcpseg_view *v)
{
	const struct twq_entry4 *e4 = (const struct twq_entry4 *)(const void *)e;
	uint32_t ports, eports;

	/*
	 * The ports as one word each: the record's (lport, rport) is the view's (sport, dport)
	 * with its halves swapped, a rotation by 16 in either byte order.
	 */
	RTE_BUILD_BUG_ON(offsetof(struct twq_entry4, rport) !=
			offsetof(struct twq_entry4, lport) + sizeof(uint16_t));
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_view, dport) !=
			offsetof(struct tcpseg_view, sport) + sizeof(uint16_t));
	memcpy(&ports, &v->sport, sizeof(ports));
	ports = ports << 16 | ports >> 16;
	memcpy(&eports, &e4->lport, sizeof(eports));
	return ((e4->laddr ^ v->dst.v4) | (e4->raddr ^ v->src.v4) | (eports ^ ports)) == 0;
}

/* The IPv4 record of a bucket's tag match m (its lowest bit). */
static __rte_always_inline const struct twq_entry *
only_match(const struct twq_fam *f, const struct twq_bucket *bk, uint32_t m)
{
	return &twq_ent4(f, bk->idx[(uint32_t)__builtin_ctz(m)])->e;
}

/*
 * The rest of a lookup that input_group() did not finish with the first tag match of the
 * home bucket bk: an IPv6 key, or an IPv4 one when the bucket has other tag matches or keys
 * went past it. The walk of twq_find_from() from the home bucket, on the buckets as they are
 * now. e0 is the IPv4 record the key was compared with and is not (NULL if none): when the
 * bucket's only tag match now is that one (or there is none) and no key went past, the walk
 * would find nothing. The tag matches are taken again, not kept from the group's pass: an
 * earlier segment of the burst may have ended one, and a match never compared must be.
 * The entry's index, or TWQ_NIL.
 */
static __rte_noinline uint32_t
find_rest(const struct twq_fam *f, const struct twq_bucket *bk, uint32_t hash,
		const struct tcpseg_view *v, int v6, const struct twq_entry *e0)
{
	const uint16_t tag = twq_tag(hash);
	struct twq_key k;
	uint32_t id, m;

	if (!v6 && bk->overflow == 0) {
		m = twq_tag_match(bk, tag);
		if (m == 0 || ((m & (m - 1)) == 0 && only_match(f, bk, m) == e0))
			return TWQ_NIL;
	}
	twq_key_from_view(v, &k);
	id = twq_find_from(f, &k, tag, (uint32_t)(bk - f->buckets));
	return id == TWQ_ID_NONE ? TWQ_NIL : id - f->id_base;
}

/*
 * e has just ended (a kill or a reopen by segment i of the group): the later segments whose
 * first tag match it was forget it, and go to find_rest(), which walks the buckets as they are
 * now. So a record in e0[] is always live, and its key compare needs no test of the flag.
 */
static __rte_noinline void
forget(struct twq_entry *e0[], uint32_t from, uint32_t cnt, const struct twq_entry *e)
{
	uint32_t j;

	for (j = from; j < cnt; j++)
		if (e0[j] == e)
			e0[j] = NULL;
}

/*
 * 1 for a flags byte that plain_ack() takes whatever the segment's numbers: ACK and none of
 * RST, SYN, FIN, and some other flag, so not an exact duplicate ACK. One load per segment.
 */
#define TWQ_FF1(x)  (((x)&TWQ_PLAIN_MASK) == TCPSEG_ACK && (x) != TCPSEG_ACK)
#define TWQ_FF4(x)  TWQ_FF1(x), TWQ_FF1((x) + 1), TWQ_FF1((x) + 2), TWQ_FF1((x) + 3)
#define TWQ_FF16(x) TWQ_FF4(x), TWQ_FF4((x) + 4), TWQ_FF4((x) + 8), TWQ_FF4((x) + 12)
#define TWQ_FF64(x) TWQ_FF16(x), TWQ_FF16((x) + 16), TWQ_FF16((x) + 32), TWQ_FF16((x) + 48)

static const uint8_t fast_flags[256] = {TWQ_FF64(0), TWQ_FF64(64), TWQ_FF64(128), TWQ_FF64(192)};

/*
 * The first segments of vs[0..n) whose first tag match (e0[]) is their IPv4 entry and that
 * are plain ACKs on a shard where plain_want() is TCPSEG_ACK, with a flag besides ACK (PSH,
 * URG, ECE, CWR: no duplicate-ACK test needed, fast_flags[]): answered, in order, up to the
 * first segment that is not one, which the general path takes (a lone ACK too, with its
 * duplicate test). Returns how many were. A function of its own, called once
 * per run of such segments (nearly always once per group): its loop has every register for
 * itself, where inlined into input_group() the clock, the verdicts and the views were
 * reloaded from the stack per segment. Six arguments: all in registers.
 */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-slp-vectorize")))
#endif
static __rte_noinline uint32_t
fast_run(const struct tcpseg_view *const vs[], struct twq_entry *const e0[],
		enum twq_verdict verdicts[], struct tcpseg_reply replies[], uint32_t n,
		uint32_t now)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct tcpseg_view *v = vs[i];
		struct twq_entry *e = e0[i];

		if (e == NULL || !key_eq_view4(e, v) || !fast_flags[v->flags])
			break;
		twq_respond(e, now, &replies[i]);
		verdicts[i] = TWQ_ACK;
	}
	return (uint32_t)i;
}

/*
 * The group's second pass: compare tags in the home buckets bks[] (prefetched by the first),
 * keep the IPv4 record of the first match in e0[] (NULL if none, and for IPv6) and prefetch
 * it and any other match's; with no match in a bucket that keys went past, the next bucket.
 */
static __rte_always_inline void
group_tags(const struct twq_shard *s, const struct tcpseg_view *const vs[], uint32_t cnt,
		const struct twq_bucket *const bks[], const uint32_t hashes[],
		struct twq_entry *e0[], bool v4)
{
	uint32_t i;

	uint8_t *const base4 = s->fam[0].base;

	for (i = 0; i < cnt; i++) {
		const int v6 = !v4 && vs[i]->is_ipv6 != 0;
		const struct twq_fam *f = &s->fam[v6];
		const struct twq_bucket *bk = bks[i];
		uint32_t m = twq_tag_match(bk, twq_tag(hashes[i]));

		if (m == 0) {
			e0[i] = NULL;
			/* No tag here but keys went past: the walk goes on to the next bucket. */
			if (bk->overflow != 0)
				rte_prefetch0(&f->buckets[twq_next_bucket(
						f, (uint32_t)(bk - f->buckets))]);
			continue;
		}
		if (!v6) {
			/* The first match, kept for the key compare; then any others. */
			struct twq_entry4 *e = (struct twq_entry4 *)(void *)base4 +
					bk->idx[(uint32_t)__builtin_ctz(m)];

			e0[i] = &e->e;
			rte_prefetch0(e);
			m &= m - 1;
		} else {
			e0[i] = NULL;
		}
		while (m != 0) {
			/* A hot record is one aligned line or less. */
			rte_prefetch0(twq_ent_fam(f, bk->idx[(uint32_t)__builtin_ctz(m)], v6));
			m &= m - 1;
		}
	}
}

/*
 * One group of cnt <= TWQ_BURST_GROUP segments. With v4 (a constant in each caller) every
 * segment of the group is taken to be IPv4: one family, records of a constant stride, no test
 * per segment; the hash loop only ors the views' is_ipv6, and if one is set returns
 * TWQ_GROUP_MIXED before anything is written, for the caller to run the group again without
 * v4, where each segment's family is looked at. Returns the hits, adds the ACKs to *acks.
 * The per-segment state is kept as arrays of one field each (one index for all of them).
 */
#define TWQ_GROUP_MIXED UINT32_MAX

static __rte_always_inline uint32_t
input_group(struct twq_shard *s, const struct tcpseg_view *const vs[], uint32_t cnt, uint32_t now,
		enum twq_verdict verdicts[], struct tcpseg_reply replies[], uint32_t *acks, bool v4)
{
	/* Home buckets, hashes, IPv4 hot record of the first tag match (or NULL). */
	const struct twq_bucket *bks[TWQ_BURST_GROUP];
	uint32_t hashes[TWQ_BURST_GROUP];
	struct twq_entry *e0[TWQ_BURST_GROUP];
	const uint32_t want = plain_want(s);
	uint32_t i, miss = 0, nack = 0;
	uint8_t any6 = 0;

	for (i = 0; i < cnt; i++) {
		const struct twq_fam *f = &s->fam[!v4 && vs[i]->is_ipv6 != 0];
		struct twq_key k;

		if (v4)
			any6 |= vs[i]->is_ipv6;
		if (f == &s->fam[0]) {
			hashes[i] = hash_view4(s, vs[i]);
		} else {
			twq_key_from_view(vs[i], &k);
			hashes[i] = twq_hash_key(s, &k);
		}
		bks[i] = &f->buckets[twq_home(f, hashes[i])];
		rte_prefetch0(bks[i]);
	}
	if (v4 && unlikely(any6 != 0))
		return TWQ_GROUP_MIXED;
	group_tags(s, vs, cnt, bks, hashes, e0, v4);
	for (i = 0;; i++) {
		if (want == TCPSEG_ACK) {
			const uint32_t k = fast_run(
					&vs[i], &e0[i], &verdicts[i], &replies[i], cnt - i, now);

			nack += k;
			i += k;
		}
		if (i >= cnt)
			break;

		const struct tcpseg_view *v = vs[i];
		const int v6 = !v4 && v->is_ipv6 != 0;
		struct twq_fam *f = &s->fam[v6];
		struct twq_entry *e = NULL;
		uint32_t idx;

		if (!v6) {
			e = e0[i];
			if (e != NULL && !key_eq_view4(e, v))
				e = NULL;
		}
		if (e == NULL) {
			idx = find_rest(f, bks[i], hashes[i], v, v6, v6 ? NULL : e0[i]);
			if (idx == TWQ_NIL) {
				verdicts[i] = TWQ_MISS;
				miss++;
				continue;
			}
			e = twq_ent_fam(f, idx, v6);
		}
		if (plain_ack(e, v, want)) {
			twq_respond(e, now, &replies[i]);
			verdicts[i] = TWQ_ACK;
			nack++;
			continue;
		}
		idx = (uint32_t)(((uint8_t *)e - f->base) >> (v6 ? 6 : 5));
		verdicts[i] = input_entry(s, f, idx, e, v, now, &replies[i]);
		nack += verdicts[i] == TWQ_ACK;
		if (!(e->flags & TWQ_EF_LIVE))
			forget(e0, i + 1, cnt, e);
	}
	*acks += nack;
	return cnt - miss;
}

/* Without SLP vectorisation: GCC packs the reply's fields into vector registers otherwise. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-slp-vectorize")))
#endif
uint32_t
twq_input_burst(struct twq_shard *s, const struct tcpseg_view *const views[], uint32_t n,
		uint64_t now_ms, enum twq_verdict verdicts[], struct tcpseg_reply replies[])
{
	const uint32_t now = (uint32_t)now_ms;
	uint32_t base, cnt, acks = 0, hits = 0;

	TWQ_ASSERT_NO_BATCH(s);
	for (base = 0; base < n; base += cnt) {
		uint32_t h;

		cnt = RTE_MIN(n - base, (uint32_t)TWQ_BURST_GROUP);
		h = input_group(s, &views[base], cnt, now, &verdicts[base], &replies[base], &acks,
				true);
		if (unlikely(h == TWQ_GROUP_MIXED))
			h = input_group(s, &views[base], cnt, now, &verdicts[base], &replies[base],
					&acks, false);
		hits += h;
	}
	twq_ctr_add(s, TWQ_CTR_LOOKUP_HIT, hits);
	twq_ctr_add(s, TWQ_CTR_LOOKUP_MISS, n - hits);
	twq_ctr_add(s, TWQ_CTR_ACK_SENT, acks);
	return acks;
}
