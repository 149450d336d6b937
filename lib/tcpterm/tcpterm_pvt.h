/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPTERM_PVT_H
#define TCPTERM_PVT_H

/* Internal to lib/tcpterm (not installed): the connection entry, the table, and the helpers
 * its files share. */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mbuf.h>

#include "tcpterm.h"

/** Bytes per block of a response's precomputed partial sums. */
#define TCPTERM_SUM_BLOCK 64u

/** One variant of a response: its bytes and the cumulative sums of its 64-byte blocks. */
struct tcpterm_variant {
	uint8_t *data;   /* rte_malloc'd */
	rte_iova_t iova; /* IOVA of data */
	uint32_t len;
	uint16_t *psum; /* psum[k]: folded sum of bytes [0, 64k), k = 0 .. len / 64 */
};

struct tcpterm_response {
	struct tcpterm_variant v[2]; /* [0] closing, [1] keep-alive (== [0] when none) */
	uint8_t mode;
	uint8_t has_ka;              /* v[1] is its own variant */
	uint32_t keepalive_requests; /* at least 1, at most 255 */
};

/*
 * A live connection: 120 bytes, two per 240 (with the 4-byte hash bucket, 124 bytes per
 * connection all-in at a load factor of 1). Sequence numbers are absolute; the response
 * being sent starts at resp_seq() (iss + 1 + responses already answered times the length of
 * the keep-alive variant, which is the one all of them used).
 */
struct tcpterm_conn {
	/* fields used in lookup */
	union tcpseg_addr raddr; /* peer */
	union tcpseg_addr laddr; /* us */
	uint16_t lport;
	uint16_t rport;
	uint32_t hnext; /* hash chain; also the free list */
	/* timer wheel */
	uint32_t tprev;
	uint32_t tnext;
	uint32_t deadline; /* ms, modulo 2^32 */
	/* sequence space */
	uint32_t iss;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max;
	uint32_t rcv_nxt;
	uint32_t ts_recent;
	uint32_t rtt_seq;  /* the timed segment's seq (C_RTT) */
	uint32_t rtt_time; /* when it was sent, ms */
	uint16_t snd_wnd;  /* the peer's window field, unscaled */
	uint16_t mss;
	uint16_t cwnd;     /* segments */
	uint16_t ssthresh; /* segments (RFC 5681); UINT16_MAX until a timeout */
	uint16_t srtt8;    /* smoothed RTT, ms * 8 (0: no sample yet) */
	uint16_t rttvar4;  /* RTT variation, ms * 4 */
	uint16_t rto;      /* ms, backoff applied */
	uint16_t vlan[2];  /* TCIs, outer first */
	uint16_t port;
	uint8_t peer_mac[6];
	uint8_t state;
	uint8_t flags; /* C_* */
	uint8_t snd_wscale;
	uint8_t resp;
	uint8_t retries;
	uint8_t nreq;    /* responses started */
	uint8_t match;   /* HTTP: 0..3 bytes of CR LF CR matched; bit 7: raw request seen */
	uint8_t pending; /* requests complete, response not started (saturates) */
	uint8_t cur;     /* current response: CUR_NONE, CUR_CLOSE, CUR_KA, CUR_FIN */
	uint8_t l2;      /* L2_* */
};

/* struct tcpterm_conn.flags */
#define C_IPV6   0x01
#define C_TS     0x02 /* timestamps in use */
#define C_SACK   0x04 /* the peer offered SACK-permitted (and we did) */
#define C_RTT    0x08 /* a segment is being timed */
#define C_FINRCV 0x10 /* the peer's FIN was received */
#define C_WS     0x20 /* window scaling negotiated */
#define C_TIMER  0x40 /* on the timer wheel */
#define C_USED   0x80 /* entry is live */

/* struct tcpterm_conn.cur: what the sequence space after resp_seq() holds. */
#define CUR_NONE  0 /* nothing started: waiting for a request */
#define CUR_CLOSE 1 /* the closing variant, then our FIN */
#define CUR_KA    2 /* the keep-alive variant, no FIN */
#define CUR_FIN   3 /* our FIN alone */

/* struct tcpterm_conn.l2: VLAN tags kept, and the kind of the armed timer. */
#define L2_NVLAN  0x03 /* number of VLAN tags */
#define L2_QINQ   0x04 /* the outer TPID is 0x88a8 */
#define L2_TKIND  0x30 /* kind of timer armed */
#define L2_T_RTO  0x10 /* retransmission (RFC 6298) */
#define L2_T_IDLE 0x20 /* idle: ESTABLISHED waiting for a request */
#define L2_T_FW2  0x30 /* FIN-WAIT-2 timeout */

/* Timer wheel: ticks of 2^TICK_SHIFT ms. */
#define TICK_SHIFT 4

struct tcpterm_table {
	struct tcpterm_conn *conns;
	uint32_t *buckets;
	uint32_t *wheel; /* heads of circular lists, TCPTERM_ID_NONE when empty */
	uint32_t capacity;
	uint32_t bucket_mask;
	uint32_t wheel_mask;
	uint32_t free_head;
	uint32_t count;
	uint32_t cur_tick; /* next tick to process */
	uint32_t timers;   /* connections on the wheel */
	uint32_t run_mark; /* cur_tick's slot: first entry kept by its run so far, or NONE */
	uint32_t ts_offset;
	uint64_t ch_last_ms; /* challenge ACK bucket */
	uint32_t ch_tokens;
	uint64_t sip_k0, sip_k1; /* SipHash key, from the secret */
	struct tcpterm_params p;
	const struct tcpterm_response *resp[TCPTERM_RESPONSES_MAX];
	struct rte_mbuf_ext_shared_info (*shinfo)[2]; /* [n_responses]: per variant */
	uint32_t state_count[TCPTERM_ST_MAX];
	uint64_t ctr[TCPTERM_CTR_MAX];
};

static inline void
ctr_add(struct tcpterm_table *t, enum tcpterm_counter c, uint64_t n)
{
	/* One writer: a relaxed load/store pair is enough for readers on other threads. */
	__atomic_store_n(&t->ctr[c], t->ctr[c] + n, __ATOMIC_RELAXED);
}

static inline void
ctr_inc(struct tcpterm_table *t, enum tcpterm_counter c)
{
	ctr_add(t, c, 1);
}

static inline void
set_state(struct tcpterm_table *t, struct tcpterm_conn *c, enum tcpterm_state s)
{
	__atomic_store_n(&t->state_count[c->state], t->state_count[c->state] - 1, __ATOMIC_RELAXED);
	__atomic_store_n(&t->state_count[s], t->state_count[s] + 1, __ATOMIC_RELAXED);
	c->state = (uint8_t)s;
}

static inline uint32_t
conn_id(const struct tcpterm_table *t, const struct tcpterm_conn *c)
{
	return (uint32_t)(c - t->conns);
}

/* tcpterm_table.c */
uint32_t tcpterm_hash_key(const struct tcpterm_key *k);
struct tcpterm_conn *tcpterm_conn_new(
		struct tcpterm_table *t, const struct tcpterm_key *k, uint32_t hash);
void tcpterm_conn_del(struct tcpterm_table *t, struct tcpterm_conn *c);
uint32_t tcpterm_lookup_hash(
		const struct tcpterm_table *t, const struct tcpterm_key *k, uint32_t hash);
void tcpterm_conn_l2(struct tcpterm_conn *c, const struct rte_mbuf *m, const struct tcpseg_view *v);

/* tcpterm_timer.c */
void tcpterm_timer_set(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms,
		uint32_t after_ms, uint8_t kind);
void tcpterm_timer_stop(struct tcpterm_table *t, struct tcpterm_conn *c);

/* tcpterm_cookie.c */
uint64_t tcpterm_siphash(uint64_t k0, uint64_t k1, const uint64_t *w, unsigned int n);
uint32_t tcpterm_cookie_isn(const struct tcpterm_table *t, const struct tcpseg_view *v,
		uint32_t count, unsigned int mss_idx);
unsigned int tcpterm_cookie_mss_idx(uint16_t mss);
void tcpterm_cookie_synack(struct tcpterm_table *t, const struct tcpseg_view *v, uint64_t now_ms,
		struct tcpseg_reply *r, struct tcpterm_out *out);
bool tcpterm_cookie_check(struct tcpterm_table *t, const struct tcpseg_view *v, uint64_t now_ms,
		uint16_t *mss, uint8_t *wscale, uint8_t *sack);

/* tcpterm_send.c */
uint32_t tcpterm_resp_seq(const struct tcpterm_table *t, const struct tcpterm_conn *c);
uint32_t tcpterm_cur_len(const struct tcpterm_table *t, const struct tcpterm_conn *c);
void tcpterm_fill_hdr(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_seg *s);
void tcpterm_ack_reply(const struct tcpterm_table *t, const struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out);
void tcpterm_synack_seg(const struct tcpterm_table *t, const struct tcpterm_conn *c,
		uint64_t now_ms, struct tcpterm_seg *s);
void tcpterm_synack_reply(const struct tcpterm_table *t, const struct tcpterm_conn *c,
		uint64_t now_ms, struct tcpterm_out *out);
void tcpterm_cwnd_acked(struct tcpterm_conn *c, uint32_t old_una, uint32_t ack, bool rtt);
void tcpterm_cwnd_loss(struct tcpterm_conn *c);
unsigned int tcpterm_send(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms,
		struct tcpterm_out *out, bool one);
void tcpterm_arm(struct tcpterm_table *t, struct tcpterm_conn *c, uint64_t now_ms, bool acked,
		bool data);
void tcpterm_start_response(struct tcpterm_table *t, struct tcpterm_conn *c);
uint16_t tcpterm_initial_cwnd(const struct tcpterm_table *t, uint16_t mss);

/* tcpterm_input.c */
void tcpterm_out_init(struct tcpterm_out *out);

#endif /* TCPTERM_PVT_H */
