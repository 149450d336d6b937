/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The TIME_WAIT state file, exactly as docs/state-file.md describes it: a 32-byte header,
 * 64-byte records, a CRC-32C trailer, all little-endian.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_hash_crc.h>

#include "clock.h"
#include "log.h"
#include "rss.h"
#include "state.h"

#define STATE_MAGIC        "TWQSTATE"
#define STATE_VERSION      1
#define STATE_HDR_SIZE     32
#define STATE_REC_SIZE     64
#define STATE_TRAILER_SIZE 4
#define STATE_FLAG_TS      0x01

/* rte_hash_crc is CRC-32C without the final XOR (SSE4.2 crc32 or DPDK's table). */
static uint32_t
app_crc32c_update(uint32_t crc, const void *data, size_t len)
{
	return rte_hash_crc(data, (uint32_t)len, crc);
}

uint32_t
app_crc32c(const void *data, size_t len)
{
	return app_crc32c_update(0xffffffff, data, len) ^ 0xffffffff;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	while (n-- > 0)
		if (*p++ != 0)
			return false;
	return true;
}

/* Check one record; returns NULL or what is wrong with it. */
static const char *
app_record_check(const uint8_t *r)
{
	if (r[0] != 4 && r[0] != 6)
		return "family is neither 4 nor 6";
	if ((r[1] & ~STATE_FLAG_TS) != 0)
		return "unknown flag bits";
	if (get32(r + 60) != 0)
		return "reserved field not 0";
	if (r[0] == 4 && (!all_zero(r + 12, 12) || !all_zero(r + 28, 12)))
		return "IPv4 address with bytes past the first 4";
	return NULL;
}

static void
app_record_decode(const uint8_t *r, struct twq_entry_info *e)
{
	memset(e, 0, sizeof(*e));
	e->key.is_ipv6 = r[0] == 6;
	e->has_ts = r[1] & STATE_FLAG_TS;
	e->last_win = get16(r + 2);
	e->key.lport = get16(r + 4);
	e->key.rport = get16(r + 6);
	if (e->key.is_ipv6) {
		memcpy(e->key.laddr.v6, r + 8, 16);
		memcpy(e->key.raddr.v6, r + 24, 16);
	} else {
		memcpy(&e->key.laddr.v4, r + 8, 4);
		memcpy(&e->key.raddr.v4, r + 24, 4);
	}
	e->snd_nxt = get32(r + 40);
	e->rcv_nxt = get32(r + 44);
	e->t_recent = get32(r + 48);
	e->ts_offset = get32(r + 52);
	e->remaining_ms = get32(r + 56);
}

static void
app_record_encode(const struct twq_entry_info *e, uint8_t *r)
{
	memset(r, 0, STATE_REC_SIZE);
	r[0] = e->key.is_ipv6 ? 6 : 4;
	r[1] = e->has_ts ? STATE_FLAG_TS : 0;
	put16(r + 2, e->last_win);
	put16(r + 4, e->key.lport);
	put16(r + 6, e->key.rport);
	if (e->key.is_ipv6) {
		memcpy(r + 8, e->key.laddr.v6, 16);
		memcpy(r + 24, e->key.raddr.v6, 16);
	} else {
		memcpy(r + 8, &e->key.laddr.v4, 4);
		memcpy(r + 24, &e->key.raddr.v4, 4);
	}
	put32(r + 40, e->snd_nxt);
	put32(r + 44, e->rcv_nxt);
	put32(r + 48, e->has_ts ? e->t_recent : 0);
	put32(r + 52, e->has_ts ? e->ts_offset : 0);
	put32(r + 56, e->remaining_ms);
}

static uint8_t *
app_read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL) {
		app_err("state: cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		app_err("state: %s is not a regular file", path);
		fclose(f);
		return NULL;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (buf == NULL || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		app_err("state: cannot read %s: %s", path, buf ? strerror(errno) : "out of memory");
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*len = (size_t)st.st_size;
	return buf;
}

/* Check the whole file; returns the record count or -1. */
static int64_t
app_state_check(const char *path, const uint8_t *buf, size_t len)
{
	uint64_t count, i;
	uint32_t crc, want;
	const char *why;

	if (len < STATE_HDR_SIZE + STATE_TRAILER_SIZE) {
		app_err("state: %s: truncated (%zu bytes, a file has at least %d)", path, len,
				STATE_HDR_SIZE + STATE_TRAILER_SIZE);
		return -1;
	}
	if (memcmp(buf, STATE_MAGIC, 8) != 0) {
		app_err("state: %s: not a dpdk-twq state file (magic is not TWQSTATE)", path);
		return -1;
	}
	if (get32(buf + 8) != STATE_VERSION) {
		app_err("state: %s: version %" PRIu32 ", only version %d is understood", path,
				get32(buf + 8), STATE_VERSION);
		return -1;
	}
	if (get32(buf + 12) != STATE_REC_SIZE) {
		app_err("state: %s: record_size %" PRIu32 ", expected %d", path, get32(buf + 12),
				STATE_REC_SIZE);
		return -1;
	}
	count = get64(buf + 16);
	if (count > (len - STATE_HDR_SIZE - STATE_TRAILER_SIZE) / STATE_REC_SIZE ||
			len != STATE_HDR_SIZE + count * STATE_REC_SIZE + STATE_TRAILER_SIZE) {
		app_err("state: %s: size %zu bytes does not match count %" PRIu64
			" (expected 32 + 64 * count + 4): truncated or corrupt",
				path, len, count);
		return -1;
	}
	crc = app_crc32c(buf, len - STATE_TRAILER_SIZE);
	want = get32(buf + len - STATE_TRAILER_SIZE);
	if (crc != want) {
		app_err("state: %s: CRC-32C mismatch (file says 0x%08" PRIx32 ", content gives "
			"0x%08" PRIx32 "): corrupt",
				path, want, crc);
		return -1;
	}
	for (i = 0; i < count; i++) {
		why = app_record_check(buf + STATE_HDR_SIZE + i * STATE_REC_SIZE);
		if (why != NULL) {
			app_err("state: %s: record %" PRIu64 ": %s", path, i, why);
			return -1;
		}
	}
	return (int64_t)count;
}

int
app_state_load(struct app_ctx *ctx, const char *path)
{
	const uint64_t two_msl = 2ull * ctx->cfg.msl_ms;
	uint64_t saved_ms, elapsed = 0, now_unix, now, full = 0, dup = 0;
	uint32_t per_worker[RTE_MAX_LCORE] = {0};
	struct twq_entry_info e;
	size_t len = 0;
	int64_t count, i;
	uint8_t *buf;
	unsigned int w;

	buf = app_read_file(path, &len);
	if (buf == NULL)
		return -1;
	count = app_state_check(path, buf, len);
	if (count < 0) {
		free(buf);
		return -1;
	}
	saved_ms = get64(buf + 24);
	now_unix = app_unix_ms();
	if (saved_ms != 0 && now_unix > saved_ms)
		elapsed = now_unix - saved_ms;
	now = app_clock_ms();
	/* One batch per shard: sorted onto the rings at the end, O(n log n). */
	for (w = 0; w < ctx->n_workers; w++)
		app_shard_restore_begin(&ctx->shards[w]);
	for (i = 0; i < count; i++) {
		enum twq_restore_result r;

		app_record_decode(buf + STATE_HDR_SIZE + i * STATE_REC_SIZE, &e);
		if (e.remaining_ms <= elapsed) {
			ctx->cstats.load_expired++;
			continue;
		}
		e.remaining_ms = (uint32_t)RTE_MIN(e.remaining_ms - elapsed, two_msl);
		w = app_flow_worker(ctx, &e.key);
		r = app_shard_restore(&ctx->shards[w], &e, now);
		if (r == TWQ_RESTORE_FULL)
			full++;
		if (r == TWQ_RESTORE_DUPLICATE)
			dup++;
		if (r != TWQ_RESTORED)
			continue;
		per_worker[w]++;
		ctx->cstats.load_loaded++;
	}
	for (w = 0; w < ctx->n_workers; w++)
		app_shard_restore_end(&ctx->shards[w]);
	free(buf);
	printf("state: loaded %" PRIu64 " of %" PRId64 " entries from %s (",
			ctx->cstats.load_loaded, count, path);
	if (saved_ms != 0)
		printf("saved %.1f s ago", (double)elapsed / 1000.0);
	else
		printf("save time unknown: no time taken off");
	printf(", %" PRIu64 " with no time left)", ctx->cstats.load_expired);
	if (ctx->n_workers > 1) {
		printf("; per worker:");
		for (w = 0; w < ctx->n_workers; w++)
			printf(" %u", per_worker[w]);
	}
	printf("\n");
	for (w = 0; w < ctx->n_workers; w++) {
		app_shard_refresh(&ctx->shards[w]);
	}
	if (dup != 0)
		printf("state: %" PRIu64
		       " entries repeat a tuple loaded before them: the first kept\n",
				dup);
	if (full != 0)
		printf("state: %" PRIu64 " entries did not fit (a shard holds %u IPv4 and %u IPv6) "
		       "and were not loaded: raise [engine] capacity/capacity6\n",
				full, ctx->cfg.capacity, ctx->cfg.capacity6);
	return 0;
}

struct app_save {
	FILE *f;
	uint32_t crc;
	uint64_t written;
	uint64_t expected;
};

static int
app_save_one(const struct twq_entry_info *e, void *arg)
{
	struct app_save *s = arg;
	uint8_t rec[STATE_REC_SIZE];

	if (e->remaining_ms == 0 || s->written == s->expected)
		return -1;
	app_record_encode(e, rec);
	if (fwrite(rec, sizeof(rec), 1, s->f) != 1)
		return -2;
	s->crc = app_crc32c_update(s->crc, rec, sizeof(rec));
	s->written++;
	return 0;
}

int
app_state_save(struct app_ctx *ctx, const char *path)
{
	char tmp[PATH_MAX + 8];
	uint8_t hdr[STATE_HDR_SIZE], trailer[STATE_TRAILER_SIZE];
	struct app_save s = {.crc = 0xffffffff};
	uint64_t now = app_clock_ms();
	unsigned int w;
	int rc = 0;

	/* Entries due now are expired first, so that every record has time left. */
	for (w = 0; w < ctx->n_workers; w++) {
		app_shard_expire_all(&ctx->shards[w], now);
		s.expected += app_shard_count(&ctx->shards[w], -1);
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
		app_err("state: file name too long: %s", path);
		return -1;
	}
	s.f = fopen(tmp, "wb");
	if (s.f == NULL) {
		app_err("state: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	memcpy(hdr, STATE_MAGIC, 8);
	put32(hdr + 8, STATE_VERSION);
	put32(hdr + 12, STATE_REC_SIZE);
	put64(hdr + 16, s.expected);
	put64(hdr + 24, app_unix_ms());
	if (fwrite(hdr, sizeof(hdr), 1, s.f) != 1)
		rc = -2;
	s.crc = app_crc32c_update(s.crc, hdr, sizeof(hdr));
	for (w = 0; w < ctx->n_workers && rc == 0; w++)
		rc = app_shard_foreach(&ctx->shards[w], now, app_save_one, &s);
	if (rc == -1 || (rc == 0 && s.written != s.expected)) {
		app_err("state: entries changed while saving (%" PRIu64 " of %" PRIu64 ")",
				s.written, s.expected);
		rc = -1;
	}
	if (rc == 0) {
		put32(trailer, s.crc ^ 0xffffffff);
		if (fwrite(trailer, sizeof(trailer), 1, s.f) != 1 || fflush(s.f) != 0 ||
				fsync(fileno(s.f)) != 0)
			rc = -2;
	}
	if (fclose(s.f) != 0 && rc == 0)
		rc = -2;
	if (rc == -2)
		app_err("state: cannot write %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0) {
		app_err("state: cannot rename %s to %s: %s", tmp, path, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(tmp);
		return -1;
	}
	ctx->cstats.saved = s.written;
	printf("state: saved %" PRIu64 " entries to %s\n", s.written, path);
	return 0;
}
