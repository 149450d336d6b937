/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_TEST_UTIL_H
#define TCPSEG_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

/** The pool every test takes its mbufs from (ts_setup() creates it). */
extern struct rte_mempool *ts_pool;

/**
 * Start EAL for test program @p name and create ts_pool.
 * @return 0, or -1 with a message on stderr.
 */
int ts_setup(const char *name);

struct CMUnitTest;

/**
 * Run a test program: ts_setup(@p name), the @p n cmocka tests of @p tests as one group, then
 * a check that every mbuf went back to ts_pool.
 * @return EXIT_SUCCESS if EAL started, every test passed and no mbuf leaked; EXIT_FAILURE
 *   otherwise.
 */
int ts_run(const char *name, const struct CMUnitTest *tests, size_t n);

/** ts_run() over an array of tests. */
#define TS_RUN(name, tests) ts_run(name, tests, sizeof(tests) / sizeof((tests)[0]))

/**
 * An mbuf holding @p len bytes of @p b, cut into segments: the first holds @p first bytes, each
 * further one at most @p rest bytes. first == len (or 0) gives one segment.
 */
struct rte_mbuf *ts_mbuf_segs(const uint8_t *b, uint16_t len, uint16_t first, uint16_t rest);

/** An mbuf holding @p len bytes of @p b in one segment. */
struct rte_mbuf *ts_mbuf(const uint8_t *b, uint16_t len);

/** Copy the frame in @p m (all segments) to @p out (at most @p cap bytes); returns its length. */
uint32_t ts_mbuf_bytes(const struct rte_mbuf *m, uint8_t *out, uint32_t cap);

/**
 * Fail the test (with a hex dump of both) if the @p len bytes at @p got differ from @p exp.
 */
void ts_assert_bytes(const char *what, const uint8_t *got, const uint8_t *exp, size_t len);

#endif /* TCPSEG_TEST_UTIL_H */
