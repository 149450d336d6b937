/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TT_UTIL_H
#define TT_UTIL_H

/* Helpers of the lib/tcpterm unit tests: real frames built byte by byte, parsed by
 * tcpseg_parse(), driven through a table. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include <tcpseg.h>
#include <tcpterm.h>

extern struct rte_mempool *tt_pool;

/* A fixed secret, so that cookies are reproducible. */
extern const uint8_t tt_secret[TCPTERM_SECRET_LEN];

/* A frame to send to the table: peer n (198.19.0.n or 2001:db8:1::n, port 40000 + n) to
 * 198.18.0.1 / 2001:db8::1 port 80. */
struct tt_seg {
	uint32_t peer;
	bool v6;
	uint8_t n_vlan;
	uint8_t flags;
	uint32_t seq, ack;
	uint32_t win; /* 0: 65535; TT_WIN0: a zero window */
	uint8_t opts; /* TCPSEG_OPT_* */
	uint16_t mss;
	uint8_t ws;
	uint32_t tsval, tsecr;
	const void *data;
	uint16_t len;
};

/* struct tt_seg.win for a zero window. */
#define TT_WIN0 0x10000u

int tt_setup(const char *name);

/* Build the frame of s into an mbuf, parse it into v; returns the mbuf (caller frees). */
struct rte_mbuf *tt_frame(const struct tt_seg *s, struct tcpseg_view *v);

/* A response (HTTP unless raw) with body_len bytes 'a' + i % 26, keep-alive ka. */
struct tcpterm_response *tt_response(uint32_t body_len, bool raw, uint32_t ka);

/* A table over the responses, fixed secret, the given capacity; other params from *p if not
 * NULL. */
struct tcpterm_table *tt_table(struct tcpterm_response **r, uint32_t n, uint32_t cap,
		const struct tcpterm_params *p);

/* Run one segment through tcpterm_input() with listener 0. */
enum tcpterm_verdict tt_input(struct tcpterm_table *t, const struct tt_seg *s, uint64_t now,
		struct tcpterm_out *out);

/* Run the SYN s through tcpterm_syn_reopen() (a SYN that found a TIME_WAIT entry whose snd_nxt
 * is old_snd_nxt) with the given listener: the first step of a handshake from TIME_WAIT. */
enum tcpterm_verdict tt_reopen(struct tcpterm_table *t, const struct tt_seg *s, int listener,
		uint32_t old_snd_nxt, uint64_t now, struct tcpterm_out *out);

/* Handshake for peer n (SYN at now, ACK at now): returns the connection id; fills *syn with
 * the segment template (seq/ack of the peer after the handshake). opts/ws/tsval as in *syn. */
uint32_t tt_connect(struct tcpterm_table *t, struct tt_seg *syn, uint64_t now);

uint64_t tt_ctr(const struct tcpterm_table *t, enum tcpterm_counter c);
uint32_t tt_state_count(const struct tcpterm_table *t, enum tcpterm_state s);

/* Connection info of id; fails the test when not live. */
struct tcpterm_conn_info tt_info(const struct tcpterm_table *t, uint32_t id, uint64_t now);

#endif
