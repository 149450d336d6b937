/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_BALANCE_H
#define TWQ_BALANCE_H

#include <stdint.h>

#include <twq.h>

/**
 * The counter balance of a shard: entries in (started, restored) minus entries out
 * (replaced, recycled, expired, closed, SYN reopens, RST kills) minus the entries present.
 * Every path that creates or ends an entry counts, so this is 0 for a sound shard.
 *
 * @param s
 *   The shard.
 * @return
 *   0 when the counters balance; otherwise the difference.
 */
int64_t test_twq_imbalance(const struct twq_shard *s);

#endif /* TWQ_BALANCE_H */
