/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Which frames are ours, and the answers of the link and network layers (ARP, ND, echo),
 * built in the received mbuf. See l2.h.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_byteorder.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "l2.h"

#define L2_ND_NS       135
#define L2_ND_NA       136
#define L2_ND_OPT_TLLA 2
#define L2_ICMP6_ECHO  128
#define L2_ICMP6_REPLY 129
#define L2_ND_HLIM     255
#define L2_REPLY_TTL   64
#define L2_NA_S        0x40000000u /* solicited */
#define L2_NA_O        0x20000000u /* override */
#define L2_NS_LEN      24          /* ICMPv6 header, reserved, target */
#define L2_NA_LEN      32          /* NA with the target link-layer address option */

/* A Neighbor Solicitation / Advertisement: ICMPv6 header, flags, target, options. */
struct l2_nd {
	uint8_t type;
	uint8_t code;
	rte_be16_t cksum;
	rte_be32_t flags;
	uint8_t target[16];
	uint8_t opt_type;
	uint8_t opt_len;
	struct rte_ether_addr opt_mac;
} __rte_packed __rte_aligned(2); /* 2-aligned in a frame, not 4: packed */
_Static_assert(sizeof(struct l2_nd) == 32, "struct l2_nd is the wire layout");

bool
app_l2_has_v4(const struct app_l2 *l2, uint32_t addr)
{
	uint16_t i;

	for (i = 0; i < l2->n4; i++)
		if (l2->v4[i] == addr)
			return true;
	return false;
}

bool
app_l2_has_v6(const struct app_l2 *l2, const uint8_t addr[16])
{
	uint16_t i;

	for (i = 0; i < l2->n6; i++)
		if (memcmp(l2->v6[i], addr, 16) == 0)
			return true;
	return false;
}

/* ff02::1:ffXX:XXXX of one of our addresses. */
static bool
l2_is_our_snm(const struct app_l2 *l2, const uint8_t a[16])
{
	static const uint8_t snm[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff};
	uint16_t i;

	if (memcmp(a, snm, sizeof(snm)) != 0)
		return false;
	for (i = 0; i < l2->n6; i++)
		if (memcmp(l2->v6_snm[i], &a[13], 3) == 0)
			return true;
	return false;
}

/* The Ethernet header of a reply: to the sender, from us. */
static void
l2_eth_reply(const struct app_l2 *l2, struct rte_ether_hdr *eh)
{
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(&l2->mac, &eh->src_addr);
}

/* Cut the frame to len bytes (Ethernet padding, a longer request); false if it cannot be. */
static bool
l2_set_len(struct rte_mbuf *m, uint32_t len)
{
	const uint32_t have = rte_pktmbuf_pkt_len(m);

	if (have > len)
		return rte_pktmbuf_trim(m, (uint16_t)(have - len)) == 0;
	if (have < len)
		return m->nb_segs == 1 && rte_pktmbuf_append(m, (uint16_t)(len - have)) != NULL;
	return true;
}

/* The mbuf now holds a reply made in software: no offload request, no stale layout. */
static void
l2_tx_flags(struct rte_mbuf *m)
{
	m->ol_flags = 0;
	m->packet_type = 0;
}

static enum app_l2_result
l2_arp(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *a;
	uint32_t asked;

	if (rte_pktmbuf_pkt_len(m) < off + sizeof(*a))
		return APP_L2_TRUNC;
	if (rte_pktmbuf_data_len(m) < off + sizeof(*a))
		return APP_L2_NO_ROOM;
	a = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, off);
	if (a->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
			a->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			a->arp_hlen != RTE_ETHER_ADDR_LEN || a->arp_plen != 4 ||
			a->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) ||
			!rte_is_unicast_ether_addr(&a->arp_data.arp_sha) ||
			!app_l2_has_v4(l2, a->arp_data.arp_tip))
		return APP_L2_ARP_OTHER;
	/* RFC 826: swap the sender and target fields, ours as the sender. A probe (RFC 5227,
	 * sender address 0) is answered the same way, to target address 0. */
	asked = a->arp_data.arp_tip;
	a->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&a->arp_data.arp_sha, &a->arp_data.arp_tha);
	a->arp_data.arp_tip = a->arp_data.arp_sip;
	rte_ether_addr_copy(&l2->mac, &a->arp_data.arp_sha);
	a->arp_data.arp_sip = asked;
	l2_eth_reply(l2, eh);
	l2_tx_flags(m);
	return APP_L2_ARP_REPLY;
}

static bool
l2_v4_unicast(uint32_t be)
{
	const uint32_t h = rte_be_to_cpu_32(be);

	return h != 0 && h != UINT32_MAX && (h >> 28) != 0xe;
}

/*
 * The 16-bit one's-complement sum (not complemented) of len bytes at off in the chain:
 * rte_raw_cksum_mbuf() of DPDK 22.11 drops carries on segments that start at an odd offset,
 * so the chain is summed here, each segment folded before it is byte-swapped.
 */
static bool
l2_sum_mbuf(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint16_t *out)
{
	const struct rte_mbuf *seg = m;
	uint32_t sum = 0, done = 0;

	if (off + len > rte_pktmbuf_pkt_len(m))
		return false;
	while (seg != NULL && off >= rte_pktmbuf_data_len(seg)) {
		off -= rte_pktmbuf_data_len(seg);
		seg = seg->next;
	}
	for (; seg != NULL && done < len; seg = seg->next, off = 0) {
		uint32_t n = rte_pktmbuf_data_len(seg) - off;
		uint16_t part;

		if (n > len - done)
			n = len - done;
		part = rte_raw_cksum(rte_pktmbuf_mtod_offset(seg, const void *, off), n);
		sum += (done & 1) != 0 ? rte_bswap16(part) : part;
		done += n;
	}
	sum = (sum & 0xffff) + (sum >> 16);
	*out = (uint16_t)((sum & 0xffff) + (sum >> 16));
	return done == len;
}

/* ICMP echo request to one of our addresses (the IP header at off, contiguous). */
static enum app_l2_result
l2_echo4(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, off);
	const uint32_t hl = rte_ipv4_hdr_len(ip);
	const uint32_t tot = rte_be_to_cpu_16(ip->total_length);
	struct rte_icmp_hdr *ic;
	uint32_t peer;
	uint16_t sum;

	if (hl < sizeof(*ip) || tot < hl + sizeof(*ic) || off + tot > rte_pktmbuf_pkt_len(m) ||
			(ip->fragment_offset &
					RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
							RTE_IPV4_HDR_OFFSET_MASK)) != 0 ||
			!l2_v4_unicast(ip->src_addr))
		return APP_L2_BAD_IP;
	if (rte_pktmbuf_data_len(m) < off + hl + sizeof(*ic))
		return APP_L2_NO_ROOM;
	if (rte_raw_cksum(ip, hl) != 0xffff)
		return APP_L2_BAD_IP;
	if (!l2_sum_mbuf(m, off + hl, tot - hl, &sum) || sum != 0xffff)
		return APP_L2_BAD_ICMP;
	ic = (struct rte_icmp_hdr *)((uint8_t *)ip + hl);
	if (ic->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || ic->icmp_code != 0)
		return APP_L2_ICMP_OTHER;
	if (!l2_set_len(m, off + tot))
		return APP_L2_NO_ROOM;
	/* RFC 792: addresses swapped, type 0, the data returned; checksums recomputed. */
	peer = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = peer;
	ip->time_to_live = L2_REPLY_TTL;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = (rte_be16_t)~rte_raw_cksum(ip, hl);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	l2_sum_mbuf(m, off + hl, tot - hl, &sum);
	ic->icmp_cksum = (rte_be16_t)~sum;
	l2_eth_reply(l2, rte_pktmbuf_mtod(m, struct rte_ether_hdr *));
	l2_tx_flags(m);
	return APP_L2_ECHO4_REPLY;
}

static enum app_l2_result
l2_ipv4(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off, bool unicast)
{
	struct rte_ipv4_hdr buf;
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_read(m, off, sizeof(buf), &buf);
	bool ours;

	if (ip == NULL)
		return APP_L2_TRUNC;
	if ((ip->version_ihl >> 4) != 4)
		return APP_L2_BAD_IP;
	if (!unicast)
		return APP_L2_MCAST;
	ours = app_l2_has_v4(l2, ip->dst_addr);
	if (ip->next_proto_id == IPPROTO_TCP) {
		return ours ? APP_L2_PASS : APP_L2_NOT_OUR_ADDR;
	}
	if (!ours)
		return APP_L2_NOT_OUR_ADDR;
	if (ip->next_proto_id != IPPROTO_ICMP)
		return APP_L2_PROTO;
	if (rte_pktmbuf_data_len(m) < off + sizeof(buf))
		return APP_L2_NO_ROOM;
	return l2_echo4(l2, m, off);
}

/* The ICMPv6 checksum over the pseudo-header and the message, 0xffff when right. */
static bool
l2_icmp6_sum(const struct rte_mbuf *m, const struct rte_ipv6_hdr *ip, uint32_t off, uint16_t *sum)
{
	uint16_t raw;
	uint32_t s;

	if (!l2_sum_mbuf(m, off, rte_be_to_cpu_16(ip->payload_len), &raw))
		return false;
	s = (uint32_t)raw + rte_ipv6_phdr_cksum(ip, 0);
	s = (s & 0xffff) + (s >> 16);
	*sum = (uint16_t)((s & 0xffff) + (s >> 16));
	return true;
}

/* The options of a solicitation: each with a length above 0, within the message. */
static bool
l2_nd_opts_ok(const uint8_t *o, uint32_t len)
{
	while (len != 0) {
		const uint32_t ol = len >= 2 ? (uint32_t)o[1] * 8 : 0;

		if (ol == 0 || ol > len)
			return false;
		o += ol;
		len -= ol;
	}
	return true;
}

/* Neighbor Solicitation (RFC 4861 section 7.1.1 checks), answered per section 7.2.4. */
static enum app_l2_result
l2_nd(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off)
{
	static const uint8_t all_nodes[16] = {0xff, 0x02, [15] = 0x01};
	static const struct rte_ether_addr all_nodes_mac = {{0x33, 0x33, 0, 0, 0, 0x01}};
	static const uint8_t zero[16];
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, off);
	const uint32_t plen = rte_be_to_cpu_16(ip->payload_len);
	struct l2_nd *nd = (struct l2_nd *)(ip + 1);
	bool dad;
	uint16_t sum;

	if (plen < L2_NS_LEN || off + sizeof(*ip) + plen > rte_pktmbuf_data_len(m))
		return rte_pktmbuf_pkt_len(m) < off + sizeof(*ip) + L2_NS_LEN ? APP_L2_TRUNC
									      : APP_L2_NO_ROOM;
	if (ip->hop_limits != L2_ND_HLIM || nd->code != 0 || !app_l2_has_v6(l2, nd->target) ||
			!l2_nd_opts_ok((const uint8_t *)nd + L2_NS_LEN, plen - L2_NS_LEN))
		return APP_L2_ND_OTHER;
	if (!l2_icmp6_sum(m, ip, off + sizeof(*ip), &sum) || sum != 0xffff)
		return APP_L2_BAD_ICMP;
	dad = memcmp(ip->src_addr, zero, 16) == 0;
	if (ip->dst_addr[0] == 0xff) {
		/* To a multicast group: the solicited-node group of the target. */
		if (ip->dst_addr[13] != nd->target[13] || ip->dst_addr[14] != nd->target[14] ||
				ip->dst_addr[15] != nd->target[15])
			return APP_L2_ND_OTHER;
	} else if (dad) {
		return APP_L2_ND_OTHER;
	}
	if (!l2_set_len(m, off + sizeof(*ip) + L2_NA_LEN))
		return APP_L2_NO_ROOM;
	l2_eth_reply(l2, eh);
	ip->vtc_flow = RTE_BE32(6u << 28);
	ip->payload_len = RTE_BE16(L2_NA_LEN);
	ip->hop_limits = L2_ND_HLIM;
	if (dad) {
		/* Defending our address against duplicate address detection: to all-nodes. */
		memcpy(ip->dst_addr, all_nodes, 16);
		rte_ether_addr_copy(&all_nodes_mac, &eh->dst_addr);
	} else {
		memcpy(ip->dst_addr, ip->src_addr, 16);
	}
	memcpy(ip->src_addr, nd->target, 16);
	nd->type = L2_ND_NA;
	nd->code = 0;
	nd->cksum = 0;
	nd->flags = rte_cpu_to_be_32(L2_NA_O | (dad ? 0 : L2_NA_S));
	nd->opt_type = L2_ND_OPT_TLLA;
	nd->opt_len = 1;
	rte_ether_addr_copy(&l2->mac, &nd->opt_mac);
	l2_icmp6_sum(m, ip, off + sizeof(*ip), &sum);
	nd->cksum = (rte_be16_t)~sum;
	l2_tx_flags(m);
	return APP_L2_ND_ADVERT;
}

/* ICMPv6 echo request to one of our addresses, answered per RFC 4443 section 4.2. */
static enum app_l2_result
l2_echo6(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off)
{
	struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *, off);
	const uint32_t plen = rte_be_to_cpu_16(ip->payload_len);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);
	uint8_t peer[16];
	uint16_t sum;

	if (plen < sizeof(*ic) || off + sizeof(*ip) + plen > rte_pktmbuf_pkt_len(m))
		return APP_L2_BAD_IP;
	if (rte_pktmbuf_data_len(m) < off + sizeof(*ip) + sizeof(*ic))
		return APP_L2_NO_ROOM;
	if (ip->src_addr[0] == 0xff || memcmp(ip->src_addr, (const uint8_t[16]){0}, 16) == 0)
		return APP_L2_BAD_IP;
	if (!l2_icmp6_sum(m, ip, off + sizeof(*ip), &sum) || sum != 0xffff)
		return APP_L2_BAD_ICMP;
	if (ic->icmp_type != L2_ICMP6_ECHO || ic->icmp_code != 0)
		return APP_L2_ICMP_OTHER;
	if (!l2_set_len(m, off + sizeof(*ip) + plen))
		return APP_L2_NO_ROOM;
	memcpy(peer, ip->src_addr, 16);
	memcpy(ip->src_addr, ip->dst_addr, 16);
	memcpy(ip->dst_addr, peer, 16);
	ip->hop_limits = L2_REPLY_TTL;
	ic->icmp_type = L2_ICMP6_REPLY;
	ic->icmp_cksum = 0;
	l2_icmp6_sum(m, ip, off + sizeof(*ip), &sum);
	ic->icmp_cksum = (rte_be16_t)~sum;
	l2_eth_reply(l2, rte_pktmbuf_mtod(m, struct rte_ether_hdr *));
	l2_tx_flags(m);
	return APP_L2_ECHO6_REPLY;
}

static enum app_l2_result
l2_ipv6(const struct app_l2 *l2, struct rte_mbuf *m, uint32_t off, bool unicast)
{
	struct rte_ipv6_hdr buf;
	const struct rte_ipv6_hdr *ip = rte_pktmbuf_read(m, off, sizeof(buf), &buf);
	const uint8_t *tp;
	uint8_t type;

	if (ip == NULL)
		return APP_L2_TRUNC;
	if ((rte_be_to_cpu_32(ip->vtc_flow) >> 28) != 6)
		return APP_L2_BAD_IP;
	if (ip->dst_addr[0] == 0xff || !unicast) {
		/* Multicast: only a solicitation for one of our addresses. */
		if (ip->proto != IPPROTO_ICMPV6 || !l2_is_our_snm(l2, ip->dst_addr))
			return APP_L2_MCAST;
		tp = rte_pktmbuf_read(m, off + sizeof(buf), 1, &type);
		if (tp == NULL)
			return APP_L2_TRUNC;
		if (*tp != L2_ND_NS)
			return APP_L2_MCAST;
		return l2_nd(l2, m, off);
	}
	if (!app_l2_has_v6(l2, ip->dst_addr))
		return APP_L2_NOT_OUR_ADDR;
	if (ip->proto != IPPROTO_ICMPV6)
		return APP_L2_PASS; /* TCP, or extension headers tcpseg_parse() walks */
	if (rte_pktmbuf_data_len(m) < off + sizeof(buf) + 1)
		return rte_pktmbuf_pkt_len(m) < off + sizeof(buf) + 4 ? APP_L2_TRUNC
								      : APP_L2_NO_ROOM;
	type = *rte_pktmbuf_mtod_offset(m, const uint8_t *, off + sizeof(buf));
	if (type == L2_ND_NS)
		return l2_nd(l2, m, off);
	return l2_echo6(l2, m, off);
}

/* Two MAC addresses equal: one 4-byte and one 2-byte compare (DPDK 22.11's loops by byte). */
static inline bool
l2_mac_eq(const struct rte_ether_addr *a, const struct rte_ether_addr *b)
{
	uint32_t a4, b4;
	uint16_t a2, b2;

	memcpy(&a4, a->addr_bytes, 4);
	memcpy(&b4, b->addr_bytes, 4);
	memcpy(&a2, a->addr_bytes + 4, 2);
	memcpy(&b2, b->addr_bytes + 4, 2);
	return ((a4 ^ b4) | (uint32_t)(a2 ^ b2)) == 0;
}

/* Out of line: the fast path above keeps a short prologue. */
static __rte_noinline enum app_l2_result
l2_classify(const struct app_l2 *l2, struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint32_t off = sizeof(*eh);
	bool to_us, unicast;
	uint16_t type;
	int n_vlan = 0;

	if (rte_pktmbuf_data_len(m) < sizeof(*eh))
		return APP_L2_TRUNC;
	to_us = l2_mac_eq(&eh->dst_addr, &l2->mac);
	unicast = rte_is_unicast_ether_addr(&eh->dst_addr);
	if (!to_us && unicast && !l2->promisc)
		return APP_L2_NOT_OUR_MAC;
	if (!rte_is_unicast_ether_addr(&eh->src_addr) || l2_mac_eq(&eh->src_addr, &l2->mac))
		return APP_L2_BAD_SRC_MAC;
	type = eh->ether_type;
	while (type == RTE_BE16(RTE_ETHER_TYPE_VLAN) || type == RTE_BE16(RTE_ETHER_TYPE_QINQ)) {
		const struct rte_vlan_hdr *vh;
		struct rte_vlan_hdr vbuf;

		if (++n_vlan > 2)
			return APP_L2_ETHERTYPE;
		vh = rte_pktmbuf_read(m, off, sizeof(vbuf), &vbuf);
		if (vh == NULL)
			return APP_L2_TRUNC;
		type = vh->eth_proto;
		off += sizeof(*vh);
	}
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return l2_ipv4(l2, m, off, unicast);
	if (type == RTE_BE16(RTE_ETHER_TYPE_IPV6))
		return l2_ipv6(l2, m, off, unicast);
	if (type == RTE_BE16(RTE_ETHER_TYPE_ARP)) {
		if (!unicast && !rte_is_broadcast_ether_addr(&eh->dst_addr))
			return APP_L2_MCAST;
		return l2_arp(l2, m, off);
	}
	return unicast ? APP_L2_ETHERTYPE : APP_L2_MCAST;
}

/*
 * Most frames: untagged IPv4 TCP from a unicast MAC to our MAC and one of our addresses.
 * true: APP_L2_PASS, as l2_classify() would say; false: let l2_classify() decide. The MAC
 * addresses are compared by 8-byte loads (the frame has at least 34 bytes; in struct
 * app_l2, promisc and n4 follow mac) of which the 2 bytes past the address are ignored.
 */
static inline bool
l2_fast_pass(const struct app_l2 *l2, const struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);
	uint64_t dst, src, mac;
	uint32_t type_ver;
	uint16_t i;

	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eh) + sizeof(*ip)))
		return false;
	/* The ethertype (IPv4) and the IP version (4) in one compare: the 4 bytes at 12. */
	memcpy(&type_ver, &eh->ether_type, sizeof(type_ver));
	memcpy(&dst, &eh->dst_addr, sizeof(dst));
	memcpy(&src, &eh->src_addr, sizeof(src));
	memcpy(&mac, &l2->mac, sizeof(mac));
	if ((type_ver & RTE_BE32(0xfffff000)) != RTE_BE32(0x08004000) ||
			ip->next_proto_id != IPPROTO_TCP || app_l2_mac48(dst ^ mac) != 0 ||
			!rte_is_unicast_ether_addr(&eh->src_addr) || app_l2_mac48(src ^ mac) == 0)
		return false;
	for (i = 0; i < l2->n4; i++)
		if (l2->v4[i] == ip->dst_addr)
			return true;
	return false;
}

enum app_l2_result
app_l2_input(const struct app_l2 *l2, struct rte_mbuf *m)
{
	enum app_l2_result r;

	if (likely(l2_fast_pass(l2, m)))
		return APP_L2_PASS;
	r = l2_classify(l2, m);

	/* Promiscuous (replay): what is not answered here goes on to the engine, which counts
	 * its own drops as it did before the address checks existed. */
	if (unlikely(l2->promisc) && !app_l2_is_tx(r))
		return APP_L2_PASS;
	return r;
}
