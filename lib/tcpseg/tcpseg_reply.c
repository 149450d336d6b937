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

#include "tcpseg.h"

/* NOP, NOP, TS(kind 8, length 10): the layout of RFC 7323 appendix A. */
#define TS_OPT_LEN 12
#define TS_OPT_HEAD 0x0101080aU

enum tcpseg_reason
tcpseg_build_reply(struct rte_mbuf *m, const struct tcpseg_view *v,
		const struct tcpseg_reply *r, uint64_t tx_offload)
{
	struct rte_ether_hdr *eth;
	struct rte_ether_addr mac;
	struct rte_tcp_hdr *th;
	uint32_t l3_len, l4_len, len, opt[3];
	uint64_t ol_flags = 0;
	bool ip_hw, tcp_hw;

	l3_len = v->is_ipv6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	l4_len = sizeof(struct rte_tcp_hdr) + (r->has_ts ? TS_OPT_LEN : 0);
	len = (uint32_t)v->l2_len + l3_len + l4_len;

	/*
	 * Everything is checked before the first write. The Ethernet header and VLAN tags are
	 * kept from the first segment; the reply must fit in its buffer; a shared (cloned,
	 * external or referenced) buffer must not be written in place.
	 */
	if (v->l2_len < sizeof(struct rte_ether_hdr) || v->l2_len > rte_pktmbuf_data_len(m) ||
			len > (uint32_t)rte_pktmbuf_data_len(m) + rte_pktmbuf_tailroom(m) ||
			!RTE_MBUF_DIRECT(m) || rte_mbuf_refcnt_read(m) != 1)
		return TCPSEG_NO_ROOM;

	if (m->next != NULL) {
		rte_pktmbuf_free(m->next);
		m->next = NULL;
		m->nb_segs = 1;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = len;

	eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(&eth->src_addr, &mac);
	rte_ether_addr_copy(&eth->dst_addr, &eth->src_addr);
	rte_ether_addr_copy(&mac, &eth->dst_addr);

	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, v->l2_len + l3_len);
	th->src_port = rte_cpu_to_be_16(v->dport);
	th->dst_port = rte_cpu_to_be_16(v->sport);
	th->sent_seq = rte_cpu_to_be_32(r->seq);
	th->recv_ack = rte_cpu_to_be_32(r->ack);
	th->data_off = (uint8_t)((l4_len / 4) << 4);
	th->tcp_flags = r->flags;
	th->rx_win = rte_cpu_to_be_16(r->win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (r->has_ts) {
		opt[0] = rte_cpu_to_be_32(TS_OPT_HEAD);
		opt[1] = rte_cpu_to_be_32(r->tsval);
		opt[2] = rte_cpu_to_be_32(r->tsecr);
		memcpy(th + 1, opt, sizeof(opt));
	}

	/*
	 * Checksums: each one the port offloads is left to the NIC, the others are computed here.
	 * The NIC needs TX_IPV4/TX_IPV6 with any checksum flag, l2_len/l3_len, and the
	 * pseudo-header sum in the TCP checksum field.
	 */
	tcp_hw = (tx_offload & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;
	if (v->is_ipv6) {
		struct rte_ipv6_hdr *ip6 = rte_pktmbuf_mtod_offset(m, struct rte_ipv6_hdr *,
				v->l2_len);

		ip6->vtc_flow = rte_cpu_to_be_32(UINT32_C(6) << 28);
		ip6->payload_len = rte_cpu_to_be_16((uint16_t)l4_len);
		ip6->proto = IPPROTO_TCP;
		ip6->hop_limits = TCPSEG_REPLY_TTL;
		memcpy(ip6->src_addr, v->dst.v6, sizeof(ip6->src_addr));
		memcpy(ip6->dst_addr, v->src.v6, sizeof(ip6->dst_addr));
		if (tcp_hw) {
			ol_flags = RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM;
			th->cksum = rte_ipv6_phdr_cksum(ip6, ol_flags);
		} else {
			th->cksum = rte_ipv6_udptcp_cksum(ip6, th);
		}
	} else {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
				v->l2_len);

		ip_hw = (tx_offload & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = 0;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(l3_len + l4_len));
		ip->packet_id = 0;
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = TCPSEG_REPLY_TTL;
		ip->next_proto_id = IPPROTO_TCP;
		ip->hdr_checksum = 0;
		ip->src_addr = v->dst.v4;
		ip->dst_addr = v->src.v4;
		if (ip_hw)
			ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		if (tcp_hw) {
			ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
			th->cksum = rte_ipv4_phdr_cksum(ip, ol_flags);
		} else {
			th->cksum = rte_ipv4_udptcp_cksum(ip, th);
		}
	}

	/* The RX flags of the received frame mean nothing for the reply. */
	m->ol_flags = ol_flags;
	m->l2_len = v->l2_len;
	m->l3_len = l3_len;
	m->l4_len = l4_len;
	return TCPSEG_OK;
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
