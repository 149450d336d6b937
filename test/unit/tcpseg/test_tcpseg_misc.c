/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Reason names and descriptions; sequence and timestamp arithmetic at the wraparound. */

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>

#include "tcpseg.h"
#include "tcpseg_cksum.h"

struct reason_src {
	const char *upper;
	const char *name;
	const char *desc;
};

#define REASON_SRC(e, name, desc) {#e, name, desc},
static const struct reason_src reason_src[] = {TCPSEG_REASONS(REASON_SRC)};
#undef REASON_SRC

/*
 * Each name is the X-macro's name column, which is the lower-cased enum name (telemetry and
 * the stats block show these names: they must not change), each description the X-macro's.
 */
static void
test_reason_names(void **state)
{
	char lower[64];
	size_t i, k;

	(void)state;
	assert_int_equal(RTE_DIM(reason_src), TCPSEG_REASON_MAX);
	for (i = 0; i < RTE_DIM(reason_src); i++) {
		for (k = 0; reason_src[i].upper[k] != '\0' && k < sizeof(lower) - 1; k++)
			lower[k] = (char)tolower((unsigned char)reason_src[i].upper[k]);
		lower[k] = '\0';
		assert_string_equal(reason_src[i].name, lower);
		assert_string_equal(tcpseg_reason_name((enum tcpseg_reason)i), lower);
		assert_string_equal(tcpseg_reason_desc((enum tcpseg_reason)i), reason_src[i].desc);
	}
	assert_string_equal(tcpseg_reason_name(TCPSEG_BAD_TCP_CSUM), "bad_tcp_csum");
	assert_string_equal(tcpseg_reason_name(TCPSEG_OK), "ok");
	assert_string_equal(tcpseg_reason_desc(TCPSEG_NO_ROOM), "reply does not fit in the mbuf");
	assert_string_equal(tcpseg_reason_name(TCPSEG_REASON_MAX), "unknown");
	assert_string_equal(tcpseg_reason_desc(TCPSEG_REASON_MAX), "unknown");
	assert_string_equal(tcpseg_reason_name((enum tcpseg_reason) - 1), "unknown");
	assert_string_equal(tcpseg_reason_desc((enum tcpseg_reason)1000), "unknown");
}

static void
test_seq(void **state)
{
	(void)state;
	/* 0 comes right after 0xffffffff. */
	assert_true(tcpseg_seq_lt(0xffffffffU, 0));
	assert_true(tcpseg_seq_leq(0xffffffffU, 0));
	assert_true(tcpseg_seq_gt(0, 0xffffffffU));
	assert_true(tcpseg_seq_geq(0, 0xffffffffU));
	assert_false(tcpseg_seq_gt(0xffffffffU, 0));
	assert_false(tcpseg_seq_lt(0, 0xffffffffU));
	/* Equal values. */
	assert_false(tcpseg_seq_lt(5, 5));
	assert_true(tcpseg_seq_leq(5, 5));
	assert_false(tcpseg_seq_gt(5, 5));
	assert_true(tcpseg_seq_geq(5, 5));
	/* Just under 2^31 apart: ordered by the short way round. */
	assert_true(tcpseg_seq_lt(0, 0x7fffffffU));
	assert_true(tcpseg_seq_gt(0x7fffffffU, 0));
	assert_true(tcpseg_seq_lt(0x80000000U, 0xffffffffU));
	assert_true(tcpseg_seq_gt(0x10, 0x80000011U));
	/* Exactly 2^31 apart: (int32_t)(a - b) is INT32_MIN, so a < b both ways. */
	assert_true(tcpseg_seq_lt(0, 0x80000000U));
	assert_true(tcpseg_seq_lt(0x80000000U, 0));
	assert_false(tcpseg_seq_gt(0, 0x80000000U));
	assert_false(tcpseg_seq_gt(0x80000000U, 0));
	assert_false(tcpseg_seq_geq(0x80000000U, 0));
	/* Just over 2^31: the order flips. */
	assert_true(tcpseg_seq_gt(0, 0x80000001U));
	assert_true(tcpseg_seq_lt(0x80000001U, 0));
}

static void
test_ts(void **state)
{
	(void)state;
	assert_true(tcpseg_ts_lt(0xfffffff0U, 0x10));
	assert_true(tcpseg_ts_gt(0x10, 0xfffffff0U));
	assert_false(tcpseg_ts_lt(7, 7));
	assert_false(tcpseg_ts_gt(7, 7));
	assert_true(tcpseg_ts_lt(0, 0x80000000U));
	assert_true(tcpseg_ts_lt(0x80000000U, 0));
	assert_true(tcpseg_ts_gt(0x7fffffffU, 0));
	assert_true(tcpseg_ts_gt(0, 0x80000001U));
}

static void
test_seg_len(void **state)
{
	struct tcpseg_view v;

	(void)state;
	memset(&v, 0, sizeof(v));
	assert_int_equal(tcpseg_seg_len(&v), 0);
	v.flags = TCPSEG_SYN;
	assert_int_equal(tcpseg_seg_len(&v), 1);
	v.flags = TCPSEG_SYN | TCPSEG_FIN | TCPSEG_ACK | TCPSEG_RST;
	assert_int_equal(tcpseg_seg_len(&v), 2);
	v.payload_len = 65535;
	assert_int_equal(tcpseg_seg_len(&v), 65537);
	v.flags = TCPSEG_ACK | TCPSEG_PSH;
	assert_int_equal(tcpseg_seg_len(&v), 65535);
}

/*
 * The internal 64-bit checksum (tcpseg_cksum.h) against DPDK's rte_raw_cksum() on the same
 * bytes: every length from 0 to 300 at every alignment 0..7, over random bytes, all 0xff
 * (the carries), all 0, and a starting partial sum near 2^64.
 */
static void
test_cksum_vs_rte(void **state)
{
	static uint8_t buf[8 + 300];
	unsigned int fill, off, len, i;
	uint32_t x = 12345;

	(void)state;
	for (fill = 0; fill < 3; fill++) {
		for (i = 0; i < sizeof(buf); i++) {
			x = x * 1103515245U + 12345U;
			buf[i] = fill == 0 ? (uint8_t)(x >> 16) : fill == 1 ? 0xff : 0;
		}
		for (off = 0; off < 8; off++)
			for (len = 0; len <= 300; len++)
				assert_int_equal(tcpseg_fold(tcpseg_sum(buf + off, len, 0)),
						rte_raw_cksum(buf + off, len));
	}
	/* Partial sums: the same bytes in two pieces (first piece even), and carries into a
	 * starting sum that is nearly full. */
	for (len = 0; len <= 300; len += 2)
		assert_int_equal(tcpseg_fold(tcpseg_sum(
						 buf + len, 300 - len, tcpseg_sum(buf, len, 0))),
				rte_raw_cksum(buf, 300));
	memset(buf, 0xff, sizeof(buf));
	/* All-ones words are -0: added to a nearly full sum they carry round and leave it. */
	assert_int_equal(tcpseg_fold(tcpseg_sum(buf, 64, UINT64_MAX - 1)), 0xfffe);
	assert_int_equal(tcpseg_fold(0), 0);
	assert_int_equal(tcpseg_fold(UINT64_MAX), 0xffff);
	assert_int_equal(tcpseg_fold(0x0001000000000000ULL), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_reason_names),
			cmocka_unit_test(test_seq),
			cmocka_unit_test(test_ts),
			cmocka_unit_test(test_seg_len),
			cmocka_unit_test(test_cksum_vs_rte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
