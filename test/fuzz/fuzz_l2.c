/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target for the appliance's L2 stage (app/l2.c): any bytes as a received frame ->
 * app_l2_input() for a port that owns 198.18.0.1, 198.18.0.2, 2001:db8::1 and 2001:db8::2
 * (the addresses of the corpus's flows). The first input byte picks promiscuous mode and
 * where the frame is cut into two mbuf segments. After every input: a frame that is not
 * answered is left byte for byte as it came; an answer is a well-formed mbuf (pkt_len the
 * sum of the segments, at least an Ethernet header, at most 8 bytes longer than the
 * request), from our MAC, to a unicast MAC (the sender's) or to the IPv6 all-nodes group;
 * no mbuf is lost.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "fuzz_target.h"
#include "l2.h"
#include "test_eal.h"

#define POOL_SIZE 63
#define FRAME_MAX 2048

static struct rte_mempool *pool;
static struct app_l2 l2[2];
static const struct rte_ether_addr mac = {{0x02, 0, 0, 0, 0, 1}};

int
fuzz_init(void)
{
	char err[128];
	int i;

	if (test_eal_init("fuzz_l2", 64) != 0)
		return -1;
	pool = rte_pktmbuf_pool_create(
			"fuzz_l2", POOL_SIZE, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return -1;
	for (i = 0; i < 2; i++) {
		app_l2_init(&l2[i], &mac, i == 1);
		if (app_l2_add_addresses(&l2[i], "198.18.0.1, 198.18.0.2, 2001:db8::1, 2001:db8::2",
				    err, sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_l2: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* The frame in @p b cut after @p first bytes (0: one segment); NULL when it does not fit. */
static struct rte_mbuf *
frame(const uint8_t *b, uint16_t len, uint16_t first)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *s;
	char *p;

	if (m == NULL)
		abort();
	if (first == 0 || first >= len)
		first = len;
	p = rte_pktmbuf_append(m, first);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, b, first);
	if (first == len)
		return m;
	s = rte_pktmbuf_alloc(pool);
	if (s == NULL)
		abort();
	memcpy(rte_pktmbuf_append(s, (uint16_t)(len - first)), b + first, len - first);
	if (rte_pktmbuf_chain(m, s) != 0)
		abort();
	return m;
}

static uint32_t
bytes_of(const struct rte_mbuf *m, uint8_t *out)
{
	uint32_t n = 0, segs_len = 0;

	for (; m != NULL; m = m->next) {
		segs_len += rte_pktmbuf_data_len(m);
		if (n + rte_pktmbuf_data_len(m) > FRAME_MAX + 16)
			abort();
		memcpy(out + n, rte_pktmbuf_mtod(m, const void *), rte_pktmbuf_data_len(m));
		n += rte_pktmbuf_data_len(m);
	}
	return segs_len;
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	static uint8_t got[FRAME_MAX + 16];
	const struct rte_ether_hdr *eh;
	enum app_l2_result r;
	struct rte_mbuf *m;
	uint16_t len, first;
	uint32_t n;
	uint8_t ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	data++;
	size--;
	len = (uint16_t)(size > FRAME_MAX ? FRAME_MAX : size);
	first = (ctl & 0x7f) == 0 ? 0 : (uint16_t)((ctl & 0x7f) * 2);
	m = frame(data, len, first);
	if (m == NULL)
		return 0;
	r = app_l2_input(&l2[ctl >> 7], m);
	if ((unsigned int)r >= APP_L2_RESULT_MAX)
		abort();
	n = bytes_of(m, got);
	if (n != rte_pktmbuf_pkt_len(m))
		abort();
	if (!app_l2_is_tx(r)) {
		if (n != len || memcmp(got, data, len) != 0)
			abort(); /* not answered: untouched */
	} else {
		eh = (const struct rte_ether_hdr *)got;
		if (n < sizeof(*eh) || n > (uint32_t)len + 8 ||
				!rte_is_same_ether_addr(&eh->src_addr, &mac) ||
				(!rte_is_unicast_ether_addr(&eh->dst_addr) &&
						!(eh->dst_addr.addr_bytes[0] == 0x33 &&
								eh->dst_addr.addr_bytes[5] == 1)))
			abort();
	}
	rte_pktmbuf_free(m);
	if (rte_mempool_avail_count(pool) != POOL_SIZE)
		abort(); /* an mbuf lost */
	return 0;
}
