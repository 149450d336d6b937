/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef BENCH_PERM_H
#define BENCH_PERM_H

#include <stdint.h>

/* A bijection on 32 bits: distinct indexes give distinct keys (the benchmarks' key spread). */
static inline uint32_t
perm32(uint32_t x)
{
	x *= 0x9e3779b1u;
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

#endif /* BENCH_PERM_H */
