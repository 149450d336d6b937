/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * tcpseg_opts_write() against the option bytes Scapy encodes for Linux's SYN-ACK layout
 * (test/data/tcpseg_vectors.h), for every combination of MSS, window scale, SACK-permitted and
 * timestamps; the round trip write -> tcpseg_opts_parse(); tcpseg_opts_parse() on the parse
 * vectors' option lists giving the view tcpseg_parse() gives.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcpseg.h"
#include "tcpseg_test_util.h"
#include "tcpseg_vectors.h"

#define SYN_BITS (TCPSEG_OPT_MSS | TCPSEG_OPT_WSCALE | TCPSEG_OPT_SACKOK | TCPSEG_OPT_TS)

/* Exact bytes and length; nothing written past them. */
static void
test_write(void **state)
{
	uint8_t buf[TCPSEG_OPTS_MAXLEN + 8];
	unsigned int n, seen = 0;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_opts_vecs); i++) {
		const struct tcpseg_opts_vec *t = &tcpseg_opts_vecs[i];

		print_message("  %s\n", t->name);
		memset(buf, 0xee, sizeof(buf));
		n = tcpseg_opts_write(buf, &t->opts);
		assert_int_equal(n, t->len);
		assert_int_equal(n % 4, 0);
		assert_true(n <= 20);
		ts_assert_bytes(t->name, buf, t->bytes, n);
		for (; n < sizeof(buf); n++)
			assert_int_equal(buf[n], 0xee);
		seen |= 1u << (t->opts.present & SYN_BITS);
	}
	/* Every one of the 16 combinations is among the vectors. */
	for (i = 0; i < 32; i++)
		if ((i & ~SYN_BITS) == 0)
			assert_true(seen & (1u << i));
}

/* Bits other than the four (SACK blocks, unused bits) and the SACK fields write nothing. */
static void
test_write_ignores(void **state)
{
	uint8_t a[TCPSEG_OPTS_MAXLEN], b[TCPSEG_OPTS_MAXLEN];
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_opts_vecs); i++) {
		struct tcpseg_opts o = tcpseg_opts_vecs[i].opts;
		unsigned int na, nb;

		na = tcpseg_opts_write(a, &o);
		o.present |= TCPSEG_OPT_SACK | 0xe0;
		o.sack_count = 2;
		o.sack[0][0] = 1;
		o.sack[0][1] = 2;
		nb = tcpseg_opts_write(b, &o);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
	}
}

/* write -> parse gives back the options written, with nothing else present. */
static void
test_round_trip(void **state)
{
	uint8_t buf[TCPSEG_OPTS_MAXLEN];
	struct tcpseg_opts back;
	unsigned int n;
	size_t i;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_opts_vecs); i++) {
		const struct tcpseg_opts *o = &tcpseg_opts_vecs[i].opts;

		n = tcpseg_opts_write(buf, o);
		memset(&back, 0xa5, sizeof(back));
		tcpseg_opts_parse(buf, n, &back);
		assert_int_equal(back.present, o->present & SYN_BITS);
		assert_int_equal(back.mss, (o->present & TCPSEG_OPT_MSS) ? o->mss : 0);
		assert_int_equal(back.wscale, (o->present & TCPSEG_OPT_WSCALE) ? o->wscale : 0);
		assert_int_equal(back.tsval, (o->present & TCPSEG_OPT_TS) ? o->tsval : 0);
		assert_int_equal(back.tsecr, (o->present & TCPSEG_OPT_TS) ? o->tsecr : 0);
		assert_int_equal(back.sack_count, 0);
	}
}

/*
 * tcpseg_opts_parse() on each parsed frame's option bytes gives the options tcpseg_parse()
 * put in the view (the same reading, malformed lists included), whatever was in *o before.
 */
static void
test_parse_vs_view(void **state)
{
	struct tcpseg_opts o;
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < RTE_DIM(tcpseg_parse_vecs); i++) {
		const struct tcpseg_parse_vec *t = &tcpseg_parse_vecs[i];
		const uint8_t *p;

		if (t->reason != TCPSEG_OK)
			continue;
		p = t->frame + t->view.l2_len + t->view.l3_len + 20;
		memset(&o, 0x5a, sizeof(o));
		tcpseg_opts_parse(p, t->view.l4_len - 20u, &o);
		print_message("  %s\n", t->name);
		assert_memory_equal(&o, &t->view.opts, sizeof(o));
		n++;
	}
	assert_true(n > 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_write),
			cmocka_unit_test(test_write_ignores),
			cmocka_unit_test(test_round_trip),
			cmocka_unit_test(test_parse_vs_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
