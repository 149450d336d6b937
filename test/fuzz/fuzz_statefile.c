/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Fuzz target: any bytes as a state file, read by app/state_file.c from a buffer exactly as
 * dpdk-twq reads a file. The first byte is a switch: bit 0 set makes the target write the
 * correct CRC into the trailer first, so that the fuzzer gets past the CRC to the record
 * checks. Whenever the reader accepts, the input is checked independently against
 * docs/state-file.md (sizes, magic, version, a bitwise CRC-32C, every record field) and
 * every record must encode back to its bytes.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "state_file.h"

struct mem_src {
	const uint8_t *p;
	size_t left;
};

static ssize_t
mem_read(void *src, void *buf, size_t len)
{
	struct mem_src *m = src;

	if (len > m->left)
		len = m->left;
	memcpy(buf, m->p, len);
	m->p += len;
	m->left -= len;
	return (ssize_t)len;
}

/* CRC-32C bit by bit (reflected 0x82f63b78), independent of rte_hash_crc. */
static uint32_t
crc_bitwise(uint32_t c, const uint8_t *p, size_t n)
{
	int k;

	while (n-- > 0) {
		c ^= *p++;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
	}
	return c;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The CRC a valid file of this layout would carry. */
static uint32_t
file_crc(const uint8_t *d, size_t n, size_t hdr)
{
	if (le32(d + 8) == 1)
		return crc_bitwise(0xffffffff, d, n - 4) ^ 0xffffffff;
	return crc_bitwise(crc_bitwise(0xffffffff, d + hdr, n - 4 - hdr), d, hdr) ^ 0xffffffff;
}

struct walk {
	const uint8_t *recs;
	uint64_t n;
};

static int
on_record(const struct twq_entry_info *e, void *arg)
{
	struct walk *w = arg;
	struct app_state_rec rec;

	app_state_rec_encode(e, &rec);
	if (memcmp(&rec, w->recs + w->n * sizeof(rec), sizeof(rec)) != 0) {
		fprintf(stderr, "record %" PRIu64 " does not encode back to its bytes\n", w->n);
		abort();
	}
	w->n++;
	return 0;
}

/* The reader accepted: the input must be valid per docs/state-file.md. */
static void
check_valid(const uint8_t *d, size_t n, const struct app_state_reader *r, uint64_t seen)
{
	size_t hdr = r->version == 1 ? APP_STATE_V1_HDR_SIZE : APP_STATE_V2_HDR_SIZE;
	uint64_t count = r->count;

	if (n < hdr + 4 || memcmp(d, "TWQSTATE", 8) != 0 || (r->version != 1 && r->version != 2) ||
			le32(d + 8) != r->version || le32(d + 12) != 64 ||
			n != hdr + count * 64 + 4 || seen != count ||
			le32(d + n - 4) != file_crc(d, n, hdr)) {
		fprintf(stderr, "accepted an invalid file (%zu bytes)\n", n);
		abort();
	}
	if (r->version == 2 && (le32(d + 40) != 0 || le32(d + 44) != 0)) {
		fprintf(stderr, "accepted a version 2 header with reserved bits\n");
		abort();
	}
	if (r->version == 2 &&
			((uint64_t)le32(d + 36) << 32 | le32(d + 32)) > APP_STATE_TS_CLOCK_MAX) {
		fprintf(stderr, "accepted a ts_clock_ms above 2^47\n");
		abort();
	}
}

int
fuzz_init(void)
{
	return 0;
}

int
fuzz_one(const uint8_t *data, size_t size)
{
	uint8_t *d, scratch[3 * APP_STATE_REC_SIZE];
	struct app_state_reader r;
	struct mem_src src;
	struct walk w;
	size_t n, hdr;
	uint32_t crc;
	int rc;

	if (size == 0)
		return 0;
	n = size - 1;
	d = malloc(n ? n : 1);
	if (d == NULL)
		abort();
	memcpy(d, data + 1, n);
	if ((data[0] & 1) && n >= APP_STATE_V1_HDR_SIZE + 4) {
		hdr = le32(d + 8) == 1 ? APP_STATE_V1_HDR_SIZE : APP_STATE_V2_HDR_SIZE;
		if (n >= hdr + 4) {
			crc = file_crc(d, n, hdr);
			memcpy(d + n - 4, &crc, 4);
		}
	}
	memset(&r, 0, sizeof(r));
	src = (struct mem_src){d, n};
	r.read = mem_read;
	r.src = &src;
	r.size = n;
	/* A small buffer (3 records) so that several slices are read. */
	r.buf = scratch;
	r.buf_len = sizeof(scratch);
	rc = app_state_read_header(&r);
	if (rc == 0) {
		w.recs = d + r.hdr_size;
		w.n = 0;
		rc = app_state_read_records(&r, on_record, &w);
		if (rc == 0)
			check_valid(d, n, &r, w.n);
	}
	if (rc != 0 && r.err[0] == '\0') {
		fprintf(stderr, "refused without a reason\n");
		abort();
	}
	free(d);
	return 0;
}
