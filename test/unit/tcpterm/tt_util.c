/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>

#include "test_eal.h"
#include "tt_util.h"

struct rte_mempool *tt_pool;

const uint8_t tt_secret[TCPTERM_SECRET_LEN] = "0123456789abcdef0123456789ABCDEF";

int
tt_setup(const char *name)
{
	if (test_eal_init(name, 256) != 0)
		return -1;
	tt_pool = rte_pktmbuf_pool_create(
			"tt_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return tt_pool == NULL ? -1 : 0;
}

static unsigned int
put_opts(uint8_t *o, const struct tt_seg *s)
{
	unsigned int n = 0;

	if (s->opts & TCPSEG_OPT_MSS) {
		o[n++] = 2;
		o[n++] = 4;
		o[n++] = (uint8_t)(s->mss >> 8);
		o[n++] = (uint8_t)s->mss;
	}
	if (s->opts & TCPSEG_OPT_SACKOK) {
		o[n++] = 4;
		o[n++] = 2;
	}
	if (s->opts & TCPSEG_OPT_TS) {
		uint32_t a = rte_cpu_to_be_32(s->tsval), b = rte_cpu_to_be_32(s->tsecr);

		o[n++] = 8;
		o[n++] = 10;
		memcpy(o + n, &a, 4);
		memcpy(o + n + 4, &b, 4);
		n += 8;
	}
	if (s->opts & TCPSEG_OPT_WSCALE) {
		o[n++] = 3;
		o[n++] = 3;
		o[n++] = s->ws;
	}
	while (n % 4)
		o[n++] = 1;
	return n;
}

struct rte_mbuf *
tt_frame(const struct tt_seg *s, struct tcpseg_view *v)
{
	uint8_t buf[1600];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_tcp_hdr *th;
	unsigned int l2 = 14 + 4u * s->n_vlan, l3 = s->v6 ? 40 : 20, ol, i;
	uint8_t *p = buf + l2, opt[40];
	struct rte_mbuf *m;
	uint16_t *et = &eth->ether_type, w;

	memset(buf, 0, sizeof(buf));
	memcpy(&eth->dst_addr, "\x02\0\0\0\0\x01", 6);
	memcpy(&eth->src_addr, "\x02\0\0\0\0\x02", 6);
	for (i = 0; i < s->n_vlan; i++) {
		w = rte_cpu_to_be_16(i == 0 && s->n_vlan == 2 ? 0x88a8 : 0x8100);
		memcpy(buf + 12 + 4 * i, &w, 2);
		w = rte_cpu_to_be_16((uint16_t)(100 + i));
		memcpy(buf + 14 + 4 * i, &w, 2);
	}
	et = (uint16_t *)(buf + 12 + 4 * s->n_vlan);
	w = rte_cpu_to_be_16(s->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	memcpy(et, &w, 2);
	ol = put_opts(opt, s);
	th = (struct rte_tcp_hdr *)(p + l3);
	if (s->v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)p;

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)(20 + ol + s->len));
		ip->proto = IPPROTO_TCP;
		ip->hop_limits = 64;
		memcpy(ip->src_addr, "\x20\x01\x0d\xb8\0\x01\0\0\0\0\0\0\0\0\0\0", 16);
		ip->src_addr[14] = (uint8_t)(s->peer >> 8);
		ip->src_addr[15] = (uint8_t)s->peer;
		memcpy(ip->dst_addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)p;

		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + 20 + ol + s->len));
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_TCP;
		ip->src_addr = rte_cpu_to_be_32(0xc6130000u + s->peer);
		ip->dst_addr = rte_cpu_to_be_32(0xc6120001u);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	th->src_port = rte_cpu_to_be_16((uint16_t)(40000 + s->peer));
	th->dst_port = rte_cpu_to_be_16(80);
	th->sent_seq = rte_cpu_to_be_32(s->seq);
	th->recv_ack = rte_cpu_to_be_32(s->ack);
	th->data_off = (uint8_t)(((20 + ol) / 4) << 4);
	th->tcp_flags = s->flags;
	th->rx_win = rte_cpu_to_be_16(s->win == TT_WIN0 ? 0 : s->win ? (uint16_t)s->win : 65535);
	memcpy(th + 1, opt, ol);
	if (s->len)
		memcpy((uint8_t *)(th + 1) + ol, s->data, s->len);
	th->cksum = 0;
	th->cksum = s->v6 ? rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)p, th)
			  : rte_ipv4_udptcp_cksum((struct rte_ipv4_hdr *)p, th);
	m = rte_pktmbuf_alloc(tt_pool);
	assert_non_null(m);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(l2 + l3 + 20 + ol + s->len));
	assert_non_null(p);
	memcpy(p, buf, l2 + l3 + 20 + ol + s->len);
	m->port = 3;
	assert_int_equal(tcpseg_parse(m, v), TCPSEG_OK);
	return m;
}

struct tcpterm_response *
tt_response(uint32_t body_len, bool raw, uint32_t ka)
{
	struct tcpterm_response_params rp;
	struct tcpterm_response *r;
	uint8_t *body = malloc(body_len + 1);
	uint32_t i;

	assert_non_null(body);
	for (i = 0; i < body_len; i++)
		body[i] = (uint8_t)('a' + i % 26);
	memset(&rp, 0, sizeof(rp));
	rp.name = "tt_resp";
	rp.socket_id = SOCKET_ID_ANY;
	rp.mode = raw ? TCPTERM_MODE_RAW : TCPTERM_MODE_HTTP;
	rp.body = body;
	rp.body_len = body_len;
	rp.content_type = "text/plain";
	rp.keepalive_requests = ka;
	r = tcpterm_response_create(&rp);
	free(body);
	assert_non_null(r);
	return r;
}

struct tcpterm_table *
tt_table(struct tcpterm_response **r, uint32_t n, uint32_t cap, const struct tcpterm_params *p)
{
	struct tcpterm_params q;
	struct tcpterm_table *t;

	if (p != NULL)
		q = *p;
	else
		memset(&q, 0, sizeof(q));
	q.name = "tt_table";
	q.socket_id = SOCKET_ID_ANY;
	q.capacity = cap;
	q.responses = (const struct tcpterm_response *const *)r;
	q.n_responses = n;
	q.secret = tt_secret;
	t = tcpterm_table_create(&q);
	assert_non_null(t);
	return t;
}

enum tcpterm_verdict
tt_input(struct tcpterm_table *t, const struct tt_seg *s, uint64_t now, struct tcpterm_out *out)
{
	struct tcpseg_view v;
	struct rte_mbuf *m = tt_frame(s, &v);
	enum tcpterm_verdict vd = tcpterm_input(t, &v, m, 0, now, out);

	rte_pktmbuf_free(m);
	return vd;
}

enum tcpterm_verdict
tt_reopen(struct tcpterm_table *t, const struct tt_seg *s, int listener, uint32_t old_snd_nxt,
		uint64_t now, struct tcpterm_out *out)
{
	struct tcpseg_view v;
	struct rte_mbuf *m = tt_frame(s, &v);
	enum tcpterm_verdict vd = tcpterm_syn_reopen(t, &v, m, listener, old_snd_nxt, now, out);

	rte_pktmbuf_free(m);
	return vd;
}

uint32_t
tt_connect(struct tcpterm_table *t, struct tt_seg *s, uint64_t now)
{
	struct tcpterm_out out;

	s->flags = TCPSEG_SYN;
	s->ack = 0;
	assert_int_equal(tt_input(t, s, now, &out), TCPTERM_SEND);
	assert_true(out.has_reply);
	assert_int_equal(out.reply.flags, TCPSEG_SYN | TCPSEG_ACK);
	assert_int_equal(out.reply.ack, s->seq + 1);
	s->flags = TCPSEG_ACK;
	s->seq++;
	s->ack = out.reply.seq + 1;
	s->tsecr = out.reply.tsval;
	s->opts &= TCPSEG_OPT_TS;
	assert_int_equal(tt_input(t, s, now, &out), TCPTERM_DROP);
	assert_int_not_equal(out.conn, TCPTERM_ID_NONE);
	return out.conn;
}

uint64_t
tt_ctr(const struct tcpterm_table *t, enum tcpterm_counter c)
{
	uint64_t v[TCPTERM_CTR_MAX];

	tcpterm_counters_read(t, v);
	return v[c];
}

uint32_t
tt_state_count(const struct tcpterm_table *t, enum tcpterm_state s)
{
	uint32_t v[TCPTERM_ST_MAX];

	tcpterm_state_counts(t, v);
	return v[s];
}

struct tcpterm_conn_info
tt_info(const struct tcpterm_table *t, uint32_t id, uint64_t now)
{
	struct tcpterm_conn_info i;

	assert_int_equal(tcpterm_conn_get(t, id, now, &i), 0);
	return i;
}
