/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_OPT_PVT_H
#define TCPSEG_OPT_PVT_H

/*
 * Internal to lib/tcpseg (not installed): TCP option kinds and lengths, and the option
 * reader and writer as the parser and the reply builder call them. Hidden symbols: calls
 * from inside the library go straight to them, not through the PLT.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "tcpseg_opt.h"
#include "tcpseg_wire.h"

/* TCP option kinds and lengths (RFC 9293, RFC 7323, RFC 2018). */
#define TCPOPT_HDR_LEN     2 /* kind and length, before the value */
#define TCPOPT_EOL         0
#define TCPOPT_NOP         1
#define TCPOPT_MSS         2
#define TCPOPT_WSCALE      3
#define TCPOPT_SACKOK      4
#define TCPOPT_SACK        5
#define TCPOPT_TS          8
#define TCPOLEN_MSS        4
#define TCPOLEN_WSCALE     3
#define TCPOLEN_SACKOK     2
#define TCPOLEN_SACK_BLOCK 8
#define TCPOLEN_TS         10

/* NOP, NOP, TS (kind 8, length 10) as one 32-bit word: the layout of RFC 7323 appendix A
 * that nearly every stack sends on an established connection, 12 bytes with the values. */
#define TCPOPT_NOP_NOP_TS_WORD \
	((uint32_t)TCPOPT_NOP << 24 | (uint32_t)TCPOPT_NOP << 16 | (uint32_t)TCPOPT_TS << 8 | \
			TCPOLEN_TS)
#define TCPOLEN_NOP_NOP_TS 12

/* Options are written a 32-bit word at a time, padded with NOP. */
#define TCPOLEN_WORD 4

/* tcpseg_opts_parse() without zeroing @p o first: adds what it reads to what is there. */
__attribute__((visibility("hidden"))) void tcpseg_opts_read(
		const uint8_t *p, uint32_t len, struct tcpseg_opts *o);

/*
 * tcpseg_opts_read() for the parser, with the two lists of nearly every segment on an
 * established connection handled inline: none, and NOP, NOP, timestamps (RFC 7323 appendix
 * A). Same result as tcpseg_opts_read(), without the call.
 */
static inline void
tcpseg_opts_read_inline(const uint8_t *p, uint32_t len, struct tcpseg_opts *o)
{
	uint32_t w;

	if (len == 0)
		return;
	if (len == TCPOLEN_NOP_NOP_TS) {
		memcpy(&w, p, sizeof(w));
		if (w == TCPSEG_BSWAP32(TCPOPT_NOP_NOP_TS_WORD)) {
			memcpy(&o->tsval, p + TCPOLEN_WORD, sizeof(o->tsval));
			memcpy(&o->tsecr, p + 2 * TCPOLEN_WORD, sizeof(o->tsecr));
			o->tsval = TCPSEG_BSWAP32(o->tsval);
			o->tsecr = TCPSEG_BSWAP32(o->tsecr);
			o->present |= TCPSEG_OPT_TS;
			return;
		}
	}
	tcpseg_opts_read(p, len, o);
}

/*
 * tcpseg_opts_write() that also returns, in *sum, the sum of the 32-bit words written as
 * they lie in memory (the reply builder's checksum words, see tcpseg_reply.c), so that the
 * caller need not read back what was just stored.
 */
__attribute__((visibility("hidden"))) unsigned int tcpseg_opts_put(
		uint8_t *dst, const struct tcpseg_opts *o, uint64_t *sum);

#endif /* TCPSEG_OPT_PVT_H */
