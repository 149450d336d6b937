/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_TEST_UTIL_H
#define TWQ_TEST_UTIL_H

#include <stdint.h>

#include <twq.h>

/* A shard with the seed's defaults: msl 30 s, capacity cap for both families. */
struct twq_shard *tu_shard(uint32_t cap, uint32_t flags);
/* As tu_shard, with the parameters given. */
struct twq_shard *tu_shard_p(struct twq_params *p);

/* IPv4 key 198.18.0.1:80 <- 198.19.x.y:port; IPv6 key 2001:db8::1 port 80 <- 2001:db8:1::n. */
void tu_key4(struct twq_key *k, uint32_t n);
void tu_key6(struct twq_key *k, uint32_t n);

/* A closing connection on key k: snd_nxt, rcv_nxt, window 1000 << 0, no timestamps. */
void tu_conn(struct twq_conn *c, const struct twq_key *k, uint32_t snd_nxt, uint32_t rcv_nxt);

/* A segment arriving on the connection of key k (src = peer). */
void tu_seg(struct tcpseg_view *v, const struct twq_key *k, uint8_t flags, uint32_t seq,
		uint32_t ack, uint16_t payload_len);
/* Add a timestamps option to a segment. */
void tu_seg_ts(struct tcpseg_view *v, uint32_t tsval, uint32_t tsecr);

/* Read one counter. */
uint64_t tu_ctr(const struct twq_shard *s, enum twq_counter c);

/* Check that live entries equal what the counters say went in minus what came out. */
void tu_check_balance(const struct twq_shard *s);

#endif
