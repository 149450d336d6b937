/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * TCP options: reading (tcp_dooptions() semantics, tcpseg_opts_parse()) and writing
 * (Linux's SYN-ACK layout, tcpseg_opts_write()).
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "tcpseg_opt.h"
#include "tcpseg_wire.h"
#include "tcpseg_opt_pvt.h"

/*
 * The options of a Linux SYN with timestamps, SACK and window scaling (every Linux client's
 * default): MSS (kind 2, length 4, value), SACK_PERM (4, 2) + TS (8, 10, TSval, TSecr), NOP +
 * WS (3, 3, shift); 20 bytes. The words that hold no value, as numbers.
 */
#define LINUX_SYN_LEN     20
#define LINUX_SYN_MSS_OFF 2  /* MSS value */
#define LINUX_SYN_W1_OFF  4  /* SACK_PERM, TS kind and length */
#define LINUX_SYN_TSVAL   8  /* TSval */
#define LINUX_SYN_TSECR   12 /* TSecr */
#define LINUX_SYN_W4_OFF  16 /* NOP, WS kind, length and shift */
#define LINUX_SYN_WS_OFF  19 /* shift */
#define LINUX_SYN_W0_HI   ((uint16_t)(TCPOPT_MSS << 8 | TCPOLEN_MSS))
#define LINUX_SYN_W1 \
	((uint32_t)TCPOPT_SACKOK << 24 | (uint32_t)TCPOLEN_SACKOK << 16 | \
			(uint32_t)TCPOPT_TS << 8 | TCPOLEN_TS)
#define LINUX_SYN_W4_HI ((uint32_t)TCPOPT_NOP << 16 | (uint32_t)TCPOPT_WSCALE << 8 | TCPOLEN_WSCALE)

static inline uint16_t
load_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t
load_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* One option of a known kind and length @p olen at @p p (its kind byte). */
static inline void
read_one(const uint8_t *p, uint32_t olen, struct tcpseg_opts *o)
{
	uint32_t n, k;

	switch (p[0]) {
	case TCPOPT_MSS:
		if (olen != TCPOLEN_MSS)
			break;
		o->present |= TCPSEG_OPT_MSS;
		o->mss = load_be16(p + TCPOPT_HDR_LEN);
		break;
	case TCPOPT_WSCALE:
		if (olen != TCPOLEN_WSCALE)
			break;
		o->present |= TCPSEG_OPT_WSCALE;
		o->wscale = p[TCPOPT_HDR_LEN];
		break;
	case TCPOPT_SACKOK:
		if (olen != TCPOLEN_SACKOK)
			break;
		o->present |= TCPSEG_OPT_SACKOK;
		break;
	case TCPOPT_SACK:
		n = (olen - TCPOPT_HDR_LEN) / TCPOLEN_SACK_BLOCK;
		if (olen <= TCPOPT_HDR_LEN || (olen - TCPOPT_HDR_LEN) % TCPOLEN_SACK_BLOCK != 0 ||
				n > TCPSEG_MAX_SACK)
			break;
		o->present |= TCPSEG_OPT_SACK;
		o->sack_count = (uint8_t)n;
		for (k = 0; k < n; k++) {
			o->sack[k][0] = load_be32(p + TCPOPT_HDR_LEN + TCPOLEN_SACK_BLOCK * k);
			o->sack[k][1] = load_be32(p + TCPOPT_HDR_LEN + 4 + TCPOLEN_SACK_BLOCK * k);
		}
		break;
	case TCPOPT_TS:
		if (olen != TCPOLEN_TS)
			break;
		o->present |= TCPSEG_OPT_TS;
		o->tsval = load_be32(p + TCPOPT_HDR_LEN);
		o->tsecr = load_be32(p + TCPOPT_HDR_LEN + 4);
		break;
	default:
		break;
	}
}

/*
 * After FreeBSD's tcp_dooptions(): EOL ends the list, NOP is one byte, any other kind has a
 * length byte that must be at least 2 and stay inside the header. A kind without its length
 * byte, or a length below 2 or past the header, ends the list as EOL would: the options
 * before it are kept and the segment is processed (tcp_dooptions breaks out of its loop; it
 * never drops the segment). Known kinds with the wrong length and unknown kinds are skipped.
 */
void
tcpseg_opts_read(const uint8_t *p, uint32_t len, struct tcpseg_opts *o)
{
	uint32_t i = 0, olen;

	/* NOP, NOP, timestamps, nothing else: same result as the loop, without it. */
	if (len == TCPOLEN_NOP_NOP_TS && load_be32(p) == TCPOPT_NOP_NOP_TS_WORD) {
		o->present |= TCPSEG_OPT_TS;
		o->tsval = load_be32(p + TCPOLEN_WORD);
		o->tsecr = load_be32(p + 2 * TCPOLEN_WORD);
		return;
	}
	/* A Linux SYN (tcp_options_write()): MSS, SACK_PERM, TS, NOP, WS. Same result too. */
	if (len == LINUX_SYN_LEN && load_be16(p) == LINUX_SYN_W0_HI &&
			load_be32(p + LINUX_SYN_W1_OFF) == LINUX_SYN_W1 &&
			(load_be32(p + LINUX_SYN_W4_OFF) >> 8) == LINUX_SYN_W4_HI) {
		o->present |= TCPSEG_OPT_MSS | TCPSEG_OPT_SACKOK | TCPSEG_OPT_TS |
				TCPSEG_OPT_WSCALE;
		o->mss = load_be16(p + LINUX_SYN_MSS_OFF);
		o->tsval = load_be32(p + LINUX_SYN_TSVAL);
		o->tsecr = load_be32(p + LINUX_SYN_TSECR);
		o->wscale = p[LINUX_SYN_WS_OFF];
		return;
	}
	while (i < len) {
		uint8_t kind = p[i];

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		olen = p[i + 1];
		if (olen < 2 || i + olen > len)
			break;
		read_one(p + i, olen, o);
		i += olen;
	}
}

void
tcpseg_opts_parse(const uint8_t *p, unsigned int len, struct tcpseg_opts *o)
{
	memset(o, 0, sizeof(*o));
	tcpseg_opts_read(p, len, o);
}

/* Stores word @p w (host order) big-endian at @p p and adds it, as stored, to @p sum. */
static inline void
put_word(uint8_t *p, uint32_t w, uint64_t *sum)
{
	const uint32_t be = TCPSEG_BSWAP32(w);

	memcpy(p, &be, sizeof(be));
	*sum += be;
}

/* Linux's tcp_options_write() for a SYN-ACK, restricted to MSS, TS, SACK_PERM and WS. */
unsigned int
tcpseg_opts_put(uint8_t *dst, const struct tcpseg_opts *o, uint64_t *sum)
{
	const uint8_t want = o->present;
	unsigned int n = 0;

	if (want & TCPSEG_OPT_MSS) {
		put_word(dst, (uint32_t)TCPOPT_MSS << 24 | (uint32_t)TCPOLEN_MSS << 16 | o->mss,
				sum);
		n += TCPOLEN_WORD;
	}
	if (want & TCPSEG_OPT_TS) {
		if (want & TCPSEG_OPT_SACKOK)
			put_word(dst + n,
					(uint32_t)TCPOPT_SACKOK << 24 |
							(uint32_t)TCPOLEN_SACKOK << 16 |
							(uint32_t)TCPOPT_TS << 8 | TCPOLEN_TS,
					sum);
		else
			put_word(dst + n, TCPOPT_NOP_NOP_TS_WORD, sum);
		put_word(dst + n + TCPOLEN_WORD, o->tsval, sum);
		put_word(dst + n + 2 * TCPOLEN_WORD, o->tsecr, sum);
		n += TCPOLEN_NOP_NOP_TS;
	} else if (want & TCPSEG_OPT_SACKOK) {
		put_word(dst + n,
				(uint32_t)TCPOPT_NOP << 24 | (uint32_t)TCPOPT_NOP << 16 |
						(uint32_t)TCPOPT_SACKOK << 8 | TCPOLEN_SACKOK,
				sum);
		n += TCPOLEN_WORD;
	}
	if (want & TCPSEG_OPT_WSCALE) {
		put_word(dst + n,
				(uint32_t)TCPOPT_NOP << 24 | (uint32_t)TCPOPT_WSCALE << 16 |
						(uint32_t)TCPOLEN_WSCALE << 8 | o->wscale,
				sum);
		n += TCPOLEN_WORD;
	}
	return n;
}

unsigned int
tcpseg_opts_write(uint8_t *dst, const struct tcpseg_opts *o)
{
	uint64_t sum = 0;

	return tcpseg_opts_put(dst, o, &sum);
}
