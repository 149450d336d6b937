/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Names and descriptions of enum tcpseg_reason, generated from the TCPSEG_REASONS X-macro. */

#include <stddef.h>

#include <rte_common.h>

#include "tcpseg.h"

#define TCPSEG_REASON_NAME(e, name, desc) [TCPSEG_##e] = name,
static const char *const reason_names[] = {TCPSEG_REASONS(TCPSEG_REASON_NAME)};
#undef TCPSEG_REASON_NAME

#define TCPSEG_REASON_DESC(e, name, desc) [TCPSEG_##e] = desc,
static const char *const reason_descs[] = {TCPSEG_REASONS(TCPSEG_REASON_DESC)};
#undef TCPSEG_REASON_DESC

_Static_assert(RTE_DIM(reason_names) == TCPSEG_REASON_MAX,
		"reason_names out of step with TCPSEG_REASONS");
_Static_assert(RTE_DIM(reason_descs) == TCPSEG_REASON_MAX,
		"reason_descs out of step with TCPSEG_REASONS");

const char *
tcpseg_reason_name(enum tcpseg_reason reason)
{
	if ((unsigned int)reason >= TCPSEG_REASON_MAX)
		return "unknown";
	return reason_names[reason];
}

const char *
tcpseg_reason_desc(enum tcpseg_reason reason)
{
	if ((unsigned int)reason >= TCPSEG_REASON_MAX)
		return "unknown";
	return reason_descs[reason];
}
