/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The dpdk-twq authors
 */

/*
 * Telemetry commands: /twq/stats, /twq/shards, /twq/config, /twq/lookup. They run on DPDK's
 * telemetry thread: counters are read with relaxed loads, and only /twq/lookup takes a
 * shard's lock (through shard.h), for one lookup that counts nothing.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bsd/stdlib.h>
#include <bsd/string.h>

#include <rte_rwlock.h>
#include <rte_telemetry.h>

#include "clock.h"
#include "rss.h"
#include "tel_param.h"
#include "telemetry.h"
#include "term.h"

static rte_rwlock_t tel_lock = RTE_RWLOCK_INITIALIZER;
static struct app_ctx *tel_ctx;

void
app_telemetry_publish(struct app_ctx *ctx)
{
	rte_rwlock_write_lock(&tel_lock);
	tel_ctx = ctx;
	rte_rwlock_write_unlock(&tel_lock);
}

struct app_ctx *
app_telemetry_get(void)
{
	rte_rwlock_read_lock(&tel_lock);
	if (tel_ctx == NULL)
		rte_rwlock_read_unlock(&tel_lock);
	return tel_ctx;
}

void
app_telemetry_put(void)
{
	rte_rwlock_read_unlock(&tel_lock);
}

static void
tel_add_engine(struct rte_tel_data *d, const uint64_t c[TWQ_CTR_MAX])
{
	unsigned int i;

	for (i = 0; i < TWQ_CTR_MAX; i++)
		rte_tel_data_add_dict_u64(d, twq_counter_name(i), c[i]);
}

/* One counter into a telemetry dict (the walks of stats.h). */
static void
tel_add_kv(const char *key, enum app_unit unit, uint64_t value, double precise, void *arg)
{
	RTE_SET_USED(unit);
	RTE_SET_USED(precise);
	rte_tel_data_add_dict_u64(arg, key, value);
}

/* One rate into a telemetry dict, rounded (22.11's telemetry has no floating point). */
static void
tel_add_rate(const char *key, double value, void *arg)
{
	rte_tel_data_add_dict_u64(arg, key, (uint64_t)(value + 0.5));
}

static int
tel_stats(struct app_ctx *ctx, struct rte_tel_data *d)
{
	struct app_rate_snap a, b;
	uint64_t dt;
	char name[RTE_TEL_MAX_STRING_LEN];
	struct app_worker_stats tot;
	uint64_t eng[TWQ_CTR_MAX];
	uint64_t e4, e6;
	unsigned int r;

	app_worker_stats_sum(ctx->wstats, ctx->n_workers, &tot);
	app_shards_entries(ctx->shards, ctx->n_workers, &e4, &e6);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "workers", ctx->n_workers);
	app_worker_stats_walk(&tot, tel_add_kv, d);
	for (r = 0; r < TCPSEG_REASON_MAX; r++) {
		if (r == TCPSEG_OK)
			continue;
		snprintf(name, sizeof(name), "drop_%s", tcpseg_reason_name(r));
		rte_tel_data_add_dict_u64(d, name, tot.drop[r]);
	}
	app_shards_counters(ctx->shards, ctx->n_workers, eng);
	tel_add_engine(d, eng);
	rte_tel_data_add_dict_u64(d, "entries", e4 + e6);
	rte_tel_data_add_dict_u64(d, "entries_v4", e4);
	rte_tel_data_add_dict_u64(d, "entries_v6", e6);
	app_control_stats_walk(&ctx->cstats, tel_add_kv, d);
	app_worker_l2_walk(&tot, tel_add_kv, d);
	app_term_stats_walk(ctx, tel_add_kv, d);
	rte_tel_data_add_dict_u64(d, "uptime_ms", app_clock_ms() - ctx->start_ms);
	app_rates_read(&ctx->rates, &a, &b);
	dt = app_rates_walk(&a, &b, tel_add_rate, d);
	rte_tel_data_add_dict_u64(d, "rate_period_ms", dt);
	rte_tel_data_add_dict_u64(
			d, "rate_period_end_ms", b.ms > ctx->start_ms ? b.ms - ctx->start_ms : 0);
	return 0;
}

static int
tel_shards(struct app_ctx *ctx, struct rte_tel_data *d)
{
	char key[16];
	unsigned int w;

	rte_tel_data_start_dict(d);
	for (w = 0; w < ctx->n_workers; w++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		uint64_t eng[TWQ_CTR_MAX];
		struct app_shard_info info;

		if (c == NULL)
			return -ENOMEM;
		app_shard_info(&ctx->shards[w], &info);
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "lcore", info.lcore);
		rte_tel_data_add_dict_u64(c, "entries_v4", info.entries4);
		rte_tel_data_add_dict_u64(c, "entries_v6", info.entries6);
		rte_tel_data_add_dict_u64(c, "capacity", info.capacity);
		rte_tel_data_add_dict_u64(c, "capacity6", info.capacity6);
		rte_tel_data_add_dict_u64(c, "memory_bytes", ctx->shard_bytes);
		app_worker_stats_walk(&ctx->wstats[w], tel_add_kv, c);
		app_shard_counters(&ctx->shards[w], eng);
		tel_add_engine(c, eng);
		snprintf(key, sizeof(key), "%u", w);
		if (rte_tel_data_add_dict_container(d, key, c, 0) != 0) {
			rte_tel_data_free(c);
			return -ENOSPC;
		}
	}
	return 0;
}

/* An error reply: what is wrong and, when given, what was expected. Always a whole dict. */
static int
tel_error(struct rte_tel_data *d, const char *why, const char *expected)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", why);
	if (expected != NULL)
		rte_tel_data_add_dict_string(d, "expected", expected);
	return 0;
}

/* Building /twq/config: one dict per INI section, filled key by key. */
struct tel_config_walk {
	struct rte_tel_data *d;   /* the reply */
	struct rte_tel_data *sec; /* the section being filled */
	const char *sec_name;
	char sec_key[64];                 /* sec_name with '.' as '/' ("listen/web") */
	char why[RTE_TEL_MAX_STRING_LEN]; /* what a check found */
};

/* Before building: every text value must fit a telemetry string, or the reply is refused. */
static int
tel_config_check(const char *section, const char *name, const char *text, uint64_t num, void *arg)
{
	struct tel_config_walk *w = arg;

	(void)num;
	if (text == NULL || strlen(text) < RTE_TEL_MAX_STRING_LEN)
		return 0;
	snprintf(w->why, sizeof(w->why),
			"[%s] %s is %zu characters, telemetry strings hold %d: no partial reply",
			section, name, strlen(text), RTE_TEL_MAX_STRING_LEN - 1);
	return -E2BIG;
}

/* Put the section being filled into the reply (names may not contain dots: [listen.web] is
 * "listen/web"). */
static int
tel_config_flush(struct tel_config_walk *w)
{
	if (w->sec == NULL)
		return 0;
	if (rte_tel_data_add_dict_container(w->d, w->sec_key, w->sec, 0) != 0) {
		rte_tel_data_free(w->sec);
		w->sec = NULL;
		return -ENOSPC;
	}
	w->sec = NULL;
	return 0;
}

static int
tel_config_key(const char *section, const char *name, const char *text, uint64_t num, void *arg)
{
	struct tel_config_walk *w = arg;
	int rc;

	if (w->sec == NULL || strcmp(section, w->sec_name) != 0) {
		rc = tel_config_flush(w);
		if (rc != 0)
			return rc;
		w->sec = rte_tel_data_alloc();
		if (w->sec == NULL)
			return -ENOMEM;
		rte_tel_data_start_dict(w->sec);
		w->sec_name = section;
		strlcpy(w->sec_key, section, sizeof(w->sec_key));
		for (char *c = w->sec_key; (c = strchr(c, '.')) != NULL;)
			*c = '/';
	}
	/* Any non-zero return (a positive E2BIG included) stops the walk: never a part. */
	if (text != NULL)
		return rte_tel_data_add_dict_string(w->sec, name, text) != 0 ? -ENOSPC : 0;
	return rte_tel_data_add_dict_u64(w->sec, name, num) != 0 ? -ENOSPC : 0;
}

static int
tel_config(struct app_ctx *ctx, struct rte_tel_data *d)
{
	struct tel_config_walk w = {.d = d};
	int rc;

	if (strlen(ctx->cfg.config_path) >= RTE_TEL_MAX_STRING_LEN) {
		snprintf(w.why, sizeof(w.why),
				"config_file is %zu characters, telemetry strings hold %d: no "
				"partial "
				"reply",
				strlen(ctx->cfg.config_path), RTE_TEL_MAX_STRING_LEN - 1);
		return tel_error(d, w.why, NULL);
	}
	if (app_config_foreach(&ctx->cfg, tel_config_check, &w) != 0)
		return tel_error(d, w.why, NULL);
	rte_tel_data_start_dict(d);
	if (rte_tel_data_add_dict_string(d, "config_file", ctx->cfg.config_path) != 0 ||
			rte_tel_data_add_dict_u64(d, "workers", ctx->n_workers) != 0)
		return -ENOSPC;
	rc = app_config_foreach(&ctx->cfg, tel_config_key, &w);
	if (rc == 0)
		rc = tel_config_flush(&w);
	else
		rte_tel_data_free(w.sec);
	/* A failure here is out of memory or room: an error return, never the part built. */
	return rc;
}

/* No TIME_WAIT entry: the live connection of the 4-tuple, if any (same worker). */
static int
tel_lookup_conn(struct app_ctx *ctx, unsigned int w, const struct twq_key *tk,
		struct rte_tel_data *d)
{
	struct tcpterm_conn_info ci;
	struct tcpterm_key k;

	memset(&k, 0, sizeof(k));
	k.laddr = tk->laddr;
	k.raddr = tk->raddr;
	k.lport = tk->lport;
	k.rport = tk->rport;
	k.is_ipv6 = tk->is_ipv6;
	if (app_shard_conn_peek(&ctx->shards[w], &k, &ci) != 0) {
		rte_tel_data_add_dict_string(d, "state", "none");
		return 0;
	}
	rte_tel_data_add_dict_string(d, "state", tcpterm_state_name(ci.state));
	rte_tel_data_add_dict_u64(d, "listener", ci.resp);
	rte_tel_data_add_dict_u64(d, "iss", ci.iss);
	rte_tel_data_add_dict_u64(d, "snd_una", ci.snd_una);
	rte_tel_data_add_dict_u64(d, "snd_nxt", ci.snd_nxt);
	rte_tel_data_add_dict_u64(d, "rcv_nxt", ci.rcv_nxt);
	rte_tel_data_add_dict_u64(d, "snd_wnd", ci.snd_wnd);
	rte_tel_data_add_dict_u64(d, "cwnd", ci.cwnd);
	rte_tel_data_add_dict_u64(d, "mss", ci.mss);
	rte_tel_data_add_dict_u64(d, "has_ts", ci.has_ts);
	rte_tel_data_add_dict_u64(d, "rto_ms", ci.rto_ms);
	rte_tel_data_add_dict_u64(d, "timer_ms", ci.timer_ms);
	rte_tel_data_add_dict_u64(d, "retries", ci.retries);
	rte_tel_data_add_dict_u64(d, "requests", ci.requests);
	return 0;
}

/* Most connections /twq/conns lists (its reply must fit the telemetry buffer). */
#define TEL_CONNS_MAX 64

struct tel_conns_walk {
	struct rte_tel_data *list;
	unsigned int n;
};

static int
tel_conns_cb(const struct tcpterm_conn_info *ci, void *arg)
{
	struct tel_conns_walk *cw = arg;
	char l[INET6_ADDRSTRLEN], r[INET6_ADDRSTRLEN], key[RTE_TEL_MAX_STRING_LEN];
	const int af = ci->key.is_ipv6 ? AF_INET6 : AF_INET;

	if (cw->n == TEL_CONNS_MAX)
		return 1;
	inet_ntop(af, ci->key.is_ipv6 ? (const void *)ci->key.laddr.v6 : &ci->key.laddr.v4, l,
			sizeof(l));
	inet_ntop(af, ci->key.is_ipv6 ? (const void *)ci->key.raddr.v6 : &ci->key.raddr.v4, r,
			sizeof(r));
	/* Dict keys may not hold ',' or ':': one string per connection, in an array. */
	snprintf(key, sizeof(key), "%s,%u,%s,%u %s", l, ci->key.lport, r, ci->key.rport,
			tcpterm_state_name(ci->state));
	rte_tel_data_add_array_string(cw->list, key);
	cw->n++;
	return 0;
}

/* Live connections: counts per state (all workers) and the first TEL_CONNS_MAX of them. */
static int
tel_conns(struct app_ctx *ctx, struct rte_tel_data *d)
{
	struct tel_conns_walk cw = {rte_tel_data_alloc(), 0};
	unsigned int w;

	rte_tel_data_start_dict(d);
	app_term_stats_walk(ctx, tel_add_kv, d);
	if (cw.list == NULL)
		return 0;
	rte_tel_data_start_array(cw.list, RTE_TEL_STRING_VAL);
	for (w = 0; w < ctx->n_workers && cw.n < TEL_CONNS_MAX; w++)
		app_shard_conn_foreach(&ctx->shards[w], tel_conns_cb, &cw);
	if (rte_tel_data_add_dict_container(d, "list", cw.list, 0) != 0)
		rte_tel_data_free(cw.list);
	return 0;
}

static int
tel_lookup(struct app_ctx *ctx, const char *params, struct rte_tel_data *d)
{
	struct twq_entry_info info;
	char why[RTE_TEL_MAX_STRING_LEN];
	struct twq_key k;
	unsigned int w;

	if (app_tel_parse_key(params, &k, why, sizeof(why)) < 0)
		return tel_error(d, why, APP_TEL_LOOKUP_USAGE);
	w = app_flow_worker(ctx, &k);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "shard", w);
	if (app_shard_peek(&ctx->shards[w], &k, &info) != 0)
		return tel_lookup_conn(ctx, w, &k, d);
	rte_tel_data_add_dict_string(d, "state", "TIME_WAIT");
	rte_tel_data_add_dict_u64(d, "remaining_ms", info.remaining_ms);
	rte_tel_data_add_dict_u64(d, "snd_nxt", info.snd_nxt);
	rte_tel_data_add_dict_u64(d, "rcv_nxt", info.rcv_nxt);
	rte_tel_data_add_dict_u64(d, "last_win", info.last_win);
	rte_tel_data_add_dict_u64(d, "has_ts", info.has_ts);
	rte_tel_data_add_dict_u64(d, "t_recent", info.t_recent);
	rte_tel_data_add_dict_u64(d, "ts_offset", info.ts_offset);
	return 0;
}

/* One entry point: the command name picks the handler; not yet running -> -EAGAIN. */
static int
tel_cmd(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char why[RTE_TEL_MAX_STRING_LEN];
	int rc;

	rte_rwlock_read_lock(&tel_lock);
	if (tel_ctx == NULL)
		rc = -EAGAIN;
	else if (strcmp(cmd, "/twq/lookup") != 0 && app_tel_no_params(params, why, sizeof(why)) < 0)
		rc = tel_error(d, why, "no parameters");
	else if (strcmp(cmd, "/twq/stats") == 0)
		rc = tel_stats(tel_ctx, d);
	else if (strcmp(cmd, "/twq/shards") == 0)
		rc = tel_shards(tel_ctx, d);
	else if (strcmp(cmd, "/twq/config") == 0)
		rc = tel_config(tel_ctx, d);
	else if (strcmp(cmd, "/twq/lookup") == 0)
		rc = tel_lookup(tel_ctx, params, d);
	else if (strcmp(cmd, "/twq/conns") == 0)
		rc = tel_conns(tel_ctx, d);
	else
		rc = -EINVAL;
	rte_rwlock_read_unlock(&tel_lock);
	return rc;
}

RTE_INIT(app_telemetry_init)
{
	rte_telemetry_register_cmd("/twq/stats", tel_cmd,
			"Totals: rx, tx, drops by reason, engine counters, entries, "
			"scan_max_hold_us. No parameters.");
	rte_telemetry_register_cmd("/twq/shards", tel_cmd,
			"Per worker shard: entries, capacity, rx, tx, engine counters. "
			"No parameters.");
	rte_telemetry_register_cmd("/twq/config", tel_cmd, "The running configuration.");
	rte_telemetry_register_cmd("/twq/lookup", tel_cmd,
			"The TIME_WAIT entry or live connection of a flow. Parameters: "
			"laddr,lport,raddr,rport");
	rte_telemetry_register_cmd("/twq/conns", tel_cmd,
			"Live connections: counts per state, termination counters, the first 64 "
			"as 'laddr,lport,raddr,rport state'. No parameters.");
}
