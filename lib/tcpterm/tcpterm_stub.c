/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Stubs of the public API while the implementation lands: every call fails cleanly. */

#include <errno.h>
#include <string.h>

#include <rte_errno.h>

#include "tcpterm.h"

struct tcpterm_response *
tcpterm_response_create(const struct tcpterm_response_params *p)
{
	RTE_SET_USED(p);
	rte_errno = ENOTSUP;
	return NULL;
}

void
tcpterm_response_free(struct tcpterm_response *r)
{
	RTE_SET_USED(r);
}

const uint8_t *
tcpterm_response_bytes(const struct tcpterm_response *r, int keepalive, uint32_t *len)
{
	RTE_SET_USED(r);
	RTE_SET_USED(keepalive);
	*len = 0;
	return NULL;
}

uint16_t
tcpterm_response_sum(const struct tcpterm_response *r, int keepalive, uint32_t off, uint32_t len)
{
	RTE_SET_USED(r);
	RTE_SET_USED(keepalive);
	RTE_SET_USED(off);
	RTE_SET_USED(len);
	return 0;
}

struct tcpterm_table *
tcpterm_table_create(const struct tcpterm_params *p)
{
	RTE_SET_USED(p);
	rte_errno = ENOTSUP;
	return NULL;
}

void
tcpterm_table_free(struct tcpterm_table *t)
{
	RTE_SET_USED(t);
}

const struct tcpterm_params *
tcpterm_table_params(const struct tcpterm_table *t)
{
	RTE_SET_USED(t);
	return NULL;
}

size_t
tcpterm_table_memory(const struct tcpterm_table *t)
{
	RTE_SET_USED(t);
	return 0;
}

uint32_t
tcpterm_table_count(const struct tcpterm_table *t)
{
	RTE_SET_USED(t);
	return 0;
}

enum tcpterm_verdict
tcpterm_input(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		int listener, uint64_t now_ms, struct tcpterm_out *out)
{
	RTE_SET_USED(t);
	RTE_SET_USED(v);
	RTE_SET_USED(m);
	RTE_SET_USED(listener);
	RTE_SET_USED(now_ms);
	memset(out, 0, sizeof(*out));
	out->conn = TCPTERM_ID_NONE;
	return TCPTERM_MISS;
}

enum tcpterm_verdict
tcpterm_syn_reopen(struct tcpterm_table *t, const struct tcpseg_view *v, const struct rte_mbuf *m,
		int listener, uint32_t old_snd_nxt, uint64_t now_ms, struct tcpterm_out *out)
{
	RTE_SET_USED(old_snd_nxt);
	tcpterm_input(t, v, m, listener, now_ms, out);
	return TCPTERM_DROP;
}

uint32_t
tcpterm_timers(struct tcpterm_table *t, uint64_t now_ms, uint32_t budget, tcpterm_timer_cb cb,
		void *arg)
{
	RTE_SET_USED(t);
	RTE_SET_USED(now_ms);
	RTE_SET_USED(budget);
	RTE_SET_USED(cb);
	RTE_SET_USED(arg);
	return 0;
}

uint32_t
tcpterm_next_due_ms(const struct tcpterm_table *t, uint64_t now_ms)
{
	RTE_SET_USED(t);
	RTE_SET_USED(now_ms);
	return UINT32_MAX;
}

struct rte_mbuf *
tcpterm_frame_build(struct tcpterm_table *t, uint32_t conn, const struct tcpterm_seg *seg,
		const struct rte_ether_addr *src_mac, struct rte_mempool *pool, uint64_t tx_offload)
{
	RTE_SET_USED(t);
	RTE_SET_USED(conn);
	RTE_SET_USED(seg);
	RTE_SET_USED(src_mac);
	RTE_SET_USED(pool);
	RTE_SET_USED(tx_offload);
	rte_errno = EINVAL;
	return NULL;
}

uint32_t
tcpterm_find(const struct tcpterm_table *t, const struct tcpterm_key *k)
{
	RTE_SET_USED(t);
	RTE_SET_USED(k);
	return TCPTERM_ID_NONE;
}

int
tcpterm_conn_get(const struct tcpterm_table *t, uint32_t id, uint64_t now_ms,
		struct tcpterm_conn_info *info)
{
	RTE_SET_USED(t);
	RTE_SET_USED(id);
	RTE_SET_USED(now_ms);
	RTE_SET_USED(info);
	return -EINVAL;
}

int
tcpterm_foreach(const struct tcpterm_table *t, uint64_t now_ms, tcpterm_foreach_cb cb, void *arg)
{
	RTE_SET_USED(t);
	RTE_SET_USED(now_ms);
	RTE_SET_USED(cb);
	RTE_SET_USED(arg);
	return 0;
}

void
tcpterm_counters_read(const struct tcpterm_table *t, uint64_t out[TCPTERM_CTR_MAX])
{
	RTE_SET_USED(t);
	memset(out, 0, sizeof(uint64_t) * TCPTERM_CTR_MAX);
}

void
tcpterm_state_counts(const struct tcpterm_table *t, uint32_t out[TCPTERM_ST_MAX])
{
	RTE_SET_USED(t);
	memset(out, 0, sizeof(uint32_t) * TCPTERM_ST_MAX);
}

uint16_t
tcpterm_cookie_mss(unsigned int idx)
{
	RTE_SET_USED(idx);
	return 0;
}
