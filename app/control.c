/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The control lcore: 2MSL expiry in bounded slices (so that a worker waits at most one
 * slice behind it), the periodic stats block, and the replay end. It sleeps between events
 * and never polls a port.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "clock.h"
#include "control.h"
#include "lock.h"
#include "log.h"

/* Longest the scan steps aside for a waiting worker between two slices. */
#define APP_SCAN_YIELD_MAX_US 10000

/* Longest sleep, so that the replay end and a signal are seen promptly. */
#define APP_CONTROL_TICK_MS 20

void
app_control_scan(struct app_ctx *ctx)
{
	const uint32_t slice = ctx->cfg.scan_slice;
	uint64_t worst = ctx->scan_max_hold_tsc;
	uint64_t slices = 0, held = 0;
	unsigned int w;

	for (w = 0; w < ctx->n_workers; w++) {
		struct app_shard *sh = &ctx->shards[w];
		uint32_t n, e4, e6;
		uint64_t t0, t1;

		do {
			app_lock(&sh->lock);
			t0 = rte_get_tsc_cycles();
			n = twq_expire(sh->tw, app_clock_ms(), slice);
			e4 = twq_shard_count(sh->tw, 0);
			e6 = twq_shard_count(sh->tw, 1);
			t1 = rte_get_tsc_cycles();
			rte_spinlock_unlock(&sh->lock);
			if (t1 - t0 > worst)
				worst = t1 - t0;
			held += t1 - t0;
			slices++;
			/* The worker waits for its shard: let it have a burst first. */
			if (n == slice)
				app_lock_yield_to(&sh->worker_waiting, APP_SCAN_YIELD_MAX_US);
		} while (n == slice && !app_quitting(ctx));
		__atomic_store_n(&sh->entries4, e4, __ATOMIC_RELAXED);
		__atomic_store_n(&sh->entries6, e6, __ATOMIC_RELAXED);
	}
	__atomic_store_n(&ctx->scan_max_hold_tsc, worst, __ATOMIC_RELAXED);
	APP_ADD(ctx->scan_slices, slices);
	APP_ADD(ctx->scan_hold_tsc, held);
	APP_ADD(ctx->scans, 1);
}

void
app_engine_counters(const struct app_ctx *ctx, uint64_t out[TWQ_CTR_MAX])
{
	uint64_t c[TWQ_CTR_MAX];
	unsigned int w, i;

	memset(out, 0, sizeof(uint64_t) * TWQ_CTR_MAX);
	for (w = 0; w < ctx->n_workers; w++) {
		twq_counters_read(ctx->shards[w].tw, c);
		for (i = 0; i < TWQ_CTR_MAX; i++)
			out[i] += c[i];
	}
}

void
app_worker_totals(const struct app_ctx *ctx, struct app_worker_stats *out)
{
	unsigned int w, r;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < ctx->n_workers; w++) {
		const struct app_worker_stats *s = &ctx->wstats[w];

		out->rx += APP_LOAD(s->rx);
		out->tx += APP_LOAD(s->tx);
		out->tx_dropped += APP_LOAD(s->tx_dropped);
		out->closed_rst += APP_LOAD(s->closed_rst);
		out->closed_drop += APP_LOAD(s->closed_drop);
		out->reopen += APP_LOAD(s->reopen);
		out->lock_waits += APP_LOAD(s->lock_waits);
		out->lock_yields += APP_LOAD(s->lock_yields);
		out->lock_max_wait_tsc =
				RTE_MAX(out->lock_max_wait_tsc, APP_LOAD(s->lock_max_wait_tsc));
		for (r = 0; r < TCPSEG_REASON_MAX; r++)
			out->drop[r] += APP_LOAD(s->drop[r]);
	}
}

static uint64_t
app_drops(const struct app_worker_stats *s)
{
	uint64_t n = 0;
	unsigned int r;

	for (r = 0; r < TCPSEG_REASON_MAX; r++)
		n += s->drop[r];
	return n;
}

void
app_stats_print(struct app_ctx *ctx, FILE *f, const char *title)
{
	uint64_t eng[TWQ_CTR_MAX];
	struct app_worker_stats tot;
	uint64_t e4 = 0, e6 = 0;
	unsigned int w, i, col;

	fprintf(f, "\n  ######################## %s (up %.1f s) ########################\n", title,
			(double)(app_clock_ms() - ctx->start_ms) / 1000.0);
	for (i = 0; i < ctx->n_ports; i++) {
		const struct app_port *p = &ctx->ports[i];
		struct rte_eth_stats es;

		if (rte_eth_stats_get(p->port_id, &es) != 0)
			memset(&es, 0, sizeof(es));
		fprintf(f,
				"  port %u %-16s RX-packets: %-12" PRIu64 " RX-missed: %-8" PRIu64
				" RX-errors: %-8" PRIu64 " RX-nombuf: %" PRIu64 "\n",
				p->port_id, p->name, es.ipackets, es.imissed, es.ierrors,
				es.rx_nombuf);
		fprintf(f, "  %-23s TX-packets: %-12" PRIu64 " TX-errors: %" PRIu64 "\n", "",
				es.opackets, es.oerrors);
	}
	for (w = 0; w < ctx->n_workers; w++) {
		const struct app_worker_stats *s = &ctx->wstats[w];
		struct app_worker_stats one;

		memset(&one, 0, sizeof(one));
		for (i = 0; i < TCPSEG_REASON_MAX; i++)
			one.drop[i] = APP_LOAD(s->drop[i]);
		fprintf(f,
				"  worker %u (lcore %u) rx: %" PRIu64 "  tx: %" PRIu64
				"  tx_dropped: %" PRIu64 "  dropped: %" PRIu64
				"  closed_rst: %" PRIu64 "  closed_drop: %" PRIu64
				"  lock_waits: %" PRIu64 "  lock_yields: %" PRIu64
				"  lock_max_wait_us: %.1f\n",
				w, ctx->shards[w].lcore, APP_LOAD(s->rx), APP_LOAD(s->tx),
				APP_LOAD(s->tx_dropped), app_drops(&one), APP_LOAD(s->closed_rst),
				APP_LOAD(s->closed_drop), APP_LOAD(s->lock_waits),
				APP_LOAD(s->lock_yields),
				app_tsc_to_us(APP_LOAD(s->lock_max_wait_tsc)));
		e4 += APP_LOAD(ctx->shards[w].entries4);
		e6 += APP_LOAD(ctx->shards[w].entries6);
	}
	app_worker_totals(ctx, &tot);
	fprintf(f, "  drops by reason:");
	col = 0;
	for (i = 0; i < TCPSEG_REASON_MAX; i++) {
		if (i == TCPSEG_OK || tot.drop[i] == 0)
			continue;
		fprintf(f, " %s %" PRIu64, tcpseg_reason_name(i), tot.drop[i]);
		col++;
	}
	fprintf(f, "%s\n", col ? "" : " none");
	app_engine_counters(ctx, eng);
	fprintf(f, "  engine:");
	for (i = 0, col = 0; i < TWQ_CTR_MAX; i++) {
		if (col == 4) {
			fprintf(f, "\n         ");
			col = 0;
		}
		fprintf(f,
				col == 3 || i + 1 == TWQ_CTR_MAX ? " %-15s %" PRIu64
								 : " %-15s %-10" PRIu64,
				twq_counter_name(i), eng[i]);
		col++;
	}
	fprintf(f,
			"\n  entries: %" PRIu64 " (IPv4 %" PRIu64 ", IPv6 %" PRIu64
			")  loaded: %" PRIu64 "  load_expired: %" PRIu64 "  reopen: %" PRIu64
			"\n  scan: %" PRIu64 " scans, %" PRIu64 " lock holds, mean %.1f us, "
			"scan_max_hold_us: %.1f\n",
			e4 + e6, e4, e6, ctx->load_loaded, ctx->load_expired, tot.reopen,
			APP_LOAD(ctx->scans), APP_LOAD(ctx->scan_slices),
			APP_LOAD(ctx->scan_slices) ? app_tsc_to_us(APP_LOAD(ctx->scan_hold_tsc)) /
							(double)APP_LOAD(ctx->scan_slices)
						   : 0.0,
			app_tsc_to_us(APP_LOAD(ctx->scan_max_hold_tsc)));
	fprintf(f,
			"  "
			"##########################################################################"
			"####\n");
	fflush(f);
}

/* Total frames received by every worker on every port. */
static uint64_t
app_rx_total(const struct app_ctx *ctx)
{
	uint64_t n = 0;
	unsigned int w;

	for (w = 0; w < ctx->n_workers; w++)
		n += APP_LOAD(ctx->wstats[w].rx);
	return n;
}

void
app_control_loop(struct app_ctx *ctx)
{
	const struct app_config *cfg = &ctx->cfg;
	uint64_t now = app_clock_ms();
	uint64_t next_scan = now + cfg->scan_interval_ms;
	uint64_t next_stats = cfg->stats_period_s ? now + cfg->stats_period_s * 1000ull : 0;
	uint64_t last_rx = app_rx_total(ctx), last_rx_ms = now;

	while (!app_quitting(ctx)) {
		uint64_t wake = next_scan, rx;

		now = app_clock_ms();
		if (now >= next_scan) {
			app_control_scan(ctx);
			next_scan = now + cfg->scan_interval_ms;
		}
		if (next_stats != 0 && now >= next_stats) {
			app_control_scan(ctx); /* fresh entry counts */
			app_stats_print(ctx, stdout, "dpdk-twq statistics");
			next_stats = now + cfg->stats_period_s * 1000ull;
		}
		if (cfg->exit_idle_ms != 0) {
			rx = app_rx_total(ctx);
			if (rx != last_rx) {
				last_rx = rx;
				last_rx_ms = now;
			} else if (now - last_rx_ms >= cfg->exit_idle_ms) {
				APP_LOG(INFO, "replay: no packet for %u ms, stopping",
						cfg->exit_idle_ms);
				__atomic_store_n(&ctx->force_quit, 1, __ATOMIC_RELAXED);
				break;
			}
		}
		if (next_stats != 0 && next_stats < wake)
			wake = next_stats;
		now = app_clock_ms();
		if (wake > now)
			app_sleep_ms((uint32_t)RTE_MIN(wake - now, (uint64_t)APP_CONTROL_TICK_MS));
	}
}
