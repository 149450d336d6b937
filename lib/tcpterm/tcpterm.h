/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPTERM_H
#define TCPTERM_H

/**
 * @file
 * tcpterm: TCP termination for dpdk-twq. Listeners answer SYNs with SYN cookies and keep no
 * state; the ACK that completes a handshake creates a compact live connection, which is
 * answered with a fixed response (HTTP or raw bytes), closed by us first, and handed to the
 * TIME_WAIT engine (lib/twq) when both FINs are acknowledged: verdict TCPTERM_TIMEWAIT with a
 * struct tcpterm_closed holding exactly the inputs of FreeBSD's tcp_twstart(). This library
 * does not know lib/twq: the application copies struct tcpterm_closed into struct twq_conn.
 *
 * One struct tcpterm_table per worker: a fixed pool of connections (all states of RFC 9293
 * from SYN-RECEIVED to LAST-ACK), a hash index over the 4-tuple, one timer per connection in
 * a timer wheel, the SYN-cookie keys and the counters. It is created once with its capacity
 * and never allocates afterwards. A table is not thread-safe: one thread at a time, except
 * tcpterm_counters_read() and tcpterm_state_counts(), which may run anywhere.
 *
 * The library decides, the caller does the I/O. tcpterm_input() takes a parsed segment and
 * the caller's clock and returns a verdict and a struct tcpterm_out: a reply to build in place
 * over the received frame (tcpseg_build_reply()) and/or data segments described by sequence
 * numbers and an offset into the listener's response. tcpterm_frame_build() turns such a
 * segment into a frame: a header mbuf and the payload attached to the preloaded response as
 * an external buffer (no copy), checksums from the response's precomputed partial sums or
 * left to the NIC. Timers (retransmission, FIN-WAIT-2, idle) run in tcpterm_timers(), which
 * reports what to send through a callback.
 *
 * The responses (one per listener) are in tcpterm_response.h, the states and counters in
 * tcpterm_counters.h; both are included here.
 *
 * Time is a millisecond clock supplied by the caller (monotonic; only differences matter).
 * Timer deadlines are kept modulo 2^32 ms: every timeout must stay below 2^31 ms.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <tcpseg.h>

#include "tcpterm_counters.h"
#include "tcpterm_response.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Smallest capacity of a table. */
#define TCPTERM_CAPACITY_MIN 64u
/** Largest capacity of a table. */
#define TCPTERM_CAPACITY_MAX (1u << 26)
/** Connection id meaning "no connection". */
#define TCPTERM_ID_NONE UINT32_MAX
/** Most responses (listeners) a table serves; a listener is an index below this. */
#define TCPTERM_RESPONSES_MAX 64
/** Most data segments one call describes in struct tcpterm_out. */
#define TCPTERM_SEGS_MAX 32
/** Bytes of the SYN-cookie secret. */
#define TCPTERM_SECRET_LEN 32
/** Number of entries of the SYN-cookie MSS table (tcpterm_cookie_mss()). */
#define TCPTERM_COOKIE_MSS_N 8
/** Receive window we advertise (unscaled; our window scale is 0). */
#define TCPTERM_RCV_WND 65535u

/** @name Switches of a table (struct tcpterm_params.flags). All off by default.
 * @{ */
/** Offer SACK-permitted in SYN-ACKs (SACK blocks are ignored: no selective retransmission). */
#define TCPTERM_F_SACK (1u << 0)
/** @} */

/** Parameters of a table. A value of 0 takes the default written beside it. */
struct tcpterm_params {
	const char *name;   /**< name for memory allocations (debugging) */
	int socket_id;      /**< NUMA socket, or SOCKET_ID_ANY */
	uint32_t capacity;  /**< live connections, all states; raised to TCPTERM_CAPACITY_MIN */
	uint32_t flags;     /**< TCPTERM_F_* switches */
	uint16_t mss_v4;    /**< MSS our IPv4 path allows (MTU - 40); 0: 1460 */
	uint16_t mss_v6;    /**< MSS our IPv6 path allows (MTU - 60); 0: 1440 */
	uint32_t init_cwnd; /**< initial window, segments (RFC 6928: at most N * 1460 B); 0: 10 */
	/** The responses, by listener index; the table keeps the pointers (not copies). */
	const struct tcpterm_response *const *responses;
	uint32_t n_responses; /**< entries of responses, at most TCPTERM_RESPONSES_MAX */
	/** SYN-cookie secret (TCPTERM_SECRET_LEN bytes), or NULL to draw one with getrandom(). */
	const uint8_t *secret;
	uint32_t cookie_interval_ms; /**< SYN-cookie key period; a cookie lives 2; 0: 64000 */
	uint32_t rto_initial_ms;     /**< RTO before an RTT sample (RFC 6298 2.1); 0: 1000 */
	uint32_t rto_min_ms;         /**< lower bound of the RTO (RFC 6298 2.4); 0: 200 */
	uint32_t rto_max_ms;         /**< upper bound of the RTO (RFC 6298 2.5); 0: 60000 */
	uint32_t retries;            /**< RTOs in a row before the abort with RST; 0: 6 */
	uint32_t fin_wait2_ms;       /**< FIN-WAIT-2 timeout (Linux tcp_fin_timeout); 0: 60000 */
	uint32_t idle_ms;            /**< ESTABLISHED without a complete request; 0: 30000 */
	/** Challenge ACKs per second per table, on average (each second's budget is drawn in
	 * [limit / 2, limit * 3 / 2), against CVE-2016-5696); 0: 1000 */
	uint32_t challenge_ack_limit;
};

/** A connection's 4-tuple as seen from this side (the layout of lib/twq's struct twq_key). */
struct tcpterm_key {
	union tcpseg_addr laddr; /**< local address (destination of received segments) */
	union tcpseg_addr raddr; /**< remote address (the peer) */
	uint16_t lport;          /**< local port, host order */
	uint16_t rport;          /**< remote port, host order */
	uint8_t is_ipv6;         /**< 1 for IPv6 */
};

/** @name Flags of struct tcpterm_closed (same values as lib/twq's TWQ_CONN_*).
 * @{ */
#define TCPTERM_CLOSED_REQ_TSTMP  0x01 /**< we sent timestamps (TF_REQ_TSTMP) */
#define TCPTERM_CLOSED_RCVD_TSTMP 0x02 /**< the peer sent timestamps (TF_RCVD_TSTMP) */
#define TCPTERM_CLOSED_NOOPT      0x04 /**< no TCP options on this connection (TF_NOOPT) */
#define TCPTERM_CLOSED_ACKNOW     0x08 /**< the peer's FIN is still to be ACKed (TF_ACKNOW) */
/** @} */

/**
 * A connection that entered TIME_WAIT: exactly the inputs of the seed's tcp_twstart() (the
 * layout of lib/twq's struct twq_conn; the application copies it field by field).
 */
struct tcpterm_closed {
	struct tcpterm_key key; /**< the 4-tuple */
	uint32_t snd_nxt;       /**< next sequence number to send (after our FIN) */
	uint32_t rcv_nxt;       /**< next sequence number expected (after the peer's FIN) */
	uint32_t rcv_adv;       /**< highest sequence number advertised: rcv_nxt + our window */
	uint32_t ts_recent;     /**< peer's last timestamp */
	uint32_t ts_offset;     /**< our timestamp offset (TSval = now_ms + ts_offset) */
	uint8_t rcv_scale;      /**< our receive window scale */
	uint8_t flags;          /**< TCPTERM_CLOSED_* */
};

/** Verdict for one segment (tcpterm_input()) or one timer (tcpterm_timers()). */
enum tcpterm_verdict {
	/** Nothing to send. */
	TCPTERM_DROP = 0,
	/** Send out->reply (when out->has_reply) and the out->n_segs segments. */
	TCPTERM_SEND,
	/**
	 * Send out->reply, a RST (closed-port answer: table full, bad cookie, abort). The caller
	 * may pass it through its closed-port rate limit. The connection, if any, is gone.
	 */
	TCPTERM_RST,
	/** The connection is gone into TIME_WAIT: hand out->closed to twq_start(). */
	TCPTERM_TIMEWAIT,
	/** No connection and no listener (listener < 0): the closed-port policy applies. */
	TCPTERM_MISS,
};

/** One segment to send, built by tcpterm_frame_build() (or by the caller). Host order. */
struct tcpterm_seg {
	uint32_t seq;     /**< sequence number */
	uint32_t ack;     /**< acknowledgement number */
	uint16_t win;     /**< window field */
	uint8_t flags;    /**< TCPSEG_ACK, with TCPSEG_PSH/FIN on data, TCPSEG_SYN, TCPSEG_RST */
	uint8_t has_ts;   /**< 1: write NOP, NOP, timestamps */
	uint32_t tsval;   /**< timestamp value, if has_ts */
	uint32_t tsecr;   /**< timestamp echo reply, if has_ts */
	uint32_t off;     /**< offset of the payload in the response */
	uint16_t len;     /**< payload bytes (0: none) */
	uint8_t resp;     /**< response (listener index) */
	uint8_t variant;  /**< response variant: 1 keep-alive, 0 closing */
	uint8_t syn_opts; /**< SYN-ACK only: TCPSEG_OPT_MSS / _WSCALE / _SACKOK to write */
	uint8_t wscale;   /**< our window scale, if TCPSEG_OPT_WSCALE in syn_opts */
	uint16_t mss;     /**< our MSS, if TCPSEG_OPT_MSS in syn_opts */
};

/** What to send for one segment or one timer. */
struct tcpterm_out {
	uint32_t conn;     /**< connection id, or TCPTERM_ID_NONE (gone, or never made) */
	uint16_t port;     /**< port the connection was accepted on (timers: where to send) */
	uint8_t has_reply; /**< reply is to be built in place over the received frame */
	uint8_t n_segs;    /**< segments in segs[], built with tcpterm_frame_build() */
	/**
	 * The reply in place (tcpseg_build_reply()): an ACK, a challenge ACK, a RST or a
	 * SYN-ACK. A SYN-ACK's options are in the reply's syn_opts, wscale and mss, so that
	 * tcpseg_build_reply() writes it as it is (and, the same, in syn below).
	 */
	struct tcpseg_reply reply;
	/** For a SYN-ACK in reply (flags SYN|ACK): the options, as in reply.syn_opts/wscale/mss. */
	struct {
		uint8_t opts;   /**< TCPSEG_OPT_MSS / _WSCALE / _SACKOK */
		uint8_t wscale; /**< our window scale */
		uint16_t mss;   /**< our MSS */
	} syn;
	struct tcpterm_closed closed;              /**< verdict TCPTERM_TIMEWAIT only */
	struct tcpterm_seg segs[TCPTERM_SEGS_MAX]; /**< data, FIN, or (timers) SYN-ACK/RST */
};

/** A copy of one connection, for telemetry (tcpterm_conn_get(), tcpterm_foreach()). */
struct tcpterm_conn_info {
	struct tcpterm_key key; /**< the 4-tuple */
	uint8_t state;          /**< enum tcpterm_state */
	uint8_t resp;           /**< listener index */
	uint8_t has_ts;         /**< timestamps in use */
	uint8_t snd_wscale;     /**< the peer's window scale (applied to its windows) */
	uint16_t mss;           /**< MSS we send with */
	uint16_t port;          /**< port it was accepted on */
	uint32_t iss;           /**< our initial sequence number */
	uint32_t snd_una;       /**< oldest unacknowledged */
	uint32_t snd_nxt;       /**< next to send */
	uint32_t rcv_nxt;       /**< next expected */
	uint32_t snd_wnd;       /**< the peer's window, scaled */
	uint32_t cwnd;          /**< congestion window, bytes */
	uint32_t rto_ms;        /**< current RTO, backoff applied */
	uint32_t timer_ms;      /**< time left on its timer; 0 when due */
	uint32_t requests;      /**< requests answered or being answered */
	uint8_t retries;        /**< RTOs in a row */
};

/** Opaque table. */
struct tcpterm_table;

/**
 * Create a table. All its memory is taken here.
 *
 * @param p
 *   Parameters; copied (the responses are referenced, not copied).
 * @return
 *   The table, or NULL with rte_errno set: EINVAL (capacity above TCPTERM_CAPACITY_MAX,
 *   n_responses 0 or above TCPTERM_RESPONSES_MAX, a NULL response, an MSS below 64, a timeout
 *   of 2^31 ms or more, rto_min_ms above rto_max_ms), ENOMEM, or the errno of getrandom().
 */
struct tcpterm_table *tcpterm_table_create(const struct tcpterm_params *p);

/**
 * Free a table and all its connections.
 *
 * @param t
 *   The table, or NULL (nothing is done).
 */
void tcpterm_table_free(struct tcpterm_table *t);

/**
 * The parameters the table runs with, defaults filled in.
 *
 * @param t
 *   The table.
 * @return
 *   A pointer into the table, valid until tcpterm_table_free().
 */
const struct tcpterm_params *tcpterm_table_params(const struct tcpterm_table *t);

/**
 * Bytes of memory the table holds (pool, index, timer wheel, the table itself), not the
 * responses.
 *
 * @param t
 *   The table.
 * @return
 *   Bytes.
 */
size_t tcpterm_table_memory(const struct tcpterm_table *t);

/**
 * Number of live connections.
 *
 * @param t
 *   The table.
 * @return
 *   Connections in any state.
 */
uint32_t tcpterm_table_count(const struct tcpterm_table *t);

/**
 * Process one received segment (after the TIME_WAIT table missed).
 *
 * The connection of the 4-tuple, if any, processes it by RFC 9293's segment-arrival rules
 * (section 3.10.7.4) with RFC 5961's RST and SYN rules. Otherwise, when @p listener is a
 * listener index: a SYN (without ACK) gets a SYN-ACK with a SYN cookie and no state is kept;
 * an ACK is checked as the third segment of a handshake, and a good cookie creates a
 * connection in ESTABLISHED and processes any data with it; a bad cookie gets the
 * closed-port RST (TCPTERM_RST). Otherwise TCPTERM_MISS.
 *
 * @param t
 *   The table.
 * @param v
 *   The segment, parsed from @p m.
 * @param m
 *   The received frame: its payload is read (HTTP request matching) and, when a connection
 *   is created, its Ethernet source address and VLAN tags are kept for frames built later.
 *   m->port is kept as the connection's port. Not modified.
 * @param listener
 *   Index of the listener (response) the destination address and port belong to, or -1.
 * @param now_ms
 *   The clock.
 * @param out
 *   Filled with what to send.
 * @return
 *   A value of enum tcpterm_verdict.
 */
enum tcpterm_verdict tcpterm_input(struct tcpterm_table *t, const struct tcpseg_view *v,
		const struct rte_mbuf *m, int listener, uint64_t now_ms, struct tcpterm_out *out);

/**
 * Prefetch what tcpterm_input() will read for a segment, so that a burst hides the memory
 * latency of a large table: call it with stage 0 for every segment of the burst (the hash
 * bucket), then with stage 1 for every segment (the connection the bucket leads to), then
 * tcpterm_input() for each. Reads only; counts nothing.
 *
 * @param t
 *   The table.
 * @param v
 *   A parsed segment.
 * @param stage
 *   0 or 1, as above.
 */
void tcpterm_prefetch(const struct tcpterm_table *t, const struct tcpseg_view *v, int stage);

/**
 * Answer a SYN that reopened a TIME_WAIT entry (lib/twq's TWQ_REOPEN). A SYN cookie cannot
 * promise an ISN above the old incarnation's (RFC 9293 section 3.6.1, MAY-2), so this one
 * handshake is kept as a SYN-RECEIVED connection with ISN old_snd_nxt + 65535 + 2 (as Linux
 * does), its SYN-ACK retransmitted on RTO. Table full: TCPTERM_RST, counted.
 *
 * @param t
 *   The table.
 * @param v
 *   The SYN.
 * @param m
 *   Its frame (L2 kept, as in tcpterm_input()).
 * @param listener
 *   Listener index (must be valid).
 * @param old_snd_nxt
 *   The TIME_WAIT entry's snd_nxt.
 * @param now_ms
 *   The clock.
 * @param out
 *   Filled: the SYN-ACK in reply.
 * @return
 *   TCPTERM_SEND, TCPTERM_RST (full) or TCPTERM_DROP (listener invalid, segment not a SYN).
 */
enum tcpterm_verdict tcpterm_syn_reopen(struct tcpterm_table *t, const struct tcpseg_view *v,
		const struct rte_mbuf *m, int listener, uint32_t old_snd_nxt, uint64_t now_ms,
		struct tcpterm_out *out);

/**
 * Callback of tcpterm_timers(): called for each connection whose timer fired and that has
 * something to send, before the connection is freed when the verdict ends it (TCPTERM_RST),
 * so that tcpterm_frame_build() can still read it.
 *
 * @param t
 *   The table.
 * @param verdict
 *   TCPTERM_SEND (retransmission in out->segs) or TCPTERM_RST (abort: out->segs[0] is the
 *   RST).
 * @param out
 *   What to send; out->has_reply is 0 (there is no received frame).
 * @param arg
 *   The caller's argument.
 */
typedef void (*tcpterm_timer_cb)(struct tcpterm_table *t, enum tcpterm_verdict verdict,
		const struct tcpterm_out *out, void *arg);

/**
 * Run the timers that are due: retransmission (RFC 6298: data, FIN or SYN-ACK again from
 * snd_una, RTO doubled, one segment; the retry limit aborts with RST), the FIN-WAIT-2
 * timeout (closed silently) and the idle timeout (abort with RST). O(1) when nothing is due.
 *
 * @param t
 *   The table.
 * @param now_ms
 *   The clock.
 * @param budget
 *   Most timer entries to visit in this call: each timer fired is one, and so is each entry
 *   of a later turn of the wheel found in a due slot (kept). The next call goes on from
 *   where this one stopped, so the call costs O(budget) however many timers are due.
 * @param cb
 *   Called for each fired timer with something to send; may be NULL.
 * @param arg
 *   Passed to cb.
 * @return
 *   Number of timers fired (at most budget); when the budget was used up more may be due,
 *   and tcpterm_next_due_ms() returns 0.
 */
uint32_t tcpterm_timers(struct tcpterm_table *t, uint64_t now_ms, uint32_t budget,
		tcpterm_timer_cb cb, void *arg);

/**
 * Milliseconds until the next timer may be due (the wheel's granularity).
 *
 * @param t
 *   The table.
 * @param now_ms
 *   The clock.
 * @return
 *   0 when something may be due, UINT32_MAX when the table is empty.
 */
uint32_t tcpterm_next_due_ms(const struct tcpterm_table *t, uint64_t now_ms);

/**
 * Build the frame of a segment from tcpterm_input() or tcpterm_timers(): an mbuf from @p pool
 * with the Ethernet header (source @p src_mac, destination the peer's address kept at
 * accept), the VLAN tags kept at accept, IPv4 (DF, TTL TCPSEG_REPLY_TTL) or IPv6, TCP with
 * the segment's fields and options; when the segment has payload, a second mbuf from
 * @p pool attached to the response's bytes as an external buffer (no copy) is chained.
 * Checksums: by the NIC for the offloads in @p tx_offload (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM,
 * _TCP_CKSUM), in software otherwise, the payload's share from the response's partial sums.
 *
 * @param t
 *   The table.
 * @param conn
 *   out->conn of the segment's struct tcpterm_out; must be live.
 * @param seg
 *   The segment.
 * @param src_mac
 *   Our port's MAC address.
 * @param pool
 *   Mempool for the header (and payload) mbufs; its data room must hold the headers (at
 *   most 14 + 8 + 40 + 40 bytes).
 * @param tx_offload
 *   The port's enabled TX offloads, or 0 for software checksums.
 * @return
 *   The frame, or NULL with rte_errno set (ENOMEM: pool empty, counted in frame_nomem;
 *   EINVAL: conn not live).
 */
struct rte_mbuf *tcpterm_frame_build(struct tcpterm_table *t, uint32_t conn,
		const struct tcpterm_seg *seg, const struct rte_ether_addr *src_mac,
		struct rte_mempool *pool, uint64_t tx_offload);

/**
 * Find the connection of a 4-tuple without counting (for telemetry).
 *
 * @param t
 *   The table.
 * @param k
 *   The key.
 * @return
 *   The connection id, or TCPTERM_ID_NONE.
 */
uint32_t tcpterm_find(const struct tcpterm_table *t, const struct tcpterm_key *k);

/**
 * Copy one connection out.
 *
 * @param t
 *   The table.
 * @param id
 *   The connection.
 * @param now_ms
 *   The clock, for timer_ms.
 * @param info
 *   Filled.
 * @return
 *   0, or -EINVAL if id is not a live connection.
 */
int tcpterm_conn_get(const struct tcpterm_table *t, uint32_t id, uint64_t now_ms,
		struct tcpterm_conn_info *info);

/**
 * Callback of tcpterm_foreach().
 *
 * @param info
 *   The connection.
 * @param arg
 *   The caller's argument.
 * @return
 *   0 to go on; any other value stops the walk and is returned by tcpterm_foreach().
 */
typedef int (*tcpterm_foreach_cb)(const struct tcpterm_conn_info *info, void *arg);

/**
 * Walk every live connection (in pool order). The table must not change meanwhile.
 *
 * @param t
 *   The table.
 * @param now_ms
 *   The clock, for timer_ms.
 * @param cb
 *   Called for each connection.
 * @param arg
 *   Passed to cb.
 * @return
 *   0 when every connection was visited, or the first non-zero value cb returned.
 */
int tcpterm_foreach(
		const struct tcpterm_table *t, uint64_t now_ms, tcpterm_foreach_cb cb, void *arg);

/**
 * Read the table's counters. Safe from another thread while the owner runs (relaxed loads).
 *
 * @param t
 *   The table.
 * @param out
 *   TCPTERM_CTR_MAX values, in enum tcpterm_counter order.
 */
void tcpterm_counters_read(const struct tcpterm_table *t, uint64_t out[TCPTERM_CTR_MAX]);

/**
 * Live connections per state. Safe from another thread (relaxed loads).
 *
 * @param t
 *   The table.
 * @param out
 *   TCPTERM_ST_MAX values, in enum tcpterm_state order.
 */
void tcpterm_state_counts(const struct tcpterm_table *t, uint32_t out[TCPTERM_ST_MAX]);

/**
 * Name of a counter (e.g. "cookie_good").
 *
 * @param c
 *   A value of enum tcpterm_counter.
 * @return
 *   A static string; "unknown" when out of range.
 */
const char *tcpterm_counter_name(enum tcpterm_counter c);

/**
 * Description of a counter.
 *
 * @param c
 *   A value of enum tcpterm_counter.
 * @return
 *   A static string; "unknown" when out of range.
 */
const char *tcpterm_counter_desc(enum tcpterm_counter c);

/**
 * Name of a state (e.g. "fin_wait_2").
 *
 * @param s
 *   A value of enum tcpterm_state.
 * @return
 *   A static string; "unknown" when out of range.
 */
const char *tcpterm_state_name(enum tcpterm_state s);

/**
 * The SYN-cookie MSS table: the MSS values a cookie can carry (3 bits), ascending. A SYN's
 * MSS is rounded down to an entry (below the first: the first, as Linux does).
 *
 * @param idx
 *   Index below TCPTERM_COOKIE_MSS_N.
 * @return
 *   The MSS, or 0 when idx is out of range.
 */
uint16_t tcpterm_cookie_mss(unsigned int idx);

/**
 * The key of the connection a received segment belongs to (local = its destination).
 *
 * @param v
 *   A parsed segment.
 * @param k
 *   Filled.
 */
static inline void
tcpterm_key_from_view(const struct tcpseg_view *v, struct tcpterm_key *k)
{
	k->laddr = v->dst;
	k->raddr = v->src;
	k->lport = v->dport;
	k->rport = v->sport;
	k->is_ipv6 = v->is_ipv6;
}

#ifdef __cplusplus
}
#endif

#endif /* TCPTERM_H */
