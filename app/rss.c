/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_thash.h>

#include "rss.h"

unsigned int
app_flow_worker(const struct app_ctx *ctx, const struct twq_key *k)
{
	const struct app_port *p = &ctx->ports[0];
	union rte_thash_tuple t;
	uint32_t h, w;
	unsigned int i;

	/* With several workers the key is set whether RSS is on or not ([ports] rss = off). */
	if (ctx->n_workers <= 1 || ctx->n_ports == 0)
		return 0;
	memset(&t, 0, sizeof(t));
	/* rte_softrss wants the tuple in CPU order, source (the peer) first. */
	if (!k->is_ipv6) {
		t.v4.src_addr = rte_be_to_cpu_32(k->raddr.v4);
		t.v4.dst_addr = rte_be_to_cpu_32(k->laddr.v4);
		t.v4.sport = k->rport;
		t.v4.dport = k->lport;
		h = rte_softrss((uint32_t *)&t, RTE_THASH_V4_L4_LEN, p->rss_key);
	} else {
		for (i = 0; i < 4; i++) {
			memcpy(&w, &k->raddr.v6[4 * i], 4);
			w = rte_be_to_cpu_32(w);
			memcpy(&t.v6.src_addr[4 * i], &w, 4);
			memcpy(&w, &k->laddr.v6[4 * i], 4);
			w = rte_be_to_cpu_32(w);
			memcpy(&t.v6.dst_addr[4 * i], &w, 4);
		}
		t.v6.sport = k->rport;
		t.v6.dport = k->lport;
		h = rte_softrss((uint32_t *)&t, RTE_THASH_V6_L4_LEN, p->rss_key);
	}
	if (p->rss && p->reta_ok) {
		w = p->reta[h % p->reta_size];
		if (w < ctx->n_workers)
			return w;
	}
	return h % ctx->n_workers;
}
