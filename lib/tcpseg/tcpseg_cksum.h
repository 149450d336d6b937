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
/* A 32-bit partial sum folded to 16 bits: Linux's csum_fold() without the complement. */
static inline uint32_t
tcpseg_fold32(uint32_t s)
{
	s += (s >> 16) | (s << 16);
	return s >> 16;
}

static inline uint16_t
tcpseg_fold(uint64_t sum)
{
	const uint32_t hi = (uint32_t)(sum >> 32);
	uint32_t s = (uint32_t)sum + hi;

	s += s < hi;
	return (uint16_t)tcpseg_fold32(s);
}

/*
 * For the parser's fast path: is the Internet checksum over what @p sum holds correct? The
 * 16-bit fold of a correct sum is 0xffff (CKSUM_GOOD), i.e. the sum is 0 modulo 2^16 - 1
 * and not 0. 2^16 - 1 divides 2^64 - 1, so end-around-carry additions keep the 64-bit value
 * modulo 2^16 - 1 and the test needs no fold: x is a multiple of the odd 2^16 - 1 exactly
 * when x times its inverse modulo 2^64 is at most (2^64 - 1) / (2^16 - 1) (what compilers
 * make of x % 0xffff == 0): a multiply and a compare instead of the fold's 8 instructions.
 * The caller must know the sum is not 0 (something non-zero was summed, e.g. an IPv4
 * header's version byte or the pseudo-header's protocol word): a sum of zeros folds to 0.
 */
#define TCPSEG_INV_FFFF     0xfffefffefffeffffULL /* 0xffff * this = 1 modulo 2^64 */
#define TCPSEG_MUL_FFFF_MAX (UINT64_MAX / 0xffff)

static inline int
tcpseg_sum_good(uint64_t sum)
{
	return sum * TCPSEG_INV_FFFF <= TCPSEG_MUL_FFFF_MAX;
}

/* tcpseg_sum_good() of both, with one compare. */
static inline int
tcpseg_sum_good2(uint64_t a, uint64_t b)
{
	const uint64_t x = a * TCPSEG_INV_FFFF, y = b * TCPSEG_INV_FFFF;

	return (x > y ? x : y) <= TCPSEG_MUL_FFFF_MAX;
}

static inline uint64_t
tcpseg_load64(const uint8_t *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define TCPSEG_ADD_EAC(sum, w) \
	__asm__("addq %[x], %[s]\n\tadcq $0, %[s]" \
			: [s] "+r"(sum) \
			: [x] "rm"((uint64_t)(w)) \
			: "c" \
			  "c")
#else
#define TCPSEG_ADD_EAC(sum, w) ((sum) = tcpseg_add64((sum), (w)))
#endif

/*
 * @p sum plus the @p n 16-byte blocks at @p p, n at least 1. On x86-64 one carry chain, as
 * Linux's csum_partial() does: an add-with-carry per 8 bytes, the loop's pointer and counter
 * moved by lea and dec, which leave the carry flag alone (GCC 12 keeps _addcarry_u64()'s
 * carry in a register and its sum in memory). The chain's last carry is added back once, and
 * that add cannot carry: a step carries out with a sum of 2^64 - 1 only when it had that sum
 * and a carry in already, which the chain, started with the carry clear, never reaches.
 */
static inline uint64_t
tcpseg_sum_blocks(const uint8_t *p, uint64_t n, uint64_t sum)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	__asm__("clc\n"
		"1:\n\t"
		"adcq (%[p]), %[s]\n\t"
		"adcq 8(%[p]), %[s]\n\t"
		"leaq 16(%[p]), %[p]\n\t"
		"decq %[n]\n\t"
		"jnz 1b\n\t"
		"adcq $0, %[s]"
			: [s] "+r"(sum), [p] "+r"(p), [n] "+r"(n)
			:
			: "cc", "memory");
#else
	for (; n != 0; n--, p += 16) {
		TCPSEG_ADD_EAC(sum, tcpseg_load64(p));
		TCPSEG_ADD_EAC(sum, tcpseg_load64(p + 8));
	}
#endif
	return sum;
}

/*
 * @p sum plus the 40 bytes at @p p (e.g. the pseudo-header's addresses and a TCP header with
 * NOP, NOP, TS) and the @p len bytes after them (the payload), in one carry chain on x86-64: 5
 * adds for the headers, then one per
 * 8 bytes of payload, its counter moved by inc (which leaves the carry alone) from -n to 0,
 * jrcxz skipping the loop when there is no whole word. The last len % 8 bytes as in
 * tcpseg_sum_tail(): read from the 8 bytes that end at p + 40 + len, which the header makes
 * readable.
 */
static inline uint64_t
tcpseg_sum40_tail(const uint8_t *p, uint32_t len, uint64_t sum)
{
	const uint32_t tail = len & 7;
	const uint8_t *end = p + 40 + len;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
	const uint8_t *words = p + 40 + (len & ~7u);
	int64_t i = -(int64_t)(len >> 3);

	__asm__("addq (%[p]), %[s]\n\t"
		"adcq 8(%[p]), %[s]\n\t"
		"adcq 16(%[p]), %[s]\n\t"
		"adcq 24(%[p]), %[s]\n\t"
		"adcq 32(%[p]), %[s]\n\t"
		"jrcxz 2f\n"
		"1:\n\t"
		"adcq (%[w],%[i],8), %[s]\n\t"
		"incq %[i]\n\t"
		"jnz 1b\n"
		"2:\n\t"
		"adcq $0, %[s]"
			: [s] "+r"(sum), [i] "+c"(i)
			: [p] "r"(p), [w] "r"(words)
			: "cc", "memory");
#else
	uint32_t k;

	sum = tcpseg_sum_blocks(p, 2, sum);
	TCPSEG_ADD_EAC(sum, tcpseg_load64(p + 32));
	for (k = 0; k + 8 <= len; k += 8)
		TCPSEG_ADD_EAC(sum, tcpseg_load64(p + 40 + k));
#endif
	if (tail != 0)
		TCPSEG_ADD_EAC(sum, tcpseg_load64(end - 8) >> (64 - 8 * tail));
	return sum;
}

/*
 * @p sum plus @p len bytes at @p p: the same value modulo 2^16 - 1 as tcpseg_sum() (not always
 * the same 64-bit number). When @p len is not a multiple of 8, at least 8 bytes before
 * p + len must be readable (e.g. the TCP header before a payload at @p p): the last len % 8
 * bytes are read as the top bytes of the 8 bytes that end at p + len, shifted down. No byte
 * past p + len is read, and a last odd byte is the low byte of its 16-bit word, as in
 * tcpseg_sum().
 */
static inline uint64_t
tcpseg_sum_tail(const uint8_t *p, uint32_t len, uint64_t sum)
{
	const uint32_t tail = len & 7;

	if (len >= 16)
		sum = tcpseg_sum_blocks(p, len >> 4, sum);
	if (len & 8)
		TCPSEG_ADD_EAC(sum, tcpseg_load64(p + (len & ~15u)));
	if (tail != 0)
		TCPSEG_ADD_EAC(sum, tcpseg_load64(p + len - 8) >> (64 - 8 * tail));
	return sum;
}

/* tcpseg_sum_tail() for a buffer of at least 8 bytes (the tail's read stays inside it). */
static inline uint64_t
tcpseg_sum_long(const uint8_t *p, uint32_t len, uint64_t sum)
{
	return tcpseg_sum_tail(p, len, sum);
}

#endif /* TCPSEG_CKSUM_H */
