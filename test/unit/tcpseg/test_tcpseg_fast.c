/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_parse()'s fast path against its general path. The parser's source is included here so
 * that its two static halves, parse_fast() (with fast_cksum_ok(), what fast_verify() runs) and
 * parse_general(), can be run apart on the same frame: whenever parse_fast() takes a frame,
 * parse_general() must accept it too and give the same view, byte for byte (padding included: both
 * views start as different garbage). The frames: every parse vector, IPv4 segments built here (no
 * options, NOP NOP TS, other option lists, payloads of 0 to 41 bytes, Ethernet padding) with their
 * checksums right, and each of them with bytes changed one at a time and cut short; each under the
 * 16 combinations of the RX checksum flags. Also checked: the frames the fast path is for are taken
 * by it (a fast path that took nothing would pass the comparison).
 */

#include "../../../lib/tcpseg/tcpseg_parse.c"
#include "../../../lib/tcpseg/tcpseg_reply_v4.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "tcpseg_test_util.h"
#include "tcpseg_vectors.h"

#define FRAME_MAX 160

static const uint64_t rx_ip_flags[] = {RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_BAD,
		RTE_MBUF_F_RX_IP_CKSUM_GOOD, RTE_MBUF_F_RX_IP_CKSUM_NONE};
static const uint64_t rx_l4_flags[] = {RTE_MBUF_F_RX_L4_CKSUM_UNKNOWN, RTE_MBUF_F_RX_L4_CKSUM_BAD,
		RTE_MBUF_F_RX_L4_CKSUM_GOOD, RTE_MBUF_F_RX_L4_CKSUM_NONE};

/* Frames parse_fast() took, over all the calls of compare_frame(). */
static unsigned long n_fast;

/*
 * Runs both halves on @p len bytes of @p b under @p ol_flags. Returns whether parse_fast()
 * took the frame.
 */
static bool
compare_one(const char *name, const uint8_t *b, uint16_t len, uint64_t ol_flags)
{
	struct tcpseg_view vf, vg, vt;
	struct rte_mbuf *m = ts_mbuf(b, len);
	const uint8_t *ip =
			rte_pktmbuf_mtod_offset(m, const uint8_t *, sizeof(struct rte_ether_hdr));
	enum tcpseg_reason rc, rt;
	enum fast_rc fr;
	uint32_t tlen = 0;
	bool fast = false;
	size_t i;

	m->ol_flags = ol_flags;
	memset(&vf, 0xa5, sizeof(vf));
	memset(&vg, 0x5a, sizeof(vg));
	memset(&vt, 0x3c, sizeof(vt));
	fr = parse_fast(m, &vf, &tlen);
	if (fr != FAST_NO) {
		/* what fast_verify() does, without its fall back to parse_general() */
		fast = !(fr & FAST_VERIFY) || fast_cksum_ok(ol_flags & FAST_CK_MASK, ip, tlen);
		if (fast && (fr & FAST_OPTS))
			assert_int_equal(fast_opts(m, &vf, FAST_OPTS), TCPSEG_OK);
	}
	rc = parse_general(m, &vg);
	/* and the whole of tcpseg_parse(): the same reason and view as parse_general() */
	rt = tcpseg_parse(m, &vt);
	rte_pktmbuf_free(m);
	if (rt != rc)
		fail_msg("%s (len %u, ol_flags %#jx): tcpseg_parse() %s, parse_general() %s", name,
				len, (uintmax_t)ol_flags, tcpseg_reason_name(rt),
				tcpseg_reason_name(rc));
	if (rc == TCPSEG_OK && memcmp(&vt, &vg, sizeof(vt)) != 0)
		fail_msg("%s (len %u, ol_flags %#jx): tcpseg_parse() and parse_general() views "
			 "differ",
				name, len, (uintmax_t)ol_flags);
	if (!fast)
		return false;
	n_fast++;
	if (rc != TCPSEG_OK)
		fail_msg("%s (len %u, ol_flags %#jx): fast path took a frame the general path "
			 "rejects (%s)",
				name, len, (uintmax_t)ol_flags, tcpseg_reason_name(rc));
	for (i = 0; i < sizeof(vf); i++)
		if (((const uint8_t *)&vf)[i] != ((const uint8_t *)&vg)[i])
			fail_msg("%s (len %u, ol_flags %#jx): views differ at byte %zu: fast %#x, "
				 "general %#x",
					name, len, (uintmax_t)ol_flags, i,
					((const uint8_t *)&vf)[i], ((const uint8_t *)&vg)[i]);
	return true;
}

/*
 * compare_one() under every combination of the RX checksum flags. With @p fast, the frame is
 * one the fast path is for: it must take it under every combination without a BAD flag.
 */
static void
compare_flags(const char *name, const uint8_t *b, uint16_t len, bool fast)
{
	size_t i, j;
	bool bad, took;

	for (i = 0; i < RTE_DIM(rx_ip_flags); i++)
		for (j = 0; j < RTE_DIM(rx_l4_flags); j++) {
			bad = rx_ip_flags[i] == RTE_MBUF_F_RX_IP_CKSUM_BAD ||
					rx_l4_flags[j] == RTE_MBUF_F_RX_L4_CKSUM_BAD;
			took = compare_one(name, b, len, rx_ip_flags[i] | rx_l4_flags[j]);
			if (fast && took != !bad)
				fail_msg("%s (len %u, ol_flags %#jx): fast path %s", name, len,
						(uintmax_t)(rx_ip_flags[i] | rx_l4_flags[j]),
						took ? "took a BAD frame"
						     : "did not take the frame");
		}
}

static void
compare_frame(const char *name, const uint8_t *b, uint16_t len)
{
	compare_flags(name, b, len, false);
}

/*
 * An IPv4 segment 198.18.0.1:40000 -> 198.18.0.2:80 with @p opts (@p olen bytes, a multiple
 * of 4) and @p plen bytes of payload, checksums by DPDK's helpers; padded with zeros to 60
 * bytes as Ethernet pads. Returns the frame's length.
 */
static uint16_t
mk_frame(uint8_t *f, const uint8_t *opts, uint32_t olen, uint32_t plen, uint8_t flags)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	uint8_t *pl = (uint8_t *)(th + 1) + olen;
	uint32_t len, i;

	memset(f, 0, FRAME_MAX);
	memset(&eh->dst_addr, 0x02, sizeof(eh->dst_addr));
	memset(&eh->src_addr, 0x04, sizeof(eh->src_addr));
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + sizeof(*th) + olen + plen));
	ip->packet_id = RTE_BE16(0x1234);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	/* 198.18.0.1 and .2 (RTE_IPV4(198, ...) shifts into the sign bit: UBSan) */
	ip->src_addr = RTE_BE32(UINT32_C(0xc6120001));
	ip->dst_addr = RTE_BE32(UINT32_C(0xc6120002));
	th->src_port = RTE_BE16(40000);
	th->dst_port = RTE_BE16(80);
	th->sent_seq = RTE_BE32(0x89abcdef);
	th->recv_ack = RTE_BE32(0xfedcba98);
	th->data_off = (uint8_t)(((sizeof(*th) + olen) / 4) << 4);
	th->tcp_flags = flags;
	th->rx_win = RTE_BE16(0xfff0);
	memcpy(th + 1, opts, olen);
	for (i = 0; i < plen; i++)
		pl[i] = (uint8_t)(0xff - i * 7);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	len = sizeof(*eh) + sizeof(*ip) + sizeof(*th) + olen + plen;
	return (uint16_t)RTE_MAX(len, (uint32_t)RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN);
}

/* Option lists: none, NOP NOP TS, then lists the fast path leaves to tcpseg_opts_read(). */
static const struct {
	const char *name;
	uint8_t len;
	uint8_t b[40];
} opt_lists[] = {
		{"none", 0, {0}},
		{"nop_nop_ts", 12, {1, 1, 8, 10, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}},
		{"ts_nop_nop", 12, {8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1}},
		{"mss", 4, {2, 4, 0x05, 0xb4}},
		{"nop_nop_ts_sack1", 24,
				{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, 1, 1, 5, 10, 0xa, 0xb, 0xc,
						0xd, 0xe, 0xf, 0x10, 0x11}},
		{"linux_syn", 20,
				{2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 3, 3,
						7}},
		{"nop_nop_ts_bad_len", 12, {1, 1, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8}},
		{"eol", 4, {0, 0, 0, 0}},
};

static const uint8_t seg_flags[] = {TCPSEG_ACK, TCPSEG_ACK | TCPSEG_PSH, TCPSEG_SYN, TCPSEG_RST,
		TCPSEG_FIN | TCPSEG_ACK};

/* Every parse vector. */
static void
test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++)
		compare_frame(tcpseg_parse_vecs[i].name, tcpseg_parse_vecs[i].frame,
				tcpseg_parse_vecs[i].len);
}

/* Built segments, whole: every option list, payloads 0..41, several flags. */
static void
test_built(void **state)
{
	uint8_t f[FRAME_MAX];
	uint32_t plen;
	uint16_t len;
	size_t o, k;

	(void)state;
	for (o = 0; o < RTE_DIM(opt_lists); o++)
		for (plen = 0; plen <= 41; plen++)
			for (k = 0; k < RTE_DIM(seg_flags); k++) {
				len = mk_frame(f, opt_lists[o].b, opt_lists[o].len, plen,
						seg_flags[k]);
				compare_frame(opt_lists[o].name, f, len);
			}
}

/* Built segments with one byte changed (each byte up to the payload, 4 values), or cut short. */
static void
test_mutated(void **state)
{
	static const uint8_t xors[] = {0x01, 0x10, 0x80, 0xff};
	uint8_t f[FRAME_MAX], g[FRAME_MAX];
	uint32_t plen;
	uint16_t len, i, cut;
	size_t o, x;

	(void)state;
	for (o = 0; o < RTE_DIM(opt_lists); o++)
		for (plen = 0; plen <= 17; plen += 17) {
			len = mk_frame(f, opt_lists[o].b, opt_lists[o].len, plen, TCPSEG_ACK);
			for (i = 0; i < len; i++)
				for (x = 0; x < RTE_DIM(xors); x++) {
					memcpy(g, f, len);
					g[i] ^= xors[x];
					compare_frame(opt_lists[o].name, g, len);
				}
			for (cut = 0; cut < len; cut++)
				compare_frame(opt_lists[o].name, f, cut);
		}
}

/*
 * The frames the fast path is for (no options or NOP NOP TS, every payload length and flags of
 * test_built) are taken by it, under every flag it does not reject.
 */
static void
test_fast_taken(void **state)
{
	uint8_t f[FRAME_MAX];
	uint32_t plen;
	uint16_t len;
	size_t o, k;

	(void)state;
	for (o = 0; o < 2; o++) /* none, NOP NOP TS */
		for (plen = 0; plen <= 41; plen++)
			for (k = 0; k < RTE_DIM(seg_flags); k++) {
				len = mk_frame(f, opt_lists[o].b, opt_lists[o].len, plen,
						seg_flags[k]);
				compare_flags(opt_lists[o].name, f, len, true);
			}
	/* and a fair share of all the frames of the other tests */
	assert_true(n_fast > 10000);
}

/*
 * tcpseg_sum_long() and tcpseg_sum40_tail() (the fast path's sums) against tcpseg_sum(): the same
 * fold for random bytes of every length from 16 to 200 at every offset parity, all-ones bytes,
 * random and extreme starting sums.
 */
static void
test_sum_long(void **state)
{
	static const uint64_t starts[] = {0, 1, 0xffff, UINT64_MAX - 1, UINT64_MAX};
	uint8_t buf[216];
	uint64_t x = 0x9e3779b97f4a7c15, s0;
	uint32_t len, off, i, k, fill;

	(void)state;
	for (fill = 0; fill < 3; fill++)
		for (len = 16; len <= 200; len++)
			for (off = 0; off < 2; off++)
				for (k = 0; k < RTE_DIM(starts) + 2; k++) {
					for (i = 0; i < sizeof(buf); i++) {
						x ^= x << 13, x ^= x >> 7, x ^= x << 17;
						buf[i] = fill == 0          ? (uint8_t)x
								: fill == 1 ? 0xff
									    : 0;
					}
					s0 = k < RTE_DIM(starts) ? starts[k] : x;
					if (tcpseg_fold(tcpseg_sum(buf + off, len, s0)) !=
							tcpseg_fold(tcpseg_sum_long(
									buf + off, len, s0)))
						fail_msg("len %u off %u start %#jx: sums differ",
								len, off, (uintmax_t)s0);
					if (len >= 40 &&
							tcpseg_fold(tcpseg_sum(
									buf + off, len, s0)) !=
									tcpseg_fold(tcpseg_sum40_tail(
											buf + off,
											len - 40,
											s0)))
						fail_msg("len %u off %u start %#jx: sum40_tail "
							 "differs",
								len, off, (uintmax_t)s0);
					if (tcpseg_sum_good(tcpseg_sum_long(buf + off, len, s0)) !=
									(tcpseg_fold(tcpseg_sum(
											 buf + off,
											 len,
											 s0)) ==
											CKSUM_GOOD) &&
							tcpseg_sum(buf + off, len, s0) != 0)
						fail_msg("len %u off %u: tcpseg_sum_good() wrong",
								len, off);
				}
}

/* The 16-bit one's complement fold of @p x by its definition: 0 for 0, else the value in
 * 1..0xffff congruent to x modulo 2^16 - 1 (so 0xffff, never 0, for a non-zero multiple). */
static uint16_t
ref_fold(uint64_t x)
{
	return x == 0 ? 0 : (uint16_t)((x - 1) % 0xffff + 1);
}

/*
 * tcpseg_fold() and the hit path's folds (tcpseg_fold32(); tcpseg_reply_v4.h: v4_halves(),
 * v4_add32_3(), v4_add64_3()) against ref_fold() at the edges, where a checksum is 0 (a sum
 * that is a multiple of 2^16 - 1 must fold to 0xffff, whose complement is 0x0000, not to 0),
 * 0x0001 or 0xfffe, and at random: a fold that gave 0 for 0xffff would write 0xffff.
 */
static void
test_fold(void **state)
{
	static const uint64_t edges[] = {0, 1, 2, 0xfffe, 0xffff, 0x10000, 0x10001, 0x1fffe,
			0x1ffff, 0xfffeffff, 0xffff0000, 0xffff0001, 0xffffffff, 0x100000000,
			0xffff00000000, 0xffffffffffff, 0x8000000000000000, 0xfffefffefffeffff,
			0xfffffffffffeffff, 0xfffffffffffffffe, UINT64_MAX};
	uint64_t x = 0x2545f4914f6cdd1d, w;
	uint32_t lo, hi;
	unsigned int i, d;

	(void)state;
	for (i = 0; i < RTE_DIM(edges) + 300000; i++) {
		if (i < RTE_DIM(edges)) {
			w = edges[i];
		} else {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* a multiple of 0xffff, or 1 or 2 off one, or anything */
			d = (unsigned int)(x >> 60);
			w = (x >> 8) / 0xffff * 0xffff;
			w = d < 4 ? w : d < 6 ? w + 1 : d < 8 ? w - 1 : d < 10 ? w + 0xfffe : x;
		}
		if (tcpseg_fold(w) != ref_fold(w))
			fail_msg("tcpseg_fold(%#jx) = %#x, want %#x", (uintmax_t)w, tcpseg_fold(w),
					ref_fold(w));
		lo = (uint32_t)w;
		hi = (uint32_t)(w >> 32);
		if (tcpseg_fold32(lo) != ref_fold(lo))
			fail_msg("tcpseg_fold32(%#x) = %#x, want %#x", lo, tcpseg_fold32(lo),
					ref_fold(lo));
		if (w != 0 && tcpseg_fold32(v4_halves(w, w >> 32 | w << 32)) != ref_fold(w))
			fail_msg("v4_halves(%#jx) folds to %#x, want %#x", (uintmax_t)w,
					tcpseg_fold32(v4_halves(w, w >> 32 | w << 32)),
					ref_fold(w));
		if ((lo | hi) != 0 &&
				tcpseg_fold32(v4_add32_3(lo, hi, 0)) != ref_fold((uint64_t)lo + hi))
			fail_msg("v4_add32_3(%#x, %#x) folds wrong", lo, hi);
		if (w != 0 &&
				tcpseg_fold(v4_add64_3(w, x, w)) !=
						ref_fold((uint64_t)ref_fold(w) * 2 + ref_fold(x)))
			fail_msg("v4_add64_3(%#jx, %#jx) folds wrong", (uintmax_t)w, (uintmax_t)x);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_vectors),
			cmocka_unit_test(test_built),
			cmocka_unit_test(test_mutated),
			cmocka_unit_test(test_fast_taken),
			cmocka_unit_test(test_sum_long),
			cmocka_unit_test(test_fold),
	};
	int rc = TS_RUN("tcpseg_fast", tests);

	printf("frames taken by the fast path: %lu\n", n_fast);
	return rc;
}
