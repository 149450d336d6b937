/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_parse() against frames built by Scapy (test/data/tcpseg_vectors.h): every reason
 * code, every option, malformed option lists, the view's fields; then what only an mbuf can
 * show: truncation at every byte, headers split across segments, RX checksum offload flags.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "tcpseg.h"
#include "tcpseg_cksum.h"
#include "tcpseg_test_util.h"
#include "tcpseg_vectors.h"

static const struct tcpseg_parse_vec *
find_vec(const char *name)
{
	size_t i;

	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++)
		if (strcmp(tcpseg_parse_vecs[i].name, name) == 0)
			return &tcpseg_parse_vecs[i];
	fail_msg("no vector %s", name);
	return NULL;
}

static void
check_reason(const char *name, enum tcpseg_reason got, enum tcpseg_reason exp)
{
	if (got != exp)
		fail_msg("%s: got %s, expected %s", name, tcpseg_reason_name(got),
				tcpseg_reason_name(exp));
}

/* Compare one field of the view, naming the vector on failure. */
#define VIEW_EQ(name, g, e, field) \
	do { \
		if ((uint64_t)(g)->field != (uint64_t)(e)->field) \
			fail_msg("%s: " #field " is %ju, expected %ju", (name), \
					(uintmax_t)(g)->field, (uintmax_t)(e)->field); \
	} while (0)

static void
check_view(const char *name, const struct tcpseg_view *g, const struct tcpseg_view *e)
{
	unsigned int k;

	/* Whole 16-byte keys: an IPv4 address must be followed by zeros. */
	if (memcmp(g->src.v6, e->src.v6, sizeof(g->src.v6)) != 0 ||
			memcmp(g->dst.v6, e->dst.v6, sizeof(g->dst.v6)) != 0) {
		ts_assert_bytes(name, g->src.v6, e->src.v6, sizeof(g->src.v6));
		ts_assert_bytes(name, g->dst.v6, e->dst.v6, sizeof(g->dst.v6));
	}
	VIEW_EQ(name, g, e, sport);
	VIEW_EQ(name, g, e, dport);
	VIEW_EQ(name, g, e, is_ipv6);
	VIEW_EQ(name, g, e, flags);
	VIEW_EQ(name, g, e, win);
	VIEW_EQ(name, g, e, seq);
	VIEW_EQ(name, g, e, ack);
	VIEW_EQ(name, g, e, payload_len);
	VIEW_EQ(name, g, e, n_vlan);
	VIEW_EQ(name, g, e, l2_len);
	VIEW_EQ(name, g, e, l3_len);
	VIEW_EQ(name, g, e, l4_len);
	VIEW_EQ(name, g, e, opts.present);
	VIEW_EQ(name, g, e, opts.mss);
	VIEW_EQ(name, g, e, opts.wscale);
	VIEW_EQ(name, g, e, opts.tsval);
	VIEW_EQ(name, g, e, opts.tsecr);
	VIEW_EQ(name, g, e, opts.sack_count);
	for (k = 0; k < TCPSEG_MAX_SACK; k++) {
		VIEW_EQ(name, g, e, opts.sack[k][0]);
		VIEW_EQ(name, g, e, opts.sack[k][1]);
	}
}

static enum tcpseg_reason
parse_bytes(const uint8_t *b, uint16_t len, uint64_t ol_flags, struct tcpseg_view *v)
{
	struct rte_mbuf *m = ts_mbuf(b, len);
	enum tcpseg_reason rc;

	m->ol_flags = ol_flags;
	rc = tcpseg_parse(m, v);
	rte_pktmbuf_free(m);
	return rc;
}

/* Every vector, one segment, no RX flags: software checksums. */
static void
test_vectors(void **state)
{
	bool seen[TCPSEG_REASON_MAX] = {false};
	struct tcpseg_view v;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++) {
		const struct tcpseg_parse_vec *t = &tcpseg_parse_vecs[i];

		memset(&v, 0xa5, sizeof(v));
		check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), t->reason);
		seen[t->reason] = true;
		if (t->reason == TCPSEG_OK)
			check_view(t->name, &v, &t->view);
	}
	/* Every parse reason has a vector (NOT_CONTIG and NO_ROOM are tested with mbufs). */
	for (r = 0; r < TCPSEG_REASON_MAX; r++)
		if (r != TCPSEG_NOT_CONTIG && r != TCPSEG_NO_ROOM && !seen[r])
			fail_msg("no vector for %s", tcpseg_reason_name((enum tcpseg_reason)r));
}

/*
 * Each good frame cut short at every length before the end of its TCP header: the reason names
 * the layer the cut falls in.
 */
static void
test_truncated(void **state)
{
	struct tcpseg_view v;
	size_t i;
	uint16_t len, l2, l3, l4;
	enum tcpseg_reason exp;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++) {
		const struct tcpseg_parse_vec *t = &tcpseg_parse_vecs[i];

		if (t->reason != TCPSEG_OK)
			continue;
		l2 = t->view.l2_len;
		l3 = t->view.l3_len;
		l4 = t->view.l4_len;
		for (len = 0; len < l2 + l3 + l4; len++) {
			if (len < l2)
				exp = TCPSEG_TRUNC_ETH;
			else if (len < l2 + (t->view.is_ipv6 ? 40 : 20))
				exp = TCPSEG_TRUNC_IP;
			else if (!t->view.is_ipv6 && len < l2 + l3)
				exp = TCPSEG_BAD_IHL;
			else
				exp = TCPSEG_BAD_IP_LEN; /* the IP length says more than the frame
							    has */
			if (parse_bytes(t->frame, len, 0, &v) != exp) {
				print_message("%s cut at %u\n", t->name, len);
				check_reason(t->name, parse_bytes(t->frame, len, 0, &v), exp);
			}
		}
	}
}

/*
 * Each good frame in two segments cut at every byte, then in many small segments: the headers
 * must be in the first segment (else NOT_CONTIG); the rest may be anywhere and the software
 * checksum covers it (odd segment lengths included).
 */
static void
test_segments(void **state)
{
	struct tcpseg_view v;
	struct rte_mbuf *m;
	enum tcpseg_reason rc;
	size_t i;
	uint16_t cut, hdrs;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++) {
		const struct tcpseg_parse_vec *t = &tcpseg_parse_vecs[i];

		if (t->reason != TCPSEG_OK)
			continue;
		hdrs = t->view.l2_len + t->view.l3_len + t->view.l4_len;
		for (cut = 1; cut < t->len; cut++) {
			m = ts_mbuf_segs(t->frame, t->len, cut, t->len);
			assert_int_equal(m->nb_segs, 2);
			rc = tcpseg_parse(m, &v);
			if (cut < hdrs) {
				check_reason(t->name, rc, TCPSEG_NOT_CONTIG);
			} else {
				check_reason(t->name, rc, TCPSEG_OK);
				check_view(t->name, &v, &t->view);
			}
			rte_pktmbuf_free(m);
		}
		if (t->len > hdrs) {
			m = ts_mbuf_segs(t->frame, t->len, hdrs, 3);
			check_reason(t->name, tcpseg_parse(m, &v), TCPSEG_OK);
			rte_pktmbuf_free(m);
		}
	}
}

/* A corrupted payload byte in a later segment is caught. */
static void
test_segments_bad_csum(void **state)
{
	const struct tcpseg_parse_vec *t = find_vec("tcp4_csum_payload_flip");
	const struct tcpseg_parse_vec *t6 = find_vec("tcp6_csum_payload_flip");
	struct tcpseg_view v;
	struct rte_mbuf *m;

	(void)state;
	m = ts_mbuf_segs(t->frame, t->len, 54, 1);
	check_reason(t->name, tcpseg_parse(m, &v), TCPSEG_BAD_TCP_CSUM);
	rte_pktmbuf_free(m);
	m = ts_mbuf_segs(t6->frame, t6->len, 74, 5);
	check_reason(t6->name, tcpseg_parse(m, &v), TCPSEG_BAD_TCP_CSUM);
	rte_pktmbuf_free(m);
}

/* IPv6 extension headers and IPv4 options must be in the first segment too. */
static void
test_not_contig(void **state)
{
	static const char *const names[] = {"v6_ext3", "v4_ipopts", "v4_qinq", "v4_sack4"};
	struct tcpseg_view v;
	struct rte_mbuf *m;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(names); i++) {
		const struct tcpseg_parse_vec *t = find_vec(names[i]);
		uint16_t hdrs = t->view.l2_len + t->view.l3_len + t->view.l4_len;

		m = ts_mbuf_segs(t->frame, t->len, hdrs - 1, t->len);
		check_reason(t->name, tcpseg_parse(m, &v), TCPSEG_NOT_CONTIG);
		rte_pktmbuf_free(m);
		m = ts_mbuf_segs(t->frame, t->len, hdrs, t->len);
		check_reason(t->name, tcpseg_parse(m, &v), TCPSEG_OK);
		rte_pktmbuf_free(m);
	}
}

/* RX checksum flags: GOOD and NONE are trusted, BAD rejects, UNKNOWN is checked in software. */
static void
test_rx_flags(void **state)
{
	const struct tcpseg_parse_vec *good = find_vec("v4_data");
	const struct tcpseg_parse_vec *good6 = find_vec("v6_ext3");
	const struct tcpseg_parse_vec *bad_tcp = find_vec("tcp4_csum");
	const struct tcpseg_parse_vec *bad_tcp6 = find_vec("tcp6_csum_ext");
	const struct tcpseg_parse_vec *bad_ip = find_vec("ip4_csum");
	struct tcpseg_view v;
	struct rte_mbuf *m;

	(void)state;
	/* Wrong checksum but the NIC says GOOD: trusted. */
	check_reason("l4 good",
			parse_bytes(bad_tcp->frame, bad_tcp->len, RTE_MBUF_F_RX_L4_CKSUM_GOOD, &v),
			TCPSEG_OK);
	check_reason("l4 good v6",
			parse_bytes(bad_tcp6->frame, bad_tcp6->len, RTE_MBUF_F_RX_L4_CKSUM_GOOD,
					&v),
			TCPSEG_OK);
	check_reason("l4 none",
			parse_bytes(bad_tcp->frame, bad_tcp->len, RTE_MBUF_F_RX_L4_CKSUM_NONE, &v),
			TCPSEG_OK);
	check_reason("l4 unknown",
			parse_bytes(bad_tcp->frame, bad_tcp->len, RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN,
					&v),
			TCPSEG_BAD_TCP_CSUM);
	check_reason("l4 good, ip good",
			parse_bytes(bad_tcp->frame, bad_tcp->len,
					RTE_MBUF_F_RX_L4_CKSUM_GOOD | RTE_MBUF_F_RX_IP_CKSUM_GOOD,
					&v),
			TCPSEG_OK);
	check_reason("ip good",
			parse_bytes(bad_ip->frame, bad_ip->len, RTE_MBUF_F_RX_IP_CKSUM_GOOD, &v),
			TCPSEG_OK);
	check_reason("ip none",
			parse_bytes(bad_ip->frame, bad_ip->len, RTE_MBUF_F_RX_IP_CKSUM_NONE, &v),
			TCPSEG_OK);
	check_reason("ip good, l4 bad",
			parse_bytes(bad_ip->frame, bad_ip->len,
					RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_BAD,
					&v),
			TCPSEG_BAD_TCP_CSUM);
	/* Right checksums but the NIC says BAD: rejected. */
	check_reason("l4 bad", parse_bytes(good->frame, good->len, RTE_MBUF_F_RX_L4_CKSUM_BAD, &v),
			TCPSEG_BAD_TCP_CSUM);
	check_reason("l4 bad v6",
			parse_bytes(good6->frame, good6->len, RTE_MBUF_F_RX_L4_CKSUM_BAD, &v),
			TCPSEG_BAD_TCP_CSUM);
	check_reason("ip bad", parse_bytes(good->frame, good->len, RTE_MBUF_F_RX_IP_CKSUM_BAD, &v),
			TCPSEG_BAD_IP_CSUM);
	/* IPv6 has no header checksum: an IP flag does not matter. */
	check_reason("ip bad v6",
			parse_bytes(good6->frame, good6->len, RTE_MBUF_F_RX_IP_CKSUM_BAD, &v),
			TCPSEG_OK);
	/* GOOD with the payload in further segments: nothing past the headers is read. */
	m = ts_mbuf_segs(bad_tcp->frame, bad_tcp->len, 54, 1);
	m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	check_reason("l4 good, segments", tcpseg_parse(m, &v), TCPSEG_OK);
	rte_pktmbuf_free(m);
}

/*
 * Option lists as tcp_dooptions() reads them, with the values written out here rather than
 * read back by the vector script: a malformed option (no length byte, length below 2, length
 * past the header) ends the list, keeps what came before and does not reject the segment; a
 * known kind with the wrong length is skipped.
 */
static void
test_options_malformed(void **state)
{
	static const char *const stop_only[] = {
			"opt_len0",
			"opt_len1",
			"opt_overrun",
			"opt_no_len",
			"opt_len0_v6",
	};
	const struct tcpseg_parse_vec *t;
	struct tcpseg_view v;
	size_t i;

	(void)state;
	/* The malformed option is the first one: no options, segment kept. */
	for (i = 0; i < RTE_DIM(stop_only); i++) {
		t = find_vec(stop_only[i]);
		check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
		assert_int_equal(v.opts.present, 0);
		assert_int_equal(v.flags, TCPSEG_ACK);
	}
	/* MSS 1460, WS 7, then TS of length 0, then a valid TS: MSS and WS only. */
	t = find_vec("opt_keep_before_len0");
	check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
	assert_int_equal(v.opts.present, TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE);
	assert_int_equal(v.opts.mss, 1460);
	assert_int_equal(v.opts.wscale, 7);
	assert_int_equal(v.opts.tsval, 0);
	assert_int_equal(v.flags, TCPSEG_SYN);
	assert_int_equal(v.l4_len, 44);
	/* TS and SACK-permitted, then a SACK of length 10 in 2 bytes; 4 bytes of payload. */
	t = find_vec("opt_keep_before_overrun_v6");
	check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
	assert_int_equal(v.opts.present, TCPSEG_OPT_TS | TCPSEG_OPT_SACKOK);
	assert_int_equal(v.opts.tsval, 0x01020304);
	assert_int_equal(v.opts.tsecr, 0x05060708);
	assert_int_equal(v.opts.sack_count, 0);
	assert_int_equal(v.payload_len, 4);
	assert_int_equal(v.is_ipv6, 1);
	/* MSS 536, then a window scale kind in the last byte: MSS only. */
	t = find_vec("opt_keep_before_no_len");
	check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
	assert_int_equal(v.opts.present, TCPSEG_OPT_MSS);
	assert_int_equal(v.opts.mss, 536);
	assert_int_equal(v.opts.wscale, 0);
	/* Wrong lengths: MSS 3, WS 4, TS 8, SACK 2 + 7 skipped, the MSS after them read. */
	t = find_vec("v4_opts_wrong_len");
	check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
	assert_int_equal(v.opts.present, TCPSEG_OPT_MSS);
	assert_int_equal(v.opts.mss, 536);
	/* SACK-permitted 3, TS 12 skipped, the WS after them read. */
	t = find_vec("v6_opts_wrong_len");
	check_reason(t->name, parse_bytes(t->frame, t->len, 0, &v), TCPSEG_OK);
	assert_int_equal(v.opts.present, TCPSEG_OPT_WSCALE);
	assert_int_equal(v.opts.wscale, 5);
	assert_int_equal(v.opts.tsval, 0);
}

/* The parser reads the frame only. */
static void
test_frame_unchanged(void **state)
{
	uint8_t buf[2048];
	struct tcpseg_view v;
	struct rte_mbuf *m;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++) {
		const struct tcpseg_parse_vec *t = &tcpseg_parse_vecs[i];

		m = ts_mbuf(t->frame, t->len);
		(void)tcpseg_parse(m, &v);
		assert_int_equal(ts_mbuf_bytes(m, buf, sizeof(buf)), t->len);
		ts_assert_bytes(t->name, buf, t->frame, t->len);
		rte_pktmbuf_free(m);
	}
}

/* Parse @p b split into two mbufs, the first holding @p first bytes. */
static enum tcpseg_reason
parse_segs(const uint8_t *b, uint16_t len, uint16_t first, struct tcpseg_view *v)
{
	struct rte_mbuf *m = ts_mbuf_segs(b, len, first, (uint16_t)(len - first));
	enum tcpseg_reason rc;

	assert_non_null(m);
	assert_int_equal(m->nb_segs, 2);
	rc = tcpseg_parse(m, v);
	rte_pktmbuf_free(m);
	return rc;
}

/* An IPv6 TCP frame (ACK|PSH, 20-byte header, @p plen bytes of payload) between @p src and
 * @p dst, its checksum made by DPDK's rte_ipv6_udptcp_cksum(). Returns the frame length. */
static uint16_t
ipv6_frame(uint8_t *f, const uint8_t src[16], const uint8_t dst[16], uint16_t plen, uint32_t seed)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)(eth + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	uint8_t *pl = (uint8_t *)(th + 1);
	uint16_t i;

	memset(f, 0, sizeof(*eth) + sizeof(*ip) + sizeof(*th) + plen);
	memset(&eth->dst_addr, 0x02, RTE_ETHER_ADDR_LEN);
	memset(&eth->src_addr, 0x04, RTE_ETHER_ADDR_LEN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	ip->vtc_flow = rte_cpu_to_be_32(6U << 28);
	ip->payload_len = rte_cpu_to_be_16((uint16_t)(sizeof(*th) + plen));
	ip->proto = IPPROTO_TCP;
	ip->hop_limits = 64;
	memcpy(ip->src_addr, src, 16);
	memcpy(ip->dst_addr, dst, 16);
	th->src_port = rte_cpu_to_be_16(40000);
	th->dst_port = rte_cpu_to_be_16(80);
	th->sent_seq = rte_cpu_to_be_32(seed);
	th->recv_ack = rte_cpu_to_be_32(~seed);
	th->data_off = 5 << 4;
	th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
	th->rx_win = rte_cpu_to_be_16(1024);
	for (i = 0; i < plen; i++)
		pl[i] = (uint8_t)(seed >> (i % 4 * 8)) ^ (uint8_t)i;
	th->cksum = rte_ipv6_udptcp_cksum(ip, th);
	return (uint16_t)(sizeof(*eth) + sizeof(*ip) + sizeof(*th) + plen);
}

/*
 * Software TCP checksum verification against DPDK's rte_ipv6_udptcp_cksum(): the pseudo-header
 * partial sum of 64-bit words can lie anywhere up to 2^64 - 1, so adding the length and
 * protocol words must keep its carry. Addresses chosen so that the address words sum to
 * 2^64 - 16 exactly, then random ones; every frame must pass, and with one payload byte
 * changed must fail.
 */
static void
test_cksum_carry(void **state)
{
	uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff, 0xff, 0xff, 0xfe};
	uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0};
	uint8_t f[256], both[32];
	struct tcpseg_view v;
	uint64_t s3, w3, target;
	uint32_t x = 7;
	uint16_t len, plen;
	int n, k;

	(void)state;
	memcpy(both, src, 16);
	memcpy(both + 16, dst, 8);
	s3 = tcpseg_sum(both, 24, 0);
	for (plen = 0; plen <= 40; plen++) {
		/*
		 * The last 8 bytes of dst make (k = 0) the 32 address bytes, or (k = 1) the whole
		 * pseudo-header with its length and protocol words, sum to exactly 2^64 - 16: the
		 * next addition carries out of 64 bits (in phdr_sum(), or where the chain walk's
		 * sum is added to the pseudo-header's).
		 */
		for (k = 0; k < 2; k++) {
			target = UINT64_MAX - 15;
			if (k == 1)
				target -= (uint64_t)rte_cpu_to_be_16((uint16_t)(20 + plen)) +
						rte_cpu_to_be_16(IPPROTO_TCP);
			assert_true(s3 < target);
			w3 = target - s3;
			memcpy(dst + 8, &w3, 8);
			memcpy(both + 16, dst, 16);
			assert_true(tcpseg_sum(both, 32, 0) == target);
			len = ipv6_frame(f, src, dst, plen, plen * 2654435761U);
			assert_int_equal(parse_bytes(f, len, 0, &v), TCPSEG_OK);
			/* The same frame in two mbufs, cut one byte into the payload (an odd
			 * part): the chain walk of cksum_mbuf(). */
			if (plen >= 2)
				assert_int_equal(parse_segs(f, len, 14 + 40 + 20 + 1, &v),
						TCPSEG_OK);
			if (plen == 0)
				continue;
			f[len - 1] ^= 0x01;
			assert_int_equal(parse_bytes(f, len, 0, &v), TCPSEG_BAD_TCP_CSUM);
			if (plen >= 2)
				assert_int_equal(parse_segs(f, len, 14 + 40 + 20 + 1, &v),
						TCPSEG_BAD_TCP_CSUM);
		}
	}
	/* Random addresses in 2001:db8::/32 and random payload lengths. */
	for (n = 0; n < 4000; n++) {
		for (k = 4; k < 16; k++) {
			x = x * 1103515245U + 12345U;
			src[k] = (uint8_t)(x >> 16);
			x = x * 1103515245U + 12345U;
			dst[k] = (uint8_t)(x >> 16);
		}
		plen = (uint16_t)(x % 64);
		len = ipv6_frame(f, src, dst, plen, x);
		assert_int_equal(parse_bytes(f, len, 0, &v), TCPSEG_OK);
		f[len - 1] ^= 0x80;
		assert_int_equal(parse_bytes(f, len, 0, &v), TCPSEG_BAD_TCP_CSUM);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_vectors),
			cmocka_unit_test(test_options_malformed),
			cmocka_unit_test(test_truncated),
			cmocka_unit_test(test_segments),
			cmocka_unit_test(test_segments_bad_csum),
			cmocka_unit_test(test_not_contig),
			cmocka_unit_test(test_rx_flags),
			cmocka_unit_test(test_frame_unchanged),
			cmocka_unit_test(test_cksum_carry),
	};
	return TS_RUN("tcpseg_parse", tests);
}
