/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPSEG_OPT_H
#define TCPSEG_OPT_H

/**
 * @file
 * tcpseg options: reading and writing the TCP options of RFC 9293 (MSS), RFC 7323 (window
 * scale, timestamps) and RFC 2018 (SACK-permitted, SACK). Included by tcpseg.h; usable on
 * its own.
 *
 * Nothing here allocates, logs or keeps state: every function is safe on the fast path.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Bits of struct tcpseg_opts.present (and of struct tcpseg_reply.syn_opts)
 * @{
 */
#define TCPSEG_OPT_MSS    0x01 /**< maximum segment size (kind 2) */
#define TCPSEG_OPT_WSCALE 0x02 /**< window scale (kind 3) */
#define TCPSEG_OPT_SACKOK 0x04 /**< SACK permitted (kind 4) */
#define TCPSEG_OPT_SACK   0x08 /**< SACK blocks (kind 5) */
#define TCPSEG_OPT_TS     0x10 /**< timestamps (kind 8) */
/** @} */

/** Most SACK blocks a TCP header can carry. */
#define TCPSEG_MAX_SACK 4

/** Most bytes of options a TCP header can carry (data offset 15 words, minus the 20-byte
 * header). tcpseg_opts_write() writes at most 20 of them. */
#define TCPSEG_OPTS_MAXLEN 40

/** TCP options found in a segment, or to be written; host byte order. */
struct tcpseg_opts {
	uint8_t present;                   /**< TCPSEG_OPT_* bits */
	uint8_t wscale;                    /**< window scale shift, if TCPSEG_OPT_WSCALE */
	uint8_t sack_count;                /**< number of SACK blocks, if TCPSEG_OPT_SACK */
	uint16_t mss;                      /**< maximum segment size, if TCPSEG_OPT_MSS */
	uint32_t tsval;                    /**< timestamp value, if TCPSEG_OPT_TS */
	uint32_t tsecr;                    /**< timestamp echo reply, if TCPSEG_OPT_TS */
	uint32_t sack[TCPSEG_MAX_SACK][2]; /**< SACK blocks (left, right edge) */
};

/**
 * Read a TCP option list, as FreeBSD's tcp_dooptions() does (tcpseg_parse() reads the
 * options of every segment this way).
 *
 * EOL ends the list, NOP is one byte, any other kind has a length byte. A known kind with
 * the wrong length (MSS 4, window scale 3, SACK-permitted 2, timestamps 10, SACK 2 + 8n up
 * to TCPSEG_MAX_SACK blocks) and an unknown kind are skipped; a kind without its length
 * byte, or a length below 2 or past @p len, ends the list there, the options read before it
 * kept. A later option of a kind overrides an earlier one. Values are stored as sent (no
 * clamping of the window scale); MSS, window scale and SACK-permitted are read whatever the
 * segment's flags: the caller decides what applies.
 *
 * @param p
 *   The option bytes (those after the 20-byte TCP header).
 * @param len
 *   Their number: the TCP header length minus 20, at most TCPSEG_OPTS_MAXLEN.
 * @param o
 *   Zeroed, then filled with the options found.
 */
void tcpseg_opts_parse(const uint8_t *p, unsigned int len, struct tcpseg_opts *o);

/**
 * Write options for a SYN or SYN-ACK in Linux's order and packing (tcp_options_write()):
 * MSS; then timestamps, preceded by SACK-permitted (kind 4, length 2) when both are asked
 * for, by NOP, NOP otherwise; then NOP, NOP, SACK-permitted when SACK-permitted is asked for
 * without timestamps; then NOP and window scale. Every option is padded with NOP to a 32-bit
 * word, so the result is a multiple of 4 bytes (at most 20) and can be used as it is.
 *
 * Only the TCPSEG_OPT_MSS, TCPSEG_OPT_WSCALE, TCPSEG_OPT_SACKOK and TCPSEG_OPT_TS bits of
 * o->present are looked at (SACK blocks are not written). Values are written as given: the
 * caller clamps the window scale to 14 (RFC 7323 section 2.3).
 *
 * @param dst
 *   Where to write; room for TCPSEG_OPTS_MAXLEN bytes is always enough.
 * @param o
 *   The options to write.
 * @return
 *   The number of bytes written, a multiple of 4 from 0 to 20.
 */
unsigned int tcpseg_opts_write(uint8_t *dst, const struct tcpseg_opts *o);

#ifdef __cplusplus
}
#endif

#endif /* TCPSEG_OPT_H */
