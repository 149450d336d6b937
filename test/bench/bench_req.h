/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef BENCH_REQ_H
#define BENCH_REQ_H

/*
 * The request frame of the termination benchmarks (bench_term, bench_term_timers): Ethernet,
 * IPv4, TCP (20 bytes, ACK), BENCH_REQ as payload, from 198.19.0.1:1 to BENCH_LADDR:80. It
 * is parsed once into a view that the benchmarks use as the template of every connection's
 * segment. Nothing is ever sent.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include <tcpseg.h>

#define BENCH_REQ   "GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
#define BENCH_LADDR 0xc6120001u /* 198.18.0.1 */

/* Allocate the request frame from @p pool and parse it into @p v; abort on failure. */
static inline struct rte_mbuf *
bench_req_frame(struct rte_mempool *pool, struct tcpseg_view *v)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint32_t len = 14 + 20 + 20 + sizeof(BENCH_REQ) - 1;
	uint8_t *p = m ? (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len) : NULL;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;

	if (p == NULL)
		abort();
	ip = (struct rte_ipv4_hdr *)(p + 14);
	th = (struct rte_tcp_hdr *)(ip + 1);
	memset(p, 0, len);
	memcpy(p + 6, "\x02\0\0\0\0\x02", 6);
	p[12] = 0x08;
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(len - 14));
	ip->next_proto_id = IPPROTO_TCP;
	ip->time_to_live = 64;
	ip->src_addr = rte_cpu_to_be_32(0xc6130001u);
	ip->dst_addr = rte_cpu_to_be_32(BENCH_LADDR);
	th->src_port = rte_cpu_to_be_16(1);
	th->dst_port = rte_cpu_to_be_16(80);
	th->data_off = 5 << 4;
	th->tcp_flags = TCPSEG_ACK;
	th->rx_win = 0xffff;
	memcpy(th + 1, BENCH_REQ, sizeof(BENCH_REQ) - 1);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	if (tcpseg_parse(m, v) != TCPSEG_OK)
		abort();
	return m;
}

#endif /* BENCH_REQ_H */
