/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPTERM_COUNTERS_H
#define TCPTERM_COUNTERS_H

/**
 * @file
 * tcpterm states and counters, each from one X-macro list: the enums here, the names and
 * descriptions of tcpterm_counter_name(), tcpterm_counter_desc() and tcpterm_state_name(),
 * and whatever an application generates from them (stats block, telemetry keys, docs).
 * Included by tcpterm.h.
 */

#ifdef __cplusplus
extern "C" {
#endif

/** Connection states (RFC 9293 section 3.3.2). X-macro: X(NAME, "name"). */
#define TCPTERM_STATES(X) \
	X(SYN_RECEIVED, "syn_received") \
	X(ESTABLISHED, "established") \
	X(FIN_WAIT_1, "fin_wait_1") \
	X(FIN_WAIT_2, "fin_wait_2") \
	X(CLOSING, "closing") \
	X(CLOSE_WAIT, "close_wait") \
	X(LAST_ACK, "last_ack")

/** Connection states. */
enum tcpterm_state {
/** One enumerator per state. */
#define TCPTERM_STATE_ENUM(name, str) TCPTERM_ST_##name,
	TCPTERM_STATES(TCPTERM_STATE_ENUM)
#undef TCPTERM_STATE_ENUM
			TCPTERM_ST_MAX
};

/**
 * Counters of a table, one per outcome. X-macro: X(NAME, "name", "description").
 */
#define TCPTERM_COUNTERS(X) \
	X(COOKIE_SENT, "cookie_sent", "SYN-ACKs with a SYN cookie sent") \
	X(COOKIE_GOOD, "cookie_good", "handshakes completed by a valid cookie") \
	X(COOKIE_BAD, "cookie_bad", "ACKs to a listener with a forged or expired cookie") \
	X(LISTEN_RST, "listen_rst", "SYN with ACK (a SYN-ACK) to a listener answered with RST") \
	X(LISTEN_DROPPED, "listen_dropped", "RST or bad SYN (with ACK/FIN) to a listener dropped") \
	X(TABLE_FULL, "table_full", "new connections refused with RST: table full") \
	X(REOPEN, "reopen", "SYNs that reopened a TIME_WAIT entry (SYN-RECEIVED kept)") \
	X(SYNACK_RETRANS, "synack_retrans", "SYN-ACKs retransmitted from SYN-RECEIVED") \
	X(ACCEPTED, "accepted", "connections created (ESTABLISHED)") \
	X(LOOKUP_HIT, "lookup_hit", "segments that found a live connection") \
	X(LOOKUP_MISS, "lookup_miss", "segments that found none") \
	X(REQUESTS, "requests", "requests complete (HTTP CRLF CRLF or raw first data)") \
	X(RESPONSES, "responses", "responses fully acknowledged by the peer") \
	X(DATA_SEGS, "data_segs", "data or FIN segments described for sending (first time)") \
	X(DATA_BYTES, "data_bytes", "response bytes described for sending (first time)") \
	X(RETRANS, "retrans", "segments retransmitted on RTO") \
	X(RTO_FIRED, "rto_fired", "retransmission timeouts") \
	X(ABORT_RETRIES, "abort_retries", "connections aborted with RST: retry limit") \
	X(FW2_TIMEOUT, "fw2_timeout", "connections closed by the FIN-WAIT-2 timeout") \
	X(IDLE_TIMEOUT, "idle_timeout", "connections aborted with RST: idle, request incomplete") \
	X(RST_CLOSED, "rst_closed", "RST with seq == rcv_nxt ended the connection") \
	X(RST_CHALLENGE, "rst_challenge", "in-window RST answered with a challenge ACK") \
	X(SYN_CHALLENGE, "syn_challenge", "SYN on a synchronized connection: challenge ACK") \
	X(CHALLENGE_LIMITED, "challenge_limited", "challenge ACKs withheld by the rate limit") \
	X(RST_DROPPED, "rst_dropped", "RST outside the window dropped") \
	X(OOW_ACKED, "oow_acked", "unacceptable segment answered with an ACK") \
	X(OOO_DROPPED, "ooo_dropped", "out-of-order data dropped, duplicate ACK sent") \
	X(NOACK_DROPPED, "noack_dropped", "segment without ACK dropped") \
	X(ACK_UNSENT, "ack_unsent", "ACK of data not yet sent answered with an ACK") \
	X(DATA_ACKED, "data_acked", "in-order data accepted and ACKed") \
	X(PEER_FIN, "peer_fin", "FINs from the peer accepted") \
	X(TIMEWAIT, "timewait", "connections handed to TIME_WAIT (both FINs acked)") \
	X(LAST_ACK_CLOSED, "last_ack_closed", \
			"peer closed first: ended in LAST-ACK, no TIME_WAIT") \
	X(FRAME_NOMEM, "frame_nomem", "frames not built: mbuf pool empty") \
	X(ACK_OLD, "ack_old", "ACK below SND.UNA - MAX.SND.WND (RFC 5961 5.2): dropped, ACK sent")

/** Counter indexes. */
enum tcpterm_counter {
/** One enumerator per counter. */
#define TCPTERM_COUNTER_ENUM(name, str, desc) TCPTERM_CTR_##name,
	TCPTERM_COUNTERS(TCPTERM_COUNTER_ENUM)
#undef TCPTERM_COUNTER_ENUM
			TCPTERM_CTR_MAX
};

#ifdef __cplusplus
}
#endif

#endif /* TCPTERM_COUNTERS_H */
