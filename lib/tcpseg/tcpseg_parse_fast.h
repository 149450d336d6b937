/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_PARSE_FAST_H
#define TCPSEG_PARSE_FAST_H

/*
 * Internal to lib/tcpseg, included once, by tcpseg_parse.c (after its parse_general() and
 * view_zero): parse_fast(), the one pass tcpseg_parse() tries first, for the frame nearly
 * every packet is. A file of its own to keep tcpseg_parse.c under the size limit.
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
#ifdef __SSSE3__
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

/*
 * The checksums of a fast-path frame that the RX flags @p ck do not vouch for (GOOD or NONE
 * are trusted, BAD rejects, UNKNOWN is verified, as csum_rx_ip() / csum_rx_l4() say): the
 * IPv4 header, then the TCP segment with its pseudo-header. The pseudo-header's addresses
 * are the last 8 bytes of the IPv4 header, just before TCP: one sum runs over both, from
 * the source address to the end of the datagram. No fold: tcpseg_sum_good().
 */
static __rte_always_inline bool
fast_cksum_ok(uint64_t ck, const uint8_t *ip, uint32_t tlen)
{
	const uint64_t ipf = ck & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	const uint64_t l4f = ck & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	const uint32_t addr = offsetof(struct rte_ipv4_hdr, src_addr);
	uint64_t phdr;

	if (unlikely(ipf == RTE_MBUF_F_RX_IP_CKSUM_BAD || l4f == RTE_MBUF_F_RX_L4_CKSUM_BAD))
		return false;
	if (ipf == RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN) {
		/* 16 + 4 bytes; not 0: the version byte is 0x45. */
		uint64_t sum = tcpseg_load64(ip);
		uint32_t w;

		TCPSEG_ADD_EAC(sum, tcpseg_load64(ip + 8));
		memcpy(&w, ip + 16, sizeof(w));
		TCPSEG_ADD_EAC(sum, w);
		if (!tcpseg_sum_good(sum))
			return false;
	}
	if (l4f != RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN)
		return true;
	/* Length and protocol words of the pseudo-header; not 0, so neither is the sum. */
	phdr = (uint64_t)TCPSEG_BSWAP16((uint16_t)(tlen - sizeof(struct rte_ipv4_hdr))) +
			TCPSEG_BSWAP16(IPPROTO_TCP);
	return tcpseg_sum_good(tcpseg_sum_long(ip + addr, tlen - addr, phdr));
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
	lens = _mm_or_si128(_mm_setr_epi16(0, 0, sizeof(struct rte_ether_hdr),
					    sizeof(struct rte_ipv4_hdr), 0, 0,
					    ts ? TCPSEG_OPT_TS : 0, 0),
			_mm_insert_epi16(_mm_cvtsi32_si128((int)plen), (int)doff, 4));
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
 * The frame nearly every packet is, in one pass: untagged IPv4 without options, not a
 * fragment, TCP, the whole IP datagram in the first mbuf segment. Returns false for any other
 * frame, and for one it would reject: tcpseg_parse() then runs parse_general() from the start,
 * which gives the reason. When it returns true the view is the one parse_general() makes,
 * byte for byte (test/unit/tcpseg/test_tcpseg_fast.c compares them): every check of
 * parse_general() on such a frame is made here, or implied by the one length check (the
 * datagram is inside the first segment, so no header is past the frame or the segment). Some
 * frames parse_general() accepts are left to it (a source address in 0.0.0.0/8, an address
 * in 240.0.0.0/4): the address checks are then one compare of a byte each. TCP options:
 * none and NOP, NOP, TS are read here, any other list by tcpseg_opts_read(), last.
 */
static __rte_always_inline bool
parse_fast(const struct rte_mbuf *m, struct tcpseg_view *v)
{
	const uint8_t *d = rte_pktmbuf_mtod(m, const uint8_t *);
	const uint8_t *ip = d + sizeof(struct rte_ether_hdr);
	const struct rte_ipv4_hdr *ih = (const struct rte_ipv4_hdr *)ip;
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(ih + 1);
	const uint32_t data_len = rte_pktmbuf_data_len(m);
	const uint64_t ck = m->ol_flags & FAST_CK_MASK;
	uint32_t eth_vhl, tlen, doff, w;
	int32_t plen;

	if (unlikely(data_len < FAST_MIN_LEN))
		return false;
	memcpy(&eth_vhl, d + offsetof(struct rte_ether_hdr, ether_type), sizeof(eth_vhl));
	if (unlikely((eth_vhl & FAST_ETH_VHL_MASK) != FAST_ETH_VHL))
		return false;
	if (unlikely((ih->fragment_offset &
				     RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) !=
					    0 ||
			    ih->next_proto_id != IPPROTO_TCP))
		return false;
	/* The datagram in the first segment (Ethernet padding past it ignored). */
	tlen = TCPSEG_BSWAP16(ih->total_length);
	if (unlikely(tlen > data_len - sizeof(struct rte_ether_hdr)))
		return false;
	/*
	 * The first byte of each address, in network order: the source's in 1..223 (not 0.0.0.0,
	 * not multicast 224.0.0.0/4, not 255.255.255.255), the destination's below 224.
	 */
	if (unlikely((uint8_t)(ip[offsetof(struct rte_ipv4_hdr, src_addr)] - 1) >=
					    (IP4_MCAST_TOP << 4) - 1 ||
			    ip[offsetof(struct rte_ipv4_hdr, dst_addr)] >= (IP4_MCAST_TOP << 4)))
		return false;
	/* (data offset in words) * 4: the byte's top nibble, shifted down by 2 */
	doff = (uint32_t)(th->data_off >> 2) & (0xf * TCP_DOFF_UNIT);
	if (unlikely(doff < sizeof(*th)))
		return false;
	/* tlen - 20 - doff below 0: data offset past the segment; tlen below 20 included. */
	plen = (int32_t)tlen - (int32_t)sizeof(struct rte_ipv4_hdr) - (int32_t)doff;
	if (unlikely(plen < 0))
		return false;
	if (ck != FAST_CK_GOOD && !fast_cksum_ok(ck, ip, tlen))
		return false;
	if (doff == FAST_DOFF_TS) {
		memcpy(&w, th + 1, sizeof(w));
		if (likely(w == TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD))) {
			fast_store(v, ip, (uint32_t)plen, FAST_DOFF_TS, true);
			return true;
		}
	}
	fast_store(v, ip, (uint32_t)plen, doff, false);
	if (unlikely(doff != sizeof(*th)))
		tcpseg_opts_read((const uint8_t *)(th + 1), doff - (uint32_t)sizeof(*th), &v->opts);
	return true;
}

#endif /* TCPSEG_PARSE_FAST_H */
