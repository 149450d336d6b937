/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_REPLY_V4_H
#define TCPSEG_REPLY_V4_H

/*
 * Internal to lib/tcpseg (not installed), included by tcpseg_reply.c alone: the hit path's
 * reply, the TIME_WAIT ACK or a RST of an untagged IPv4 frame without IP options, in a
 * direct, unshared mbuf of one segment, with both checksums offloaded or none. Its layout is
 * fixed (Ethernet 14, IPv4 20, TCP 20 or 32 with NOP, NOP, TS), so every offset, both lengths,
 * the mbuf's TX offload word and its flags are constants, and the headers are written with a
 * few wide stores:
 *   - the addresses (8 bytes) and the ports (4 bytes) are read from the received frame and
 *     written back rotated (their share of every checksum is the same after the swap);
 *   - seq and ack (8 bytes), tsval and tsecr (8 bytes) are adjacent in struct tcpseg_reply:
 *     one 64-bit load, byte swap and rotation each;
 *   - the data offset, flags and window word is struct tcpseg_reply's win, flags and has_ts
 *     word plus a constant (has_ts is known, 0 or 1, where this runs);
 *   - the IPv4 header checksum is summed from its constant words and the addresses, not
 *     derived from the received one (RFC 1624): tcpseg_parse() trusts
 *     RTE_MBUF_F_RX_IP_CKSUM_NONE, with which the received checksum may be wrong in the data.
 * Every value is read before the first store (a load of bytes just stored by narrower stores
 * waits for them, see tcpseg_reply.c). Same bytes and mbuf fields as build_reply(): the unit
 * test test_tcpseg_reply_fast checks both paths against each other.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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
#include "tcpseg_wire.h"

#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN

/* Where the headers are in the fast path's frames (and replies). */
#define V4_L2  ((uint32_t)sizeof(struct rte_ether_hdr))
#define V4_L3  ((uint32_t)sizeof(struct rte_ipv4_hdr))
#define V4_IP  V4_L2
#define V4_TCP (V4_L2 + V4_L3)
/* TCP header lengths: without options, with NOP, NOP, TS. */
#define V4_TCP_NOTS ((uint32_t)sizeof(struct rte_tcp_hdr))
#define V4_TCP_TS   (V4_TCP_NOTS + TCPOLEN_NOP_NOP_TS)
/* struct tcpseg_view's l2_len and l3_len as one 32-bit word, in memory order. */
#define V4_LAYOUT (V4_L2 | V4_L3 << 16)
/* l2_len, l3_len, l4_len (NOP, NOP, TS) and the two bytes of padding after them (0) as one word. */
#define V4_LAYOUT_TS (V4_LAYOUT | (uint64_t)V4_TCP_TS << 32)
/* The TX offload flags of a reply with both checksums offloaded. */
#define V4_OL_HW (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM)
#define V4_TX_HW (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM)

static inline void
v4_put16(uint8_t *p, uint16_t w)
{
	memcpy(p, &w, sizeof(w));
}

static inline void
v4_put32(uint8_t *p, uint32_t w)
{
	memcpy(p, &w, sizeof(w));
}

static inline void
v4_put64(uint8_t *p, uint64_t w)
{
	memcpy(p, &w, sizeof(w));
}

static inline uint64_t
v4_get64(const void *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

static inline uint32_t
v4_get32(const void *p)
{
	uint32_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

/* Two adjacent host-order 32-bit fields (a 64-bit load) as the wire has them, in memory order. */
static inline uint64_t
v4_wire_pair(uint64_t w)
{
	w = __builtin_bswap64(w);
	return w >> 32 | w << 32;
}

/* a + b + c in one's complement on 64 bits: add, adc, adc on x86-64 (see v4_add32_3()). */
static inline uint64_t
v4_add64_3(uint64_t a, uint64_t b, uint64_t c)
{
#if defined(RTE_ARCH_X86_64)
	__asm__("addq %1, %0\n\tadcq %2, %0\n\tadcq $0, %0" : "+r"(a) : "r"(b), "r"(c) : "cc");
	return a;
#else
	return tcpseg_add64(tcpseg_add64(a, b), c);
#endif
}

/* a + b in one's complement on 32 bits. (__builtin_add_overflow(): GCC makes add, adc.) */
static inline uint32_t
v4_add32(uint32_t a, uint32_t b)
{
	uint32_t s;
	const uint32_t c = __builtin_add_overflow(a, b, &s);

	return s + c;
}

/*
 * a + b + c in one's complement on 32 bits. On x86-64 one add and two adc: GCC makes an add,
 * a setb and an add of the first carry when it chains two __builtin_add_overflow().
 */
static inline uint32_t
v4_add32_3(uint32_t a, uint32_t b, uint32_t c)
{
#if defined(RTE_ARCH_X86_64)
	__asm__("addl %1, %0\n\tadcl %2, %0\n\tadcl $0, %0" : "+r"(a) : "rm"(b), "ri"(c) : "cc");
	return a;
#else
	return v4_add32(v4_add32(a, b), c);
#endif
}

/*
 * The one's complement sum of a 64-bit word's halves, on 32 bits, given the word @p w and
 * @p rot, the same rotated by 32: the high half of w + rot is hi + lo plus the carry out of
 * the low half's lo + hi, i.e. the end-around carry (it cannot carry again).
 */
static inline uint32_t
v4_halves(uint64_t w, uint64_t rot)
{
	return (uint32_t)((w + rot) >> 32);
}

/* The top byte of m->ol_flags, where RTE_MBUF_F_INDIRECT and _EXTERNAL are: one byte test. */
static inline uint8_t
v4_ol_flags_top(const struct rte_mbuf *m)
{
	return ((const uint8_t *)&m->ol_flags)[sizeof(m->ol_flags) - 1];
}

/*
 * May @p m take the fast path's reply with @p r? refcnt 1 and nb_segs 1 in one compare
 * (adjacent in struct rte_mbuf; a valid mbuf of one segment has next NULL); not indirect nor
 * external; syn_opts 0. The layout (V4_LAYOUT, V4_LAYOUT_TS) and the room are checked by the
 * caller. tcpseg_parse() accepted the frame: its headers are in the first segment.
 */
static __rte_always_inline bool
v4_fast_ok(const struct rte_mbuf *m, const struct tcpseg_reply *r)
{
	RTE_BUILD_BUG_ON(offsetof(struct rte_mbuf, nb_segs) !=
			offsetof(struct rte_mbuf, refcnt) + sizeof(uint16_t));
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_view, l3_len) !=
			offsetof(struct tcpseg_view, l2_len) + sizeof(uint16_t));
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_view, l4_len) !=
			offsetof(struct tcpseg_view, l2_len) + 2 * sizeof(uint16_t));
	RTE_BUILD_BUG_ON(offsetof(struct tcpseg_view, opts) !=
			offsetof(struct tcpseg_view, l2_len) + 4 * sizeof(uint16_t));
	return v4_get32(&m->refcnt) == (1u | 1u << 16) &&
			(v4_ol_flags_top(m) & (RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL) >> 56) ==
			0 &&
			r->syn_opts == 0;
}

/*
 * Room for @p len bytes in the received frame's data: nearly always (a reply is not longer
 * than the segment it answers unless it adds timestamps the segment had not); the general
 * path checks the room up to the buffer's end for the others.
 */
static __rte_always_inline bool
v4_room(const struct rte_mbuf *m, uint32_t len)
{
	return len <= m->data_len;
}

/*
 * seq and ack, the data offset, flags and window (the reply's win, flags and has_ts word plus
 * @p doff), stored in the TCP header at @p th. Returns seq and ack as stored, and the other
 * word in @p w3_out.
 */
static __rte_always_inline uint64_t
v4_tcp_words(uint8_t *th, const struct tcpseg_reply *r, uint32_t doff, uint32_t *w3_out)
{
	const uint32_t w3 = TCPSEG_BSWAP32(v4_get32(&r->win) + doff);
	const uint64_t sa = v4_wire_pair(v4_get64(&r->seq));

	v4_put32(th + offsetof(struct rte_tcp_hdr, data_off), w3);
	v4_put64(th + offsetof(struct rte_tcp_hdr, sent_seq), sa);
	*w3_out = w3;
	return sa;
}

/* Ethernet addresses swapped; the ethertype kept (and bytes 14, 15, written over later). */
static __rte_always_inline void
v4_eth_swap(uint8_t *p)
{
#ifdef __SSSE3__
	{
		const __m128i swap =
				_mm_setr_epi8(6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 12, 13, 14, 15);

		_mm_storeu_si128((__m128i *)p,
				_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap));
	}
#else
	{
		struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
		struct rte_ether_addr mac;

		rte_ether_addr_copy(&eth->src_addr, &mac);
		rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
		rte_ether_addr_copy(&mac, &eth->dst_addr);
	}
#endif
}

/* The mbuf: one segment of the reply's length; the RX flags of the received frame mean nothing. */
static __rte_always_inline void
v4_mbuf(struct rte_mbuf *m, uint32_t l4_len, bool hw)
{
	const uint32_t len = V4_TCP + l4_len;

	m->pkt_len = len;
#if defined(RTE_ARCH_X86_64)
	/* one store of the constant: GCC moves a 16-bit constant to a register first */
	__asm__("movw %1, %0" : "=m"(m->data_len) : "ri"((uint16_t)len));
#else
	m->data_len = (uint16_t)len;
#endif
	m->ol_flags = hw ? V4_OL_HW : 0;
	m->tx_offload = V4_L2 | V4_L3 << RTE_MBUF_L2_LEN_BITS |
			(uint64_t)l4_len << (RTE_MBUF_L2_LEN_BITS + RTE_MBUF_L3_LEN_BITS);
}

#ifdef __SSSE3__
/*
 * With both checksums offloaded, the TCP header at @p th from seq on: seq, ack, data offset,
 * flags, window, checksum (@p ck, the pseudo-header's sum) and urgent pointer (0) are one
 * shuffle of the reply's first 16 bytes (seq, ack, win, flags, has_ts, tsval), the data offset
 * or'ed in, the sum inserted. With timestamps (@p ts) the sum goes in a second vector, TCP bytes
 * 16..31 (checksum, urgent pointer, NOP, NOP, TS, tsval, tsecr), a shuffle of the reply's
 * bytes 4..19 (ack, win, flags, has_ts, tsval, tsecr) and the options' constant word.
 */
static __rte_always_inline void
v4_tcp_vec(uint8_t *th, const struct tcpseg_reply *r, uint32_t l4_len, uint32_t ck, bool ts)
{
	const __m128i idx = _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, -1, 10, 9, 8, -1, -1, -1, -1);
	const __m128i idx_ts =
			_mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, 11, 10, 9, 8, 15, 14, 13, 12);
	const __m128i off = _mm_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0,
			(char)(l4_len / TCP_DOFF_UNIT << TCP_DOFF_SHIFT), 0, 0, 0, 0, 0, 0, 0);
	uint8_t *const seq = th + offsetof(struct rte_tcp_hdr, sent_seq);
	__m128i x;

	x = _mm_or_si128(_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)r), idx), off);
	if (!ts) {
		_mm_storeu_si128((__m128i *)seq, _mm_insert_epi16(x, (int)ck, 6));
		return;
	}
	_mm_storeu_si128((__m128i *)seq, x);
	x = _mm_or_si128(_mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)&r->ack), idx_ts),
			_mm_setr_epi32(0, (int)TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD), 0, 0));
	x = _mm_insert_epi16(x, (int)ck, 0);
	_mm_storeu_si128((__m128i *)(th + offsetof(struct rte_tcp_hdr, cksum)), x);
}
#endif

/*
 * The reply over the frame at @p p (data_off of @p m): timestamps when @p ts, both checksums
 * left to the NIC when @p hw, else both computed. Returns TCPSEG_OK.
 */
static __rte_always_inline enum tcpseg_reason
v4_reply(struct rte_mbuf *m, uint8_t *p, const struct tcpseg_reply *r, bool ts, bool hw)
{
	const uint32_t l4_len = ts ? V4_TCP_TS : V4_TCP_NOTS;
	const uint32_t ip_len = V4_L3 + l4_len;
	/* IPv4: version 4, IHL 5, TOS 0, length; id 0, DF; TTL, TCP (checksum apart) */
	const uint64_t h01 = (uint64_t)RTE_IPV4_VHL_DEF | (uint64_t)TCPSEG_BSWAP16(ip_len) << 16 |
			(uint64_t)TCPSEG_BSWAP16(RTE_IPV4_HDR_DF_FLAG) << 48;
	const uint16_t h2 = TCPSEG_BSWAP16(TCPSEG_REPLY_TTL << 8 | IPPROTO_TCP);
	/* TCP: pseudo-header protocol and length; data offset in place of has_ts */
	const uint32_t phdr = TCPSEG_BSWAP32((uint32_t)IPPROTO_TCP << 16 | l4_len);
	const uint32_t doff =
			((l4_len / TCP_DOFF_UNIT) << TCP_DOFF_WORD_SHIFT) - (ts ? 1u << 24 : 0);
	const uint32_t nop_ts = TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD);
	/* the constant IPv4 words' sum, folded to 16 bits (2^32 is 1 modulo 2^16 - 1) */
	const uint32_t ip_c = (uint32_t)((h01 & UINT16_MAX) + (h01 >> 16 & UINT16_MAX) +
			(h01 >> 32 & UINT16_MAX) + (h01 >> 48) + h2);
	/* phdr less ip_c, modulo 2^16 - 1, as a positive number */
	const uint32_t k = __rte_raw_cksum_reduce(phdr) + UINT16_MAX - __rte_raw_cksum_reduce(ip_c);
	uint8_t *const ip = p + V4_IP, *const th = p + V4_TCP;
	uint32_t src, dst, ports, w3, a, ck;
	uint64_t w, tsw, sum;

	/*
	 * Each word loaded, turned into the reply's and stored in turn, with the sums kept as they
	 * go (few registers live: no register to save). No load reads bytes stored before it.
	 * The addresses and the ports: rotated in place.
	 */
	v4_eth_swap(p);
	src = v4_get32(ip + offsetof(struct rte_ipv4_hdr, src_addr));
	dst = v4_get32(ip + offsetof(struct rte_ipv4_hdr, dst_addr));
	w = v4_get64(ip + offsetof(struct rte_ipv4_hdr, src_addr));
	v4_put64(ip + offsetof(struct rte_ipv4_hdr, src_addr), w >> 32 | w << 32);
	ports = v4_get32(th);
	ports = ports >> 16 | ports << 16;
	v4_put32(th, ports);
	tsw = ts ? v4_wire_pair(v4_get64(&r->tsval)) : 0;
	if (hw) {
		v4_put32(ip + offsetof(struct rte_ipv4_hdr, time_to_live), h2);
		/* the pseudo-header's sum for the NIC */
		ck = tcpseg_fold32(v4_add32_3(src, dst, phdr));
#ifdef __SSSE3__
		v4_tcp_vec(th, r, l4_len, ck, ts);
#else
		v4_tcp_words(th, r, doff, &w3);
		v4_put32(th + offsetof(struct rte_tcp_hdr, cksum), ck);
#endif
	} else {
		/* the IPv4 header: the addresses and the constant words */
		a = v4_add32_3(src, dst, ip_c);
		v4_put32(ip + offsetof(struct rte_ipv4_hdr, time_to_live),
				h2 | ~tcpseg_fold32(a) << 16);
		/* TCP: the words below, the pseudo-header (a less ip_c plus phdr) */
		w = v4_tcp_words(th, r, doff, &w3);
		sum = v4_add64_3(w, tsw, (uint64_t)a + k + ports + w3 + (ts ? nop_ts : 0));
		ck = tcpseg_fold32(v4_halves(sum, sum >> 32 | sum << 32)) ^ UINT16_MAX; /* < 2^16 */
		v4_put32(th + offsetof(struct rte_tcp_hdr, cksum), ck);
	}
#ifdef __SSSE3__
	if (ts && !hw) {
#else
	if (ts) {
#endif
		v4_put32(th + sizeof(struct rte_tcp_hdr), nop_ts);
		v4_put64(th + sizeof(struct rte_tcp_hdr) + TCPOLEN_WORD, tsw);
	}

	v4_put64(ip, h01); /* after the Ethernet swap: it overwrites bytes 14 and 15 */

	v4_mbuf(m, l4_len, hw);
	return TCPSEG_OK;
}

#endif /* RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN */

#endif /* TCPSEG_REPLY_V4_H */
