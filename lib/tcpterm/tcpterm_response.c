/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Responses: the bytes a listener answers with, laid out once in rte_malloc memory (so that
 * payload mbufs can point into them as external buffers), with the cumulative one's-complement
 * sums of their 64-byte blocks. The sum of any range is then two table reads and at most two
 * partial blocks (under 128 bytes), whatever the MSS and the window make of the segments:
 * precomputing per MSS-aligned chunk would cover only the MSS values guessed at start and
 * not the segments a window edge or a retransmission cuts elsewhere.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_malloc.h>

#include "tcpterm_pvt.h"

#define HDR_MAX 512

/* Sum of bytes [a, b) of a variant, in the variant's own pairing (byte 0 is a high-order
 * byte in network order); the caller swaps when the range starts at an odd offset. */
static uint32_t
raw_sum(const uint8_t *d, uint32_t a, uint32_t b, uint32_t sum)
{
	if (a >= b)
		return sum;
	if (a & 1) {
		uint8_t w[2] = {0, d[a]};
		uint16_t x;

		memcpy(&x, w, 2);
		sum += x;
		a++;
	}
	return __rte_raw_cksum(d + a, b - a, sum);
}

static uint16_t
fold(uint32_t sum)
{
	return __rte_raw_cksum_reduce(sum);
}

uint16_t
tcpterm_response_sum(const struct tcpterm_response *r, int keepalive, uint32_t off, uint32_t len)
{
	const struct tcpterm_variant *v = &r->v[keepalive ? 1 : 0];
	uint32_t end = off + len, a0, b0, sum;
	uint16_t s;

	a0 = RTE_ALIGN_CEIL(off, TCPTERM_SUM_BLOCK);
	b0 = RTE_ALIGN_FLOOR(end, TCPTERM_SUM_BLOCK);
	if (a0 >= b0) {
		sum = raw_sum(v->data, off, end, 0);
	} else {
		sum = raw_sum(v->data, off, a0, 0);
		/* psum[b] - psum[a] in one's complement: psum[b] + ~psum[a]. */
		sum += v->psum[b0 / TCPTERM_SUM_BLOCK];
		sum += (uint16_t)~v->psum[a0 / TCPTERM_SUM_BLOCK];
		sum = raw_sum(v->data, b0, end, sum);
	}
	s = fold(sum);
	/* A payload starts at an even offset of the segment: bytes shifted by one are summed
	 * with their halves swapped (RFC 1071, section 2(B)). */
	if (off & 1)
		s = (uint16_t)(s << 8 | s >> 8);
	return s;
}

static int
variant_make(struct tcpterm_variant *v, const struct tcpterm_response_params *p, const char *hdr,
		uint32_t hdr_len)
{
	uint32_t k, nb;
	uint32_t sum = 0;

	v->len = hdr_len + p->body_len;
	v->data = rte_malloc_socket(
			p->name, RTE_MAX(v->len, 1u), RTE_CACHE_LINE_SIZE, p->socket_id);
	nb = v->len / TCPTERM_SUM_BLOCK;
	v->psum = rte_malloc_socket(p->name, (nb + 1) * sizeof(uint16_t), 0, p->socket_id);
	if (v->data == NULL || v->psum == NULL)
		return -ENOMEM;
	memcpy(v->data, hdr, hdr_len);
	if (p->body_len)
		memcpy(v->data + hdr_len, p->body, p->body_len);
	v->iova = rte_malloc_virt2iova(v->data);
	v->psum[0] = 0;
	for (k = 0; k < nb; k++) {
		sum = __rte_raw_cksum(v->data + k * TCPTERM_SUM_BLOCK, TCPTERM_SUM_BLOCK, sum);
		sum = fold(sum);
		v->psum[k + 1] = (uint16_t)sum;
	}
	return 0;
}

static void
variant_free(struct tcpterm_variant *v)
{
	rte_free(v->data);
	rte_free(v->psum);
	v->data = NULL;
	v->psum = NULL;
}

static int
http_header(char *buf, const struct tcpterm_response_params *p, bool ka)
{
	const char *type = p->content_type ? p->content_type : "application/octet-stream";

	return snprintf(buf, HDR_MAX,
			"HTTP/1.1 200 OK\r\nContent-Length: %" PRIu32 "\r\nContent-Type: %s\r\n"
			"Connection: %s\r\n\r\n",
			p->body_len, type, ka ? "keep-alive" : "close");
}

struct tcpterm_response *
tcpterm_response_create(const struct tcpterm_response_params *p)
{
	struct tcpterm_response *r;
	char hdr[HDR_MAX];
	int n = 0, rc;

	if (p == NULL || p->mode > TCPTERM_MODE_RAW || (p->body == NULL && p->body_len) ||
			p->body_len > TCPTERM_RESPONSE_MAX - HDR_MAX ||
			(p->content_type != NULL &&
					(strpbrk(p->content_type, "\r\n") != NULL ||
							strlen(p->content_type) > 256))) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = rte_zmalloc_socket(p->name, sizeof(*r), 0, p->socket_id);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	r->mode = p->mode;
	r->keepalive_requests = RTE_MIN(RTE_MAX(p->keepalive_requests, 1u), 255u);
	if (p->mode == TCPTERM_MODE_RAW)
		r->keepalive_requests = 1;
	if (p->mode == TCPTERM_MODE_HTTP)
		n = http_header(hdr, p, false);
	rc = variant_make(&r->v[0], p, hdr, (uint32_t)n);
	if (rc == 0 && r->keepalive_requests > 1) {
		n = http_header(hdr, p, true);
		r->has_ka = 1;
		rc = variant_make(&r->v[1], p, hdr, (uint32_t)n);
	} else {
		r->v[1] = r->v[0];
	}
	if (rc != 0) {
		tcpterm_response_free(r);
		rte_errno = -rc;
		return NULL;
	}
	return r;
}

void
tcpterm_response_free(struct tcpterm_response *r)
{
	if (r == NULL)
		return;
	variant_free(&r->v[0]);
	if (r->has_ka)
		variant_free(&r->v[1]);
	rte_free(r);
}

const uint8_t *
tcpterm_response_bytes(const struct tcpterm_response *r, int keepalive, uint32_t *len)
{
	const struct tcpterm_variant *v = &r->v[keepalive ? 1 : 0];

	*len = v->len;
	return v->data;
}
