/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The frame the benchmarks send: one IPv4 data segment from a peer to an entry in TIME_WAIT
 * (ACK|PSH, seq = rcv_nxt, ack = snd_nxt, NOP NOP TS, a small payload), as the e2e tests'
 * segments.Flow.data() builds it, with correct IPv4 and TCP checksums. Shared by bench_path
 * (in memory) and bench_gen (over memif). Not a library: a header of static functions.
 */

#ifndef BENCH_FRAME_H
#define BENCH_FRAME_H

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#define BENCH_PAYLOAD_MAX 64
/* Ethernet + IPv4 + TCP with NOP NOP TS + payload */
#define BENCH_HDR_LEN   (RTE_ETHER_HDR_LEN + 20 + 32)
#define BENCH_FRAME_MAX (BENCH_HDR_LEN + BENCH_PAYLOAD_MAX)

/* What a segment carries. Addresses in network order, the rest in host order. */
struct bench_seg {
	uint32_t saddr, daddr; /* peer, local */
	uint16_t sport, dport; /* peer's port, local port */
	uint32_t seq, ack;
	uint32_t tsval, tsecr;
	uint16_t payload_len;
};

/* The peer's and the appliance's MAC addresses (test/scenarios/segments.py). */
static const struct rte_ether_addr bench_peer_mac = {{0x02, 0, 0, 0, 0, 0x02}};
static const struct rte_ether_addr bench_twq_mac = {{0x02, 0, 0, 0, 0, 0x01}};

/* Write the frame of @p s at @p buf (at least BENCH_FRAME_MAX bytes); returns its length. */
static inline uint16_t
bench_frame_build(uint8_t *buf, const struct bench_seg *s)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)(ip + 1);
	uint8_t *opt = (uint8_t *)(tcp + 1);
	const uint16_t plen =
			s->payload_len > BENCH_PAYLOAD_MAX ? BENCH_PAYLOAD_MAX : s->payload_len;
	uint32_t v;

	eth->dst_addr = bench_twq_mac;
	eth->src_addr = bench_peer_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 32 + plen));
	ip->packet_id = rte_cpu_to_be_16(1);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = s->saddr;
	ip->dst_addr = s->daddr;
	tcp->src_port = rte_cpu_to_be_16(s->sport);
	tcp->dst_port = rte_cpu_to_be_16(s->dport);
	tcp->sent_seq = rte_cpu_to_be_32(s->seq);
	tcp->recv_ack = rte_cpu_to_be_32(s->ack);
	tcp->data_off = (32 / 4) << 4;
	tcp->tcp_flags = RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG;
	tcp->rx_win = rte_cpu_to_be_16(8192);
	tcp->cksum = 0;
	tcp->tcp_urp = 0;
	opt[0] = 1; /* NOP */
	opt[1] = 1;
	opt[2] = 8; /* TS */
	opt[3] = 10;
	v = rte_cpu_to_be_32(s->tsval);
	memcpy(opt + 4, &v, 4);
	v = rte_cpu_to_be_32(s->tsecr);
	memcpy(opt + 8, &v, 4);
	memset(opt + 12, 'x', plen);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	return (uint16_t)(BENCH_HDR_LEN + plen);
}

#endif /* BENCH_FRAME_H */
