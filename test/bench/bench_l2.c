/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * bench_l2: the cost of the worker's L2 stage (app/l2.c) per frame, on mbufs in memory.
 *
 *   bench_l2 [--frames N] [--kind tcp|arp|echo4|other]
 *
 * N frames of one kind, all in one 1024-mbuf pool reused in turn, through app_l2_input() for
 * a port with 2 IPv4 and 2 IPv6 addresses: tcp = a TCP segment to one of our addresses (the
 * fast path: APP_L2_PASS), arp = an ARP request for it (answered in place: the frame is
 * copied back from its template each time), echo4 = a 56-byte ping (likewise), other = TCP
 * to another host's MAC (dropped). Prints ns per frame; for exact counts run it under
 * valgrind --tool=callgrind --toggle-collect=run_frames with two values of N and take the
 * difference (docs/performance.md).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "l2.h"
#include "test_eal.h"

#define POOL 1024

static const uint8_t our_mac[6] = {0x02, 0, 0x5e, 0x12, 0, 2};
static const uint8_t peer_mac[6] = {0x02, 0, 0x5e, 0x12, 0, 1};

/* One template frame of the kind. */
static uint16_t template(const char *kind, uint8_t *f)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	uint16_t len;

	memset(f, 0, 128);
	memcpy(&eh->dst_addr, strcmp(kind, "other") == 0 ? peer_mac : our_mac, 6);
	memcpy(&eh->src_addr, peer_mac, 6);
	eh->src_addr.addr_bytes[5] = 9;
	if (strcmp(kind, "arp") == 0) {
		struct rte_arp_hdr *a = (struct rte_arp_hdr *)(eh + 1);

		memset(&eh->dst_addr, 0xff, 6);
		eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
		a->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
		a->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		a->arp_hlen = 6;
		a->arp_plen = 4;
		a->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
		memcpy(&a->arp_data.arp_sha, &eh->src_addr, 6);
		a->arp_data.arp_sip = RTE_BE32(0xc6120001);
		a->arp_data.arp_tip = RTE_BE32(0xc6120002);
		return 42;
	}
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->time_to_live = 64;
	ip->src_addr = RTE_BE32(0xc6120001);
	ip->dst_addr = RTE_BE32(0xc6120002);
	if (strcmp(kind, "echo4") == 0) {
		struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);

		ip->next_proto_id = IPPROTO_ICMP;
		len = 20 + 8 + 56;
		ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
		ic->icmp_cksum = (rte_be16_t)~rte_raw_cksum(ic, 64);
	} else {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

		ip->next_proto_id = IPPROTO_TCP;
		len = 20 + 20;
		th->data_off = 0x50;
		th->tcp_flags = RTE_TCP_ACK_FLAG;
	}
	ip->total_length = rte_cpu_to_be_16(len);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return (uint16_t)(14 + len);
}

static uint64_t results[APP_L2_RESULT_MAX];

/* The measured loop (callgrind --toggle-collect=run_frames). */
static __rte_noinline void
run_frames(const struct app_l2 *l2, struct rte_mbuf **m, uint32_t n, const uint8_t *f, uint16_t len,
		int answered)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *b = m[i % POOL];

		if (answered) {
			/* the answer was built in place: the request again (as a PMD would write)
			 */
			memcpy(rte_pktmbuf_mtod(b, void *), f, len);
			b->data_len = len;
			b->pkt_len = len;
		}
		results[app_l2_input(l2, b)]++;
	}
}

int
main(int argc, char **argv)
{
	const char *kind = "tcp";
	uint32_t n = 10000000, i;
	struct rte_mempool *pool;
	struct rte_mbuf *m[POOL];
	struct rte_ether_addr mac;
	struct app_l2 l2;
	uint8_t f[128];
	uint16_t len;
	char err[128];
	uint64_t t0, t1;
	int a;

	for (a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--frames") == 0)
			n = (uint32_t)strtoul(argv[a + 1], NULL, 0);
		else if (strcmp(argv[a], "--kind") == 0)
			kind = argv[a + 1];
	}
	if (test_eal_init("bench_l2", 64) != 0)
		return 1;
	pool = rte_pktmbuf_pool_create(
			"bench_l2", POOL * 2, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL || rte_pktmbuf_alloc_bulk(pool, m, POOL) != 0)
		return 1;
	memcpy(mac.addr_bytes, our_mac, 6);
	app_l2_init(&l2, &mac, false);
	if (app_l2_add_addresses(&l2, "198.18.0.3, 198.18.0.2, 2001:db8::2, 2001:db8::3", err,
			    sizeof(err)) != 0)
		return 1;
	len = template(kind, f);
	for (i = 0; i < POOL; i++) {
		memcpy(rte_pktmbuf_append(m[i], len), f, len);
	}
	t0 = rte_get_tsc_cycles();
	run_frames(&l2, m, n, f, len, strcmp(kind, "arp") == 0 || strcmp(kind, "echo4") == 0);
	t1 = rte_get_tsc_cycles();
	printf("bench_l2 %s: %u frames, %.1f ns per frame;", kind, n,
			(double)(t1 - t0) * 1e9 / (double)rte_get_tsc_hz() / n);
	for (i = 0; i < APP_L2_RESULT_MAX; i++)
		if (results[i] != 0)
			printf(" %s %lu", app_l2_result_name(i), (unsigned long)results[i]);
	printf("\n");
	return 0;
}
