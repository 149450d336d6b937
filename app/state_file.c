/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The TIME_WAIT state file, exactly as docs/state-file.md describes it: header, 64-byte
 * records, CRC-32C trailer, all little-endian. Checked and read in slices: the header and
 * the size first, then the records through a small buffer, then the trailer.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_hash_crc.h>

#include "state_file.h"

static_assert(sizeof(struct app_state_hdr) == APP_STATE_V2_HDR_SIZE, "header size");
static_assert(offsetof(struct app_state_hdr, count) == 16, "header count");
static_assert(offsetof(struct app_state_hdr, saved_unix_ms) == 24, "header saved_unix_ms");
static_assert(offsetof(struct app_state_hdr, ts_clock_ms) == APP_STATE_V1_HDR_SIZE,
		"version 2 fields follow the version 1 header");
static_assert(sizeof(struct app_state_rec) == APP_STATE_REC_SIZE, "record size");
static_assert(offsetof(struct app_state_rec, laddr) == 8, "record laddr");
static_assert(offsetof(struct app_state_rec, raddr) == 24, "record raddr");
static_assert(offsetof(struct app_state_rec, snd_nxt) == 40, "record snd_nxt");
static_assert(offsetof(struct app_state_rec, remaining_ms) == 56, "record remaining_ms");
static_assert(offsetof(struct app_state_rec, reserved) == 60, "record reserved");

/* rte_hash_crc is CRC-32C without the final XOR (SSE4.2 crc32 or DPDK's table). */
uint32_t
app_crc32c_update(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	/* rte_hash_crc takes a 32-bit length. */
	while (len > UINT32_MAX) {
		crc = rte_hash_crc(p, UINT32_MAX & ~7u, crc);
		p += UINT32_MAX & ~7u;
		len -= UINT32_MAX & ~7u;
	}
	return rte_hash_crc(p, (uint32_t)len, crc);
}

uint32_t
app_crc32c(const void *data, size_t len)
{
	return app_crc32c_update(0xffffffff, data, len) ^ 0xffffffff;
}

uint32_t
app_state_crc_v2(uint32_t rec_crc, const struct app_state_hdr *h)
{
	return app_crc32c_update(rec_crc, h, sizeof(*h)) ^ 0xffffffff;
}

/* Read exactly len bytes; -1 with r->err on an error or an early end. */
static int
app_state_read_full(struct app_state_reader *r, void *buf, size_t len, const char *what)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len > 0) {
		n = r->read(r->src, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ECANCELED) {
			snprintf(r->err, sizeof(r->err), "stopped by a signal while reading the %s",
					what);
			return -1;
		}
		if (n < 0) {
			snprintf(r->err, sizeof(r->err), "cannot read the %s: %s", what,
					strerror(errno));
			return -1;
		}
		if (n == 0) {
			snprintf(r->err, sizeof(r->err),
					"truncated: the file ended inside the %s (it shrank while "
					"being read)",
					what);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
app_state_read_header(struct app_state_reader *r)
{
	struct app_state_hdr *h = &r->hdr;
	uint64_t max_count;

	memset(h, 0, sizeof(*h));
	r->index = 0;
	if (r->size < APP_STATE_V1_HDR_SIZE + APP_STATE_TRAILER_SIZE) {
		snprintf(r->err, sizeof(r->err),
				"truncated (%" PRIu64 " bytes, a file has at least %d)", r->size,
				APP_STATE_V1_HDR_SIZE + APP_STATE_TRAILER_SIZE);
		return -1;
	}
	if (app_state_read_full(r, h, APP_STATE_V1_HDR_SIZE, "header") < 0)
		return -1;
	if (memcmp(h->magic, APP_STATE_MAGIC, sizeof(h->magic)) != 0) {
		snprintf(r->err, sizeof(r->err),
				"not a dpdk-twq state file (magic is not TWQSTATE)");
		return -1;
	}
	r->version = rte_le_to_cpu_32(h->version);
	if (r->version != 1 && r->version != 2) {
		snprintf(r->err, sizeof(r->err),
				"version %" PRIu32 ", only versions 1 and 2 are understood",
				r->version);
		return -1;
	}
	if (rte_le_to_cpu_32(h->record_size) != APP_STATE_REC_SIZE) {
		snprintf(r->err, sizeof(r->err), "record_size %" PRIu32 ", expected %d",
				rte_le_to_cpu_32(h->record_size), APP_STATE_REC_SIZE);
		return -1;
	}
	r->hdr_size = r->version == 1 ? APP_STATE_V1_HDR_SIZE : APP_STATE_V2_HDR_SIZE;
	r->count = rte_le_to_cpu_64(h->count);
	max_count = r->size < r->hdr_size + APP_STATE_TRAILER_SIZE
			? 0
			: (r->size - r->hdr_size - APP_STATE_TRAILER_SIZE) / APP_STATE_REC_SIZE;
	if (r->count > max_count ||
			r->size !=
					r->hdr_size + r->count * APP_STATE_REC_SIZE +
							APP_STATE_TRAILER_SIZE) {
		snprintf(r->err, sizeof(r->err),
				"size %" PRIu64 " bytes does not match count %" PRIu64
				" (expected %" PRIu32 " + 64 * count + 4): truncated or corrupt",
				r->size, r->count, r->hdr_size);
		return -1;
	}
	if (r->version == 2) {
		if (app_state_read_full(r, (uint8_t *)h + APP_STATE_V1_HDR_SIZE,
				    APP_STATE_V2_HDR_SIZE - APP_STATE_V1_HDR_SIZE, "header") < 0)
			return -1;
		if (h->reserved != 0) {
			snprintf(r->err, sizeof(r->err), "header reserved field not 0");
			return -1;
		}
		r->ts_clock_ms = rte_le_to_cpu_64(h->ts_clock_ms);
		if (r->ts_clock_ms > APP_STATE_TS_CLOCK_MAX) {
			snprintf(r->err, sizeof(r->err),
					"ts_clock_ms %" PRIu64 " is above 2^47 (no clock runs that "
					"long): corrupt",
					r->ts_clock_ms);
			return -1;
		}
		r->crc = 0xffffffff;
	} else {
		r->ts_clock_ms = 0;
		r->crc = app_crc32c_update(0xffffffff, h, APP_STATE_V1_HDR_SIZE);
	}
	r->saved_unix_ms = rte_le_to_cpu_64(h->saved_unix_ms);
	return 0;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != 0)
			return false;
	return true;
}

const char *
app_state_rec_decode(const struct app_state_rec *rec, struct twq_entry_info *e)
{
	if (rec->family != 4 && rec->family != 6)
		return "family is neither 4 nor 6";
	if ((rec->flags & ~APP_STATE_FLAG_TS) != 0)
		return "unknown flag bits";
	if (rec->reserved != 0)
		return "reserved field not 0";
	if (!(rec->flags & APP_STATE_FLAG_TS) && (rec->t_recent != 0 || rec->ts_offset != 0))
		return "t_recent or ts_offset set without the timestamp flag";
	if (rec->family == 4 && (!all_zero(rec->laddr + 4, 12) || !all_zero(rec->raddr + 4, 12)))
		return "IPv4 address with bytes past the first 4";
	memset(e, 0, sizeof(*e));
	e->key.is_ipv6 = rec->family == 6;
	e->has_ts = rec->flags & APP_STATE_FLAG_TS;
	e->last_win = rte_le_to_cpu_16(rec->last_win);
	e->key.lport = rte_le_to_cpu_16(rec->lport);
	e->key.rport = rte_le_to_cpu_16(rec->rport);
	if (e->key.is_ipv6) {
		memcpy(e->key.laddr.v6, rec->laddr, 16);
		memcpy(e->key.raddr.v6, rec->raddr, 16);
	} else {
		memcpy(&e->key.laddr.v4, rec->laddr, 4);
		memcpy(&e->key.raddr.v4, rec->raddr, 4);
	}
	e->snd_nxt = rte_le_to_cpu_32(rec->snd_nxt);
	e->rcv_nxt = rte_le_to_cpu_32(rec->rcv_nxt);
	e->t_recent = rte_le_to_cpu_32(rec->t_recent);
	e->ts_offset = rte_le_to_cpu_32(rec->ts_offset);
	e->remaining_ms = rte_le_to_cpu_32(rec->remaining_ms);
	return NULL;
}

void
app_state_rec_encode(const struct twq_entry_info *e, struct app_state_rec *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->family = e->key.is_ipv6 ? 6 : 4;
	rec->flags = e->has_ts ? APP_STATE_FLAG_TS : 0;
	rec->last_win = rte_cpu_to_le_16(e->last_win);
	rec->lport = rte_cpu_to_le_16(e->key.lport);
	rec->rport = rte_cpu_to_le_16(e->key.rport);
	if (e->key.is_ipv6) {
		memcpy(rec->laddr, e->key.laddr.v6, 16);
		memcpy(rec->raddr, e->key.raddr.v6, 16);
	} else {
		memcpy(rec->laddr, &e->key.laddr.v4, 4);
		memcpy(rec->raddr, &e->key.raddr.v4, 4);
	}
	rec->snd_nxt = rte_cpu_to_le_32(e->snd_nxt);
	rec->rcv_nxt = rte_cpu_to_le_32(e->rcv_nxt);
	rec->t_recent = rte_cpu_to_le_32(e->has_ts ? e->t_recent : 0);
	rec->ts_offset = rte_cpu_to_le_32(e->has_ts ? e->ts_offset : 0);
	rec->remaining_ms = rte_cpu_to_le_32(e->remaining_ms);
}

void
app_state_hdr_make(struct app_state_hdr *h, uint64_t count, uint64_t saved_unix_ms,
		uint64_t ts_clock_ms)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, APP_STATE_MAGIC, sizeof(h->magic));
	h->version = rte_cpu_to_le_32(APP_STATE_VERSION);
	h->record_size = rte_cpu_to_le_32(APP_STATE_REC_SIZE);
	h->count = rte_cpu_to_le_64(count);
	h->saved_unix_ms = rte_cpu_to_le_64(saved_unix_ms);
	h->ts_clock_ms = rte_cpu_to_le_64(ts_clock_ms);
}

/* Check and hand on the n records in r->buf. */
static int
app_state_records_pass(struct app_state_reader *r, size_t n, app_state_rec_cb cb, void *arg)
{
	const struct app_state_rec *rec = (const struct app_state_rec *)r->buf;
	struct twq_entry_info e;
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < n; i++, r->index++) {
		why = app_state_rec_decode(&rec[i], &e);
		if (why != NULL) {
			snprintf(r->err, sizeof(r->err), "record %" PRIu64 ": %s", r->index, why);
			return -1;
		}
		rc = cb(&e, arg);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
app_state_read_records(struct app_state_reader *r, app_state_rec_cb cb, void *arg)
{
	const size_t per = r->buf_len / APP_STATE_REC_SIZE;
	uint32_t trailer, crc;
	uint8_t extra;
	size_t n;
	int rc;

	if (per == 0) {
		snprintf(r->err, sizeof(r->err), "no buffer for the records");
		return -1;
	}
	while (r->index < r->count) {
		n = (size_t)RTE_MIN((uint64_t)per, r->count - r->index);
		if (app_state_read_full(r, r->buf, n * APP_STATE_REC_SIZE, "records") < 0)
			return -1;
		r->crc = app_crc32c_update(r->crc, r->buf, n * APP_STATE_REC_SIZE);
		rc = app_state_records_pass(r, n, cb, arg);
		if (rc != 0)
			return rc;
	}
	if (app_state_read_full(r, &trailer, sizeof(trailer), "trailer") < 0)
		return -1;
	trailer = rte_le_to_cpu_32(trailer);
	if (r->version == 2)
		crc = app_state_crc_v2(r->crc, &r->hdr);
	else
		crc = r->crc ^ 0xffffffff;
	if (crc != trailer) {
		snprintf(r->err, sizeof(r->err),
				"CRC-32C mismatch (file says 0x%08" PRIx32 ", content gives "
				"0x%08" PRIx32 "): corrupt",
				trailer, crc);
		return -1;
	}
	/* The size was checked against the count; a file that grew since is not trusted. */
	if (r->read(r->src, &extra, 1) > 0) {
		snprintf(r->err, sizeof(r->err),
				"bytes after the trailer (the file grew while "
				"being read)");
		return -1;
	}
	return 0;
}
