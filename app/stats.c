/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * The counter lists of stats.h turned into sums, walks and the documentation table. The
 * stats block (control.c) and telemetry (telemetry.c) both show counters through the walks,
 * so that their names and units are the same.
 */

#include <stdio.h>
#include <string.h>

#include <tcpterm.h>
#include <twq.h>

#include "clock.h"
#include "rates.h"
#include "stats.h"

void
app_worker_stats_sum(
		const struct app_worker_stats *ws, unsigned int n, struct app_worker_stats *out)
{
	unsigned int w, r;

	memset(out, 0, sizeof(*out));
	for (w = 0; w < n; w++) {
		const struct app_worker_stats *s = &ws[w];

#define APP_SUM(field, key, unit, help) \
	out->field = (unit) == APP_UNIT_MAX_US ? RTE_MAX(out->field, APP_LOAD(s->field)) \
					       : out->field + APP_LOAD(s->field);
		APP_WORKER_COUNTERS(APP_SUM)
#undef APP_SUM
		for (r = 0; r < TCPSEG_REASON_MAX; r++)
			out->drop[r] += APP_LOAD(s->drop[r]);
		for (r = 0; r < APP_L2_RESULT_MAX; r++)
			out->l2[r] += APP_LOAD(s->l2[r]);
		for (r = 0; r < TCPTERM_RESPONSES_MAX; r++)
			out->resp[r] += APP_LOAD(s->resp[r]);
	}
}

void
app_worker_l2_walk(const struct app_worker_stats *s, app_stats_cb cb, void *arg)
{
	char key[40];
	unsigned int r;

	for (r = 0; r < APP_L2_RESULT_MAX; r++) {
		const uint64_t v = APP_LOAD(s->l2[r]);

		snprintf(key, sizeof(key), "l2_%s", app_l2_result_name((enum app_l2_result)r));
		cb(key, APP_UNIT_COUNT, v, (double)v, arg);
	}
}

uint64_t
app_worker_drops(const struct app_worker_stats *s)
{
	uint64_t n = 0;
	unsigned int r;

	for (r = 0; r < TCPSEG_REASON_MAX; r++)
		if (r != TCPSEG_OK)
			n += APP_LOAD(s->drop[r]);
	return n;
}

/* Show one value: counts as they are, times converted (a mean over @p slices). */
static void
app_stats_show(const char *key, enum app_unit unit, uint64_t raw, uint64_t slices, app_stats_cb cb,
		void *arg)
{
	double v;

	switch (unit) {
	case APP_UNIT_MAX_US:
		v = app_tsc_to_us(raw);
		break;
	case APP_UNIT_MEAN_NS:
		v = slices != 0 ? app_tsc_to_us(raw) * 1000.0 / (double)slices : 0.0;
		break;
	case APP_UNIT_COUNT:
	default:
		cb(key, unit, raw, (double)raw, arg);
		return;
	}
	cb(key, unit, (uint64_t)(v + 0.5), v, arg);
}

void
app_worker_stats_walk(const struct app_worker_stats *s, app_stats_cb cb, void *arg)
{
	const uint64_t drops = app_worker_drops(s);
	double cpp;

#define APP_WALK(field, key, unit, help) app_stats_show(key, unit, APP_LOAD(s->field), 0, cb, arg);
	APP_WORKER_COUNTERS(APP_WALK)
#undef APP_WALK
	cb("dropped", APP_UNIT_COUNT, drops, (double)drops, arg);
	cpp = s->rx != 0 ? (double)APP_LOAD(s->busy_tsc) / (double)APP_LOAD(s->rx) : 0.0;
	cb("cycles_per_pkt", APP_UNIT_COUNT, (uint64_t)(cpp + 0.5), cpp, arg);
}

void
app_control_stats_walk(const struct app_control_stats *c, app_stats_cb cb, void *arg)
{
	const uint64_t slices = APP_LOAD(c->scan_slices);

#define APP_WALK(field, key, unit, help) \
	app_stats_show(key, unit, APP_LOAD(c->field), slices, cb, arg);
	APP_CONTROL_COUNTERS(APP_WALK)
#undef APP_WALK
}

static const char *
app_unit_text(enum app_unit u)
{
	switch (u) {
	case APP_UNIT_MAX_US:
		return "us, max";
	case APP_UNIT_MEAN_NS:
		return "ns, mean";
	case APP_UNIT_COUNT:
	default:
		return "count";
	}
}

void
app_stats_print_table(FILE *f)
{
	unsigned int r;

	fprintf(f, "| counter | unit | where | meaning |\n|---|---|---|---|\n");
#define APP_ROW(field, key, unit, help) \
	fprintf(f, "| `%s` | %s | worker | %s |\n", key, app_unit_text(unit), help);
	APP_WORKER_COUNTERS(APP_ROW)
#undef APP_ROW
	fprintf(f, "| `dropped` | count | worker | frames lib/tcpseg rejected, all reasons |\n");
	fprintf(f,
			"| `cycles_per_pkt` | cycles | worker | `busy_cycles` over `rx` since "
			"start, "
			"as VPP's clocks per packet |\n");
	for (r = 0; r < TCPSEG_REASON_MAX; r++)
		if (r != TCPSEG_OK)
			fprintf(f, "| `drop_%s` | count | worker | %s |\n",
					tcpseg_reason_name((enum tcpseg_reason)r),
					tcpseg_reason_desc((enum tcpseg_reason)r));
	for (r = 0; r < APP_L2_RESULT_MAX; r++)
		fprintf(f, "| `l2_%s` | count | worker | %s |\n",
				app_l2_result_name((enum app_l2_result)r),
				app_l2_result_desc((enum app_l2_result)r));
#define APP_ROW(e, name, help) fprintf(f, "| `%s` | count | engine | %s |\n", name, help);
	TWQ_COUNTERS(APP_ROW)
#undef APP_ROW
	fprintf(f, "| `conns` | count | connections | live connections, all states |\n");
	for (r = 0; r < TCPTERM_ST_MAX; r++)
		fprintf(f, "| `conns_%s` | count | connections | live connections in %s |\n",
				tcpterm_state_name((enum tcpterm_state)r),
				tcpterm_state_name((enum tcpterm_state)r));
	for (r = 0; r < TCPTERM_CTR_MAX; r++)
		fprintf(f, "| `term_%s` | count | connections | %s |\n",
				tcpterm_counter_name((enum tcpterm_counter)r),
				tcpterm_counter_desc((enum tcpterm_counter)r));
	fprintf(f,
			"| `responses_<listener>` | count | worker | one per listener, named by "
			"its "
			"section with '.' as '_' (`responses_listen`, `responses_listen_web`): "
			"responses begun, i.e. segments sent at offset 0 of the listener's "
			"response "
			"(a resend after a loss counts again) |\n");
	fprintf(f,
			"| `entries` | count | shard | live TIME_WAIT entries as of the last scan "
			"|\n"
			"| `entries_v4` | count | shard | IPv4 entries, likewise |\n"
			"| `entries_v6` | count | shard | IPv6 entries, likewise |\n");
#define APP_ROW(field, key, unit, help) \
	fprintf(f, "| `%s` | %s | control | %s |\n", key, app_unit_text(unit), help);
	APP_CONTROL_COUNTERS(APP_ROW)
#undef APP_ROW
	app_rates_print_table(f);
}

/* The rates' rows (rates.h): here, so that app_tables needs no shard code. */
void
app_rates_print_table(FILE *f)
{
#define APP_ROW(field, k, unit, help) \
	if ((unit) == APP_UNIT_COUNT) \
		fprintf(f, "| `%s_per_s` | per s | rate | `%s` over the last period |\n", k, k);
	APP_WORKER_COUNTERS(APP_ROW)
#undef APP_ROW
	fprintf(f, "| `dropped_per_s` | per s | rate | `dropped` over the last period |\n");
#define APP_ROW(c) \
	fprintf(f, "| `%s_per_s` | per s | rate | `%s` over the last period |\n", \
			twq_counter_name(c), twq_counter_name(c));
	APP_RATE_ENGINE(APP_ROW)
#undef APP_ROW
	fprintf(f,
			"| `period_cycles_per_pkt` | cycles | rate | `busy_cycles` over `rx` in "
			"the last "
			"period |\n");
}
