/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Replies built in place over a received frame: tcpseg_build_reply() and the closed-port rule
 * of RFC 793 (tcpseg_closed_reply()).
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ethdev.h>
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
#include "tcpseg_reply_v4.h"
#include "tcpseg_wire.h"

/*
 * Checksums are summed from the values written, not read back from the frame: a load of
 * bytes just written by narrower stores cannot be forwarded from the store buffer and waits
 * for the stores to retire (measured: a third of this function's time when the IPv4 header
 * and the TCP options were summed from memory).
 *
 * Every word below is a 32-bit value as it lies in memory, i.e. TCPSEG_BSWAP32() of the
 * number the wire bytes spell. The one's complement sum (RFC 1071) of such words, folded to
 * 16 bits, is the sum rte_raw_cksum() makes of the same bytes (2^16 and 2^32 are 1 modulo
 * 2^16 - 1; the byte order within the words is the memory's, as for rte_raw_cksum()), so
 * its complement is stored as it is. tcpseg_fold() (tcpseg_cksum.h) folds it, as it does for
 * the parser's sums.
 *
 * The layer writers below are each called once from tcpseg_build_reply() and inlined there.
 */
static inline void
put32(void *p, uint32_t w)
{
	memcpy(p, &w, sizeof(w));
}

static inline uint64_t
sum_words(const void *p, unsigned int n)
{
	uint64_t sum = 0;
	uint32_t w;
	unsigned int i;

	for (i = 0; i < n; i++) {
		memcpy(&w, (const uint8_t *)p + 4 * i, sizeof(w));
		sum += w;
	}
	return sum;
}

/* Bytes of a SYN-ACK's options (syn_opts set): a word each for MSS, window scale, and
 * SACK-permitted without timestamps; 12 for timestamps (with SACK-permitted or NOP, NOP). */
static inline uint32_t
syn_opts_len(const struct tcpseg_reply *r)
{
	uint32_t len;

	len = r->has_ts ? TCPOLEN_NOP_NOP_TS : (r->syn_opts & TCPSEG_OPT_SACKOK) ? TCPOLEN_WORD : 0;
	len += (r->syn_opts & TCPSEG_OPT_MSS) ? TCPOLEN_WORD : 0;
	len += (r->syn_opts & TCPSEG_OPT_WSCALE) ? TCPOLEN_WORD : 0;
	return len;
}

/*
 * Can the reply of @p len bytes be written over @p m? The Ethernet header and VLAN tags are
 * kept from the first segment; the reply must fit in its buffer; a shared (cloned, external
 * or referenced) buffer must not be written in place.
 */
static inline bool
reply_fits(const struct rte_mbuf *m, const struct tcpseg_view *v, uint32_t len)
{
	return v->l2_len >= sizeof(struct rte_ether_hdr) && v->l2_len <= rte_pktmbuf_data_len(m) &&
			len <= (uint32_t)rte_pktmbuf_data_len(m) + rte_pktmbuf_tailroom(m) &&
			RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

/* One segment of @p len bytes: further segments (payload) freed. */
static inline void
reply_trim(struct rte_mbuf *m, uint32_t len)
{
	if (m->next != NULL) {
		rte_pktmbuf_free(m->next);
		m->next = NULL;
		m->nb_segs = 1;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
}

/*
 * Ethernet: addresses swapped; the ethertype and any VLAN tags after it are kept. With SSSE3
 * one shuffle of the first 16 bytes (the 12 address bytes, then 4 bytes put back as they
 * were: the ethertype and the next two, which the IP writer overwrites later anyway) instead
 * of three 6-byte copies.
 */
static inline void
write_eth(struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
#ifdef __SSSE3__
	const __m128i swap = _mm_setr_epi8(6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 12, 13, 14, 15);

	_mm_storeu_si128((__m128i *)eth,
			_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)eth), swap));
#else
	struct rte_ether_addr mac;

	rte_ether_addr_copy(&eth->src_addr, &mac);
	rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
	rte_ether_addr_copy(&mac, &eth->dst_addr);
#endif
}

/*
 * IPv6 header without extension headers, addresses swapped. Returns the TCP pseudo-header
 * sum (RFC 8200 section 8.1); sets the TX offload flags when the NIC sums TCP.
 */
static inline uint64_t
write_ipv6(uint8_t *l3, const struct tcpseg_view *v, uint32_t l4_len, bool tcp_hw,
		uint64_t *ol_flags)
{
	/* Version 6, traffic class 0, flow label 0; payload length, next header TCP, hops. */
	uint32_t h0 = TCPSEG_BSWAP32((uint32_t)IP6_VERSION << IP6_VERSION_SHIFT);
	uint32_t h1 = TCPSEG_BSWAP32(l4_len << 16 | (uint32_t)IPPROTO_TCP << 8 | TCPSEG_REPLY_TTL);

	put32(l3, h0);
	put32(l3 + offsetof(struct rte_ipv6_hdr, payload_len), h1);
	memcpy(l3 + offsetof(struct rte_ipv6_hdr, src_addr), v->dst.v6, sizeof(v->dst.v6));
	memcpy(l3 + offsetof(struct rte_ipv6_hdr, dst_addr), v->src.v6, sizeof(v->src.v6));
	if (tcp_hw)
		*ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM;
	return sum_words(v->src.v6, 4) + sum_words(v->dst.v6, 4) + TCPSEG_BSWAP32(l4_len) +
			TCPSEG_BSWAP32(IPPROTO_TCP);
}

/*
 * IPv4 header without options, addresses swapped, its checksum computed here unless the
 * port offloads it. Returns the TCP pseudo-header sum (RFC 9293 section 3.1); sets the TX
 * offload flags for what the NIC sums.
 */
static inline uint64_t
write_ipv4(uint8_t *l3, const struct tcpseg_view *v, uint32_t l4_len, uint64_t tx_offload,
		bool tcp_hw, uint64_t *ol_flags)
{
	/* Version 4, IHL 5, TOS 0, length; id 0, DF; TTL, TCP, checksum 0; addresses. */
	uint32_t h0 = TCPSEG_BSWAP32((uint32_t)RTE_IPV4_VHL_DEF << 24 |
			(uint32_t)(sizeof(struct rte_ipv4_hdr) + l4_len));
	uint32_t h1 = TCPSEG_BSWAP32(RTE_IPV4_HDR_DF_FLAG);
	uint32_t h2 = TCPSEG_BSWAP32(
			(uint32_t)TCPSEG_REPLY_TTL << 24 | (uint32_t)IPPROTO_TCP << 16);
	uint16_t ip_sum = 0;

	if (tx_offload & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		*ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip_sum = (uint16_t)~tcpseg_fold((uint64_t)h0 + h1 + h2 + v->src.v4 + v->dst.v4);
	put32(l3, h0);
	put32(l3 + offsetof(struct rte_ipv4_hdr, packet_id), h1);
	put32(l3 + offsetof(struct rte_ipv4_hdr, time_to_live), h2);
	memcpy(l3 + offsetof(struct rte_ipv4_hdr, hdr_checksum), &ip_sum, sizeof(ip_sum));
	put32(l3 + offsetof(struct rte_ipv4_hdr, src_addr), v->dst.v4);
	put32(l3 + offsetof(struct rte_ipv4_hdr, dst_addr), v->src.v4);
	if (tcp_hw)
		*ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	return (uint64_t)v->src.v4 + v->dst.v4 +
			TCPSEG_BSWAP32((uint32_t)IPPROTO_TCP << 16 | l4_len);
}

/* The options of a SYN-ACK (syn_opts set): tcpseg_opts_put()'s layout. */
static inline uint64_t
write_syn_opts(uint8_t *p, const struct tcpseg_reply *r)
{
	struct tcpseg_opts o = {
			.present = (uint8_t)((r->syn_opts &
							     (TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE |
									     TCPSEG_OPT_SACKOK)) |
					(r->has_ts ? TCPSEG_OPT_TS : 0)),
			.wscale = r->wscale,
			.mss = r->mss,
			.tsval = r->tsval,
			.tsecr = r->tsecr,
	};
	uint64_t sum = 0;

	tcpseg_opts_put(p, &o, &sum);
	return sum;
}

/*
 * TCP header: ports swapped, the fields of r, checksum and urgent pointer 0; then the
 * options (NOP, NOP, TS when asked, or a SYN-ACK's). Returns the sum of the words written.
 * Scalars, not an array: GCC vectorises a loop over an array into 16-byte loads of its
 * 4-byte stores, the very stall avoided here.
 */
static inline uint64_t
write_tcp(uint8_t *th, const struct tcpseg_view *v, const struct tcpseg_reply *r, uint32_t l4_len,
		bool syn)
{
	uint32_t t0, t1, t2, t3, o1, o2;
	uint64_t tcp;

	t0 = TCPSEG_BSWAP32((uint32_t)v->dport << 16 | v->sport);
	t1 = TCPSEG_BSWAP32(r->seq);
	t2 = TCPSEG_BSWAP32(r->ack);
	t3 = TCPSEG_BSWAP32((l4_len / TCP_DOFF_UNIT) << TCP_DOFF_WORD_SHIFT |
			(uint32_t)r->flags << 16 | r->win);
	put32(th, t0);
	put32(th + offsetof(struct rte_tcp_hdr, sent_seq), t1);
	put32(th + offsetof(struct rte_tcp_hdr, recv_ack), t2);
	put32(th + offsetof(struct rte_tcp_hdr, data_off), t3);
	put32(th + offsetof(struct rte_tcp_hdr, cksum), 0); /* and tcp_urp */
	tcp = (uint64_t)t0 + t1 + t2 + t3;
	if (syn) {
		tcp += write_syn_opts(th + sizeof(struct rte_tcp_hdr), r);
	} else if (r->has_ts) {
		o1 = TCPSEG_BSWAP32(r->tsval);
		o2 = TCPSEG_BSWAP32(r->tsecr);
		put32(th + sizeof(struct rte_tcp_hdr), TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD));
		put32(th + sizeof(struct rte_tcp_hdr) + TCPOLEN_WORD, o1);
		put32(th + sizeof(struct rte_tcp_hdr) + 2 * TCPOLEN_WORD, o2);
		tcp += (uint64_t)TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD) + o1 + o2;
	}
	return tcp;
}

/* The TCP checksum field: the pseudo-header sum for the NIC, or the whole checksum. */
static inline void
write_tcp_cksum(uint8_t *th, uint64_t phdr, uint64_t tcp, bool tcp_hw)
{
	uint16_t ck = tcp_hw ? tcpseg_fold(phdr) : (uint16_t)~tcpseg_fold(phdr + tcp);

	memcpy(th + offsetof(struct rte_tcp_hdr, cksum), &ck, sizeof(ck));
}

/*
 * The whole reply, with @p opts_len bytes of TCP options (a SYN-ACK's when @p syn): everything
 * is checked before the first write, then each layer written. Each checksum the port
 * offloads is left to the NIC, the others are computed here. The NIC needs TX_IPV4/TX_IPV6
 * with any checksum flag, l2_len/l3_len, and the pseudo-header sum in the TCP checksum field.
 * Inlined in each caller, so that @p syn is a constant there.
 */
static __rte_always_inline enum tcpseg_reason
build_reply(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload, uint32_t opts_len, bool syn)
{
	const bool tcp_hw = (tx_offload & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;
	uint32_t l3_len, l4_len, len;
	uint64_t ol_flags = 0, phdr, tcp;
	uint8_t *l3, *th;

	l3_len = v->is_ipv6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	l4_len = sizeof(struct rte_tcp_hdr) + opts_len;
	len = (uint32_t)v->l2_len + l3_len + l4_len;
	if (!reply_fits(m, v, len))
		return TCPSEG_NO_ROOM;
	reply_trim(m, len);

	write_eth(m);
	l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, v->l2_len);
	th = l3 + l3_len;
	tcp = write_tcp(th, v, r, l4_len, syn);
	if (v->is_ipv6)
		phdr = write_ipv6(l3, v, l4_len, tcp_hw, &ol_flags);
	else
		phdr = write_ipv4(l3, v, l4_len, tx_offload, tcp_hw, &ol_flags);
	write_tcp_cksum(th, phdr, tcp, tcp_hw);

	/* The RX flags of the received frame mean nothing for the reply. */
	m->ol_flags = ol_flags;
	m->l2_len = v->l2_len;
	m->l3_len = l3_len;
	m->l4_len = l4_len;
	return TCPSEG_OK;
}

/* A SYN-ACK with its options: out of line, the TIME_WAIT ACK and the RSTs never come here. */
static __rte_noinline enum tcpseg_reason
build_syn_reply(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload)
{
	return build_reply(m, v, r, tx_offload, syn_opts_len(r), true);
}

/*
 * The IPv4 reply without SYN options (the TIME_WAIT ACK, every RST), straight through: the
 * layout is fixed by @p ts (a constant in each caller), so every header word that does not
 * come from @p v or @p r is a constant, and so is its share of both checksums (a template's
 * partial sum, as dperf precomputes it): what is summed per packet is the two addresses, the
 * ports, seq, ack, flags and window, and the two timestamps. One fold per checksum. The mbuf's
 * TX offload fields are written as one word (tso_segsz and the outer lengths 0: no flag that
 * reads them is set). Same bytes and fields as build_reply(). For a frame in one mbuf segment.
 * GCC's SLP vectoriser, left on, packs the header words into vector registers to store them
 * (more instructions than the scalar stores, and the stall write_tcp() describes).
 */
static __rte_always_inline enum tcpseg_reason
build_ack4(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload, bool ts)
{
	const uint32_t l4_len = sizeof(struct rte_tcp_hdr) + (ts ? TCPOLEN_NOP_NOP_TS : 0);
	const uint32_t l3_len = sizeof(struct rte_ipv4_hdr);
	const uint32_t len = (uint32_t)v->l2_len + l3_len + l4_len;
	/* IPv4: version 4, IHL 5, TOS 0, length; id 0, DF; TTL, TCP, checksum 0 */
	const uint32_t h0 = TCPSEG_BSWAP32((uint32_t)RTE_IPV4_VHL_DEF << 24 | (l3_len + l4_len));
	const uint32_t h1 = TCPSEG_BSWAP32(RTE_IPV4_HDR_DF_FLAG);
	const uint32_t h2 = TCPSEG_BSWAP32(
			(uint32_t)TCPSEG_REPLY_TTL << 24 | (uint32_t)IPPROTO_TCP << 16);
	/* TCP: pseudo-header protocol and length, data offset, NOP NOP TS kind and length */
	const uint32_t phdr_c = TCPSEG_BSWAP32((uint32_t)IPPROTO_TCP << 16 | l4_len);
	const uint32_t doff = (l4_len / TCP_DOFF_UNIT) << TCP_DOFF_WORD_SHIFT;
	const uint32_t nop_ts = TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD);
	const uint64_t c_tcp = (uint64_t)phdr_c + (ts ? nop_ts : 0);
	const uint64_t c_ip = (uint64_t)h0 + h1 + h2;
	const bool tcp_hw = (tx_offload & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;
	const uint32_t src = v->src.v4, dst = v->dst.v4;
	uint32_t t0, t1, t2, t3, o1 = 0, o2 = 0, ck_urp = 0;
	uint64_t ol_flags = RTE_MBUF_F_TX_IPV4, addrs, tcp;
	uint16_t ip_sum = 0, tcp_sum;
	uint8_t *l3, *th;

	if (!reply_fits(m, v, len))
		return TCPSEG_NO_ROOM;
	/* One segment (the caller checked): no call here, so no register to save */
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	write_eth(m);
	l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, v->l2_len);
	th = l3 + l3_len;

	t0 = TCPSEG_BSWAP32((uint32_t)v->dport << 16 | v->sport);
	t1 = TCPSEG_BSWAP32(r->seq);
	t2 = TCPSEG_BSWAP32(r->ack);
	t3 = TCPSEG_BSWAP32(doff | (uint32_t)r->flags << 16 | r->win);
	addrs = (uint64_t)src + dst;
	tcp = addrs + c_tcp + t0 + t1 + t2 + t3;
	if (ts) {
		o1 = TCPSEG_BSWAP32(r->tsval);
		o2 = TCPSEG_BSWAP32(r->tsecr);
		tcp += (uint64_t)o1 + o2;
	}
	if (tx_offload & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		ol_flags |= RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip_sum = (uint16_t)~tcpseg_fold(c_ip + addrs);
	if (tcp_hw) {
		ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM;
		tcp_sum = tcpseg_fold(addrs + phdr_c);
	} else {
		tcp_sum = (uint16_t)~tcpseg_fold(tcp);
	}

	put32(l3, h0);
	put32(l3 + offsetof(struct rte_ipv4_hdr, packet_id), h1);
	put32(l3 + offsetof(struct rte_ipv4_hdr, time_to_live), h2);
	memcpy(l3 + offsetof(struct rte_ipv4_hdr, hdr_checksum), &ip_sum, sizeof(ip_sum));
	put32(l3 + offsetof(struct rte_ipv4_hdr, src_addr), dst);
	put32(l3 + offsetof(struct rte_ipv4_hdr, dst_addr), src);
	put32(th, t0);
	put32(th + offsetof(struct rte_tcp_hdr, sent_seq), t1);
	put32(th + offsetof(struct rte_tcp_hdr, recv_ack), t2);
	put32(th + offsetof(struct rte_tcp_hdr, data_off), t3);
	/* the checksum and the urgent pointer (0) as one word, in memory order */
	memcpy(&ck_urp, &tcp_sum, sizeof(tcp_sum));
	put32(th + offsetof(struct rte_tcp_hdr, cksum), ck_urp);
	if (ts) {
		put32(th + sizeof(struct rte_tcp_hdr), nop_ts);
		put32(th + sizeof(struct rte_tcp_hdr) + TCPOLEN_WORD, o1);
		put32(th + sizeof(struct rte_tcp_hdr) + 2 * TCPOLEN_WORD, o2);
	}

	/* The RX flags of the received frame mean nothing for the reply. */
	m->ol_flags = (tx_offload & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM))
			? ol_flags
			: 0;
	m->tx_offload = rte_mbuf_tx_offload(v->l2_len, l3_len, l4_len, 0, 0, 0, 0);
	return TCPSEG_OK;
}

/* IPv6, or a frame of several segments: out of line, so that build_ack4() makes no call. */
static __rte_noinline enum tcpseg_reason
build_other_reply(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload)
{
	return build_reply(m, v, r, tx_offload, r->has_ts ? TCPOLEN_NOP_NOP_TS : 0, false);
}

/*
 * Everything the hit path (tcpseg_reply_v4.h) does not take: out of line, so that
 * tcpseg_build_reply() saves no register. Without SLP vectorisation, for build_ack4()
 * (inlined here), see above.
 */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-slp-vectorize")))
#endif
static __rte_noinline enum tcpseg_reason
build_general(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload)
{
	if (unlikely(r->syn_opts != 0))
		return build_syn_reply(m, v, r, tx_offload);
	/* No options, or NOP, NOP, TS (the TIME_WAIT ACK, every RST). */
	if (likely(!v->is_ipv6 && m->next == NULL)) {
		if (likely(r->has_ts))
			return build_ack4(m, v, r, tx_offload, true);
		return build_ack4(m, v, r, tx_offload, false);
	}
	return build_other_reply(m, v, r, tx_offload);
}

/*
 * The hit path's replies once the mbuf and r->syn_opts are checked and the layout is Ethernet
 * 14, IPv4 20: timestamps or not, both checksums offloaded or none. @p roomy: the view's l4_len
 * is 32, so the first segment holds at least 66 bytes (tcpseg_parse() accepts a frame only
 * with its headers there), room for either reply; else the room is checked.
 */
static __rte_always_inline enum tcpseg_reason
v4_pick(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload, bool roomy)
{
	const uint64_t tx = tx_offload & V4_TX_HW;
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (likely(r->has_ts == 1)) {
		if (likely(roomy || v4_room(m, V4_TCP + V4_TCP_TS))) {
			if (likely(tx == V4_TX_HW))
				return v4_reply(m, p, r, true, true);
			if (tx == 0)
				return v4_reply(m, p, r, true, false);
		}
	} else if (/* read again: has_ts in a register costs the path above a load */
			*(const volatile uint8_t *)&r->has_ts == 0 &&
			(roomy || v4_room(m, V4_TCP + V4_TCP_NOTS))) {
		if (tx == V4_TX_HW)
			return v4_reply(m, p, r, false, true);
		if (tx == 0)
			return v4_reply(m, p, r, false, false);
	}
	return build_general(m, v, r, tx_offload);
}

/*
 * The hit path first (tcpseg_reply_v4.h), then build_general() for anything else. The layout
 * of the segment with timestamps (l2_len, l3_len, l4_len and the padding after them, 0 in any
 * view tcpseg_parse() makes) is one 64-bit compare that also vouches for the room; any other
 * IPv4 layout without options is the 32-bit compare of l2_len and l3_len and a room check.
 * Without SLP vectorisation (it would pack the header words of v4_reply()), and without GCC's
 * cross-jumping, which merges the v4_reply()'s tails into one and so puts their constants
 * (lengths, flags) in registers first: 4 instructions more per reply.
 */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-slp-vectorize", "no-tree-sink", "no-crossjumping")))
#endif
enum tcpseg_reason
tcpseg_build_reply(struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx_offload)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	if (likely(v4_fast_ok(m, r))) {
		if (likely(v4_get64(&v->l2_len) == V4_LAYOUT_TS))
			return v4_pick(m, v, r, tx_offload, true);
		if (v4_get32(&v->l2_len) == V4_LAYOUT)
			return v4_pick(m, v, r, tx_offload, false);
	}
#endif
	return build_general(m, v, r, tx_offload);
}

bool
tcpseg_closed_reply(const struct tcpseg_view *v, struct tcpseg_reply *r)
{
	memset(r, 0, sizeof(*r));
	if (v->flags & TCPSEG_RST)
		return false;
	if (v->flags & TCPSEG_ACK) {
		/* "<SEQ=SEG.ACK><CTL=RST>" */
		r->seq = v->ack;
		r->flags = TCPSEG_RST;
	} else {
		/* "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>" */
		r->ack = v->seq + tcpseg_seg_len(v);
		r->flags = TCPSEG_RST | TCPSEG_ACK;
	}
	return true;
}
