/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The connection table: a fixed pool of struct tcpterm_conn, a free list threaded through
 * it, and a chained hash index (one 32-bit head per bucket, the chain through the entries).
 * rte_hash was measured against this for the 128-byte budget and does not fit: its key
 * store alone takes the key (40 bytes here), a data pointer and its bucket share per entry,
 * about 56 bytes before the connection itself; the chained index costs 4 bytes per bucket.
 */

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "tcpterm_pvt.h"

static_assert(sizeof(struct tcpterm_conn) <= 120, "connection entry above its budget");
static_assert(sizeof(struct tcpterm_closed) == 64, "struct tcpterm_closed changed");

/* An entry of 120 bytes spans two or three cache lines: all of them. */
static inline void
conn_prefetch(const struct tcpterm_conn *c)
{
	const uint8_t *p = (const uint8_t *)c;

	rte_prefetch0(p);
	rte_prefetch0(p + RTE_CACHE_LINE_SIZE);
	rte_prefetch0(p + sizeof(*c) - 1);
}

uint32_t
tcpterm_hash_key(const struct tcpterm_key *k)
{
	uint32_t h = rte_hash_crc_4byte((uint32_t)k->lport << 16 | k->rport, k->is_ipv6);

	if (k->is_ipv6) {
		h = rte_hash_crc(k->raddr.v6, 16, h);
		return rte_hash_crc(k->laddr.v6, 16, h);
	}
	h = rte_hash_crc_4byte(k->raddr.v4, h);
	return rte_hash_crc_4byte(k->laddr.v4, h);
}

static inline bool
key_eq(const struct tcpterm_conn *c, const struct tcpterm_key *k)
{
	if (c->lport != k->lport || c->rport != k->rport || !!(c->flags & C_IPV6) != k->is_ipv6)
		return false;
	if (k->is_ipv6)
		return memcmp(c->raddr.v6, k->raddr.v6, 16) == 0 &&
				memcmp(c->laddr.v6, k->laddr.v6, 16) == 0;
	return c->raddr.v4 == k->raddr.v4 && c->laddr.v4 == k->laddr.v4;
}

uint32_t
tcpterm_lookup_hash(const struct tcpterm_table *t, const struct tcpterm_key *k, uint32_t hash)
{
	uint32_t id = t->buckets[hash & t->bucket_mask];

	while (id != TCPTERM_ID_NONE) {
		const struct tcpterm_conn *c = &t->conns[id];

		if (key_eq(c, k))
			return id;
		id = c->hnext;
	}
	return TCPTERM_ID_NONE;
}

void
tcpterm_prefetch(const struct tcpterm_table *t, const struct tcpseg_view *v, int stage)
{
	struct tcpterm_key k;
	const uint32_t *b;

	tcpterm_key_from_view(v, &k);
	b = &t->buckets[tcpterm_hash_key(&k) & t->bucket_mask];
	if (stage == 0) {
		rte_prefetch0(b);
	} else if (*b != TCPTERM_ID_NONE) {
		conn_prefetch(&t->conns[*b]);
	}
}

uint32_t
tcpterm_find(const struct tcpterm_table *t, const struct tcpterm_key *k)
{
	return tcpterm_lookup_hash(t, k, tcpterm_hash_key(k));
}

/* A new entry for k in state ESTABLISHED, linked in the index, all else zero; NULL when the
 * pool is empty. */
struct tcpterm_conn *
tcpterm_conn_new(struct tcpterm_table *t, const struct tcpterm_key *k, uint32_t hash)
{
	struct tcpterm_conn *c;
	uint32_t id = t->free_head, *b;

	if (id == TCPTERM_ID_NONE)
		return NULL;
	c = &t->conns[id];
	t->free_head = c->hnext;
	/* The next allocation's entry, so that it is not a cache miss then. */
	if (t->free_head != TCPTERM_ID_NONE)
		conn_prefetch(&t->conns[t->free_head]);
	memset(c, 0, sizeof(*c));
	c->laddr = k->laddr;
	c->raddr = k->raddr;
	c->lport = k->lport;
	c->rport = k->rport;
	c->flags = C_USED | (k->is_ipv6 ? C_IPV6 : 0);
	c->tprev = c->tnext = TCPTERM_ID_NONE;
	c->ssthresh = UINT16_MAX; /* RFC 5681 3.1: arbitrarily high */
	c->state = TCPTERM_ST_ESTABLISHED;
	b = &t->buckets[hash & t->bucket_mask];
	c->hnext = *b;
	*b = id;
	t->count++;
	__atomic_store_n(&t->state_count[c->state], t->state_count[c->state] + 1, __ATOMIC_RELAXED);
	return c;
}

void
tcpterm_conn_del(struct tcpterm_table *t, struct tcpterm_conn *c)
{
	struct tcpterm_key k;
	uint32_t id = conn_id(t, c), *p;

	tcpterm_timer_stop(t, c);
	memset(&k, 0, sizeof(k));
	k.laddr = c->laddr;
	k.raddr = c->raddr;
	k.lport = c->lport;
	k.rport = c->rport;
	k.is_ipv6 = !!(c->flags & C_IPV6);
	p = &t->buckets[tcpterm_hash_key(&k) & t->bucket_mask];
	while (*p != id)
		p = &t->conns[*p].hnext;
	*p = c->hnext;
	__atomic_store_n(&t->state_count[c->state], t->state_count[c->state] - 1, __ATOMIC_RELAXED);
	c->flags = 0;
	c->hnext = t->free_head;
	t->free_head = id;
	t->count--;
}

/* Keep what frames built later need: the peer's MAC (the received frame's source), the VLAN
 * tags and the port. */
void
tcpterm_conn_l2(struct tcpterm_conn *c, const struct rte_mbuf *m, const struct tcpseg_view *v)
{
	const struct rte_ether_hdr *eth;
	const struct rte_vlan_hdr *vh;
	unsigned int i;

	if (m == NULL || v->l2_len < sizeof(*eth) || rte_pktmbuf_data_len(m) < v->l2_len)
		return;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	memcpy(c->peer_mac, &eth->src_addr, RTE_ETHER_ADDR_LEN);
	c->port = m->port;
	c->l2 = v->n_vlan & L2_NVLAN;
	if (v->n_vlan && eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ))
		c->l2 |= L2_QINQ;
	vh = (const struct rte_vlan_hdr *)(eth + 1);
	for (i = 0; i < v->n_vlan && i < 2; i++)
		c->vlan[i] = rte_be_to_cpu_16(vh[i].vlan_tci);
}

static size_t
table_bytes(uint32_t cap, uint32_t nb, uint32_t nw, uint32_t nr)
{
	return sizeof(struct tcpterm_table) + (size_t)cap * sizeof(struct tcpterm_conn) +
			(size_t)nb * sizeof(uint32_t) + (size_t)nw * sizeof(uint32_t) +
			(size_t)nr * 2 * sizeof(struct rte_mbuf_ext_shared_info);
}

static void
shinfo_free_cb(void *addr, void *opaque)
{
	/* The response outlives the frames (tcpterm_response_free()): nothing to free. */
	RTE_SET_USED(addr);
	RTE_SET_USED(opaque);
}

static int
params_fill(struct tcpterm_params *q, const struct tcpterm_params *p)
{
	*q = *p;
#define DEF(f, v) \
	do { \
		if (q->f == 0) \
			q->f = (v); \
	} while (0)
	DEF(mss_v4, 1460);
	DEF(mss_v6, 1440);
	DEF(init_cwnd, 10);
	DEF(cookie_interval_ms, 64000);
	DEF(rto_initial_ms, 1000);
	DEF(rto_min_ms, 200);
	DEF(rto_max_ms, 60000);
	DEF(retries, 6);
	DEF(fin_wait2_ms, 60000);
	DEF(idle_ms, 30000);
	DEF(challenge_ack_limit, 1000);
#undef DEF
	q->capacity = RTE_MAX(q->capacity, TCPTERM_CAPACITY_MIN);
	if (p->capacity > TCPTERM_CAPACITY_MAX || q->n_responses == 0 ||
			q->n_responses > TCPTERM_RESPONSES_MAX || q->responses == NULL ||
			q->mss_v4 < 64 || q->mss_v6 < 64 || q->rto_min_ms > q->rto_max_ms ||
			q->rto_max_ms > UINT16_MAX || q->rto_initial_ms > q->rto_max_ms ||
			q->fin_wait2_ms >= (1u << 31) || q->idle_ms >= (1u << 31) ||
			q->cookie_interval_ms >= (1u << 31) || q->init_cwnd > 1024 ||
			q->retries > 255)
		return -EINVAL;
	return 0;
}

struct tcpterm_table *
tcpterm_table_create(const struct tcpterm_params *p)
{
	struct tcpterm_params q;
	struct tcpterm_table *t;
	uint8_t secret[TCPTERM_SECRET_LEN];
	uint32_t i, nb, nw;

	if (p == NULL || params_fill(&q, p) != 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	for (i = 0; i < q.n_responses; i++)
		if (q.responses[i] == NULL) {
			rte_errno = EINVAL;
			return NULL;
		}
	if (q.secret != NULL) {
		memcpy(secret, q.secret, sizeof(secret));
	} else if (getrandom(secret, sizeof(secret), 0) != (ssize_t)sizeof(secret)) {
		rte_errno = errno ? errno : EIO;
		return NULL;
	}
	nb = rte_align32pow2(q.capacity);
	nw = RTE_MIN(RTE_MAX(rte_align32pow2(q.capacity / 4), 64u), 4096u);
	t = rte_zmalloc_socket(q.name, sizeof(*t), RTE_CACHE_LINE_SIZE, q.socket_id);
	if (t == NULL)
		goto nomem;
	t->conns = rte_malloc_socket(q.name, (size_t)q.capacity * sizeof(*t->conns),
			RTE_CACHE_LINE_SIZE, q.socket_id);
	t->buckets = rte_malloc_socket(q.name, (size_t)nb * 4, RTE_CACHE_LINE_SIZE, q.socket_id);
	t->wheel = rte_malloc_socket(q.name, (size_t)nw * 4, RTE_CACHE_LINE_SIZE, q.socket_id);
	t->shinfo = rte_zmalloc_socket(q.name, sizeof(*t->shinfo) * q.n_responses,
			RTE_CACHE_LINE_SIZE, q.socket_id);
	if (t->conns == NULL || t->buckets == NULL || t->wheel == NULL || t->shinfo == NULL)
		goto nomem;
	t->p = q;
	t->p.secret = NULL; /* not kept: the caller's buffer may go */
	t->capacity = q.capacity;
	t->bucket_mask = nb - 1;
	t->wheel_mask = nw - 1;
	memset(t->buckets, 0xff, (size_t)nb * 4);
	memset(t->wheel, 0xff, (size_t)nw * 4);
	t->run_mark = TCPTERM_ID_NONE;
	for (i = 0; i < q.capacity; i++) {
		t->conns[i].flags = 0;
		t->conns[i].hnext = i + 1 < q.capacity ? i + 1 : TCPTERM_ID_NONE;
	}
	t->free_head = 0;
	memcpy(&t->sip_k0, secret, 8);
	memcpy(&t->sip_k1, secret + 8, 8);
	memcpy(&t->ts_offset, secret + 16, 4);
	t->ch_tokens = q.challenge_ack_limit;
	for (i = 0; i < q.n_responses; i++) {
		t->resp[i] = q.responses[i];
		t->shinfo[i][0].free_cb = shinfo_free_cb;
		t->shinfo[i][1].free_cb = shinfo_free_cb;
		rte_mbuf_ext_refcnt_set(&t->shinfo[i][0], 1);
		rte_mbuf_ext_refcnt_set(&t->shinfo[i][1], 1);
	}
	t->p.responses = t->resp;
	memset(secret, 0, sizeof(secret));
	return t;
nomem:
	memset(secret, 0, sizeof(secret));
	tcpterm_table_free(t);
	rte_errno = ENOMEM;
	return NULL;
}

void
tcpterm_table_free(struct tcpterm_table *t)
{
	if (t == NULL)
		return;
	rte_free(t->conns);
	rte_free(t->buckets);
	rte_free(t->wheel);
	rte_free(t->shinfo);
	rte_free(t);
}

const struct tcpterm_params *
tcpterm_table_params(const struct tcpterm_table *t)
{
	return &t->p;
}

size_t
tcpterm_table_memory(const struct tcpterm_table *t)
{
	return table_bytes(t->capacity, t->bucket_mask + 1, t->wheel_mask + 1, t->p.n_responses);
}

uint32_t
tcpterm_table_count(const struct tcpterm_table *t)
{
	return t->count;
}

int
tcpterm_conn_get(const struct tcpterm_table *t, uint32_t id, uint64_t now_ms,
		struct tcpterm_conn_info *info)
{
	const struct tcpterm_conn *c;

	if (id >= t->capacity || !(t->conns[id].flags & C_USED))
		return -EINVAL;
	c = &t->conns[id];
	memset(info, 0, sizeof(*info));
	info->key.laddr = c->laddr;
	info->key.raddr = c->raddr;
	info->key.lport = c->lport;
	info->key.rport = c->rport;
	info->key.is_ipv6 = !!(c->flags & C_IPV6);
	info->state = c->state;
	info->resp = c->resp;
	info->has_ts = !!(c->flags & C_TS);
	info->snd_wscale = c->snd_wscale;
	info->mss = c->mss;
	info->port = c->port;
	info->iss = c->iss;
	info->snd_una = c->snd_una;
	info->snd_nxt = c->snd_nxt;
	info->rcv_nxt = c->rcv_nxt;
	info->snd_wnd = (uint32_t)c->snd_wnd << c->snd_wscale;
	info->cwnd = (uint32_t)c->cwnd * c->mss;
	info->rto_ms = c->rto;
	if (c->flags & C_TIMER) {
		int32_t left = (int32_t)(c->deadline - (uint32_t)now_ms);

		info->timer_ms = left > 0 ? (uint32_t)left : 0;
	}
	info->requests = c->nreq;
	info->retries = c->retries;
	return 0;
}

int
tcpterm_foreach(const struct tcpterm_table *t, uint64_t now_ms, tcpterm_foreach_cb cb, void *arg)
{
	struct tcpterm_conn_info info;
	uint32_t i;
	int rc;

	for (i = 0; i < t->capacity; i++) {
		if (tcpterm_conn_get(t, i, now_ms, &info) != 0)
			continue;
		rc = cb(&info, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

void
tcpterm_counters_read(const struct tcpterm_table *t, uint64_t out[TCPTERM_CTR_MAX])
{
	unsigned int i;

	for (i = 0; i < TCPTERM_CTR_MAX; i++)
		out[i] = __atomic_load_n(&t->ctr[i], __ATOMIC_RELAXED);
}

void
tcpterm_state_counts(const struct tcpterm_table *t, uint32_t out[TCPTERM_ST_MAX])
{
	unsigned int i;

	for (i = 0; i < TCPTERM_ST_MAX; i++)
		out[i] = __atomic_load_n(&t->state_count[i], __ATOMIC_RELAXED);
}
