/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Loading the state file into the shards at start, and writing it (at stop and for each
 * checkpoint). The bytes are state_file.c's; the safe replacement is atomic_file.c's; the
 * shards are reached through shard.c alone (restore batch, walk slices).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "clock.h"
#include "log.h"
#include "rss.h"
#include "shard.h"
#include "state.h"
#include "state_file.h"

/* Records read or written per system call. */
#define APP_STATE_IO_RECS 4096

struct app_load {
	struct app_ctx *ctx;
	uint64_t elapsed; /* ms since the save, taken off every remaining_ms */
	uint64_t now;     /* the engine clock */
	uint32_t two_msl;
	uint64_t sort_tsc; /* in twq_restore_end() */
	int future;        /* saved_unix_ms after the wall clock: no time taken off */
	uint32_t per_worker[RTE_MAX_LCORE];
};

struct app_load_src {
	int fd;
	const struct app_ctx *ctx;
};

/* A signal (SIGTERM, SIGINT) stops a load under way. */
static ssize_t
app_state_fd_read(void *src, void *buf, size_t len)
{
	struct app_load_src *s = src;
	ssize_t n;

	if (app_quitting(s->ctx)) {
		errno = ECANCELED;
		return -1;
	}
	n = read(s->fd, buf, len);
	if (n < 0 && errno == EINTR && app_quitting(s->ctx))
		errno = ECANCELED;
	return n;
}

/* Open a file to load: never blocks (a FIFO, a device) and never follows a symlink. */
static int
app_state_open(const char *path, uint64_t *size)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		app_err("state: cannot open %s ([state] load / --load): %s%s", path,
				strerror(errno),
				errno == ELOOP ? " (a symbolic link is not followed: give the file "
						 "it points to)"
					       : "");
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		app_err("state: %s is not a regular file (%s): give a state file", path,
				S_ISDIR(st.st_mode)                    ? "a directory"
						: S_ISFIFO(st.st_mode) ? "a FIFO"
						: S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)
						? "a device"
						: "not a file");
		close(fd);
		return -1;
	}
	/* Regular files do not block; clear the flag anyway. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	*size = (uint64_t)st.st_size;
	return fd;
}

static int
app_state_load_one(const struct twq_entry_info *rec, void *arg)
{
	struct app_load *l = arg;
	struct app_control_stats *cs = &l->ctx->cstats;
	struct twq_entry_info e = *rec;
	unsigned int w;

	if (e.remaining_ms <= l->elapsed) {
		cs->load_expired++;
		return 0;
	}
	e.remaining_ms = (uint32_t)RTE_MIN(e.remaining_ms - l->elapsed, (uint64_t)l->two_msl);
	w = app_flow_worker(l->ctx, &e.key);
	switch (app_shard_restore(&l->ctx->shards[w], &e, l->now)) {
	case TWQ_RESTORED:
		l->per_worker[w]++;
		cs->load_loaded++;
		break;
	case TWQ_RESTORE_DUPLICATE:
		cs->load_duplicate++;
		break;
	case TWQ_RESTORE_FULL:
		cs->load_full++;
		break;
	case TWQ_RESTORE_EXPIRED:
	default:
		cs->load_expired++;
		break;
	}
	return 0;
}

/* Time taken off the entries, the engine clock continued, a save in the future said. */
static void
app_state_load_clock(struct app_ctx *ctx, const struct app_state_reader *r, const char *path,
		struct app_load *l)
{
	uint64_t now_unix = app_unix_ms();

	l->elapsed = 0;
	if (r->saved_unix_ms != 0 && now_unix >= r->saved_unix_ms)
		l->elapsed = now_unix - r->saved_unix_ms;
	l->future = r->saved_unix_ms > now_unix;
	if (r->saved_unix_ms > now_unix)
		APP_LOG(WARNING,
				"state: %s was saved %.3f s in the future (wall clock set back, "
				"or another host's clock ahead): no time is taken off the entries "
				"(each keeps its saved remaining_ms, at most 2MSL)%s",
				path, (double)(r->saved_unix_ms - now_unix) / 1000.0,
				r->ts_clock_ms ? "; the timestamp clock continues from its saved "
						 "value"
					       : "");
	/* TSval = clock + ts_offset must not go back across the restart (peers' PAWS). */
	if (r->ts_clock_ms != 0)
		app_clock_continue_from(r->ts_clock_ms + l->elapsed);
	l->now = app_clock_ms();
	(void)ctx;
}

static void
app_state_load_report(struct app_ctx *ctx, const struct app_state_reader *r, const char *path,
		const struct app_load *l, double secs)
{
	const struct app_control_stats *cs = &ctx->cstats;
	unsigned int w;

	char line[512];
	size_t off;

	off = (size_t)snprintf(line, sizeof(line),
			"state: loaded %" PRIu64 " of %" PRIu64 " entries from %s in %.3f s (%.3f "
			"s of it ordering the batch; version %u, ",
			cs->load_loaded, r->count, path, secs,
			(double)l->sort_tsc / (double)rte_get_tsc_hz(), r->version);
	if (l->future && off < sizeof(line))
		off += (size_t)snprintf(line + off, sizeof(line) - off,
				"saved in the future: no time taken off");
	else if (r->saved_unix_ms != 0 && off < sizeof(line))
		off += (size_t)snprintf(line + off, sizeof(line) - off, "saved %.1f s ago",
				(double)l->elapsed / 1000.0);
	else if (off < sizeof(line))
		off += (size_t)snprintf(line + off, sizeof(line) - off,
				"save time unknown: no time taken off");
	if (off < sizeof(line))
		off += (size_t)snprintf(line + off, sizeof(line) - off,
				", %" PRIu64 " with no time left, %" PRIu64 " duplicates, %" PRIu64
				" did not fit)%s",
				cs->load_expired, cs->load_duplicate, cs->load_full,
				ctx->n_workers > 1 ? "; per worker:" : "");
	for (w = 0; ctx->n_workers > 1 && w < ctx->n_workers && off < sizeof(line); w++)
		off += (size_t)snprintf(line + off, sizeof(line) - off, " %u", l->per_worker[w]);
	APP_LOG(INFO, "%s", line);
	if (r->ts_clock_ms != 0)
		APP_LOG(INFO,
				"state: timestamp clock continues at %" PRIu64 " ms (saved %" PRIu64
				" ms + %" PRIu64 " ms since the save)",
				app_clock_ms(), r->ts_clock_ms, l->elapsed);
	if (cs->load_full != 0)
		APP_LOG(WARNING,
				"state: %" PRIu64 " entries did not fit (a shard holds %u IPv4 and "
				"%u IPv6): raise [engine] capacity/capacity6",
				cs->load_full, ctx->cfg.capacity, ctx->cfg.capacity6);
	if (cs->load_duplicate != 0)
		APP_LOG(WARNING,
				"state: %" PRIu64 " records repeat a 4-tuple already loaded: the "
				"first was kept",
				cs->load_duplicate);
}

int
app_state_load(struct app_ctx *ctx, const char *path)
{
	static struct app_state_rec buf[APP_STATE_IO_RECS];
	struct app_state_reader r = {
			.read = app_state_fd_read, .buf = (uint8_t *)buf, .buf_len = sizeof(buf)};
	struct app_load_src src = {.ctx = ctx};
	struct app_load *l;
	uint64_t t0 = rte_get_tsc_cycles();
	unsigned int w;
	int fd, rc;

	fd = app_state_open(path, &r.size);
	if (fd < 0)
		return -1;
	src.fd = fd;
	r.src = &src;
	l = calloc(1, sizeof(*l));
	if (l == NULL) {
		close(fd);
		app_err("state: out of memory");
		return -1;
	}
	rc = app_state_read_header(&r);
	if (rc == 0) {
		l->ctx = ctx;
		l->two_msl = 2 * ctx->cfg.msl_ms;
		app_state_load_clock(ctx, &r, path, l);
		for (w = 0; w < ctx->n_workers; w++)
			app_shard_restore_begin(&ctx->shards[w]);
		rc = app_state_read_records(&r, app_state_load_one, l);
		l->sort_tsc = rte_get_tsc_cycles();
		for (w = 0; w < ctx->n_workers; w++) {
			app_shard_restore_end(&ctx->shards[w]);
			app_shard_refresh(&ctx->shards[w]);
		}
		l->sort_tsc = rte_get_tsc_cycles() - l->sort_tsc;
	}
	close(fd);
	if (rc != 0) {
		/* The caller exits before any worker runs: what was restored is never used. */
		app_err("state: %s: %s", path, r.err);
		free(l);
		return -1;
	}
	app_state_load_report(ctx, &r, path, l,
			(double)(rte_get_tsc_cycles() - t0) / (double)rte_get_tsc_hz());
	free(l);
	return 0;
}

/* ---- writing ---- */

struct app_save {
	struct app_atomic_file f;
	struct app_state_rec *buf; /* records of one slice */
	uint32_t n;                /* in buf */
	uint32_t cap;              /* of buf */
	uint32_t crc;              /* over the records so far */
	uint64_t written;
};

static int
app_save_one(const struct twq_entry_info *e, void *arg)
{
	struct app_save *s = arg;

	if (e->remaining_ms == 0) /* due: the scan ends it */
		return 0;
	if (s->n == s->cap)
		return -1; /* cannot happen: the walk's budget is the buffer's size */
	app_state_rec_encode(e, &s->buf[s->n++]);
	return 0;
}

/* Walk every shard slice by slice, writing each slice outside the lock. */
static int
app_state_write_records(
		struct app_ctx *ctx, struct app_save *s, uint64_t now, struct app_state_stats *st)
{
	unsigned int w;
	uint64_t cursor, held;
	int done;

	for (w = 0; w < ctx->n_workers; w++) {
		cursor = 0;
		do {
			s->n = 0;
			done = app_shard_walk_slice(&ctx->shards[w], &cursor, s->cap, now,
					app_save_one, s, &held);
			if (done < 0) {
				snprintf(s->f.err, sizeof(s->f.err), "walk of shard %u failed", w);
				return -1;
			}
			st->slices++;
			if (held > st->max_hold_tsc)
				st->max_hold_tsc = held;
			if (held > app_tsc_per_ms)
				st->slow_holds++;
			if (done != 1)
				app_shard_step_aside(&ctx->shards[w]);
			if (s->n == 0)
				continue;
			s->crc = app_crc32c_update(s->crc, s->buf, s->n * sizeof(s->buf[0]));
			if (app_atomic_write(&s->f, s->buf, s->n * sizeof(s->buf[0])) < 0)
				return -1;
			s->written += s->n;
		} while (done != 1);
	}
	return 0;
}

int
app_state_write(struct app_ctx *ctx, const char *path, struct app_state_stats *st)
{
	struct app_save s = {.crc = 0xffffffff};
	struct app_state_hdr hdr;
	uint64_t now, now_unix, t0 = rte_get_tsc_cycles();
	uint32_t trailer;

	memset(st, 0, sizeof(*st));
	s.cap = RTE_MIN(ctx->cfg.scan_slice, (uint32_t)APP_STATE_IO_RECS);
	s.buf = malloc(s.cap * sizeof(s.buf[0]));
	if (s.buf == NULL) {
		snprintf(st->err, sizeof(st->err), "out of memory");
		return -1;
	}
	if (app_atomic_open(&s.f, path) < 0)
		goto fail;
	/* One moment for every record: remaining_ms is counted from saved_unix_ms. */
	now = app_clock_ms();
	now_unix = app_unix_ms();
	/* The header is written last, when the count is known; its room first. */
	memset(&hdr, 0, sizeof(hdr));
	if (app_atomic_write(&s.f, &hdr, sizeof(hdr)) < 0 ||
			app_state_write_records(ctx, &s, now, st) < 0)
		goto fail;
	app_state_hdr_make(&hdr, s.written, now_unix, app_clock_ms());
	trailer = rte_cpu_to_le_32(app_state_crc_v2(s.crc, &hdr));
	if (app_atomic_write(&s.f, &trailer, sizeof(trailer)) < 0 ||
			app_atomic_pwrite(&s.f, &hdr, sizeof(hdr), 0) < 0 ||
			app_atomic_commit(&s.f, path) < 0)
		goto fail;
	free(s.buf);
	st->written = s.written;
	st->tsc = rte_get_tsc_cycles() - t0;
	return 0;
fail:
	snprintf(st->err, sizeof(st->err), "%s", s.f.err);
	app_atomic_abort(&s.f);
	free(s.buf);
	return -1;
}

int
app_state_save(struct app_ctx *ctx, const char *path)
{
	struct app_state_stats st;

	if (app_state_write(ctx, path, &st) < 0) {
		app_err("state: cannot save to %s: %s", path, st.err);
		return -1;
	}
	ctx->cstats.saved = st.written;
	APP_LOG(INFO, "state: saved %" PRIu64 " entries to %s", st.written, path);
	return 0;
}

int
app_state_check_save_path(const char *path, const char *origin)
{
	char why[PATH_MAX + 256];
	unsigned int n;

	if (app_atomic_check(path, why, sizeof(why)) == 0) {
		n = app_atomic_cleanup(path);
		if (n != 0)
			APP_LOG(INFO,
					"state: removed %u temporary file(s) of %s left by an "
					"interrupted save",
					n, path);
		return 0;
	}
	app_err("state: %s = %s cannot be written: %s", origin, path, why);
	return -1;
}
