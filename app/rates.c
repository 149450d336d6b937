/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/* Rates from two snapshots of the counters (rates.h). */

#include <stdio.h>
#include <string.h>

#include "rates.h"

void
app_rate_snap_take(const struct app_worker_stats *ws, const struct app_shard *sh, unsigned int n,
		uint64_t now_ms, struct app_rate_snap *s)
{
	uint64_t c[TCPTERM_CTR_MAX];
	uint32_t st[TCPTERM_ST_MAX];
	unsigned int w;

	app_worker_stats_sum(ws, n, &s->w);
	app_shards_counters(sh, n, s->eng);
	s->accepted = 0;
	for (w = 0; w < n; w++) {
		app_shard_term_counters(&sh[w], c, st);
		s->accepted += c[TCPTERM_CTR_ACCEPTED];
	}
	s->ms = now_ms;
}

static double
app_per_s(uint64_t a, uint64_t b, uint64_t dt_ms)
{
	return b > a && dt_ms != 0 ? (double)(b - a) * 1000.0 / (double)dt_ms : 0.0;
}

uint64_t
app_rates_walk(const struct app_rate_snap *a, const struct app_rate_snap *b, app_rate_cb cb,
		void *arg)
{
	const uint64_t dt = b->ms > a->ms && a->ms != 0 ? b->ms - a->ms : 0;
	const uint64_t rx = b->w.rx > a->w.rx ? b->w.rx - a->w.rx : 0;
	const uint64_t busy = b->w.busy_tsc > a->w.busy_tsc ? b->w.busy_tsc - a->w.busy_tsc : 0;
	char key[64];

#define APP_RATE(field, k, unit, help) \
	if ((unit) == APP_UNIT_COUNT) { \
		snprintf(key, sizeof(key), "%s_per_s", k); \
		cb(key, dt ? app_per_s(a->w.field, b->w.field, dt) : 0.0, arg); \
	}
	APP_WORKER_COUNTERS(APP_RATE)
#undef APP_RATE
	cb("dropped_per_s",
			dt ? app_per_s(app_worker_drops(&a->w), app_worker_drops(&b->w), dt) : 0,
			arg);
#define APP_RATE(c) \
	snprintf(key, sizeof(key), "%s_per_s", twq_counter_name(c)); \
	cb(key, dt ? app_per_s(a->eng[c], b->eng[c], dt) : 0.0, arg);
	APP_RATE_ENGINE(APP_RATE)
#undef APP_RATE
	cb("term_accepted_per_s", dt ? app_per_s(a->accepted, b->accepted, dt) : 0.0, arg);
	cb("period_cycles_per_pkt", dt && rx ? (double)busy / (double)rx : 0.0, arg);
	return dt;
}

void
app_rates_tick(struct app_rates_pub *pub, const struct app_worker_stats *ws,
		const struct app_shard *sh, unsigned int n, uint64_t now_ms, uint64_t period_ms)
{
	struct app_rate_snap s;

	if (pub->next.ms != 0 && now_ms < pub->next.ms + period_ms)
		return;
	app_rate_snap_take(ws, sh, n, now_ms, &s);
	if (pub->next.ms != 0) {
		rte_seqlock_write_lock(&pub->lock);
		pub->a = pub->next;
		pub->b = s;
		rte_seqlock_write_unlock(&pub->lock);
	}
	pub->next = s;
}

void
app_rates_read(struct app_rates_pub *pub, struct app_rate_snap *a, struct app_rate_snap *b)
{
	uint32_t sn;

	do {
		sn = rte_seqlock_read_begin(&pub->lock);
		*a = pub->a;
		*b = pub->b;
	} while (rte_seqlock_read_retry(&pub->lock, sn));
}
