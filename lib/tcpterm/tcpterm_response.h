/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

#ifndef TCPTERM_RESPONSE_H
#define TCPTERM_RESPONSE_H

/**
 * @file
 * tcpterm responses: the bytes a listener answers with (an HTTP/1.1 200 response around a
 * body, or the body as it is), laid out once at start with the partial checksums that let
 * any segment of them be checksummed without reading it all. Included by tcpterm.h.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Largest response (status line, headers and body) in bytes. */
#define TCPTERM_RESPONSE_MAX (1u << 30)

/** @name Response modes (struct tcpterm_response_params.mode).
 * @{ */
/** Answer each request, which ends at CRLF CRLF, with an HTTP/1.1 200 response. */
#define TCPTERM_MODE_HTTP 0
/** Answer the first data segment with the body bytes as they are, then close. */
#define TCPTERM_MODE_RAW 1
/** @} */

/** Parameters of a response (one per listener). */
struct tcpterm_response_params {
	const char *name;         /**< name for memory allocations (debugging) */
	int socket_id;            /**< NUMA socket, or SOCKET_ID_ANY */
	uint8_t mode;             /**< TCPTERM_MODE_HTTP (default) or TCPTERM_MODE_RAW */
	const void *body;         /**< body bytes; copied at create */
	uint32_t body_len;        /**< bytes at body */
	const char *content_type; /**< HTTP Content-Type; NULL: "application/octet-stream" */
	/**
	 * HTTP: requests answered on one connection before we close (keep-alive). 0 or 1: one
	 * response with "Connection: close". N > 1: the first N - 1 responses say
	 * "Connection: keep-alive", the Nth says "Connection: close" and carries our FIN.
	 */
	uint32_t keepalive_requests;
};

/** Opaque response: the bytes to send, preloaded, with their partial checksums. */
struct tcpterm_response;

/**
 * Create a response. The status line and headers (HTTP mode) and the body are laid out in
 * memory from rte_malloc (so that they have an IOVA for external-buffer mbufs), and the
 * one's-complement partial sums of every 64-byte block are computed, so that the checksum of
 * any payload range is found in O(64) bytes of work (tcpterm_response_sum()).
 *
 * HTTP mode: "HTTP/1.1 200 OK\r\nContent-Length: <body_len>\r\nContent-Type: <type>\r\n"
 * "Connection: close\r\n\r\n" followed by the body.
 *
 * @param p
 *   Parameters; the body is copied.
 * @return
 *   The response, or NULL with rte_errno set: EINVAL (unknown mode, body NULL with a length,
 *   response above TCPTERM_RESPONSE_MAX, content_type with CR or LF), ENOMEM.
 */
struct tcpterm_response *tcpterm_response_create(const struct tcpterm_response_params *p);

/**
 * Free a response. No table may use it any more and no frame may still point into it.
 *
 * @param r
 *   The response, or NULL (nothing is done).
 */
void tcpterm_response_free(struct tcpterm_response *r);

/**
 * The bytes of a response as sent on the wire.
 *
 * @param r
 *   The response.
 * @param keepalive
 *   0: the closing variant (the only one in raw mode, or with keepalive_requests <= 1);
 *   1: the keep-alive variant (falls back to the closing variant when there is none).
 * @param len
 *   Filled with the number of bytes.
 * @return
 *   A pointer to the bytes, valid until tcpterm_response_free().
 */
const uint8_t *tcpterm_response_bytes(
		const struct tcpterm_response *r, int keepalive, uint32_t *len);

/**
 * One's-complement sum (RFC 1071) of a range of a response's bytes, taken as if the range
 * began at an even offset of the TCP segment (as a payload does), folded to 16 bits and not
 * complemented: the payload's share of a TCP checksum.
 *
 * @param r
 *   The response.
 * @param keepalive
 *   The variant, as for tcpterm_response_bytes().
 * @param off
 *   Offset of the range.
 * @param len
 *   Length of the range; off + len must not pass the end.
 * @return
 *   The folded sum.
 */
uint16_t tcpterm_response_sum(
		const struct tcpterm_response *r, int keepalive, uint32_t off, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* TCPTERM_RESPONSE_H */
