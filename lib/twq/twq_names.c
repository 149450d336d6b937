/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Counter names and the local-prefix test. */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "twq.h"

static const char *const counter_names[] = {
#define TWQ_COUNTER_NAME(name, str, desc) [TWQ_CTR_##name] = str,
		TWQ_COUNTERS(TWQ_COUNTER_NAME)
#undef TWQ_COUNTER_NAME
};

static const char *const counter_descs[] = {
#define TWQ_COUNTER_DESC(name, str, desc) [TWQ_CTR_##name] = desc,
		TWQ_COUNTERS(TWQ_COUNTER_DESC)
#undef TWQ_COUNTER_DESC
};

const char *
twq_counter_name(enum twq_counter c)
{
	return (unsigned int)c < TWQ_CTR_MAX ? counter_names[c] : "unknown";
}

const char *
twq_counter_desc(enum twq_counter c)
{
	return (unsigned int)c < TWQ_CTR_MAX ? counter_descs[c] : "unknown";
}

bool
twq_prefix_match(const struct twq_prefix *p, int is_ipv6, const union tcpseg_addr *addr)
{
	unsigned int full, rest;
	uint8_t mask;

	if (!!is_ipv6 != !!p->is_ipv6)
		return false;
	if (!is_ipv6) {
		uint32_t m = p->len == 0 ? 0 : UINT32_MAX << (32 - RTE_MIN(p->len, 32));

		return ((rte_be_to_cpu_32(addr->v4) ^ rte_be_to_cpu_32(p->addr.v4)) & m) == 0;
	}
	full = RTE_MIN(p->len, 128) / 8;
	rest = RTE_MIN(p->len, 128) % 8;
	if (memcmp(addr->v6, p->addr.v6, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((addr->v6[full] ^ p->addr.v6[full]) & mask) == 0;
}
