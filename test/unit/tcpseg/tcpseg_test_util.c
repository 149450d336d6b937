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

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "test_eal.h"
#include "tcpseg_test_util.h"

struct rte_mempool *ts_pool;

int
ts_setup(const char *name)
{
	if (test_eal_init(name, 64) != 0)
		return -1;
	ts_pool = rte_pktmbuf_pool_create(
			"ts_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (ts_pool == NULL) {
		fprintf(stderr, "%s: cannot create mbuf pool\n", name);
		return -1;
	}
	return 0;
}

int
ts_run(const char *name, const struct CMUnitTest *tests, size_t n)
{
	unsigned int before;
	int rc;

	if (ts_setup(name) != 0)
		return EXIT_FAILURE;
	before = rte_mempool_avail_count(ts_pool);
	rc = _cmocka_run_group_tests(name, tests, n, NULL, NULL);
	if (rte_mempool_avail_count(ts_pool) != before) {
		fprintf(stderr, "mbufs leaked: %u\n", before - rte_mempool_avail_count(ts_pool));
		rc = 1;
	}
	return rc == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

struct rte_mbuf *
ts_mbuf_segs(const uint8_t *b, uint16_t len, uint16_t first, uint16_t rest)
{
	struct rte_mbuf *head, *seg;
	uint16_t off = 0, n;
	char *p;

	head = rte_pktmbuf_alloc(ts_pool);
	assert_non_null(head);
	if (first == 0 || first > len)
		first = len;
	p = rte_pktmbuf_append(head, first);
	assert_true(p != NULL || first == 0);
	if (first != 0)
		memcpy(p, b, first);
	off = first;
	while (off < len) {
		n = (uint16_t)RTE_MIN(rest, len - off);
		seg = rte_pktmbuf_alloc(ts_pool);
		assert_non_null(seg);
		p = rte_pktmbuf_append(seg, n);
		assert_non_null(p);
		memcpy(p, b + off, n);
		assert_int_equal(rte_pktmbuf_chain(head, seg), 0);
		off += n;
	}
	return head;
}

struct rte_mbuf *
ts_mbuf(const uint8_t *b, uint16_t len)
{
	return ts_mbuf_segs(b, len, len, len);
}

uint32_t
ts_mbuf_bytes(const struct rte_mbuf *m, uint8_t *out, uint32_t cap)
{
	uint32_t len = rte_pktmbuf_pkt_len(m);
	const void *p;

	assert_true(len <= cap);
	p = rte_pktmbuf_read(m, 0, len, out);
	assert_non_null(p);
	if (p != out)
		memcpy(out, p, len);
	return len;
}

static void
dump(const char *label, const uint8_t *b, size_t len)
{
	size_t i;

	print_message("%s:", label);
	for (i = 0; i < len; i++)
		print_message("%s%02x", i % 16 == 0 ? "\n  " : " ", b[i]);
	print_message("\n");
}

void
ts_assert_bytes(const char *what, const uint8_t *got, const uint8_t *exp, size_t len)
{
	size_t i;

	if (memcmp(got, exp, len) == 0)
		return;
	for (i = 0; i < len && got[i] == exp[i]; i++)
		;
	print_message("%s: first difference at byte %zu\n", what, i);
	dump("got", got, len);
	dump("expected", exp, len);
	fail_msg("%s: bytes differ", what);
}
