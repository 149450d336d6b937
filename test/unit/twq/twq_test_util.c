/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_lcore.h>

#include "twq_balance.h"
#include "twq_test_util.h"

struct twq_shard *
tu_shard_p(struct twq_params *p)
{
	struct twq_shard *s;

	if (p->name == NULL)
		p->name = "test";
	s = twq_shard_create(p);
	assert_non_null(s);
	return s;
}

struct twq_shard *
tu_shard(uint32_t cap, uint32_t flags)
{
	struct twq_params p = {
			.socket_id = SOCKET_ID_ANY,
			.capacity = cap,
			.capacity6 = cap,
			.msl_ms = 30000,
			.flags = flags,
	};

	return tu_shard_p(&p);
}

void
tu_key4(struct twq_key *k, uint32_t n)
{
	memset(k, 0, sizeof(*k));
	k->laddr.v4 = rte_cpu_to_be_32(0xc6120001);             /* 198.18.0.1 */
	k->raddr.v4 = rte_cpu_to_be_32(0xc6130000 | (n >> 16)); /* 198.19.0.x */
	k->lport = 80;
	k->rport = (uint16_t)(1024 + (n & 0xffff));
}

void
tu_key6(struct twq_key *k, uint32_t n)
{
	memset(k, 0, sizeof(*k));
	k->is_ipv6 = 1;
	k->laddr.v6[0] = 0x20;
	k->laddr.v6[1] = 0x01;
	k->laddr.v6[2] = 0x0d;
	k->laddr.v6[3] = 0xb8;
	k->laddr.v6[15] = 1;
	memcpy(k->raddr.v6, k->laddr.v6, 16);
	k->raddr.v6[5] = 1;
	k->raddr.v6[12] = (uint8_t)(n >> 24);
	k->raddr.v6[13] = (uint8_t)(n >> 16);
	k->raddr.v6[14] = (uint8_t)(n >> 8);
	k->raddr.v6[15] = (uint8_t)n;
	k->lport = 443;
	k->rport = 40000;
}

void
tu_conn(struct twq_conn *c, const struct twq_key *k, uint32_t snd_nxt, uint32_t rcv_nxt)
{
	memset(c, 0, sizeof(*c));
	c->key = *k;
	c->snd_nxt = snd_nxt;
	c->rcv_nxt = rcv_nxt;
	c->rcv_adv = rcv_nxt + 1000;
}

void
tu_seg(struct tcpseg_view *v, const struct twq_key *k, uint8_t flags, uint32_t seq, uint32_t ack,
		uint16_t payload_len)
{
	memset(v, 0, sizeof(*v));
	v->src = k->raddr;
	v->dst = k->laddr;
	v->sport = k->rport;
	v->dport = k->lport;
	v->is_ipv6 = k->is_ipv6;
	v->flags = flags;
	v->seq = seq;
	v->ack = ack;
	v->win = 512;
	v->payload_len = payload_len;
}

void
tu_seg_ts(struct tcpseg_view *v, uint32_t tsval, uint32_t tsecr)
{
	v->opts.present |= TCPSEG_OPT_TS;
	v->opts.tsval = tsval;
	v->opts.tsecr = tsecr;
}

uint64_t
tu_ctr(const struct twq_shard *s, enum twq_counter c)
{
	uint64_t v[TWQ_CTR_MAX];

	twq_counters_read(s, v);
	return v[c];
}

void
tu_check_balance(const struct twq_shard *s)
{
	assert_int_equal(test_twq_imbalance(s), 0);
}
