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
#include "log.h"

/* Longest sleep, so that the replay end and a signal are seen promptly. */
#define APP_CONTROL_TICK_MS 20

void
app_control_scan(struct app_ctx *ctx)
{
	struct app_control_stats *cs = &ctx->cstats;
	const uint32_t slice = ctx->cfg.scan_slice;
	uint64_t worst = cs->scan_max_hold_tsc;
	uint64_t slices = 0, held = 0, hold;
	unsigned int w;
	uint32_t n;

	for (w = 0; w < ctx->n_workers; w++) {
		struct app_shard *sh = &ctx->shards[w];

		do {
			n = app_shard_expire_slice(sh, slice, &hold);
			worst = RTE_MAX(worst, hold);
			held += hold;
			slices++;
			/* The worker waits for its shard: let it have a burst first. */
			if (n == slice)
				app_shard_step_aside(sh);
		} while (n == slice && !app_quitting(ctx));
	}
	__atomic_store_n(&cs->scan_max_hold_tsc, worst, __ATOMIC_RELAXED);
	APP_ADD(cs->scan_slices, slices);
	APP_ADD(cs->scan_hold_tsc, held);
	APP_ADD(cs->scans, 1);
}

/* One "key: value" of the stats block; times with one decimal. */
static void
app_print_kv(const char *key, enum app_unit unit, uint64_t value, double precise, void *arg)
{
	FILE *f = arg;

	if (unit == APP_UNIT_MAX_US)
		fprintf(f, "  %s: %.1f", key, precise);
	else
		fprintf(f, "  %s: %" PRIu64, key, value);
}

static void
app_print_ports(const struct app_ctx *ctx, FILE *f)
{
	unsigned int i;

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
}

static void
app_print_engine_counters(const struct app_ctx *ctx, FILE *f)
{
	uint64_t eng[TWQ_CTR_MAX];
	unsigned int i, col;

	app_shards_counters(ctx->shards, ctx->n_workers, eng);
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
	fprintf(f, "\n");
}

void
app_stats_print(struct app_ctx *ctx, FILE *f, const char *title)
{
	struct app_worker_stats tot;
	uint64_t e4, e6;
	unsigned int w, i, col;

	fprintf(f, "\n  ######################## %s (up %.1f s) ########################\n", title,
			(double)(app_clock_ms() - ctx->start_ms) / 1000.0);
	app_print_ports(ctx, f);
	for (w = 0; w < ctx->n_workers; w++) {
		fprintf(f, "  worker %u (lcore %u)", w, ctx->lcores[w]);
		app_worker_stats_walk(&ctx->wstats[w], app_print_kv, f);
		fprintf(f, "\n");
	}
	app_worker_stats_sum(ctx->wstats, ctx->n_workers, &tot);
	fprintf(f, "  drops by reason:");
	col = 0;
	for (i = 0; i < TCPSEG_REASON_MAX; i++) {
		if (i == TCPSEG_OK || tot.drop[i] == 0)
			continue;
		fprintf(f, " %s %" PRIu64, tcpseg_reason_name(i), tot.drop[i]);
		col++;
	}
	fprintf(f, "%s\n", col ? "" : " none");
	app_print_engine_counters(ctx, f);
	app_shards_entries(ctx->shards, ctx->n_workers, &e4, &e6);
	fprintf(f,
			"  shards:  entries: %" PRIu64 "  entries_v4: %" PRIu64
			"  entries_v6: %" PRIu64 "\n  control:",
			e4 + e6, e4, e6);
	app_control_stats_walk(&ctx->cstats, app_print_kv, f);
	fprintf(f,
			"\n  "
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
