/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_parse(): received frame -> struct tcpseg_view.
 *
 * Every header is read from the first mbuf segment only. A header that lies past the end of
 * the whole frame (pkt_len) is reported as truncated (TRUNC_*, BAD_IHL, BAD_DOFF, IP6_EXT);
 * a header that is inside the frame but not inside the first segment is reported as
 * NOT_CONTIG.
 *
 * Software checksum verification reads the TCP segment across the mbuf chain (cksum_mbuf()):
 * a multi-segment frame whose headers are in the first segment is therefore verified in full
 * rather than refused. Only the bytes the IP length fields cover are summed; Ethernet padding
 * past them is ignored.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "tcpseg.h"
#include "tcpseg_cksum.h"
#include "tcpseg_opt_pvt.h"
#include "tcpseg_wire.h"

/* IPv6 next-header values we walk (RFC 8200 section 4). */
#define IP6_NH_HOPOPTS  0
#define IP6_NH_ROUTING  43
#define IP6_NH_FRAGMENT 44
#define IP6_NH_DSTOPTS  60
/* Most IPv6 extension headers skipped before TCP. */
#define IP6_MAX_EXT 8

/* Bytes of the frame the parser may look at. */
struct frame {
	const uint8_t *data; /* first byte of the frame */
	uint32_t data_len;   /* bytes in the first segment */
	uint32_t pkt_len;    /* bytes in the whole frame */
};

/*
 * Is [off, off + len) readable in the first segment? Returns OK, @p trunc when the range goes
 * past the end of the frame, NOT_CONTIG when it is in the frame but not in the first segment.
 */
static inline enum tcpseg_reason
frame_need(const struct frame *f, uint32_t off, uint32_t len, enum tcpseg_reason trunc)
{
	if (off + len > f->pkt_len)
		return trunc;
	if (off + len > f->data_len)
		return TCPSEG_NOT_CONTIG;
	return TCPSEG_OK;
}

static inline uint16_t
load_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

/* Ethernet and 0..2 VLAN tags (802.1Q 0x8100, 802.1ad 0x88a8). Sets l2_len, n_vlan. */
static enum tcpseg_reason
parse_l2(const struct frame *f, struct tcpseg_view *v, uint16_t *ether_type)
{
	enum tcpseg_reason rc;
	uint32_t off = sizeof(struct rte_ether_hdr);
	uint16_t type;

	rc = frame_need(f, 0, off, TCPSEG_TRUNC_ETH);
	if (rc != TCPSEG_OK)
		return rc;
	type = load_be16(f->data + off - sizeof(type));
	while (type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ) {
		if (v->n_vlan == MAX_VLAN)
			return TCPSEG_VLAN_DEPTH;
		rc = frame_need(f, off, sizeof(struct rte_vlan_hdr), TCPSEG_TRUNC_ETH);
		if (rc != TCPSEG_OK)
			return rc;
		off += sizeof(struct rte_vlan_hdr);
		type = load_be16(f->data + off - sizeof(type));
		v->n_vlan++;
	}
	v->l2_len = (uint16_t)off;
	*ether_type = type;
	return TCPSEG_OK;
}

/*
 * RX checksum flags: GOOD is trusted, BAD rejects, NONE ("not correct in the packet data, but
 * integrity verified", e.g. virtio with a partial checksum from the host) is trusted too since
 * verifying it in software would fail; UNKNOWN is verified in software.
 */
enum csum_rx {
	CSUM_RX_VERIFY,
	CSUM_RX_GOOD,
	CSUM_RX_BAD,
};

static inline enum csum_rx
csum_rx_ip(uint64_t ol_flags)
{
	switch (ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK) {
	case RTE_MBUF_F_RX_IP_CKSUM_GOOD:
	case RTE_MBUF_F_RX_IP_CKSUM_NONE:
		return CSUM_RX_GOOD;
	case RTE_MBUF_F_RX_IP_CKSUM_BAD:
		return CSUM_RX_BAD;
	default:
		return CSUM_RX_VERIFY;
	}
}

static inline enum csum_rx
csum_rx_l4(uint64_t ol_flags)
{
	switch (ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) {
	case RTE_MBUF_F_RX_L4_CKSUM_GOOD:
	case RTE_MBUF_F_RX_L4_CKSUM_NONE:
		return CSUM_RX_GOOD;
	case RTE_MBUF_F_RX_L4_CKSUM_BAD:
		return CSUM_RX_BAD;
	default:
		return CSUM_RX_VERIFY;
	}
}

/* IPv4 header at l2_len. Sets addresses, l3_len; *seg_len = TCP segment bytes. */
static enum tcpseg_reason
parse_ipv4(const struct rte_mbuf *m, const struct frame *f, struct tcpseg_view *v,
		uint32_t *seg_len)
{
	const struct rte_ipv4_hdr *ip;
	enum tcpseg_reason rc;
	uint32_t off = v->l2_len;
	uint32_t hlen, tlen;
	uint16_t frag;
	uint32_t src, dst;

	rc = frame_need(f, off, sizeof(*ip), TCPSEG_TRUNC_IP);
	if (rc != TCPSEG_OK)
		return rc;
	ip = (const struct rte_ipv4_hdr *)(f->data + off);
	if ((ip->version_ihl >> IP4_VERSION_SHIFT) != IP4_VERSION)
		return TCPSEG_BAD_IP_VER;
	hlen = (uint32_t)(ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hlen < sizeof(*ip))
		return TCPSEG_BAD_IHL;
	rc = frame_need(f, off, hlen, TCPSEG_BAD_IHL);
	if (rc != TCPSEG_OK)
		return rc;

	switch (csum_rx_ip(m->ol_flags)) {
	case CSUM_RX_BAD:
		return TCPSEG_BAD_IP_CSUM;
	case CSUM_RX_VERIFY:
		/* The sum over a correct header, its checksum field included, is 0xffff. */
		if (tcpseg_fold(tcpseg_sum(ip, hlen, 0)) != CKSUM_GOOD)
			return TCPSEG_BAD_IP_CSUM;
		break;
	case CSUM_RX_GOOD:
		break;
	}

	/* Padding past total_length (short frames padded to 60 bytes) is ignored. */
	tlen = TCPSEG_BSWAP16(ip->total_length);
	if (tlen < hlen || tlen > f->pkt_len - off)
		return TCPSEG_BAD_IP_LEN;

	frag = TCPSEG_BSWAP16(ip->fragment_offset);
	if (frag & (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return TCPSEG_IP_FRAGMENT;
	if (ip->next_proto_id != IPPROTO_TCP)
		return TCPSEG_NOT_TCP;

	src = TCPSEG_BSWAP32(ip->src_addr);
	dst = TCPSEG_BSWAP32(ip->dst_addr);
	/* 224.0.0.0/4 by hand: RTE_IS_IPV4_MCAST's RTE_IPV4(224, ...) shifts into the sign bit. */
	if ((src >> IP4_MCAST_SHIFT) == IP4_MCAST_TOP || src == UINT32_MAX || src == 0 ||
			(dst >> IP4_MCAST_SHIFT) == IP4_MCAST_TOP || dst == UINT32_MAX)
		return TCPSEG_BAD_ADDR;

	v->src.v4 = ip->src_addr;
	v->dst.v4 = ip->dst_addr;
	v->l3_len = (uint16_t)hlen;
	*seg_len = tlen - hlen;
	return TCPSEG_OK;
}

static inline bool
ipv6_is_unspec(const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, sizeof(zero)) == 0;
}

/* IPv6 header and extension headers at l2_len. Sets addresses, l3_len, *seg_len. */
static enum tcpseg_reason
parse_ipv6(const struct frame *f, struct tcpseg_view *v, uint32_t *seg_len)
{
	const struct rte_ipv6_hdr *ip;
	enum tcpseg_reason rc;
	uint32_t off = v->l2_len;
	uint32_t plen, ext_len, end, hlen;
	uint8_t nh;
	unsigned int n_ext;

	rc = frame_need(f, off, sizeof(*ip), TCPSEG_TRUNC_IP);
	if (rc != TCPSEG_OK)
		return rc;
	ip = (const struct rte_ipv6_hdr *)(f->data + off);
	if ((TCPSEG_BSWAP32(ip->vtc_flow) >> IP6_VERSION_SHIFT) != IP6_VERSION)
		return TCPSEG_BAD_IP_VER;
	plen = TCPSEG_BSWAP16(ip->payload_len);
	if (plen > f->pkt_len - off - sizeof(*ip))
		return TCPSEG_BAD_IP_LEN;

	/* Walk hop-by-hop, routing and destination options headers up to TCP. */
	off += sizeof(*ip);
	end = off + plen;
	nh = ip->proto;
	for (n_ext = 0; nh != IPPROTO_TCP; n_ext++) {
		if (nh == IP6_NH_FRAGMENT)
			return TCPSEG_IP_FRAGMENT;
		if (nh != IP6_NH_HOPOPTS && nh != IP6_NH_ROUTING && nh != IP6_NH_DSTOPTS)
			return TCPSEG_NOT_TCP;
		if (n_ext == IP6_MAX_EXT || off + IP6_EXT_HDR_MIN > end)
			return TCPSEG_IP6_EXT;
		rc = frame_need(f, off, IP6_EXT_HDR_MIN, TCPSEG_IP6_EXT);
		if (rc != TCPSEG_OK)
			return rc;
		hlen = ((uint32_t)f->data[off + 1] + 1) * IP6_EXT_LEN_UNIT;
		if (off + hlen > end)
			return TCPSEG_IP6_EXT;
		nh = f->data[off];
		off += hlen;
	}
	ext_len = off - v->l2_len - sizeof(*ip);

	if (ip->dst_addr[0] == IP6_MCAST_BYTE || ip->src_addr[0] == IP6_MCAST_BYTE ||
			ipv6_is_unspec(ip->src_addr))
		return TCPSEG_BAD_ADDR;

	memcpy(v->src.v6, ip->src_addr, sizeof(v->src.v6));
	memcpy(v->dst.v6, ip->dst_addr, sizeof(v->dst.v6));
	v->is_ipv6 = 1;
	v->l3_len = (uint16_t)(sizeof(*ip) + ext_len);
	*seg_len = plen - ext_len;
	return TCPSEG_OK;
}

/*
 * Non-complemented pseudo-header sum (RFC 9293 section 3.1, RFC 8200 section 8.1). Uses the
 * addresses of the IPv6 header: a routing header with segments left is not honoured (such a
 * segment is not for us anyway).
 */
static uint64_t
phdr_sum(const struct frame *f, const struct tcpseg_view *v, uint32_t seg_len)
{
	const uint8_t *ip = f->data + v->l2_len;
	uint64_t sum;

	/* The length and protocol words: at most 3 x 0xffff, added with the carry kept (a
	 * partial sum of 64-bit words can be anywhere up to 2^64 - 1). */
	if (v->is_ipv6) {
		sum = tcpseg_sum(ip + offsetof(struct rte_ipv6_hdr, src_addr),
				sizeof(((struct rte_ipv6_hdr *)0)->src_addr) * 2, 0);
		return tcpseg_add64(sum,
				(uint64_t)TCPSEG_BSWAP16((uint16_t)(seg_len >> 16)) +
						TCPSEG_BSWAP16((uint16_t)seg_len) +
						TCPSEG_BSWAP16(IPPROTO_TCP));
	}
	sum = tcpseg_sum(ip + offsetof(struct rte_ipv4_hdr, src_addr), sizeof(rte_be32_t) * 2, 0);
	return tcpseg_add64(sum,
			(uint64_t)TCPSEG_BSWAP16((uint16_t)seg_len) + TCPSEG_BSWAP16(IPPROTO_TCP));
}

/*
 * Non-complemented sum of @p len bytes from @p off across the mbuf chain. DPDK 22.11's
 * rte_raw_cksum_mbuf() truncates each segment's unreduced 32-bit sum to 16 bits before the
 * byte swap of odd offsets, losing carries (wrong sums for segments of more than a few bytes
 * after an odd one); this walk reduces first. Returns -1 if the chain is shorter than
 * off + len.
 */
static int
cksum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *cksum)
{
	const struct rte_mbuf *seg;
	uint32_t sum = 0, done = 0, n;
	uint16_t part;

	for (seg = m; seg != NULL && off >= seg->data_len; seg = seg->next)
		off -= seg->data_len;
	while (done < len) {
		if (seg == NULL)
			return -1;
		n = RTE_MIN((uint32_t)seg->data_len - off, len - done);
		part = tcpseg_fold(tcpseg_sum(
				rte_pktmbuf_mtod_offset(seg, const uint8_t *, off), n, 0));
		/* A part starting at an odd offset of the segment has its bytes swapped. */
		sum += (done & 1) ? TCPSEG_BSWAP16(part) : part;
		done += n;
		off = 0;
		seg = seg->next;
	}
	*cksum = tcpseg_fold(sum);
	return 0;
}

static enum tcpseg_reason
verify_tcp_csum(const struct rte_mbuf *m, const struct frame *f, const struct tcpseg_view *v,
		uint32_t seg_len)
{
	const uint32_t off = (uint32_t)v->l2_len + v->l3_len;
	uint16_t raw;
	uint64_t sum;

	switch (csum_rx_l4(m->ol_flags)) {
	case CSUM_RX_GOOD:
		return TCPSEG_OK;
	case CSUM_RX_BAD:
		return TCPSEG_BAD_TCP_CSUM;
	case CSUM_RX_VERIFY:
		break;
	}
	sum = phdr_sum(f, v, seg_len);
	if (likely(off + seg_len <= f->data_len)) {
		/* The usual case: the whole segment is in the first mbuf. */
		sum = tcpseg_sum(f->data + off, seg_len, sum);
	} else {
		/* Walks further segments if the TCP segment does not end in the first one. */
		if (cksum_mbuf(m, off, seg_len, &raw) != 0)
			return TCPSEG_TRUNC_TCP;
		sum = tcpseg_add64(sum, raw);
	}
	if (tcpseg_fold(sum) != CKSUM_GOOD)
		return TCPSEG_BAD_TCP_CSUM;
	return TCPSEG_OK;
}

/* TCP header at l2_len + l3_len, seg_len bytes long according to IP. */
static enum tcpseg_reason
parse_tcp(const struct rte_mbuf *m, const struct frame *f, struct tcpseg_view *v, uint32_t seg_len)
{
	const struct rte_tcp_hdr *th;
	enum tcpseg_reason rc;
	uint32_t off = (uint32_t)v->l2_len + v->l3_len;
	uint32_t doff;

	if (seg_len < sizeof(*th))
		return TCPSEG_TRUNC_TCP;
	rc = frame_need(f, off, sizeof(*th), TCPSEG_TRUNC_TCP);
	if (rc != TCPSEG_OK)
		return rc;
	th = (const struct rte_tcp_hdr *)(f->data + off);
	doff = (uint32_t)(th->data_off >> TCP_DOFF_SHIFT) * TCP_DOFF_UNIT;
	if (doff < sizeof(*th) || doff > seg_len)
		return TCPSEG_BAD_DOFF;
	rc = frame_need(f, off, doff, TCPSEG_BAD_DOFF);
	if (rc != TCPSEG_OK)
		return rc;

	rc = verify_tcp_csum(m, f, v, seg_len);
	if (rc != TCPSEG_OK)
		return rc;
	v->sport = TCPSEG_BSWAP16(th->src_port);
	v->dport = TCPSEG_BSWAP16(th->dst_port);
	v->flags = th->tcp_flags;
	v->win = TCPSEG_BSWAP16(th->rx_win);
	v->seq = TCPSEG_BSWAP32(th->sent_seq);
	v->ack = TCPSEG_BSWAP32(th->recv_ack);
	v->l4_len = (uint16_t)doff;
	v->payload_len = (uint16_t)(seg_len - doff);
	/* Last, so that nothing is live across the call for options other than NOP, NOP, TS. */
	tcpseg_opts_read_inline(
			f->data + off + sizeof(*th), doff - (uint32_t)sizeof(*th), &v->opts);
	return TCPSEG_OK;
}

static const struct tcpseg_view view_zero;

/* The general parser: any frame tcpseg_parse() accepts, and the reason for any it rejects. */
static __rte_noinline enum tcpseg_reason
parse_general(const struct rte_mbuf *m, struct tcpseg_view *v)
{
	struct frame f;
	enum tcpseg_reason rc;
	uint16_t ether_type;
	uint32_t seg_len = 0;

	/*
	 * Whole view zeroed: IPv4 keys must have zero tails, absent options must read 0. A copy
	 * of a zero view rather than memset(): GCC makes this memset a `rep stosq` (with
	 * -march=znver3), slow to start and whose stores the option parser's reads wait for.
	 */
	*v = view_zero;
	f.data = rte_pktmbuf_mtod(m, const uint8_t *);
	f.data_len = rte_pktmbuf_data_len(m);
	f.pkt_len = rte_pktmbuf_pkt_len(m);
	/* A malformed chain must not let us read past the first segment. */
	if (f.pkt_len < f.data_len)
		f.pkt_len = f.data_len;

	rc = parse_l2(&f, v, &ether_type);
	if (rc != TCPSEG_OK)
		return rc;
	if (ether_type == RTE_ETHER_TYPE_IPV4)
		rc = parse_ipv4(m, &f, v, &seg_len);
	else if (ether_type == RTE_ETHER_TYPE_IPV6)
		rc = parse_ipv6(&f, v, &seg_len);
	else
		rc = TCPSEG_NOT_IP;
	if (rc != TCPSEG_OK)
		return rc;
	return parse_tcp(m, &f, v, seg_len);
}

#include "tcpseg_parse_fast.h"

enum tcpseg_reason
tcpseg_parse(const struct rte_mbuf *m, struct tcpseg_view *v)
{
	uint32_t tlen;
	const enum fast_rc rc = parse_fast(m, v, &tlen);

	if (likely(rc == FAST_TAKEN))
		return TCPSEG_OK;
	if (rc == FAST_NO)
		return parse_general(m, v);
	if (rc & FAST_OPTS)
		return fast_opts(m, v, rc);
	return fast_verify(m, v,
			rte_pktmbuf_mtod_offset(m, const uint8_t *, sizeof(struct rte_ether_hdr)),
			tlen);
}
