/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target: any bytes as a received frame -> tcpseg_parse -> twq_input_burst against a shard
 * that holds entries for the corpus's flows -> the reply built in place (ACK or closed-port
 * RST). The first input byte picks the RX checksum flags, the TX offloads and the clock step.
 * After every input the mbuf pool must be whole again and the shard's counters must balance.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <tcpseg.h>
#include <twq.h>

#include "fuzz_target.h"
#include "test_eal.h"
#include "twq_balance.h"

#define POOL_SIZE 63

static struct rte_mempool *pool;
static struct twq_shard *shard;
static uint64_t now_ms = 1000;

/* The flows of the seed corpus (test/fuzz/mk_corpus.py): 198.18.0.1:80 <- 198.18.0.2:1234 and
 * 2001:db8::1:80 <- 2001:db8::2:1234, snd_nxt 1000, rcv_nxt 2000, with timestamps. */
static void
add_entries(void)
{
	struct twq_conn c;

	memset(&c, 0, sizeof(c));
	c.key.laddr.v4 = rte_cpu_to_be_32(0xc6120001);
	c.key.raddr.v4 = rte_cpu_to_be_32(0xc6120002);
	c.key.lport = 80;
	c.key.rport = 1234;
	c.snd_nxt = 1000;
	c.rcv_nxt = 2000;
	c.rcv_adv = 2000 + 65535;
	c.flags = TWQ_CONN_REQ_TSTMP | TWQ_CONN_RCVD_TSTMP;
	c.ts_recent = 500;
	if (twq_lookup(shard, &c.key) == TWQ_ID_NONE)
		twq_start(shard, &c, now_ms, NULL);
	memset(&c.key, 0, sizeof(c.key));
	c.key.is_ipv6 = 1;
	memcpy(c.key.laddr.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	memcpy(c.key.raddr.v6, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
	c.key.lport = 80;
	c.key.rport = 1234;
	if (twq_lookup(shard, &c.key) == TWQ_ID_NONE)
		twq_start(shard, &c, now_ms, NULL);
}

int
fuzz_init(void)
{
	struct twq_params p = {
			.name = "fuzz",
			.socket_id = SOCKET_ID_ANY,
			.capacity = 64,
			.capacity6 = 64,
			.msl_ms = 60000,
			.flags = TWQ_F_PAWS | TWQ_F_RFC6191,
			.ack_limit = 4,
			.ack_interval_ms = 100,
	};

	if (test_eal_init("fuzz_segment", 128) < 0)
		return -1;
	pool = rte_pktmbuf_pool_create(
			"fuzz", POOL_SIZE, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	shard = twq_shard_create(&p);
	if (pool == NULL || shard == NULL) {
		fprintf(stderr, "fuzz_segment: cannot create pool or shard\n");
		return -1;
	}
	add_entries();
	return 0;
}

static const uint64_t rx_ip_flags[] = {
		RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN,
		RTE_MBUF_F_RX_IP_CKSUM_GOOD,
		RTE_MBUF_F_RX_IP_CKSUM_BAD,
		RTE_MBUF_F_RX_IP_CKSUM_NONE,
};
static const uint64_t rx_l4_flags[] = {
		RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN,
		RTE_MBUF_F_RX_L4_CKSUM_GOOD,
		RTE_MBUF_F_RX_L4_CKSUM_BAD,
		RTE_MBUF_F_RX_L4_CKSUM_NONE,
};

static void
check_balance(void)
{
	if (test_twq_imbalance(shard) != 0) {
		fprintf(stderr, "fuzz_segment: counters do not balance\n");
		abort();
	}
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	const uint64_t tx_offloads[] = {
			0,
			RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
			RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
			RTE_ETH_TX_OFFLOAD_IPV4_CKSUM,
	};
	const struct tcpseg_view *views[1];
	enum twq_verdict verdict;
	struct tcpseg_reply reply;
	struct tcpseg_view view;
	struct rte_mbuf *m;
	uint8_t ctl;
	char *dst;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	if (size > RTE_MBUF_DEFAULT_DATAROOM)
		return 0;
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL)
		abort();
	dst = rte_pktmbuf_append(m, (uint16_t)size);
	if (dst == NULL && size > 0)
		abort();
	if (size > 0)
		memcpy(dst, data, size);
	m->ol_flags |= rx_ip_flags[ctl & 3] | rx_l4_flags[(ctl >> 2) & 3];
	now_ms += (ctl >> 6) * 40;

	if (tcpseg_parse(m, &view) == TCPSEG_OK) {
		views[0] = &view;
		twq_input_burst(shard, views, 1, now_ms, &verdict, &reply);
		if (verdict == TWQ_ACK)
			tcpseg_build_reply(m, &view, &reply, tx_offloads[(ctl >> 4) & 3]);
		else if (verdict != TWQ_DROP && tcpseg_closed_reply(&view, &reply))
			tcpseg_build_reply(m, &view, &reply, tx_offloads[(ctl >> 4) & 3]);
	}
	rte_pktmbuf_free(m);
	if (rte_mempool_avail_count(pool) != POOL_SIZE) {
		fprintf(stderr, "fuzz_segment: mbuf leak\n");
		abort();
	}
	twq_expire(shard, now_ms, 64);
	check_balance();
	add_entries();
	return 0;
}
