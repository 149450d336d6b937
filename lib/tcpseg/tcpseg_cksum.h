/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_CKSUM_H
#define TCPSEG_CKSUM_H

/*
 * Internal to lib/tcpseg (not installed): the Internet checksum's one's-complement sum, 8
 * bytes per step, for the parser's verification, and the fold both the parser and the reply
 * builder use. DPDK 22.11's __rte_raw_cksum() adds 16-bit words one at a time; GCC
 * vectorises that loop, but for the 20 to 60 bytes of a TIME_WAIT segment its prologue and
 * tail cost more than the sum, and in the appliance benchmark it was a quarter of
 * tcpseg_parse()'s samples (docs/performance.md). Summing 64-bit words with end-around carry
 * gives the same 16-bit result (RFC 1071: 2^16, 2^32 and 2^48 are 1 modulo 2^16 - 1), with
 * the memory's byte order, as __rte_raw_cksum() has it.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* a + b with the carry out added back in (one's-complement addition on 64 bits). */
static inline uint64_t
tcpseg_add64(uint64_t a, uint64_t b)
{
	a += b;
	return a + (a < b);
}

/*
 * Adds @p len bytes at @p buf to @p sum, a 64-bit partial sum. A last odd byte counts as the
 * first byte of a 16-bit word whose second byte is 0, as in __rte_raw_cksum().
 */
static inline uint64_t
tcpseg_sum(const void *buf, size_t len, uint64_t sum)
{
	const uint8_t *p = buf;
	uint64_t w8;
	uint32_t w4;
	uint16_t w2;

	for (; len >= 16; len -= 16, p += 16) {
		uint64_t a, b;

		memcpy(&a, p, 8);
		memcpy(&b, p + 8, 8);
		sum = tcpseg_add64(tcpseg_add64(sum, a), b);
	}
	if (len >= 8) {
		memcpy(&w8, p, 8);
		sum = tcpseg_add64(sum, w8);
		p += 8;
		len -= 8;
	}
	if (len >= 4) {
		memcpy(&w4, p, 4);
		sum = tcpseg_add64(sum, w4);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&w2, p, 2);
		sum = tcpseg_add64(sum, w2);
		p += 2;
		len -= 2;
	}
	if (len != 0) {
		w2 = 0;
		memcpy(&w2, p, 1);
		sum = tcpseg_add64(sum, w2);
	}
	return sum;
}

/*
 * Folds a 64-bit partial sum to the 16-bit non-complemented checksum; the result is the one
 * __rte_raw_cksum_reduce() gives for the same bytes (0 only when everything summed was 0).
 * The two halves are added with their carry put back (32 bits, the same value modulo
 * 2^16 - 1), then Linux's csum_fold(): adding the 32-bit sum rotated by 16 puts the two
 * 16-bit halves' sum, its carry added back, in the upper half. Both steps keep a non-zero sum
 * non-zero, and 0xffff stands for a sum that is 0 modulo 2^16 - 1: the value is the one the
 * four shift-and-add steps of the plain fold give, in about half the instructions.
 */
static inline uint16_t
tcpseg_fold(uint64_t sum)
{
	const uint32_t hi = (uint32_t)(sum >> 32);
	uint32_t s = (uint32_t)sum + hi;

	s += s < hi;
	s += (s >> 16) | (s << 16);
	return (uint16_t)(s >> 16);
}

#endif /* TCPSEG_CKSUM_H */
