/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef CKSUM_EDGE_H
#define CKSUM_EDGE_H

/*
 * Helpers of the unit tests that drive a builder's Internet checksum (RFC 1071) to chosen
 * values: 0x0000, the value a correct sum of non-zero data gives when it is 0 modulo 2^16 - 1
 * (never 0xffff, RFC 1624 section 3), and the values next to it. A first reply gives the
 * checksum c; a free 16-bit word of the input that the reply sums (an ack's low half, an
 * address's, an echo identifier) is then moved by c + ~want, which makes the next reply's
 * checksum want. Values are the numbers the wire's big-endian words spell.
 */

#include <stdint.h>

/* a + b in 16-bit one's complement (end-around carry). */
static inline uint16_t
ck_add(uint16_t a, uint16_t b)
{
	const uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * The value to give a summed 16-bit word, now @p word, so that a checksum that is now @p ck
 * becomes @p want (the sum grows by ck + ~want: the new sum is ~want). A non-complemented sum
 * s (a pseudo-header sum for the NIC) is steered the same way with ck = ~s, want = ~wanted.
 */
static inline uint16_t
ck_retarget(uint16_t word, uint16_t ck, uint16_t want)
{
	return ck_add(word, ck_add(ck, (uint16_t)~want));
}

/*
 * The checksum a builder must write when asked for @p want: want itself, but 0x0000 for
 * 0xffff, whose sum (0 modulo 2^16 - 1, of data that is not all zero) folds to 0xffff.
 */
static inline uint16_t
ck_canonical(uint16_t want)
{
	return want == 0xffff ? 0 : want;
}

/* The checksums every edge test asks for: 0, 0xffff (which must come out 0) and neighbours. */
static const uint16_t ck_wants[] = {0x0000, 0xffff, 0x0001, 0xfffe, 0x00ff, 0xff00, 0x8000};

/* The big-endian 16-bit word at @p p. */
static inline uint16_t
ck_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Store @p w at @p p big-endian. */
static inline void
ck_put_be16(uint8_t *p, uint16_t w)
{
	p[0] = (uint8_t)(w >> 8);
	p[1] = (uint8_t)w;
}

#endif /* CKSUM_EDGE_H */
