/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_build_reply()'s hit path (lib/tcpseg/tcpseg_reply_v4.h: untagged IPv4 without IP
 * options, one segment, no SYN options) against two references, over random frames and
 * replies: a reply written here field by field with DPDK's checksum functions
 * (rte_ipv4_cksum(), rte_ipv4_udptcp_cksum(), rte_ipv4_phdr_cksum()), and the general path of
 * the library itself, taken by the same frame cut into two mbuf segments. Bytes and the mbuf's
 * fields (lengths, ol_flags, l2/l3/l4_len), for every TX offload combination; then the cases
 * the hit path must leave to the general path (no room, shared, indirect): NO_ROOM, m unchanged.
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
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>

#include "tcpseg.h"
#include "tcpseg_test_util.h"

#define OFF_IP    RTE_ETH_TX_OFFLOAD_IPV4_CKSUM
#define OFF_TCP   RTE_ETH_TX_OFFLOAD_TCP_CKSUM
#define ROUNDS    3000
#define MAX_FRAME 160

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* A received frame: Ethernet, IPv4 without options (198.18.0.0/15), TCP with @p opts. */
static uint16_t
make_frame(uint8_t *f, const uint8_t *opts, uint16_t opts_len, uint16_t payload)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(f + 14);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(f + 34);
	uint16_t l4 = (uint16_t)(20 + opts_len), len = (uint16_t)(34 + l4 + payload), i;

	for (i = 0; i < 12; i++)
		f[i] = (uint8_t)rnd();
	f[0] &= 0xfe; /* unicast */
	f[6] &= 0xfe;
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = (uint8_t)rnd();
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4 + payload));
	ip->packet_id = (uint16_t)rnd();
	ip->time_to_live = (uint8_t)(1 + rnd() % 255);
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rte_cpu_to_be_32(0xc6120000u | (rnd() & 0x1ffff));
	ip->dst_addr = rte_cpu_to_be_32(0xc6120000u | (rnd() & 0x1ffff));
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->src_port = rte_cpu_to_be_16((uint16_t)(1 + rnd() % 65535));
	th->dst_port = rte_cpu_to_be_16((uint16_t)(1 + rnd() % 65535));
	th->sent_seq = rte_cpu_to_be_32(rnd());
	th->recv_ack = rte_cpu_to_be_32(rnd());
	th->data_off = (uint8_t)((l4 / 4) << 4);
	th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	th->rx_win = (uint16_t)rnd();
	th->cksum = 0;
	th->tcp_urp = 0;
	if (opts_len != 0)
		memcpy(th + 1, opts, opts_len);
	for (i = 0; i < payload; i++)
		f[34 + l4 + i] = (uint8_t)rnd();
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return len;
}

/* The reply to frame @p in, written here field by field. Returns its length. */
static uint16_t
ref_reply(const uint8_t *in, const struct tcpseg_reply *r, uint64_t tx, uint8_t *out)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(out + 14);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(out + 34);
	const struct rte_ipv4_hdr *rip = (const struct rte_ipv4_hdr *)(in + 14);
	const struct rte_tcp_hdr *rth = (const struct rte_tcp_hdr *)(in + 34);
	uint16_t l4 = r->has_ts ? 32 : 20;
	uint32_t w;

	memcpy(out, in + 6, 6);
	memcpy(out + 6, in, 6);
	memcpy(out + 12, in + 12, 2);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4));
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = TCPSEG_REPLY_TTL;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = rip->dst_addr;
	ip->dst_addr = rip->src_addr;
	th->src_port = rth->dst_port;
	th->dst_port = rth->src_port;
	th->sent_seq = rte_cpu_to_be_32(r->seq);
	th->recv_ack = rte_cpu_to_be_32(r->ack);
	th->data_off = (uint8_t)((l4 / 4) << 4);
	th->tcp_flags = r->flags;
	th->rx_win = rte_cpu_to_be_16(r->win);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (r->has_ts) {
		w = rte_cpu_to_be_32(0x0101080a);
		memcpy(out + 54, &w, 4);
		w = rte_cpu_to_be_32(r->tsval);
		memcpy(out + 58, &w, 4);
		w = rte_cpu_to_be_32(r->tsecr);
		memcpy(out + 62, &w, 4);
	}
	th->cksum = (tx & OFF_TCP) ? rte_ipv4_phdr_cksum(ip, 0) : rte_ipv4_udptcp_cksum(ip, th);
	ip->hdr_checksum = (tx & OFF_IP) ? 0 : rte_ipv4_cksum(ip);
	return (uint16_t)(34 + l4);
}

static uint64_t
exp_ol_flags(uint64_t tx)
{
	uint64_t f = 0;

	if (tx & OFF_IP)
		f |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	if (tx & OFF_TCP)
		f |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM;
	return f;
}

/* The reply in @p m is @p exp (@p len bytes) with the mbuf fields of an IPv4 reply. */
static void
check_reply(const char *what, const struct rte_mbuf *m, const uint8_t *exp, uint16_t len,
		uint64_t tx)
{
	assert_int_equal(m->nb_segs, 1);
	assert_null(m->next);
	assert_int_equal(rte_pktmbuf_data_len(m), len);
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	ts_assert_bytes(what, rte_pktmbuf_mtod(m, const uint8_t *), exp, len);
	assert_int_equal(m->ol_flags, exp_ol_flags(tx));
	assert_int_equal(m->l2_len, 14);
	assert_int_equal(m->l3_len, 20);
	assert_int_equal(m->l4_len, len - 34);
}

static const uint8_t opt_ts[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
static const uint8_t opt_syn[] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 9, 0, 0, 0, 0, 1, 3, 3, 7};
static const uint8_t opt_sack[] = {
		1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 10, 0, 0, 0, 5, 0, 0, 0, 9};

/*
 * Random frames and replies through the hit path (one segment) and the general path (two
 * segments), both against ref_reply().
 */
static void
test_fast_vs_ref(void **state)
{
	static const uint64_t txs[] = {0, OFF_IP, OFF_TCP, OFF_IP | OFF_TCP,
			OFF_IP | OFF_TCP | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
					RTE_ETH_TX_OFFLOAD_VLAN_INSERT,
			RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE};
	static const uint8_t flags[] = {TCPSEG_ACK, TCPSEG_RST, TCPSEG_RST | TCPSEG_ACK,
			TCPSEG_ACK | TCPSEG_FIN, 0xff};
	uint8_t in[MAX_FRAME], want[MAX_FRAME];
	struct tcpseg_view v;
	struct tcpseg_reply r;
	struct rte_mbuf *m;
	uint16_t in_len, len, payload, hdrs;
	unsigned int i, fast = 0, general = 0;
	uint64_t tx;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		const uint8_t *opts = i % 4 == 0 ? NULL
				: i % 4 == 1     ? opt_ts
				: i % 4 == 2     ? opt_syn
						 : opt_sack;
		uint16_t opts_len = i % 4 == 0 ? 0
				: i % 4 == 1   ? sizeof(opt_ts)
				: i % 4 == 2   ? sizeof(opt_syn)
					       : sizeof(opt_sack);

		payload = (uint16_t)(rnd() % 3 == 0 ? 0 : 1 + rnd() % 40);
		in_len = make_frame(in, opts, opts_len, payload);
		memset(&r, 0, sizeof(r));
		r.seq = rnd();
		r.ack = rnd();
		r.win = (uint16_t)rnd();
		r.flags = flags[rnd() % RTE_DIM(flags)];
		r.has_ts = (uint8_t)(rnd() & 1);
		r.tsval = rnd();
		r.tsecr = rnd();
		tx = txs[i % RTE_DIM(txs)];
		len = ref_reply(in, &r, tx, want);

		/* one segment: the hit path when tx is 0 or both checksums */
		m = ts_mbuf(in, in_len);
		m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD;
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
		check_reply("one segment", m, want, len, tx);
		rte_pktmbuf_free(m);
		fast++;

		/* two segments (the payload apart): the general path */
		if (payload == 0)
			continue;
		hdrs = (uint16_t)(in_len - payload);
		m = ts_mbuf_segs(in, in_len, hdrs, 2048);
		assert_int_equal(m->nb_segs, 2);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
		check_reply("two segments", m, want, len, tx);
		rte_pktmbuf_free(m);
		general++;
	}
	print_message("  %u replies in one segment, %u from two\n", fast, general);
}

/* A frame the hit path would take, but for @p m's state: NO_ROOM and m unchanged. */
static void
no_room(const char *what, struct rte_mbuf *m, const uint8_t *in, uint16_t in_len,
		const struct tcpseg_reply *r, uint64_t tx)
{
	struct tcpseg_view v;
	uint64_t ol = m->ol_flags;

	assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
	assert_int_equal(tcpseg_build_reply(m, &v, r, tx), TCPSEG_NO_ROOM);
	assert_int_equal(rte_pktmbuf_data_len(m), in_len);
	assert_int_equal(rte_pktmbuf_pkt_len(m), in_len);
	assert_int_equal(m->ol_flags, ol);
	ts_assert_bytes(what, rte_pktmbuf_mtod(m, const uint8_t *), in, in_len);
}

/* Not enough room after data_off, a shared mbuf, an indirect one: left to the general path. */
static void
test_fast_refused(void **state)
{
	uint8_t in[MAX_FRAME], want[MAX_FRAME];
	struct tcpseg_reply r = {.seq = 1, .ack = 2, .win = 3, .flags = TCPSEG_ACK, .has_ts = 1};
	struct rte_mbuf *m, *c;
	struct tcpseg_view v;
	uint16_t in_len, len;
	uint64_t tx;

	(void)state;
	for (tx = 0; tx <= (OFF_IP | OFF_TCP); tx += OFF_IP | OFF_TCP) {
		/* 54 bytes at the end of the buffer, a 66-byte reply; 54 bytes fit exactly */
		in_len = make_frame(in, NULL, 0, 0);
		m = rte_pktmbuf_alloc(ts_pool);
		assert_non_null(m);
		m->data_off = (uint16_t)(m->buf_len - in_len);
		memcpy(rte_pktmbuf_append(m, in_len), in, in_len);
		no_room("no room", m, in, in_len, &r, tx);
		r.has_ts = 0;
		len = ref_reply(in, &r, tx, want);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
		check_reply("exact room", m, want, len, tx);
		r.has_ts = 1;
		rte_pktmbuf_free(m);
		/* 66 bytes in, 66 out, at the end of the buffer */
		in_len = make_frame(in, opt_ts, sizeof(opt_ts), 0);
		m = rte_pktmbuf_alloc(ts_pool);
		assert_non_null(m);
		m->data_off = (uint16_t)(m->buf_len - in_len);
		memcpy(rte_pktmbuf_append(m, in_len), in, in_len);
		len = ref_reply(in, &r, tx, want);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
		check_reply("exact room, ts", m, want, len, tx);
		rte_pktmbuf_free(m);

		/* 65 bytes (11 of payload) at the end of the buffer: one byte short of a 66-byte
		 * reply; with room after them, the reply (by the general path) */
		in_len = make_frame(in, NULL, 0, 11);
		m = rte_pktmbuf_alloc(ts_pool);
		assert_non_null(m);
		m->data_off = (uint16_t)(m->buf_len - in_len);
		memcpy(rte_pktmbuf_append(m, in_len), in, in_len);
		no_room("one byte short", m, in, in_len, &r, tx);
		rte_pktmbuf_free(m);
		m = ts_mbuf(in, in_len);
		len = ref_reply(in, &r, tx, want);
		assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
		assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
		check_reply("65 bytes, room after", m, want, len, tx);
		rte_pktmbuf_free(m);
		in_len = make_frame(in, opt_ts, sizeof(opt_ts), 0);

		/* shared: refcnt 2 */
		m = ts_mbuf(in, in_len);
		rte_mbuf_refcnt_update(m, 1);
		no_room("shared", m, in, in_len, &r, tx);
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(m);

		/* indirect: a clone's mbuf, the original's refcnt then 2 */
		m = ts_mbuf(in, in_len);
		c = rte_pktmbuf_clone(m, ts_pool);
		assert_non_null(c);
		assert_int_equal(rte_mbuf_refcnt_read(c), 1);
		no_room("indirect", c, in, in_len, &r, tx);
		no_room("cloned", m, in, in_len, &r, tx);
		rte_pktmbuf_free(c);
		rte_pktmbuf_free(m);
	}
}

/*
 * The layout word: a view of a segment with timestamps (l4_len 32) takes the reply through the
 * 64-bit compare that vouches for the room; the same view with a padding byte after l4_len set
 * (no view of tcpseg_parse() has one) goes through the 32-bit compare and the room check; both
 * give the reference bytes, with and without timestamps, for both offload sets. A view whose
 * l4_len says 32 when the frame has 20 and only 54 bytes, at the end of its buffer, would pass
 * the 64-bit compare: such a view is not the frame's (tcpseg_build_reply() takes the view
 * tcpseg_parse() made of the frame), so it is not tested.
 */
static void
test_fast_layout(void **state)
{
	uint8_t in[MAX_FRAME], want[MAX_FRAME];
	struct tcpseg_reply r = {
			.seq = 7, .ack = 9, .win = 11, .flags = TCPSEG_ACK, .tsval = 5, .tsecr = 6};
	struct tcpseg_view v;
	struct rte_mbuf *m;
	uint16_t in_len, len;
	uint64_t tx;
	int pad, ts;

	(void)state;
	in_len = make_frame(in, opt_ts, sizeof(opt_ts), 3);
	for (tx = 0; tx <= (OFF_IP | OFF_TCP); tx += OFF_IP | OFF_TCP)
		for (ts = 0; ts <= 1; ts++)
			for (pad = 0; pad <= 1; pad++) {
				r.has_ts = (uint8_t)ts;
				m = ts_mbuf(in, in_len);
				assert_int_equal(tcpseg_parse(m, &v), TCPSEG_OK);
				assert_int_equal(v.l4_len, 32);
				((uint8_t *)&v)[offsetof(struct tcpseg_view, l4_len) + 2] =
						(uint8_t)pad;
				len = ref_reply(in, &r, tx, want);
				assert_int_equal(tcpseg_build_reply(m, &v, &r, tx), TCPSEG_OK);
				check_reply(pad ? "layout, padding set" : "layout", m, want, len,
						tx);
				rte_pktmbuf_free(m);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_fast_vs_ref),
			cmocka_unit_test(test_fast_refused),
			cmocka_unit_test(test_fast_layout),
	};

	return TS_RUN("tcpseg_reply_fast", tests);
}
