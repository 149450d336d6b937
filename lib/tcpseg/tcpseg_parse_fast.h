/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_PARSE_FAST_H
#define TCPSEG_PARSE_FAST_H

/*
 * Internal to lib/tcpseg, included once, by tcpseg_parse.c (after its parse_general() and
 * view_zero): parse_fast(), the one pass tcpseg_parse() tries first, for the frame nearly
 * every packet is, fast_verify(), its software checksums, and fast_opts(). A file of its own to
 * keep tcpseg_parse.c under the size limit.
 */

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#ifdef __SSE4_1__
#include <smmintrin.h>
#elif defined(__SSSE3__)
#include <tmmintrin.h>
#endif

#include "tcpseg.h"
#include "tcpseg_cksum.h"
#include "tcpseg_opt_pvt.h"
#include "tcpseg_wire.h"

/* Smallest frame parse_fast() takes: Ethernet, IPv4 without options, TCP without options. */
#define FAST_MIN_LEN \
	(sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_tcp_hdr))
/* Ethertype IPv4 then version 4 / IHL 5, as the 24 bits at offset 12 read in memory order. */
#define FAST_ETH_VHL      (RTE_BE16(RTE_ETHER_TYPE_IPV4) | (uint32_t)RTE_IPV4_VHL_DEF << 16)
#define FAST_ETH_VHL_MASK 0xffffffu
/* The TCP header length with NOP, NOP, TS. */
#define FAST_DOFF_TS (TCP_DOFF_UNIT * 8)
/* Where the timestamps option's values are in a header that starts NOP, NOP, TS. */
#define FAST_TS_OFF (sizeof(struct rte_tcp_hdr) + TCPOPT_HDR_LEN + 2)
/* Both checksums vouched for by the NIC. */
#define FAST_CK_MASK (RTE_MBUF_F_RX_IP_CKSUM_MASK | RTE_MBUF_F_RX_L4_CKSUM_MASK)
#define FAST_CK_GOOD (RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD)

/* The sum over the IPv4 header (20 bytes; not 0: the version byte is 0x45). */
static __rte_always_inline uint64_t
fast_ip_sum(const uint8_t *ip)
{
	uint64_t sum = tcpseg_load64(ip);
	uint32_t w;

	TCPSEG_ADD_EAC(sum, tcpseg_load64(ip + 8));
	memcpy(&w, ip + 16, sizeof(w));
	TCPSEG_ADD_EAC(sum, w);
	return sum;
}

/*
 * The sum over the TCP segment and its pseudo-header: the addresses (the last 8 bytes of the
 * IPv4 header, as one word), the length and protocol words, then the segment, at least 20
 * bytes: a header of 32 bytes (NOP, NOP, TS) without a loop, then the payload. The length
 * and protocol words, byte-swapped 16-bit values, are added as (length + 6) << 8: swapping
 * the bytes of a 16-bit word multiplies it by 2^8 modulo 2^16 - 1, all tcpseg_sum_good()
 * looks at. Not 0, so neither is the sum.
 */
static __rte_always_inline uint64_t
fast_tcp_sum(const uint8_t *ip, uint32_t tlen)
{
	const uint8_t *addr = ip + offsetof(struct rte_ipv4_hdr, src_addr);
	const uint32_t seg = tlen - (uint32_t)sizeof(struct rte_ipv4_hdr);
	const uint64_t len_proto = (uint64_t)(seg + IPPROTO_TCP) << 8;
	uint64_t sum;

	/* the addresses and a 32-byte header, then the payload */
	if (seg >= FAST_DOFF_TS)
		return tcpseg_sum40_tail(addr, seg - FAST_DOFF_TS, len_proto);
	sum = tcpseg_load64(addr);
	TCPSEG_ADD_EAC(sum, len_proto);
	return tcpseg_sum_long(ip + sizeof(struct rte_ipv4_hdr), seg, sum);
}

/*
 * The checksums of a fast-path frame whose RX flags @p ck do not say GOOD for both: GOOD or
 * NONE are trusted, BAD rejects, UNKNOWN is verified, as csum_rx_ip() / csum_rx_l4() say.
 * No fold: tcpseg_sum_good().
 */
static __rte_always_inline bool
fast_cksum_ok(uint64_t ck, const uint8_t *ip, uint32_t tlen)
{
	const uint64_t ipf = ck & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	const uint64_t l4f = ck & RTE_MBUF_F_RX_L4_CKSUM_MASK;

	/* Both UNKNOWN: a port without RX checksum offload (memif, af_packet...). */
	if (likely(ck == 0))
		return tcpseg_sum_good2(fast_ip_sum(ip), fast_tcp_sum(ip, tlen));
	if (ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD || l4f == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	if (ipf == RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN && !tcpseg_sum_good(fast_ip_sum(ip)))
		return false;
	return l4f != RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN || tcpseg_sum_good(fast_tcp_sum(ip, tlen));
}

#ifdef __SSSE3__
/*
 * The view's stores as seven 16-byte vectors (SSSE3's byte shuffle does the byte swaps): the
 * two addresses with their zero tails, the first 16 bytes of the TCP header shuffled into
 * sport..ack, the lengths and the option bits, the timestamps, the zero SACK blocks. Each
 * byte of the view, padding included, is written with the value parse_general() leaves
 * there. The layout below is checked at compile time.
 */
static_assert(offsetof(struct tcpseg_view, sport) == 32 &&
				offsetof(struct tcpseg_view, is_ipv6) == 36 &&
				offsetof(struct tcpseg_view, flags) == 37 &&
				offsetof(struct tcpseg_view, win) == 38 &&
				offsetof(struct tcpseg_view, seq) == 40 &&
				offsetof(struct tcpseg_view, ack) == 44 &&
				offsetof(struct tcpseg_view, payload_len) == 48 &&
				offsetof(struct tcpseg_view, n_vlan) == 50 &&
				offsetof(struct tcpseg_view, l2_len) == 52 &&
				offsetof(struct tcpseg_view, l3_len) == 54 &&
				offsetof(struct tcpseg_view, l4_len) == 56 &&
				offsetof(struct tcpseg_view, opts.present) == 60 &&
				offsetof(struct tcpseg_view, opts.wscale) == 61 &&
				offsetof(struct tcpseg_view, opts.sack_count) == 62 &&
				offsetof(struct tcpseg_view, opts.mss) == 64 &&
				offsetof(struct tcpseg_view, opts.tsval) == 68 &&
				offsetof(struct tcpseg_view, opts.tsecr) == 72 &&
				offsetof(struct tcpseg_view, opts.sack) == 76 &&
				sizeof(struct tcpseg_view) == 108,
		"parse_fast()'s vector stores assume this layout of struct tcpseg_view");

static __rte_always_inline void
fast_store(struct tcpseg_view *v, const uint8_t *ip, uint32_t plen, uint32_t doff, bool ts)
{
	const uint8_t *th = ip + sizeof(struct rte_ipv4_hdr);
	/* view bytes 32..47 from TCP header bytes 0..15; -1: zero (is_ipv6) */
	const __m128i hdr = _mm_setr_epi8(1, 0, 3, 2, -1, 13, 15, 14, 7, 6, 5, 4, 11, 10, 9, 8);
	/* view bytes 64..79 (mss, tsval, tsecr, sack[0][0]) from TSval, TSecr */
	const __m128i tss = _mm_setr_epi8(-1, -1, -1, -1, 3, 2, 1, 0, 7, 6, 5, 4, -1, -1, -1, -1);
	uint8_t *p = (uint8_t *)v;
	const __m128i zero = _mm_setzero_si128();
	__m128i lens;

	uint32_t src, dst;

	memcpy(&src, ip + offsetof(struct rte_ipv4_hdr, src_addr), sizeof(src));
	memcpy(&dst, ip + offsetof(struct rte_ipv4_hdr, dst_addr), sizeof(dst));
	_mm_storeu_si128((__m128i *)p, _mm_cvtsi32_si128((int)src));
	_mm_storeu_si128((__m128i *)(p + 16), _mm_cvtsi32_si128((int)dst));
	_mm_storeu_si128((__m128i *)(p + 32),
			_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)th), hdr));
	/* payload_len, n_vlan 0, l2_len, l3_len, l4_len, the option bits */
	if (ts)
		lens = _mm_or_si128(_mm_setr_epi16(0, 0, sizeof(struct rte_ether_hdr),
						    sizeof(struct rte_ipv4_hdr), FAST_DOFF_TS, 0,
						    TCPSEG_OPT_TS, 0),
				_mm_cvtsi32_si128((int)plen));
	else
		lens = _mm_insert_epi16(
				_mm_or_si128(_mm_setr_epi16(0, 0, sizeof(struct rte_ether_hdr),
							     sizeof(struct rte_ipv4_hdr), 0, 0, 0,
							     0),
						_mm_cvtsi32_si128((int)plen)),
				(int)doff, 4);
	_mm_storeu_si128((__m128i *)(p + 48), lens);
	_mm_storeu_si128((__m128i *)(p + 64),
			ts ? _mm_shuffle_epi8(_mm_loadl_epi64((const __m128i *)(th + FAST_TS_OFF)),
					     tss)
			   : zero);
	_mm_storeu_si128((__m128i *)(p + 80), zero);
	_mm_storeu_si128((__m128i *)(p + sizeof(*v) - 16), zero);
}
#else
/* Field by field, after a copy of the zero view. */
static __rte_always_inline void
fast_store(struct tcpseg_view *v, const uint8_t *ip, uint32_t plen, uint32_t doff, bool ts)
{
	const struct rte_tcp_hdr *th =
			(const struct rte_tcp_hdr *)(ip + sizeof(struct rte_ipv4_hdr));
	uint32_t w;

	*v = view_zero;
	memcpy(&v->src.v4, ip + offsetof(struct rte_ipv4_hdr, src_addr), sizeof(v->src.v4));
	memcpy(&v->dst.v4, ip + offsetof(struct rte_ipv4_hdr, dst_addr), sizeof(v->dst.v4));
	v->sport = TCPSEG_BSWAP16(th->src_port);
	v->dport = TCPSEG_BSWAP16(th->dst_port);
	v->flags = th->tcp_flags;
	v->win = TCPSEG_BSWAP16(th->rx_win);
	v->seq = TCPSEG_BSWAP32(th->sent_seq);
	v->ack = TCPSEG_BSWAP32(th->recv_ack);
	v->payload_len = (uint16_t)plen;
	v->l2_len = sizeof(struct rte_ether_hdr);
	v->l3_len = sizeof(struct rte_ipv4_hdr);
	v->l4_len = (uint16_t)doff;
	if (ts) {
		v->opts.present = TCPSEG_OPT_TS;
		memcpy(&w, (const uint8_t *)th + FAST_TS_OFF, sizeof(w));
		v->opts.tsval = TCPSEG_BSWAP32(w);
		memcpy(&w, (const uint8_t *)th + FAST_TS_OFF + 4, sizeof(w));
		v->opts.tsecr = TCPSEG_BSWAP32(w);
	}
}
#endif

/*
 * Ethertype IPv4, version 4 / IHL 5, not a fragment (MF and the offset 0), protocol TCP: the
 * frame's bytes 12..27 from @p d, at least FAST_MIN_LEN long. With SSE4.1 one 16-byte load, an
 * xor with the expected bytes and a PTEST against the mask of the bytes and bits that matter.
 */
static __rte_always_inline bool
fast_hdr_ok(const uint8_t *d)
{
	const uint8_t *ip = d + sizeof(struct rte_ether_hdr);
	const struct rte_ipv4_hdr *ih = (const struct rte_ipv4_hdr *)ip;
#ifdef __SSE4_1__
	/* bytes 12..27: ethertype (2), version/IHL, TOS, length (2), id (2), fragment (2), TTL,
	 * protocol, checksum (2), source address (2 of 4) */
	const __m128i want = _mm_setr_epi8(0x08, 0x00, RTE_IPV4_VHL_DEF, 0, 0, 0, 0, 0, 0, 0, 0,
			IPPROTO_TCP, 0, 0, 0, 0);
	const __m128i mask = _mm_setr_epi8(-1, -1, -1, 0, 0, 0, 0, 0, 0x3f, -1, 0, -1, 0, 0, 0, 0);
	const __m128i x = _mm_loadu_si128(
			(const __m128i *)(d + offsetof(struct rte_ether_hdr, ether_type)));

	RTE_SET_USED(ih);
	return _mm_testz_si128(_mm_xor_si128(x, want), mask) != 0;
#else
	uint32_t eth_vhl;

	memcpy(&eth_vhl, d + offsetof(struct rte_ether_hdr, ether_type), sizeof(eth_vhl));
	return (eth_vhl & FAST_ETH_VHL_MASK) == FAST_ETH_VHL &&
			(ih->fragment_offset &
					RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
							RTE_IPV4_HDR_OFFSET_MASK)) == 0 &&
			ih->next_proto_id == IPPROTO_TCP;
#endif
}

/* What parse_fast() did with a frame. */
enum fast_rc {
	FAST_TAKEN = 0,  /* view stored: the frame is parsed */
	FAST_VERIFY = 1, /* a checksum is still to be verified: fast_verify() */
	FAST_OPTS = 2,   /* options other than NOP NOP TS still to be read: fast_opts() */
	FAST_NO = 4,     /* not for the fast path, or to be rejected: parse_general() */
};

/*
 * The frame nearly every packet is, in one pass: untagged IPv4 without options, not a
 * fragment, TCP, the whole IP datagram in the first mbuf segment. FAST_NO for any other
 * frame, and for one it would reject: tcpseg_parse() then runs parse_general() from the start,
 * which gives the reason. Otherwise the view is the one parse_general() makes, byte for byte
 * (test/unit/tcpseg/test_tcpseg_fast.c compares them): every check of parse_general() on such
 * a frame is made here, or implied by the one length check (the datagram is inside the first
 * segment, so no header is past the frame or the segment), except the checksums the RX flags
 * do not say GOOD for: FAST_VERIFY leaves them to fast_verify(). Some frames parse_general()
 * accepts are left to it (a source address in 0.0.0.0/8, an address in 240.0.0.0/4): the
 * address checks are then one compare of a byte each. TCP options: none and NOP, NOP, TS are
 * read here, any other list by fast_opts() (FAST_OPTS). No call: no register to save.
 * *tlen_out is the IPv4 total length (for fast_verify()) when the result is not FAST_NO.
 */
static __rte_always_inline enum fast_rc
parse_fast(const struct rte_mbuf *m, struct tcpseg_view *v, uint32_t *tlen_out)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint8_t *ip = d + sizeof(struct rte_ether_hdr);
	const struct rte_ipv4_hdr *ih = (const struct rte_ipv4_hdr *)ip;
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(ih + 1);
	const uint32_t data_len = rte_pktmbuf_data_len(m);
	uint32_t tlen, doff, w;
	int rc;
	int32_t plen;

	if (unlikely(data_len < FAST_MIN_LEN))
		return FAST_NO;
	if (unlikely(!fast_hdr_ok(d)))
		return FAST_NO;
	/* The datagram in the first segment (Ethernet padding past it ignored). */
	tlen = TCPSEG_BSWAP16(ih->total_length);
	if (unlikely(tlen > data_len - (uint32_t)sizeof(struct rte_ether_hdr)))
		return FAST_NO;
	*tlen_out = tlen;
	/*
	 * The first byte of each address, in network order: the source's in 1..223 (not 0.0.0.0,
	 * not multicast 224.0.0.0/4, not 255.255.255.255), the destination's below 224.
	 */
	if (unlikely((uint8_t)(ip[offsetof(struct rte_ipv4_hdr, src_addr)] - 1) >=
					    (IP4_MCAST_TOP << 4) - 1 ||
			    ip[offsetof(struct rte_ipv4_hdr, dst_addr)] >= (IP4_MCAST_TOP << 4)))
		return FAST_NO;
	/*
	 * The data offset byte: 8 words and the low bits 0 (NOP, NOP, TS: the common case, tested
	 * first as one byte compare, so its length is a constant), else a data offset of at least
	 * 5 words (8 with a low bit set comes here too). plen = tlen - 20 - doff below 0: the data
	 * offset past the segment (tlen below 20 included).
	 */
	if (likely(th->data_off == FAST_DOFF_TS << 2)) {
		plen = (int32_t)tlen - (int32_t)(sizeof(struct rte_ipv4_hdr) + FAST_DOFF_TS);
		if (unlikely(plen < 0))
			return FAST_NO;
		rc = (m->ol_flags & FAST_CK_MASK) == FAST_CK_GOOD ? FAST_TAKEN : FAST_VERIFY;
		memcpy(&w, th + 1, sizeof(w));
		if (likely(w == TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD))) {
			fast_store(v, ip, (uint32_t)plen, FAST_DOFF_TS, true);
			return (enum fast_rc)rc;
		}
		fast_store(v, ip, (uint32_t)plen, FAST_DOFF_TS, false);
		return (enum fast_rc)(rc | FAST_OPTS);
	}
	/* read again: the byte in a register costs the compare above a load */
	doff = *(const volatile uint8_t *)&th->data_off & 0xf0;
	if (unlikely(doff < sizeof(*th) << 2))
		return FAST_NO;
	doff >>= 2;
	plen = (int32_t)tlen - (int32_t)sizeof(struct rte_ipv4_hdr) - (int32_t)doff;
	if (unlikely(plen < 0))
		return FAST_NO;
	rc = (m->ol_flags & FAST_CK_MASK) == FAST_CK_GOOD ? FAST_TAKEN : FAST_VERIFY;
	fast_store(v, ip, (uint32_t)plen, doff, false);
	if (unlikely(doff != sizeof(*th)))
		rc |= FAST_OPTS;
	return (enum fast_rc)rc;
}

/*
 * After parse_fast() said FAST_VERIFY: the checksums of the datagram at @p ip, @p tlen bytes
 * long, and parse_general() if one is wrong (or its RX flag says BAD), which gives the reason.
 * A function of its own, called last, so that the registers its sums take are saved (if at
 * all) here and not on the path of the offloaded segment.
 */
static __rte_noinline enum tcpseg_reason
fast_verify(const struct rte_mbuf *m, struct tcpseg_view *v, const uint8_t *ip, uint32_t tlen)
{
	if (likely(fast_cksum_ok(m->ol_flags & FAST_CK_MASK, ip, tlen)))
		return TCPSEG_OK;
	return parse_general(m, v);
}

/* After parse_fast() said FAST_OPTS: the option list (the view has none yet), then as above. */
static __rte_noinline enum tcpseg_reason
fast_opts(const struct rte_mbuf *m, struct tcpseg_view *v, enum fast_rc rc)
{
	const uint8_t *ip =
			rte_pktmbuf_mtod_offset(m, const uint8_t *, sizeof(struct rte_ether_hdr));

	tcpseg_opts_read(ip + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_tcp_hdr),
			v->l4_len - (uint32_t)sizeof(struct rte_tcp_hdr), &v->opts);
	if (!(rc & FAST_VERIFY))
		return TCPSEG_OK;
	return fast_verify(
			m, v, ip, TCPSEG_BSWAP16(((const struct rte_ipv4_hdr *)ip)->total_length));
}

#endif /* TCPSEG_PARSE_FAST_H */
