/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * SYN cookies (D. J. Bernstein's idea; the layout follows Linux's net/ipv4/syncookies.c and
 * TLDK). A SYN to a listener is answered with a SYN-ACK whose ISN encodes what the connection
 * needs, and nothing is kept:
 *
 *   ISN bits 31-30  the time counter (now / cookie_interval_ms) modulo 4
 *   ISN bits 29-27  index of the MSS in a small table (tcpterm_cookie_mss())
 *   ISN bits 26-0   a keyed hash of the counter, the MSS index, the 4-tuple and the peer's ISN
 *
 * and, when the SYN offered timestamps, the low 5 bits of our TSval carry the peer's window
 * scale (4 bits, 15 meaning "not offered") and SACK-permitted (1 bit). Without timestamps
 * the SYN-ACK offers neither window scaling nor SACK, as Linux does, because the ACK could
 * not tell us what the SYN said.
 *
 * The hash is SipHash-2-4 (as Linux uses), a keyed PRF: rte_jhash and rte_hash_crc are not
 * built to resist someone who sees many outputs (CRC is linear in its key). The counter is
 * one of its inputs, so the effective key changes every interval with no syscall on the fast
 * path; the 256-bit secret is drawn from getrandom() at create. The ACK is accepted when the
 * counter bits name the current interval or the one before (a cookie lives one to two
 * intervals) and the hash matches: 2^-27 for a guess.
 */

#include <string.h>

#include <rte_byteorder.h>

#include "tcpterm_pvt.h"

/* Ascending; a SYN's MSS is rounded down to an entry (below the first: the first). */
static const uint16_t mss_tab[TCPTERM_COOKIE_MSS_N] = {
		536,
		1200,
		1220,
		1360,
		1400,
		1440,
		1460,
		8960,
};

#define CNT_SHIFT 30
#define MSS_SHIFT 27
#define HASH_MASK ((1u << MSS_SHIFT) - 1)
#define TS_BITS   5
#define TS_MASK   ((1u << TS_BITS) - 1)
#define WS_NONE   15u

uint16_t
tcpterm_cookie_mss(unsigned int idx)
{
	return idx < TCPTERM_COOKIE_MSS_N ? mss_tab[idx] : 0;
}

unsigned int
tcpterm_cookie_mss_idx(uint16_t mss)
{
	unsigned int i;

	for (i = TCPTERM_COOKIE_MSS_N - 1; i > 0; i--)
		if (mss >= mss_tab[i])
			break;
	return i;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND() \
	do { \
		v0 += v1; \
		v1 = ROTL(v1, 13); \
		v1 ^= v0; \
		v0 = ROTL(v0, 32); \
		v2 += v3; \
		v3 = ROTL(v3, 16); \
		v3 ^= v2; \
		v0 += v3; \
		v3 = ROTL(v3, 21); \
		v3 ^= v0; \
		v2 += v1; \
		v1 = ROTL(v1, 17); \
		v1 ^= v2; \
		v2 = ROTL(v2, 32); \
	} while (0)

/* SipHash-2-4 of n 64-bit words (a message of 8n bytes, little-endian words). */
uint64_t
tcpterm_siphash(uint64_t k0, uint64_t k1, const uint64_t *w, unsigned int n)
{
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t b = (uint64_t)(8 * n) << 56;
	unsigned int i;

	for (i = 0; i < n; i++) {
		v3 ^= w[i];
		SIPROUND();
		SIPROUND();
		v0 ^= w[i];
	}
	v3 ^= b;
	SIPROUND();
	SIPROUND();
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND();
	SIPROUND();
	SIPROUND();
	SIPROUND();
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The ISN of the cookie for SYN v (peer's ISN v->seq) at counter count. */
uint32_t
tcpterm_cookie_isn(const struct tcpterm_table *t, const struct tcpseg_view *v, uint32_t count,
		unsigned int mss_idx)
{
	uint64_t w[6];
	unsigned int n;
	uint32_t h;

	w[0] = (uint64_t)count << 32 | v->seq;
	w[1] = (uint64_t)mss_idx << 48 | (uint64_t)v->sport << 32 | (uint32_t)v->dport << 16 |
			v->is_ipv6;
	if (v->is_ipv6) {
		memcpy(&w[2], v->src.v6, 16);
		memcpy(&w[4], v->dst.v6, 16);
		n = 6;
	} else {
		w[2] = (uint64_t)v->src.v4 << 32 | v->dst.v4;
		n = 3;
	}
	h = (uint32_t)tcpterm_siphash(t->sip_k0, t->sip_k1, w, n);
	return (count & 3u) << CNT_SHIFT | (uint32_t)mss_idx << MSS_SHIFT | (h & HASH_MASK);
}

static inline uint32_t
cookie_count(const struct tcpterm_table *t, uint64_t now_ms)
{
	return (uint32_t)(now_ms / t->p.cookie_interval_ms);
}

/*
 * Fill the SYN-ACK of a SYN to a listener. The MSS we announce is what our port's MTU allows,
 * at most the peer's when its SYN carried one (RFC 9293 3.7.1 lets it be any value; the
 * smaller keeps the peer's segments within both paths); the MSS we send with is the peer's,
 * rounded down to the cookie table and capped by our path.
 */
void
tcpterm_cookie_synack(struct tcpterm_table *t, const struct tcpseg_view *v, uint64_t now_ms,
		struct tcpseg_reply *r, struct tcpterm_out *out)
{
	uint16_t ours = v->is_ipv6 ? t->p.mss_v6 : t->p.mss_v4;
	uint16_t peer = (v->opts.present & TCPSEG_OPT_MSS) ? v->opts.mss
							   : (v->is_ipv6 ? 1220 : 536);
	unsigned int idx = tcpterm_cookie_mss_idx(RTE_MIN(peer, ours));
	uint8_t opts = TCPSEG_OPT_MSS;

	memset(r, 0, sizeof(*r));
	r->seq = tcpterm_cookie_isn(t, v, cookie_count(t, now_ms), idx);
	r->ack = v->seq + 1;
	r->flags = TCPSEG_SYN | TCPSEG_ACK;
	r->win = TCPTERM_RCV_WND;
	if (v->opts.present & TCPSEG_OPT_TS) {
		uint32_t ws = (v->opts.present & TCPSEG_OPT_WSCALE)
				? RTE_MIN(v->opts.wscale, (uint8_t)14)
				: WS_NONE;
		uint32_t sack = (v->opts.present & TCPSEG_OPT_SACKOK) &&
				(t->p.flags & TCPTERM_F_SACK);
		uint32_t now = (uint32_t)now_ms + t->ts_offset;
		uint32_t ts = (now & ~TS_MASK) | ws << 1 | sack;

		/* Never ahead of the clock: later TSvals must not go backwards (PAWS). */
		if (tcpseg_ts_gt(ts, now))
			ts -= 1u << TS_BITS;
		r->has_ts = 1;
		r->tsval = ts;
		r->tsecr = v->opts.tsval;
		if (ws != WS_NONE)
			opts |= TCPSEG_OPT_WSCALE;
		if (sack)
			opts |= TCPSEG_OPT_SACKOK;
	}
	if (v->opts.present & TCPSEG_OPT_MSS)
		ours = RTE_MIN(ours, peer);
	out->syn.opts = opts;
	out->syn.wscale = 0;
	out->syn.mss = ours;
	r->syn_opts = opts;
	r->wscale = 0;
	r->mss = ours;
	ctr_inc(t, TCPTERM_CTR_COOKIE_SENT);
}

/*
 * Check the ACK (v->ack - 1 is our ISN, v->seq - 1 the peer's) against the cookie. On
 * success fills the MSS to send with, the peer's window scale (WS_NONE: not negotiated) and
 * SACK-permitted.
 */
bool
tcpterm_cookie_check(struct tcpterm_table *t, const struct tcpseg_view *v, uint64_t now_ms,
		uint16_t *mss, uint8_t *wscale, uint8_t *sack)
{
	struct tcpseg_view syn = *v;
	uint32_t isn = v->ack - 1, now = cookie_count(t, now_ms), count;
	uint16_t ours = v->is_ipv6 ? t->p.mss_v6 : t->p.mss_v4;
	unsigned int idx = (isn >> MSS_SHIFT) & 7u;

	/* The counter of the cookie: this interval or the one before. */
	count = now - ((now - (isn >> CNT_SHIFT)) & 3u);
	if (now - count > 1)
		return false;
	syn.seq = v->seq - 1;
	if (tcpterm_cookie_isn(t, &syn, count, idx) != isn)
		return false;
	*mss = RTE_MIN(mss_tab[idx], ours);
	*wscale = WS_NONE;
	*sack = 0;
	if (v->opts.present & TCPSEG_OPT_TS) {
		*wscale = (uint8_t)((v->opts.tsecr >> 1) & 0xf);
		*sack = (uint8_t)(v->opts.tsecr & 1);
		if (*wscale > 14)
			*wscale = WS_NONE;
	}
	return true;
}
