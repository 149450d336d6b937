/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Names and descriptions of enum tcpseg_reason, generated from the TCPSEG_REASONS X-macro. */

#include <stddef.h>

#include <rte_common.h>

#include "tcpseg.h"

/*
 * Lower-case names, written by hand since the preprocessor cannot lower-case. The designated
 * initialisers tie each to its enum value, the static assertions below catch a missing or extra
 * one, and the unit test compares each with the lower-cased X-macro name.
 */
static const char *const reason_names[] = {
		[TCPSEG_OK] = "ok",
		[TCPSEG_TRUNC_ETH] = "trunc_eth",
		[TCPSEG_VLAN_DEPTH] = "vlan_depth",
		[TCPSEG_NOT_IP] = "not_ip",
		[TCPSEG_TRUNC_IP] = "trunc_ip",
		[TCPSEG_BAD_IP_VER] = "bad_ip_ver",
		[TCPSEG_BAD_IHL] = "bad_ihl",
		[TCPSEG_BAD_IP_LEN] = "bad_ip_len",
		[TCPSEG_BAD_IP_CSUM] = "bad_ip_csum",
		[TCPSEG_IP_FRAGMENT] = "ip_fragment",
		[TCPSEG_BAD_ADDR] = "bad_addr",
		[TCPSEG_IP6_EXT] = "ip6_ext",
		[TCPSEG_NOT_TCP] = "not_tcp",
		[TCPSEG_TRUNC_TCP] = "trunc_tcp",
		[TCPSEG_BAD_DOFF] = "bad_doff",
		[TCPSEG_BAD_TCP_CSUM] = "bad_tcp_csum",
		[TCPSEG_NOT_CONTIG] = "not_contig",
		[TCPSEG_NO_ROOM] = "no_room",
};

#define TCPSEG_REASON_DESC(name, desc) [TCPSEG_##name] = desc,
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
