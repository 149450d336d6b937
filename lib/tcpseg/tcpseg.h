/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_H
#define TCPSEG_H

/**
 * @file
 * tcpseg: TCP segment wire formats, without state.
 *
 * - tcpseg_parse() turns a received frame (Ethernet, zero to two VLAN tags, IPv4 with options
 *   or IPv6 with hop-by-hop/routing/destination-options headers, TCP with options) into a
 *   struct tcpseg_view. Every length is checked against the frame; a frame that cannot be
 *   processed is rejected with a reason (enum tcpseg_reason) that the caller counts. A
 *   malformed TCP option list is not a reason: as in FreeBSD's tcp_dooptions(), parsing of
 *   the options stops there and the segment is processed with the options read before it.
 * - Sequence and timestamp arithmetic modulo 2^32 (FreeBSD's SEQ_LT and friends).
 * - tcpseg_build_reply() turns the received mbuf into a reply in place: MAC addresses, IP
 *   addresses and ports swapped, VLAN tags kept, IP options / IPv6 extension headers and
 *   payload dropped, the TCP timestamps option written when asked, checksums by TX offload
 *   when allowed, in software otherwise.
 *
 * Nothing here allocates, logs or keeps state: every function is safe on the fast path.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "tcpseg_opt.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Reasons a frame is rejected by tcpseg_parse(), and the other results of the library.
 * X-macro: X(ENUM, "name", "description"). Generates enum tcpseg_reason (TCPSEG_ followed by ENUM),
 * the names returned by tcpseg_reason_name() (lower case, as counters and telemetry show them) and
 * the descriptions returned by tcpseg_reason_desc().
 */
#define TCPSEG_REASONS(X) \
	X(OK, "ok", "ok") \
	X(TRUNC_ETH, "trunc_eth", "frame shorter than its Ethernet/VLAN header") \
	X(VLAN_DEPTH, "vlan_depth", "more than two VLAN tags") \
	X(NOT_IP, "not_ip", "ethertype neither IPv4 nor IPv6") \
	X(TRUNC_IP, "trunc_ip", "frame shorter than its IP header") \
	X(BAD_IP_VER, "bad_ip_ver", "IP version field does not match the ethertype") \
	X(BAD_IHL, "bad_ihl", "IPv4 header length below 20 bytes or beyond the packet") \
	X(BAD_IP_LEN, "bad_ip_len", "IP length field inconsistent with the frame") \
	X(BAD_IP_CSUM, "bad_ip_csum", "IPv4 header checksum wrong") \
	X(IP_FRAGMENT, "ip_fragment", "IP fragment (not reassembled)") \
	X(BAD_ADDR, "bad_addr", "multicast, broadcast or unspecified address") \
	X(IP6_EXT, "ip6_ext", "IPv6 extension header truncated or chain too long") \
	X(NOT_TCP, "not_tcp", "IP payload is not TCP") \
	X(TRUNC_TCP, "trunc_tcp", "frame shorter than its TCP header") \
	X(BAD_DOFF, "bad_doff", "TCP data offset below 20 bytes or beyond the segment") \
	X(BAD_TCP_CSUM, "bad_tcp_csum", "TCP checksum wrong") \
	X(NOT_CONTIG, "not_contig", "headers not contiguous in the first mbuf segment") \
	X(NO_ROOM, "no_room", "reply does not fit in the mbuf")

/** Result codes of tcpseg_parse() and tcpseg_build_reply(). */
enum tcpseg_reason {
/** One enumerator per row of TCPSEG_REASONS (undefined again below). */
#define TCPSEG_REASON_ENUM(e, name, desc) TCPSEG_##e,
	TCPSEG_REASONS(TCPSEG_REASON_ENUM)
#undef TCPSEG_REASON_ENUM
			TCPSEG_REASON_MAX
};

/** @name TCP header flags (as in th_flags)
 * @{
 */
#define TCPSEG_FIN 0x01 /**< no more data from sender */
#define TCPSEG_SYN 0x02 /**< synchronize sequence numbers */
#define TCPSEG_RST 0x04 /**< reset the connection */
#define TCPSEG_PSH 0x08 /**< push */
#define TCPSEG_ACK 0x10 /**< acknowledgement field significant */
#define TCPSEG_URG 0x20 /**< urgent pointer field significant */
#define TCPSEG_ECE 0x40 /**< ECN-echo */
#define TCPSEG_CWR 0x80 /**< congestion window reduced */
/** @} */

/** An IPv4 or IPv6 address, network byte order. */
union tcpseg_addr {
	uint32_t v4;    /**< IPv4 address */
	uint8_t v6[16]; /**< IPv6 address */
};

/**
 * A parsed TCP segment. Header fields in host byte order, addresses in network byte order.
 * "src" is the sender of the received segment (the peer), "dst" is us.
 */
struct tcpseg_view {
	/* fields used in lookup */
	union tcpseg_addr src; /**< source address (peer) */
	union tcpseg_addr dst; /**< destination address (local) */
	uint16_t sport;        /**< source port */
	uint16_t dport;        /**< destination port */
	uint8_t is_ipv6;       /**< 1 for IPv6, 0 for IPv4 */
	/* fields used by the engine */
	uint8_t flags;        /**< TCP flags (TCPSEG_FIN...) */
	uint16_t win;         /**< window field, unscaled */
	uint32_t seq;         /**< sequence number */
	uint32_t ack;         /**< acknowledgement number */
	uint16_t payload_len; /**< TCP payload bytes */
	/* layout of the frame */
	uint8_t n_vlan;          /**< VLAN tags, 0 to 2 */
	uint16_t l2_len;         /**< Ethernet header plus VLAN tags */
	uint16_t l3_len;         /**< IP header plus IPv6 extension headers */
	uint16_t l4_len;         /**< TCP header with options */
	struct tcpseg_opts opts; /**< TCP options */
};

/**
 * What a reply carries: the engine fills it, tcpseg_build_reply() writes it. Host order.
 *
 * With syn_opts 0 (the TIME_WAIT ACK and every RST) the options are the timestamps alone,
 * when has_ts. A SYN-ACK sets the TCPSEG_OPT_MSS, TCPSEG_OPT_WSCALE and TCPSEG_OPT_SACKOK
 * bits it offers in syn_opts; its options are then written by tcpseg_opts_write() (Linux's
 * layout), timestamps included when has_ts. Every field must be set: a reply that is not a
 * SYN-ACK sets syn_opts to 0.
 */
struct tcpseg_reply {
	uint32_t seq;     /**< sequence number */
	uint32_t ack;     /**< acknowledgement number (0 when TCPSEG_ACK is not set) */
	uint16_t win;     /**< window field */
	uint8_t flags;    /**< TCP flags, e.g. TCPSEG_ACK or TCPSEG_RST */
	uint8_t has_ts;   /**< 1: write the timestamps option (NOP, NOP, TS) */
	uint32_t tsval;   /**< timestamp value, if has_ts */
	uint32_t tsecr;   /**< timestamp echo reply, if has_ts */
	uint8_t syn_opts; /**< TCPSEG_OPT_MSS, _WSCALE, _SACKOK bits to write, 0 for none */
	uint8_t wscale;   /**< window scale shift, if syn_opts has TCPSEG_OPT_WSCALE */
	uint16_t mss;     /**< maximum segment size, if syn_opts has TCPSEG_OPT_MSS */
};

/** Hop limit / TTL written in replies. */
#define TCPSEG_REPLY_TTL 64

/**
 * Parse a received frame.
 *
 * Checks every length against the frame. IP and TCP checksums: the mbuf's RX offload flags
 * are trusted when they say GOOD or BAD; otherwise the checksum is verified in software.
 * Only the first mbuf segment is read: its headers must be contiguous there.
 *
 * TCP options as FreeBSD's tcp_dooptions() reads them: an option of a known kind with the
 * wrong length (MSS 4, window scale 3, SACK-permitted 2, timestamps 10, SACK 2 + 8n up to
 * TCPSEG_MAX_SACK blocks) is skipped; a kind without its length byte, or a length below 2 or
 * past the TCP header, ends the option list there. Neither rejects the frame: the view has
 * the options read before that point.
 *
 * @param m
 *   The received frame; not modified.
 * @param v
 *   Filled with the segment view when TCPSEG_OK is returned; undefined otherwise.
 * @return
 *   TCPSEG_OK, or the reason the frame is rejected.
 */
enum tcpseg_reason tcpseg_parse(const struct rte_mbuf *m, struct tcpseg_view *v);

/**
 * Turn a received frame into a reply, in place.
 *
 * Keeps the Ethernet header (addresses swapped) and its VLAN tags; writes a fresh IPv4
 * header without options (DF set, TTL TCPSEG_REPLY_TTL) or IPv6 header without extension
 * headers; a TCP header with ports swapped, the fields of @p r and its options: when
 * r->syn_opts is 0, NOP, NOP, TS (12 bytes) if r->has_ts and nothing otherwise; when
 * r->syn_opts is not 0, MSS, SACK-permitted, timestamps (if r->has_ts) and window scale as
 * tcpseg_opts_write() lays them out (at most 20 bytes). The payload and any further mbuf segments
 * are dropped. With @p tx_offload (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM / TCP_CKSUM bits of the port) the
 * checksums are left to the NIC (ol_flags, l2_len, l3_len and the pseudo-header sum are set);
 * otherwise they are computed in software.
 *
 * @param m
 *   The frame that @p v was parsed from.
 * @param v
 *   Its view, from tcpseg_parse().
 * @param r
 *   What to send.
 * @param tx_offload
 *   The port's enabled TX offloads (RTE_ETH_TX_OFFLOAD_*), or 0 for software checksums.
 * VLAN tags are kept only when they are in the frame: a port that strips them on receive
 * (RTE_MBUF_F_RX_VLAN_STRIPPED) gets untagged replies, so dpdk-twq does not enable stripping.
 *
 * @return
 *   TCPSEG_OK, or TCPSEG_NO_ROOM when the mbuf cannot hold the reply or is not writable
 *   (shared, indirect or external buffer); m is then unchanged.
 */
enum tcpseg_reason tcpseg_build_reply(struct rte_mbuf *m, const struct tcpseg_view *v,
		const struct tcpseg_reply *r, uint64_t tx_offload);

/**
 * Fill the reply a closed port sends to a segment (RFC 793, "If the connection does not
 * exist"): an incoming RST gets nothing; a segment with ACK gets RST with seq = SEG.ACK;
 * otherwise RST|ACK with seq = 0 and ack = SEG.SEQ + SEG.LEN (SYN and FIN count one each).
 *
 * @param v
 *   The received segment.
 * @param r
 *   Filled with the RST to send.
 * @return
 *   true if a RST is to be sent, false if the segment is itself a RST.
 */
bool tcpseg_closed_reply(const struct tcpseg_view *v, struct tcpseg_reply *r);

/**
 * Name of a reason, for counters and telemetry (e.g. "bad_tcp_csum").
 *
 * @param reason
 *   A value of enum tcpseg_reason.
 * @return
 *   A static lower-case string; "unknown" for values out of range.
 */
const char *tcpseg_reason_name(enum tcpseg_reason reason);

/**
 * Description of a reason, for humans.
 *
 * @param reason
 *   A value of enum tcpseg_reason.
 * @return
 *   A static string; "unknown" for values out of range.
 */
const char *tcpseg_reason_desc(enum tcpseg_reason reason);

/**
 * @name Sequence space arithmetic, modulo 2^32 (RFC 793 section 3.3, FreeBSD tcp_seq.h).
 * @{
 */
/**
 * a < b in sequence space.
 *
 * @param a
 *   A sequence number.
 * @param b
 *   Another.
 * @return
 *   true if a < b in sequence space.
 */
static inline bool
tcpseg_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
/**
 * a <= b in sequence space.
 *
 * @param a
 *   A sequence number.
 * @param b
 *   Another.
 * @return
 *   true if a <= b in sequence space.
 */
static inline bool
tcpseg_seq_leq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}
/**
 * a > b in sequence space.
 *
 * @param a
 *   A sequence number.
 * @param b
 *   Another.
 * @return
 *   true if a > b in sequence space.
 */
static inline bool
tcpseg_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}
/**
 * a >= b in sequence space.
 *
 * @param a
 *   A sequence number.
 * @param b
 *   Another.
 * @return
 *   true if a >= b in sequence space.
 */
static inline bool
tcpseg_seq_geq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}
/**
 * a < b for TCP timestamps (RFC 7323 section 5.2).
 *
 * @param a
 *   A timestamp.
 * @param b
 *   Another.
 * @return
 *   true if a < b for TCP timestamps (RFC 7323 section 5.2).
 */
static inline bool
tcpseg_ts_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}
/**
 * a > b for TCP timestamps (RFC 7323 section 5.2).
 *
 * @param a
 *   A timestamp.
 * @param b
 *   Another.
 * @return
 *   true if a > b for TCP timestamps (RFC 7323 section 5.2).
 */
static inline bool
tcpseg_ts_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}
/** @} */

/**
 * Sequence space the segment occupies: payload plus one for SYN and one for FIN.
 *
 * @param v
 *   A parsed segment.
 * @return
 *   SEG.LEN of RFC 793.
 */
static inline uint32_t
tcpseg_seg_len(const struct tcpseg_view *v)
{
	return (uint32_t)v->payload_len + !!(v->flags & TCPSEG_SYN) + !!(v->flags & TCPSEG_FIN);
}

#ifdef __cplusplus
}
#endif

#endif /* TCPSEG_H */
