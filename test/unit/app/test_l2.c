/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * app/l2.c: every vector of test/data/l2_vectors.h (built by Scapy) through app_l2_input():
 * its result, the exact reply frame for an answer, the frame untouched otherwise; the same
 * frames cut into several mbuf segments; the address list parser.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "cksum_edge.h"
#include "l2.h"
#include "l2_vectors.h"
#include "tcpseg_test_util.h"

static struct app_l2 l2_plain, l2_promisc;

static void
setup_addrs(struct app_l2 *l2, bool promisc)
{
	const struct rte_ether_addr mac = L2_VEC_MAC;
	char err[128] = "";

	app_l2_init(l2, &mac, promisc);
	assert_int_equal(app_l2_add_addresses(l2, L2_VEC_ADDRESSES, err, sizeof(err)), 0);
	assert_int_equal(l2->n4, 2);
	assert_int_equal(l2->n6, 2);
}

/* One vector in an mbuf cut as first/rest (0: one segment). */
static void
run_vec(const struct l2_vec *v, uint16_t first, uint16_t rest)
{
	const struct app_l2 *l2 = v->promisc ? &l2_promisc : &l2_plain;
	static uint8_t got[2048];
	struct rte_mbuf *m = first != 0 ? ts_mbuf_segs(v->in, v->in_len, first, rest)
					: ts_mbuf(v->in, v->in_len);
	enum app_l2_result r;
	uint32_t len;
	char what[160];

	assert_non_null(m);
	r = app_l2_input(l2, m);
	if (r != v->result)
		fail_msg("%s (segments %u/%u): result %s, want %s", v->name, first, rest,
				app_l2_result_name(r), app_l2_result_name(v->result));
	len = ts_mbuf_bytes(m, got, sizeof(got));
	snprintf(what, sizeof(what), "%s (segments %u/%u)", v->name, first, rest);
	if (v->out != NULL) {
		assert_true(app_l2_is_tx(r));
		if (len != v->out_len)
			fail_msg("%s: reply length %u, want %u", what, len, v->out_len);
		ts_assert_bytes(what, got, v->out, len);
		assert_int_equal(m->ol_flags, 0);
	} else {
		/* Not answered: the frame is left exactly as it came. */
		assert_false(app_l2_is_tx(r));
		assert_int_equal(len, v->in_len);
		ts_assert_bytes(what, got, v->in, len);
	}
	rte_pktmbuf_free(m);
}

static void
test_vectors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(l2_vecs); i++)
		run_vec(&l2_vecs[i], 0, 0);
}

/*
 * Echo requests with their payload in further segments are answered (the checksum runs
 * over the chain); frames whose headers are split are not answered in place but never
 * misread: NO_ROOM or TRUNC, or the same result when the split is after what is read.
 */
static void
test_segments(void **state)
{
	size_t i;
	unsigned int n_multi = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(l2_vecs); i++) {
		const struct l2_vec *v = &l2_vecs[i];
		const struct app_l2 *l2 = v->promisc ? &l2_promisc : &l2_plain;
		uint16_t first;

		if (strncmp(v->name, "echo", 4) == 0 && v->out != NULL && v->in_len > 80) {
			/* headers in the first segment, payload in 7-byte pieces */
			const uint16_t hdr = (uint16_t)(v->in_len - 48 + 4);

			run_vec(v, hdr, 7);
			n_multi++;
			continue;
		}
		for (first = 1; first < v->in_len; first = (uint16_t)(first * 2 + 1)) {
			struct rte_mbuf *m = ts_mbuf_segs(v->in, v->in_len, first, 5);
			enum app_l2_result r;

			assert_non_null(m);
			r = app_l2_input(l2, m);
			if (r != v->result && r != APP_L2_NO_ROOM && r != APP_L2_TRUNC &&
					!(v->promisc && r == APP_L2_PASS))
				fail_msg("%s split at %u: %s, want %s or no_room", v->name, first,
						app_l2_result_name(r),
						app_l2_result_name(v->result));
			if (app_l2_is_tx(r)) {
				static uint8_t got[2048];
				const uint32_t len = ts_mbuf_bytes(m, got, sizeof(got));

				assert_int_equal(len, v->out_len);
				ts_assert_bytes(v->name, got, v->out, len);
			}
			rte_pktmbuf_free(m);
		}
	}
	assert_true(n_multi >= 3);
}

/* The reply to a solicitation without option needs 8 more bytes: no tailroom, no reply. */
static void
test_no_tailroom(void **state)
{
	const struct l2_vec *v = NULL;
	struct rte_mbuf *m;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(l2_vecs); i++)
		if (strcmp(l2_vecs[i].name, "ns_unicast_no_option") == 0)
			v = &l2_vecs[i];
	assert_non_null(v);
	m = rte_pktmbuf_alloc(ts_pool);
	assert_non_null(m);
	/* the frame at the very end of the buffer */
	m->data_off = (uint16_t)(m->buf_len - v->in_len);
	memcpy(rte_pktmbuf_append(m, v->in_len), v->in, v->in_len);
	assert_int_equal(app_l2_input(&l2_plain, m), APP_L2_NO_ROOM);
	assert_int_equal(rte_pktmbuf_pkt_len(m), v->in_len);
	assert_memory_equal(rte_pktmbuf_mtod(m, void *), v->in, v->in_len);
	rte_pktmbuf_free(m);
}

/* No address configured: nothing is ours, nothing is answered. */
static void
test_no_addresses(void **state)
{
	const struct rte_ether_addr mac = L2_VEC_MAC;
	struct app_l2 l2;
	size_t i;

	(void)state;
	app_l2_init(&l2, &mac, false);
	for (i = 0; i < RTE_DIM(l2_vecs); i++) {
		struct rte_mbuf *m = ts_mbuf(l2_vecs[i].in, l2_vecs[i].in_len);
		enum app_l2_result r = app_l2_input(&l2, m);

		if (app_l2_is_tx(r) || r == APP_L2_PASS)
			fail_msg("%s answered or passed with no address: %s", l2_vecs[i].name,
					app_l2_result_name(r));
		rte_pktmbuf_free(m);
	}
}

static void
test_parse_addresses(void **state)
{
	static const char *const bad[] = {"198.18.0.1, nonsense", "224.0.0.1", "0.0.0.0",
			"255.255.255.255", "ff02::1", "::", "198.18.0.1/24", "2001:db8::1::2",
			"198.18.0.256"};
	const struct rte_ether_addr mac = L2_VEC_MAC;
	struct app_l2 l2;
	char err[128];
	size_t i;
	char many[16 * 20 + 1] = "";

	(void)state;
	for (i = 0; i < RTE_DIM(bad); i++) {
		app_l2_init(&l2, &mac, false);
		err[0] = '\0';
		if (app_l2_add_addresses(&l2, bad[i], err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(err[0] != '\0');
	}
	app_l2_init(&l2, &mac, false);
	assert_int_equal(app_l2_add_addresses(&l2, "  ", err, sizeof(err)), 0);
	assert_int_equal(l2.n4 + l2.n6, 0);
	/* duplicates count once */
	assert_int_equal(app_l2_add_addresses(&l2,
					 "198.18.0.1,198.18.0.1 2001:db8::1, "
					 "2001:DB8:0::1",
					 err, sizeof(err)),
			0);
	assert_int_equal(l2.n4, 1);
	assert_int_equal(l2.n6, 1);
	assert_true(app_l2_has_v4(&l2, RTE_BE32(0xc6120001)));
	assert_false(app_l2_has_v4(&l2, RTE_BE32(0xc6120002)));
	/* more than APP_L2_MAX_ADDRS of a family */
	app_l2_init(&l2, &mac, false);
	for (i = 0; i <= APP_L2_MAX_ADDRS; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "198.18.1.%zu ", i + 1);
	assert_int_equal(app_l2_add_addresses(&l2, many, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than"));
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(app_l2_result_name(APP_L2_PASS), "pass");
	assert_string_equal(app_l2_result_name(APP_L2_NOT_OUR_MAC), "not_our_mac");
	assert_string_equal(app_l2_result_name(APP_L2_ND_ADVERT), "nd_advert");
	assert_string_equal(app_l2_result_name(APP_L2_RESULT_MAX), "unknown");
	assert_true(strlen(app_l2_result_desc(APP_L2_NO_ROOM)) > 10);
	assert_true(app_l2_is_tx(APP_L2_ECHO6_REPLY));
	assert_false(app_l2_is_tx(APP_L2_PASS));
	assert_false(app_l2_is_tx(APP_L2_NOT_OUR_MAC));
}

/*
 * Checksums at their edges (test/common/cksum_edge.h): the echo replies' ICMP and ICMPv6
 * checksums driven to 0x0000 (never 0xffff) and their neighbours by the request's
 * identifier, the echo reply's IPv4 header checksum by the request's IP identification
 * (kept), the Neighbor Advertisement's checksum by the solicitation's source address (the
 * advertisement's destination), that of a duplicate address detection, whose every field is
 * ours, by our MAC address's last two bytes (in the target link-layer address option); in one
 * segment and with the data in odd-sized segments. An
 * ICMP echo reply has no pseudo-header: of an all-zero request (identifier, sequence 0, no
 * data) it is all zero but its checksum, which must then be 0xffff, the only value that
 * verifies.
 */
enum ck_msg { CK_ECHO4, CK_ECHO6, CK_NS, CK_DAD };

#define CK_DATA 11 /* echo data bytes: odd, so that split segments start at odd offsets */

/*
 * A request to 198.18.0.2 / 2001:db8::2 from .9 / ::9 with @p w16 in its free word (echo
 * identifier, or for a solicitation the source address's low half), @p ip_id the IPv4
 * identification; @p zero: an echo request with identifier, sequence and data 0. CK_DAD: a
 * solicitation from :: to the target's solicited-node group. Checksums right. Returns its
 * length.
 */
static uint16_t
ck_request(enum ck_msg k, uint16_t w16, uint16_t ip_id, bool zero, uint8_t *f)
{
	static const uint8_t our6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	uint16_t len, ck, i, data = zero ? 0 : CK_DATA;
	uint8_t *l3 = f + 14, *l4;

	memset(f, 0, 256);
	f[0] = 0x02;
	f[5] = 0x02; /* L2_VEC_MAC */
	f[6] = 0x02;
	f[11] = 0x09;
	if (k == CK_ECHO4) {
		ck_put_be16(f + 12, 0x0800);
		len = (uint16_t)(20 + 8 + data);
		l3[0] = 0x45;
		ck_put_be16(l3 + 2, len);
		ck_put_be16(l3 + 4, ip_id);
		l3[8] = 17;
		l3[9] = IPPROTO_ICMP;
		memcpy(l3 + 12, "\xc6\x12\x00\x09\xc6\x12\x00\x02", 8);
		l4 = l3 + 20;
		l4[0] = 8;
		if (!zero) {
			ck_put_be16(l4 + 4, w16);
			ck_put_be16(l4 + 6, 0x0102);
			for (i = 0; i < data; i++)
				l4[8 + i] = (uint8_t)(0x30 + i);
		}
		ck = (uint16_t)~rte_raw_cksum(l3, 20);
		memcpy(l3 + 10, &ck, 2);
		ck = (uint16_t)~rte_raw_cksum(l4, 8 + data);
		memcpy(l4 + 2, &ck, 2);
		return (uint16_t)(14 + len);
	}
	ck_put_be16(f + 12, 0x86dd);
	l3[0] = 0x60;
	l3[6] = IPPROTO_ICMPV6;
	memcpy(l3 + 8, our6, 16);
	l3[8 + 15] = 9;
	memcpy(l3 + 24, our6, 16);
	l4 = l3 + 40;
	if (k == CK_ECHO6) {
		len = (uint16_t)(8 + data);
		l3[7] = 64;
		l4[0] = 128;
		ck_put_be16(l4 + 4, w16);
		ck_put_be16(l4 + 6, 0x0102);
		for (i = 0; i < data; i++)
			l4[8 + i] = (uint8_t)(0x30 + i);
	} else {
		len = 24;
		l3[7] = 255;
		ck_put_be16(l3 + 8 + 14, w16);
		l4[0] = 135;
		memcpy(l4 + 8, our6, 16);
	}
	if (k == CK_DAD) {
		memcpy(f, "\x33\x33\xff\x00\x00\x02", 6);
		memset(l3 + 8, 0, 16);
		memcpy(l3 + 24, "\xff\x02\0\0\0\0\0\0\0\0\0\x01\xff\x00\x00\x02", 16);
	}
	ck_put_be16(l3 + 4, len);
	ck = rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)l3, l4);
	memcpy(l4 + 2, &ck, 2);
	return (uint16_t)(14 + 40 + len);
}

/* Its reply through app_l2_input() (split: the data in 7-byte segments), in @p out. CK_DAD: our
 * MAC address's last two bytes are @p w16. */
static void
ck_reply(enum ck_msg k, uint16_t w16, uint16_t ip_id, bool zero, bool split, uint8_t *out)
{
	static const enum app_l2_result res[] = {
			APP_L2_ECHO4_REPLY, APP_L2_ECHO6_REPLY, APP_L2_ND_ADVERT, APP_L2_ND_ADVERT};
	static struct app_l2 l2_mac;
	const struct app_l2 *l2 = &l2_plain;
	uint8_t f[256];
	const uint16_t len = ck_request(k, w16, ip_id, zero, f);
	const uint16_t hdrs = (uint16_t)(k == CK_ECHO4 ? 14 + 20 + 8 : 14 + 40 + 8);
	struct rte_mbuf *m = split && k < CK_NS && len > hdrs ? ts_mbuf_segs(f, len, hdrs, 7)
							      : ts_mbuf(f, len);
	enum app_l2_result r;

	assert_non_null(m);
	if (k == CK_DAD) {
		const struct rte_ether_addr mac = {
				{0x02, 0, 0, 0, (uint8_t)(w16 >> 8), (uint8_t)w16}};
		char err[128] = "";

		app_l2_init(&l2_mac, &mac, false);
		assert_int_equal(app_l2_add_addresses(&l2_mac, L2_VEC_ADDRESSES, err, sizeof(err)),
				0);
		l2 = &l2_mac;
	}
	r = app_l2_input(l2, m);
	if (r != res[k])
		fail_msg("request %d: %s", k, app_l2_result_name(r));
	ts_mbuf_bytes(m, out, 256);
	rte_pktmbuf_free(m);
	if (k == CK_DAD) /* the defence, to all nodes */
		assert_memory_equal(out + 14 + 24, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}

/* The reply's ICMP or ICMPv6 checksum and its verification (0xffff: right). */
static uint16_t
ck_icmp(enum ck_msg k, const uint8_t *out, uint16_t *verify)
{
	const uint8_t *l3 = out + 14;

	if (k == CK_ECHO4) {
		*verify = rte_raw_cksum(l3 + 20, ck_be16(l3 + 2) - 20u);
		return ck_be16(l3 + 20 + 2);
	}
	*verify = __rte_ipv6_udptcp_cksum((const struct rte_ipv6_hdr *)l3, l3 + 40);
	return ck_be16(l3 + 40 + 2);
}

static void
test_cksum_edges(void **state)
{
	static const char *const names[] = {"echo", "echo6", "nd", "nd dad"};
	uint8_t out[256];
	uint16_t w0, ck0, got, verify;
	unsigned int n = 0;
	size_t i;
	int k, split;

	(void)state;
	for (k = CK_ECHO4; k <= CK_DAD; k++)
		for (split = 0; split <= 1; split++) {
			w0 = k == CK_NS ? 9 : k == CK_DAD ? 2 : 0x4242;
			ck_reply(k, w0, 0x1111, false, split, out);
			ck0 = ck_icmp(k, out, &verify);
			assert_int_equal(verify, 0xffff);
			for (i = 0; i < RTE_DIM(ck_wants); i++) {
				ck_reply(k, ck_retarget(w0, ck0, ck_wants[i]), 0x1111, false, split,
						out);
				got = ck_icmp(k, out, &verify);
				if (got != ck_canonical(ck_wants[i]))
					fail_msg("%s (split %d): checksum 0x%04x, want 0x%04x",
							names[k], split, got,
							ck_canonical(ck_wants[i]));
				assert_int_equal(verify, 0xffff);
				n++;
			}
		}
	/* the echo reply's IPv4 header, by the identification the reply keeps */
	ck_reply(CK_ECHO4, 1, 0x1111, false, false, out);
	ck0 = ck_be16(out + 14 + 10);
	for (i = 0; i < RTE_DIM(ck_wants); i++) {
		ck_reply(CK_ECHO4, 1, ck_retarget(0x1111, ck0, ck_wants[i]), false, false, out);
		got = ck_be16(out + 14 + 10);
		if (got != ck_canonical(ck_wants[i]))
			fail_msg("echo: IPv4 checksum 0x%04x, want 0x%04x", got,
					ck_canonical(ck_wants[i]));
		assert_int_equal(rte_raw_cksum(out + 14, 20), 0xffff);
		n++;
	}
	/* all zero but the checksum: 0xffff, the sum of the rest being +0 */
	ck_reply(CK_ECHO4, 0, 0x1111, true, false, out);
	assert_int_equal(ck_icmp(CK_ECHO4, out, &verify), 0xffff);
	assert_int_equal(verify, 0xffff);
	print_message("  %u replies at a checksum edge\n", n + 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_vectors),
			cmocka_unit_test(test_segments),
			cmocka_unit_test(test_no_tailroom),
			cmocka_unit_test(test_no_addresses),
			cmocka_unit_test(test_parse_addresses),
			cmocka_unit_test(test_names),
			cmocka_unit_test(test_cksum_edges),
	};

	if (ts_setup("test_l2") != 0)
		return 1;
	setup_addrs(&l2_plain, false);
	setup_addrs(&l2_promisc, true);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
