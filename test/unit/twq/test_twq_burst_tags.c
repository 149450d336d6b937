/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * twq_input_burst() when two entries share a home bucket and a tag, and an earlier segment of
 * the burst ends the first of them: the burst took its tag matches before the rules ran, so
 * the later segments must still find the second entry (and miss the ended one), as
 * twq_peek() + twq_input() segment by segment do. Keys, buckets and tags come from the
 * shard's own hash (twq_pvt.h), with the seed fixed so that both shards agree.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_eal.h"
#include "twq_pvt.h"
#include "twq_test_util.h"

#define T0   1000000u
#define SEED 0x5eed1234u

/* Keys a and b: the same home bucket and the same tag in a shard of seed SEED. */
static void
twin_keys(const struct twq_shard *s, struct twq_key *a, struct twq_key *b)
{
	const struct twq_fam *f = &s->fam[0];
	uint32_t ha, hb, n;

	tu_key4(a, 0);
	ha = twq_hash_key(s, a);
	for (n = 1; n < (1u << 24); n++) {
		tu_key4(b, n);
		hb = twq_hash_key(s, b);
		if (twq_home(f, hb) == twq_home(f, ha) && twq_tag(hb) == twq_tag(ha))
			return;
	}
	fail_msg("no key with the same bucket and tag as key 0");
}

static struct twq_shard *
make_shard(uint32_t flags, struct twq_key *a, struct twq_key *b)
{
	struct twq_shard *s = tu_shard(32, flags);
	struct twq_conn c;

	s->hash_seed = SEED;
	twin_keys(s, a, b);
	/* a first: the lower slot of the empty bucket, the first tag match of a lookup. */
	tu_conn(&c, a, 5000, 9000);
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	tu_conn(&c, b, 6000, 8000);
	assert_int_equal(twq_start(s, &c, T0, NULL), TWQ_START_OK);
	return s;
}

/*
 * segs[0] ends a's entry (an RST with TWQ_F_RST_KILLS, or a SYN that reopens), then data for b
 * and data for a: the burst's verdicts and replies against the single path, and want[].
 */
static void
ended_then_twin(uint32_t flags, uint8_t first_flags, uint32_t first_seq,
		const enum twq_verdict want[3])
{
	struct twq_key a, b;
	struct twq_shard *sb = make_shard(flags, &a, &b), *s1 = make_shard(flags, &a, &b);
	struct tcpseg_view seg[3];
	const struct tcpseg_view *views[3] = {&seg[0], &seg[1], &seg[2]};
	struct tcpseg_reply rb[3], r1[3];
	enum twq_verdict vb[3], v1;
	uint32_t n, acks;

	tu_seg(&seg[0], &a, first_flags, first_seq, 5000, 0);
	tu_seg(&seg[1], &b, TCPSEG_ACK | TCPSEG_PSH, 8000, 6000, 16);
	tu_seg(&seg[2], &a, TCPSEG_ACK | TCPSEG_PSH, 9000, 5000, 16);
	memset(rb, 0xa5, sizeof(rb));
	memset(r1, 0xa5, sizeof(r1));
	acks = twq_input_burst(sb, views, 3, T0 + 10, vb, rb);
	for (n = 0; n < 3; n++) {
		const struct twq_key *k = n == 1 ? &b : &a;
		uint32_t id = twq_peek(s1, k);

		v1 = id == TWQ_ID_NONE ? TWQ_MISS : twq_input(s1, id, &seg[n], T0 + 10, &r1[n]);
		assert_int_equal(vb[n], want[n]);
		assert_int_equal(v1, want[n]);
		if (v1 == TWQ_ACK || v1 == TWQ_REOPEN)
			assert_memory_equal(&rb[n], &r1[n], sizeof(rb[n]));
	}
	assert_int_equal(acks, 1);
	assert_int_equal(rb[1].seq, 6000);
	assert_int_equal(rb[1].ack, 8000);
	assert_int_equal(tu_ctr(sb, TWQ_CTR_LOOKUP_HIT), 2);
	assert_int_equal(tu_ctr(sb, TWQ_CTR_LOOKUP_MISS), 1);
	assert_int_equal(twq_peek(sb, &a), TWQ_ID_NONE);
	assert_true(twq_peek(sb, &b) != TWQ_ID_NONE);
	tu_check_balance(sb);
	twq_shard_free(sb);
	twq_shard_free(s1);
}

/* An RST at rcv_nxt kills a: b is still found, a is a miss. */
static void
test_burst_twin_rst(void **state)
{
	static const enum twq_verdict want[3] = {TWQ_DROP, TWQ_ACK, TWQ_MISS};

	(void)state;
	ended_then_twin(TWQ_F_RST_KILLS, TCPSEG_RST, 9000, want);
}

/* A SYN above rcv_nxt reopens a: b is still found, a is a miss. */
static void
test_burst_twin_syn(void **state)
{
	static const enum twq_verdict want[3] = {TWQ_REOPEN, TWQ_ACK, TWQ_MISS};

	(void)state;
	ended_then_twin(0, TCPSEG_SYN, 9100, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_burst_twin_rst),
			cmocka_unit_test(test_burst_twin_syn),
	};

	if (test_eal_init("test_twq_burst_tags", 128) < 0)
		return EXIT_FAILURE;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
