/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#include "twq_balance.h"

int64_t
test_twq_imbalance(const struct twq_shard *s)
{
	uint64_t c[TWQ_CTR_MAX];
	uint64_t in, out;

	twq_counters_read(s, c);
	in = c[TWQ_CTR_STARTED] + c[TWQ_CTR_RESTORED];
	out = c[TWQ_CTR_START_REPLACED] + c[TWQ_CTR_RECYCLED] + c[TWQ_CTR_EXPIRED] +
			c[TWQ_CTR_CLOSED] + c[TWQ_CTR_SYN_REOPEN] + c[TWQ_CTR_SYN_TS_REOPEN] +
			c[TWQ_CTR_RST_CLOSED];
	return (int64_t)(in - out) - (int64_t)twq_shard_count(s, -1);
}
