/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_build_reply() and tcpseg_closed_reply(): the reply bytes against frames Scapy built
 * (test/data/tcpseg_vectors.h), SYN-ACKs with every combination of options among them, the TX
 * offload variants, NO_ROOM, multi-segment input.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "cksum_edge.h"
#include "tcpseg.h"
#include "tcpseg_test_util.h"
#include "tcpseg_vectors.h"

#define OFF_V4 (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM)
/* Junk RX flags the reply must not keep. */
#define RX_FLAGS \
	(RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD | RTE_MBUF_F_RX_RSS_HASH)

static struct rte_mbuf *
parsed(const uint8_t *b, uint16_t len, struct tcpseg_view *v)
{
	struct rte_mbuf *m = ts_mbuf(b, len);

	assert_int_equal(tcpseg_parse(m, v), TCPSEG_OK);
	m->ol_flags = RX_FLAGS;
	return m;
}

/* The reply's layout, read from the expected frame. */
struct layout {
	uint16_t l2, l3, l4;
	bool v6;
	uint16_t ip_csum_off;  /* IPv4 header checksum offset, 0 for IPv6 */
	uint16_t tcp_csum_off; /* TCP checksum offset */
};

static struct layout
layout_of(const uint8_t *f, uint16_t len)
{
	struct layout lo;
	uint16_t type;

	lo.l2 = 12;
	for (;;) {
		type = (uint16_t)(f[lo.l2] << 8 | f[lo.l2 + 1]);
		lo.l2 += 2;
		if (type != 0x8100 && type != 0x88a8)
			break;
		lo.l2 += 2;
	}
	lo.v6 = type == 0x86dd;
	lo.l3 = lo.v6 ? 40 : 20;
	lo.l4 = (uint16_t)(len - lo.l2 - lo.l3);
	lo.ip_csum_off = lo.v6 ? 0 : lo.l2 + 10;
	lo.tcp_csum_off = lo.l2 + lo.l3 + 16;
	return lo;
}

/*
 * Pseudo-header sum (not complemented) of the expected frame, computed here by hand: what the
 * TCP checksum field holds when the NIC is to finish it.
 */
static uint16_t
phdr_sum(const uint8_t *f, const struct layout *lo)
{
	const uint8_t *ip = f + lo->l2;
	const uint8_t *a = ip + (lo->v6 ? 8 : 12);
	unsigned int n = lo->v6 ? 32 : 8, i;
	uint32_t sum = 0;

	for (i = 0; i < n; i += 2)
		sum += (uint32_t)(a[i] << 8 | a[i + 1]);
	sum += 6 + lo->l4;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The reply in @p m equals @p exp, except the checksum fields a NIC is to fill. */
static void
check_frame(const char *name, struct rte_mbuf *m, const uint8_t *exp, uint16_t len, bool ip_hw,
		bool tcp_hw)
{
	struct layout lo = layout_of(exp, len);
	uint8_t want[256];
	const uint8_t *got;
	uint16_t sum;

	assert_true(len <= sizeof(want));
	assert_int_equal(m->nb_segs, 1);
	assert_null(m->next);
	assert_int_equal(rte_pktmbuf_data_len(m), len);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	memcpy(want, exp, len);
	if (ip_hw && !lo.v6) {
		want[lo.ip_csum_off] = 0;
		want[lo.ip_csum_off + 1] = 0;
	}
	if (tcp_hw) {
		sum = phdr_sum(exp, &lo);
		want[lo.tcp_csum_off] = (uint8_t)(sum >> 8);
		want[lo.tcp_csum_off + 1] = (uint8_t)sum;
	}
	got = rte_pktmbuf_mtod(m, const uint8_t *);
	ts_assert_bytes(name, got, want, len);
	assert_int_equal(m->l2_len, lo.l2);
	assert_int_equal(m->l3_len, lo.l3);
	assert_int_equal(m->l4_len, lo.l4);
}

static void
run_reply(const struct tcpseg_reply_vec *t, uint64_t tx_offload, uint64_t exp_flags, bool ip_hw,
		bool tcp_hw)
{
	struct tcpseg_view v, v2;
	struct rte_mbuf *m = parsed(t->in, t->in_len, &v);

	print_message("  %s offload 0x%jx\n", t->name, (uintmax_t)tx_offload);
	assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, tx_offload), TCPSEG_OK);
	check_frame(t->name, m, t->out, t->out_len, ip_hw, tcp_hw);
	assert_int_equal(m->ol_flags, exp_flags);
	if (tx_offload == 0) {
		/* The reply parses back to the fields it was built from. */
		assert_int_equal(tcpseg_parse(m, &v2), TCPSEG_OK);
		assert_memory_equal(v2.src.v6, v.dst.v6, sizeof(v.dst.v6));
		assert_memory_equal(v2.dst.v6, v.src.v6, sizeof(v.src.v6));
		assert_int_equal(v2.sport, v.dport);
		assert_int_equal(v2.seq, t->reply.seq);
		assert_int_equal(v2.ack, t->reply.ack);
		assert_int_equal(v2.flags, t->reply.flags);
		assert_int_equal(v2.win, t->reply.win);
		assert_int_equal(v2.payload_len, 0);
		assert_int_equal(v2.n_vlan, v.n_vlan);
		assert_int_equal(!!(v2.opts.present & TCPSEG_OPT_TS), t->reply.has_ts);
		if (t->reply.has_ts) {
			assert_int_equal(v2.opts.tsval, t->reply.tsval);
			assert_int_equal(v2.opts.tsecr, t->reply.tsecr);
		}
		/* A SYN-ACK's options read back as written; other replies have none. */
		assert_int_equal(v2.opts.present & ~TCPSEG_OPT_TS, t->reply.syn_opts);
		if (t->reply.syn_opts & TCPSEG_OPT_MSS)
			assert_int_equal(v2.opts.mss, t->reply.mss);
		if (t->reply.syn_opts & TCPSEG_OPT_WSCALE)
			assert_int_equal(v2.opts.wscale, t->reply.wscale);
	}
	rte_pktmbuf_free(m);
}

/* Software checksums: the reply equals Scapy's byte for byte. */
static void
test_reply_sw(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++)
		run_reply(&tcpseg_reply_vecs[i], 0, 0, false, false);
}

/* Offloads: each checksum the port takes is 0 (IP) or the pseudo-header sum (TCP). */
static void
test_reply_offload(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++) {
		const struct tcpseg_reply_vec *t = &tcpseg_reply_vecs[i];
		bool v6 = layout_of(t->out, t->out_len).v6;

		if (v6) {
			run_reply(t, OFF_V4, RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM, false,
					true);
			run_reply(t, RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
					RTE_MBUF_F_TX_IPV6 | RTE_MBUF_F_TX_TCP_CKSUM, false, true);
			/* IPv4 header offload alone does nothing for IPv6. */
			run_reply(t, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, 0, false, false);
		} else {
			run_reply(t, OFF_V4,
					RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
							RTE_MBUF_F_TX_TCP_CKSUM,
					true, true);
			run_reply(t, RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
					RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM, false, true);
			run_reply(t, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM,
					RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM, true, false);
		}
		/* Unrelated offload bits change nothing. */
		run_reply(t, RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_VLAN_INSERT, 0,
				false, false);
	}
}

/* RFC 793 closed-port replies: the fields, then the frame. */
static void
test_closed(void **state)
{
	struct tcpseg_reply r;
	struct tcpseg_view v;
	struct rte_mbuf *m;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_closed_vecs); i++) {
		const struct tcpseg_closed_vec *t = &tcpseg_closed_vecs[i];

		print_message("  %s\n", t->name);
		m = parsed(t->in, t->in_len, &v);
		memset(&r, 0xa5, sizeof(r));
		assert_int_equal(tcpseg_closed_reply(&v, &r), t->sends);
		if (t->sends) {
			assert_int_equal(r.seq, t->reply.seq);
			assert_int_equal(r.ack, t->reply.ack);
			assert_int_equal(r.flags, t->reply.flags);
			assert_int_equal(r.win, 0);
			assert_int_equal(r.has_ts, 0);
			assert_int_equal(tcpseg_build_reply(m, &v, &r, 0), TCPSEG_OK);
			check_frame(t->name, m, t->out, t->out_len, false, false);
		}
		rte_pktmbuf_free(m);
	}
}

/* The closed-port rule on views made by hand, at the wraparound. */
static void
test_closed_fields(void **state)
{
	struct tcpseg_view v;
	struct tcpseg_reply r;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.flags = TCPSEG_SYN | TCPSEG_FIN;
	v.seq = 0xfffffffe;
	v.payload_len = 1;
	assert_true(tcpseg_closed_reply(&v, &r));
	assert_int_equal(r.flags, TCPSEG_RST | TCPSEG_ACK);
	assert_int_equal(r.seq, 0);
	assert_int_equal(r.ack, 1); /* 0xfffffffe + 1 + 1 + 1 */
	v.flags = TCPSEG_ACK | TCPSEG_SYN;
	v.ack = 77;
	assert_true(tcpseg_closed_reply(&v, &r));
	assert_int_equal(r.flags, TCPSEG_RST);
	assert_int_equal(r.seq, 77);
	assert_int_equal(r.ack, 0);
	v.flags = TCPSEG_RST | TCPSEG_SYN;
	assert_false(tcpseg_closed_reply(&v, &r));
}

/* A reply that does not fit leaves the mbuf as it was. */
static void
test_no_room(void **state)
{
	const struct tcpseg_reply_vec *t = NULL;
	struct tcpseg_reply r;
	struct tcpseg_view v;
	struct rte_mbuf *m;
	uint8_t before[256];
	unsigned int avail;
	size_t i;
	char *p;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++)
		if (strcmp(tcpseg_reply_vecs[i].name, "r4_small_ts") == 0)
			t = &tcpseg_reply_vecs[i];
	assert_non_null(t);
	assert_true(t->out_len > t->in_len);
	r = t->reply;

	/* The frame at the very end of its buffer: no tailroom for the 12 option bytes. */
	m = rte_pktmbuf_alloc(ts_pool);
	assert_non_null(m);
	m->data_off = (uint16_t)(m->buf_len - t->in_len);
	p = rte_pktmbuf_append(m, t->in_len);
	assert_non_null(p);
	memcpy(p, t->in, t->in_len);
	assert_int_equal(rte_pktmbuf_tailroom(m), 0);
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	m->ol_flags = RX_FLAGS;
	assert_int_equal(tcpseg_build_reply(m, &v, &r, OFF_V4), TCPSEG_NO_ROOM);
	assert_int_equal(rte_pktmbuf_data_len(m), t->in_len);
	assert_int_equal(rte_pktmbuf_pkt_len(m), t->in_len);
	assert_int_equal(m->ol_flags, RX_FLAGS);
	ts_assert_bytes("no room", rte_pktmbuf_mtod(m, uint8_t *), t->in, t->in_len);
	/* Without timestamps it fits (54 bytes in 54). */
	r.has_ts = 0;
	assert_int_equal(tcpseg_build_reply(m, &v, &r, 0), TCPSEG_OK);
	assert_int_equal(rte_pktmbuf_data_len(m), t->in_len);
	rte_pktmbuf_free(m);

	/* Exactly the room needed. */
	m = rte_pktmbuf_alloc(ts_pool);
	assert_non_null(m);
	m->data_off = (uint16_t)(m->buf_len - t->out_len);
	p = rte_pktmbuf_append(m, t->in_len);
	memcpy(p, t->in, t->in_len);
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, 0), TCPSEG_OK);
	check_frame("exact room", m, t->out, t->out_len, false, false);
	rte_pktmbuf_free(m);

	/* A shared mbuf is not written, and a multi-segment one keeps its chain. */
	m = ts_mbuf_segs(t->in, t->in_len, 40, 5);
	m->data_off = (uint16_t)(m->buf_len - 40);
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), t->in, 40);
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_NOT_CONTIG);
	v.l2_len = 14; /* a view made up for a first segment too short for the reply */
	avail = rte_mempool_avail_count(ts_pool);
	assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, 0), TCPSEG_NO_ROOM);
	assert_int_equal(m->nb_segs, 4);
	assert_int_equal(rte_pktmbuf_pkt_len(m), t->in_len);
	assert_int_equal(rte_mempool_avail_count(ts_pool), avail);
	assert_int_equal(ts_mbuf_bytes(m, before, sizeof(before)), t->in_len);
	ts_assert_bytes("no room, segments", before, t->in, t->in_len);
	rte_pktmbuf_free(m);

	m = parsed(t->in, t->in_len, &v);
	rte_mbuf_refcnt_update(m, 1);
	assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, 0), TCPSEG_NO_ROOM);
	ts_assert_bytes("shared", rte_pktmbuf_mtod(m, uint8_t *), t->in, t->in_len);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(m);
}

/*
 * A SYN-ACK's options count in the room check: a 54-byte frame (v4_ack, no options) at the end
 * of its buffer has room for a reply without options but not for a SYN-ACK with MSS (58
 * bytes): the mbuf is unchanged. The bit TCPSEG_OPT_SACK (not a SYN option) and unused bits
 * in syn_opts write nothing more.
 */
static void
test_syn_no_room(void **state)
{
	const struct tcpseg_parse_vec *in = NULL;
	const struct tcpseg_reply_vec *t = NULL, *mw = NULL;
	struct tcpseg_reply r;
	struct tcpseg_view v;
	struct rte_mbuf *m;
	size_t i;
	char *p;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++) {
		if (strcmp(tcpseg_reply_vecs[i].name, "sa4_m") == 0)
			t = &tcpseg_reply_vecs[i];
		if (strcmp(tcpseg_reply_vecs[i].name, "sa4_mw") == 0)
			mw = &tcpseg_reply_vecs[i];
	}
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++)
		if (strcmp(tcpseg_parse_vecs[i].name, "v4_ack") == 0)
			in = &tcpseg_parse_vecs[i];
	assert_non_null(t);
	assert_non_null(mw);
	assert_non_null(in);
	assert_int_equal(in->len, 54);
	assert_int_equal(t->out_len, 58);
	m = rte_pktmbuf_alloc(ts_pool);
	assert_non_null(m);
	m->data_off = (uint16_t)(m->buf_len - in->len);
	p = rte_pktmbuf_append(m, in->len);
	assert_non_null(p);
	memcpy(p, in->frame, in->len);
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, 0), TCPSEG_NO_ROOM);
	assert_int_equal(rte_pktmbuf_data_len(m), in->len);
	ts_assert_bytes("syn no room", rte_pktmbuf_mtod(m, uint8_t *), in->frame, in->len);
	r = t->reply;
	r.syn_opts = 0;
	assert_int_equal(tcpseg_build_reply(m, &v, &r, 0), TCPSEG_OK);
	assert_int_equal(rte_pktmbuf_data_len(m), 54);
	rte_pktmbuf_free(m);

	m = parsed(mw->in, mw->in_len, &v);
	r = mw->reply;
	r.syn_opts |= TCPSEG_OPT_SACK | 0xe0;
	assert_int_equal(tcpseg_build_reply(m, &v, &r, 0), TCPSEG_OK);
	check_frame("syn extra bits", m, mw->out, mw->out_len, false, false);
	rte_pktmbuf_free(m);
}

/* Payload in further segments: the segments go back to the pool, the reply is one segment. */
static void
test_multi_segment(void **state)
{
	struct tcpseg_view v;
	struct rte_mbuf *m;
	unsigned int avail, nb;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++) {
		const struct tcpseg_reply_vec *t = &tcpseg_reply_vecs[i];
		uint16_t hdrs;

		m = ts_mbuf(t->in, t->in_len);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		rte_pktmbuf_free(m);
		hdrs = v.l2_len + v.l3_len + v.l4_len;
		if (hdrs == t->in_len)
			continue;
		m = ts_mbuf_segs(t->in, t->in_len, hdrs, 7);
		nb = m->nb_segs;
		assert_true(nb >= 2);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		avail = rte_mempool_avail_count(ts_pool);
		assert_int_equal(tcpseg_build_reply(m, &v, &t->reply, 0), TCPSEG_OK);
		assert_int_equal(rte_mempool_avail_count(ts_pool), avail + nb - 1);
		check_frame(t->name, m, t->out, t->out_len, false, false);
		rte_pktmbuf_free(m);
		assert_int_equal(rte_mempool_avail_count(ts_pool), avail + nb);
	}
}

/*
 * Checksums at their edges (test/common/cksum_edge.h): for every vector, with and without
 * timestamps, in one segment and (with a payload) in several, every TX offload set, each of
 * tcpseg_build_reply()'s paths is driven to a TCP checksum of 0x0000 (never 0xffff) and its
 * neighbours by the reply's ack (its low half), to an IPv4 header checksum of the same values
 * by the frame's source address (the reply's destination), and, with TCP offloaded, to a
 * pseudo-header sum of 0xffff (a sum of 0 modulo 2^16 - 1: rte_ipv4_phdr_cksum() gives 0xffff,
 * not 0) and others, which a NIC completing it must turn into the right checksum.
 */
enum ck_path { CK_FAST, CK_ACK4, CK_OTHER, CK_SYN, CK_NPATH };
enum ck_kind { CK_TCP, CK_IP, CK_PHDR, CK_NKIND };

static const char *const ck_path_names[] = {"hit path", "build_ack4", "build_other", "syn"};

/* Which path tcpseg_build_reply() takes (tcpseg_build_reply(), v4_pick(), build_general()). */
static enum ck_path
ck_path_of(const struct rte_mbuf *m, const struct tcpseg_view *v, const struct tcpseg_reply *r,
		uint64_t tx)
{
	const uint64_t t = tx & OFF_V4;
	const uint32_t reply_len = 14 + 20 + 20 + (r->has_ts ? 12 : 0);

	if (r->syn_opts != 0)
		return CK_SYN;
	if (v->is_ipv6 || m->nb_segs > 1)
		return CK_OTHER;
	if (v->l2_len == 14 && v->l3_len == 20 && (t == 0 || t == OFF_V4) &&
			(v->l4_len == 32 || reply_len <= rte_pktmbuf_data_len(m)))
		return CK_FAST;
	return CK_ACK4;
}

/* Offset of the low half of the frame's IP source address. */
static uint16_t
ck_src_lo_off(const uint8_t *f, uint16_t len)
{
	const struct layout lo = layout_of(f, len);

	return (uint16_t)(lo.l2 + (lo.v6 ? 8 + 14 : 12 + 2));
}

/*
 * The reply to @p in, its source address's low half set to @p src_lo (< 0: kept), in one
 * segment or the payload split off (@p split), built with @p r and @p tx; its bytes in @p out.
 * Returns the reply's length, or 0 when a split is asked of a frame without payload.
 */
static uint16_t
ck_build(const uint8_t *in, uint16_t in_len, int32_t src_lo, bool split,
		const struct tcpseg_reply *r, uint64_t tx, uint8_t *out, enum ck_path *path)
{
	uint8_t f[256];
	struct tcpseg_view v;
	struct rte_mbuf *m;
	uint16_t hdrs, len;

	assert_true(in_len <= sizeof(f));
	memcpy(f, in, in_len);
	if (src_lo >= 0)
		ck_put_be16(f + ck_src_lo_off(f, in_len), (uint16_t)src_lo);
	m = ts_mbuf(f, in_len);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	if (split) {
		hdrs = (uint16_t)(v.l2_len + v.l3_len + v.l4_len);
		rte_pktmbuf_free(m);
		if (hdrs == in_len)
			return 0;
		m = ts_mbuf_segs(f, in_len, hdrs, 7);
		m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	}
	*path = ck_path_of(m, &v, r, tx);
	assert_int_equal(tcpseg_build_reply(m, &v, r, tx), TCPSEG_OK);
	len = (uint16_t)ts_mbuf_bytes(m, out, 256);
	rte_pktmbuf_free(m);
	return len;
}

/* The one's complement sum over the reply's TCP segment and pseudo-header (0xffff: right). */
static uint16_t
ck_tcp_verify(const uint8_t *f, const struct layout *lo)
{
	const void *ip = f + lo->l2, *th = f + lo->l2 + lo->l3;

	return lo->v6 ? __rte_ipv6_udptcp_cksum(ip, th) : __rte_ipv4_udptcp_cksum(ip, th);
}

/* DPDK's pseudo-header sum of the reply, what the TCP checksum field holds for the NIC. */
static uint16_t
ck_dpdk_phdr(const uint8_t *f, const struct layout *lo)
{
	const void *ip = f + lo->l2;

	return rte_be_to_cpu_16(lo->v6 ? rte_ipv6_phdr_cksum(ip, 0) : rte_ipv4_phdr_cksum(ip, 0));
}

static void
ck_case(const struct tcpseg_reply_vec *t, uint8_t has_ts, bool split,
		unsigned int seen[CK_NPATH][CK_NKIND])
{
	static const uint64_t txs[] = {
			0, RTE_ETH_TX_OFFLOAD_IPV4_CKSUM, RTE_ETH_TX_OFFLOAD_TCP_CKSUM, OFF_V4};
	uint8_t out[256], f[256];
	struct tcpseg_reply r = t->reply, r2;
	const uint16_t src_lo0 = ck_be16(t->in + ck_src_lo_off(t->in, t->in_len));
	enum ck_path path, path0;
	struct layout lo;
	uint16_t len, ck0, ip0, got, nic;
	size_t i, k;

	r.has_ts = has_ts;
	for (i = 0; i < RTE_DIM(txs); i++) {
		const bool tcp_hw = (txs[i] & RTE_ETH_TX_OFFLOAD_TCP_CKSUM) != 0;
		const bool ip_hw = (txs[i] & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;

		len = ck_build(t->in, t->in_len, -1, split, &r, txs[i], out, &path0);
		if (len == 0)
			return;
		lo = layout_of(out, len);
		ck0 = ck_be16(out + lo.tcp_csum_off);
		ip0 = lo.v6 ? 0 : ck_be16(out + lo.ip_csum_off);
		for (k = 0; k < RTE_DIM(ck_wants); k++) {
			const uint16_t want = ck_wants[k];

			if (!tcp_hw) {
				/* the TCP checksum, by the ack's low half */
				r2 = r;
				r2.ack = (r.ack & 0xffff0000u) |
						ck_retarget((uint16_t)r.ack, ck0, want);
				len = ck_build(t->in, t->in_len, -1, split, &r2, txs[i], out,
						&path);
				assert_int_equal(path, path0);
				got = ck_be16(out + lo.tcp_csum_off);
				if (got != ck_canonical(want))
					fail_msg("%s %s ts %u tx 0x%jx: TCP checksum 0x%04x, want "
						 "0x%04x",
							t->name, ck_path_names[path], has_ts,
							(uintmax_t)txs[i], got, ck_canonical(want));
				assert_int_equal(ck_tcp_verify(out, &lo), 0xffff);
				seen[path][CK_TCP]++;
			} else {
				/* the pseudo-header sum for the NIC, by the source address */
				len = ck_build(t->in, t->in_len,
						ck_retarget(src_lo0, (uint16_t)~ck0,
								(uint16_t)~want),
						split, &r, txs[i], out, &path);
				assert_int_equal(path, path0);
				got = ck_be16(out + lo.tcp_csum_off);
				if (got != ck_dpdk_phdr(out, &lo) ||
						got != (want == 0 ? 0xffff : want))
					fail_msg("%s %s ts %u tx 0x%jx: pseudo-header sum 0x%04x, "
						 "DPDK's 0x%04x, want 0x%04x",
							t->name, ck_path_names[path], has_ts,
							(uintmax_t)txs[i], got,
							ck_dpdk_phdr(out, &lo),
							want == 0 ? 0xffff : want);
				/* the NIC: the complement of the segment's sum, field included */
				memcpy(f, out, len);
				nic = (uint16_t)~rte_raw_cksum(f + lo.l2 + lo.l3, lo.l4);
				memcpy(f + lo.tcp_csum_off, &nic, sizeof(nic));
				assert_int_equal(ck_tcp_verify(f, &lo), 0xffff);
				assert_int_not_equal(nic, 0xffff);
				seen[path][CK_PHDR]++;
			}
			if (lo.v6 || ip_hw)
				continue;
			/* the IPv4 header checksum, by the source address */
			len = ck_build(t->in, t->in_len, ck_retarget(src_lo0, ip0, want), split, &r,
					txs[i], out, &path);
			assert_int_equal(path, path0);
			got = ck_be16(out + lo.ip_csum_off);
			if (got != ck_canonical(want))
				fail_msg("%s %s ts %u tx 0x%jx: IPv4 checksum 0x%04x, want 0x%04x",
						t->name, ck_path_names[path], has_ts,
						(uintmax_t)txs[i], got, ck_canonical(want));
			assert_int_equal(rte_raw_cksum(out + lo.l2, 20), 0xffff);
			if (!tcp_hw)
				assert_int_equal(ck_tcp_verify(out, &lo), 0xffff);
			seen[path][CK_IP]++;
		}
	}
}

static void
test_cksum_edges(void **state)
{
	unsigned int seen[CK_NPATH][CK_NKIND] = {{0}};
	size_t i;
	int p, split;
	uint8_t ts;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_reply_vecs); i++)
		for (ts = 0; ts <= 1; ts++)
			for (split = 0; split <= 1; split++)
				ck_case(&tcpseg_reply_vecs[i], ts, split, seen);
	for (p = 0; p < CK_NPATH; p++) {
		print_message("  %s: %u TCP, %u IPv4, %u pseudo-header\n", ck_path_names[p],
				seen[p][CK_TCP], seen[p][CK_IP], seen[p][CK_PHDR]);
		assert_true(seen[p][CK_TCP] > 0);
		assert_true(seen[p][CK_IP] > 0);
		assert_true(seen[p][CK_PHDR] > 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_reply_sw),
			cmocka_unit_test(test_reply_offload),
			cmocka_unit_test(test_closed),
			cmocka_unit_test(test_closed_fields),
			cmocka_unit_test(test_no_room),
			cmocka_unit_test(test_syn_no_room),
			cmocka_unit_test(test_multi_segment),
			cmocka_unit_test(test_cksum_edges),
	};
	return TS_RUN("tcpseg_reply", tests);
}
