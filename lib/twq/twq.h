/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TWQ_H
#define TWQ_H

/**
 * @file
 * twq: a compressed TCP TIME_WAIT engine, after FreeBSD's sys/netinet/tcp_timewait.c.
 *
 * Why TIME_WAIT exists (RFC 793, RFC 1337): the side that closes first keeps a small record
 * of the connection for 2MSL so that (1) a lost final ACK can be sent again when the peer
 * retransmits its FIN, and (2) old duplicate segments of this incarnation are not taken for
 * segments of a new connection on the same 4-tuple. The record needs only the sequence
 * numbers, the last window and the timestamp state, not a full connection block.
 *
 * A shard is one owner's table: a fixed pool of compact entries per address family, a hash
 * index over the 4-tuple, a time-ordered ring per family (oldest first, for expiry and for
 * recycling the oldest when full) and counters. It is created once with its capacity on a
 * NUMA socket and never allocates afterwards. A shard is not thread-safe: one thread at a
 * time (the caller serialises, e.g. the worker that owns it and a scan under a lock).
 *
 * The engine decides; the caller does the I/O. twq_input() returns a verdict and fills a
 * struct tcpseg_reply that lib/tcpseg turns into the reply frame.
 *
 * Time is a millisecond clock supplied by the caller (monotonic, e.g. from the TSC); only
 * differences matter. Deadlines are kept modulo 2^32 ms, so 2MSL must stay below 2^31 ms.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>

/* Quoted: found next to this file when installed, so <dpdk-twq/twq.h> needs no -I. */
#include "tcpseg.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Smallest capacity of a family in a shard (the seed's floor for maxtcptw). */
#define TWQ_CAPACITY_MIN 32u
/** Largest capacity of a family in a shard. */
#define TWQ_CAPACITY_MAX (1u << 28)
/** Largest MSL in milliseconds (2MSL must stay below 2^31 ms). */
#define TWQ_MSL_MAX_MS (24u * 3600u * 1000u)
/** Most local prefixes (nolocaltimewait) a shard keeps. */
#define TWQ_MAX_LOCAL_PREFIXES 16
/** Entry id meaning "no entry". */
#define TWQ_ID_NONE UINT32_MAX
/** Largest window scale shift (RFC 7323 section 2.3; FreeBSD's TCP_MAX_WINSHIFT). */
#define TWQ_MAX_WINSHIFT 14

/** @name Switches beyond the seed (struct twq_params.flags). All off by default.
 * @{ */
/** PAWS in TIME_WAIT (RFC 7323 section 5.3; the seed's "#if 0" block). */
#define TWQ_F_PAWS (1u << 0)
/** A SYN without ACK with timestamps is judged by RFC 6191 section 2 (see twq_input()). */
#define TWQ_F_RFC6191 (1u << 1)
/**
 * An RST with seq exactly rcv_nxt ends the entry, as Linux does by default; any other RST is
 * dropped, and no challenge ACK is sent.
 */
#define TWQ_F_RST_KILLS (1u << 2)
/** @} */

/** An address prefix: peers inside a configured local prefix get no TIME_WAIT entry. */
struct twq_prefix {
	union tcpseg_addr addr; /**< network byte order; bits past len are ignored */
	uint8_t len;            /**< prefix length in bits */
	uint8_t is_ipv6;        /**< 1 for IPv6 */
};

/** Parameters of a shard. */
struct twq_params {
	const char *name;         /**< name for memory allocations (debugging) */
	int socket_id;            /**< NUMA socket, or SOCKET_ID_ANY */
	uint32_t capacity;        /**< IPv4 entries; raised to TWQ_CAPACITY_MIN */
	uint32_t capacity6;       /**< IPv6 entries; raised to TWQ_CAPACITY_MIN */
	uint32_t msl_ms;          /**< maximum segment lifetime; TIME_WAIT lasts 2 * msl_ms */
	uint32_t flags;           /**< TWQ_F_* switches */
	uint32_t ack_limit;       /**< ACKs answered per entry per interval; 0: no cap (seed) */
	uint32_t ack_interval_ms; /**< the interval of ack_limit (Linux: 500) */
	uint32_t n_local;         /**< number of prefixes in local */
	struct twq_prefix local[TWQ_MAX_LOCAL_PREFIXES]; /**< nolocaltimewait prefixes */
};

/** A connection's 4-tuple as seen from this side. Ports in host order. */
struct twq_key {
	union tcpseg_addr laddr; /**< local address (destination of received segments) */
	union tcpseg_addr raddr; /**< remote address (the peer) */
	uint16_t lport;          /**< local port */
	uint16_t rport;          /**< remote port */
	uint8_t is_ipv6;         /**< 1 for IPv6 */
};

/** @name Flags of struct twq_conn (the seed's tcpcb t_flags that tcp_twstart reads).
 * @{ */
#define TWQ_CONN_REQ_TSTMP  0x01 /**< we asked for timestamps (TF_REQ_TSTMP) */
#define TWQ_CONN_RCVD_TSTMP 0x02 /**< the peer sent timestamps (TF_RCVD_TSTMP) */
#define TWQ_CONN_NOOPT      0x04 /**< no TCP options on this connection (TF_NOOPT) */
#define TWQ_CONN_ACKNOW     0x08 /**< an ACK is owed at once (TF_ACKNOW) */
/** @} */

/** The state of a closing connection that twq_start() keeps (a subset of the seed's tcpcb). */
struct twq_conn {
	struct twq_key key; /**< the 4-tuple */
	uint32_t snd_nxt;   /**< next sequence number to send */
	uint32_t rcv_nxt;   /**< next sequence number expected */
	uint32_t rcv_adv;   /**< highest sequence number advertised */
	uint32_t ts_recent; /**< peer's last timestamp */
	uint32_t ts_offset; /**< our timestamp offset */
	uint8_t rcv_scale;  /**< our receive window scale (a value above 14 counts as 14) */
	uint8_t flags;      /**< TWQ_CONN_* */
};

/** A copy of one entry, for inspection, export and restore. */
struct twq_entry_info {
	struct twq_key key;    /**< the 4-tuple */
	uint32_t snd_nxt;      /**< seq of our replies */
	uint32_t rcv_nxt;      /**< ack of our replies */
	uint32_t t_recent;     /**< peer's last timestamp (TSecr of our replies) */
	uint32_t ts_offset;    /**< added to the clock for our TSval */
	uint32_t remaining_ms; /**< time left before expiry; 0 when due */
	uint16_t last_win;     /**< window of our replies */
	uint8_t has_ts;        /**< 1 when both sides used timestamps */
};

/** Verdict of twq_input() for one segment. */
enum twq_verdict {
	TWQ_DROP = 0, /**< drop the segment, send nothing */
	TWQ_ACK,      /**< send the reply that was filled in */
	TWQ_REOPEN,   /**< the entry is gone: hand the segment (a SYN) on as a new connection */
	TWQ_MISS,     /**< (burst only) no entry for this segment */
};

/** Result of twq_start(). */
enum twq_start_result {
	TWQ_START_OK = 0, /**< entry made */
	TWQ_START_ACK,    /**< entry made, and the reply filled in is to be sent now (ACKNOW) */
	TWQ_START_LOCAL,  /**< no entry: the peer is in a local prefix (nolocaltimewait) */
};

/**
 * Counters of a shard, one per outcome. X-macro: X(NAME, "name", "description").
 */
#define TWQ_COUNTERS(X) \
	X(STARTED, "started", "entries made by twq_start") \
	X(START_ACK, "start_ack", "ACKs owed at start (TF_ACKNOW)") \
	X(START_LOCAL, "start_local", "no entry: peer in a local prefix (nolocaltimewait)") \
	X(START_REPLACED, "start_replaced", "an existing entry for the 4-tuple was replaced") \
	X(RESTORED, "restored", "entries loaded by twq_restore") \
	X(RECYCLED, "recycled", "oldest entry taken because the shard was full") \
	X(EXPIRED, "expired", "entries whose 2MSL ran out") \
	X(CLOSED, "closed", "entries closed by twq_close") \
	X(LOOKUP_HIT, "lookup_hit", "lookups (or burst segments) that found an entry") \
	X(LOOKUP_MISS, "lookup_miss", "lookups (or burst segments) that found none") \
	X(RST_DROPPED, "rst_dropped", "RST dropped (RFC 1337)") \
	X(RST_CLOSED, "rst_closed", "RST with seq == rcv_nxt ended the entry (RST-kills)") \
	X(PAWS_DROPPED, "paws_dropped", "PAWS-failed segment without ACK dropped") \
	X(PAWS_ACKED, "paws_acked", "PAWS-failed segment with ACK answered") \
	X(SYN_REOPEN, "syn_reopen", "SYN with seq above rcv_nxt ended the entry") \
	X(SYN_TS_REOPEN, "syn_ts_reopen", "SYN with timestamps ended the entry (RFC 6191)") \
	X(SYN_TS_DROPPED, "syn_ts_dropped", "SYN with timestamps dropped (RFC 6191)") \
	X(NOACK_DROPPED, "noack_dropped", "segment without ACK dropped") \
	X(FIN_REARM, "fin_rearm", "duplicate FIN re-armed 2MSL") \
	X(ACK_SENT, "ack_sent", "segments answered with an ACK") \
	X(DUPACK_IGNORED, "dupack_ignored", "exact duplicate ACKs not answered") \
	X(ACK_LIMITED, "ack_limited", "ACKs withheld by the per-entry cap")

/** Counter indexes. */
enum twq_counter {
/** One row of TWQ_COUNTERS as its enumerator, TWQ_CTR_NAME. */
#define TWQ_COUNTER_ENUM(name, str, desc) TWQ_CTR_##name,
	TWQ_COUNTERS(TWQ_COUNTER_ENUM)
#undef TWQ_COUNTER_ENUM
			TWQ_CTR_MAX
};

/** Opaque shard. */
struct twq_shard;

/**
 * Create a shard. All its memory is taken here.
 *
 * @param p
 *   Parameters; copied.
 * @return
 *   The shard, or NULL with rte_errno set: EINVAL (msl_ms is 0 or above TWQ_MSL_MAX_MS, a
 *   capacity above TWQ_CAPACITY_MAX, n_local above TWQ_MAX_LOCAL_PREFIXES, a prefix too
 *   long, ack_limit without ack_interval_ms), ENOMEM.
 */
struct twq_shard *twq_shard_create(const struct twq_params *p);

/**
 * Free a shard and all its entries.
 *
 * @param s
 *   The shard, or NULL (nothing is done).
 */
void twq_shard_free(struct twq_shard *s);

/**
 * The parameters the shard runs with, capacities raised to the floor.
 *
 * @param s
 *   The shard.
 * @return
 *   A pointer into the shard, valid until twq_shard_free().
 */
const struct twq_params *twq_shard_params(const struct twq_shard *s);

/**
 * Number of entries in the shard.
 *
 * @param s
 *   The shard.
 * @param is_ipv6
 *   -1 for both families, 0 for IPv4, 1 for IPv6.
 * @return
 *   The number of entries.
 */
uint32_t twq_shard_count(const struct twq_shard *s, int is_ipv6);

/**
 * Bytes of memory the shard holds (pool, index, ring, keys, the shard itself).
 *
 * @param s
 *   The shard.
 * @return
 *   Bytes.
 */
size_t twq_shard_memory(const struct twq_shard *s);

/**
 * Bytes a shard of the given capacities would take, all-in. Lets a caller size memory
 * before creating shards.
 *
 * @param capacity
 *   IPv4 entries (raised to the floor as twq_shard_create() does).
 * @param capacity6
 *   IPv6 entries (likewise).
 * @return
 *   Bytes.
 */
size_t twq_shard_memory_needed(uint32_t capacity, uint32_t capacity6);

/**
 * Move a closing connection into TIME_WAIT (the seed's tcp_twstart).
 *
 * last_win = (rcv_adv - rcv_nxt) >> rcv_scale when rcv_adv is above rcv_nxt, else 0, at most
 * 65535; a rcv_scale above TWQ_MAX_WINSHIFT is taken as TWQ_MAX_WINSHIFT.
 * Timestamps are kept only when both TWQ_CONN_REQ_TSTMP and TWQ_CONN_RCVD_TSTMP are set and
 * TWQ_CONN_NOOPT is not. When the family's pool is full, the oldest entry of that family is
 * recycled (the seed's tcp_tw_2msl_scan(1)), counted in TWQ_CTR_RECYCLED. An existing entry
 * for the same 4-tuple is replaced. The deadline is now + 2MSL.
 *
 * @param s
 *   The shard.
 * @param c
 *   The closing connection.
 * @param now_ms
 *   The clock.
 * @param ack
 *   Filled with the ACK to send when TWQ_START_ACK is returned. May be NULL when the
 *   caller never sets TWQ_CONN_ACKNOW.
 * @return
 *   A value of enum twq_start_result.
 */
enum twq_start_result twq_start(struct twq_shard *s, const struct twq_conn *c, uint64_t now_ms,
		struct tcpseg_reply *ack);

/**
 * Find the entry of a 4-tuple. Counts a hit or a miss.
 *
 * @param s
 *   The shard.
 * @param k
 *   The key.
 * @return
 *   The entry's id, or TWQ_ID_NONE.
 */
uint32_t twq_lookup(struct twq_shard *s, const struct twq_key *k);

/**
 * Find the entry of a 4-tuple without counting: changes no counter and no state, so that
 * telemetry and other observers do not change what they observe. Safe to call as often as
 * wanted; same serialisation rule as every other call (the shard's owner or its lock).
 *
 * @param s
 *   The shard.
 * @param k
 *   The key.
 * @return
 *   The entry's id, or TWQ_ID_NONE.
 */
uint32_t twq_peek(const struct twq_shard *s, const struct twq_key *k);

/**
 * Find the entries of several 4-tuples, prefetching buckets and entries ahead. Counts hits
 * and misses.
 *
 * @param s
 *   The shard.
 * @param keys
 *   n keys.
 * @param n
 *   Number of keys.
 * @param ids
 *   Filled with n ids (TWQ_ID_NONE for a miss).
 * @return
 *   The number of hits (ids other than TWQ_ID_NONE).
 */
uint32_t twq_lookup_burst(
		struct twq_shard *s, const struct twq_key *keys, uint32_t n, uint32_t *ids);

/**
 * Process one segment against one entry (the seed's tcp_twcheck, then tcp_twrespond's
 * choice of fields). Rules, in order:
 *  1. RST: dropped (RFC 1337); with TWQ_F_RST_KILLS an RST with seq == rcv_nxt ends the entry
 *     (verdict TWQ_DROP, counted rst_closed). No RST is ever answered (no challenge ACK).
 *  2. With TWQ_F_PAWS, a segment whose TSval is older than t_recent: dropped without ACK,
 *     answered with an ACK otherwise (RFC 7323 section 5.3).
 *  3. SYN: a SYN with seq above rcv_nxt ends the entry (TWQ_REOPEN, syn_reopen). With
 *     TWQ_F_RFC6191, a SYN without ACK that carries timestamps is instead judged by RFC 6191
 *     section 2 (a SYN|ACK is not a connection request and keeps the seed's rules):
 *     when the entry has timestamps, it ends the entry if its TSval is above t_recent, or
 *     equal to t_recent with seq above rcv_nxt; when the entry has none, it ends the entry
 *     whatever its seq (TWQ_REOPEN, syn_ts_reopen). Any other timestamped SYN is dropped
 *     silently (TWQ_DROP, syn_ts_dropped). A SYN without timestamps keeps the sequence rule
 *     (the RFC's rule for that case); one that does not end the entry goes on to rule 4.
 *  4. No ACK flag: dropped.
 *  5. FIN with seq + len + 1 == rcv_nxt (a retransmitted FIN): 2MSL re-armed from now.
 *  6. Data, flags other than ACK, or seq/ack other than rcv_nxt/snd_nxt: answered with an
 *     ACK (seq = snd_nxt, ack = rcv_nxt, win = last_win, TSval = now + ts_offset and
 *     TSecr = t_recent when timestamps are in use), subject to the per-entry cap. An exact
 *     duplicate ACK gets nothing.
 *
 * @param s
 *   The shard.
 * @param id
 *   The entry, from a lookup; must be live.
 * @param v
 *   The segment.
 * @param now_ms
 *   The clock.
 * @param r
 *   Filled with the reply when TWQ_ACK is returned. On TWQ_REOPEN, r->seq is the ended
 *   entry's snd_nxt and r->ack its rcv_nxt (flags 0: nothing to send), so that the new
 *   incarnation can take an ISN above the old one.
 * @return
 *   TWQ_DROP, TWQ_ACK or TWQ_REOPEN (the entry has been closed).
 */
enum twq_verdict twq_input(struct twq_shard *s, uint32_t id, const struct tcpseg_view *v,
		uint64_t now_ms, struct tcpseg_reply *r);

/**
 * Look up and process a burst of segments in order, with the rules of twq_input(). The
 * buckets and records of the whole burst are prefetched first; each segment's lookup is
 * finished after the earlier segments were processed. An earlier segment of the same burst
 * may end an entry (a SYN with verdict TWQ_REOPEN, an RST under TWQ_F_RST_KILLS); a later
 * segment for that 4-tuple then finds none, so each segment sees the state the earlier ones
 * left. Nothing in a burst makes entries: that segment's verdict is TWQ_MISS.
 *
 * Lookup counters: each segment counts once, in TWQ_CTR_LOOKUP_HIT or TWQ_CTR_LOOKUP_MISS,
 * by the result it was processed with: a burst of n adds n to their sum, and TWQ_CTR_LOOKUP_MISS
 * grows by the number of TWQ_MISS verdicts.
 *
 * @param s
 *   The shard.
 * @param views
 *   n parsed segments.
 * @param n
 *   Number of segments.
 * @param now_ms
 *   The clock.
 * @param verdicts
 *   Filled with n verdicts (TWQ_MISS where no entry matched).
 * @param replies
 *   Filled where the verdict is TWQ_ACK, and where it is TWQ_REOPEN with the ended entry's
 *   snd_nxt and rcv_nxt in seq and ack (as twq_input() does).
 * @return
 *   The number of TWQ_ACK verdicts.
 */
uint32_t twq_input_burst(struct twq_shard *s, const struct tcpseg_view *const views[], uint32_t n,
		uint64_t now_ms, enum twq_verdict verdicts[], struct tcpseg_reply replies[]);

/**
 * End an entry now (the seed's tcp_twclose). Counted in TWQ_CTR_CLOSED.
 *
 * @param s
 *   The shard.
 * @param id
 *   The entry.
 * @return
 *   0, or -EINVAL if id is not a live entry.
 */
int twq_close(struct twq_shard *s, uint32_t id);

/**
 * Expire entries whose 2MSL has passed, oldest first across both families (the seed's
 * tcp_tw_2msl_scan(0)). Costs O(1) when nothing is due, O(expired) otherwise.
 *
 * @param s
 *   The shard.
 * @param now_ms
 *   The clock.
 * @param budget
 *   Most entries to expire in this call.
 * @return
 *   Number of entries expired; equal to budget when more may be due.
 */
uint32_t twq_expire(struct twq_shard *s, uint64_t now_ms, uint32_t budget);

/**
 * Milliseconds until the oldest entry is due.
 *
 * @param s
 *   The shard.
 * @param now_ms
 *   The clock.
 * @return
 *   0 when something is due, UINT32_MAX when the shard is empty.
 */
uint32_t twq_next_due_ms(const struct twq_shard *s, uint64_t now_ms);

/**
 * Copy one entry out.
 *
 * @param s
 *   The shard.
 * @param id
 *   The entry.
 * @param now_ms
 *   The clock, for remaining_ms.
 * @param info
 *   Filled.
 * @return
 *   0, or -EINVAL if id is not a live entry.
 */
int twq_entry_get(const struct twq_shard *s, uint32_t id, uint64_t now_ms,
		struct twq_entry_info *info);

/**
 * Read the shard's counters. Safe from another thread while the owner runs (relaxed loads).
 *
 * @param s
 *   The shard.
 * @param out
 *   TWQ_CTR_MAX values, in enum twq_counter order.
 */
void twq_counters_read(const struct twq_shard *s, uint64_t out[TWQ_CTR_MAX]);

/**
 * Name of a counter (e.g. "fin_rearm").
 *
 * @param c
 *   A value of enum twq_counter.
 * @return
 *   A static string; "unknown" when out of range.
 */
const char *twq_counter_name(enum twq_counter c);

/**
 * Description of a counter.
 *
 * @param c
 *   A value of enum twq_counter.
 * @return
 *   A static string; "unknown" when out of range.
 */
const char *twq_counter_desc(enum twq_counter c);

/**
 * The key of the connection a received segment belongs to (local = its destination).
 *
 * @param v
 *   A parsed segment.
 * @param k
 *   Filled.
 */
static inline void
twq_key_from_view(const struct tcpseg_view *v, struct twq_key *k)
{
	k->laddr = v->dst;
	k->raddr = v->src;
	k->lport = v->dport;
	k->rport = v->sport;
	k->is_ipv6 = v->is_ipv6;
}

/**
 * Whether an address lies in a prefix.
 *
 * @param p
 *   The prefix.
 * @param is_ipv6
 *   Family of addr.
 * @param addr
 *   The address, network byte order.
 * @return
 *   true if the families match and the first p->len bits are equal.
 */
bool twq_prefix_match(const struct twq_prefix *p, int is_ipv6, const union tcpseg_addr *addr);

#ifdef __cplusplus
}
#endif

/* Saving and loading: restore in batches, foreach and the walk in slices. */
#include "twq_state.h"

#endif /* TWQ_H */
