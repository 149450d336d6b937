/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Names of counters and states, from the X-macro lists of tcpterm.h. */

#include "tcpterm.h"

static const char *const counter_names[TCPTERM_CTR_MAX] = {
#define NAME(name, str, desc) [TCPTERM_CTR_##name] = str,
		TCPTERM_COUNTERS(NAME)
#undef NAME
};

static const char *const counter_descs[TCPTERM_CTR_MAX] = {
#define DESC(name, str, desc) [TCPTERM_CTR_##name] = desc,
		TCPTERM_COUNTERS(DESC)
#undef DESC
};

static const char *const state_names[TCPTERM_ST_MAX] = {
#define NAME(name, str) [TCPTERM_ST_##name] = str,
		TCPTERM_STATES(NAME)
#undef NAME
};

const char *
tcpterm_counter_name(enum tcpterm_counter c)
{
	return (unsigned int)c < TCPTERM_CTR_MAX ? counter_names[c] : "unknown";
}

const char *
tcpterm_counter_desc(enum tcpterm_counter c)
{
	return (unsigned int)c < TCPTERM_CTR_MAX ? counter_descs[c] : "unknown";
}

const char *
tcpterm_state_name(enum tcpterm_state s)
{
	return (unsigned int)s < TCPTERM_ST_MAX ? state_names[s] : "unknown";
}
